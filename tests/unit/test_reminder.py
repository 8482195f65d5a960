"""The daily reminder: systemd user units written and removed (checked by systemd-analyze),
and the Windows/macOS command lines and plist as data."""

from __future__ import annotations

import os
import plistlib
import re
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
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
    assert status.detail == (
        "The daily check is set up and starts at your next login; it could not start now "
        "because this computer has no service manager (systemctl is not installed).")
    assert status.technical == "systemctl is not installed"
    assert status.to_json()["technical"] == "systemctl is not installed"
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
    """Stands in for subprocess.run: records the command lines, answers with `codes`
    (the first key found in the command line; 0 otherwise), and keeps the bytes of the
    file `schtasks /Create /XML FILE` is given, with that file's and its folder's modes."""

    def __init__(self, codes: dict[str, int] | None = None) -> None:
        self.calls: list[list[str]] = []
        self.codes = codes or {}
        self.definitions: list[bytes] = []
        self.modes: list[tuple[int, int]] = []

    def __call__(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        self.calls.append(list(args))
        if "/XML" in args:
            file = Path(args[args.index("/XML") + 1])
            self.definitions.append(file.read_bytes())
            self.modes.append((stat.S_IMODE(file.stat().st_mode),
                               stat.S_IMODE(file.parent.stat().st_mode)))
        code = next((c for key, c in self.codes.items() if key in " ".join(args)), 0)
        return subprocess.CompletedProcess(list(args), code, "", "boom" if code else "")

    def task(self) -> ET.Element:
        """The last task definition given to schtasks, parsed."""
        assert self.definitions, "schtasks /Create /XML was not run"
        return ET.fromstring(self.definitions[-1].decode("utf-16"))


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


NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


def text(task: ET.Element, path: str) -> str | None:
    element = task.find(path, NS)
    return None if element is None else element.text


def test_windows_task_is_created_from_xml_and_queried_by_name() -> None:
    run = Recorder()
    status = reminder.reminder_on("windows", COMMAND, hour=8, run=run)
    assert status.enabled and status.detail.startswith("The daily check runs at 08:00")
    create = run.calls[0]
    assert create[:3] == ["schtasks", "/Create", "/XML"]
    assert create[4:] == ["/TN", reminder.TASK_NAME, "/F"]
    assert "/TR" not in create and "/SC" not in create
    task = run.task()
    assert text(task, "t:Actions/t:Exec/t:Command") == "/opt/Grid Cert/gridcert"
    assert text(task, "t:Actions/t:Exec/t:Arguments") == "check --notify"
    assert reminder.schtasks_delete_args() == ["schtasks", "/Delete", "/F", "/TN",
                                               reminder.TASK_NAME]
    failed = reminder.reminder_on("windows", COMMAND, run=Recorder({"schtasks": 1}))
    assert not failed.enabled and failed.detail == "Could not create the scheduled task: boom."
    assert reminder.reminder_status("windows", run=Recorder()).enabled
    assert not reminder.reminder_status("windows", run=Recorder({"Query": 1})).enabled


def test_windows_task_runs_on_battery_and_catches_up_a_missed_hour() -> None:
    """`schtasks /SC DAILY` leaves DisallowStartIfOnBatteries and StopIfGoingOnBatteries
    true and StartWhenAvailable false: a laptop on battery, asleep or off at the hour got
    no check that day. The XML definition says otherwise, and everything else it needs."""
    run = Recorder()
    workdir = reminder.working_directory()
    reminder.reminder_on("windows", COMMAND, hour=7, run=run)
    task = run.task()
    assert task.tag == f"{{{NS['t']}}}Task" and task.get("version") == "1.2"
    trigger = task.find("t:Triggers/t:CalendarTrigger", NS)
    assert trigger is not None and len(task.findall("t:Triggers/*", NS)) == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT07:00:00", text(trigger, "t:StartBoundary") or "")
    assert text(trigger, "t:ScheduleByDay/t:DaysInterval") == "1"
    assert text(trigger, "t:Enabled") == "true"
    found = task.find("t:Settings", NS)
    assert found is not None
    settings = {child.tag.split("}")[1]: child.text for child in found}
    assert settings["DisallowStartIfOnBatteries"] == "false"
    assert settings["StopIfGoingOnBatteries"] == "false"
    assert settings["StartWhenAvailable"] == "true"
    assert settings["ExecutionTimeLimit"] == "PT10M"
    assert settings["MultipleInstancesPolicy"] == "IgnoreNew"
    assert settings["Enabled"] == "true"
    principals = task.findall("t:Principals/t:Principal", NS)
    assert len(principals) == 1
    [principal] = principals
    assert text(principal, "t:LogonType") == "InteractiveToken"
    assert text(principal, "t:RunLevel") == "LeastPrivilege"
    assert principal.find("t:UserId", NS) is None  # the person who registers it
    assert principal.find("t:GroupId", NS) is None
    assert task.find("t:Triggers/t:LogonTrigger", NS) is None
    actions = task.find("t:Actions", NS)
    assert actions is not None and actions.get("Context") == principal.get("id")
    assert text(task, "t:Actions/t:Exec/t:Command") == COMMAND[0]
    assert text(task, "t:Actions/t:Exec/t:Arguments") == "check --notify"
    assert text(task, "t:Actions/t:Exec/t:WorkingDirectory") == workdir


#: The schema's content models, as Microsoft Learn's "Task Scheduler Schema" gives them
#: (taskType, triggersType, calendarTriggerType, principalType, settingsType, actionsType,
#: execType; each an xs:all of optional elements but the ones in REQUIRED, each at most once).
CHILDREN = {
    "Task": {"RegistrationInfo", "Triggers", "Settings", "Data", "Principals", "Actions"},
    "RegistrationInfo": {"URI", "SecurityDescriptor", "Source", "Date", "Author", "Version",
                         "Description", "Documentation"},
    "Triggers": {"BootTrigger", "RegistrationTrigger", "IdleTrigger", "TimeTrigger",
                 "EventTrigger", "LogonTrigger", "SessionStateChangeTrigger",
                 "CalendarTrigger"},
    "CalendarTrigger": {"Enabled", "StartBoundary", "EndBoundary", "Repetition",
                        "ExecutionTimeLimit", "RandomDelay", "ScheduleByDay",
                        "ScheduleByWeek", "ScheduleByMonth", "ScheduleByMonthDayOfWeek"},
    "ScheduleByDay": {"DaysInterval"},
    "Principals": {"Principal"},
    "Principal": {"UserId", "LogonType", "GroupId", "DisplayName", "RunLevel",
                  "ProcessTokenSidType", "RequiredPrivileges"},
    "Settings": {"AllowStartOnDemand", "RestartOnFailure", "MultipleInstancesPolicy",
                 "DisallowStartIfOnBatteries", "StopIfGoingOnBatteries",
                 "AllowHardTerminate", "StartWhenAvailable", "NetworkProfileName",
                 "RunOnlyIfNetworkAvailable", "WakeToRun", "Enabled", "Hidden",
                 "DeleteExpiredTaskAfter", "IdleSettings", "NetworkSettings",
                 "ExecutionTimeLimit", "Priority", "RunOnlyIfIdle", "UseUnifiedSchedulingEngine",
                 "DisallowStartOnRemoteAppSession", "Volatile", "MaintenanceSettings"},
    "Actions": {"Exec", "ComHandler", "SendEmail", "ShowMessage"},
    "Exec": {"Command", "Arguments", "WorkingDirectory"},
}
REQUIRED = {"Task": {"Actions"}, "CalendarTrigger": {"StartBoundary"}, "Exec": {"Command"}}
BOOLEANS = {"Enabled", "AllowStartOnDemand", "DisallowStartIfOnBatteries",
            "StopIfGoingOnBatteries", "AllowHardTerminate", "StartWhenAvailable",
            "RunOnlyIfNetworkAvailable", "WakeToRun", "Hidden", "RunOnlyIfIdle"}
ENUMS = {"LogonType": {"S4U", "Password", "InteractiveToken", "InteractiveTokenOrPassword"},
         "RunLevel": {"LeastPrivilege", "HighestAvailable"},
         "MultipleInstancesPolicy": {"Parallel", "Queue", "IgnoreNew", "StopExisting"}}
DURATION = re.compile(r"P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?")
PATHS = {"Command", "WorkingDirectory"}  # pathType: 1 to 260 characters


def check_structure(element: ET.Element) -> None:
    namespace, _, name = element.tag[1:].partition("}")
    assert namespace == NS["t"], element.tag
    children = [child.tag.split("}")[1] for child in element]
    if name in CHILDREN:
        assert set(children) <= CHILDREN[name], (name, children)
        assert REQUIRED.get(name, set()) <= set(children), (name, children)
        if name not in ("Principals", "Actions"):  # xs:all: each child at most once
            assert len(children) == len(set(children)), (name, children)
    elif name in BOOLEANS:
        assert element.text in ("true", "false"), (name, element.text)
    elif name in ENUMS:
        assert element.text in ENUMS[name], (name, element.text)
    elif name == "ExecutionTimeLimit":
        assert DURATION.fullmatch(element.text or ""), element.text
    elif name in PATHS:
        assert element.text and len(element.text) <= 260, element.text
    elif name == "DaysInterval":
        assert int(element.text or "0") >= 1
    for child in element:
        check_structure(child)


GOLDEN = """<?xml version="1.0" encoding="UTF-16"?>
<Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task" version="1.2">
  <RegistrationInfo>
    <Author>GridCert</Author>
    <Description>GridCert: checks once a day whether a certificate expires soon, and \
tells you (gridcert check --notify).</Description>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2026-01-02T09:00:00</StartBoundary>
      <Enabled>true</Enabled>
      <ScheduleByDay>
        <DaysInterval>1</DaysInterval>
      </ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <AllowHardTerminate>true</AllowHardTerminate>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <Enabled>true</Enabled>
    <Hidden>false</Hidden>
    <RunOnlyIfIdle>false</RunOnlyIfIdle>
    <WakeToRun>false</WakeToRun>
    <ExecutionTimeLimit>PT10M</ExecutionTimeLimit>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>C:\\Users\\Jane Doe\\AppData\\Local\\Programs\\GridCert\\GridCert.exe</Command>
      <Arguments>--check-notify</Arguments>
      <WorkingDirectory>C:\\Users\\Jane Doe\\AppData\\Local\\Programs\\GridCert</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
"""


def test_task_xml_golden_and_structurally_valid() -> None:
    import datetime

    exe = "C:\\Users\\Jane Doe\\AppData\\Local\\Programs\\GridCert\\GridCert.exe"
    text = reminder.task_xml([exe, reminder.WINDOWLESS_CHECK], 9,
                             start=datetime.date(2026, 1, 2))
    assert text == GOLDEN
    task = ET.fromstring(text.encode("utf-16"))  # the declaration's encoding, honoured
    assert task.get("version") in ("1.2", "1.3", "1.4")
    check_structure(task)
    # Characters XML must escape, in a path or an argument, come back as they were.
    odd = ["C:\\R&D <team>\\Grid\"Cert\\GridCert.exe", "--x=a&b", "two words"]
    parsed = ET.fromstring(reminder.task_xml(odd).encode("utf-16"))
    check_structure(parsed)
    assert parsed.findtext("t:Actions/t:Exec/t:Command", namespaces=NS) == odd[0]
    assert split_windows_command_line(
        "prog " + (parsed.findtext("t:Actions/t:Exec/t:Arguments", namespaces=NS) or ""))[1:] == (
        odd[1:])


def test_task_xml_file_is_utf16_with_bom_in_a_private_folder_then_deleted(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    run = Recorder()
    reminder.reminder_on("windows", COMMAND, run=run)
    [data] = run.definitions
    assert data.startswith(b"\xff\xfe")  # UTF-16 LE, with its byte-order mark
    decoded = data[2:].decode("utf-16-le")
    assert decoded.startswith('<?xml version="1.0" encoding="UTF-16"?>\r\n<Task ')
    assert "\n" not in decoded.replace("\r\n", "")
    file_mode, folder_mode = run.modes[0]
    assert folder_mode == 0o700 and not file_mode & 0o077
    assert list(tmp_path.iterdir()) == []  # file and folder deleted after schtasks ran


def test_windows_from_source_uses_pythonw_and_the_checkout(tmp_path: Path) -> None:
    """From source the task starts in the checkout (`-m app...` finds the package) rather
    than System32, and under pythonw.exe when it is there: no console window each day."""
    python = tmp_path / "venv" / "Scripts" / "python.exe"
    python.parent.mkdir(parents=True)
    python.write_bytes(b"")
    assert reminder.check_command("windows", executable=str(python), frozen=False) == [
        str(python), "-m", "app.gui.main", "--check-notify"]
    pythonw = python.with_name("pythonw.exe")
    pythonw.write_bytes(b"")
    command = reminder.check_command("windows", executable=str(python), frozen=False)
    assert command == [str(pythonw), "-m", "app.gui.main", "--check-notify"]
    from app.gui.main import parse_args

    assert parse_args(command[3:]).check_notify
    run = Recorder()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.executable", str(python))
        reminder.reminder_on("windows", run=run)
    task = run.task()
    assert text(task, "t:Actions/t:Exec/t:Command") == str(pythonw)
    assert text(task, "t:Actions/t:Exec/t:Arguments") == "-m app.gui.main --check-notify"
    workdir = text(task, "t:Actions/t:Exec/t:WorkingDirectory")
    assert workdir == reminder.working_directory()
    assert workdir is not None and (Path(workdir) / "app" / "gui" / "main.py").is_file()


UNDECODABLE = b"FEHLER: Zugriff verweigert \x81\x8d\x90\xff\xfe"


def test_undecodable_tool_output_is_a_sentence_not_a_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """schtasks writes localised messages in the OEM code page; read as another code page,
    strictly (`text=True`), they raised UnicodeDecodeError out of reminder_on/off."""
    def windows_run(args: Sequence[str], **kwargs: object) -> subprocess.CompletedProcess[object]:
        # subprocess.run as on Windows: text=True decodes with the ANSI code page, strictly.
        out: object = b""
        err: object = UNDECODABLE
        if kwargs.get("text") or kwargs.get("universal_newlines") or kwargs.get("encoding"):
            out, err = b"".decode("cp1252"), UNDECODABLE.decode("cp1252")
        return subprocess.CompletedProcess(list(args), 1, out, err)

    monkeypatch.setattr(reminder.subprocess, "run", windows_run)
    on = reminder.reminder_on("windows", COMMAND)
    assert not on.enabled and on.detail.startswith(
        "Could not create the scheduled task: FEHLER: Zugriff verweigert")
    off = reminder.reminder_off("windows")  # every schtasks fails: not there
    assert off.detail == "The daily reminder was not on."
    assert not reminder.reminder_status("windows").enabled


def test_the_default_runner_reads_undecodable_bytes_of_a_real_program() -> None:
    done = reminder._default_runner([sys.executable, "-c", (
        "import sys; sys.stdout.buffer.write(b'ok \\xff\\x81'); "
        "sys.stderr.buffer.write(b'bad \\xfe\\x8d'); sys.exit(3)")])
    assert done.returncode == 3
    assert done.stdout.startswith("ok ") and done.stderr.startswith("bad ")


def test_a_runner_answering_in_bytes_is_read_too() -> None:
    def run(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(list(args), 1, b"", UNDECODABLE)  # type: ignore[arg-type]

    status = reminder.reminder_on("windows", COMMAND, run=run)
    assert status.detail.startswith("Could not create the scheduled task: FEHLER")


def test_a_task_under_the_old_name_is_found_replaced_and_deleted() -> None:
    """Installations that turned the reminder on before have it as `GridCert\\Daily
    certificate check` (a folder of its own in Task Scheduler's library)."""
    [old] = reminder.OLD_TASK_NAMES
    assert old == "GridCert\\Daily certificate check" and "\\" not in reminder.TASK_NAME
    # Status: only the old one is there.
    status = reminder.reminder_status("windows", run=Recorder({reminder.TASK_NAME: 1}))
    assert status.enabled and old in status.detail
    assert not reminder.reminder_status("windows", run=Recorder({"/Query": 1})).enabled

    # On: the new task, and the old one goes (it would check a second time every day).
    run = Recorder()
    on = reminder.reminder_on("windows", COMMAND, run=run)
    assert run.calls[1:] == [reminder.schtasks_query_args(old),
                             reminder.schtasks_delete_args(old)]
    assert on.enabled and old in on.detail
    # ...but not when the new one could not be made.
    run = Recorder({"/Create": 1})
    reminder.reminder_on("windows", COMMAND, run=run)
    assert len(run.calls) == 1

    # Off: both names deleted; saying so when the old one was there.
    run = Recorder()
    off = reminder.reminder_off("windows", run=run)
    assert reminder.schtasks_delete_args(reminder.TASK_NAME) in run.calls
    assert reminder.schtasks_delete_args(old) in run.calls
    assert off.detail.startswith("The daily reminder is off.") and old in off.detail
    # Only the old one there (the new name's delete fails, its query says absent).
    only_old = Recorder({f"/Delete /F /TN {reminder.TASK_NAME}": 1,
                         f"/Query /TN {reminder.TASK_NAME}": 1})
    off = reminder.reminder_off("windows", run=only_old)
    assert off.detail.startswith("The daily reminder is off.") and old in off.detail
    # Only the new one there.
    only_new = Recorder({f"/TN {old}": 1})
    off = reminder.reminder_off("windows", run=only_new)
    assert off.detail == "The daily reminder is off."


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
    opening a file called "check"), in its own folder."""
    from app.gui.main import parse_args

    folder = frozen_bundle(tmp_path, "win32")
    run = Recorder()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.frozen", True, raising=False)
        patch.setattr("sys.executable", str(folder / started_as))
        status = reminder.reminder_on("windows", run=run)
    assert status.enabled
    create = run.calls[0]
    assert create[create.index("/TN") + 1] == reminder.TASK_NAME
    task = run.task()
    assert text(task, "t:Actions/t:Exec/t:Command") == str(folder / "GridCert.exe")
    arguments = text(task, "t:Actions/t:Exec/t:Arguments") or ""
    assert arguments == "--check-notify"
    assert text(task, "t:Actions/t:Exec/t:WorkingDirectory") == str(folder)
    # Task Scheduler starts Command with Arguments: the program's argv is the command's.
    argv = split_windows_command_line(subprocess.list2cmdline([str(folder / "GridCert.exe")])
                                      + " " + arguments)
    assert argv == [str(folder / "GridCert.exe"), "--check-notify"]
    parsed = parse_args(argv[1:])
    assert parsed.check_notify and parsed.files == []


def test_windows_program_or_folder_longer_than_the_schema_takes_is_a_sentence() -> None:
    """Command and WorkingDirectory are the schema's pathType: at most 260 characters (the
    /TR limit of 261 for the whole command line no longer applies)."""
    tail = "\\GridCert.exe"
    fits = "C:\\" + "x" * (reminder.MAX_TASK_PATH - len("C:\\") - len(tail)) + tail
    assert len(fits) == reminder.MAX_TASK_PATH == 260
    long_arguments = ["--check-notify"] + ["an argument"] * 30  # > 261 in all: fine now
    reminder.task_xml([fits, *long_arguments])
    with pytest.raises(TargetError, match="at most 260 characters") as raised:
        reminder.reminder_on("windows", ["C:\\x" + fits[3:], "--check-notify"],
                             run=Recorder())
    assert str(raised.value).endswith("shorter path.")
    with pytest.raises(TargetError, match="folder path of at most 260"):
        reminder.task_xml(["C:\\GridCert.exe"], workdir="C:\\" + "y" * 258)


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
    # The Windows uninstaller deletes the task by these names (installer/windows/), and a
    # task at the root of Task Scheduler's library needs no folder of its own.
    assert reminder.TASK_NAME == "GridCert daily certificate check"
    assert reminder.OLD_TASK_NAMES == ("GridCert\\Daily certificate check",)
