"""The daily reminder: `gridcert check --notify` run once a day by the OS scheduler.

* Linux: a systemd user timer (`gridcert-check.service` + `.timer` under
  `$XDG_CONFIG_HOME/systemd/user`). When `systemctl --user` can reach a user manager it is
  asked to reload and `enable --now` the timer; otherwise the timer is enabled the way
  `systemctl enable` does it (a link in `timers.target.wants/`), so it starts at the next
  login, and the person is told what was missing.
* Windows: a scheduled task registered from a Task Scheduler XML definition
  (`schtasks /Create /XML FILE /TN NAME /F`): `/SC DAILY` alone would leave Windows'
  defaults, under which a laptop on battery, asleep or off at the hour gets no check
  that day (see `task_xml`).
* macOS: a launchd agent (`~/Library/LaunchAgents/<label>.plist`) loaded with `launchctl`.

The command lines and files are built by pure functions (tested as data on every OS).
`GRIDCERT_SYSTEMCTL` names the systemctl to use; empty means "do not run it" (tests).
"""

from __future__ import annotations

import codecs
import contextlib
import datetime
import ntpath
import os
import plistlib
import shlex
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import TargetError
from app.core.programs import programs_for
from app.stores._tools import console_encoding, no_window_flags

SERVICE_NAME = "gridcert-check.service"
TIMER_NAME = "gridcert-check.timer"
#: The scheduled task, at the root of Task Scheduler's library: whether a standard user
#: may create a folder there (as `GridCert\...` would) is not confirmed, a task at the root
#: certainly. The Windows uninstaller deletes it by this name (installer/windows/).
TASK_NAME = "GridCert daily certificate check"
#: Names earlier versions gave the task: `reminder_on`, `reminder_off` and the status find
#: and delete a task left under them.
OLD_TASK_NAMES: tuple[str, ...] = ("GridCert\\Daily certificate check",)
LAUNCHD_LABEL = "org.gridcert.check"
DEFAULT_HOUR = 9

Runner = Callable[[Sequence[str]], subprocess.CompletedProcess[str]]


@dataclass
class ReminderStatus:
    enabled: bool
    platform: str
    files: list[str] = field(default_factory=list)
    detail: str = ""
    commands_run: list[str] = field(default_factory=list)
    #: The technical text behind `detail` (for a "Details" link or --verbose), if any.
    technical: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "platform": self.platform,
            "files": list(self.files),
            "detail": self.detail,
            "commands_run": list(self.commands_run),
            "technical": self.technical,
        }


#: How the wizard's own executable runs the check without opening a window (app/gui/main.py).
WINDOWLESS_CHECK = "--check-notify"
#: The longest Command and WorkingDirectory a task's Exec action takes: both are of the
#: schema's pathType, "nonEmptyString" with maxLength 260 (Microsoft Learn, "Task
#: Scheduler Schema" > "pathType Simple Type" and "execType Complex Type"). Arguments is a
#: plain string without a maximum in the schema.
MAX_TASK_PATH = 260

#: sys.platform names (what app.core.programs takes) for the names used here.
_SYS_PLATFORM = {"windows": "win32", "macos": "darwin", "linux": "linux"}


def check_command(platform: str | None = None, *, executable: str | None = None,
                  frozen: bool | None = None) -> list[str]:
    """How the scheduler starts the daily check on this installation.

    A frozen build names a program of its own bundle (app.core.programs), whichever of the
    two is running: on Windows the windowed wizard with `--check-notify` (the console
    program would flash a console window every morning, and the wizard with `check`
    would open itself to read a file called "check"); on macOS and Linux the command line
    `check --notify` (no window opens for a console program there). `platform`
    (windows/macos/linux or a sys.platform value), `executable` and `frozen` default to
    this process. Raises TargetError when the program is not in the bundle.
    """
    system = _platform(platform)
    program = executable or sys.executable
    if not (getattr(sys, "frozen", False) if frozen is None else frozen):
        if system == "windows":
            # What the frozen build's GridCert.exe does, from source: the wizard's
            # windowless check (it copes with pythonw's missing stdout/stderr), under
            # pythonw.exe when it is there, so no console window flashes every morning.
            return [_windowless_python(program), "-m", "app.gui.main", WINDOWLESS_CHECK]
        return [program, "-m", "app", "check", "--notify"]
    names = programs_for(_SYS_PLATFORM[system])
    folder = Path(program).parent
    command = ([str(folder / names.gui), WINDOWLESS_CHECK] if system == "windows"
               else [str(folder / names.cli), "check", "--notify"])
    if not Path(command[0]).is_file():
        raise TargetError(f"The daily reminder cannot be set: GridCert's program {command[0]} "
                          "is missing; reinstall GridCert.")
    return command


def _windowless_python(program: str) -> str:
    """pythonw.exe beside `program` (python.exe) when it exists, else `program` itself."""
    folder, name = os.path.split(program)
    if name.lower() == "python.exe":
        windowless = os.path.join(folder, "pythonw.exe")
        if os.path.isfile(windowless):
            return windowless
    return program


def working_directory(*, frozen: bool | None = None) -> str | None:
    """Run from source, `python -m app` needs the checkout as its working directory."""
    if getattr(sys, "frozen", False) if frozen is None else frozen:
        return None
    return str(Path(__file__).resolve().parents[2])


def _platform(platform: str | None) -> str:
    """windows, macos or linux: `platform` (either spelling), else this OS."""
    name = platform or sys.platform
    if name in ("windows", "macos", "linux"):
        return name
    if name.startswith("win"):
        return "windows"
    if name == "darwin":
        return "macos"
    return "linux"


# --- Linux: systemd user timer ------------------------------------------------------------


def systemd_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def _systemd_quote(arg: str) -> str:
    # systemd's own quoting: double quotes with backslash escapes; % must be doubled.
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    return f'"{escaped}"' if any(c in arg for c in ' \t"\\\'') else escaped


def systemd_units(command: Sequence[str], hour: int = DEFAULT_HOUR,
                  workdir: str | None = None) -> dict[str, str]:
    """The unit files, by name."""
    exec_start = " ".join(_systemd_quote(a) for a in command)
    # WorkingDirectory takes a plain path (no quotes); only % needs escaping.
    workdir_line = f"WorkingDirectory={workdir.replace('%', '%%')}\n" if workdir else ""
    service = (
        "[Unit]\n"
        "Description=GridCert: check certificate expiry and notify\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={exec_start}\n"
        f"{workdir_line}"
        # Exit 10/11 mean "something is due", not a failure of the unit.
        "SuccessExitStatus=10 11\n"
    )
    timer = (
        "[Unit]\n"
        "Description=GridCert: daily certificate expiry check\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {hour:02d}:00:00\n"
        "Persistent=true\n"
        "RandomizedDelaySec=10min\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {SERVICE_NAME: service, TIMER_NAME: timer}


def _systemctl() -> str | None:
    configured = os.environ.get("GRIDCERT_SYSTEMCTL")
    if configured is not None:
        return configured or None
    from shutil import which

    return which("systemctl")


def _text(output: str | bytes | None) -> str:
    """A tool's output as text; bytes that do not decode become U+FFFD, never an error."""
    if output is None:
        return ""
    if isinstance(output, bytes):
        return output.decode(console_encoding(), errors="replace")
    return output


def _default_runner(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    # Bytes, decoded here: `text=True` would decode with the ANSI code page, strictly, and
    # a localised message in another one raised UnicodeDecodeError.
    done = subprocess.run(list(args), capture_output=True, timeout=30, check=False,
                          creationflags=no_window_flags())
    return subprocess.CompletedProcess(done.args, done.returncode, _text(done.stdout),
                                       _text(done.stderr))


def _user_manager(systemctl: str, run: Runner) -> bool:
    try:
        return run([systemctl, "--user", "show-environment"]).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _linux_on(command: Sequence[str], hour: int, run: Runner) -> ReminderStatus:
    folder = systemd_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in systemd_units(command, hour, working_directory()).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(str(path))
    status = ReminderStatus(True, "linux", written)
    systemctl = _systemctl()
    if systemctl and _user_manager(systemctl, run):
        for args in ([systemctl, "--user", "daemon-reload"],
                     [systemctl, "--user", "enable", "--now", TIMER_NAME]):
            done = run(args)
            status.commands_run.append(shlex.join(args))
            if done.returncode != 0:
                said = (done.stderr or done.stdout).strip().splitlines()
                status.detail = (f"The timer files are written, but '{shlex.join(args[1:])}' "
                                 f"failed: {said[-1] if said else done.returncode}.")
                return status
        status.detail = f"The daily check runs at {hour:02d}:00 (systemd user timer)."
        return status
    # No reachable user manager (no user session bus, or no systemd): enable it the way
    # `systemctl enable` would, so it starts at the next login.
    wants = folder / "timers.target.wants"
    wants.mkdir(exist_ok=True)
    link = wants / TIMER_NAME
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    link.symlink_to(Path("..") / TIMER_NAME)
    status.files.append(str(link))
    if not systemctl:
        why = "this computer has no service manager (systemctl is not installed)"
        status.technical = "systemctl is not installed"
    else:
        why = "this session does not run background services for you"
        status.technical = "systemctl --user cannot reach a user session (no user D-Bus)"
    status.detail = (f"The daily check is set up and starts at your next login; it could not "
                     f"start now because {why}.")
    return status


def _linux_off(run: Runner) -> ReminderStatus:
    folder = systemd_dir()
    systemctl = _systemctl()
    status = ReminderStatus(False, "linux")
    if systemctl and _user_manager(systemctl, run):
        args = [systemctl, "--user", "disable", "--now", TIMER_NAME]
        run(args)
        status.commands_run.append(shlex.join(args))
    removed = []
    for path in (folder / "timers.target.wants" / TIMER_NAME, folder / TIMER_NAME,
                 folder / SERVICE_NAME):
        if path.is_symlink() or path.exists():
            path.unlink()
            removed.append(str(path))
    if systemctl and _user_manager(systemctl, run):
        args = [systemctl, "--user", "daemon-reload"]
        run(args)
        status.commands_run.append(shlex.join(args))
    status.files = removed
    status.detail = "The daily reminder is off." if removed else "The daily reminder was not on."
    return status


def _linux_status() -> ReminderStatus:
    folder = systemd_dir()
    timer = folder / TIMER_NAME
    link = folder / "timers.target.wants" / TIMER_NAME
    files = [str(p) for p in (folder / SERVICE_NAME, timer, link) if p.exists()]
    enabled = timer.exists() and (folder / SERVICE_NAME).exists()
    detail = "The daily reminder is on (systemd user timer)." if enabled else (
        "The daily reminder is off.")
    return ReminderStatus(enabled, "linux", files, detail)


# --- Windows: schtasks -----------------------------------------------------------------------


#: The Task Scheduler schema's namespace, and the schema version asked for (1.2: Windows
#: Vista and later, every element used here exists in it).
TASK_NAMESPACE = "http://schemas.microsoft.com/windows/2004/02/mit/task"
TASK_SCHEMA_VERSION = "1.2"
#: How long one check may run before Task Scheduler stops it.
EXECUTION_TIME_LIMIT = "PT10M"


def task_xml(command: Sequence[str], hour: int = DEFAULT_HOUR, workdir: str | None = None,
             *, start: datetime.date | None = None) -> str:
    """The Task Scheduler definition of the daily check (a `Task` document of the schema at
    learn.microsoft.com/windows/win32/taskschd/task-scheduler-schema; MS-TSCH section 2.5,
    "XML Task Definition Format"; every part of it is an `xs:all`: order does not matter).

    * CalendarTrigger, every day at `hour` local time (no time zone in StartBoundary:
      "the local time of the computer"), from `start` (today).
    * Settings ("Settings (taskType)", settingsType; MS-TSCH 2.5.4 "Settings Schema Part"):
      the defaults of a `schtasks /SC DAILY` task are DisallowStartIfOnBatteries=true,
      StopIfGoingOnBatteries=true and StartWhenAvailable=false, so a laptop on battery,
      asleep or off at the hour would get no check that day; here it runs on battery and,
      when the hour was missed, as soon as it can (the Linux timer's Persistent=true).
      ExecutionTimeLimit stops a check that hangs; MultipleInstancesPolicy IgnoreNew never
      starts a second one beside it.
    * Principal: LogonType InteractiveToken, no UserId: the task runs as the person who
      registers it, in their session, only while they are logged on; no password is asked
      or stored, and no administrator rights are needed.
    * Exec ("Exec (actionGroup)", execType): Command is the program, Arguments the rest
      quoted by the rules the program parses them back with (`subprocess.list2cmdline`),
      WorkingDirectory where it starts (not System32). Command and WorkingDirectory hold at
      most MAX_TASK_PATH characters (pathType): beyond it a TargetError sentence.
    """
    program, *arguments = command
    folder = workdir or ntpath.dirname(program)
    for what, value in (("program", program), ("folder", folder)):
        if len(value) > MAX_TASK_PATH:
            raise TargetError(
                f"The daily reminder cannot be set: Windows' Task Scheduler takes a {what} "
                f"path of at most {MAX_TASK_PATH} characters, and GridCert's is {len(value)} "
                f"({value}); install GridCert in a folder with a shorter path.")
    day = start or datetime.date.today()
    ET.register_namespace("", TASK_NAMESPACE)

    def sub(parent: ET.Element, tag: str, text: str | None = None,
            **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{TASK_NAMESPACE}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    task = ET.Element(f"{{{TASK_NAMESPACE}}}Task", {"version": TASK_SCHEMA_VERSION})
    info = sub(task, "RegistrationInfo")
    sub(info, "Author", "GridCert")
    sub(info, "Description", "GridCert: checks once a day whether a certificate expires "
        "soon, and tells you (gridcert check --notify).")
    trigger = sub(sub(task, "Triggers"), "CalendarTrigger")
    sub(trigger, "StartBoundary", f"{day.isoformat()}T{hour:02d}:00:00")
    sub(trigger, "Enabled", "true")
    sub(sub(trigger, "ScheduleByDay"), "DaysInterval", "1")
    principal = sub(sub(task, "Principals"), "Principal", id="Author")
    sub(principal, "LogonType", "InteractiveToken")
    sub(principal, "RunLevel", "LeastPrivilege")
    settings = sub(task, "Settings")
    for tag, value in (("MultipleInstancesPolicy", "IgnoreNew"),
                       ("DisallowStartIfOnBatteries", "false"),
                       ("StopIfGoingOnBatteries", "false"),
                       ("AllowHardTerminate", "true"),
                       ("StartWhenAvailable", "true"),
                       ("RunOnlyIfNetworkAvailable", "false"),
                       ("AllowStartOnDemand", "true"),
                       ("Enabled", "true"),
                       ("Hidden", "false"),
                       ("RunOnlyIfIdle", "false"),
                       ("WakeToRun", "false"),
                       ("ExecutionTimeLimit", EXECUTION_TIME_LIMIT)):
        sub(settings, tag, value)
    execute = sub(sub(task, "Actions", Context="Author"), "Exec")
    sub(execute, "Command", program)
    if arguments:
        sub(execute, "Arguments", subprocess.list2cmdline(arguments))
    sub(execute, "WorkingDirectory", folder)
    ET.indent(task)
    return ('<?xml version="1.0" encoding="UTF-16"?>\n'
            + ET.tostring(task, encoding="unicode") + "\n")


def task_xml_bytes(text: str) -> bytes:
    """The definition as the file `schtasks /Create /XML` reads: UTF-16 little-endian with
    its byte-order mark (as `schtasks /Query /XML` and Task Scheduler's Export write it),
    CRLF line ends."""
    return codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le")


def schtasks_create_args(xml_file: str | os.PathLike[str], name: str = TASK_NAME) -> list[str]:
    """`schtasks /Create` of the task from its XML definition (the user's own task: no
    elevation needed); /F replaces one of the same name."""
    return ["schtasks", "/Create", "/XML", str(xml_file), "/TN", name, "/F"]


def schtasks_delete_args(name: str = TASK_NAME) -> list[str]:
    return ["schtasks", "/Delete", "/F", "/TN", name]


def schtasks_query_args(name: str = TASK_NAME) -> list[str]:
    return ["schtasks", "/Query", "/TN", name]


def _task_exists(run: Runner, name: str = TASK_NAME) -> bool:
    try:
        return run(schtasks_query_args(name)).returncode == 0
    except (OSError, subprocess.SubprocessError, UnicodeError):
        return False


def _windows_on(command: Sequence[str], hour: int, run: Runner) -> ReminderStatus:
    text = task_xml(command, hour, working_directory())
    # A private folder (mkdtemp: only this user may read it), deleted with the file.
    with tempfile.TemporaryDirectory(prefix="gridcert-task-") as folder:
        definition = Path(folder) / "daily-check.xml"
        fd = os.open(definition, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                     | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(task_xml_bytes(text))
        args = schtasks_create_args(definition)
        error = _run_checked(args, run, "create the scheduled task")
    status = ReminderStatus(error is None, "windows", [], error or
                            f"The daily check runs at {hour:02d}:00 (Task Scheduler).",
                            [subprocess.list2cmdline(args)])
    if error is None:
        # The task an earlier version made would check a second time every day.
        for name in _old_tasks(run):
            delete = schtasks_delete_args(name)
            status.commands_run.append(subprocess.list2cmdline(delete))
            if _run_checked(delete, run, "delete the scheduled task") is None:
                status.detail += f" The task under its old name “{name}” was replaced."
    return status


def _old_tasks(run: Runner) -> list[str]:
    """The names in OLD_TASK_NAMES that a task of this user still has."""
    return [name for name in OLD_TASK_NAMES if _task_exists(run, name)]


def _windows_off(run: Runner) -> ReminderStatus:
    # By name only: removal works whatever program the task names, present or not.
    removed: list[str] = []
    errors: list[str] = []
    commands: list[str] = []
    for name in (TASK_NAME, *OLD_TASK_NAMES):
        args = schtasks_delete_args(name)
        commands.append(subprocess.list2cmdline(args))
        error = _run_checked(args, run, "delete the scheduled task")
        if error is None:
            removed.append(name)
        elif _task_exists(run, name):
            errors.append(error)
    if errors:
        detail = errors[0]
    elif removed:
        detail = "The daily reminder is off."
        old = [name for name in removed if name in OLD_TASK_NAMES]
        if old:
            detail += (" The task GridCert had made under its old name "
                       f"“{old[0]}” was deleted too.")
    else:
        detail = "The daily reminder was not on."
    return ReminderStatus(False, "windows", [], detail, commands)


def _windows_status(run: Runner) -> ReminderStatus:
    if _task_exists(run):
        return ReminderStatus(True, "windows", [], "The daily reminder is on (Task Scheduler).")
    old = _old_tasks(run)
    if old:
        return ReminderStatus(True, "windows", [], (
            f"The daily reminder is on (Task Scheduler, under its old name “{old[0]}”; "
            "turning it on again renames it)."))
    return ReminderStatus(False, "windows", [], "The daily reminder is off.")


# --- macOS: launchd agent --------------------------------------------------------------------


def launchd_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"


def launchd_plist(command: Sequence[str], hour: int = DEFAULT_HOUR,
                  workdir: str | None = None) -> bytes:
    agent: dict[str, Any] = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": list(command),
        "StartCalendarInterval": {"Hour": hour, "Minute": 0},
        "RunAtLoad": False,
        "ProcessType": "Background",
    }
    if workdir:
        agent["WorkingDirectory"] = workdir  # run from source: `-m app` needs the checkout
    return plistlib.dumps(agent)


def _uid() -> int:
    """This user's id, for launchctl's `gui/UID` domain (launchd exists only on macOS)."""
    # A sys.platform test mypy understands: os.getuid does not exist on Windows.
    if sys.platform == "win32":
        raise TargetError("The launchd agent of the daily reminder exists only on macOS.")
    return os.getuid()


def launchctl_load_args(uid: int | None = None) -> list[str]:
    return ["launchctl", "bootstrap", f"gui/{uid if uid is not None else _uid()}",
            str(launchd_path())]


def launchctl_unload_args(uid: int | None = None) -> list[str]:
    # The service target (gui/UID/LABEL), not the plist: booting out must work when the
    # plist, or the program it names, is gone already (an uninstalled GridCert).
    return ["launchctl", "bootout", f"gui/{uid if uid is not None else _uid()}/{LAUNCHD_LABEL}"]


# --- the three verbs -----------------------------------------------------------------------


def _run_checked(args: Sequence[str], run: Runner, what: str) -> str | None:
    try:
        done = run(args)
    except (OSError, subprocess.SubprocessError, UnicodeError) as error:
        return f"Could not {what}: {error}."
    if done.returncode != 0:
        said = (_text(done.stderr) or _text(done.stdout)).strip().splitlines()
        return f"Could not {what}: {said[-1] if said else f'exit status {done.returncode}'}."
    return None


def reminder_on(platform: str | None = None, command: Sequence[str] | None = None,
                hour: int = DEFAULT_HOUR, run: Runner | None = None) -> ReminderStatus:
    """Turn the daily reminder on (idempotent)."""
    system = _platform(platform)
    cmd = list(command) if command is not None else check_command(system)
    runner = run or _default_runner
    if system == "linux":
        return _linux_on(cmd, hour, runner)
    if system == "windows":
        return _windows_on(cmd, hour, runner)
    path = launchd_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(launchd_plist(cmd, hour, working_directory()))
    runner(launchctl_unload_args())  # reload if it was loaded already; failure is fine
    error = _run_checked(launchctl_load_args(), runner, "load the launchd agent")
    return ReminderStatus(True, system, [str(path)], error or
                          f"The daily check runs at {hour:02d}:00 (launchd agent).",
                          [shlex.join(launchctl_load_args())])


def reminder_off(platform: str | None = None, run: Runner | None = None) -> ReminderStatus:
    """Turn the daily reminder off and remove what `reminder_on` made."""
    system = _platform(platform)
    runner = run or _default_runner
    if system == "linux":
        return _linux_off(runner)
    if system == "windows":
        return _windows_off(runner)
    path = launchd_path()
    runner(launchctl_unload_args())
    existed = path.exists()
    path.unlink(missing_ok=True)
    return ReminderStatus(False, system, [str(path)] if existed else [],
                          "The daily reminder is off." if existed
                          else "The daily reminder was not on.",
                          [shlex.join(launchctl_unload_args())])


def reminder_status(platform: str | None = None, run: Runner | None = None) -> ReminderStatus:
    """Whether the daily reminder is on."""
    system = _platform(platform)
    if system == "linux":
        return _linux_status()
    if system == "windows":
        return _windows_status(run or _default_runner)
    path = launchd_path()
    on = path.exists()
    return ReminderStatus(on, system, [str(path)] if on else [],
                          "The daily reminder is on (launchd agent)." if on
                          else "The daily reminder is off.")
