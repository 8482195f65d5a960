"""GridCert imported and run in a child interpreter that looks like Windows (or macOS).

The users are on Windows, where this code has never run, and no Windows machine exists
here. So a child Python is made to look like one as far as a pure-Python program can
tell: `sys.platform` says "win32", the POSIX-only modules (`fcntl`, `pwd`, `grp`,
`termios`, `resource`) cannot be imported, `os` lacks what Windows' `os` lacks (`getuid`,
`chown`, ...), `msvcrt` exists, and `app.stores._win32` talks to the documented fake of
tests/fakes/win32.py. Then every module under app/ is imported and the CLI runs.

What this cannot see (said, not hidden): the standard library modules that pick their
implementation at import (`subprocess`, `pathlib`, `ctypes`, PySide6, ...) are imported
before the switch and keep their Linux implementation; `os.path` stays posixpath and
`os.name` stays "posix" (a WindowsPath cannot exist on Linux). A real Windows runner
(tests/os) covers those.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.pki import make_pki, pfx_bytes

REPO = Path(__file__).resolve().parents[2]
POSIX_ONLY = ("fcntl", "pwd", "grp", "termios", "resource")

# The child's program. Its one argument is a JSON object:
#   platform: "win32" | "darwin"; commands: [[argv...], ...]; win32: FakeWin32 settings;
#   walk: import every module under app/ first.
# It prints one JSON object: {"import_errors": {module: error}, "runs": [{argv, code,
# stdout, stderr}]}.
CHILD = r'''
import importlib, importlib.abc, io, json, os, sys, types, contextlib, traceback
config = json.loads(sys.argv[1])
platform = config["platform"]

# 1. What exists on every OS but chooses its implementation when imported keeps the Linux
#    one (see the module docstring): import it while sys.platform is still true.
for name in ("subprocess", "ctypes", "ctypes.util", "ctypes.wintypes", "tempfile", "shutil",
             "platform", "locale", "getpass", "pathlib", "socket", "ssl", "selectors",
             "asyncio", "uuid", "mimetypes", "logging.handlers", "concurrent.futures",
             "zipfile", "urllib.request", "webbrowser", "sqlite3", "email.utils",
             "cryptography.hazmat.bindings._rust", "keyring",
             "PySide6", "PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"):
    try:
        importlib.import_module(name)
    except ImportError:
        pass

# 2. Windows has no POSIX-only modules and no uid/gid/chown in os; it has msvcrt.
if platform == "win32":
    BLOCKED = {"fcntl", "pwd", "grp", "termios", "resource", "tty", "pty"}

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path=None, target=None):
            if fullname.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {fullname!r} (simulated Windows)",
                                          name=fullname)
            return None

    sys.meta_path.insert(0, Blocker())
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]
    for attribute in ("getuid", "geteuid", "getgid", "getegid", "getgroups", "chown",
                      "fchown", "lchown", "killpg", "getpgid", "setsid"):
        if hasattr(os, attribute):
            delattr(os, attribute)
    msvcrt = types.ModuleType("msvcrt")
    msvcrt.LK_UNLCK, msvcrt.LK_LOCK, msvcrt.LK_NBLCK = 0, 1, 2
    msvcrt.locking = lambda fd, mode, nbytes: None  # one process here: always granted
    sys.modules["msvcrt"] = msvcrt

sys.platform = platform

# 3. The stores' OS layers talk to the documented fakes.
if platform == "win32":
    from tests.fakes.win32 import FakeWin32
    import app.stores._win32 as _win32
    settings = config.get("win32", {})
    fake = FakeWin32(desktop=settings.get("desktop", True),
                     root_dialog=settings.get("root_dialog", "accept"))
    if settings.get("fail_crypt32"):
        fake.fail_crypt32()
    fake.patch_module(_win32)
elif platform == "darwin":
    from tests.unit.test_store_macos_logic import FakeSecurity
    import app.stores._macos_security as security
    fake = FakeSecurity()
    for name in ("available", "add_trusted_cert", "remove_trusted_cert", "add_certificates",
                 "import_pkcs12", "find_certificates", "find_identities",
                 "delete_certificate", "delete_identity", "export_identities"):
        setattr(security, name, getattr(fake, name))

# 4. Every module of the application imports here.
import_errors = {}
if config.get("walk", True):
    import pkgutil
    import app
    for module in pkgutil.walk_packages(app.__path__, "app."):
        try:
            importlib.import_module(module.name)
        except BaseException as error:  # noqa: BLE001 - every failure is the finding
            import_errors[module.name] = "".join(
                traceback.format_exception_only(type(error), error)).strip()

# 5. The command line, as a script would run it.
from app.cli import main
runs = []
for argv in config.get("commands", []):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        except BaseException:  # noqa: BLE001 - a traceback is what must never happen
            traceback.print_exc()
            code = -1
    runs.append({"argv": argv, "code": code, "stdout": out.getvalue(),
                 "stderr": err.getvalue()})
sys.__stdout__.write(json.dumps({"import_errors": import_errors, "runs": runs}))
'''


def run_simulated(platform: str, commands: Sequence[Sequence[str]] = (), *, walk: bool = True,
                  win32: dict[str, Any] | None = None,
                  env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run CHILD with the venv's interpreter; its JSON report."""
    config = {"platform": platform, "commands": [list(c) for c in commands], "walk": walk,
              "win32": win32 or {}}
    home = Path(os.environ["HOME"])
    child_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
                 "APPDATA": str(home / "AppData" / "Roaming"),
                 "LOCALAPPDATA": str(home / "AppData" / "Local"),
                 "USERPROFILE": str(home), **(env or {})}
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(config)], cwd=REPO,
                          env=child_env, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return report


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """An ERCOT-like .pfx (leaf, key and chain) and its root as a separate file."""
    pki = make_pki("ERCOT Test")
    pfx = tmp_path / "0123456789012$JSMITH.pfx"
    pfx.write_bytes(pfx_bytes(pki.leaf, "Secret 1", [pki.intermediate, pki.root]))
    root = pki.root.write(tmp_path / "ercot-root.crt")
    return {"pfx": pfx, "root": root}


def _commands(files: dict[str, Path], target: str) -> list[list[str]]:
    return [
        ["targets", "--json"],
        ["inspect", "--json", "--password-env", "PW", str(files["pfx"]), str(files["root"])],
        ["install", "--dry-run", "--json", "--target", target, "--password-env", "PW",
         str(files["pfx"]), str(files["root"])],
    ]


def _check_runs(report: dict[str, Any]) -> dict[str, Any]:
    documents: dict[str, Any] = {}
    for run in report["runs"]:
        command = run["argv"][0]
        assert run["code"] == 0, (run["argv"], run["stderr"])
        assert "Traceback" not in run["stderr"], run["stderr"]
        documents[command] = json.loads(run["stdout"])
    return documents


def test_every_module_imports_and_the_cli_runs_as_on_windows(files: dict[str, Path]) -> None:
    report = run_simulated("win32", _commands(files, "windows-user"), env={"PW": "Secret 1"})
    assert report["import_errors"] == {}
    documents = _check_runs(report)
    ids = [target["id"] for target in documents["targets"]["targets"]]
    assert ids[:3] == ["windows-user", "windows-machine", "firefox"]
    assert len(documents["inspect"]["items"]) == 4 and documents["inspect"]["errors"] == []
    kinds = {(s["kind"], s["target"]) for s in documents["install"]["plan"]["steps"]}
    assert ("import-identity", "windows-user") in kinds
    assert ("add-root", "windows-user") in kinds


def test_the_simulation_blocks_posix_only_modules() -> None:
    """The simulated Windows is strict: a POSIX-only import fails there, as on Windows."""
    probe = ("import importlib, json; found = {}\n"
             "for name in " + repr(POSIX_ONLY) + ":\n"
             "    try:\n        importlib.import_module(name); found[name] = 'imported'\n"
             "    except ImportError as e:\n        found[name] = 'blocked'\n"
             "import os, sys\nprint(json.dumps(found), sys.platform, hasattr(os, 'getuid'),"
             " file=sys.stderr)\n")
    done = subprocess.run(
        [sys.executable, "-c", CHILD.replace("# 3. The stores'", probe + "# 3. The stores'"),
         json.dumps({"platform": "win32", "walk": False})],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    found, platform, has_getuid = line.rsplit(" ", 2)
    assert json.loads(found) == dict.fromkeys(POSIX_ONLY, "blocked")
    assert (platform, has_getuid) == ("win32", "False")


def test_the_windows_modules_and_cli_work_when_posix_modules_are_gone(
    files: dict[str, Path]
) -> None:
    """What issue 10 owns, without the nss.py import that branch w-port removes: every
    module except those that need nss.py imports, and the Windows store answers the CLI."""
    report = run_simulated("win32", walk=True)
    blocked_by_nss = {name for name, error in report["import_errors"].items()
                      if "fcntl" in error}
    assert set(report["import_errors"]) == blocked_by_nss, report["import_errors"]
    assert not any(name.startswith(("app.stores.windows", "app.stores._win32"))
                   for name in report["import_errors"])


def test_every_module_imports_and_the_cli_runs_as_on_macos(files: dict[str, Path]) -> None:
    report = run_simulated("darwin", _commands(files, "macos-login"), env={"PW": "Secret 1"})
    assert report["import_errors"] == {}
    documents = _check_runs(report)
    ids = [target["id"] for target in documents["targets"]["targets"]]
    assert ids[:3] == ["macos-login", "macos-system", "firefox"]
    assert len(documents["inspect"]["items"]) == 4
    kinds = {(s["kind"], s["target"]) for s in documents["install"]["plan"]["steps"]}
    assert ("import-identity", "macos-login") in kinds


@pytest.mark.skipif(sys.platform != "linux", reason="stands in for an absent crypt32/Security; "
                    "on Windows and macOS tests/os/test_serverchain_real.py asks the real one")
@pytest.mark.parametrize(("platform", "verifier"), [("win32", "Windows"), ("darwin", "macOS")])
def test_probe_asks_the_os_about_the_server_and_fails_closed(
        tmp_path: Path, files: dict[str, Path], platform: str, verifier: str) -> None:
    """As Windows/macOS, `gridcert probe` hands the server's chain to the OS verifier
    (app/stores/_serverchain_*) instead of OpenSSL. Here no crypt32/Security.framework
    exists, so the check cannot run — which must read as "not trusted" (the client
    certificate is not sent: no sign-in request reaches the server), not as a crash."""
    from tests.integration.probe_servers import python_server
    from tests.pki import make_leaf, make_pki

    web = make_pki("Public Web")
    server = make_leaf(web.intermediate, "127.0.0.1", client_auth=False, server_auth=True,
                       san_ip=["127.0.0.1"])
    requests: list[bytes] = []
    with python_server(tmp_path / "srv", server, requests=requests) as port:
        report = run_simulated(platform, [[
            "probe", f"https://127.0.0.1:{port}/", "--identity", str(files["pfx"]),
            "--password-env", "PW", "--timeout", "5", "--json"]], walk=False,
            env={"PW": "Secret 1"})
    [run] = report["runs"]
    assert "Traceback" not in run["stderr"], run["stderr"]
    assert run["code"] == 6, run
    document = json.loads(run["stdout"])
    assert document["server"]["trusted"] is False
    assert document["server"]["reason"] == f"{verifier} could not check it"
    assert "could not check the certificate" in document["diagnosis"]
    assert document["server"]["chain"][0]["sha256"] == server.sha256
    assert not any(requests)  # only the first look connected: no sign-in, no request
