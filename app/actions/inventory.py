"""What GridCert can see in each store: `list_certificates` for `gridcert list` and the GUI.

A store that cannot be read is reported as a sentence, never an exception, so that one
broken store does not hide the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import GridCertError
from app.core.model import certificate_json
from app.stores.base import StoredCertificate, TrustStore


@dataclass
class Inventory:
    entries: list[StoredCertificate] = field(default_factory=list)
    #: target id → a sentence saying why that store could not be read.
    problems: dict[str, str] = field(default_factory=dict)
    #: target id → label, for every store that was looked at.
    labels: dict[str, str] = field(default_factory=dict)


def list_certificates(targets: Sequence[TrustStore]) -> Inventory:
    inventory = Inventory()
    for store in targets:
        inventory.labels[store.id] = store.label
        try:
            availability = store.available()
            if not availability.usable:
                inventory.problems[store.id] = (
                    f"{store.label} cannot be read: {availability.reason or 'not available'}"
                )
                continue
            inventory.entries.extend(store.list())
        except GridCertError as error:
            inventory.problems[store.id] = str(error)
        except OSError as error:
            inventory.problems[store.id] = f"{store.label} cannot be read: {error.strerror}"
    return inventory


def entry_json(entry: StoredCertificate, label: str) -> dict[str, Any]:
    """One `list --json` object: the certificate contract object plus where it is."""
    catalog: dict[str, Any] | None = None
    try:
        from app.core.catalog import load_catalog

        match = load_catalog().match(entry.item)
        catalog = match.json() if match is not None else None
    except ImportError:
        catalog = None
    document = certificate_json(entry.item, catalog)
    document["has_private_key"] = entry.has_private_key
    document.update({
        "target": entry.target_id,
        "target_label": label,
        "location": entry.location,
        "trusted": entry.trusted,
        "days_left": entry.item.days_left(),
    })
    return document
