"""The daily reminder: `gridcert check --notify` run once a day by the OS scheduler.

* Linux: a systemd user timer (`gridcert-check.service` + `.timer` under
  `$XDG_CONFIG_HOME/systemd/user`). When `systemctl --user` can reach a user manager it is
  asked to reload and `enable --now` the timer; otherwise the timer is enabled the way
  `systemctl enable` does it (a link in `timers.target.wants/`), so it starts at the next
  login, and the person is told what was missing.
* Windows: a scheduled task made with `schtasks /Create /SC DAILY`.
* macOS: a launchd agent (`~/Library/LaunchAgents/<label>.plist`) loaded with `launchctl`.

The command lines and files are built by pure functions (tested as data on every OS).
`GRIDCERT_SYSTEMCTL` names the systemctl to use; empty means "do not run it" (tests).
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import TargetError
from app.core.programs import programs_for
from app.stores._tools import no_window_flags

SERVICE_NAME = "gridcert-check.service"
TIMER_NAME = "gridcert-check.timer"
TASK_NAME = r"GridCert\Daily certificate check"
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

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "platform": self.platform,
            "files": list(self.files),
            "detail": self.detail,
            "commands_run": list(self.commands_run),
        }


#: How the wizard's own executable runs the check without opening a window (app/gui/main.py).
WINDOWLESS_CHECK = "--check-notify"
#: The longest /TR command line schtasks accepts. Microsoft's schtasks /create reference
#: (learn.microsoft.com/windows-server/administration/windows-commands/schtasks-create,
#: "/tr <taskrun>") gives 262 for the path; older references give 261: the lower is used.
MAX_TASK_RUN = 261

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
        return [program, "-m", "app", "check", "--notify"]
    names = programs_for(_SYS_PLATFORM[system])
    folder = Path(program).parent
    command = ([str(folder / names.gui), WINDOWLESS_CHECK] if system == "windows"
               else [str(folder / names.cli), "check", "--notify"])
    if not Path(command[0]).is_file():
        raise TargetError(f"The daily reminder cannot be set: GridCert's program {command[0]} "
                          "is missing; reinstall GridCert.")
    return command


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


def _default_runner(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=30, check=False,
                          creationflags=no_window_flags())


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
    missing = "systemctl is not installed" if not systemctl else (
        "systemctl --user cannot reach a user session (no user D-Bus)")
    status.detail = (f"The timer is enabled for your next login; it could not be started now "
                     f"because {missing}.")
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


def schtasks_task_run(command: Sequence[str]) -> str:
    """The /TR value: the whole command line as one string, the program's path in quotes
    when it has spaces (Task Scheduler takes a quoted first part as the program, the rest
    as its arguments), each argument quoted by the rules programs parse it back with
    (`subprocess.list2cmdline`, the MS C runtime's / CommandLineToArgvW's rules).

    Raises TargetError beyond MAX_TASK_RUN characters, which schtasks would refuse or cut."""
    task_run = subprocess.list2cmdline(list(command))
    if len(task_run) > MAX_TASK_RUN:
        raise TargetError(
            f"The daily reminder cannot be set: Windows' Task Scheduler takes a command of at "
            f"most {MAX_TASK_RUN} characters, and GridCert's is {len(task_run)} because of "
            f"the folder it is installed in ({command[0]}); install GridCert in a folder with "
            "a shorter path.")
    return task_run


def schtasks_create_args(command: Sequence[str], hour: int = DEFAULT_HOUR) -> list[str]:
    """`schtasks /Create` for a daily task in the user's context (no elevation needed)."""
    return ["schtasks", "/Create", "/F", "/SC", "DAILY", "/ST", f"{hour:02d}:00",
            "/TN", TASK_NAME, "/TR", schtasks_task_run(command)]


def schtasks_delete_args() -> list[str]:
    return ["schtasks", "/Delete", "/F", "/TN", TASK_NAME]


def schtasks_query_args() -> list[str]:
    return ["schtasks", "/Query", "/TN", TASK_NAME]


def _task_exists(run: Runner) -> bool:
    try:
        return run(schtasks_query_args()).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


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
    except (OSError, subprocess.SubprocessError) as error:
        return f"Could not {what}: {error}."
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
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
        args = schtasks_create_args(cmd, hour)
        error = _run_checked(args, runner, "create the scheduled task")
        return ReminderStatus(error is None, system, [], error or
                              f"The daily check runs at {hour:02d}:00 (Task Scheduler).",
                              [subprocess.list2cmdline(args)])
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
        # By name only: removal works whatever program the task names, present or not.
        args = schtasks_delete_args()
        error = _run_checked(args, runner, "delete the scheduled task")
        if error is not None and not _task_exists(runner):
            error = None
            detail = "The daily reminder was not on."
        else:
            detail = "The daily reminder is off."
        return ReminderStatus(False, system, [], error or detail,
                              [subprocess.list2cmdline(args)])
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
        on = _task_exists(run or _default_runner)
        return ReminderStatus(on, system, [], "The daily reminder is on (Task Scheduler)."
                              if on else "The daily reminder is off.")
    path = launchd_path()
    on = path.exists()
    return ReminderStatus(on, system, [str(path)] if on else [],
                          "The daily reminder is on (launchd agent)." if on
                          else "The daily reminder is off.")
