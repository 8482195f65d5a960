"""The NSS batch on a memory copy (the fast path) in SQLite WAL mode (issue 12, speed).

The copy in GridCert's private folder runs the batch in WAL mode (a third less work for
NSS than a rollback journal per transaction); the person's database is never switched:
it keeps its rollback journal, gets no -wal/-shm files, and its rows are written back in
one SQLite transaction. A kill at any moment — while the WAL copy is being written, or at
any other point of the run — leaves the database as it was or as a complete run leaves
it, read back with certutil, and the next GridCert's recovery removes the copy.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.stores._scratch import scratch_root
from app.stores._tools import TOOL_HOOK_ENV
from tests.helpers import require_tool
from tests.integration.cliutil import REPO, gridcert, new_nssdb
from tests.integration.test_install_cli import nss_state
from tests.pki import make_root

#: Enough roots for a batch that takes a while (the kill must land inside it).
ROOTS = 60
DATABASE_FILES = ["cert9.db", "key4.db", "pkcs11.txt"]


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_tool("certutil", "libnss3-tools")


def _roots(folder: Path, count: int) -> Path:
    bundle = folder / "roots.pem"
    bundle.write_bytes(b"".join(make_root(f"Fast Path {n:03d}").pem for n in range(count)))
    return bundle


def _write_version(path: Path) -> tuple[int, int]:
    """SQLite's file format write/read versions (header bytes 18, 19): 1 rollback journal,
    2 WAL."""
    header = path.read_bytes()[:20]
    return header[18], header[19]


def _copies() -> list[Path]:
    root = scratch_root()
    return sorted(root.glob("*-nssdb-*")) if root.is_dir() else []


def _leftovers() -> list[Path]:
    root = scratch_root()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def _install(bundle: Path, db: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "app", "install", str(bundle), "--target",
                             f"nss:{db}", "--yes"], cwd=REPO, text=True,
                            env={**os.environ, **(env or {})}, start_new_session=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _kill(process: subprocess.Popen[str]) -> None:
    """SIGKILL to the whole process tree (GridCert and the certutil it runs)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _recover(db: Path) -> None:
    done = gridcert("list", "--target", f"nss:{db}")
    assert done.returncode == 0, done.stderr


def _assert_database_files_only(db: Path) -> None:
    # No -wal/-shm (or -journal) beside the person's database: Firefox would find them.
    names = sorted(p.name for p in db.iterdir() if not p.name.startswith(".gridcert"))
    assert names == DATABASE_FILES
    assert _write_version(db / "cert9.db") == (1, 1)
    assert _write_version(db / "key4.db") == (1, 1)


def test_the_batch_runs_on_a_wal_copy_and_the_database_keeps_its_journal(
        tmp_path: Path) -> None:
    db = new_nssdb(tmp_path / "db")
    bundle = _roots(tmp_path, 12)
    hook = tmp_path / "tools.log"
    gate = Path(f"{hook}.gate")
    os.mkfifo(gate)
    run = _install(bundle, db, {TOOL_HOOK_ENV: str(hook)})
    seen_batch = False
    try:
        seen = 0
        while run.poll() is None:
            lines = hook.read_text().splitlines() if hook.exists() else []
            if len(lines) <= seen:
                time.sleep(0.02)
                continue
            seen += 1
            if " -B " in f"{lines[seen - 1]} ":
                # certutil is about to run the batch: on the copy, in WAL mode; the
                # database itself is untouched and still in rollback-journal mode.
                copies = _copies()
                assert len(copies) == 1, copies
                assert _write_version(copies[0] / "cert9.db") == (2, 2)
                assert _write_version(copies[0] / "key4.db") == (2, 2)
                _assert_database_files_only(db)
                seen_batch = True
            with open(gate, "wb"):
                pass
        _out, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            _kill(run)
    assert run.returncode == 0, err
    assert seen_batch
    _assert_database_files_only(db)
    assert nss_state(db)[0].count("C,,") == 12
    assert _leftovers() == []


def test_killed_while_the_wal_copy_is_written_leaves_the_database_as_it_was(
        tmp_path: Path) -> None:
    db = new_nssdb(tmp_path / "db")
    bundle = _roots(tmp_path, ROOTS)
    before = nss_state(db)
    run = _install(bundle, db)
    caught = None
    try:
        deadline = time.monotonic() + 120
        while run.poll() is None and time.monotonic() < deadline:
            wal = [c for c in _copies() if (c / "cert9.db-wal").exists()]
            if wal:
                caught = wal[0]
                break
            time.sleep(0.005)
    finally:
        _kill(run)
    assert caught is not None, "the run ended before its copy was in WAL mode"
    # certutil died mid-batch: the copy is what is left, the database is as it was.
    assert nss_state(db) == before
    _assert_database_files_only(db)
    _recover(db)
    assert nss_state(db) == before
    assert _leftovers() == []
    done = gridcert("install", str(bundle), "--target", f"nss:{db}", "--yes")
    assert done.returncode == 0, done.stderr
    assert nss_state(db)[0].count("C,,") == ROOTS
    _assert_database_files_only(db)


def test_killed_at_any_moment_of_a_fast_path_run_all_before_or_all_after(
        tmp_path: Path) -> None:
    """Kills spread over a whole run (planning, the copy, the WAL batch, the switch back
    to a rollback journal, the write-back, the read-back): never anything in between."""
    bundle = _roots(tmp_path, ROOTS)
    reference = new_nssdb(tmp_path / "reference")
    before = nss_state(reference)
    start = time.monotonic()
    run = _install(bundle, reference)
    _out, err = run.communicate(timeout=120)
    duration = time.monotonic() - start
    assert run.returncode == 0, err
    after = nss_state(reference)
    for step in range(1, 9):
        db = new_nssdb(tmp_path / f"db{step}")
        run = _install(bundle, db)
        time.sleep(duration * step / 9)
        _kill(run)
        _recover(db)
        state = nss_state(db)
        assert state in (before, after), f"killed {step}/9 into the run: in between"
        _assert_database_files_only(db)
        assert _leftovers() == [], f"killed {step}/9 into the run: a copy left"
