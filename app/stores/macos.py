"""The macOS keychains (`macos-login`, `macos-system`) through the `security` tool.

The decisions live here; the commands live in `_macos_security` (received as `api`, so
this logic is tested on Linux against a fake):

* roots are added with a trust setting (`add-trusted-cert -r trustRoot`; in the admin
  domain, `-d`, for the System keychain), intermediates without one (`add-certificates`);
* a personal certificate goes in as a PKCS#12 re-encrypted in memory with a throwaway
  password in the compatible (3DES/SHA-1) profile, because the keychain rejects AES-256
  files with a misleading "wrong password"; afterwards its key must be in the keychain;
* listing parses `find-certificate -a -Z -p`; matching is by SHA-256 computed from the
  PEM, the tool's SHA-1 only addresses the item;
* removal deletes the private key too (`delete-identity`) unless another certificate in
  the keychain has the same public key;
* what the tool prints becomes a sentence (locked keychain, declined password prompt,
  non-exportable key → ask the operator for a new certificate).
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import os
import re
import secrets
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, Protocol

from cryptography import x509

from app.core.chain import find_chain
from app.core.errors import (
    BadInputError,
    CancelledError,
    GridCertError,
    NotExportableError,
    StoreLockedError,
    TargetError,
)
from app.core.model import CertificateItem
from app.core.p12 import read_pkcs12, write_pkcs12
from app.stores import _macos_security
from app.stores._macos_security import SecurityToolError
from app.stores._scratch import private_dir
from app.stores.base import (
    Availability,
    ExportProfile,
    Identity,
    StoredCertificate,
    TrustStore,
)

Scope = Literal["login", "system"]

SYSTEM_KEYCHAIN = "/Library/Keychains/System.keychain"

LABELS: dict[Scope, str] = {
    "login": "macOS keychain (this user)",
    "system": "macOS System keychain (all users)",
}

_NEW_CERTIFICATE = (
    "ask your operator (ERCOT or CAISO) for a new certificate for the other computer, "
    "or export it from the original .pfx file if you still have it."
)


class SecurityApi(Protocol):
    """The functions of `_macos_security` the store uses (a fake implements them in tests)."""

    def available(self) -> bool: ...
    def add_trusted_cert(self, cert_path: str, keychain: str, admin_domain: bool) -> None: ...
    def remove_trusted_cert(self, cert_path: str, admin_domain: bool) -> None: ...
    def add_certificates(self, cert_paths: Sequence[str], keychain: str) -> None: ...
    def import_pkcs12(self, p12_path: str, one_time_password: str, keychain: str) -> None: ...
    def find_certificates(self, keychain: str) -> str: ...
    def find_identities(self, keychain: str) -> str: ...
    def delete_certificate(self, sha1_hex: str, keychain: str, with_user_trust: bool) -> None: ...
    def delete_identity(self, sha1_hex: str, keychain: str) -> None: ...
    def export_identities(self, keychain: str, one_time_password: str) -> bytes: ...


# --- parsing the tool's output -----------------------------------------------------------
@dataclass(frozen=True)
class KeychainCertificate:
    """One certificate as `find-certificate -Z -p` printed it."""

    sha1: str  # lowercase hex, computed from the DER (the tool's own hash lines are not needed)
    der: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.der).hexdigest()


_PEM = re.compile(
    rb"-----BEGIN CERTIFICATE-----\s*(.+?)\s*-----END CERTIFICATE-----", re.DOTALL
)
_IDENTITY = re.compile(r"^\s*\d+\)\s+([0-9A-Fa-f]{40})\b", re.MULTILINE)


def parse_find_certificate(text: str) -> list[KeychainCertificate]:
    """The certificates in `security find-certificate -a -Z -p` output, in order.

    The output repeats "SHA-256 hash: …" (newer macOS), "SHA-1 hash: …" and a PEM block per
    certificate; a block that does not decode is skipped.
    """
    import base64
    import binascii

    found: list[KeychainCertificate] = []
    for match in _PEM.finditer(text.encode("utf-8", "replace")):
        body = b"".join(match.group(1).split())
        try:
            der = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            continue
        found.append(KeychainCertificate(hashlib.sha1(der, usedforsecurity=False).hexdigest(),
                                         der))
    return found


def parse_find_identity(text: str) -> set[str]:
    """The SHA-1s (lowercase hex) that `security find-identity` lists as having a key."""
    return {digest.lower() for digest in _IDENTITY.findall(text)}


# --- what the tool said → a sentence -------------------------------------------------------
_ALREADY_THERE = ("already exists in the keychain", "duplicate")
_NOT_FOUND = ("could not be found", "not found", "no such")
_CANCELLED = ("canceled by the user", "cancelled by the user", "user canceled",
              "authorization was canceled")
_NO_INTERACTION = ("user interaction is not allowed", "no user interaction was possible",
                   "errsecinternalcomponent", "internal error")
# errSecInteractionNotAllowed (-25308, "User interaction is not allowed."; Apple, Security
# framework result codes): the keychain is locked and `security` has no GUI session in
# which to ask for the password (SSH, launchd, an MDM script). Newer macOS prints only the
# OSStatus number.
_LOCKED = ("keychain is locked", "user interaction is not allowed",
           "errsecinteractionnotallowed", "-25308")
_DENIED = ("permission denied", "write permissions", "not authorized", "authorization was denied",
           "operation not permitted")
_NOT_EXPORTABLE = ("cannot be retrieved", "not exportable", "export of private keys",
                   "errsecdatanotavailable", "item cannot be exported")


def _said(error: SecurityToolError) -> str:
    return error.said.lower()


class MacKeychainStore(TrustStore):
    """The login keychain (user trust) or the System keychain (admin trust)."""

    holds_identities = True
    holds_roots = True

    def __init__(
        self,
        scope: Scope = "login",
        keychain: str | os.PathLike[str] | None = None,
        api: SecurityApi | ModuleType | None = None,
    ) -> None:
        if scope not in LABELS:
            raise ValueError(f"unknown macOS keychain scope {scope!r}")
        self.scope: Scope = scope
        self.id = f"macos-{scope}"
        self.label = LABELS[scope]
        self.keychain = str(keychain) if keychain is not None else self.default_keychain(scope)
        self._api: Any = api if api is not None else _macos_security

    @staticmethod
    def default_keychain(scope: Scope) -> str:
        if scope == "system":
            return SYSTEM_KEYCHAIN
        return str(Path.home() / "Library" / "Keychains" / "login.keychain-db")

    @property
    def admin_domain(self) -> bool:
        """Trust settings go to the admin domain (`-d`) for the System keychain."""
        return self.scope == "system"

    # --- protocol ----------------------------------------------------------------------
    def available(self) -> Availability:
        if self._api is _macos_security and sys.platform != "darwin":
            return Availability(False, "macOS keychains exist only on macOS.")
        if not self._api.available():
            return Availability(False, "macOS's 'security' tool was not found.")
        if not Path(self.keychain).exists():
            return Availability(False, f"The keychain {self.keychain} does not exist.")
        return Availability(True)

    def notes(self) -> builtins.list[str]:
        if self.scope == "system":
            return ["Changing the System keychain needs an administrator's password; macOS "
                    "will ask for it."]
        return ["macOS will ask for your password to confirm each new trusted root."]

    def list(self) -> builtins.list[StoredCertificate]:
        certificates = self._certificates()
        with_key = self._identities()
        found: builtins.list[StoredCertificate] = []
        for entry in certificates:
            item = self._item(entry)
            if item is None:
                continue
            found.append(StoredCertificate(
                item=item, target_id=self.id, location=self.keychain,
                extra={"sha1": entry.sha1},
                key_in_store=entry.sha1 in with_key,
            ))
        return found

    def contains(self, sha256: str) -> bool:
        wanted = sha256.lower()
        return any(entry.sha256 == wanted for entry in self._certificates())

    def add_anchor(self, item: CertificateItem) -> None:
        what = f"add the root '{item.display_name}' to {self.label}"
        with self._pem_files([item]) as (path,):
            self._call(what, self._api.add_trusted_cert, path, self.keychain,
                       self.admin_domain)

    def add_intermediate(self, item: CertificateItem) -> None:
        self._add_plain([item])

    def add_many(self, items: Sequence[CertificateItem]) -> None:
        """Intermediates in one `add-certificates` call; each root needs its own trust call."""
        plain = [item for item in items if item.role != "root"]
        self._add_plain(plain)
        for item in items:
            if item.role == "root":
                self.add_anchor(item)

    def import_identity(self, identity: Identity) -> None:
        leaf = identity.leaf
        what = f"import your certificate '{leaf.display_name}' into {self.label}"
        present = {entry.sha256 for entry in self._certificates()}
        if leaf.sha256 in present and leaf.sha1 in self._identities():
            return  # already there with its key: a no-op
        # Only the CA certificates the keychain lacks go into the file: `security import`
        # stops at an item that already exists.
        chain = [item for item in identity.chain if item.sha256 not in present]
        one_time = secrets.token_urlsafe(24)
        # Compatible profile: the keychain rejects AES-256 PKCS#12 files.
        data = write_pkcs12(leaf, chain, one_time, "compatible",
                            friendly_name=identity.friendly_name)
        with self._private_file(data, "identity.p12") as path:
            self._call(what, self._api.import_pkcs12, path, one_time, self.keychain)
        if leaf.sha1 not in self._identities():
            raise TargetError(
                f"macOS added '{leaf.display_name}' to {self.label}, but its private key is "
                "not there; the certificate cannot be used to log in."
            )

    def remove(self, sha256: str) -> None:
        wanted = sha256.lower()
        certificates = self._certificates()
        matches = [entry for entry in certificates if entry.sha256 == wanted]
        if not matches:
            return
        entry = matches[0]
        item = self._item(entry)
        name = item.display_name if item is not None else entry.sha1
        what = f"remove '{name}' from {self.label}"
        if self.key_is_alone(entry, certificates, self._identities()):
            self._call(what, self._api.delete_identity, entry.sha1, self.keychain)
            return
        if item is not None and item.role == "root" and self.admin_domain:
            # Admin-domain trust lives outside the keychain: take it away first.
            with self._pem_files([item]) as (path,):
                self._call(what, self._api.remove_trusted_cert, path, True)
        # -t also drops the user-domain trust setting; only roots added here have one.
        user_trust = item is not None and item.role == "root" and not self.admin_domain
        self._call(what, self._api.delete_certificate, entry.sha1, self.keychain, user_trust)

    def export_identity(self, sha256: str, password: str, profile: ExportProfile) -> bytes:
        wanted = sha256.lower()
        certificates = self._certificates()
        entry = next((e for e in certificates if e.sha256 == wanted), None)
        if entry is None:
            raise BadInputError(
                f"No certificate with fingerprint {wanted} is in {self.label}."
            )
        item = self._item(entry)
        name = item.display_name if item is not None else entry.sha1
        if entry.sha1 not in self._identities():
            raise NotExportableError(
                f"'{name}' in {self.label} has no private key on this computer, so it cannot "
                f"be moved; {_NEW_CERTIFICATE}"
            )
        what = f"export '{name}' from {self.label}"
        one_time = secrets.token_urlsafe(24)
        data = self._call(what, self._api.export_identities, self.keychain, one_time)
        exported = read_pkcs12(bytes(data), one_time, f"the export of {self.label}")
        leaf = exported[0]
        if leaf.sha256 != wanted:
            # `security export` cannot choose one identity, and a PKCS#12 reader opens only
            # the first key of a file holding several.
            raise NotExportableError(
                f"{self.label} holds several personal certificates and macOS exports them "
                f"only all together; export '{name}' with Keychain Access (File → Export "
                "Items), or from the original .pfx file."
            )
        pool = [c for c in (self._item(e) for e in certificates) if c is not None and c.is_ca]
        chain = find_chain(leaf, pool)[1:]
        return write_pkcs12(leaf, chain, password, profile)

    # --- the key rule ------------------------------------------------------------------
    def key_is_alone(self, entry: KeychainCertificate,
                     certificates: Sequence[KeychainCertificate], with_key: set[str]) -> bool:
        """True when `entry` has a private key and no other certificate shares that key."""
        if entry.sha1 not in with_key:
            return False
        item = self._item(entry)
        if item is None:
            return False  # cannot tell: keep the key
        for other in certificates:
            if other.sha1 == entry.sha1:
                continue
            other_item = self._item(other)
            if other_item is not None and other_item.public_key_der == item.public_key_der:
                return False
        return True

    # --- error sentences ---------------------------------------------------------------
    def explain(self, error: SecurityToolError, what: str) -> GridCertError:
        said = _said(error)
        if any(text in said for text in _CANCELLED):
            return CancelledError(
                f"You declined macOS' confirmation, so GridCert did not {what}."
            )
        if any(text in said for text in _NOT_EXPORTABLE):
            return NotExportableError(
                f"macOS will not let the private key be copied out of {self.label}; "
                f"{_NEW_CERTIFICATE}"
            )
        if any(text in said for text in _LOCKED):
            return StoreLockedError(
                f"Could not {what}: the keychain {self.keychain} is locked and macOS cannot "
                "ask for its password here; unlock it in Keychain Access (or with 'security "
                "unlock-keychain' in Terminal), run GridCert while logged in at the screen, "
                "and try again."
            )
        if any(text in said for text in _NO_INTERACTION):
            return TargetError(
                f"Could not {what}: macOS needs a confirmation that can only be given in a "
                "desktop session; run GridCert while logged in at the screen."
            )
        if any(text in said for text in _DENIED):
            return TargetError(
                f"Could not {what}: this needs an administrator's password; run GridCert "
                "as an administrator (sudo) or approve macOS' prompt."
            )
        return TargetError(f"Could not {what}: security said \"{self._last_line(error)}\".")

    @staticmethod
    def _last_line(error: SecurityToolError) -> str:
        lines = error.said.splitlines()
        return lines[-1] if lines else f"exit status {error.status}"

    def _call(self, what: str, function: Any, *args: Any) -> Any:
        try:
            return function(*args)
        except SecurityToolError as error:
            said = _said(error)
            if function in (self._api.add_certificates, self._api.import_pkcs12) and any(
                text in said for text in _ALREADY_THERE
            ):
                return None  # adding what is already there is not a failure
            if function in (self._api.delete_certificate, self._api.delete_identity,
                            self._api.remove_trusted_cert) and any(
                text in said for text in _NOT_FOUND
            ):
                return None  # removing what is not there is not a failure
            raise self.explain(error, what) from error

    # --- helpers -----------------------------------------------------------------------
    def _certificates(self) -> builtins.list[KeychainCertificate]:
        text = self._call(f"read {self.label}", self._api.find_certificates, self.keychain)
        return parse_find_certificate(str(text))

    def _identities(self) -> set[str]:
        text = self._call(f"read {self.label}", self._api.find_identities, self.keychain)
        return parse_find_identity(str(text))

    def _item(self, entry: KeychainCertificate) -> CertificateItem | None:
        try:
            certificate = x509.load_der_x509_certificate(entry.der)
        except ValueError:
            return None
        return CertificateItem(certificate=certificate, source=f"{self.id}:{self.keychain}")

    def _add_plain(self, items: Sequence[CertificateItem]) -> None:
        if not items:
            return
        what = (f"add '{items[0].display_name}' to {self.label}" if len(items) == 1
                else f"add {len(items)} certificates to {self.label}")
        with self._pem_files(items) as paths:
            self._call(what, self._api.add_certificates, list(paths), self.keychain)

    @contextlib.contextmanager
    def _pem_files(self, items: Sequence[CertificateItem]) -> Iterator[tuple[str, ...]]:
        """Each certificate as a PEM file in a private temporary folder (removed after)."""
        with private_dir("macos") as folder:
            paths = []
            for index, item in enumerate(items):
                path = Path(folder) / f"cert-{index}.pem"
                path.write_bytes(item.pem)
                paths.append(str(path))
            yield tuple(paths)

    @contextlib.contextmanager
    def _private_file(self, data: bytes, name: str) -> Iterator[str]:
        """`data` in a 0600 file inside a 0700 temporary folder, removed on exit."""
        with private_dir("macos") as folder:
            path = os.path.join(folder, name)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            yield path
