"""The one protocol every store adapter implements, and the value types it exchanges.

An adapter knows one kind of store (an NSS database, a Java keystore, the Windows
Current-User stores, ...). It never decides *what* to install: the actions layer plans
that and calls these methods one step at a time, so that every step can be journalled
and undone. Matching is always by SHA-256 fingerprint.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from app.core.errors import NotExportableError
from app.core.model import CertificateItem, Role

ExportProfile = Literal["modern", "compatible"]


@dataclass(frozen=True)
class Availability:
    """Whether a store can be used here, and if not, a sentence saying why."""

    usable: bool
    reason: str | None = None
    #: The technical text behind `reason` (for a "Details" link or --verbose).
    detail: str | None = None


@dataclass(frozen=True)
class Identity:
    """A personal certificate with its private key and the CA certificates that go with it."""

    leaf: CertificateItem
    chain: tuple[CertificateItem, ...] = ()
    friendly_name: str | None = None

    def __post_init__(self) -> None:
        if self.leaf.private_key is None:
            raise ValueError("an Identity needs the leaf's private key")


@dataclass(frozen=True)
class StoredCertificate:
    """A certificate found in a store. `location` says where inside it (store name, alias)."""

    item: CertificateItem
    target_id: str
    location: str
    trusted: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    #: The store holds the private key of this certificate (a personal certificate).
    key_in_store: bool = False

    @property
    def role(self) -> Role:
        return self.item.role

    @property
    def has_private_key(self) -> bool:
        """True when this is a personal certificate with its key (in the store or the item)."""
        return self.key_in_store or self.item.has_private_key


class TrustStore(ABC):
    """One place certificates can be put. Subclasses are one short module each."""

    #: Stable id used on the command line and in the journal (`nss:/path`, `windows-user`).
    id: str
    #: Plain words for a person ("Firefox — default profile", "Windows (this user)").
    label: str
    #: Whether this store can hold a personal certificate with its private key.
    holds_identities: bool = False
    #: Whether this store is a place for roots at all (a Java keystore: yes; `My`: no).
    holds_roots: bool = True
    #: Whether each change is all or nothing (written to a copy, renamed into place): a
    #: change that failed left the store as it was, so it needs no revert.
    changes_atomically: bool = False

    @abstractmethod
    def available(self) -> Availability:
        """Whether this store can be used now (tools present, folder exists, rights)."""

    def busy_reason(self) -> str | None:
        """A sentence when another program holds the store (Firefox running), else None."""
        return None

    def notes(self) -> list[str]:
        """Things the user should know before a change (a confirmation dialog, elevation)."""
        return []

    @abstractmethod
    def list(self) -> list[StoredCertificate]:
        """Every certificate in this store that GridCert can see."""

    def contains(self, sha256: str) -> bool:
        return any(entry.item.sha256 == sha256 for entry in self.list())

    @abstractmethod
    def add_anchor(self, item: CertificateItem) -> None:
        """Add a root certificate as trusted for client/server authentication."""

    @abstractmethod
    def add_intermediate(self, item: CertificateItem) -> None:
        """Add a CA certificate without trusting it as an anchor."""

    def import_identity(self, identity: Identity) -> None:
        """Import a personal certificate with its private key (and chain)."""
        raise NotImplementedError(f"{self.label} does not hold personal certificates")

    def add_many(self, items: Sequence[CertificateItem]) -> None:
        """Add several CA certificates; adapters override this when a batch is much faster."""
        for item in items:
            if item.role == "root":
                self.add_anchor(item)
            else:
                self.add_intermediate(item)

    def lock_path(self) -> Path | None:
        """A file beside the store whose lock GridCert holds while it changes the store
        (None: the store has no file of its own to lock beside). Beside the store, not in
        GridCert's data folder: runs with different data folders share a keystore."""
        return None

    def key_present(self, item: CertificateItem) -> bool | None:
        """Whether the store holds the private key of `item` (None: cannot tell). Read
        before an identity goes in, so that a rollback knows whether a key is its own."""
        return None

    def remove_orphan_key(self, item: CertificateItem) -> None:
        """Remove the private key of `item` if no certificate uses it (an import killed
        half-way); stores that cannot have such a key do nothing."""
        return None

    @abstractmethod
    def remove(self, sha256: str) -> None:
        """Remove the certificate with this fingerprint (and its private key, if it was the
        only certificate using it). Removing what is not there is not an error."""

    def export_identity(self, sha256: str, password: str, profile: ExportProfile) -> bytes:
        """A PKCS#12 of the identity with this fingerprint, encrypted with `password`."""
        raise NotExportableError(
            f"{self.label} cannot export personal certificates; export it from where it "
            "was installed, or from the original .pfx file."
        )
