"""The transaction: journal records, rollback on failure or cancel, crash recovery, undo,
and the one-GridCert-at-a-time lock. Store behaviour is an in-memory double here (the
ordering and rollback logic is what is tested); real stores are in tests/integration.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

import app.actions.targets as targets_module
from app.actions import backup as backup_module
from app.actions.apply import CancelToken, apply_plan, recover_interrupted, undo_last
from app.actions.journal import Journal, all_journals
from app.actions.lock import BUSY_SENTENCE, changes_lock
from app.actions.plan import plan_install, plan_remove
from app.core.errors import TargetError
from app.stores.base import Identity, TrustStore
from tests.pki import make_pki, make_root
from tests.unit.test_plan import MemoryStore, item, pki_items


class Crash(BaseException):
    """Stands for the process dying: nothing in apply_plan may catch it."""


def _resolve_to(monkeypatch: pytest.MonkeyPatch, *stores: TrustStore) -> None:
    by_id = {store.id: store for store in stores}
    monkeypatch.setattr(targets_module, "resolve_targets",
                        lambda ids: [by_id[i] for i in ids])


def test_apply_commits_and_reads_every_store_back() -> None:
    items, _ = pki_items()
    a, b = MemoryStore("mem:a"), MemoryStore("mem:b", identities=False)
    report = apply_plan(plan_install(items, [a, b]))
    assert report.ok and report.exit_code == 0
    assert report.verified == ["Memory store mem:a: 3 certificates present",
                               "Memory store mem:b: 2 certificates present"]
    assert len(a.entries) == 3 and len(a.keys) == 1 and len(b.entries) == 2
    journal = all_journals()[-1]
    assert journal.id == report.journal_id
    assert journal.state() == "committed"
    types = [r["type"] for r in journal.records()]
    assert types[0] == "begin" and types[-2:] == ["verified", "committed"]
    assert types.count("step-start") == types.count("step-done") == 5


def test_journal_never_holds_key_material() -> None:
    items, _ = pki_items()
    apply_plan(plan_install(items, [MemoryStore()]))
    text = all_journals()[-1].path.read_text()
    assert "PRIVATE KEY" not in text


def test_failure_in_a_later_target_rolls_back_the_earlier_ones() -> None:
    items, pki = pki_items()
    good = MemoryStore("mem:good")
    preexisting = make_root("Already Here")
    good.add_anchor(item(preexisting))
    before = good.snapshot()
    bad = MemoryStore("mem:bad", fail_on=[pki.leaf.sha256])  # type: ignore[attr-defined]
    report = apply_plan(plan_install(items, [good, bad]))
    assert not report.ok
    assert report.rolled_back
    assert report.exit_code == 4
    assert report.failed is not None and report.failed.target_id == "mem:bad"
    assert report.error == "Memory store mem:bad refused ‘Jane Smith’."
    assert good.snapshot() == before
    assert bad.entries == {}
    assert all_journals()[-1].state() == "rolled-back"


def test_identity_rollback_keeps_chain_certificates_that_were_there_before() -> None:
    pki = make_pki()
    store = MemoryStore()
    store.add_anchor(item(pki.root))  # the root was there before the plan
    other = MemoryStore("mem:other", fail_on=[pki.leaf.sha256])
    leaf = item(pki.leaf, "c.pfx", with_key=True)
    plan = plan_install([leaf, item(pki.intermediate, "c.pfx"), item(pki.root, "c.pfx")],
                        [store, other])
    # Ordering puts store's identity import before other's failing one.
    plan.steps.sort(key=lambda s: (s.kind != "import-identity", s.target_id != "mem:a"))
    plan.steps = [s for s in plan.steps if s.kind == "import-identity"]
    report = apply_plan(plan)
    assert report.rolled_back
    assert set(store.entries) == {pki.root.sha256}


def test_cancel_between_steps_rolls_back_and_maps_to_exit_5() -> None:
    items, _ = pki_items()
    store = MemoryStore()
    token = CancelToken()
    seen: list[str] = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append(message)
        if done == 1:
            token.cancel()

    report = apply_plan(plan_install(items, [store, MemoryStore("mem:b")]), progress, token)
    assert not report.ok and report.rolled_back and report.exit_code == 5
    assert report.error == "Cancelled before the change was complete."
    assert store.entries == {}
    assert len(seen) >= 2


def test_batch_of_roots_to_one_store_is_one_call() -> None:
    roots = [item(make_root(f"Batch Root {n}")) for n in range(3)]
    store = MemoryStore()
    report = apply_plan(plan_install(roots, [store]))
    assert report.ok
    assert [c[0] for c in store.calls] == ["add_many"]
    assert len(store.calls[0]) == 4


def test_verification_catches_a_store_that_silently_kept_nothing() -> None:
    store = MemoryStore(forgetful=True)
    report = apply_plan(plan_install([item(make_root())], [store]))
    assert not report.ok and report.rolled_back and report.exit_code == 4
    assert "does not show" in (report.error or "")


def test_unusable_target_fails_before_anything_changes() -> None:
    good = MemoryStore("mem:good")
    off = MemoryStore("mem:off", usable=False)
    report = apply_plan(plan_install([item(make_root())], [good, off]))
    assert not report.ok and not report.rolled_back and report.journal_id is None
    assert report.exit_code == 4
    assert report.error == "Memory store mem:off cannot be used: it is switched off"
    assert good.entries == {}


def test_busy_target_is_refused_with_its_sentence() -> None:
    busy = MemoryStore(busy="Firefox is running; close it first.")
    report = apply_plan(plan_install([item(make_root())], [busy]))
    assert report.exit_code == 4 and report.error == "Firefox is running; close it first."
    assert busy.entries == {}


def test_crash_mid_apply_is_rolled_back_by_the_next_start(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    items, _ = pki_items()
    store = MemoryStore()
    dying = MemoryStore("mem:dying")

    def die(identity: Identity) -> None:
        raise Crash()

    monkeypatch.setattr(dying, "import_identity", die)
    with pytest.raises(Crash):
        apply_plan(plan_install(items, [store, dying]))
    assert len(store.entries) == 3  # the crash left it half-done
    assert all_journals()[-1].state() == "open"
    _resolve_to(monkeypatch, store, dying)
    sentence = recover_interrupted()
    assert sentence is not None and "has been rolled back" in sentence
    assert store.entries == {} and dying.entries == {}
    assert all_journals()[-1].state() == "rolled-back"
    assert recover_interrupted() is None


def test_a_torn_last_record_is_ignored_and_the_journal_rolled_back(
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_root("Torn Root")
    store = MemoryStore()
    journal = Journal.create("install", steps=[])
    journal.write({"type": "step-start", "index": 0, "kind": "add-root", "target": store.id,
                   "sha256": root.sha256, "added": [root.sha256]})
    store.add_anchor(item(root))
    with open(journal.path, "a", encoding="utf-8") as handle:
        handle.write('{"type": "step-do')  # the crash hit mid-write
    _resolve_to(monkeypatch, store)
    assert recover_interrupted() is not None
    assert store.entries == {}


def test_recovery_leaves_a_live_writer_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    journal = Journal.create("install", steps=[])
    with changes_lock():
        assert recover_interrupted() is None  # someone holds the lock: not a crash
    assert journal.state() == "open"


def test_undo_reverts_the_last_committed_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    items, _ = pki_items()
    store = MemoryStore()
    _resolve_to(monkeypatch, store)  # undo re-resolves stores from the journal's ids
    store.add_anchor(item(make_root("Unrelated")))
    before = store.snapshot()
    assert apply_plan(plan_install(items, [store])).ok
    report = undo_last()
    assert report.ok
    assert store.snapshot() == before
    assert report.verified == ["Memory store mem:a: 3 certificates taken back"]
    assert all_journals()[-1].state() == "undone"
    again = undo_last()
    assert again.ok and again.applied == [] and again.verified == ["There is nothing to undo."]


def test_undo_of_a_removal_puts_roots_and_identities_back(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setattr(backup_module, "backup_passphrase", lambda supplied=None: "backup-pw")
    items, pki = pki_items()
    store = MemoryStore()
    _resolve_to(monkeypatch, store)
    assert apply_plan(plan_install(items, [store])).ok
    before = store.snapshot()
    plan = plan_remove([pki.root.sha256, pki.leaf.sha256], [store])  # type: ignore[attr-defined]
    removed = apply_plan(plan)
    assert removed.ok
    assert set(store.entries) == {pki.intermediate.sha256}  # type: ignore[attr-defined]
    backups = backup_module.list_backups()
    assert len(backups) == 1
    assert b"PRIVATE KEY" not in backups[0].read_bytes()
    records = [r for r in all_journals()[-1].records() if r["type"] == "step-start"]
    assert {bool(r["backup"]) for r in records} == {True, False}
    assert undo_last().ok
    assert store.snapshot() == before  # the root trusted again, the key back


def test_removing_an_identity_that_cannot_be_backed_up_changes_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_module, "backup_passphrase", lambda supplied=None: "pw")
    items, pki = pki_items()
    store = MemoryStore()
    assert apply_plan(plan_install(items, [store])).ok
    before = store.snapshot()

    def refuse(sha256: str, password: str, profile: str = "modern") -> bytes:
        raise TargetError("This store cannot export keys.")

    monkeypatch.setattr(store, "export_identity", refuse)
    report = apply_plan(plan_remove([pki.root.sha256, pki.leaf.sha256], [store]))  # type: ignore[attr-defined]
    assert not report.ok and report.error == "This store cannot export keys."
    assert store.snapshot() == before


def test_second_gridcert_waits_then_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDCERT_LOCK_TIMEOUT", "0.3")
    store = MemoryStore()
    with changes_lock():
        report = apply_plan(plan_install([item(make_root())], [store]))
    assert report.exit_code == 4 and report.error == BUSY_SENTENCE
    assert store.entries == {}


def test_second_gridcert_proceeds_once_the_first_finishes(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv("GRIDCERT_LOCK_TIMEOUT", "20")
    store = MemoryStore()
    held = threading.Event()

    def first() -> None:
        with changes_lock():
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(5)
    report = apply_plan(plan_install([item(make_root())], [store]))
    thread.join()
    assert report.ok and len(store.entries) == 1


def test_report_json_shape() -> None:
    report = apply_plan(plan_install([item(make_root())], [MemoryStore()]))
    document = json.loads(json.dumps(report.to_json()))
    assert set(document) == {"ok", "applied", "verified", "failed", "error", "rolled_back",
                             "journal_id", "recovered", "error_detail"}
    assert document["applied"][0]["kind"] == "add-root"
