"""What GridCert can see in each store: `list_certificates` for `gridcert list` and the GUI.

A store that cannot be read is reported as a sentence, never an exception, so that one
broken store does not hide the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import GridCertError
from app.core.model import CertificateItem, certificate_json
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


@dataclass
class CertificateCopies:
    """One certificate (by SHA-256) and every store copy of it: one row of the Move and
    Check lists, however many stores hold it."""

    item: CertificateItem
    copies: list[StoredCertificate] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return self.item.sha256

    @property
    def has_private_key(self) -> bool:
        """True when at least one store holds its private key."""
        return any(copy.has_private_key for copy in self.copies)

    @property
    def target_ids(self) -> list[str]:
        """The stores it is in, each once, in the order they were read."""
        return list(dict.fromkeys(copy.target_id for copy in self.copies))

    def places(self, labels: Mapping[str, str]) -> list[str]:
        """Where it is, in words ('Firefox — profile …', 'Chrome and Edge')."""
        return [labels.get(target, target) for target in self.target_ids]

    @property
    def with_key(self) -> list[StoredCertificate]:
        """The copies that hold the private key (those it can be exported from)."""
        return [copy for copy in self.copies if copy.has_private_key]


def by_certificate(entries: Sequence[StoredCertificate]) -> list[CertificateCopies]:
    """One entry per certificate (SHA-256), first-seen order, listing every copy."""
    rows: dict[str, CertificateCopies] = {}
    for entry in entries:
        row = rows.get(entry.item.sha256)
        if row is None:
            row = rows[entry.item.sha256] = CertificateCopies(entry.item)
        elif entry.item.has_private_key and not row.item.has_private_key:
            row.item = entry.item
        row.copies.append(entry)
    return list(rows.values())


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
