"""Which stores exist here: a thin re-export of `app.stores.registry` for the faces.

The CLI and the GUI import targets from the actions layer only; the registry decides
per OS which adapters exist and which are ticked by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.stores.base import TrustStore


def discover_targets() -> list[TrustStore]:
    """Every store found on this machine (usable or not)."""
    from app.stores.registry import discover_targets as discover

    found: list[TrustStore] = discover()
    return found


def resolve_targets(ids: Sequence[str]) -> list[TrustStore]:
    """Stores for explicit target ids; an unknown id is a `UsageError`."""
    from app.stores.registry import resolve_targets as resolve

    found: list[TrustStore] = resolve(ids)
    return found


def default_targets(stores: Sequence[TrustStore]) -> list[TrustStore]:
    """The stores ticked by default among `stores`."""
    from app.stores.registry import default_targets as defaults

    found: list[TrustStore] = defaults(stores)
    return found


def describe_target(store: TrustStore, is_default: bool) -> dict[str, Any]:
    """The `targets --json` object of one store."""
    try:
        availability = store.available()
        usable, reason = availability.usable, availability.reason
    except Exception as error:  # a probe failure is a reason, not a crash
        usable, reason = False, str(error)
    busy = store.busy_reason() if usable else None
    return {
        "id": store.id,
        "label": store.label,
        "usable": usable,
        "reason": reason,
        "default": is_default,
        "busy": busy,
        "holds_identities": store.holds_identities,
        "holds_roots": store.holds_roots,
    }
