"""The Windows installer, run for real under Wine (issue 11).

Small stand-in programs (tests/installer/standin.c, built with mingw-w64) take the place
of GridCert.exe and gridcert.com; the stand-in CLI records its arguments and exits with
the code the test chooses. `installer/windows/makensis.sh` compiles gridcert.nsi against
them with exactly the defines `installer/build.sh` uses on Windows, and the installer runs
in a private Wine prefix inside the test's temp dir (user folders inside it too, never
linked to the real home; no display: `/S` shows nothing). Installers are started through
a stand-in launcher with an exact command line, as Intune or SCCM would start them.

Wine runs everything as administrator and has no UAC or NTFS permissions: the paths of a
standard user are run with a test build whose account check answers "standard user"
(-DSIMULATE_STANDARD_USER); interactive pages run under Xvfb with a test build that clicks
through them (-DTEST_AUTOPILOT). Neither define is in a release build.

Each test names the numbered defect of issue 11 it checks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.actions.reminder import OLD_TASK_NAMES, TASK_NAME
from tests.helpers import require_tool
from tests.installer import uac_declined

ROOT = Path(__file__).resolve().parents[2]
MAKENSIS_SH = ROOT / "installer" / "windows" / "makensis.sh"
STANDIN_C = ROOT / "tests" / "installer" / "standin.c"
UNINSTALL_KEY = r"Software\Microsoft\Windows\CurrentVersion\Uninstall\GridCert"
MACHINE_ENV = r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
LOG = r"C:\standin.log"
TEST_LOG = r"C:\autopilot.log"
EXIT_CODE = r"C:\standin\exit-code.txt"
FILE_TYPES = (".pfx", ".p12", ".cer", ".crt", ".p7b")



@dataclass
class Wine:
    tmp: Path
    prefix: Path
    env: dict[str, str]
    user: str
    setups: dict[str, str]  # name -> Windows path of a compiled installer

    # -------------------------------------------------------------- paths

    def unix(self, windows_path: str) -> Path:
        drive, _, rest = windows_path.partition(":")
        assert drive.upper() == "C", windows_path
        return self.prefix / "drive_c" / rest.strip("\\").replace("\\", "/")

    @property
    def user_programs(self) -> str:
        return rf"C:\users\{self.user}\AppData\Local\Programs\GridCert"

    @property
    def user_start_menu(self) -> str:
        return rf"C:\users\{self.user}\AppData\Roaming\Microsoft\Windows\Start Menu\Programs"

    all_users_programs = r"C:\Program Files\GridCert"
    all_users_start_menu = r"C:\ProgramData\Microsoft\Windows\Start Menu\Programs"

    # -------------------------------------------------------------- running

    def wine(self, *args: str, env: dict[str, str] | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return _run(["wine", *args], {**self.env, **(env or {})}, self.tmp, timeout=timeout)

    def run(self, command_line: str, env: dict[str, str] | None = None,
            cwd: str | None = None, display: bool = False) -> int:
        """Runs an exact Windows command line; its exit code."""
        run_env = {**self.env, "GRIDCERT_STANDIN_RUN": command_line,
                   "GRIDCERT_STANDIN_RUN_CODE": EXIT_CODE, **(env or {})}
        self.unix(EXIT_CODE).unlink(missing_ok=True)
        argv = ["wine", r"C:\standin\run.exe"]
        if display:
            self.wait_no_desktop()
            argv = ["xvfb-run", "-a", "-s", "-screen 0 1024x768x24", *argv]
        _run(argv, run_env, self.tmp, cwd=self.unix(cwd) if cwd else None)
        # The exit code from the file run.exe writes: a Unix exit status has only 8 bits.
        return int(self.unix(EXIT_CODE).read_text().strip())

    def wait_no_desktop(self, seconds: float = 60) -> None:
        """Waits until this prefix's desktop process (explorer.exe /desktop) has exited.
        A run without a display (every /S run) starts one that has no display driver and
        stays some seconds after; a window opened while it lives cannot be created ("no
        driver could be loaded") and its program exits -1 before showing anything."""
        marker = b"WINEPREFIX=" + bytes(self.prefix)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not any(marker in _environ(pid) and b"explorer.exe" in _cmdline(pid)
                       for pid in Path("/proc").iterdir() if pid.name.isdigit()):
                return
            time.sleep(0.2)
        raise AssertionError("Wine's desktop process did not exit")

    def setup(self, name: str, switches: str = "/S", **kwargs: object) -> int:
        return self.run(f'"{self.setups[name]}" {switches}', **kwargs)  # type: ignore[arg-type]

    def uninstall(self, folder: str, switches: str = "/S", **kwargs: object) -> int:
        return self.run(f'"{folder}\\Uninstall.exe" {switches}', **kwargs)  # type: ignore[arg-type]

    # -------------------------------------------------------------- reading

    def reg(self, key: str) -> dict[str, str] | None:
        """The values of a registry key (name -> data; "" is the default value), or None."""
        result = self.wine("reg", "query", key, "/reg:64")  # the 64-bit view, as SetRegView 64
        if result.returncode != 0:
            return None
        values = {}
        for line in result.stdout.splitlines():
            match = re.match(r"^ {4}(.*?) {4}(REG_\w+)(?: {4}(.*))?$", line)
            if match:
                name = "" if match.group(1) == "(Default)" else match.group(1)
                values[name] = match.group(3) or ""
        return values

    def standin_log(self) -> list[list[str]]:
        path = self.unix(LOG)
        if not path.exists():
            return []
        return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]

    def autopilot_log(self) -> list[str]:
        path = self.unix(TEST_LOG)
        if not path.exists():
            return []
        return path.read_bytes().decode("mbcs" if os.name == "nt" else "latin-1").splitlines()

    def clear_logs(self) -> None:
        for path in (self.unix(LOG), self.unix(TEST_LOG)):
            path.unlink(missing_ok=True)

    def wait_gone(self, windows_path: str, seconds: float = 20) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.unix(windows_path).exists():
                return True
            time.sleep(0.2)
        return not self.unix(windows_path).exists()

    def path_entries(self, all_users: bool) -> list[str]:
        values = self.reg(MACHINE_ENV if all_users else r"HKCU\Environment") or {}
        path = next((v for k, v in values.items() if k.lower() == "path"), "")
        return [entry for entry in path.split(";") if entry]

    def installed_version(self, folder: str) -> str:
        return self.unix(folder + r"\_internal\version.txt").read_text().strip()


def _environ(pid: Path) -> list[bytes]:
    try:
        return (pid / "environ").read_bytes().split(b"\0")
    except OSError:
        return []


def _cmdline(pid: Path) -> bytes:
    try:
        return (pid / "cmdline").read_bytes()
    except OSError:
        return b""


def _run(argv: list[str], env: dict[str, str], tmp: Path, cwd: Path | None = None,
         timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """Runs argv with its output in files: Wine's own background processes (services,
    explorer) inherit a pipe and would keep it open long after the program exited."""
    with open(tmp / "out.txt", "w+") as out, open(tmp / "err.txt", "w+") as err:
        code = subprocess.run(argv, env=env, cwd=cwd, stdout=out, stderr=err,
                              stdin=subprocess.DEVNULL, timeout=timeout).returncode
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(argv, code, out.read(), err.read())


# ------------------------------------------------------------------ building


def _build_standins(folder: Path, gcc: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    cli, gui = folder / "gridcert.com", folder / "GridCert.exe"
    common = [gcc, "-municode", "-O1", "-s", str(STANDIN_C)]
    subprocess.run([*common, "-o", str(cli)], check=True)
    subprocess.run([*common, "-mwindows", "-DWINDOWED", "-o", str(gui)], check=True)
    return cli, gui


def _bundle(folder: Path, cli: Path, gui: Path, version: str, extra: dict[str, str]) -> Path:
    """A bundle with the layout of dist/GridCert/ on Windows."""
    bundle = folder / f"bundle-{version}" / "GridCert"
    (bundle / "_internal" / "PySide6" / "plugins").mkdir(parents=True)
    shutil.copy(cli, bundle / "gridcert.com")
    shutil.copy(gui, bundle / "GridCert.exe")
    (bundle / "_internal" / "version.txt").write_text(version)
    (bundle / "_internal" / "python311.dll").write_bytes(version.encode() * 1000)
    (bundle / "_internal" / "PySide6" / "plugins" / "qwindows.dll").write_bytes(b"q" * 5000)
    for name, text in extra.items():
        (bundle / "_internal" / name).write_text(text)
    return bundle


def compile_installer(bundle: Path, out: Path, version: str,
                      *defines: str) -> subprocess.CompletedProcess[str]:
    """installer/windows/makensis.sh, as installer/build.sh runs it on Windows."""
    env = {**os.environ, "PYTHON": sys.executable, "GRIDCERT_NSIS_VERSION": version}
    env.pop("GRIDCERT_SIGN_COMMAND", None)
    return subprocess.run(["bash", str(MAKENSIS_SH), str(bundle), str(out), *defines],
                          env=env, capture_output=True, text=True, timeout=300)


def _private_prefix(tmp: Path) -> tuple[Path, dict[str, str], str]:
    home = tmp / "home"
    home.mkdir()
    prefix = tmp / "prefix"
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY")}
    env.update({
        "WINEPREFIX": str(prefix), "WINEDEBUG": "-all", "WINEARCH": "win64",
        # No desktop integration (winemenubuilder writes into the real home's menus), no
        # Mono/Gecko prompts; schtasks.exe is the stand-in below.
        "WINEDLLOVERRIDES": "winemenubuilder.exe=d;mscoree=d;mshtml=d;schtasks.exe=n",
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CACHE_HOME": str(home / ".cache"),
        "GRIDCERT_STANDIN_LOG": LOG, "GRIDCERT_TEST_LOG": TEST_LOG,
    })
    _run(["wineboot", "-i"], env, tmp, timeout=300)
    subprocess.run(["wineserver", "-w"], env=env, timeout=300)
    users = [p for p in (prefix / "drive_c" / "users").iterdir()
             if p.is_dir() and p.name != "Public"]
    assert len(users) == 1, users
    # Wine links Desktop, Documents, ... to the home folder: make them real folders in the
    # prefix, so that nothing an installer does can reach outside it.
    for folder in [*users[0].iterdir(), *(prefix / "drive_c" / "users" / "Public").iterdir()]:
        if folder.is_symlink():
            folder.unlink()
            folder.mkdir()
    # A persistent wineserver for the whole module (each start costs seconds), with Wine's
    # background services started now, their output going nowhere.
    subprocess.run(["wineserver", "-p"], env=env, timeout=60)
    subprocess.run(["wine", "cmd", "/c", "exit"], env=env, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    return prefix, env, users[0].name


@pytest.fixture(scope="module")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wine]:
    require_tool("wine", "wine wine64 wine32:i386")
    require_tool("makensis", "nsis")
    gcc = require_tool("x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64")
    tmp = tmp_path_factory.mktemp("wine")
    cli, gui = _build_standins(tmp / "standins", gcc)
    builds = {
        # name: (version, extra files, defines)
        "v1": ("1.0.0", {"old-only.dll": "only in 1.0.0"}, ()),
        "v2": ("2.0.0", {}, ()),
        "standard-user": ("2.0.0", {}, ("-DSIMULATE_STANDARD_USER", "-DTEST_AUTOPILOT")),
        "autopilot": ("2.0.0", {}, ("-DTEST_AUTOPILOT",)),
    }
    outputs = {}
    for name, (version, extra, defines) in builds.items():
        bundle = _bundle(tmp / "bundles" / name, cli, gui, version, extra)
        out = tmp / "setups" / f"GridCert-{name}-Setup.exe"
        out.parent.mkdir(parents=True, exist_ok=True)
        result = compile_installer(bundle, out, version, *defines)
        assert result.returncode == 0, result.stdout + result.stderr
        outputs[name] = out
    prefix, env, user = _private_prefix(tmp)
    standin_dir = prefix / "drive_c" / "standin"
    standin_dir.mkdir()
    shutil.copy(cli, standin_dir / "run.exe")
    for system in ("system32", "syswow64"):
        target = prefix / "drive_c" / "windows" / system / "schtasks.exe"
        if target.parent.is_dir():
            shutil.copy(cli, target)
    # The shell32 stand-in whose ShellExecuteExW answers as after "No" on the UAC prompt,
    # where the 32-bit uninstaller's LoadLibrary finds it (test builds load it only when
    # GRIDCERT_TEST_SHELL32 names it).
    system32 = prefix / "drive_c" / "windows" / "syswow64"
    uac_declined.write_dll((system32 if system32.is_dir() else system32.parent / "system32")
                           / uac_declined.DLL_NAME)
    setups_dir = prefix / "drive_c" / "setup"
    setups_dir.mkdir()
    setups = {}
    for name, out in outputs.items():
        shutil.copy(out, setups_dir / out.name)
        setups[name] = rf"C:\setup\{out.name}"
    w = Wine(tmp=tmp, prefix=prefix, env=env, user=user, setups=setups)
    w.compile_log = compile_installer(  # type: ignore[attr-defined]
        _bundle(tmp / "bundles" / "verbose", cli, gui, "2.0.0", {}),
        tmp / "verbose-Setup.exe", "2.0.0", "-V4")
    try:
        yield w
    finally:
        subprocess.run(["wineserver", "-k"], env=env, timeout=60)


@pytest.fixture
def w(wine: Wine) -> Iterator[Wine]:
    """The shared prefix, with empty logs; whatever a test installed is gone after it."""
    wine.clear_logs()
    yield wine
    for folder in (wine.user_programs, wine.all_users_programs):
        if wine.unix(folder + r"\Uninstall.exe").exists():
            # /ELEVATED: a standard-user simulation's Uninstall.exe left over an all-users
            # install removes it too (a release build, an administrator's, ignores it).
            wine.uninstall(folder, "/S /ELEVATED")
            wine.wait_gone(folder + r"\Uninstall.exe")
    for root in ("HKCU", "HKLM"):
        wine.wine("reg", "delete", rf"{root}\{UNINSTALL_KEY}", "/f", "/reg:64")


# ------------------------------------------------------------------ checks


def assert_installed(w: Wine, folder: str, version: str, all_users: bool = False) -> None:
    for name in ("GridCert.exe", "gridcert.com", "Uninstall.exe", "gridcert.ico",
                 "GridCert-files.txt", r"_internal\python311.dll"):
        assert w.unix(rf"{folder}\{name}").is_file(), name
    assert w.installed_version(folder) == version
    root = "HKLM" if all_users else "HKCU"
    entry = w.reg(rf"{root}\{UNINSTALL_KEY}")
    assert entry is not None, f"no {root} Uninstall entry"
    assert entry["DisplayVersion"] == version
    assert entry["InstallLocation"].lower() == folder.lower()
    assert entry["QuietUninstallString"] == f'"{folder}\\Uninstall.exe" /S'
    start_menu = w.all_users_start_menu if all_users else w.user_start_menu
    assert w.unix(start_menu + r"\GridCert.lnk").is_file()
    for ext in FILE_TYPES:
        values = w.reg(rf"{root}\Software\Classes\{ext}\OpenWithProgids")
        assert values is not None and "GridCert.Certificate" in values, ext
    command = w.reg(rf"{root}\Software\Classes\GridCert.Certificate\shell\open\command")
    assert command == {"": f'"{folder}\\GridCert.exe" "%1"'}
    assert folder.lower() in [e.lower() for e in w.path_entries(all_users)]
    assert not list(w.unix(folder).glob("*.gridcert-old"))


def assert_removed(w: Wine, folder: str, all_users: bool = False) -> None:
    root = "HKLM" if all_users else "HKCU"
    assert w.reg(rf"{root}\{UNINSTALL_KEY}") is None
    assert w.reg(rf"{root}\Software\Classes\GridCert.Certificate") is None
    assert w.reg(rf"{root}\Software\Classes\Applications\GridCert.exe") is None
    for ext in FILE_TYPES:
        values = w.reg(rf"{root}\Software\Classes\{ext}\OpenWithProgids") or {}
        assert "GridCert.Certificate" not in values, ext
    start_menu = w.all_users_start_menu if all_users else w.user_start_menu
    assert not w.unix(start_menu + r"\GridCert.lnk").exists()
    assert folder.lower() not in [e.lower() for e in w.path_entries(all_users)]
    for name in ("GridCert.exe", "gridcert.com", "gridcert.ico", "GridCert-files.txt",
                 "_internal"):
        assert not w.unix(rf"{folder}\{name}").exists(), name


# ------------------------------------------------------------------ tests


def test_per_user_silent_install_cmd_and_uninstall_exit_code(w: Wine) -> None:
    """Per-user /S; item 11 (`gridcert` from cmd); item 3 (the uninstaller's exit code is
    its outcome: when it returns, GridCert is gone); the reminder task and "Open with"
    entries are removed; item 9 (nothing the installer starts is shown)."""
    assert w.setup("v2", "/S /CURRENTUSER") == 0
    assert_installed(w, w.user_programs, "2.0.0")
    assert w.unix(w.user_programs).parent.name == "Programs"
    # Item 11: typing `gridcert` in cmd (a new cmd, from another folder) runs gridcert.com.
    w.clear_logs()
    result = w.wine("cmd", "/c", r"cd /d C:\ && gridcert --version")
    assert result.returncode == 0, result.stderr
    assert w.standin_log() == [["gridcert.com", "shown", "--version"]]
    w.clear_logs()
    # Item 3 + the task: schtasks answers "not found" (1); the uninstall still succeeds.
    assert w.uninstall(w.user_programs, env={"GRIDCERT_STANDIN_EXIT": "1"}) == 0
    assert_removed(w, w.user_programs)  # already when the exit code arrives
    # The reminder's task under its name and under the name it had before.
    for name in (TASK_NAME, *OLD_TASK_NAMES):
        assert ["schtasks.exe", "hidden", "/Delete", "/F", "/TN", name] in w.standin_log()
    assert w.wait_gone(w.user_programs), "Uninstall.exe and its folder stay"


@pytest.mark.parametrize(
    ("form", "folder", "exit_code"),
    [
        # Every form README.md and docs/INSTALL.md show, and the exit codes passed through.
        (r'"/PROFILE=C:\Deploy\Site A\site.toml"', r"C:\Deploy\Site A", 0),
        (r'/PROFILE="C:\Deploy\Site A\site.toml"', r"C:\Deploy\Site A", 3),
        (r"/PROFILE=C:/Deploy/SiteB/site.toml", r"C:\Deploy\SiteB", 4),
        (r"/PROFILE=site.toml", r"C:\Deploy\SiteB", 0),  # relative to the start folder
        (r'"/PROFILE=\\localhost\C$\Deploy\SiteB\site.toml"', None, 0),  # a share
    ],
)
def test_profile_forms_and_exit_codes(w: Wine, form: str, folder: str | None,
                                      exit_code: int) -> None:
    """Item 1: every documented /PROFILE form runs the CLI with the absolute profile path,
    and the installer exits with its exit code; item 9: the CLI runs hidden."""
    for site in ("Site A", "SiteB"):
        path = w.unix(rf"C:\Deploy\{site}\site.toml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("name = 'test'\n")
    if folder is None and not w.unix(r"C:\windows\system32\drivers\etc").exists():
        pytest.skip("no UNC paths in this Wine")
    code = w.setup("v2", f"/S {form}", env={"GRIDCERT_STANDIN_EXIT": str(exit_code)},
                   cwd=r"C:\Deploy\SiteB")
    runs = [line for line in w.standin_log() if line[0] == "gridcert.com"]
    if folder is None:
        if not runs:
            pytest.skip("Wine cannot reach \\\\localhost\\C$ here")
        expected = r"\\localhost\C$\Deploy\SiteB\site.toml"
    else:
        expected = folder + r"\site.toml"
    assert code == exit_code
    assert runs == [["gridcert.com", "hidden", "install", "--profile", expected, "--yes"]]


def test_unknown_switch_and_missing_profile_install_nothing(w: Wine) -> None:
    """Item 1: an unrecognised switch fails (2) instead of passing as success; a missing
    profile is 3; neither installs anything nor runs the CLI."""
    assert w.setup("v2", "/S /PROFILE") == 2
    assert w.setup("v2", "/S /PROFILES=C:\\x.toml") == 2
    assert w.setup("v2", "/S /ALLUSER") == 2
    assert w.setup("v2", r"/S /PROFILE=C:\Deploy\nowhere.toml") == 3
    assert w.standin_log() == []
    assert w.reg(rf"HKCU\{UNINSTALL_KEY}") is None
    assert not w.unix(w.user_programs).exists()


def test_d_with_spaces_then_plain_upgrade_goes_there(w: Wine) -> None:
    """/D= with spaces; item 6: a later plain /S upgrade finds that folder."""
    folder = r"C:\Apps With Spaces\GridCert"
    assert w.setup("v1", rf"/S /D={folder}") == 0
    assert_installed(w, folder, "1.0.0")
    assert w.setup("v2", "/S") == 0
    assert_installed(w, folder, "2.0.0")
    assert not w.unix(w.user_programs).exists(), "a second copy in the default folder"
    assert not w.unix(folder + r"\_internal\old-only.dll").exists()
    # `_?=folder` (what older uninstallers took to run in place) is accepted and ignored.
    assert w.uninstall(folder, rf"/S _?={folder}") == 0
    assert_removed(w, folder)
    assert w.wait_gone(folder)


def test_upgrade_in_place_replaces_every_file(w: Wine) -> None:
    assert w.setup("v1") == 0
    assert w.unix(w.user_programs + r"\_internal\old-only.dll").exists()
    assert w.setup("v2") == 0
    assert_installed(w, w.user_programs, "2.0.0")
    assert not w.unix(w.user_programs + r"\_internal\old-only.dll").exists()
    manifest = w.unix(w.user_programs + r"\GridCert-files.txt").read_text()
    assert "old-only.dll" not in manifest and r"F _internal\python311.dll" in manifest


def test_upgrade_and_uninstall_while_gridcert_runs(w: Wine) -> None:
    """Item 4: a silent upgrade while GridCert holds a DLL exits 2 and changes nothing;
    item 3: so does the uninstaller, with its real exit code; once GridCert has stopped,
    the upgrade replaces everything."""
    assert w.setup("v1") == 0
    dll = w.user_programs + r"\_internal\python311.dll"
    held, release = w.unix(r"C:\held.txt"), w.unix(r"C:\release.txt")
    held.unlink(missing_ok=True)
    release.unlink(missing_ok=True)
    holder = subprocess.Popen(
        ["wine", w.user_programs + r"\gridcert.com", "check"], stdin=subprocess.DEVNULL,
        env={**w.env, "GRIDCERT_STANDIN_HOLD": dll, "GRIDCERT_STANDIN_HELD": r"C:\held.txt",
             "GRIDCERT_STANDIN_RELEASE": r"C:\release.txt"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not held.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert held.exists(), "the stand-in did not start"
        before = {p: p.read_bytes() for p in w.unix(w.user_programs).rglob("*") if p.is_file()}
        assert w.setup("v2") == 2
        after = {p: p.read_bytes() for p in w.unix(w.user_programs).rglob("*") if p.is_file()}
        assert after == before, "a half-replaced folder"
        assert w.reg(rf"HKCU\{UNINSTALL_KEY}")["DisplayVersion"] == "1.0.0"  # type: ignore[index]
        assert w.uninstall(w.user_programs) == 2
        assert_installed(w, w.user_programs, "1.0.0")
    finally:
        release.write_text("")
        holder.wait(timeout=60)
    assert w.setup("v2") == 0
    assert_installed(w, w.user_programs, "2.0.0")
    assert w.unix(dll).read_bytes() == b"2.0.0" * 1000


def test_own_folder_and_uninstall_removes_only_gridcert(w: Wine) -> None:
    """Item 5: /D= to a folder holding other programs installs into …\\GridCert, and the
    uninstaller removes only what it installed; item 8: EstimatedSize counts only
    GridCert's files."""
    tools = w.unix(r"C:\Tools")
    (tools / "_internal").mkdir(parents=True)
    (tools / "_internal" / "other.dll").write_bytes(b"another program")
    (tools / "big.iso").write_bytes(b"\0" * 4_000_000)
    (tools / "GridCert").mkdir()
    (tools / "GridCert" / "my notes.txt").write_bytes(b"\0" * 3_000_000)
    assert w.setup("v2", r"/S /D=C:\Tools") == 0
    assert_installed(w, r"C:\Tools\GridCert", "2.0.0")
    size_kib = int(w.reg(rf"HKCU\{UNINSTALL_KEY}")["EstimatedSize"], 16)  # type: ignore[index]
    own = sum(p.stat().st_size for p in (tools / "GridCert").rglob("*")
              if p.is_file() and p.name != "my notes.txt")
    assert own // 1024 <= size_kib <= own // 1024 + 16, (size_kib, own)
    assert w.uninstall(r"C:\Tools\GridCert") == 0
    assert_removed(w, r"C:\Tools\GridCert")
    w.wait_gone(r"C:\Tools\GridCert\Uninstall.exe")
    assert (tools / "_internal" / "other.dll").read_bytes() == b"another program"
    assert (tools / "big.iso").exists() and (tools / "GridCert" / "my notes.txt").exists()
    assert sorted(p.name for p in (tools / "GridCert").iterdir()) == ["my notes.txt"]


def test_documents_survives(w: Wine) -> None:
    """Item 5: installing "into Documents" makes Documents\\GridCert; uninstalling leaves
    Documents and what is in it."""
    documents = rf"C:\users\{w.user}\Documents"
    (w.unix(documents) / "letter.txt").write_text("mine")
    assert w.setup("v2", rf"/S /D={documents}") == 0
    assert_installed(w, documents + r"\GridCert", "2.0.0")
    assert w.uninstall(documents + r"\GridCert") == 0
    assert w.wait_gone(documents + r"\GridCert")
    assert (w.unix(documents) / "letter.txt").read_text() == "mine"


def test_all_users_then_uninstall_without_switch(w: Wine) -> None:
    """/ALLUSERS; item 7: `Uninstall.exe /S` (no /ALLUSERS, as a double-click would run
    it) removes the HKLM entry, the ProgID, the all-users shortcut and PATH entry."""
    machine_path = w.path_entries(all_users=True)
    assert w.setup("v2", "/S /ALLUSERS") == 0
    assert_installed(w, w.all_users_programs, "2.0.0", all_users=True)
    assert w.reg(rf"HKCU\{UNINSTALL_KEY}") is None
    assert w.uninstall(w.all_users_programs) == 0
    assert_removed(w, w.all_users_programs, all_users=True)
    assert w.path_entries(all_users=True) == machine_path
    assert w.wait_gone(w.all_users_programs)


def test_standard_user_paths(w: Wine) -> None:
    """Simulated standard user: /ALLUSERS exits 740 and installs nothing; a silent
    uninstall of an all-users install exits 740 and removes nothing (item 2's silent
    side; item 7's registration is what tells it the install is all-users)."""
    assert w.setup("standard-user", "/S /ALLUSERS") == 740
    assert w.reg(rf"HKLM\{UNINSTALL_KEY}") is None
    assert not w.unix(w.all_users_programs).exists()
    _simulated_uninstaller_over_all_users_install(w)
    assert w.uninstall(w.all_users_programs) == 740
    assert_installed(w, w.all_users_programs, "2.0.0", all_users=True)


def _simulated_uninstaller_over_all_users_install(w: Wine) -> None:
    """An all-users install whose Uninstall.exe is the standard-user simulation's (taken
    from a per-user install of that build)."""
    assert w.setup("standard-user", r"/S /D=C:\sim\GridCert") == 0
    simulated = w.unix(r"C:\sim\GridCert\Uninstall.exe").read_bytes()
    assert w.uninstall(r"C:\sim\GridCert") == 0
    assert w.setup("v2", "/S /ALLUSERS") == 0
    w.unix(w.all_users_programs + r"\Uninstall.exe").write_bytes(simulated)


@dataclass
class ElevationRequest:
    """What RunElevated put in the SHELLEXECUTEINFOW it passed to ShellExecuteExW."""
    verb: str
    file: str
    params: str
    directory: str

    @property
    def command_line(self) -> str:
        """The command line Windows starts for it after "Yes" on the UAC prompt."""
        return f'"{self.file}" {self.params}'


DECLINED = {"GRIDCERT_TEST_SHELL32": uac_declined.DLL_NAME.removesuffix(".dll")}


def _declined_elevation(w: Wine, switches: str) -> ElevationRequest:
    """Runs the all-users install's UninstallString (plus switches) as Apps & features does:
    interactive, not elevated; ShellExecuteExW is the stand-in that answers as after "No"
    on the UAC prompt. Checks it exits 1 (cancelled) with everything still installed, and
    returns the request it made."""
    require_tool("xvfb-run", "xvfb")
    entry = w.reg(rf"HKLM\{UNINSTALL_KEY}") or {}
    w.clear_logs()
    code = w.run(f"{entry['UninstallString']} {switches}".strip(), env=DECLINED, display=True)
    log = w.autopilot_log()
    assert code == 1, log  # EXIT_CANCELLED, as documented
    assert f"elevated copy: not started, error={uac_declined.ERROR_CANCELLED}" in log, log
    assert not [line for line in log if line.startswith(("confirm", "removing"))], log
    assert_installed(w, w.all_users_programs, "2.0.0", all_users=True)
    requests = [_request(line) for line in log if line.startswith("runas ")]
    assert len(requests) == 1, log
    return requests[0]


def _request(line: str) -> ElevationRequest:
    """The request from its autopilot log line (uninstall.nsi, RunElevated)."""
    match = re.fullmatch(r"runas verb=\[(.*)\] file=\[(.*)\] params=\[(.*)\] dir=\[(.*)\]", line)
    assert match, line
    return ElevationRequest(*match.groups())


@pytest.mark.parametrize("switches", ["", "/ALLUSERS"])
def test_elevation_request_and_uac_declined(w: Wine, switches: str) -> None:
    """Item 2, the request: started from Apps & features (its UninstallString, interactive,
    not elevated) on an all-users install, the uninstaller asks ShellExecuteExW for "runas"
    of its own installed file with its own switches plus /ELEVATED, working in a folder
    other than the one it removes. A "No" to UAC (ERROR_CANCELLED) exits 1 and removes
    nothing."""
    _simulated_uninstaller_over_all_users_install(w)
    request = _declined_elevation(w, switches)
    assert request.verb == "runas"
    assert request.file.lower() == (w.all_users_programs + r"\Uninstall.exe").lower()
    assert request.params.split() == [*switches.split(), "/ELEVATED"]
    assert request.directory.rstrip("\\").lower() != w.all_users_programs.lower()
    assert not request.directory.lower().startswith(w.all_users_programs.lower() + "\\")
    assert w.unix(request.directory).is_dir()
    # Leave nothing behind: what the elevated copy would run, silently.
    assert w.uninstall(w.all_users_programs, "/S /ELEVATED") == 0
    assert w.wait_gone(w.all_users_programs)


def test_elevated_copy_removes_everything(w: Wine) -> None:
    """Item 2, what the request starts: exactly that command line, in that working folder,
    run as Windows runs it after "Yes" on the UAC prompt (under Wine every process is an
    administrator), interactively (the autopilot clicks Uninstall): it exits 0 and every
    file in Program Files, the HKLM entry, ProgID, "Open with" entries, the all-users
    shortcut and the machine PATH entry are gone."""
    machine_path = w.path_entries(all_users=True)
    _simulated_uninstaller_over_all_users_install(w)
    request = _declined_elevation(w, "")
    w.clear_logs()
    # With the declining stand-in: a copy that asked for elevation again (it should not:
    # /ELEVATED says it has it) exits 1 instead of starting copies without end.
    code = w.run(request.command_line, cwd=request.directory, env=DECLINED, display=True)
    log = w.autopilot_log()
    assert code == 0, log
    assert not [line for line in log if line.startswith(("runas", "elevated copy"))], log
    assert f"confirm {w.all_users_programs}" in log, log  # the interactive page, clicked
    assert_removed(w, w.all_users_programs, all_users=True)
    assert w.path_entries(all_users=True) == [
        entry for entry in machine_path if entry.lower() != w.all_users_programs.lower()]
    assert w.wait_gone(w.all_users_programs), sorted(
        str(p) for p in w.unix(w.all_users_programs).rglob("*"))


def test_elevated_relaunch_from_apps_and_features(w: Wine) -> None:
    """Item 2, end to end: started from Apps & features (interactive, not elevated) on an
    all-users install, the uninstaller starts itself again through Wine's
    ShellExecuteExW("runas") and waits for it; that copy removes everything in Program
    Files, and its exit code is the uninstaller's. (Wine has no UAC: "runas" starts the
    copy without a prompt; the prompt and the elevated token need real Windows.)"""
    require_tool("xvfb-run", "xvfb")
    _simulated_uninstaller_over_all_users_install(w)
    entry = w.reg(rf"HKLM\{UNINSTALL_KEY}") or {}
    w.clear_logs()
    assert w.run(entry["UninstallString"], display=True) == 0, w.autopilot_log()
    log = w.autopilot_log()
    requests = [_request(line) for line in log if line.startswith("runas ")]
    assert len(requests) == 1, log
    assert requests[0].verb == "runas"
    assert requests[0].file.lower() == (w.all_users_programs + r"\Uninstall.exe").lower()
    assert requests[0].params.split() == ["/ELEVATED"]
    assert requests[0].directory.lower() == r"c:\windows"
    assert "uninstall params=[/ELEVATED] all-users=1 admin=1" in log, log
    assert [line for line in log if line.startswith("elevated copy")][-1].endswith(" exit=0")
    assert_removed(w, w.all_users_programs, all_users=True)
    assert w.wait_gone(w.all_users_programs), "files left in Program Files"


def test_pages_mode_back_and_finish(w: Wine) -> None:
    """Item 10: after Back on the mode page "Only me" still shows the per-user folder and
    installs there; after an elevated install the finish page does not offer to start
    GridCert (it would run as the administrator)."""
    require_tool("xvfb-run", "xvfb")
    clicks = "all next back me next next next"
    assert w.setup("autopilot", "", env={"GRIDCERT_TEST_CLICKS": clicks}, display=True) == 0
    log = [line for line in w.autopilot_log() if not line.startswith("tell")]
    me, everyone = f"me={w.user_programs}", f"all={w.all_users_programs}"
    assert log == [
        f"mode {me} {everyone}",
        f"directory {w.all_users_programs}",
        f"mode {me} {everyone}",
        f"directory {w.user_programs}",
        "finish run-offered=1 run-checked=0",
    ], log
    assert_installed(w, w.user_programs, "2.0.0")
    assert not [line for line in w.standin_log() if line[0] == "GridCert.exe"]


def test_installer_uses_gridcert_images(wine: Wine) -> None:
    """Item 12: the pages carry GridCert's header and side bitmaps and icon, not NSIS's."""
    result = wine.compile_log  # type: ignore[attr-defined]
    assert result.returncode == 0, result.stdout + result.stderr
    text = result.stdout
    assert re.search(r"header\.bmp", text) and re.search(r"wizard\.bmp", text), text[-3000:]
    assert "nsis3-metro" not in text and "Contrib/Graphics/Wizard" not in text
    assert "gridcert.ico" in text
