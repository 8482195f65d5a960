"""The transaction's promises (issue 12): all or nothing, never a lost certificate, never
a key left behind. Real certutil/pk12util/keytool throughout; every store is read back
with its own tool.

Full disks are small tmpfs mounts (the tests run as root on CI); without root they skip.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from app.core.errors import TargetError
from app.core.model import CertificateItem
from app.stores.base import Availability, StoredCertificate, TrustStore
from tests.helpers import require_tool
from tests.integration.cliutil import REPO, gridcert, new_nssdb
from tests.integration.test_install_cli import PASSWORD, nss_state, write_pki
from tests.pki import Issued, make_pki, make_root
from tests.realtools import keytool_identity


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "512k") -> Iterator[Path]:
    """A tmpfs of `size` mounted on `folder`, unmounted (lazily, if busy) afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                           str(folder)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill(folder: Path) -> None:
    """Use up every free byte of the file system `folder` is on."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * chunk)
    finally:
        os.close(fd)


def keytool_entries(path: Path, password: str = "changeit") -> dict[str, str]:
    """alias -> entry type, as `keytool -list` prints them (raises when it cannot read)."""
    done = subprocess.run(["keytool", "-list", "-keystore", str(path), "-storepass:env", "KS"],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "KS": password})
    out = {}
    for line in done.stdout.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 3 and parts[-1] in ("PrivateKeyEntry", "trustedCertEntry", ""):
            kind = parts[-1] or parts[-2]
            out[parts[0]] = kind
    return out


# --- 3. a full disk never destroys a keystore -------------------------------------------------


def test_full_disk_leaves_the_java_keystore_whole(tmp_path: Path) -> None:
    require_tool("keytool", "openjdk-17-jre-headless")
    with small_disk(tmp_path / "disk") as disk:
        keystore = keytool_identity(disk / "mine.p12", "changeit", alias="my own key")
        other = make_root("Someone Else").write(tmp_path / "other.pem")
        subprocess.run(["keytool", "-importcert", "-noprompt", "-keystore", str(keystore),
                        "-storepass:env", "KS", "-alias", "other", "-file", str(other)],
                       capture_output=True, check=True, env={**os.environ, "KS": "changeit"})
        before = keytool_entries(keystore)
        assert before == {"my own key": "PrivateKeyEntry", "other": "trustedCertEntry"}
        root = make_pki("Full Disk").root.write(tmp_path / "root.pem")
        # The keystore is just under one page; with the new root it needs two, and there
        # is none: keytool's in-place rewrite would cut it.
        fill(disk)
        done = gridcert("install", str(root), "--target", f"java:{keystore}", "--yes")
        assert done.returncode == 4, done.stderr
        assert keytool_entries(keystore) == before
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "mine.p12"]


def test_full_disk_leaves_the_nss_database_whole_on_the_fast_path(tmp_path: Path) -> None:
    require_tool("certutil", "libnss3-tools")
    with small_disk(tmp_path / "disk", "1m") as disk:
        db = new_nssdb(disk / "db")
        mine = make_root("Already Mine").write(tmp_path / "mine.pem")
        subprocess.run(["certutil", "-A", "-d", f"sql:{db}", "-n", "mine", "-t", "C,,", "-i",
                        str(mine)], check=True, capture_output=True)
        before = nss_state(db)
        roots = tmp_path / "roots.pem"
        # Enough roots for the batch on a memory copy (FAST_PATH_MIN).
        roots.write_bytes(b"".join(make_root(f"Batch {n}").pem for n in range(12)))
        fill(disk)
        done = gridcert("install", str(roots), "--target", f"nss:{db}", "--yes")
        assert done.returncode == 4, done.stderr
        assert nss_state(db) == before
        assert sorted(p.name for p in db.iterdir()) == sorted(
            ["cert9.db", "key4.db", "pkcs11.txt"])


# --- 1. undo takes back only what this change added -------------------------------------------


def certutil_add(db: Path, issued: Issued, nickname: str, trust: str) -> None:
    pem = db.parent / f"{nickname}.pem"
    issued.write(pem)
    subprocess.run(["certutil", "-A", "-d", f"sql:{db}", "-n", nickname, "-t", trust, "-i",
                    str(pem)], check=True, capture_output=True)


def nss_fingerprints(db: Path) -> set[str]:
    """SHA-256 of every certificate `certutil -L` lists (read back with its own tool)."""
    listing = subprocess.run(["certutil", "-L", "-d", f"sql:{db}"], capture_output=True,
                             text=True, check=True).stdout
    out = set()
    for line in listing.splitlines()[4:]:
        nickname = line.rsplit(None, 1)[0].strip() if line.strip() else ""
        if not nickname:
            continue
        pem = subprocess.run(["certutil", "-L", "-d", f"sql:{db}", "-n", nickname, "-a"],
                             capture_output=True, check=True).stdout
        for block in pem.split(b"-----END CERTIFICATE-----")[:-1]:
            cert = x509.load_pem_x509_certificate(block + b"-----END CERTIFICATE-----\n")
            out.add(cert.fingerprint(hashes.SHA256()).hex())
    return out


def test_undo_keeps_the_intermediate_that_was_there_before(tmp_path: Path) -> None:
    require_tool("pk12util", "libnss3-tools")
    db = new_nssdb(tmp_path / "db")
    pki, root, pfx = write_pki(tmp_path)
    certutil_add(db, pki.intermediate, "Issuing CA of my own", ",,")
    done = gridcert("install", str(root), str(pfx), "--target", f"nss:{db}",
                    "--password-env", "PW", "--yes", env={"PW": PASSWORD})
    assert done.returncode == 0, done.stderr
    assert nss_fingerprints(db) == {pki.root.sha256, pki.intermediate.sha256, pki.leaf.sha256}
    undone = gridcert("undo", "--yes")
    assert undone.returncode == 0, undone.stderr
    assert nss_fingerprints(db) == {pki.intermediate.sha256}


# --- 4. a run never journals what another run added -------------------------------------------


def test_a_root_committed_by_another_run_after_planning_survives_undo(tmp_path: Path) -> None:
    from app.actions.apply import apply_plan, undo_last
    from app.actions.plan import plan_install
    from app.stores.nss import NssStore

    db = new_nssdb(tmp_path / "db")
    pki = make_pki("Race")
    store = NssStore(db)
    plan = plan_install([CertificateItem(pki.root.cert, "root.pem"),
                         CertificateItem(pki.intermediate.cert, "ca.pem")], [store])
    assert [s.kind for s in plan.active_steps] == ["add-root", "add-intermediate"]
    # Between this run's plan and its lock, another run commits the same root.
    certutil_add(db, pki.root, "Race Root CA", "C,,")
    report = apply_plan(plan)
    assert report.ok, report.error
    undone = undo_last()
    assert undone.ok, undone.error
    assert nss_fingerprints(db) == {pki.root.sha256}


# --- 2. one unusable store never blocks the rollback of the others ----------------------------


def _journal_states() -> list[str]:
    from app.actions.journal import all_journals

    return [j.state() for j in all_journals()]


@pytest.mark.parametrize("bad", ["java-password", "damaged-nss"])
def test_an_unusable_store_is_found_before_anything_changes(tmp_path: Path, bad: str) -> None:
    require_tool("keytool", "openjdk-17-jre-headless")
    db = new_nssdb(tmp_path / "db")
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(make_root("Already In The Bundle").pem)
    if bad == "java-password":
        keystore = keytool_identity(tmp_path / "mine.p12", "not-changeit")
        unusable = f"java:{keystore}"
        said = f"The password of the Java keystore {keystore} is wrong."
    else:
        damaged = new_nssdb(tmp_path / "damaged")
        (damaged / "cert9.db").write_bytes(b"this is not an SQLite database" * 100)
        unusable = f"nss:{damaged}"
        said = f"There is no usable NSS database in {damaged}."
    root = make_pki("Unusable").root.write(tmp_path / "root.pem")
    before = nss_state(db), bundle.read_bytes()
    done = gridcert("install", str(root), "--target", f"nss:{db}", "--target",
                    f"bundle:{bundle}", "--target", unusable, "--yes")
    assert done.returncode == 4, done.stderr
    assert said in done.stderr
    assert (nss_state(db), bundle.read_bytes()) == before
    assert _journal_states() == []  # refused before anything changed
    again = gridcert("install", str(root), "--target", f"nss:{db}", "--yes")
    assert again.returncode == 0, again.stderr
    assert "could not be rolled back" not in again.stderr


class _Flaky(TrustStore):
    """A store whose additions work and whose removals fail (a revert that cannot run)."""

    def __init__(self, name: str, *, add_fails: bool = False) -> None:
        self.id = f"bundle:/flaky/{name}"
        self.label = f"Flaky store {name}"
        self.held: set[str] = set()
        self._items: dict[str, CertificateItem] = {}
        self.add_fails = add_fails
        self.remove_fails = True

    def available(self) -> Availability:
        return Availability(True)

    def list(self) -> list[StoredCertificate]:
        return [self._stored(s) for s in self.held]

    def _stored(self, sha: str) -> StoredCertificate:
        item = self._items[sha]
        return StoredCertificate(item, self.id, "here", trusted=True)

    def add_anchor(self, item: CertificateItem) -> None:
        if self.add_fails:
            raise TargetError(f"{self.label} refused the root.")
        self._items[item.sha256] = item
        self.held.add(item.sha256)

    def add_intermediate(self, item: CertificateItem) -> None:
        self.add_anchor(item)

    def remove(self, sha256: str) -> None:
        if self.remove_fails:
            raise TargetError(f"{self.label} cannot be written just now.")
        self.held.discard(sha256)


def test_a_failing_revert_does_not_stop_the_others_and_is_said_per_store(tmp_path: Path) -> None:
    from app.actions.apply import apply_plan, recover_interrupted
    from app.actions.plan import plan_install
    from app.stores.nss import NssStore

    db = new_nssdb(tmp_path / "db")
    before = nss_state(db)
    flaky, broken = _Flaky("one"), _Flaky("two", add_fails=True)
    broken.remove_fails = False
    root = CertificateItem(make_pki("Flaky").root.cert, "root.pem")
    plan = plan_install([root], [flaky, NssStore(db), broken])
    report = apply_plan(plan)
    assert not report.ok and report.exit_code == 4
    assert nss_state(db) == before  # reverted although the flaky store's revert failed
    assert "Flaky store one" in (report.error or "")
    assert "by hand" in (report.error or "")
    assert _journal_states() == ["rollback-failed"]
    flaky.remove_fails = False
    from app.actions import apply as apply_module

    # Recovery resolves stores from their ids; these two exist only in this process.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(apply_module.Stores, "get", lambda self, target: {
            flaky.id: flaky, broken.id: broken}.get(target) or NssStore(db))
        said = recover_interrupted()
    assert said and "rolled back" in said
    assert flaky.held == set()
    assert _journal_states() == ["rolled-back"]


# --- 5. a killed run's tool does not outlive it; SIGTERM/SIGHUP cancel ------------------------

_PAUSING_CERTUTIL = """#!/bin/sh
# certutil stand-in: the first change (-A or -B) says its pid, then waits on a FIFO.
# `read` is a shell builtin: no grandchild outlives this process.
if [ ! -e "{gate}.started" ]; then
  case " $* " in
    *" -A "*|*" -B "*) echo $$ > "{gate}.started"; read _ < "{gate}";;
  esac
fi
exec {real} "$@"
"""


def _pausing_certutil(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A PATH holding the pausing certutil; returns (gate FIFO, environment)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    wrapper = folder / "certutil"
    wrapper.write_text(_PAUSING_CERTUTIL.format(gate=gate, real=require_tool(
        "certutil", "libnss3-tools")))
    wrapper.chmod(0o755)
    return gate, {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}"}


def _wait_for(predicate: Callable[[], bool], what: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _release(gate: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(gate, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)


def _release_when_waiting(gate: Path, run: subprocess.Popen[str]) -> None:
    """Let a GridCert paused on `gate` go on (never blocks if it has ended instead)."""
    while run.poll() is None:
        try:
            fd = os.open(gate, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: nobody waits on it yet
            time.sleep(0.01)
            continue
        os.close(fd)
        return


def _start_install(root: Path, db: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "app", "install", str(root), "--target",
                             f"nss:{db}", "--yes"], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL)


def _install_paused_in_certutil(tmp_path: Path, name: str
                                ) -> tuple[Path, tuple[str, str], Path, subprocess.Popen[str], int]:
    """`gridcert install` of a new root into a new NSS database, held inside certutil:
    (database, its state before, the gate that lets certutil go on, the run, certutil's
    pid)."""
    db = new_nssdb(tmp_path / "db")
    before = nss_state(db)
    root = make_pki(name).root.write(tmp_path / "root.pem")
    gate, env = _pausing_certutil(tmp_path)
    run = _start_install(root, db, env)
    started = Path(f"{gate}.started")
    try:
        _wait_for(lambda: started.exists() and started.read_text().strip() != "",
                  "certutil to start")
    except BaseException:
        _release(gate)
        run.kill()
        raise
    return db, before, gate, run, int(started.read_text())


def test_a_killed_run_takes_its_tool_with_it(tmp_path: Path) -> None:
    db, before, gate, run, tool = _install_paused_in_certutil(tmp_path, "Orphan")
    try:
        run.kill()
        run.communicate()
        _wait_for(lambda: not _alive(tool), "certutil to die with GridCert", limit=10)
    finally:
        _release(gate)  # an orphan left by a regression would now write...
        if _alive(tool):
            os.kill(tool, signal.SIGKILL)
    listed = gridcert("list", "--target", f"nss:{db}")  # ...and this recovers
    assert listed.returncode == 0, listed.stderr
    assert nss_state(db) == before


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_roll_back_like_cancel(tmp_path: Path, number: int) -> None:
    db, before, gate, run, tool = _install_paused_in_certutil(tmp_path, "Terminated")
    try:
        run.send_signal(number)
        _out, err = run.communicate(timeout=120)
    finally:
        _release(gate)
        run.kill()
    assert run.returncode == 5, err
    assert not _alive(tool)
    assert nss_state(db) == before
    assert _journal_states() == ["rolled-back"]


def test_tools_inherit_the_changes_lock(tmp_path: Path) -> None:
    from app.actions.lock import changes_lock, lock_path
    from app.stores._tools import run_tool

    with changes_lock():
        seen = run_tool(["sh", "-c", "ls -l /proc/$$/fd"], what="list open files")
    assert str(lock_path()) in seen.stdout.decode()


# --- 9. a killed NSS tool never wedges recovery nor leaves a key behind -----------------------


def _hot_journal(database: Path) -> None:
    """What a certutil killed mid-write leaves: a transaction half-done in cert9.db, with
    its rollback journal. (A child process opens it, changes it, and dies.)"""
    script = ("import os, sqlite3, sys\n"
              "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
              "c.execute('PRAGMA cache_size=1')\n"
              "c.execute('BEGIN IMMEDIATE')\n"
              "c.execute('DELETE FROM nssPublic')\n"
              "os._exit(9)\n")
    subprocess.run([sys.executable, "-c", script, str(database / "cert9.db")], check=False)
    assert (database / "cert9.db-journal").exists()


def test_a_hot_sqlite_journal_does_not_wedge_recovery(tmp_path: Path) -> None:
    db = new_nssdb(tmp_path / "db")
    certutil_add(db, make_root("Mine"), "mine", "C,,")
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(b"# mine\n")
    before = nss_state(db), bundle.read_bytes()
    root = make_pki("Hot").root.write(tmp_path / "root.pem")
    crashed = gridcert("install", str(root), "--target", f"nss:{db}", "--target",
                       f"bundle:{bundle}", "--yes",
                       env={"GRIDCERT_TEST_CRASH_AFTER_STEP": "2"})
    assert crashed.returncode == 70, crashed.stderr
    _hot_journal(db)
    listed = gridcert("list", "--target", f"nss:{db}")
    assert listed.returncode == 0, listed.stderr
    assert "has been rolled back" in listed.stderr
    assert (nss_state(db), bundle.read_bytes()) == before
    assert _journal_states() == ["rolled-back"]


_KEY_ONLY_PK12UTIL = """#!/bin/sh
# pk12util stand-in for one killed between the key and the certificate: the import runs,
# then the certificate goes (the key stays), then GridCert is killed.
{real} "$@" || exit $?
db=""
while [ $# -gt 0 ]; do [ "$1" = "-d" ] && db="$2"; shift; done
nick=$(certutil -L -d "$db" | sed -n 's/^\\(.*[^ ]\\)  *u,u,u *$/\\1/p' | head -n 1)
certutil -D -d "$db" -n "$nick"
kill -9 $PPID
"""


def test_a_pk12util_killed_mid_import_leaves_no_key_after_recovery(tmp_path: Path) -> None:
    require_tool("pk12util", "libnss3-tools")
    db = new_nssdb(tmp_path / "db")
    _pki, root, pfx = write_pki(tmp_path)
    before = nss_state(db)
    folder = tmp_path / "bin"
    folder.mkdir()
    wrapper = folder / "pk12util"
    wrapper.write_text(_KEY_ONLY_PK12UTIL.format(real=require_tool("pk12util",
                                                                   "libnss3-tools")))
    wrapper.chmod(0o755)
    crashed = gridcert("install", str(root), str(pfx), "--target", f"nss:{db}",
                       "--password-env", "PW", "--yes",
                       env={"PW": PASSWORD, "PATH": f"{folder}:{os.environ['PATH']}"})
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    listing, keys = nss_state(db)
    assert "Jane Smith" not in listing and "Jane Smith" in keys  # a key without its cert
    listed = gridcert("list", "--target", f"nss:{db}")
    assert listed.returncode == 0, listed.stderr
    assert nss_state(db) == before


# --- 8. the NSS fast path never loses what another program wrote meanwhile --------------------


def test_a_certificate_added_during_the_fast_path_batch_is_kept(tmp_path: Path) -> None:
    from app.stores._tools import TOOL_HOOK_ENV

    db = new_nssdb(tmp_path / "db")
    roots = [make_root(f"Batch {n}") for n in range(10)]
    bundle = tmp_path / "roots.pem"
    bundle.write_bytes(b"".join(r.pem for r in roots))
    other = make_root("Written Meanwhile")
    hook = tmp_path / "tools.log"
    gate = Path(f"{hook}.gate")
    os.mkfifo(gate)
    run = subprocess.Popen([sys.executable, "-m", "app", "install", str(bundle), "--target",
                            f"nss:{db}", "--yes"], cwd=REPO, text=True,
                           env={**os.environ, TOOL_HOOK_ENV: str(hook)},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL)
    try:
        seen = 0
        while run.poll() is None:
            lines = hook.read_text().splitlines() if hook.exists() else []
            if len(lines) <= seen:
                time.sleep(0.02)
                continue
            seen += 1
            if " -B " in f"{lines[seen - 1]} ":
                # The batch is about to run on the memory copy: another program adds a
                # certificate to the database itself.
                certutil_add(db, other, "written meanwhile", "C,,")
            with open(gate, "wb"):
                pass
        _out, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0, err
    assert any(" -B " in f"{line} " for line in hook.read_text().splitlines())
    assert nss_fingerprints(db) == {r.sha256 for r in roots} | {other.sha256}


# --- 10. the store itself is locked, not only GridCert's data folder --------------------------


def test_runs_with_different_data_folders_do_not_change_one_store_at_once(
        tmp_path: Path) -> None:
    from app.stores._tools import TOOL_HOOK_ENV

    require_tool("keytool", "openjdk-17-jre-headless")
    keystore = keytool_identity(tmp_path / "shared.p12", "changeit", alias="mine")
    bundle = tmp_path / "shared.pem"
    bundle.write_bytes(b"# shared\n")
    first = make_pki("First").root.write(tmp_path / "first.pem")
    second = make_pki("Second").root.write(tmp_path / "second.pem")
    hook = tmp_path / "tools.log"
    gate = Path(f"{hook}.gate")
    os.mkfifo(gate)
    run = subprocess.Popen(
        [sys.executable, "-m", "app", "install", str(first), "--target", f"java:{keystore}",
         "--target", f"bundle:{bundle}", "--yes"], cwd=REPO, text=True,
        env={**os.environ, TOOL_HOOK_ENV: str(hook), "GRIDCERT_DATA_DIR": str(tmp_path / "a")},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        lock = tmp_path / f".{bundle.name}.gridcert-lock"
        seen = 0
        while run.poll() is None:  # let its planning go on, up to a tool inside its change
            _wait_for(lambda before=seen: run.poll() is not None or (  # type: ignore[misc]
                hook.exists() and hook.read_text().count("\n") > before),
                "the first run's next keytool")
            seen = hook.read_text().count("\n")
            if lock.exists():
                break
            _release_when_waiting(gate, run)
        # The first run is inside its transaction (paused before a keytool); a run with
        # another data folder wants the same bundle.
        other = gridcert("install", str(second), "--target", f"bundle:{bundle}", "--yes",
                         env={"GRIDCERT_DATA_DIR": str(tmp_path / "b"),
                              "GRIDCERT_LOCK_TIMEOUT": "1"})
        while run.poll() is None:
            with contextlib.suppress(OSError):
                fd = os.open(gate, os.O_WRONLY | os.O_NONBLOCK)
                os.close(fd)
            time.sleep(0.02)
        _out, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
    assert other.returncode == 4, other.stderr
    assert f"Another GridCert is changing Trust bundle {bundle.name}" in other.stderr
    assert run.returncode == 0, err
    text = bundle.read_text()
    assert "First Root CA" in text and "Second Root CA" not in text
    assert set(keytool_entries(keystore)) == {"mine", "first root ca"}


def test_an_interrupted_undo_is_finished_only_under_the_store_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Recovery that finishes an undo changes the store: it waits for the store's lock like
    any change, so a run from another data folder holding it is never raced."""
    from app.actions.journal import all_journals, now_text
    from app.stores._tools import try_lock_file

    data = tmp_path / "data"
    bundle = tmp_path / "shared.pem"
    bundle.write_bytes(b"# shared\n")
    root = make_pki("Undo").root.write(tmp_path / "root.pem")
    env = {"GRIDCERT_DATA_DIR": str(data), "GRIDCERT_LOCK_TIMEOUT": "1"}
    done = gridcert("install", str(root), "--target", f"bundle:{bundle}", "--yes", env=env)
    assert done.returncode == 0, done.stderr
    assert "Undo Root CA" in bundle.read_text()
    # An undo that was killed right after it began.
    monkeypatch.setenv("GRIDCERT_DATA_DIR", str(data))
    (journal,) = all_journals()
    journal.write({"type": "undo-start", "time": now_text()})
    assert journal.state() == "undoing"

    # Another GridCert (another data folder) holds the bundle's lock.
    fd = os.open(tmp_path / f".{bundle.name}.gridcert-lock", os.O_RDWR | os.O_CREAT, 0o600)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import os, sys, time\n"
         "from app.stores._tools import try_lock_file\n"
         f"fd = os.open({str(tmp_path / f'.{bundle.name}.gridcert-lock')!r}, os.O_RDWR)\n"
         "assert try_lock_file(fd)\nprint('held', flush=True)\nsys.stdin.read()\n"],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert not try_lock_file(fd)
        waited = gridcert("list", "--target", f"bundle:{bundle}", env=env)
        assert "could not be finished" in waited.stdout + waited.stderr, waited
        assert "Undo Root CA" in bundle.read_text()  # untouched while another holds it
        assert journal.state() == "undoing"
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        os.close(fd)
    finished = gridcert("list", "--target", f"bundle:{bundle}", env=env)
    assert "interrupted undo" in finished.stdout + finished.stderr, finished
    assert "Undo Root CA" not in bundle.read_text()
    assert journal.state() == "undone"


# --- 7. a full or read-only data folder is a sentence, and the rollback is immediate ---------


def test_a_read_only_data_folder_is_a_sentence_and_json(tmp_path: Path) -> None:
    db = new_nssdb(tmp_path / "db")
    before = nss_state(db)
    root = make_pki("Read Only").root.write(tmp_path / "root.pem")
    with small_disk(tmp_path / "data") as data:
        subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
        done = gridcert("install", str(root), "--target", f"nss:{db}", "--yes", "--json",
                        env={"GRIDCERT_DATA_DIR": str(data)})
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert f"GridCert cannot write in its data folder {data}" in done.stderr
    document = json.loads(done.stdout)
    assert document["ok"] is False and "data folder" in document["error"]
    assert nss_state(db) == before


def test_a_journal_that_fills_the_disk_mid_run_rolls_back_at_once(tmp_path: Path) -> None:
    from app.stores._tools import TOOL_HOOK_ENV

    db = new_nssdb(tmp_path / "db")
    before = nss_state(db)
    _pki, root, pfx = write_pki(tmp_path)
    with small_disk(tmp_path / "data", "256k") as data:
        hook = tmp_path / "tools.log"
        gate = Path(f"{hook}.gate")
        os.mkfifo(gate)
        run = subprocess.Popen(
            [sys.executable, "-m", "app", "install", str(root), str(pfx), "--target",
             f"nss:{db}", "--password-env", "PW", "--yes", "--json"], cwd=REPO, text=True,
            env={**os.environ, "PW": PASSWORD, TOOL_HOOK_ENV: str(hook),
                 "GRIDCERT_DATA_DIR": str(data)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        try:
            seen = 0
            while run.poll() is None:
                _wait_for(lambda before=seen: run.poll() is not None or (  # type: ignore[misc]
                    hook.exists() and hook.read_text().count("\n") > before), "a tool")
                lines = hook.read_text().splitlines()
                seen = len(lines)
                if lines and "pk12util" in lines[-1]:
                    fill(data)
                    for journal in (data / "journal").glob("*.jsonl"):
                        # The slack of its last page too (blank lines, which a journal
                        # reader skips): the journal's next record will not fit.
                        with contextlib.suppress(OSError), open(journal, "ab") as handle:
                            while True:
                                handle.write(b"\n" * 64)
                                handle.flush()
                _release_when_waiting(gate, run)
            out, err = run.communicate(timeout=120)
        finally:
            if run.poll() is None:
                run.kill()
        assert run.returncode == 4, err
        assert "Traceback" not in err
        document = json.loads(out)
        assert document["ok"] is False and "journal" in document["result"]["error"]
        # Rolled back by this run, not left for the next command.
        assert nss_state(db) == before


# --- 12. Debian's generated bundle is read back too -------------------------------------------


def test_undo_of_the_last_debian_anchor_takes_it_out_of_the_generated_bundle(
        tmp_path: Path) -> None:
    from tests.realtools import openssl_fingerprints

    require_tool("update-ca-certificates", "ca-certificates")
    prefix = Path(os.environ["GRIDCERT_LINUX_ROOT"])
    (prefix / "usr/local/share/ca-certificates").mkdir(parents=True)
    root = make_pki("Debian").root
    done = gridcert("install", str(root.write(tmp_path / "root.pem")), "--target",
                    "linux-system", "--yes")
    assert done.returncode == 0, done.stderr
    bundle = prefix / "etc/ssl/certs/ca-certificates.crt"
    assert openssl_fingerprints(bundle) == [root.sha256]  # what curl/openssl read
    undone = gridcert("undo", "--yes")
    assert undone.returncode == 0, undone.stderr
    # update-ca-certificates alone leaves the last local certificate in the bundle.
    assert not bundle.exists() or root.sha256 not in openssl_fingerprints(bundle)


# --- 11. output never breaks its readers --------------------------------------------------------


def _run_bytes(*args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=120, check=False)


def test_json_is_valid_utf8_for_a_file_name_that_is_not(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/root-\xff\xfe.pem"
    with open(name, "wb") as handle:
        handle.write(make_root("Odd Name").pem)
    done = _run_bytes("inspect", name, "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
    assert document["items"][0]["source"].endswith("root-\\xff\\xfe.pem")


def test_control_characters_in_zip_member_names_are_shown_escaped(tmp_path: Path) -> None:
    archive = tmp_path / "roots.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("evil\x1b]0;owned\x07\x1b[2J.pem", make_root("Zip Member").pem)
    done = _run_bytes("inspect", str(archive))
    assert done.returncode == 0, done.stderr
    for stream in (done.stdout, done.stderr):
        assert b"\x1b" not in stream and b"\x07" not in stream
    assert b"evil\\x1b]0;owned\\x07\\x1b[2J.pem" in done.stdout + done.stderr


# --- the two contract additions -----------------------------------------------------------------

_NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def test_remove_makes_its_backup_with_a_passphrase_from_the_environment(
        tmp_path: Path) -> None:
    from tests.realtools import openssl_pkcs12_info

    require_tool("pk12util", "libnss3-tools")
    db = new_nssdb(tmp_path / "db")
    pki, _root, pfx = write_pki(tmp_path)
    done = gridcert("install", str(pfx), "--target", f"nss:{db}", "--password-env", "PW",
                    "--yes", env={"PW": PASSWORD, **_NO_KEYRING})
    assert done.returncode == 0, done.stderr
    refused = gridcert("remove", pki.leaf.sha256, "--target", f"nss:{db}", "--yes",
                       env=_NO_KEYRING)
    assert refused.returncode != 0 and "--backup-password-env" in refused.stderr
    removed = gridcert("remove", pki.leaf.sha256, "--target", f"nss:{db}", "--yes",
                       "--backup-password-env", "BACKUP",
                       env={"BACKUP": "backup passphrase 1", **_NO_KEYRING})
    assert removed.returncode == 0, removed.stderr
    assert pki.leaf.sha256 not in nss_fingerprints(db)
    backups = list((Path(os.environ["GRIDCERT_DATA_DIR"]) / "backups").glob("*.p12"))
    assert len(backups) == 1
    assert "Shrouded Keybag" in openssl_pkcs12_info(backups[0], "backup passphrase 1")
    # Undo on the same machine (still no keyring, no terminal) opens that backup with the
    # passphrase from the environment and puts the certificate and its key back.
    refused = gridcert("undo", "--yes", env=_NO_KEYRING)
    assert refused.returncode != 0 and pki.leaf.sha256 not in nss_fingerprints(db)
    wrong = gridcert("undo", "--yes", "--backup-password-env", "BACKUP",
                     env={"BACKUP": "not the passphrase", **_NO_KEYRING})
    assert wrong.returncode != 0 and pki.leaf.sha256 not in nss_fingerprints(db)
    undone = gridcert("undo", "--yes", "--backup-password-env", "BACKUP",
                      env={"BACKUP": "backup passphrase 1", **_NO_KEYRING})
    assert undone.returncode == 0, undone.stderr
    assert pki.leaf.sha256 in nss_fingerprints(db)
    keys = subprocess.run(["certutil", "-K", "-d", f"sql:{db}"], capture_output=True,
                          text=True, check=False)
    assert keys.returncode == 0 and keys.stdout.count("rsa") == 1, keys.stdout


def test_export_reads_a_file_with_its_own_password_and_writes_a_new_one(
        tmp_path: Path) -> None:
    from tests.realtools import openssl_pkcs12_info

    _pki, _root, pfx = write_pki(tmp_path)
    out = tmp_path / "copy.pfx"
    done = gridcert("export", str(pfx), "--out", str(out), "--password-env", "NEW",
                    "--in-password-env", "OLD",
                    env={"NEW": "a new password", "OLD": PASSWORD})
    assert done.returncode == 0, done.stderr
    assert "Shrouded Keybag" in openssl_pkcs12_info(out, "a new password")
