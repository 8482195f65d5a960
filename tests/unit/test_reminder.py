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
    off = reminder.reminder_off("macos", run=Recorder())
    assert not path.exists() and off.files == [str(path)]
    assert not reminder.reminder_status("macos").enabled


def test_check_command_from_source() -> None:
    assert reminder.check_command() == [sys.executable, "-m", "app", "check", "--notify"]
    workdir = reminder.working_directory()
    assert workdir is not None and (Path(workdir) / "app" / "__main__.py").is_file()
