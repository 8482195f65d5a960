"""`gridcert list [--target ID]... [--expiring DAYS] [--json]`: what each store holds."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from app.actions.inventory import entry_json, list_certificates
from app.cli.cmd_install import pick_targets, say_recovered
from app.cli.output import emit_json, out, table
from app.core.errors import EXIT_OK, UsageError

_ROLE_WORDS = {"root": "root", "intermediate": "intermediate", "end-entity": "personal"}


def _pending() -> list[dict[str, Any]] | None:
    try:
        renew = importlib.import_module("app.actions.renew")
    except ImportError:
        return None
    list_pending = getattr(renew, "list_pending", None)
    if list_pending is None:
        return None
    result: list[dict[str, Any]] = []
    for pending in list_pending():
        to_json = getattr(pending, "to_json", None) or getattr(pending, "json", None)
        result.append(to_json() if callable(to_json) else {"request": str(pending)})
    return result


# A failure under --json is reported as {"ok": false, "error", "exit_code"} by app.cli.main.
JSON_ERROR_DOCUMENT = True


def run(args: argparse.Namespace) -> int:
    json_mode: bool = args.json
    if args.expiring is not None and args.expiring < 0:
        raise UsageError("--expiring takes a number of days, 0 or more.")
    say_recovered(json_mode)
    inventory = list_certificates(pick_targets(args.target))
    pairs = [(entry, entry_json(entry, inventory.labels.get(entry.target_id, entry.target_id)))
             for entry in inventory.entries]
    if args.expiring is not None:
        pairs = [(e, d) for e, d in pairs if d["days_left"] <= args.expiring]
    documents = [d for _, d in pairs]
    pending = _pending()
    if json_mode:
        emit_json({
            "certificates": documents,
            "problems": [{"target": t, "message": m} for t, m in inventory.problems.items()],
            "pending": pending or [],
        })
        return EXIT_OK
    if documents:
        rows = []
        for entry, d in pairs:
            catalog = d["catalog"]["name"] if d["catalog"] else ""
            role = _ROLE_WORDS.get(d["role"], d["role"])
            if d["has_private_key"]:
                role += " (+key)"
            # The certificate's own name, as `check` and the wizard show it: a store's
            # location is a file name in the system store, an alias in Java.
            rows.append([d["target_label"], role, entry.item.display_name,
                         d["not_after"][:10], str(d["days_left"]), catalog, d["sha256"][:16]])
        out(table(rows, ["STORE", "ROLE", "NAME", "EXPIRES", "DAYS", "CATALOG", "SHA-256"]))
    else:
        out("No certificates found" + (" expiring in that time." if args.expiring is not None
                                       else "."))
    for message in inventory.problems.values():
        out(f"! {message}")
    if pending:
        out(f"Pending renewal requests: {len(pending)}")
    return EXIT_OK
