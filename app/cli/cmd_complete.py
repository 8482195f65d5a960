"""`gridcert complete ISSUED [--install] [--target ID]... [--export FILE] [--compat]
[--key-password-env VAR] [--password-env VAR | --password-stdin] [--json]`."""

from __future__ import annotations

import argparse

from app.actions.files import refuse_existing
from app.actions.renew import complete
from app.cli.cmd_export import new_password
from app.cli.cmd_install import (
    pick_targets,
    print_plan,
    print_report,
    progress_printer,
    say_recovered,
)
from app.cli.output import emit_json, out, password_from
from app.core.errors import EXIT_OK

# A failure under --json is reported as {"ok": false, "error", "exit_code"} by app.cli.main.
JSON_ERROR_DOCUMENT = True


def run(args: argparse.Namespace) -> int:
    json_mode: bool = args.json
    if args.export:
        # Before anything is installed or asked: an existing file is kept (exit 3).
        refuse_existing(args.export)
    say_recovered(json_mode)
    targets = pick_targets(args.target) if args.install else []
    export_password = None
    if args.export:
        export_password = new_password(args.password_env, args.password_stdin,
                                       "the exported .pfx")
    key_passphrase = password_from(args.key_password_env, False, None)
    result = complete(
        [args.issued],
        install_to=targets,
        export_to=args.export,
        export_password=export_password,
        profile="compatible" if args.compat else "modern",
        key_passphrase=key_passphrase,
        progress=progress_printer(json_mode),
        overwrite=False,
    )
    code = EXIT_OK if result.report is None or result.report.ok else result.report.exit_code
    if json_mode:
        emit_json(result.to_json())
        return code
    out(f"'{result.leaf.display_name}' matches the request made on "
        f"{result.pending.created.date().isoformat()} ({result.pending.id}).")
    if result.chain:
        out("Chain: " + " → ".join(c.display_name for c in result.chain))
    if result.plan is not None:
        print_plan(result.plan, json_mode)
    if result.report is not None:
        print_report(result.report, json_mode)
    if result.export is not None:
        out(f"Exported to {result.export.path}:")
        for sentence in result.export.checked:
            out(f"  ✓ {sentence}")
    if result.pending_removed:
        out("The pending key was removed; the certificate and its key now live where you "
            "put them.")
    for note in result.notes:
        out(f"- {note}")
    return code
