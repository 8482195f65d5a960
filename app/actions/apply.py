"""Applying a plan as a transaction: journal, do, verify, commit — or undo everything.

`apply_plan` holds the data folder's lock, writes a journal record before and after each
step, reads every target back, then marks the journal committed. Any failure (or a
cancel before the commit point) undoes the steps already done, in reverse, so the stores
are as they were. A journal left by a process that died is found by the next GridCert
(`recover_interrupted`, also run at the start of every apply/undo) and rolled back.
`undo_last` reverts the last committed plan; removed certificates come back from the
journal (CA certificates: their PEM) or from an encrypted backup (identities).

Steps for a store that needs administrator rights (`windows-machine` when not elevated)
are not run here: they are handed over, as one journalled "handover" step, to a second
elevated GridCert (`handover.py`); rolling back or undoing that step hands a revert over
the same way. The GUI and CLI need not know: `apply_plan` does it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12

from app.actions.handover import elevated_labels, hand_over, needs_elevation
from app.actions.journal import Journal, all_journals, now_text
from app.actions.lock import changes_lock
from app.actions.plan import Plan, Step, StepKind
from app.actions.storelock import stores_locked
from app.core.errors import (
    EXIT_CANCELLED,
    EXIT_TARGET_FAILED,
    CancelledError,
    DataFolderError,
    GridCertError,
    NotExportableError,
    StoreLockedError,
    TargetError,
    WrongPasswordError,
)
from app.core.model import CertificateItem
from app.stores._scratch import sweep as sweep_scratch
from app.stores.base import Identity, TrustStore
from app.stores.bundle import PemBundle

ProgressCallback = Callable[[int, int, str], None]

#: Test hook: `os._exit` right after the N-th step is journalled done (crash simulation).
CRASH_ENV = "GRIDCERT_TEST_CRASH_AFTER_STEP"


class CancelToken:
    """Set by the GUI's Cancel button (any thread); honoured before the commit point."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@dataclass
class ApplyReport:
    """What an apply (or undo) did, in sentences a person can read."""

    ok: bool
    applied: list[Step] = field(default_factory=list)
    #: Plain sentences: "Firefox — default profile: 2 certificates present".
    verified: list[str] = field(default_factory=list)
    failed: Step | None = None
    error: str | None = None
    rolled_back: bool = False
    journal_id: str | None = None
    #: The CLI exit code this outcome maps to (0, 4 target failed, 5 cancelled).
    exit_code: int = 0
    #: A sentence when an interrupted change was rolled back before this one started.
    recovered: str | None = None
    #: The technical text behind `error` (GridCertError.detail), for Details / --verbose.
    error_detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "applied": [step.to_json() for step in self.applied],
            "verified": list(self.verified),
            "failed": self.failed.to_json() if self.failed else None,
            "error": self.error,
            "rolled_back": self.rolled_back,
            "journal_id": self.journal_id,
            "recovered": self.recovered,
            "error_detail": self.error_detail,
        }


def _log(action: str, outcome: str, **fields: str) -> None:
    try:
        from app.core.logsetup import log_action
    except ImportError:
        return
    with contextlib.suppress(Exception):
        log_action(action, outcome, **fields)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- stores by id (for recovery in a new process) ------------------------------------------


class Stores:
    """Target id → store: the live objects of the plan, else re-resolved from the id.

    Part of the transaction's public seam (with `run_steps` and `revert_step`), which the
    elevated run of a hand-over (handover_run.py) uses too."""

    def __init__(self, known: dict[str, TrustStore] | None = None) -> None:
        self._known = dict(known or {})

    def get(self, target_id: str) -> TrustStore:
        store = self._known.get(target_id)
        if store is None:
            from app.actions.targets import resolve_targets

            found = resolve_targets([target_id])
            if not found:
                raise TargetError(f"GridCert cannot find the store '{target_id}' any more.")
            store = found[0]
            self._known[target_id] = store
        return store


# --- what a step adds, and how it is reverted ------------------------------------------------


def _forward_record(index: int, step: Step, store: TrustStore,
                    present: set[str]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "step-start", "index": index, "kind": step.kind, "target": step.target_id,
        "target_label": step.target_label, "sha256": step.sha256, "title": step.title,
        "time": now_text(),
    }
    # `present`: what the store held before this run touched it (read under the lock),
    # plus what this run's earlier steps added. Only what is not in it is "added": undo
    # and rollback take back exactly that, never a certificate that was there before
    # (one the person had, or one another run committed after this run planned).
    if step.kind == "import-identity" and step.identity is not None:
        # pk12util/PFXImportCertStore also add the chain; remember which were new.
        shas = dict.fromkeys([step.sha256, *(c.sha256 for c in step.identity.chain)])
        record["added"] = [sha for sha in shas if sha not in present]
        if step.sha256 in record["added"]:
            # A tool killed between the key and the certificate leaves the key alone in
            # the store; the rollback removes it, unless it was there before.
            record["pem"] = step.identity.leaf.pem.decode("ascii")
            record["key_was_there"] = store.key_present(step.identity.leaf)
    elif step.kind in ("add-root", "add-intermediate"):
        record["added"] = [step.sha256] if step.sha256 not in present else []
    else:
        record.update(_removal_record(step, store))
    if "added" in record and isinstance(store, PemBundle) and store.file_missing():
        # This step creates the bundle file: undoing it must take the file away too, not
        # leave an empty one behind (a file that existed before is never removed).
        record["created_file"] = True
    return record


def _removal_record(step: Step, store: TrustStore, backup: bool = True) -> dict[str, Any]:
    """What undoing a removal needs: the PEM (public) and, for an identity, a backup.

    `backup=False`: the parent's provisional record of a handed-over removal (the
    elevated run, which can read the key, makes the backup and reports it)."""
    item = step.item
    if item is None:
        raise TargetError(f"The step '{step.title}' has no certificate to remove.")
    stored = step.stored
    trusted = stored.trusted if stored is not None else item.role == "root"
    keyed = item.has_private_key or (stored is not None and stored.has_private_key)
    record: dict[str, Any] = {"pem": item.pem.decode("ascii"), "trusted": trusted,
                              "role": item.role, "backup": None}
    if keyed and backup:
        from app.actions.backup import backup_passphrase, save_backup

        try:
            blob = store.export_identity(item.sha256, backup_passphrase(), "modern")
        except NotExportableError as error:
            raise NotExportableError(
                f"‘{item.display_name}’ was not removed from {store.label}: GridCert first "
                f"keeps an encrypted backup of every personal certificate it removes, and "
                f"this one cannot be exported ({error})"
            ) from error
        record["backup"] = str(save_backup(blob, item.display_name, ".p12"))
    return record


def _item_from_pem(pem: str, source: str) -> CertificateItem:
    return CertificateItem(x509.load_pem_x509_certificate(pem.encode("ascii")), source=source)


def _identity_from_backup(path: str) -> Identity:
    from app.actions.backup import backup_passphrase

    data = Path(path).read_bytes()
    try:
        bundle = pkcs12.load_pkcs12(data, backup_passphrase().encode())
    except ValueError as error:
        # A passphrase typed in another run (no keyring) may differ from the one used then.
        raise WrongPasswordError(
            f"The backup {path} could not be opened: wrong backup passphrase, or the file "
            f"is damaged."
        ) from error
    key, held = bundle.key, bundle.cert
    if key is None or held is None:
        raise TargetError(f"The backup {path} does not hold a certificate with its key.")
    leaf = CertificateItem(held.certificate, source=path, private_key=key)
    chain = tuple(CertificateItem(c.certificate, source=path) for c in bundle.additional_certs)
    # The backup keeps the store's own name for it (the NSS nickname the browser showed):
    # undo puts it back under that name, not under its CN.
    friendly = held.friendly_name.decode("utf-8", "replace") if held.friendly_name else None
    return Identity(leaf=leaf, chain=chain, friendly_name=friendly)


def revert_step(record: dict[str, Any], store: TrustStore) -> None:
    """Undo one journalled step (not a hand-over). Safe to repeat (a crash may interrupt a
    rollback)."""
    if record["kind"] == "remove":
        if store.contains(record["sha256"]):
            return
        if record.get("backup"):
            store.import_identity(_identity_from_backup(record["backup"]))
            return
        item = _item_from_pem(record["pem"], f"journal:{record['target']}")
        if record.get("trusted"):
            store.add_anchor(item)
        else:
            store.add_intermediate(item)
        return
    for sha in record.get("added", []):
        store.remove(sha)
    if record.get("key_was_there") is False and record.get("pem"):
        store.remove_orphan_key(_item_from_pem(record["pem"], f"journal:{record['target']}"))
    if record.get("created_file") and isinstance(store, PemBundle):
        store.discard_if_empty()


def _revert_any(record: dict[str, Any], stores: Stores) -> None:
    """Undo one journalled step, handing it to an elevated run when its store needs one."""
    if record["kind"] == "handover":
        _revert_handover(record, stores)
    else:
        revert_step(record, stores.get(record["target"]))


def _revert_handover(record: dict[str, Any], stores: Stores) -> None:
    """Revert the steps an elevated run did: elevated again, unless we are elevated now."""
    subs: list[dict[str, Any]] = list(record.get("records", []))
    targets = [stores.get(t) for t in dict.fromkeys(str(sub["target"]) for sub in subs)]
    if any(needs_elevation(store) for store in targets):
        result = hand_over("revert", records=subs)
        if not result.ok:
            if result.exit_code == EXIT_CANCELLED:
                raise CancelledError(result.error or "Cancelled.")
            raise TargetError(f"Undoing the changes made with administrator rights failed: "
                              f"{result.error}")
        return
    for sub in reversed(subs):
        revert_step(sub, stores.get(str(sub["target"])))


def _handover_record(index: int, lifted: Sequence[Step], plan: Plan) -> dict[str, Any]:
    """The journal record of the hand-over: enough to revert it even if the elevated run
    dies without a word (it is replaced by that run's own records when it reports)."""
    present: dict[str, set[str]] = {}
    subs: list[dict[str, Any]] = []
    for number, step in enumerate(lifted):
        store = plan.targets[step.target_id]
        if step.kind == "remove":
            sub: dict[str, Any] = {
                "kind": step.kind, "target": step.target_id, "target_label": step.target_label,
                "sha256": step.sha256, "title": step.title,
                **_removal_record(step, store, backup=False)}
        else:
            if store.id not in present:
                # Reading a machine store needs no administrator rights.
                present[store.id] = {e.item.sha256 for e in store.list()}
            sub = _forward_record(number, step, store, present[store.id])
            present[store.id].update(sub.get("added", []))
        sub.pop("type", None)
        sub.pop("index", None)
        subs.append(sub)
    labels = elevated_labels([plan.targets[t] for t in dict.fromkeys(s.target_id for s in lifted)])
    return {
        "type": "step-start", "index": index, "kind": "handover",
        "target": lifted[0].target_id, "target_label": ", ".join(labels),
        "sha256": lifted[0].sha256,
        "title": f"With administrator rights: {_plural(len(lifted), 'change')} to "
                 f"{', '.join(labels)}",
        "records": subs, "time": now_text(),
    }


def _reverted_present(record: dict[str, Any]) -> bool:
    """Whether the certificate must be present once the step is reverted: a removal put
    back, or an addition of something the store already held (nothing to take back)."""
    if record["kind"] == "remove":
        return True
    return record["sha256"] not in record.get("added", [record["sha256"]])


def _inverse_step(record: dict[str, Any]) -> Step:
    kind: StepKind
    if record["kind"] == "remove":
        if record.get("backup"):
            kind = "import-identity"
        else:
            kind = "add-root" if record.get("trusted") else "add-intermediate"
        title = f"Put back what was removed: {record.get('title', record['sha256'])}"
    else:
        kind = "remove"
        title = f"Take back: {record.get('title', record['sha256'])}"
    return Step(kind, record["target"], record.get("target_label", record["target"]),
                record["sha256"], title, "undoing an earlier change")


# --- rollback and recovery --------------------------------------------------------------------


def _rollback(journal: Journal, stores: Stores) -> tuple[bool, str | None, int]:
    """Revert every started step of `journal`, newest first. (ok, error, count)."""
    _note(journal, {"type": "rollback-start", "time": now_text()})
    done = journal.reverted_indexes("rollback-step")
    count = 0
    failures: list[str] = []
    for record in reversed(journal.started_steps()):
        index = int(record["index"])
        if index in done:
            continue
        try:
            _revert_any(record, stores)
        except Exception as error:  # any failure must be reported, not raised
            message = str(error) if isinstance(error, GridCertError) else repr(error)
            _note(journal, {"type": "rollback-failed", "index": index, "error": message,
                           "time": now_text()})
            # One store that cannot be reverted must not keep the others changed: go
            # on, and say per store what is left and what to do about it.
            failures.append(_unreverted_sentence(record, message))
            continue
        _note(journal, {"type": "rollback-step", "index": index, "time": now_text()})
        count += 1
    if failures:
        return False, " ".join(failures), count
    _note(journal, {"type": "rolled-back", "time": now_text()})
    return True, None, count


def _note(journal: Journal, record: dict[str, Any]) -> None:
    """A rollback's own record: kept in memory when the disk refuses it, so that the
    rollback goes on now (the next start, finding the journal open, repeats it safely)."""
    with contextlib.suppress(DataFolderError):
        journal.write(record)


def _unreverted_sentence(record: dict[str, Any], message: str) -> str:
    label = record.get("target_label") or record.get("target", "a store")
    title = record.get("title") or record.get("sha256", "a change")
    if record.get("kind") == "remove":
        todo = f"if it keeps failing, put the certificate back into {label} by hand"
    else:
        todo = f"if it keeps failing, remove it from {label} by hand"
    return (f"{label} still has the change ‘{title}’ ({message.rstrip('.')}); GridCert "
            f"tries again at its next start; {todo}.")


def _undo_journal(journal: Journal, stores: Stores,
                  progress: ProgressCallback | None) -> ApplyReport:
    """Revert the finished steps of a committed journal, newest first, checking each."""
    if journal.state() == "committed":
        journal.write({"type": "undo-start", "time": now_text()})
    finished = journal.done_indexes()
    undone = journal.reverted_indexes("undo-step")
    records = [r for r in reversed(journal.started_steps())
               if int(r["index"]) in finished and int(r["index"]) not in undone]
    report = ApplyReport(ok=True, journal_id=journal.id)
    counts: dict[str, list[int]] = {}
    for number, record in enumerate(records):
        inverse = _inverse_step(record)
        if progress:
            progress(number, len(records), inverse.title)
        # A handed-over step is several changes; each is checked and reported.
        parts = (list(reversed(record.get("records", []))) if record["kind"] == "handover"
                 else [record])
        inverses = [_inverse_step(part) for part in parts]
        try:
            _revert_any(record, stores)
            for part, step in zip(parts, inverses, strict=True):
                store = stores.get(part["target"])
                if store.contains(part["sha256"]) != _reverted_present(part):
                    raise TargetError(
                        f"{store.label} still shows the state from before the undo after "
                        f"'{step.title}'."
                    )
        except Exception as error:  # reported to the person
            message = str(error) if isinstance(error, GridCertError) else repr(error)
            journal.write({"type": "undo-failed", "index": record["index"], "error": message,
                           "time": now_text()})
            report.ok = False
            report.failed = inverse
            report.error = (f"{message} The other changes were undone; run 'gridcert undo' "
                            "again to retry the rest.")
            report.exit_code = EXIT_TARGET_FAILED
            _log("undo", "failed", journal=journal.id, error=message)
            return report
        journal.write({"type": "undo-step", "index": record["index"], "time": now_text()})
        for step in inverses:
            report.applied.append(step)
            tally = counts.setdefault(step.target_label, [0, 0])
            tally[0 if step.kind == "remove" else 1] += 1
    journal.write({"type": "undone", "time": now_text()})
    for label, (removed, restored) in counts.items():
        parts = []
        if removed:
            parts.append(f"{_plural(removed, 'certificate')} taken back")
        if restored:
            parts.append(f"{_plural(restored, 'certificate')} put back")
        report.verified.append(f"{label}: {', '.join(parts)}")
    if progress:
        progress(len(records), len(records), "Undone")
    _log("undo", "ok", journal=journal.id, steps=str(len(records)))
    return report


def _journal_stores(journal: Journal, stores: Stores) -> list[TrustStore]:
    """The stores a journal changed, for their locks (one that cannot be found now is
    left out: its revert says so)."""
    found = []
    for target in journal.begin.get("targets", []):
        with contextlib.suppress(GridCertError):
            found.append(stores.get(str(target)))
    return found


def _recover_locked() -> str | None:
    """Finish what crashed processes left (the caller holds the lock)."""
    # Temporary key material (one-time PKCS#12 files, their password files, NSS database
    # copies) a killed GridCert could not remove in its `finally`.
    sweep_scratch()
    sentences: list[str] = []
    stores = Stores()
    for journal in all_journals():
        state = journal.state()
        when = journal.begin.get("time", "an earlier run")
        if state in ("open", "rollback-failed"):
            try:
                with stores_locked(_journal_stores(journal, stores)):
                    ok, error, count = _rollback(journal, stores)
            except StoreLockedError as busy:
                ok, error, count = False, str(busy), 0
            if ok:
                sentences.append(
                    f"A change that was interrupted ({when}) has been rolled back "
                    f"({_plural(count, 'step')} undone); the stores are as they were before it."
                )
                _log("recover", "rolled-back", journal=journal.id, steps=str(count))
            else:
                sentences.append(
                    f"A change that was interrupted ({when}) could not be rolled back yet: "
                    f"{error}"
                )
                _log("recover", "failed", journal=journal.id)
        elif state == "undoing":
            # Finishing an undo changes the stores like any undo: under their locks, so a
            # run from another data folder is never changing the same store meanwhile.
            try:
                with stores_locked(_journal_stores(journal, stores)):
                    report = _undo_journal(journal, stores, None)
            except StoreLockedError as busy:
                report = ApplyReport(ok=False, error=str(busy), exit_code=busy.exit_code)
            if report.ok:
                sentences.append(f"An interrupted undo ({when}) has been finished.")
            else:
                sentences.append(f"An interrupted undo ({when}) could not be finished: "
                                 f"{report.error}")
    return " ".join(sentences) or None


def recover_interrupted(wait: float = 0.0) -> str | None:
    """At start: roll back a change left half-done by a crash; a sentence if it did.

    When another GridCert holds the lock it is working, not crashed: nothing is done.
    """
    try:
        with changes_lock(wait=wait):
            return _recover_locked()
    except StoreLockedError:
        return None


# --- apply ------------------------------------------------------------------------------------


def _preflight(plan: Plan, steps: Sequence[Step]) -> None:
    """Every target the steps use must be usable and free, before anything changes."""
    seen: set[str] = set()
    for step in steps:
        if step.target_id in seen:
            continue
        seen.add(step.target_id)
        store = plan.targets.get(step.target_id)
        if store is None:
            raise TargetError(f"The plan names the store '{step.target_id}', which it lacks.")
        availability = store.available()
        if not availability.usable:
            raise TargetError(
                f"{store.label} cannot be used: {availability.reason or 'not available'}",
                availability.detail,
            )
        busy = store.busy_reason()
        if busy:
            raise StoreLockedError(busy)


def _groups(steps: Sequence[Step]) -> list[list[Step]]:
    """Consecutive CA additions to one store go in one batch (one certutil process)."""
    groups: list[list[Step]] = []
    for step in steps:
        last = groups[-1] if groups else None
        if (last is not None and _batchable(step) and _batchable(last[-1])
                and last[-1].target_id == step.target_id):
            last.append(step)
        else:
            groups.append([step])
    return groups


def _batchable(step: Step) -> bool:
    return step.item is not None and (
        (step.kind == "add-root" and step.item.role == "root")
        or (step.kind == "add-intermediate" and step.item.role == "intermediate")
    )


def _execute(group: Sequence[Step], store: TrustStore) -> None:
    if len(group) > 1:
        store.add_many([step.item for step in group if step.item is not None])
        return
    step = group[0]
    if step.kind == "add-root" and step.item is not None:
        store.add_anchor(step.item)
    elif step.kind == "add-intermediate" and step.item is not None:
        store.add_intermediate(step.item)
    elif step.kind == "import-identity" and step.identity is not None:
        store.import_identity(step.identity)
    elif step.kind == "remove":
        store.remove(step.sha256)
    else:
        raise TargetError(f"The step '{step.title}' is missing what it should install.")


def _verify(plan: Plan, steps: Sequence[Step]) -> list[str]:
    """Read every target back; a sentence per target, or TargetError naming the gap."""
    sentences: list[str] = []
    by_target: dict[str, list[Step]] = {}
    for step in steps:
        by_target.setdefault(step.target_id, []).append(step)
    for target_id, target_steps in by_target.items():
        store = plan.targets[target_id]
        present = {entry.item.sha256 for entry in store.list()}
        added = [s for s in target_steps if s.kind != "remove"]
        removed = [s for s in target_steps if s.kind == "remove"]
        for step in added:
            if step.sha256 not in present:
                raise TargetError(f"{store.label} does not show '{step.title}' after it was "
                                  "added.")
        for step in removed:
            if step.sha256 in present:
                raise TargetError(f"{store.label} still shows the certificate of "
                                  f"'{step.title}' after it was removed.")
        parts = []
        if added:
            parts.append(f"{_plural(len(added), 'certificate')} present")
        if removed:
            parts.append(f"{_plural(len(removed), 'certificate')} removed")
        sentences.append(f"{store.label}: {', '.join(parts)}")
    return sentences


def _crash_hook(count: int) -> None:
    raw = os.environ.get(CRASH_ENV)
    if raw and raw.isdigit() and count == int(raw):
        os._exit(70)  # simulate a killed process: no cleanup, no rollback


def apply_plan(plan: Plan, progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> ApplyReport:
    """Carry out `plan` as one transaction; never raises for a store failure."""
    steps = plan.active_steps
    try:
        with changes_lock():
            recovered = _recover_locked()
            report = _apply_locked(plan, steps, progress, cancel)
            report.recovered = recovered
            return report
    except StoreLockedError as error:
        return ApplyReport(ok=False, error=str(error), exit_code=error.exit_code,
                            error_detail=error.detail)


def run_steps(plan: Plan, steps: list[Step], journal: Journal) -> ApplyReport:
    """The transaction for a caller that holds the changes lock for itself and has begun
    `journal`: every step runs in this process, none is handed over (the elevated run of a
    hand-over, which must never hand on), then verify, commit — or roll back."""
    return _apply_locked(plan, steps, None, None, journal=journal, elevate=False)


def _apply_locked(plan: Plan, steps: list[Step], progress: ProgressCallback | None,
                  cancel: CancelToken | None, *, journal: Journal | None = None,
                  elevate: bool = True) -> ApplyReport:
    """The transaction. `journal`: an already begun one (the elevated run's private
    journal); `elevate=False`: run every step here (the elevated run never hands on)."""
    if not steps:
        return ApplyReport(ok=True, verified=["Everything was already in place."])
    try:
        # The stores' own locks too: another GridCert with another data folder may be
        # changing the same keystore, bundle or database. Not those handed over: the
        # elevated run takes theirs.
        used = [plan.targets[t] for t in dict.fromkeys(s.target_id for s in steps)
                if t in plan.targets]
        with stores_locked(s for s in used if not (elevate and needs_elevation(s))):
            return _apply_stores_locked(plan, steps, progress, cancel, journal=journal,
                                        elevate=elevate)
    except StoreLockedError as error:
        _log(plan.action, "refused", error=str(error))
        return ApplyReport(ok=False, error=str(error), exit_code=error.exit_code,
                            error_detail=error.detail)


def _apply_stores_locked(plan: Plan, steps: list[Step], progress: ProgressCallback | None,
                         cancel: CancelToken | None, *, journal: Journal | None,
                         elevate: bool) -> ApplyReport:
    try:
        _preflight(plan, steps)
    except GridCertError as error:
        _log(plan.action, "refused", error=str(error))
        return ApplyReport(ok=False, error=str(error), exit_code=error.exit_code,
                            error_detail=error.detail)
    # Steps for stores that need administrator rights go last, in one hand-over (one
    # permission prompt): a declined prompt or a failed elevated run then leaves only
    # our own steps to roll back, without asking for permission a second time.
    lifted = [s for s in steps if elevate and needs_elevation(plan.targets[s.target_id])]
    lifted_ids = {id(s) for s in lifted}
    local = [s for s in steps if id(s) not in lifted_ids]
    # Read every store once, under the lock, before anything changes: a store that
    # cannot be used (a wrong keystore password, a damaged database) is refused here,
    # not found half-way; and what each already holds is never journalled as added.
    present: dict[str, set[str]] = {}
    try:
        for step in local:
            if step.target_id not in present:
                store = plan.targets[step.target_id]
                present[store.id] = {e.item.sha256 for e in store.list()}
    except GridCertError as error:
        _log(plan.action, "refused", error=str(error))
        return ApplyReport(ok=False, error=str(error), exit_code=EXIT_TARGET_FAILED,
                            error_detail=error.detail)
    if journal is None:
        try:
            journal = Journal.create(plan.action, steps=[s.to_json() for s in steps],
                                     targets=sorted({s.target_id for s in steps}))
        except DataFolderError as error:  # nothing has changed yet
            _log(plan.action, "refused", error=str(error))
            return ApplyReport(ok=False, error=str(error), exit_code=error.exit_code,
                            error_detail=error.detail)
    report = ApplyReport(ok=False, journal_id=journal.id)
    index = 0
    current: Step | None = None
    try:
        for group in _groups(local):
            if cancel is not None and cancel.cancelled:
                raise CancelledError("Cancelled before the change was complete.")
            current = group[0]
            store = plan.targets[current.target_id]
            if progress:
                progress(index, len(steps), current.title)
            records = []
            for n, step in enumerate(group):
                records.append(_forward_record(index + n, step, store, present[store.id]))
                present[store.id].update(records[-1].get("added", []))
            journal.write_many(records)
            try:
                _execute(group, store)
            except BaseException:
                if store.changes_atomically:
                    # A failed change of such a store left it as it was: nothing to
                    # revert (and a revert could only fail the same way).
                    journal.write_many([{"type": "rollback-step", "index": index + n,
                                         "time": now_text(), "unchanged": True}
                                        for n in range(len(group))])
                raise
            stamp = now_text()
            journal.write_many([{"type": "step-done", "index": index + n, "time": stamp}
                                for n in range(len(group))])
            for n, step in enumerate(group):
                report.applied.append(step)
                if step.kind == "remove":
                    present[store.id].discard(step.sha256)
                _crash_hook(index + n + 1)
            index += len(group)
        if lifted:
            if cancel is not None and cancel.cancelled:
                raise CancelledError("Cancelled before the change was complete.")
            current = lifted[0]
            _hand_over_steps(journal, index, lifted, plan, len(steps), progress)
            for n, step in enumerate(lifted):
                report.applied.append(step)
                _crash_hook(index + n + 1)
            index += len(lifted)
        current = None
        if progress:
            progress(len(steps), len(steps), "Checking every store")
        if cancel is not None and cancel.cancelled:
            raise CancelledError("Cancelled before the change was complete.")
        report.verified = _verify(plan, steps)
        journal.write({"type": "verified", "time": now_text(), "verified": report.verified})
        journal.write({"type": "committed", "time": now_text()})
    except (Exception, KeyboardInterrupt) as error:
        cancelled = isinstance(error, CancelledError | KeyboardInterrupt)
        if isinstance(error, GridCertError):
            message = str(error)
        elif isinstance(error, KeyboardInterrupt):
            message = "Cancelled before the change was complete."
        else:
            message = f"An unexpected error stopped the change: {error!r}"
        ok, rollback_error, _count = _rollback(journal, Stores(plan.targets))
        report.ok = False
        report.failed = current
        report.rolled_back = ok
        report.applied = []
        report.exit_code = EXIT_CANCELLED if cancelled else EXIT_TARGET_FAILED
        if ok:
            report.error = message
        else:
            report.error = f"{message} Undoing the earlier steps failed too: {rollback_error}"
        _log(plan.action, "cancelled" if cancelled else "rolled-back", journal=journal.id,
             error=message)
        return report
    report.ok = True
    _log(plan.action, "committed", journal=journal.id, steps=str(len(steps)))
    return report


def _hand_over_steps(journal: Journal, index: int, lifted: Sequence[Step], plan: Plan,
                     total: int, progress: ProgressCallback | None) -> None:
    """Run `lifted` in an elevated GridCert, journalled as step `index`; raises on failure
    (CancelledError when the person declines), after noting what needs no rollback."""
    record = _handover_record(index, lifted, plan)
    if progress:
        progress(index, total, f"Waiting for administrator permission to change "
                               f"{record['target_label']}")
    journal.write(record)
    nothing_left = {"type": "rollback-step", "index": index, "time": now_text()}
    try:
        result = hand_over("apply", action=plan.action, steps=lifted)
    except CancelledError:
        journal.write(nothing_left)  # the elevated run never started
        raise
    if not result.ok:
        if result.clean:
            journal.write(nothing_left)  # it undid its own steps
        if result.exit_code == EXIT_CANCELLED:
            raise CancelledError(result.error or "Cancelled before the change was complete.")
        at = f" at “{result.failed}”" if result.failed else ""
        undone = " (what it had done was undone)" if result.clean else ""
        raise TargetError(f"The change made with administrator rights failed{at}{undone}: "
                          f"{result.error}")
    journal.write({"type": "step-update", "index": index, "records": result.records,
                   "time": now_text()})
    journal.write({"type": "step-done", "index": index, "time": now_text()})


def undo_last(progress: ProgressCallback | None = None,
              stores: Sequence[TrustStore] | None = None) -> ApplyReport:
    """Revert the last committed plan (removals come back from the journal or a backup).

    `stores`: live store objects to use for their target ids (else resolved from the ids)."""
    try:
        with changes_lock():
            recovered = _recover_locked()
            candidates = [j for j in all_journals()
                          if j.state() in ("committed", "undo-failed")]
            if not candidates:
                return ApplyReport(ok=True, verified=["There is nothing to undo."],
                                   recovered=recovered)
            known = Stores({store.id: store for store in stores or ()})
            with stores_locked(_journal_stores(candidates[-1], known)):
                report = _undo_journal(candidates[-1], known, progress)
            report.recovered = recovered
            return report
    except StoreLockedError as error:
        return ApplyReport(ok=False, error=str(error), exit_code=error.exit_code,
                            error_detail=error.detail)


def last_change_uses_backup() -> bool:
    """Whether undoing the last change puts a personal certificate back from its encrypted
    backup (so the backup passphrase is needed: the CLI asks for it before starting)."""
    candidates = [j for j in all_journals() if j.state() in ("committed", "undo-failed")]
    if not candidates:
        return False
    for record in candidates[-1].started_steps():
        parts = record.get("records", []) if record.get("kind") == "handover" else [record]
        if any(part.get("kind") == "remove" and part.get("backup") for part in parts):
            return True
    return False


def last_change() -> dict[str, Any] | None:
    """The journal summary `undo` would revert: {"id", "time", "action", "steps"}, or None."""
    candidates = [j for j in all_journals() if j.state() in ("committed", "undo-failed")]
    if not candidates:
        return None
    journal = candidates[-1]
    begin = journal.begin
    return {"id": journal.id, "time": begin.get("time"), "action": begin.get("action"),
            "steps": begin.get("steps", [])}
