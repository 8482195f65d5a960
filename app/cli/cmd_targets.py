"""`gridcert targets [--json]`: the certificate stores found on this computer."""

from __future__ import annotations

import argparse

from app.actions.targets import default_targets, describe_target, discover_targets
from app.cli.output import emit_json, out, table
from app.core.errors import EXIT_OK


def run(args: argparse.Namespace) -> int:
    found = discover_targets()
    defaults = {store.id for store in default_targets(found)}
    described = [describe_target(store, store.id in defaults) for store in found]
    if args.json:
        emit_json({"targets": described})
        return EXIT_OK
    if not described:
        out("No certificate stores were found.")
        return EXIT_OK
    rows = [[("*" if d["default"] else " "), d["id"], d["label"],
             "yes" if d["usable"] else "no", d["busy"] or d["reason"] or ""]
            for d in described]
    out(table(rows, ["", "ID", "STORE", "USABLE", "NOTE"]))
    out("(* = used by default when no --target is given)")
    return EXIT_OK
