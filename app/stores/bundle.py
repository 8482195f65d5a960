"""A PEM trust bundle (`bundle:<file>`): the CA file API clients point at.

Python `requests` (`REQUESTS_CA_BUNDLE`), curl (`--cacert`) and many scripts read one
PEM file of trusted certificates. ERCOT's API public keys belong here (or in a Java
keystore), never in browser or OS root stores. Adding or removing a certificate keeps
every other byte of the file as it was (comments, order, line endings), and the new
file replaces the old one atomically (temporary file + rename), so a reader never sees
half a file.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509

from app.core.errors import TargetError
from app.core.model import CertificateItem
from app.stores.base import Availability, StoredCertificate, TrustStore

_BLOCK = re.compile(
    rb"-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----.+?"
    rb"-----END (?:TRUSTED |X509 )?CERTIFICATE-----"
    rb"[ \t]*(?:\r?\n)?",
    re.DOTALL,
)


class PemBundle(TrustStore):
    """The PEM file at `path` (created when the first certificate goes in)."""

    # Every change is a new file renamed into place (`_write`).
    changes_atomically = True

    def __init__(self, path: str | os.PathLike[str], label: str | None = None) -> None:
        self.path = Path(path).expanduser().absolute()
        self.id = f"bundle:{self.path}"
        self.label = label or f"Trust bundle {self.path.name}"

    def available(self) -> Availability:
        if self.path.exists():
            if not self.path.is_file():
                return Availability(False, f"{self.path} is not a file.")
            if not os.access(self.path, os.R_OK | os.W_OK):
                return Availability(False, f"GridCert cannot write the trust bundle {self.path}.")
            return Availability(True)
        parent = self.path.parent
        if not parent.is_dir():
            return Availability(False, f"The folder {parent} does not exist.")
        if not os.access(parent, os.W_OK):
            return Availability(False, f"GridCert cannot create files in {parent}.")
        return Availability(True)

    def lock_path(self) -> Path | None:
        return self.path.parent / f".{self.path.name}.gridcert-lock"

    def notes(self) -> builtins.list[str]:
        return [f"Point your API client at {self.path} (for example REQUESTS_CA_BUNDLE)."]

    # --- reading -------------------------------------------------------------------------
    def _read(self) -> bytes:
        if not self.path.exists():
            return b""
        try:
            return self.path.read_bytes()
        except OSError as error:
            raise TargetError(
                f"Could not read the trust bundle {self.path}: {error.strerror}."
            ) from error

    def _blocks(self, data: bytes) -> builtins.list[tuple[int, int, CertificateItem | None]]:
        """(start, end, item) of every certificate block; item None when unreadable."""
        out: builtins.list[tuple[int, int, CertificateItem | None]] = []
        for match in _BLOCK.finditer(data):
            text = match.group(0).strip()
            normal = re.sub(rb"(TRUSTED |X509 )CERTIFICATE", b"CERTIFICATE", text)
            try:
                cert = x509.load_pem_x509_certificate(normal)
            except ValueError:
                out.append((match.start(), match.end(), None))
                continue
            out.append((match.start(), match.end(), CertificateItem(cert, source=str(self.path))))
        return out

    def list(self) -> builtins.list[StoredCertificate]:
        return [
            StoredCertificate(item=item, target_id=self.id, location=str(self.path), trusted=True)
            for _, _, item in self._blocks(self._read())
            if item is not None
        ]

    # --- changing ------------------------------------------------------------------------
    def add_anchor(self, item: CertificateItem) -> None:
        self.add_many([item])

    def add_intermediate(self, item: CertificateItem) -> None:
        self.add_many([item])

    def add_many(self, items: Sequence[CertificateItem]) -> None:
        data = self._read()
        present = {item.sha256 for _, _, item in self._blocks(data) if item is not None}
        newline = b"\r\n" if b"\r\n" in data else b"\n"
        additions = b""
        for item in items:
            if item.sha256 in present:
                continue
            present.add(item.sha256)
            additions += (_header(item.display_name, item.sha256) + item.pem).replace(
                b"\n", newline
            )
        if not additions:
            return
        if data and not data.endswith(b"\n"):
            data += newline
        self._write(data + additions)

    def remove(self, sha256: str) -> None:
        sha256 = sha256.lower()
        data = self._read()
        kept = bytearray()
        cursor = 0
        for start, end, item in self._blocks(data):
            if item is None or item.sha256 != sha256:
                continue
            head = start
            before = data[cursor:start]
            # The two comment lines GridCert wrote above the block go with it.
            for newline in (b"\r\n", b"\n"):
                header = _header(item.display_name, sha256).replace(b"\n", newline)
                if before.endswith(header):
                    head = start - len(header)
                    break
            kept += data[cursor:head]
            cursor = end
        if cursor == 0:
            return
        kept += data[cursor:]
        self._write(bytes(kept))

    # --- the file itself ----------------------------------------------------------------
    def file_missing(self) -> bool:
        """Whether the file does not exist yet, so the next add creates it (the journal
        records this, so that undoing that add can take the file away again)."""
        return not os.path.lexists(self.path)

    def discard_if_empty(self) -> bool:
        """Delete the file when it holds nothing but blank space; True when deleted.

        Only for undoing the change that created the file: what is left then is GridCert's
        own emptied file. Anything else in it (a comment, a certificate added by hand or by
        another program) keeps it, and so does a file that existed before, even an empty one
        (the caller never asks then).
        """
        try:
            if not self.path.is_file() or self.path.read_bytes().strip():
                return False
            self.path.unlink()
        except FileNotFoundError:
            return False
        except OSError as error:
            raise TargetError(
                f"Could not remove the emptied trust bundle {self.path}: "
                f"{error.strerror or error}."
            ) from error
        return True

    def _write(self, data: bytes) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            mode = self.path.stat().st_mode & 0o777 if self.path.exists() else 0o644
            fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(temp, mode)
                os.replace(temp, self.path)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
                raise
        except OSError as error:
            raise TargetError(
                f"Could not write the trust bundle {self.path}: {error.strerror or error}."
            ) from error


def _header(name: str, sha256: str) -> bytes:
    """The comment GridCert writes above each certificate it adds."""
    safe = "".join(ch for ch in name if ch.isprintable())
    return f"# {safe}\n# SHA-256 {sha256}\n".encode()
