"""The hand-over to an elevated GridCert run (`windows-machine` without administrator rights).

UAC itself exists only on Windows and cannot be driven by a test (tests/os cannot click
"Yes" either), so the elevator is replaced by one that starts the very same argv as a
normal subprocess, and the store that "needs elevation" is a real NSS database seen
through a small NssStore subclass whose `needs_elevation()` is true in the first run
(and false when GRIDCERT_TEST_ELEVATED=1, which the fake elevator sets for the second
run; that run resolves the target id to a plain NssStore anyway). Everything is checked
on real `certutil -L/-K` output.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.actions import handover
from app.actions.handover import HandOver, read_handover, write_handover
from app.actions.handover_run import steps_from
from app.actions.install import apply_plan, plan_install, undo_last
from app.actions.journal import all_journals
from app.core.errors import EXIT_CANCELLED, EXIT_TARGET_FAILED, BadInputError, CancelledError
from app.core.model import CertificateItem
from app.core.programs import programs_for
from app.core.reader import read_paths
from app.stores.nss import NssStore
from tests.helpers import require_tool
from tests.integration.test_install_cli import (
    PASSWORD,
    gridcert,
    new_nssdb,
    nss_state,
    write_pki,
)
from tests.pki import Pki

ELEVATED_ENV = "GRIDCERT_TEST_ELEVATED"


class ElevatingNss(NssStore):
    """A real NSS database that behaves like windows-machine for a non-admin process."""

    def needs_elevation(self) -> bool:
        return os.environ.get(ELEVATED_ENV) != "1"


class FakeElevator:
    """Runs the argv UAC would run, as a plain child process; records every call."""

    def __init__(self, *, decline: bool = False, child_env: Sequence[dict[str, str]] = (),
                 watch: Path | None = None) -> None:
        self.calls: list[list[str]] = []
        self.watch = watch  # a database whose listing is kept after each run
        self.seen: list[str] = []
        self.decline = decline
        self.child_env = list(child_env)  # extra environment for the 1st, 2nd... run
        self.files: list[dict[str, object]] = []

    def __call__(self, argv: Sequence[str]) -> int:
        self.calls.append(list(argv))
        path = Path(argv[-2])
        self.files.append({"mode": stat.S_IMODE(path.stat().st_mode),
                           "dir_mode": stat.S_IMODE(path.parent.stat().st_mode),
                           "text": path.read_text(encoding="utf-8")})
        if self.decline:
            raise CancelledError("You declined Windows' request for administrator rights.")
        extra = self.child_env[len(self.calls) - 1] if len(self.calls) <= len(
            self.child_env) else {}
        # cwd "/": an elevated process starts in system32, not in the source tree.
        done = subprocess.run(list(argv), cwd="/", env={**os.environ, ELEVATED_ENV: "1",
                                                        **extra},
                              capture_output=True, text=True, timeout=240, check=False)
        if self.watch is not None:
            self.seen.append(nss_state(self.watch)[0])
        return done.returncode

    def modes(self) -> list[str]:
        return [json.loads(str(f["text"]))["mode"] for f in self.files]


@pytest.fixture
def elevator(monkeypatch: pytest.MonkeyPatch) -> FakeElevator:
    fake = FakeElevator()
    monkeypatch.setattr(handover, "ELEVATOR", fake)
    return fake


def _items(tmp_path: Path) -> tuple[Pki, list[CertificateItem]]:
    pki, root, pfx = write_pki(tmp_path)
    result = read_paths([root, pfx], passwords=lambda _source: PASSWORD)
    assert not result.problems
    return pki, list(result.items)


def _dbs(tmp_path: Path) -> tuple[Path, Path]:
    return new_nssdb(tmp_path / "local"), new_nssdb(tmp_path / "machine")


def _handover_files() -> list[Path]:
    return sorted(handover.handover_dir().iterdir())


# --- the file ------------------------------------------------------------------------------------


def test_handover_file_round_trip_keeps_the_identity_and_is_private(tmp_path: Path) -> None:
    _pki, items = _items(tmp_path)
    machine = ElevatingNss(new_nssdb(tmp_path / "machine"))
    plan = plan_install(items, [machine])
    identity_step = next(s for s in plan.steps if s.kind == "import-identity")
    path, digest = write_handover("apply", action="install", steps=plan.active_steps)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text(encoding="utf-8")
    assert "PRIVATE KEY" not in text and PASSWORD not in text  # the key only encrypted

    loaded = read_handover(path, digest)
    assert not path.exists()  # read once, then gone
    assert isinstance(loaded, HandOver) and loaded.mode == "apply"
    steps = steps_from(loaded, None)
    assert [(s.kind, s.target_id, s.sha256) for s in steps] == [
        (s.kind, s.target_id, s.sha256) for s in plan.active_steps]
    got = next(s for s in steps if s.kind == "import-identity")
    assert got.identity is not None and identity_step.identity is not None
    assert got.identity.leaf.sha256 == identity_step.identity.leaf.sha256
    assert got.identity.leaf.private_key is not None
    assert got.identity.leaf.matches_key(got.identity.leaf.private_key)
    assert identity_step.identity.leaf.matches_key(got.identity.leaf.private_key)
    assert [c.sha256 for c in got.identity.chain] == [
        c.sha256 for c in identity_step.identity.chain]


def test_a_changed_handover_file_is_refused_and_deleted(tmp_path: Path) -> None:
    _pki, items = _items(tmp_path)
    plan = plan_install(items, [ElevatingNss(new_nssdb(tmp_path / "machine"))])
    path, digest = write_handover("apply", steps=plan.active_steps)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["steps"] = data["steps"][:1]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BadInputError, match="changed after GridCert wrote it"):
        read_handover(path, digest)
    assert not path.exists()


def test_hidden_command_refuses_a_foreign_file_and_writes_nothing(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"format": 1, "mode": "apply", "steps": []}', encoding="utf-8")
    done = gridcert("_apply-handover", str(foreign), "0" * 64)
    assert done.returncode == 3
    assert not foreign.exists()
    assert not (tmp_path / "foreign.result.json").exists()
    assert "_apply-handover" not in gridcert("--help").stdout + gridcert("--help").stderr


# --- the whole mechanism -------------------------------------------------------------------------


def test_install_hands_machine_steps_over_then_undo_hands_over_too(
        tmp_path: Path, elevator: FakeElevator) -> None:
    pki, items = _items(tmp_path)
    local_db, machine_db = _dbs(tmp_path)
    before = nss_state(local_db), nss_state(machine_db)
    machine = ElevatingNss(machine_db, "Windows (all users) stand-in")
    plan = plan_install(items, [NssStore(local_db), machine])
    progress: list[str] = []

    report = apply_plan(plan, lambda _d, _t, message: progress.append(message))

    assert report.ok, report.error
    assert len(elevator.calls) == 1 and elevator.modes() == ["apply"]
    argv = elevator.calls[0]
    assert argv[-3] == "_apply-handover" and PASSWORD not in " ".join(argv)
    assert elevator.files[0]["mode"] == 0o600 and elevator.files[0]["dir_mode"] == 0o700
    assert any("administrator permission" in m and machine.label in m for m in progress)
    assert _handover_files() == []  # hand-over, result and private journal all gone
    for db in (local_db, machine_db):
        listing, keys = nss_state(db)
        assert "Jane Smith" in listing and "u,u,u" in listing
        assert "Root CA" in listing and "Issuing CA" in listing
        assert "rsa" in keys
    assert any("Windows (all users) stand-in: 3 certificates present" in v
               for v in report.verified)
    records = [r for r in all_journals()[-1].started_steps() if r["kind"] == "handover"]
    assert len(records) == 1
    # The elevated run's own records replaced the provisional ones (step-update).
    assert {r["kind"] for r in records[0]["records"]} == {
        "add-root", "add-intermediate", "import-identity"}
    assert pki.leaf.sha256 in [r["sha256"] for r in records[0]["records"]]

    undone = undo_last(stores=[machine])

    assert undone.ok, undone.error
    assert elevator.modes() == ["apply", "revert"]
    assert (nss_state(local_db), nss_state(machine_db)) == before
    assert _handover_files() == []
    assert any(step.target_id == machine.id for step in undone.applied)


def test_declined_permission_is_exit_5_and_nothing_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeElevator(decline=True)
    monkeypatch.setattr(handover, "ELEVATOR", fake)
    _pki, items = _items(tmp_path)
    local_db, machine_db = _dbs(tmp_path)
    before = nss_state(local_db), nss_state(machine_db)
    plan = plan_install(items, [NssStore(local_db), ElevatingNss(machine_db)])

    report = apply_plan(plan)

    assert not report.ok and report.exit_code == EXIT_CANCELLED
    assert report.rolled_back and report.applied == []
    assert "declined" in (report.error or "")
    assert len(fake.calls) == 1  # no second prompt to roll back what never ran
    assert (nss_state(local_db), nss_state(machine_db)) == before
    assert _handover_files() == []
    assert all_journals()[-1].state() == "rolled-back"


def test_elevated_run_that_fails_midway_undoes_itself_and_the_parent_rolls_back(
        tmp_path: Path, elevator: FakeElevator) -> None:
    _pki, items = _items(tmp_path)
    local_db, machine_db = _dbs(tmp_path)
    # A second elevated database with a password: the elevated run resolves its id to a
    # plain NssStore without the password, so certutil cannot change it. The elevated
    # run's first step (the root into `machine`) has succeeded by then.
    locked_db = tmp_path / "locked"
    locked_db.mkdir()
    pw = tmp_path / "pw.txt"
    pw.write_text("db secret\n", encoding="utf-8")
    subprocess.run([require_tool("certutil", "libnss3-tools"), "-N", "-d", f"sql:{locked_db}",
                    "-f", str(pw)], check=True, capture_output=True)
    before = nss_state(local_db), nss_state(machine_db), nss_state(locked_db)
    locked = ElevatingNss(locked_db, "Locked stand-in", password="db secret")
    plan = plan_install(items, [NssStore(local_db), ElevatingNss(machine_db), locked])
    lifted = [s.target_id for s in plan.active_steps if s.target_id != f"nss:{local_db}"]
    assert lifted[:2] == [f"nss:{machine_db}", locked.id]  # machine's step runs first

    report = apply_plan(plan)

    assert not report.ok and report.exit_code == EXIT_TARGET_FAILED, report.error
    assert report.rolled_back
    error = report.error or ""
    assert "administrator rights failed at “Add the root" in error
    assert "to Locked stand-in” (what it had done was undone)" in error
    assert "has a password that GridCert was not given" in error
    assert elevator.modes() == ["apply"]  # it cleaned up itself: no revert hand-over
    assert (nss_state(local_db), nss_state(machine_db), nss_state(locked_db)) == before
    assert _handover_files() == []


def test_elevated_run_that_dies_is_rolled_back_through_a_second_hand_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The elevated run is killed right after its first step (no result, no cleanup).
    _pki, items = _items(tmp_path)
    local_db, machine_db = _dbs(tmp_path)
    fake = FakeElevator(child_env=[{"GRIDCERT_TEST_CRASH_AFTER_STEP": "1"}], watch=machine_db)
    monkeypatch.setattr(handover, "ELEVATOR", fake)
    before = nss_state(local_db), nss_state(machine_db)
    plan = plan_install(items, [NssStore(local_db), ElevatingNss(machine_db)])

    report = apply_plan(plan)

    assert not report.ok and report.exit_code == EXIT_TARGET_FAILED
    assert "without saying what it did" in (report.error or "")
    assert report.rolled_back, report.error
    assert fake.modes() == ["apply", "revert"]
    assert "Root CA" in fake.seen[0]  # the killed run had changed the database...
    assert "Root CA" not in fake.seen[1]  # ...and the second run took it back
    assert (nss_state(local_db), nss_state(machine_db)) == before
    assert _handover_files() == []


def test_cli_says_windows_will_ask_before_the_prompt(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli.cmd_install import say_elevation

    _pki, items = _items(tmp_path)
    local_db, machine_db = _dbs(tmp_path)
    say_elevation(plan_install(items, [NssStore(local_db)]))
    assert capsys.readouterr().err == ""
    say_elevation(plan_install(items, [ElevatingNss(machine_db, "Windows (all users)")]))
    assert "Windows will ask for administrator permission to change Windows (all users)" in (
        capsys.readouterr().err)


def test_removing_from_the_elevated_store_is_handed_over_and_undo_puts_it_back(
        tmp_path: Path, elevator: FakeElevator) -> None:
    from app.actions.install import plan_remove

    pki, items = _items(tmp_path)
    machine_db = new_nssdb(tmp_path / "machine")
    machine = ElevatingNss(machine_db, "Machine stand-in")
    cas = [item for item in items if item.is_ca]
    assert apply_plan(plan_install(cas, [machine])).ok
    installed = nss_state(machine_db)
    assert "Root CA" in installed[0] and "Issuing CA" in installed[0]

    plan = plan_remove([pki.root.sha256, pki.intermediate.sha256], [machine])
    assert [s.kind for s in plan.active_steps] == ["remove", "remove"]
    removed = apply_plan(plan)

    assert removed.ok, removed.error
    assert elevator.modes() == ["apply", "apply"]
    listing = nss_state(machine_db)[0]
    assert "Root CA" not in listing and "Issuing CA" not in listing
    assert "Machine stand-in: 2 certificates removed" in removed.verified

    undone = undo_last(stores=[machine])

    assert undone.ok, undone.error
    assert elevator.modes() == ["apply", "apply", "revert"]
    assert nss_state(machine_db) == installed  # the root trusted again, as before
    assert _handover_files() == []


def test_removing_an_identity_backs_it_up_in_the_elevated_run_and_undo_restores_it(
        tmp_path: Path, elevator: FakeElevator) -> None:
    """Needs a Secret Service for the backup passphrase (scripts/with-keyring.sh)."""
    from app.actions.backup import list_backups
    from app.actions.install import plan_remove
    from app.actions.secrets import keyring_available

    if not keyring_available():
        message = "no usable keyring for the backup passphrase (run under scripts/with-keyring.sh)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    pki, items = _items(tmp_path)
    machine_db = new_nssdb(tmp_path / "machine")
    machine = ElevatingNss(machine_db, "Machine stand-in")
    assert apply_plan(plan_install(items, [machine])).ok
    installed = nss_state(machine_db)
    assert "u,u,u" in installed[0]

    removed = apply_plan(plan_remove([pki.leaf.sha256], [machine]))

    assert removed.ok, removed.error
    assert "Jane Smith" not in nss_state(machine_db)[0]
    record = next(r for r in all_journals()[-1].started_steps() if r["kind"] == "handover")
    backup = record["records"][0]["backup"]  # made by the elevated run, which read the key
    assert backup and Path(backup) in list_backups()
    assert stat.S_IMODE(Path(backup).stat().st_mode) == 0o600

    undone = undo_last(stores=[machine])

    assert undone.ok, undone.error
    assert elevator.modes() == ["apply", "apply", "revert"]
    listing, keys = nss_state(machine_db)
    assert "Jane Smith" in listing and "u,u,u" in listing and "rsa" in keys


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
@pytest.mark.parametrize("started_as", ["gui", "cli"])
def test_frozen_build_hands_over_to_the_windowed_program_beside_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str, started_as: str) -> None:
    # The windowed wizard program with its hidden windowless option (GridCert.exe on
    # Windows: an .exe, for which UAC's "runas" verb is certain, unlike gridcert.com's
    # `comfile` class; and a GUI-subsystem program, so no console window at all).
    names = programs_for(platform)
    for name in (names.gui, names.cli):
        (tmp_path / name).write_bytes(b"")
    monkeypatch.setattr("sys.frozen", True, raising=False)
    started = names.gui if started_as == "gui" else names.cli
    monkeypatch.setattr("sys.executable", str(tmp_path / started))
    argv = handover.elevated_argv(tmp_path / "h.json", "ab" * 32, platform=platform)
    assert argv == [str(tmp_path / names.gui), "--apply-handover", str(tmp_path / "h.json"),
                    "ab" * 32]


def test_a_frozen_build_without_its_windowed_program_fails_with_a_sentence(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, elevator: FakeElevator) -> None:
    """Never the console program instead (on Windows a .com, for which "runas" may not be
    registered): the hand-over fails, cleanly."""
    (tmp_path / programs_for().cli).write_bytes(b"")
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys.executable", str(tmp_path / programs_for().cli))
    result = handover.hand_over("revert", records=[])
    assert not result.ok and result.clean and elevator.calls == []
    assert result.exit_code == EXIT_TARGET_FAILED
    assert result.error is not None and "reinstall GridCert" in result.error
    assert programs_for().gui in result.error
    assert _handover_files() == []  # the hand-over file does not outlive the attempt


#: `GridCert.exe --apply-handover FILE SHA256`, as `python -m app.gui.main`, in a process
#: whose stdout and stderr are closed (PyInstaller's windowed programs have none: Python
#: sets sys.stdout/sys.stderr to None) and which has no display. It reports, into the file
#: argv[1] names, its exit code and whether Qt's widgets were ever imported.
WINDOWED_PROBE = """
import json, runpy, sys
report = sys.argv[1]
assert sys.stdout is None and sys.stderr is None, "the streams should be closed"
sys.argv = ["GridCert.exe", *sys.argv[2:]]
try:
    runpy.run_module("app.gui.main", run_name="__main__", alter_sys=True)
    code = "returned"
except SystemExit as stop:
    code = stop.code
with open(report, "w", encoding="utf-8") as out:
    json.dump({"rc": code, "widgets": "PySide6.QtWidgets" in sys.modules,
               "qt": sorted(m for m in sys.modules if m.startswith("PySide6"))}, out)
"""


def test_the_windowed_program_applies_a_hand_over_without_window_or_streams(
        tmp_path: Path) -> None:
    """What UAC starts on Windows: the windowed wizard program with `--apply-handover`,
    handled before anything of Qt is imported, with no console streams at all."""
    from app.gui.main import APPLY_HANDOVER

    _pki, items = _items(tmp_path)
    machine_db = new_nssdb(tmp_path / "machine")
    before = nss_state(machine_db)
    plan = plan_install(items, [NssStore(machine_db)])
    path, digest = write_handover("apply", action="install", steps=plan.active_steps)
    report = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])

    def close_streams() -> None:  # in the child, before Python starts
        os.close(1)
        os.close(2)

    done = subprocess.run([sys.executable, "-c", WINDOWED_PROBE, str(report), APPLY_HANDOVER,
                           str(path), digest],
                          cwd="/", env=env, stdin=subprocess.DEVNULL,
                          preexec_fn=close_streams,  # POSIX only; this test runs no threads
                          timeout=240, check=False)

    assert done.returncode == 0 and report.exists()
    outcome = json.loads(report.read_text(encoding="utf-8"))
    assert outcome["rc"] == 0, outcome
    assert outcome["widgets"] is False and outcome["qt"] == []
    assert not path.exists()  # read once, then gone
    result = json.loads(handover.result_path(path).read_text(encoding="utf-8"))
    assert result["ok"] and result["exit_code"] == 0, result
    listing, keys = nss_state(machine_db)
    assert listing != before[0]
    assert "Jane Smith" in listing and "Root CA" in listing and "rsa" in keys


class Relaunch:
    """Stands in for app.stores.windows.relaunch_elevated (declines, after recording)."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dict[str, object]]] = []

    def new(self, argv: Sequence[str], api: object = None, *, owner: int | None = None) -> int:
        self.calls.append((list(argv), {"owner": owner}))
        raise CancelledError("declined")


def test_the_permission_prompt_gets_the_wizard_window_as_its_owner(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.stores import windows

    relaunch = Relaunch()
    monkeypatch.setattr(windows, "relaunch_elevated", relaunch.new)
    monkeypatch.setattr(handover, "_owner_window", None)
    with pytest.raises(CancelledError):
        handover.hand_over("revert", records=[], owner=4242)
    handover.set_owner_window(77)  # what the wizard does once its window is up
    with pytest.raises(CancelledError):
        handover.hand_over("revert", records=[])
    handover.set_owner_window(None)
    with pytest.raises(CancelledError):
        handover.hand_over("revert", records=[])  # the command line: no window
    assert [kw for _argv, kw in relaunch.calls] == [{"owner": 4242}, {"owner": 77},
                                                    {"owner": None}]
    assert all(argv[-3] == "_apply-handover" for argv, _kw in relaunch.calls)

