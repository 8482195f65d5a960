"""The elevated run's side of a hand-over: `GridCert.exe --apply-handover FILE SHA256` in a
frozen build (the windowed program, app/gui/main.py), `gridcert _apply-handover FILE SHA256`
from source (app/cli).

Started through UAC by `handover.hand_over` (see handover.py for the whole exchange): it
reads and deletes the hand-over file, applies the steps as its own transaction (a private
journal next to the file, read-back verification, rollback on failure) or reverts the
records it carries, and writes the result file the first run reads.

It lives apart from handover.py because it drives the transaction (apply.py's public
seam: `Stores`, `run_steps`, `revert_step`), and the transaction itself hands steps over
through handover.py: in one module, the two would import each other.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography import x509

from app.actions.apply import Stores, revert_step, run_steps
from app.actions.handover import (
    HandOver,
    journal_path,
    read_handover,
    remove_file,
    result_path,
    write_private,
)
from app.actions.journal import Journal, now_text
from app.actions.plan import Plan, Step
from app.core.errors import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_TARGET_FAILED,
    BadInputError,
    GridCertError,
)
from app.core.model import CertificateItem
from app.stores.base import Identity


def steps_from(handover: HandOver, stores: Any) -> list[Step]:
    """The plan's steps back from the hand-over file (`stores`, a Stores: for removals,
    what the store holds now decides the backup and the trust to put back)."""
    steps: list[Step] = []
    for entry in handover.steps:
        target = str(entry["target"])
        item: CertificateItem | None = None
        identity: Identity | None = None
        stored = None
        if entry.get("pem"):
            item = CertificateItem(
                x509.load_pem_x509_certificate(str(entry["pem"]).encode("ascii")),
                source="hand-over")
        if entry.get("pkcs12"):
            from app.core.p12 import read_pkcs12

            if not handover.password:
                raise BadInputError("The hand-over file lacks the password of its identity.")
            leaf, *chain = read_pkcs12(base64.b64decode(entry["pkcs12"]), handover.password,
                                       "the hand-over file")
            identity = Identity(leaf=leaf, chain=tuple(chain),
                                friendly_name=entry.get("friendly_name"))
            item = leaf
        if entry["kind"] == "remove":
            for found in stores.get(target).list():
                if found.item.sha256 == entry["sha256"]:
                    item, stored = found.item, found
                    break
        steps.append(Step(entry["kind"], target, str(entry.get("target_label", target)),
                          str(entry["sha256"]), str(entry.get("title", "")),
                          str(entry.get("reason", "")), item=item, identity=identity,
                          stored=stored))
    return steps


def run_handover(path: str | os.PathLike[str], digest: str) -> int:
    """The elevated run: do what the file asks, write the result next to it; an exit code."""
    file = Path(path)
    answer: dict[str, Any]
    try:
        handover = read_handover(file, digest)
    except GridCertError:
        # Not a file the first run wrote for us: write nothing anywhere (we are elevated).
        return EXIT_BAD_INPUT
    try:
        stores = Stores()
        if handover.mode == "apply":
            steps = steps_from(handover, stores)
            plan = Plan(steps=steps, action=handover.action)
            for step in steps:
                plan.targets.setdefault(step.target_id, stores.get(step.target_id))
            journal = Journal(journal_path(file))
            journal.write({"type": "begin", "action": handover.action, "time": now_text(),
                           "handover": True})
            report = run_steps(plan, steps, journal)
            answer = {"ok": report.ok, "exit_code": report.exit_code, "error": report.error,
                      "failed": report.failed.title if report.failed else None,
                      "clean": report.ok or report.rolled_back or report.journal_id is None,
                      "verified": report.verified,
                      "records": [
                          {k: v for k, v in record.items() if k not in ("type", "index")}
                          for record in journal.started_steps()] if report.ok else []}
        else:
            done = 0
            for record in reversed(handover.records):
                revert_step(record, stores.get(str(record["target"])))
                done += 1
            answer = {"ok": True, "exit_code": EXIT_OK, "error": None, "clean": True,
                      "verified": [f"{done} change(s) reverted"], "records": []}
    except GridCertError as error:
        answer = {"ok": False, "exit_code": error.exit_code, "error": str(error),
                  "clean": False, "verified": [], "records": []}
    except Exception as error:  # reported to the parent, which rolls back
        answer = {"ok": False, "exit_code": EXIT_TARGET_FAILED,
                  "error": f"An unexpected error stopped the administrator run: {error!r}",
                  "clean": False, "verified": [], "records": []}
    remove_file(journal_path(file))
    with contextlib.suppress(OSError):  # the parent says "ended without saying what it did"
        write_private(result_path(file), json.dumps(answer, ensure_ascii=False).encode())
    if answer["ok"]:
        return EXIT_OK
    code = int(answer["exit_code"])
    return code if code not in (EXIT_OK,) else EXIT_TARGET_FAILED
