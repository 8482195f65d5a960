"""`gridcert remove SHA256... [--target ID]... [--yes] [--json]`.

Looks in the named stores (default: every store found), shows what would go, asks, and
removes as one transaction. Identities are first saved to an encrypted backup so that
`gridcert undo` can put them back.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.actions.install import apply_plan, plan_remove
from app.cli.cmd_install import (
    ensure_backup_passphrase,
    gate,
    pick_targets,
    print_plan,
    print_report,
    progress_printer,
    removes_identity,
    say_elevation,
    say_recovered,
)
from app.cli.output import emit_json, password_from
from app.core.errors import EXIT_OK, PasswordRequiredError, RefusedError

# A failure under --json is reported as {"ok": false, "error", "exit_code"} by app.cli.main.
JSON_ERROR_DOCUMENT = True


def run(args: argparse.Namespace) -> int:
    json_mode: bool = args.json
    recovered = say_recovered(json_mode)
    plan = plan_remove(args.fingerprints, pick_targets(args.target, all_found=True))
    print_plan(plan, json_mode)
    if plan.nothing_to_do:
        raise RefusedError(plan.refused[0] if plan.refused else "There is nothing to remove.")
    count = len(plan.active_steps)
    gate(plan, args.yes,
         "Remove this certificate?" if count == 1 else f"Remove these {count} certificates?",
         always_ask=True, json_mode=json_mode)
    if removes_identity(plan):
        if args.backup_password_env:
            from app.actions.backup import backup_passphrase

            supplied = password_from(args.backup_password_env, False, None)
            if not supplied:
                raise PasswordRequiredError(
                    f"The backup passphrase in {args.backup_password_env} is empty; "
                    "nothing was changed.")
            backup_passphrase(supplied)  # used for this run's backup, never stored
        ensure_backup_passphrase(json_mode, new=True)
    say_elevation(plan)
    report = apply_plan(plan, progress_printer(json_mode))
    print_report(report, json_mode, verb="Removed")
    if json_mode:
        document: dict[str, Any] = {"ok": report.ok, "plan": plan.to_json(),
                                    "result": report.to_json(), "recovered": recovered}
        emit_json(document)
    return EXIT_OK if report.ok else report.exit_code
