"""The daily reminder: systemd user units written and removed (checked by systemd-analyze),
and the Windows/macOS command lines and plist as data."""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.actions import reminder
from app.core.errors import TargetError
from tests.helpers import require_tool

COMMAND = ["/opt/Grid Cert/gridcert", "check", "--notify"]


@pytest.fixture(autouse=True)
def no_real_systemctl(monkeypatch: pytest.MonkeyPatch) -> None:
    # Never talk to a real user manager from a test.
    monkeypatch.setenv("GRIDCERT_SYSTEMCTL", "")


def _units_dir() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user"


def test_units_content_and_quoting() -> None:
    units = reminder.systemd_units(COMMAND, hour=7, workdir="/src/grid%cert")
    service, timer = units[reminder.SERVICE_NAME], units[reminder.TIMER_NAME]
    assert 'ExecStart="/opt/Grid Cert/gridcert" check --notify' in service
    assert "WorkingDirectory=/src/grid%%cert" in service
    assert "Type=oneshot" in service and "SuccessExitStatus=10 11" in service
    assert "OnCalendar=*-*-* 07:00:00" in timer and "Persistent=true" in timer
    assert "WantedBy=timers.target" in timer


def test_units_pass_systemd_analyze(tmp_path: Path) -> None:
    analyze = require_tool("systemd-analyze", "systemd")
    for name, text in reminder.systemd_units(
        [sys.executable, "-m", "app", "check", "--notify"], workdir=str(tmp_path)
    ).items():
        (tmp_path / name).write_text(text)
    done = subprocess.run(
        [
            analyze,
            "verify",
            str(tmp_path / reminder.SERVICE_NAME),
            str(tmp_path / reminder.TIMER_NAME),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_linux_on_without_user_manager_enables_for_next_login() -> None:
    status = reminder.reminder_on("linux", COMMAND)
    folder = _units_dir()
    assert status.enabled
    assert (folder / reminder.SERVICE_NAME).read_text().startswith("[Unit]")
    link = folder / "timers.target.wants" / reminder.TIMER_NAME
    assert link.is_symlink() and link.resolve() == (folder / reminder.TIMER_NAME).resolve()
    assert "next login" in status.detail and "systemctl is not installed" in status.detail
    assert reminder.reminder_status("linux").enabled
    # Turning it on twice is fine.
    assert reminder.reminder_on("linux", COMMAND).enabled

    off = reminder.reminder_off("linux")
    assert not off.enabled and len(off.files) == 3
    assert not (folder / reminder.SERVICE_NAME).exists()
    assert not (folder / reminder.TIMER_NAME).exists()
    assert not link.is_symlink()
    assert not reminder.reminder_status("linux").enabled
    assert reminder.reminder_off("linux").detail == "The daily reminder was not on."


class Recorder:
    """Stands in for subprocess.run: records the command lines, answers with `codes`."""

    def __init__(self, codes: dict[str, int] | None = None) -> None:
        self.calls: list[list[str]] = []
        self.codes = codes or {}

    def __call__(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        self.calls.append(list(args))
        code = next((c for key, c in self.codes.items() if key in " ".join(args)), 0)
        return subprocess.CompletedProcess(list(args), code, "", "boom" if code else "")


def test_linux_on_with_user_manager_runs_systemctl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDCERT_SYSTEMCTL", "/usr/bin/systemctl")
    run = Recorder()
    status = reminder.reminder_on("linux", COMMAND, run=run)
    assert ["/usr/bin/systemctl", "--user", "daemon-reload"] in run.calls
    assert ["/usr/bin/systemctl", "--user", "enable", "--now", reminder.TIMER_NAME] in run.calls
    assert "09:00" in status.detail
    run = Recorder()
    reminder.reminder_off("linux", run=run)
    assert ["/usr/bin/systemctl", "--user", "disable", "--now", reminder.TIMER_NAME] in run.calls
    assert not (_units_dir() / reminder.TIMER_NAME).exists()


def test_linux_enable_failure_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDCERT_SYSTEMCTL", "/usr/bin/systemctl")
    status = reminder.reminder_on("linux", COMMAND, run=Recorder({"enable": 1}))
    assert "failed: boom" in status.detail


def test_windows_schtasks_lines() -> None:
    args = reminder.schtasks_create_args(COMMAND, hour=8)
    assert args[:2] == ["schtasks", "/Create"]
    assert args[args.index("/SC") + 1] == "DAILY" and args[args.index("/ST") + 1] == "08:00"
    assert args[args.index("/TN") + 1] == reminder.TASK_NAME
    # The task's command line quotes the path with a space, as cmd.exe expects.
    assert args[args.index("/TR") + 1] == '"/opt/Grid Cert/gridcert" check --notify'
    assert reminder.schtasks_delete_args() == [
        "schtasks",
        "/Delete",
        "/F",
        "/TN",
        reminder.TASK_NAME,
    ]
    run = Recorder()
    assert reminder.reminder_on("windows", COMMAND, run=run).enabled
    assert run.calls == [reminder.schtasks_create_args(COMMAND)]
    failed = reminder.reminder_on("windows", COMMAND, run=Recorder({"schtasks": 1}))
    assert not failed.enabled and failed.detail == "Could not create the scheduled task: boom."
    assert reminder.reminder_status("windows", run=Recorder()).enabled
    assert not reminder.reminder_status("windows", run=Recorder({"Query": 1})).enabled


def test_macos_launch_agent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "getuid", lambda: 501, raising=False)
    run = Recorder()
    status = reminder.reminder_on("macos", COMMAND, hour=10, run=run)
    path = Path(os.environ["HOME"]) / "Library" / "LaunchAgents" / "org.gridcert.check.plist"
    assert status.files == [str(path)]
    plist = plistlib.loads(path.read_bytes())
    assert plist["Label"] == reminder.LAUNCHD_LABEL
    assert plist["ProgramArguments"] == COMMAND
    assert plist["StartCalendarInterval"] == {"Hour": 10, "Minute": 0}
    assert ["launchctl", "bootstrap", "gui/501", str(path)] in run.calls
    assert reminder.reminder_status("macos").enabled
    run = Recorder()
    off = reminder.reminder_off("macos", run=run)
    assert not path.exists() and off.files == [str(path)]
    assert run.calls == [["launchctl", "bootout", f"gui/501/{reminder.LAUNCHD_LABEL}"]]
    assert not reminder.reminder_status("macos").enabled


def test_check_command_from_source() -> None:
    assert reminder.check_command() == [sys.executable, "-m", "app", "check", "--notify"]
    workdir = reminder.working_directory()
    assert workdir is not None and (Path(workdir) / "app" / "__main__.py").is_file()


# --- a frozen build: the program the scheduler starts (issue 10) ------------------------------


def split_windows_command_line(line: str) -> list[str]:
    """A command line split the way a Windows program gets its argv: CommandLineToArgvW and
    the MS C runtime, as Microsoft's "Parsing C++ command-line arguments" describes
    (learn.microsoft.com/cpp/cpp/main-function-command-line-args): the program name (argv[0])
    runs to the next space, or inside double quotes to the closing quote, with no escapes;
    then arguments are delimited by spaces/tabs; "..." groups; backslashes are literal
    unless they precede a double quote: 2n backslashes + quote give n backslashes and a
    delimiting quote, 2n+1 give n and a literal quote; "" inside quotes is a literal quote.
    """
    args: list[str] = []
    i, n = 0, len(line)
    # argv[0]
    if line.startswith('"'):
        end = line.find('"', 1)
        end = n if end < 0 else end
        args.append(line[1:end])
        i = end + 1
    else:
        while i < n and line[i] not in " \t":
            i += 1
        args.append(line[:i])
    while True:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            return args
        current: list[str] = []
        quoted = False
        while i < n and (quoted or line[i] not in " \t"):
            if line[i] == "\\":
                start = i
                while i < n and line[i] == "\\":
                    i += 1
                count = i - start
                if i < n and line[i] == '"':
                    current.append("\\" * (count // 2))
                    if count % 2:
                        current.append('"')
                        i += 1
                else:
                    current.append("\\" * count)
                continue
            if line[i] == '"':
                if quoted and i + 1 < n and line[i + 1] == '"':
                    current.append('"')
                    i += 2
                    continue
                quoted = not quoted
                i += 1
                continue
            current.append(line[i])
            i += 1
        args.append("".join(current))


def test_the_splitter_follows_microsofts_examples() -> None:
    # The table of "Parsing C++ command-line arguments" (argv[1:] of `prog <input>`).
    for text, expected in [
        ('"a b c" d e', ["a b c", "d", "e"]),
        ('"ab\\"c" "\\\\" d', ['ab"c', "\\", "d"]),
        ('a\\\\\\b d"e f"g h', ["a\\\\\\b", "de fg", "h"]),
        ('a\\\\\\"b c d', ['a\\"b', "c", "d"]),
        ('a\\\\\\\\"b c" d e', ["a\\\\b c", "d", "e"]),
    ]:
        assert split_windows_command_line("prog " + text)[1:] == expected
    assert split_windows_command_line('"C:\\Program Files\\x.exe" -a') == [
        "C:\\Program Files\\x.exe", "-a"]


def frozen_bundle(tmp_path: Path, platform: str) -> Path:
    from app.core.programs import programs_for

    folder = tmp_path / "Users" / "Jane Doe" / "AppData" / "Local" / "Programs" / "GridCert"
    folder.mkdir(parents=True)
    names = programs_for(platform)
    for name in (names.gui, names.cli):
        (folder / name).write_bytes(b"")
    return folder


@pytest.mark.parametrize("started_as", ["GridCert.exe", "gridcert.com"])
def test_windows_task_runs_the_windowless_wizard_check(tmp_path: Path, started_as: str) -> None:
    """Whether the reminder is turned on from the wizard or from `gridcert check --reminder
    on`, the task starts GridCert.exe --check-notify (no console window; not the wizard
    opening a file called "check"), quoted so that the folder's spaces survive."""
    from app.gui.main import parse_args

    folder = frozen_bundle(tmp_path, "win32")
    run = Recorder()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.frozen", True, raising=False)
        patch.setattr("sys.executable", str(folder / started_as))
        status = reminder.reminder_on("windows", run=run)
    assert status.enabled
    [create] = run.calls
    assert create[create.index("/TN") + 1] == reminder.TASK_NAME
    task_run = create[create.index("/TR") + 1]
    assert task_run == f'"{folder / "GridCert.exe"}" --check-notify'
    argv = split_windows_command_line(task_run)
    assert argv == [str(folder / "GridCert.exe"), "--check-notify"]
    parsed = parse_args(argv[1:])
    assert parsed.check_notify and parsed.files == []


def test_windows_task_run_quoting_of_a_real_windows_path() -> None:
    exe = "C:\\Users\\Jane Doe\\AppData\\Local\\Programs\\GridCert\\GridCert.exe"
    task_run = reminder.schtasks_task_run([exe, reminder.WINDOWLESS_CHECK])
    assert task_run == f'"{exe}" --check-notify'
    assert split_windows_command_line(task_run) == [exe, "--check-notify"]


def test_windows_task_run_longer_than_schtasks_takes_is_a_sentence() -> None:
    exe = "C:\\" + "\\".join(["a very long folder name"] * 11) + "\\GridCert.exe"
    assert len(exe) + len(" --check-notify") + 2 > reminder.MAX_TASK_RUN
    with pytest.raises(TargetError, match="at most 261 characters") as raised:
        reminder.reminder_on("windows", [exe, reminder.WINDOWLESS_CHECK], run=Recorder())
    assert str(raised.value).endswith("shorter path.")
    # Exactly the limit is fine; one character more is not.
    tail = "\\GridCert.exe"
    fixed = len("C:\\") + len(tail) + len(" --check-notify")
    fits = "C:\\" + "x" * (reminder.MAX_TASK_RUN - fixed) + tail
    assert len(reminder.schtasks_task_run([fits, "--check-notify"])) == reminder.MAX_TASK_RUN
    with pytest.raises(TargetError):
        reminder.schtasks_task_run(["C:\\x" + fits[3:], "--check-notify"])


@pytest.mark.parametrize("platform", ["darwin", "linux"])
@pytest.mark.parametrize("started_as", ["gui", "cli"])
def test_macos_and_linux_run_the_command_line_check(tmp_path: Path, platform: str,
                                                    started_as: str) -> None:
    from app.cli import build_parser
    from app.core.programs import programs_for

    folder = frozen_bundle(tmp_path, platform)
    names = programs_for(platform)
    exe = folder / (names.gui if started_as == "gui" else names.cli)
    command = reminder.check_command(platform, executable=str(exe), frozen=True)
    assert command == [str(folder / names.cli), "check", "--notify"]
    parsed = build_parser().parse_args(command[1:])
    assert (parsed.command, parsed.notify) == ("check", True)
    if platform == "darwin":
        assert plistlib.loads(reminder.launchd_plist(command))["ProgramArguments"] == command
    else:
        assert f'ExecStart="{command[0]}" check --notify' in reminder.systemd_units(
            command)[reminder.SERVICE_NAME]


def test_a_frozen_build_missing_the_program_cannot_schedule_it(tmp_path: Path) -> None:
    folder = frozen_bundle(tmp_path, "win32")
    (folder / "GridCert.exe").unlink()
    with pytest.raises(TargetError, match=r"GridCert\.exe is missing"):
        reminder.check_command("win32", executable=str(folder / "gridcert.com"), frozen=True)


def test_removal_needs_neither_the_program_nor_the_files(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`gridcert check --reminder off` (or the uninstaller) after the program it scheduled
    is gone: everything is found by its name."""
    monkeypatch.setattr(os, "getuid", lambda: 501, raising=False)
    folder = frozen_bundle(tmp_path, "linux")
    command = reminder.check_command("linux", executable=str(folder / "gridcert"), frozen=True)
    assert reminder.reminder_on("linux", command).enabled
    for program in folder.iterdir():
        program.unlink()  # uninstalled
    assert len(reminder.reminder_off("linux").files) == 3
    assert not any(_units_dir().rglob("gridcert-check*"))

    # macOS: the agent is booted out by its label, even when the plist went first.
    run = Recorder()
    off = reminder.reminder_off("macos", run=run)
    assert run.calls == [["launchctl", "bootout", f"gui/501/{reminder.LAUNCHD_LABEL}"]]
    assert off.detail == "The daily reminder was not on."

    # Windows: the task is deleted by name; a task that is not there is not an error.
    run = Recorder({"/Delete": 1, "/Query": 1})
    off = reminder.reminder_off("windows", run=run)
    assert run.calls[0] == reminder.schtasks_delete_args()
    assert off.detail == "The daily reminder was not on."
    off = reminder.reminder_off("windows", run=Recorder({"/Delete": 1}))
    assert off.detail == "Could not delete the scheduled task: boom."


def test_task_name_is_stable() -> None:
    # The Windows uninstaller deletes the task by this name (installer/windows/).
    assert reminder.TASK_NAME == "GridCert\\Daily certificate check"
