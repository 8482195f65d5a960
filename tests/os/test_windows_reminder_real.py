"""The daily reminder's scheduled task and the UAC hand-over's program on a real Windows
(skipped elsewhere).

What only a real Windows can prove (tests/unit/test_reminder.py checks the XML as data,
tests/unit/test_launched_programs.py the argv): that `schtasks /Create /XML` accepts the
UTF-16 definition GridCert writes, as a standard user, at the root of the library; that
the registered task keeps the program, its arguments, working folder and the battery and
catch-up settings (read back with `schtasks /Query /XML`), that Task Scheduler fills in the
registering user for a principal without UserId; that a task left under the old name is
found and deleted; and that the hand-over's program is an .exe, whose class has UAC's
"runas" verb, and (on an elevated runner, where "runas" needs no prompt) really starts.

Every task made here is deleted afterwards, under both names.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.actions import handover, reminder
from app.core.programs import programs_for

pytestmark = [
    pytest.mark.windows,
    pytest.mark.skipif(sys.platform != "win32",
                       reason="needs the real Windows Task Scheduler and UAC"),
]

NS = {"t": reminder.TASK_NAMESPACE}
ROOT = Path(__file__).resolve().parents[2]


def schtasks(*args: str) -> subprocess.CompletedProcess[str]:
    return reminder._default_runner(["schtasks", *args])


def query_xml(name: str) -> ET.Element:
    """The registered task, as Task Scheduler gives it back."""
    done = subprocess.run(["schtasks", "/Query", "/XML", "/TN", name], capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == 0, reminder._text(done.stderr)
    data = done.stdout
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        text = reminder._text(data)
    # The declaration may name an encoding the text no longer is in: parse the elements.
    return ET.fromstring(text[text.index("<Task"):])


@pytest.fixture
def clean_tasks() -> Iterator[None]:
    for name in (reminder.TASK_NAME, *reminder.OLD_TASK_NAMES):
        schtasks("/Delete", "/F", "/TN", name)
    yield
    for name in (reminder.TASK_NAME, *reminder.OLD_TASK_NAMES):
        schtasks("/Delete", "/F", "/TN", name)


def test_the_task_is_registered_as_defined_and_removed(clean_tasks: None) -> None:
    status = reminder.reminder_on(hour=9)
    assert status.enabled, status.detail
    assert reminder.reminder_status().enabled

    task = query_xml(reminder.TASK_NAME)
    command = reminder.check_command()
    execute = task.find("t:Actions/t:Exec", NS)
    assert execute is not None
    assert execute.findtext("t:Command", namespaces=NS) == command[0]
    assert execute.findtext("t:Arguments", namespaces=NS) == subprocess.list2cmdline(command[1:])
    assert execute.findtext("t:WorkingDirectory", namespaces=NS) == str(ROOT)
    assert Path(command[0]).name.lower() in ("pythonw.exe", "python.exe")
    settings = task.find("t:Settings", NS)
    assert settings is not None
    assert settings.findtext("t:DisallowStartIfOnBatteries", namespaces=NS) == "false"
    assert settings.findtext("t:StopIfGoingOnBatteries", namespaces=NS) == "false"
    assert settings.findtext("t:StartWhenAvailable", namespaces=NS) == "true"
    assert settings.findtext("t:ExecutionTimeLimit", namespaces=NS) == "PT10M"
    assert settings.findtext("t:MultipleInstancesPolicy", namespaces=NS) == "IgnoreNew"
    trigger = task.find("t:Triggers/t:CalendarTrigger", NS)
    assert trigger is not None
    assert (trigger.findtext("t:StartBoundary", namespaces=NS) or "").endswith("T09:00:00")
    principal = task.find("t:Principals/t:Principal", NS)
    assert principal is not None
    assert principal.findtext("t:LogonType", namespaces=NS) == "InteractiveToken"
    # No UserId was given: Task Scheduler must have made it this user's task.
    user = principal.findtext("t:UserId", namespaces=NS) or ""
    assert user, "Task Scheduler left the task without a user"
    assert user.startswith("S-1-5-") or user.lower().endswith(
        os.environ.get("USERNAME", "").lower())

    off = reminder.reminder_off()
    assert off.detail == "The daily reminder is off.", off.detail
    assert schtasks("/Query", "/TN", reminder.TASK_NAME).returncode != 0
    assert not reminder.reminder_status().enabled


def test_a_task_under_the_old_name_is_found_and_deleted(clean_tasks: None) -> None:
    # As earlier versions made it (in a folder of its own, with /TR).
    [old] = reminder.OLD_TASK_NAMES
    made = schtasks("/Create", "/F", "/SC", "DAILY", "/ST", "09:00", "/TN", old,
                    "/TR", subprocess.list2cmdline([sys.executable, "-c", "pass"]))
    assert made.returncode == 0, made.stderr
    status = reminder.reminder_status()
    assert status.enabled and old in status.detail
    off = reminder.reminder_off()
    assert off.detail.startswith("The daily reminder is off.") and old in off.detail
    assert schtasks("/Query", "/TN", old).returncode != 0


def test_the_task_starts_its_program_with_its_arguments(clean_tasks: None,
                                                        tmp_path: Path) -> None:
    """Command with Arguments as Task Scheduler starts them: the argv arrives intact."""
    marker = tmp_path / "ran with spaces.txt"
    code = "import sys; open(sys.argv[1], 'w', encoding='utf-8').write(repr(sys.argv[1:]))"
    status = reminder.reminder_on(command=[sys.executable, "-c", code, str(marker), "a b"])
    assert status.enabled, status.detail
    assert schtasks("/Run", "/TN", reminder.TASK_NAME).returncode == 0
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(1)
    if not marker.exists() and os.environ.get("GITHUB_ACTIONS"):
        pytest.skip("Task Scheduler did not start the task: an InteractiveToken task runs "
                    "only in a logged-on session, which a CI service account may lack")
    assert marker.read_text(encoding="utf-8") == repr([str(marker), "a b"])


def _registry_default(path: str) -> str | None:
    winreg: Any = importlib.import_module("winreg")
    try:
        with winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, path) as key:
            return str(winreg.QueryValue(key, None))
    except OSError:
        return None


def test_the_hand_over_starts_an_exe_whose_class_has_runas(tmp_path: Path) -> None:
    names = programs_for("win32")
    folder = tmp_path / "Jane Doe" / "GridCert"
    folder.mkdir(parents=True)
    for name in (names.gui, names.cli):
        (folder / name).write_bytes(b"")
    argv = handover.elevated_argv(tmp_path / "h.json", "ab" * 32, frozen=True,
                                  executable=str(folder / names.cli), platform="win32")
    assert Path(argv[0]).suffix.lower() == ".exe"
    file_class = _registry_default(".exe")
    assert file_class == "exefile"
    assert _registry_default(f"{file_class}\\shell\\runas\\command") is not None
    # For the record (the reason for the change): whether `comfile` has it on this Windows.
    print("comfile runas:", _registry_default("comfile\\shell\\runas\\command"))


def _bundle() -> Path | None:
    """A built bundle (installer/build.sh's dist/GridCert, or GRIDCERT_BUNDLE)."""
    folder = Path(os.environ.get("GRIDCERT_BUNDLE") or ROOT / "dist" / "GridCert")
    return folder if (folder / programs_for("win32").gui).is_file() else None


def test_the_bundles_hand_over_program_refuses_a_foreign_file_without_a_window(
        tmp_path: Path) -> None:
    bundle = _bundle()
    if bundle is None:
        pytest.skip("no built bundle (run installer/build.sh, or set GRIDCERT_BUNDLE)")
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"format": 1, "mode": "apply", "steps": []}', encoding="utf-8")
    argv = handover.elevated_argv(foreign, "0" * 64, frozen=True,
                                  executable=str(bundle / programs_for("win32").cli),
                                  platform="win32")
    done = subprocess.run(argv, capture_output=True, timeout=120, check=False)
    assert done.returncode == 3  # bad input: not a file GridCert wrote
    assert not foreign.exists()


def test_the_hand_over_argv_runs_elevated(tmp_path: Path) -> None:
    """ShellExecuteExW "runas" on the hand-over's own argv (the built GridCert.exe when
    there is one, else the source run's python.exe): only from an elevated runner, where
    no UAC prompt appears that nobody could answer."""
    from app.stores import _win32

    if not _win32.is_admin():
        pytest.skip("needs an elevated runner (no UAC prompt then)")
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"format": 1, "mode": "apply", "steps": []}', encoding="utf-8")
    bundle = _bundle()
    if bundle is not None:
        argv = handover.elevated_argv(foreign, "0" * 64, frozen=True,
                                      executable=str(bundle / programs_for("win32").gui),
                                      platform="win32")
    else:
        argv = handover.elevated_argv(foreign, "0" * 64, frozen=False)
    assert _win32.run_elevated(argv) == 3
    assert not foreign.exists()
