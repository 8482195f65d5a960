"""NssStore lists a database once while it is unchanged (issue 12, speed).

One install reads an NSS database to plan, again under the lock and again to add; each
`certutil -L` is a process and a pass over every object. The listing is kept with the
database's state (SQLite's file change counter of cert9.db and key4.db) and given again
only while no commit happened since: a change by anyone — another program, a key alone,
GridCert's own batch — is always listed afresh by certutil. Tool starts are counted with
GridCert's test hook (GRIDCERT_TEST_TOOL_HOOK, one line per tool it starts).
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from app.core.model import CertificateItem
from app.stores._tools import TOOL_HOOK_ENV
from app.stores.nss import NssEntry, NssStore
from tests.helpers import require_tool
from tests.integration.cliutil import new_nssdb
from tests.pki import make_pki, make_root, pfx_bytes


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_tool("certutil", "libnss3-tools")
    require_tool("pk12util", "libnss3-tools")


@pytest.fixture
def hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    log = tmp_path / "tools.log"
    monkeypatch.setenv(TOOL_HOOK_ENV, str(log))
    return log


def listings(hook: Path) -> list[str]:
    """The tool starts so far that were `certutil -L` of a whole database."""
    lines = hook.read_text().splitlines() if hook.exists() else []
    return [line for line in lines if line.split()[1:3] == ["certutil", "-L"]]


def certutil_add(db: Path, nickname: str) -> str:
    root = make_root(nickname)
    pem = db.parent / f"{nickname}.pem"
    root.write(pem)
    subprocess.run(["certutil", "-A", "-d", f"sql:{db}", "-n", nickname, "-t", "C,,", "-i",
                    str(pem)], check=True, capture_output=True)
    return root.sha256


def test_an_unchanged_database_is_listed_once(tmp_path: Path, hook: Path) -> None:
    db = new_nssdb(tmp_path / "db")
    mine = certutil_add(db, "Mine")
    store = NssStore(db)
    first = store.list()
    second = store.list()
    assert [s.item.sha256 for s in first] == [s.item.sha256 for s in second] == [mine]
    assert len(listings(hook)) == 1


def test_a_change_by_another_program_is_listed_again(tmp_path: Path, hook: Path) -> None:
    db = new_nssdb(tmp_path / "db")
    store = NssStore(db)
    assert store.list() == []
    added = certutil_add(db, "Written Meanwhile")
    assert [s.item.sha256 for s in store.list()] == [added]
    assert len(listings(hook)) == 2


def test_a_key_removed_alone_is_listed_again(tmp_path: Path, hook: Path) -> None:
    """Only key4.db changes; the `u` flag (a key in the store) must follow it."""
    db = new_nssdb(tmp_path / "db")
    pki = make_pki("Listing")
    pfx = tmp_path / "jane.pfx"
    pfx.write_bytes(pfx_bytes(pki.leaf, "pw", []))
    (tmp_path / "pw").write_text("pw\n")
    subprocess.run(["pk12util", "-i", str(pfx), "-d", f"sql:{db}", "-w", str(tmp_path / "pw"),
                    "-K", ""], check=True, capture_output=True)
    store = NssStore(db)
    assert [s.key_in_store for s in store.list()] == [True]
    cert9 = (db / "cert9.db").read_bytes()
    key_id = NssEntry("", "", pki.leaf.cert.public_bytes(Encoding.DER)).key_id
    assert key_id is not None
    subprocess.run(["certutil", "-F", "-k", key_id, "-d", f"sql:{db}"], check=True,
                   capture_output=True)
    assert (db / "cert9.db").read_bytes() == cert9  # the certificate file did not change
    assert [s.key_in_store for s in store.list()] == [False]
    assert len(listings(hook)) == 2


def test_a_wal_mode_database_is_always_listed_afresh(tmp_path: Path, hook: Path) -> None:
    """In WAL mode a commit leaves the change counter alone: nothing is kept."""
    db = new_nssdb(tmp_path / "db")
    for name in ("cert9.db", "key4.db"):
        connection = sqlite3.connect(db / name)
        assert connection.execute("PRAGMA journal_mode=wal").fetchone()[0] == "wal"
        connection.close()
    store = NssStore(db)
    store.list()
    store.list()
    assert len(listings(hook)) == 2


def test_an_install_lists_before_and_reads_back_after_its_batch(tmp_path: Path,
                                                                hook: Path) -> None:
    """Planning, the presence read under the lock and the batch's own read share one
    listing of the unchanged database; the read-back is certutil's, after the batch."""
    from app.actions.install import apply_plan, plan_install

    db = new_nssdb(tmp_path / "db")
    items = [CertificateItem(make_root(f"Install {n:02d}").cert, "roots.pem")
             for n in range(12)]
    report = apply_plan(plan_install(items, [NssStore(db, "test")]))
    assert report.ok, report.error
    tools = [" ".join(line.split()[1:3]) for line in hook.read_text().splitlines()]
    assert tools == ["certutil -L", "certutil -B", "certutil -L"]
    listed = subprocess.run(["certutil", "-L", "-d", f"sql:{db}"], check=True,
                            capture_output=True, text=True).stdout
    assert listed.count("C,,") == 12
