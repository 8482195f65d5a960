"""`gridcert undo [--backup-password-env VAR] [--yes] [--json]`: revert the last change
GridCert made."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.actions.install import last_change, last_change_uses_backup, undo_last
from app.cli.cmd_install import (
    ask,
    ensure_backup_passphrase,
    print_report,
    progress_printer,
    say_recovered,
)
from app.cli.output import emit_json, out, password_from
from app.core.errors import EXIT_OK, PasswordRequiredError, RefusedError

# A failure under --json is reported as {"ok": false, "error", "exit_code"} by app.cli.main.
JSON_ERROR_DOCUMENT = True


def run(args: argparse.Namespace) -> int:
    json_mode: bool = args.json
    recovered = say_recovered(json_mode)
    change = last_change()
    if change is None:
        out("There is nothing to undo.", json_mode=json_mode)
        if json_mode:
            emit_json({"ok": True, "change": None, "result": None, "recovered": recovered})
        return EXIT_OK
    out(f"The last change ({change['action']}, {change['time']}):", json_mode=json_mode)
    for step in change["steps"]:
        out(f"  - {step.get('title', step.get('sha256'))}", json_mode=json_mode)
    if not args.yes:
        if not sys.stdin.isatty():
            raise RefusedError("Nothing was undone: confirm with --yes when running "
                               "without a terminal.")
        if not ask("Undo it?", json_mode):
            raise RefusedError("Nothing was undone: you did not confirm.")
    if last_change_uses_backup():
        # Putting a removed personal certificate back opens its encrypted backup.
        if args.backup_password_env:
            from app.actions.backup import backup_passphrase

            supplied = password_from(args.backup_password_env, False, None)
            if not supplied:
                raise PasswordRequiredError(
                    f"The backup passphrase in {args.backup_password_env} is empty; "
                    "nothing was undone.")
            backup_passphrase(supplied)  # used for this run's restore, never stored
        ensure_backup_passphrase(json_mode, new=False)
    from app.actions.handover import elevated_labels_for_ids, permission_sentence

    labels = elevated_labels_for_ids([str(step.get("target", "")) for step in change["steps"]])
    if labels:
        out(permission_sentence(labels), json_mode=True)
    report = undo_last(progress_printer(json_mode))
    print_report(report, json_mode, verb="Undone")
    if json_mode:
        document: dict[str, Any] = {"ok": report.ok, "change": change,
                                    "result": report.to_json(), "recovered": recovered}
        emit_json(document)
    return EXIT_OK if report.ok else report.exit_code
