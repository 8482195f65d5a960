"""Encrypted backups, so that nothing GridCert removes is lost.

Before an identity (certificate + private key) is removed, the caller packs it as an
encrypted PKCS#12 (or encrypted PEM) and hands the bytes to `save_backup`, which writes them
under `data_dir()/backups` readable by the owner only. The passphrase comes from
`backup_passphrase`: the one the person supplied, else the one kept in the keyring (generated
on first use). Without a keyring and without a supplied passphrase there is no safe place for
it, so `KeyringUnavailableError` asks the caller to get one from the person.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets as _random
from datetime import UTC, datetime
from pathlib import Path

from app.actions.secrets import keyring_available, load_secret, store_secret
from app.core.errors import BadInputError, KeyringUnavailableError
from app.core.paths import data_dir

BACKUP_SECRET_NAME = "backup-passphrase"

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")

# A passphrase the person typed in this process (memory only; see backup_passphrase).
_session_passphrase: str | None = None


def forget_session_passphrase() -> None:
    """Drop a typed backup passphrase from memory (tests; the GUI on 'start over')."""
    global _session_passphrase
    _session_passphrase = None


def backups_dir() -> Path:
    """`data_dir()/backups`, created owner-only."""
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    # On Windows chmod is mostly a no-op; the profile folder's ACL is private already.
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)
    return path


def backup_passphrase(supplied: str | None = None) -> str:
    """The passphrase that protects backups.

    `supplied` (typed by the person) wins, and is remembered in memory for the rest of this
    process, so that the journal's own backup-before-remove and a later restore in the same
    run use it too (it is never written anywhere). Otherwise the keyring's entry is used, and
    one is generated and kept there on first use. No keyring and nothing supplied →
    `KeyringUnavailableError`, whose sentence the GUI/CLI shows before asking.
    """
    global _session_passphrase
    if supplied:
        _session_passphrase = supplied
        return supplied
    if _session_passphrase:
        return _session_passphrase
    existing = load_secret(BACKUP_SECRET_NAME)
    if existing:
        return existing
    if not keyring_available():
        raise KeyringUnavailableError(
            "No system keyring is available to keep the backup passphrase; "
            "please type a passphrase for the backup (and keep it safe)."
        )
    # 192 random bits; a machine-kept secret, so it need not be memorable.
    generated = _random.token_urlsafe(24)
    if not store_secret(BACKUP_SECRET_NAME, generated):
        raise KeyringUnavailableError(
            "The system keyring is locked or refused to keep the backup passphrase; "
            "unlock it, or type a passphrase for the backup."
        )
    return generated


def _looks_unencrypted(data: bytes) -> bool:
    """True for PEM carrying a clear private key (the one thing never allowed on disk)."""
    for marker in (b"-----BEGIN PRIVATE KEY-----", b"-----BEGIN RSA PRIVATE KEY-----",
                   b"-----BEGIN EC PRIVATE KEY-----"):
        if marker in data:
            # Traditional OpenSSL encryption keeps the RSA/EC header but adds Proc-Type.
            if marker != b"-----BEGIN PRIVATE KEY-----" and b"Proc-Type: 4,ENCRYPTED" in data:
                continue
            return True
    return False


def save_backup(pkcs12_or_pem: bytes, label: str, suffix: str) -> Path:
    """Write an already-encrypted backup under `data_dir()/backups` (0600) and return its path.

    `label` names what it is (e.g. the certificate's short name), `suffix` the file type
    (".p12", ".pfx" or ".pem"). The file is never overwritten: a timestamp and, if needed,
    a counter keep names unique.
    """
    if not pkcs12_or_pem:
        raise BadInputError(f"The backup of '{label}' is empty; nothing was removed.")
    if _looks_unencrypted(pkcs12_or_pem):
        raise BadInputError(
            f"The backup of '{label}' contains an unencrypted private key; "
            "GridCert only writes encrypted backups."
        )
    if not suffix.startswith("."):
        suffix = "." + suffix
    safe_suffix = _SAFE.sub("", suffix[1:]) or "bin"
    safe_label = _SAFE.sub("-", label).strip("-.")[:60] or "certificate"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = backups_dir()
    for counter in range(1000):
        name = f"{stamp}-{safe_label}" + (f"-{counter}" if counter else "") + f".{safe_suffix}"
        path = folder / name
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pkcs12_or_pem)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
    raise BadInputError(f"Could not find a free file name for the backup of '{label}' in {folder}.")


def list_backups() -> list[Path]:
    """Every backup file, oldest first."""
    folder = data_dir() / "backups"
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.is_file()]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))
