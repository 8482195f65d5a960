"""Taking a personal certificate (with its key and chain) to another computer.

The source is a store (`store.export_identity`: NSS via pk12util, Windows via
PFXExportCertStoreEx, macOS via `security export`) or a file (.pfx/.p12, or PEM with its
key). Whatever the source wrote is opened in memory and written again by `app.core.p12` in
the profile the person chose (modern or compatible), with the whole chain and the friendly
name, so every export looks the same whatever store it came from. The written file is read
back from disk and compared before anyone is told it is done. Files are written 0600,
atomically; a key is never written unencrypted.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from app.actions.files import refuse_existing, write_file
from app.actions.secrets import store_secret
from app.core.errors import (
    BadInputError,
    GridCertError,
    NotExportableError,
    PasswordRequiredError,
    TargetError,
)
from app.core.logsetup import log_quietly
from app.core.model import CertificateItem, certificate_json
from app.core.p12 import (
    PROFILE_DETAILS,
    PROFILE_WORDS,
    Profile,
    decrypt_private_key,
    read_pkcs12,
    write_encrypted_pem,
    write_pkcs12,
)
from app.stores.base import TrustStore

Format = Literal["pfx", "pem"]

_NOT_EXPORTABLE_ADVICE = (
    " If the key was made non-exportable, it cannot be copied: ask your operator (your USA at "
    "ERCOT, your UAA at CAISO) for a new certificate on the other computer."
)


@dataclass
class ExportResult:
    """What was written and what reading it back showed."""

    path: Path
    format: Format
    profile: Profile | None  # None for PEM
    leaf: CertificateItem
    chain: list[CertificateItem]
    checked: list[str] = field(default_factory=list)
    password_remembered: bool = False
    source: str = ""

    @property
    def detail(self) -> str:
        """The technical facts behind `checked` (the encryption used), for a Details link."""
        if self.profile is None:
            return "PEM: the key as encrypted PKCS#8 (PBES2, AES-256-CBC)"
        return PROFILE_DETAILS[self.profile]

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "format": self.format,
            "profile": self.profile,
            "for": PROFILE_WORDS[self.profile] if self.profile else None,
            "source": self.source,
            "certificate": certificate_json(self.leaf, _catalog_json(self.leaf)),
            "chain": [certificate_json(c, _catalog_json(c)) for c in self.chain],
            "checked": list(self.checked),
            "password_remembered": self.password_remembered,
            "detail": self.detail,
        }


def _catalog_json(item: CertificateItem) -> dict[str, Any] | None:
    try:
        from app.core.catalog import load_catalog

        match = load_catalog().match(item)
    except (ImportError, GridCertError):
        return None
    return match.json() if match is not None else None


def secret_name(sha256: str) -> str:
    """The keyring entry under which an export password may be remembered."""
    return f"export:{sha256}"


# --- writing and reading back ----------------------------------------------------------


def _write_private(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write `data` to `path` atomically, owner-only (0600) from the first byte.

    `replace=False`: an existing `path` is refused (BadInputError, nothing touched)."""
    write_file(path, data, mode=0o600, replace=replace)


def _check_pfx(path: Path, password: str, leaf: CertificateItem,
               chain: Sequence[CertificateItem], profile: Profile) -> list[str]:
    items = read_pkcs12(path.read_bytes(), password, str(path))
    back = items[0]
    if back.sha256 != leaf.sha256:
        raise TargetError(f"{path} was written but holds a different certificate; do not use it.")
    expected = {c.sha256 for c in chain if c.sha256 != leaf.sha256}
    found = {c.sha256 for c in items[1:]}
    if not expected <= found:
        raise TargetError(f"{path} was written but lacks part of the chain; do not use it.")
    return [
        f"{path.name} opens with the password and holds "
        f"'{back.display_name}' with its private key{and_ca_certificates(len(found))}",
        f"protection: {_profile_words(profile)}",
    ]


def and_ca_certificates(count: int) -> str:
    """' and 2 CA certificates' / ' and 1 CA certificate', or nothing for none (a
    keytool-made .pfx often holds no chain: "and 0 CA certificates" reads like a fault)."""
    if count <= 0:
        return ""
    return f" and {count} CA certificate{'s' if count != 1 else ''}"


def _profile_words(profile: Profile) -> str:
    """Plain words; the algorithms are in PROFILE_DETAILS (ExportResult.detail)."""
    if profile == "modern":
        return "modern protection, for " + PROFILE_WORDS["modern"]
    return "compatible protection, for " + PROFILE_WORDS["compatible"]


def _check_pem(path: Path, passphrase: str, leaf: CertificateItem,
               chain: Sequence[CertificateItem]) -> list[str]:
    from cryptography import x509

    data = path.read_bytes()
    if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" not in data or b"-----BEGIN PRIVATE KEY" in data:
        raise TargetError(f"{path} was written without an encrypted key; delete it.")
    certs = x509.load_pem_x509_certificates(data)
    start = data.index(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    key = decrypt_private_key(data[start:], passphrase, str(path))
    first = CertificateItem(certs[0], str(path))
    if first.sha256 != leaf.sha256 or not first.matches_key(key):
        raise TargetError(f"{path} was written but does not read back the same; do not use it.")
    return [
        f"{path.name} holds '{first.display_name}'"
        + (f", {len(certs) - 1} CA certificate{'s' if len(certs) != 2 else ''}"
           if len(certs) > 1 else "")
        + " and the private key, encrypted (AES-256); the passphrase opens it"
    ]


def write_export(
    leaf: CertificateItem,
    chain: Sequence[CertificateItem],
    out: str | os.PathLike[str],
    password: str,
    *,
    profile: Profile = "modern",
    fmt: Format = "pfx",
    friendly_name: str | None = None,
    remember_password: bool = False,
    source: str = "",
    overwrite: bool = True,
) -> ExportResult:
    """Write `leaf` (with its key) and `chain` to `out`, then read the file back and check it.

    `overwrite=False` (the CLI): an existing `out` is refused with "… already exists; choose
    another name or move it away first." (exit 3) and left as it was, also when it appears
    while the file is being made. True: the person already agreed (a Save dialog asked).
    One line in GridCert's log says what was exported where, and how it ended."""
    try:
        result = _write_export(leaf, chain, out, password, profile=profile, fmt=fmt,
                               friendly_name=friendly_name,
                               remember_password=remember_password, source=source,
                               overwrite=overwrite)
    except GridCertError as error:
        _log_export("failed", out, source or leaf.source, fmt, profile, leaf=leaf, error=error)
        raise
    _log_export("ok", result.path, result.source, fmt, profile, leaf=leaf)
    return result


def _log_export(outcome: str, out: str | os.PathLike[str], source: str, fmt: Format,
                profile: Profile, *, leaf: CertificateItem | None = None,
                sha256: str | None = None, error: GridCertError | None = None) -> None:
    """The export's log line: which certificate, from where, to where, how (no secret)."""
    fields = {"out": os.fspath(out), "source": source,
              "format": fmt if fmt == "pem" else f"pfx ({profile})"}
    if leaf is not None:
        fields.update(sha256=leaf.sha256, subject=leaf.subject)
    elif sha256 is not None:
        fields["sha256"] = sha256
    if error is not None:
        fields["error"] = str(error)
    log_quietly("export", outcome, **fields)


def _write_export(
    leaf: CertificateItem,
    chain: Sequence[CertificateItem],
    out: str | os.PathLike[str],
    password: str,
    *,
    profile: Profile,
    fmt: Format,
    friendly_name: str | None,
    remember_password: bool,
    source: str,
    overwrite: bool,
) -> ExportResult:
    if not overwrite:
        refuse_existing(out)
    if not password:
        raise PasswordRequiredError(
            "An export needs a password (typed twice, or a generated passphrase); "
            "GridCert never writes a private key without one."
        )
    path = Path(out)
    cas = [c for c in chain if c.sha256 != leaf.sha256]
    if fmt == "pfx":
        data = write_pkcs12(leaf, cas, password, profile, friendly_name)
    elif fmt == "pem":
        data = write_encrypted_pem(leaf, cas, password)
    else:
        raise BadInputError(f"Unknown export format '{fmt}'; use pfx or pem.")
    _write_private(path, data, replace=overwrite)
    try:
        checked = (_check_pfx(path, password, leaf, cas, profile) if fmt == "pfx"
                   else _check_pem(path, password, leaf, cas))
    except GridCertError:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    remembered = store_secret(secret_name(leaf.sha256), password) if remember_password else False
    return ExportResult(path, fmt, profile if fmt == "pfx" else None, leaf, cas, checked,
                        remembered, source or leaf.source)


# --- sources ---------------------------------------------------------------------------------


def identity_from_file(
    path: str | os.PathLike[str], password: str | None
) -> tuple[CertificateItem, list[CertificateItem]]:
    """The personal certificate (with key) in a file and its chain from the same file."""
    from app.core.chain import find_chain
    from app.core.reader import read_paths

    source = os.fspath(path)
    result = read_paths([source], (lambda _source: password) if password is not None else None)
    keyed = [i for i in result.items if i.private_key is not None and not i.is_ca]
    keyed = keyed or [i for i in result.items if i.private_key is not None]
    if not keyed:
        for problem in result.problems:
            raise problem.error
        name = os.path.basename(source)
        raise BadInputError(
            f"‘{name}’ holds no private key, so there is no personal certificate to export; "
            "export it from the computer or .pfx that holds its key, or ask the operator for "
            "a new certificate."
        )
    if len({i.sha256 for i in keyed}) > 1:
        names = ", ".join(sorted({f"'{i.display_name}'" for i in keyed}))
        raise BadInputError(
            f"‘{os.path.basename(source)}’ holds several personal certificates ({names}); "
            "export them one at a time from a store with 'gridcert export SHA256 --target ID'."
        )
    leaf = keyed[0]
    chain = list(find_chain(leaf, result.items))[1:]
    return leaf, chain


def identity_from_store(
    store: TrustStore, sha256: str
) -> tuple[CertificateItem, list[CertificateItem]]:
    """Take the identity out of `store` (in memory only) with a one-time password."""
    import secrets as random

    one_time = random.token_urlsafe(24)
    try:
        blob = store.export_identity(sha256, one_time, "modern")
    except NotExportableError as error:
        raise NotExportableError(str(error).rstrip() + _NOT_EXPORTABLE_ADVICE) from error
    items = read_pkcs12(blob, one_time, f"{store.label}")
    leaf = items[0]
    if leaf.sha256 != sha256:
        raise TargetError(
            f"{store.label} gave back a different certificate than the one asked for."
        )
    pool = items[1:]
    # The store's own chain may be partial: complete it from the CA certificates it holds.
    with contextlib.suppress(GridCertError, OSError):
        known = {c.sha256 for c in pool}
        pool += [e.item for e in store.list() if e.item.is_ca and e.item.sha256 not in known]
    from app.core.chain import find_chain

    chain = list(find_chain(leaf, [leaf, *pool]))[1:]
    return leaf, chain


def _chain_is_complete(leaf: CertificateItem, chain: Sequence[CertificateItem]) -> bool:
    """True when `chain` ends at a self-signed root (or `leaf` is one itself)."""
    last = chain[-1] if chain else leaf
    return last.is_self_signed


def complete_chain(
    leaf: CertificateItem,
    chain: Sequence[CertificateItem],
    stores: Sequence[TrustStore],
) -> list[CertificateItem]:
    """`leaf`'s chain as far as GridCert can build it: the CA certificates already in
    `chain`, completed from every CA certificate that `stores` hold (one store may have the
    intermediate, another the root). Stores that cannot be read are passed over."""
    from app.core.chain import find_chain

    if _chain_is_complete(leaf, chain):
        return list(chain)
    pool: dict[str, CertificateItem] = {c.sha256: c for c in chain}
    for store in stores:
        try:
            if not store.available().usable:
                continue
            for entry in store.list():
                if entry.item.is_ca:
                    pool.setdefault(entry.item.sha256, entry.item)
        except (GridCertError, OSError):
            continue
    built = list(find_chain(leaf, [leaf, *pool.values()]))[1:]
    # find_chain may stop early where a certificate is missing: never lose what we had.
    return built if len(built) >= len(chain) else list(chain)


def stores_holding(sha256: str, targets: Sequence[TrustStore]) -> list[TrustStore]:
    """The targets that hold this certificate with its private key."""
    found: list[TrustStore] = []
    for store in targets:
        if not store.holds_identities:
            continue
        try:
            if not store.available().usable:
                continue
            for entry in store.list():
                if entry.item.sha256 == sha256 and entry.has_private_key:
                    found.append(store)
                    break
        except GridCertError:
            continue
    return found


def export_from_file(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    password: str,
    *,
    file_password: str | None = None,
    profile: Profile = "modern",
    fmt: Format = "pfx",
    remember_password: bool = False,
    overwrite: bool = True,
    chain_stores: Sequence[TrustStore] = (),
) -> ExportResult:
    """Re-pack a .pfx/.p12 or PEM+key file in the chosen profile (or as encrypted PEM);
    a chain the file lacks is completed from `chain_stores` (`complete_chain`)."""
    if not overwrite:
        refuse_existing(out)
    try:
        leaf, chain = identity_from_file(
            path, file_password if file_password is not None else password)
        chain = complete_chain(leaf, chain, chain_stores)
    except GridCertError as error:
        _log_export("failed", out, os.fspath(path), fmt, profile, error=error)
        raise
    return write_export(leaf, chain, out, password, profile=profile, fmt=fmt,
                        remember_password=remember_password, source=os.fspath(path),
                        overwrite=overwrite)


def export_from_store(
    store: TrustStore,
    sha256: str,
    out: str | os.PathLike[str],
    password: str,
    *,
    profile: Profile = "modern",
    fmt: Format = "pfx",
    remember_password: bool = False,
    overwrite: bool = True,
    chain_stores: Sequence[TrustStore] = (),
) -> ExportResult:
    """Export the identity with this fingerprint from `store`, with the full chain GridCert
    can build: what `store` holds, completed from `chain_stores` (pass every store found,
    so the file is the same whichever copy of the certificate was chosen)."""
    if not overwrite:
        refuse_existing(out)
    try:
        leaf, chain = identity_from_store(store, sha256)
        chain = complete_chain(leaf, chain, [store, *chain_stores])
    except GridCertError as error:
        _log_export("failed", out, store.id, fmt, profile, sha256=sha256, error=error)
        raise
    return write_export(leaf, chain, out, password, profile=profile, fmt=fmt,
                        remember_password=remember_password, source=store.id,
                        overwrite=overwrite)
