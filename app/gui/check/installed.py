"""Which certificates GridCert itself put where: read from the journals of its committed
changes (installs and renewals), so that the Check view shows them by default even when
they are no operator's known root — they are what the person came to check, not some of
the hundreds of public roots a Java or system store holds.

Runs in a worker (it reads files); app.gui.check.certificates calls it there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _added(record: dict[str, Any]) -> Iterable[tuple[str, str]]:
    target = str(record.get("target", ""))
    for sha256 in record.get("added", []) or []:
        yield str(sha256), target
    # A step handed over to an elevated run carries the records of its sub-steps.
    for sub in record.get("subs", []) or []:
        if isinstance(sub, dict):
            yield from _added(sub)


def installed_by_gridcert() -> set[tuple[str, str]]:
    """(SHA-256, target id) of every certificate a committed GridCert change added and no
    later Undo took back. Empty when the journal folder cannot be read."""
    try:
        from app.actions.journal import all_journals

        journals = all_journals()
    except Exception:  # the Check view works without this; it is only "show by default"
        return set()
    found: set[tuple[str, str]] = set()
    for journal in journals:
        try:
            if journal.state() != "committed":
                continue  # rolled back or undone: nothing of it is in place
            for record in journal.started_steps():
                found.update(_added(record))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found
