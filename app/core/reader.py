"""Read every certificate file a user may be handed; content decides, not the extension.

Kinds understood: PEM (any number of blocks, with text, headers, CRLF, a UTF-8 or UTF-16
BOM or garbage around them; `CERTIFICATE`, `TRUSTED CERTIFICATE`, `PKCS7`/`CMS` and
private-key blocks, plain or encrypted, the keys paired to certificates by public key),
DER certificates, PKCS#7 (.p7b/.p7c, PEM or DER/BER), PKCS#12 (.pfx/.p12, every
encryption OpenSSL, Windows, macOS, keytool and NSS write; no password and the empty
password are tried before the lookup is asked) and .zip archives of these (nested up to
`Limits.max_depth` archives). Hostile input is bounded by `Limits`.

Sources: the path as given; `archive.zip!member` (and `a.zip!b.zip!member`) inside zips.

Nothing here raises for bad content: each file gives items and/or `ReadProblem`s, each
problem carrying a `GridCertError` whose sentence names the file and says what is wrong.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import lzma
import os
import re
import stat
import warnings
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from app.core.errors import (
    BadInputError,
    GridCertError,
    LimitExceededError,
    PasswordRequiredError,
    WrongPasswordError,
)
from app.core.model import CertificateItem, public_key_bytes

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "NotCertificateError",
    "PasswordLookup",
    "ReadProblem",
    "ReadResult",
    "read_bytes",
    "read_paths",
]

PasswordLookup = Callable[[str], "str | None"]
"""source -> the password the user gave for it (None: none given)."""

# NSS and Windows write BER (indefinite lengths); pyca reads it after a warning.
warnings.filterwarnings("ignore", message="PKCS#12 bundle could not be parsed as DER")
warnings.filterwarnings("ignore", message="PKCS#7 certificates could not be parsed as DER")

# Errors that the parsers of pyca/cryptography and the standard library raise on bad bytes.
_PARSE_ERRORS = (
    ValueError,
    TypeError,
    OverflowError,
    IndexError,
    UnsupportedAlgorithm,
    binascii.Error,
    x509.InvalidVersion,
    x509.DuplicateExtension,
    x509.UnsupportedGeneralNameType,
)


class NotCertificateError(BadInputError):
    """The file holds no certificate at all (text, a PDF, ...). Inside a zip: not an error."""


@dataclass(frozen=True)
class Limits:
    """Bounds against hostile input; each one exceeded is refused with a sentence."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_zip_entries: int = 1000
    max_uncompressed_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 100
    max_depth: int = 2
    max_pem_blocks: int = 2000
    # Password-based key derivation rounds in a PKCS#12 or encrypted key: real tools use
    # 2 000 to 600 000; a hostile file could ask for billions (a hang, not a crash).
    max_kdf_iterations: int = 2_000_000


DEFAULT_LIMITS = Limits()

# Below this size a member's compression ratio says nothing (a PEM of repeated text can
# compress well); above it a ratio over `max_ratio` is a zip bomb.
_RATIO_FLOOR = 64 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ReadProblem:
    """Why one file (or zip member) gave no, or not all, certificates."""

    source: str
    error: GridCertError

    @property
    def message(self) -> str:
        return str(self.error)

    @property
    def needs_password(self) -> bool:
        return isinstance(self.error, PasswordRequiredError | WrongPasswordError)


@dataclass
class _LooseKey:
    """A private key read from PEM that matched no certificate of its own file (yet)."""

    source: str
    label: str
    key: PrivateKeyTypes


@dataclass
class ReadResult:
    """Everything read from one or more inputs.

    `items`: certificates in file order; a PKCS#12 gives its key's certificate first (with
    `private_key`), then its CA certificates, all with the same `source` and
    `container_id`. `problems`: one per thing that could not be read. `other_members`:
    zip members that are not certificates (instructions, PDFs): listed, not errors.
    `pkcs12_sources`: every PKCS#12 met, opened or not; those still needing a password
    are the problems whose `needs_password` is true.
    """

    items: list[CertificateItem] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    other_members: list[str] = field(default_factory=list)
    pkcs12_sources: list[str] = field(default_factory=list)
    # Keys that may still pair with a certificate from another file given alongside;
    # always empty once read_paths/read_bytes return.
    _loose_keys: list[_LooseKey] = field(default_factory=list, repr=False, compare=False)

    def extend(self, other: ReadResult) -> None:
        self.items.extend(other.items)
        self.problems.extend(other.problems)
        self.other_members.extend(other.other_members)
        self.pkcs12_sources.extend(other.pkcs12_sources)
        self._loose_keys.extend(other._loose_keys)


# --------------------------------------------------------------------------------------
# One input being read


@dataclass
class _Input:
    """One file or zip member being read, and where its findings go."""

    source: str
    name: str  # how a person knows it: the file name, `archive.zip!member` inside zips
    passwords: PasswordLookup | None
    limits: Limits
    depth: int
    result: ReadResult

    @property
    def label(self) -> str:
        return f"‘{self.name}’"

    def problem(self, error: GridCertError) -> None:
        self.result.problems.append(ReadProblem(self.source, error))

    def password(self) -> str | None:
        return self.passwords(self.source) if self.passwords is not None else None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


# --------------------------------------------------------------------------------------
# Entry points


def read_paths(
    paths: Sequence[str | os.PathLike[str]],
    passwords: PasswordLookup | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ReadResult:
    """Read each path (PEM, DER, PKCS#7, PKCS#12 or zip). Never raises for bad input.

    A private key in a PEM file of its own (cert.pem + key.pem) pairs with a certificate
    of the other files given; a key that matches none is reported.
    """
    result = ReadResult()
    for path in paths:
        source = os.fspath(path)
        name = os.path.basename(source.rstrip("/\\")) or source
        current = _Input(source, name, passwords, limits, 0, result)
        data = _read_file(current)
        if data is not None:
            _read(data, current)
    _pair_loose_keys(result)
    return result


def read_bytes(
    data: bytes,
    source: str,
    passwords: PasswordLookup | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ReadResult:
    """Read `data` as if it were the file `source`. Never raises for bad input."""
    result = ReadResult()
    name = os.path.basename(source.rstrip("/\\")) or source
    _read(data, _Input(source, name, passwords, limits, 0, result))
    _pair_loose_keys(result)
    return result


def _read_file(current: _Input) -> bytes | None:
    label, limits = current.label, current.limits
    try:
        info = os.stat(current.source)
    except FileNotFoundError:
        current.problem(BadInputError(f"{label} does not exist."))
        return None
    except OSError as error:
        current.problem(BadInputError(f"{label} could not be read: {_os_reason(error)}."))
        return None
    if stat.S_ISDIR(info.st_mode):
        current.problem(BadInputError(f"{label} is a folder, not a certificate file."))
        return None
    if not stat.S_ISREG(info.st_mode):
        current.problem(BadInputError(f"{label} is not a regular file."))
        return None
    if info.st_size > limits.max_file_bytes:
        current.problem(_too_large(current, info.st_size))
        return None
    try:
        with open(current.source, "rb") as handle:
            # One byte more than allowed: a file that grew since stat() is still caught.
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as error:
        current.problem(BadInputError(f"{label} could not be read: {_os_reason(error)}."))
        return None
    return data


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or str(error)).lower()


def _too_large(current: _Input, size: int) -> LimitExceededError:
    return LimitExceededError(
        f"{current.label} is too large ({_megabytes(size)}); GridCert reads certificate files "
        f"of up to {_megabytes(current.limits.max_file_bytes)}."
    )


# --------------------------------------------------------------------------------------
# Dispatch on content

_PEM_BEGIN = re.compile(rb"-----BEGIN ([A-Z0-9 #._-]{1,64})-----")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def _read(data: bytes, current: _Input) -> None:
    if not data:
        current.problem(NotCertificateError(f"{current.label} is empty."))
        return
    if len(data) > current.limits.max_file_bytes:
        current.problem(_too_large(current, len(data)))
        return
    if data.startswith(_ZIP_MAGIC):
        _read_zip(data, current)
        return
    text = _as_text(data)
    if text is not None and _PEM_BEGIN.search(text):
        _read_pem(text, current)
        return
    if data[0] == 0x30:
        _read_der(data, current)
        return
    _not_certificate(data, current)


def _not_certificate(data: bytes, current: _Input) -> None:
    current.problem(
        NotCertificateError(f"{current.label} is not a certificate file ({_looks_like(data)}).")
    )


def _as_text(data: bytes) -> bytes | None:
    """The bytes as ASCII-compatible text where they may hold PEM (UTF-16 from Notepad too)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").encode("utf-8", "replace")
        except UnicodeError:
            return None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    return data


def _looks_like(data: bytes) -> str:
    """A guess, in plain words, at what a file that is not a certificate is."""
    head = data[:512]
    if head.startswith(b"%PDF"):
        return "it looks like a PDF"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "it looks like an image"
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"#!")):
        return "it looks like a program"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "it looks like an Office document"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "it looks like a web page"
    if lowered.startswith(b"<"):
        return "it looks like XML"
    sample = data[:4096]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the sample's end is still text.
        text = sample[: error.start].decode("utf-8") if error.start > len(sample) - 4 else ""
    if text.strip() and all(ch.isprintable() or ch in "\r\n\t\f" for ch in text):
        return "it looks like text"
    return "its content is not a kind GridCert recognises"


# --------------------------------------------------------------------------------------
# DER: a certificate, PKCS#7 or PKCS#12


def _der_header(data: bytes, offset: int = 0) -> tuple[int, int, int] | None:
    """(tag, header length, content length) of the element at `offset`, or None.

    The content length is -1 for BER's indefinite form (`0x80`), which NSS and Windows
    write for PKCS#12 and PKCS#7.
    """
    if offset + 2 > len(data):
        return None
    tag = data[offset]
    first = data[offset + 1]
    if first < 0x80:
        return tag, 2, first
    count = first & 0x7F
    if count == 0:
        return (tag, 2, -1) if tag & 0x20 else None
    if count > 4 or offset + 2 + count > len(data):
        return None
    return tag, 2 + count, int.from_bytes(data[offset + 2 : offset + 2 + count], "big")


_MAX_BER_NESTING = 64


def _element_end(data: bytes, offset: int = 0, nesting: int = 0) -> int | None:
    """Where the element at `offset` ends (definite or indefinite length); None if it does not."""
    header = _der_header(data, offset)
    if header is None or nesting > _MAX_BER_NESTING:
        return None
    _, header_length, length = header
    if length >= 0:
        end = offset + header_length + length
        return end if end <= len(data) else None
    at = offset + header_length
    while at + 2 <= len(data):
        if data[at] == 0 and data[at + 1] == 0:
            return at + 2
        child_end = _element_end(data, at, nesting + 1)
        if child_end is None:
            return None
        at = child_end
    return None


def _read_der(data: bytes, current: _Input) -> None:
    label = current.label
    outer = _der_header(data)
    if outer is None:
        _not_certificate(data, current)
        return
    header = outer[1]
    end = _element_end(data)
    if end is None:
        current.problem(
            BadInputError(f"{label} is truncated: the file ends before its certificate data does.")
        )
        return
    body = data[:end]
    inner = _der_header(body, header)
    inner_tag = inner[0] if inner is not None else None
    if inner_tag == 0x02:
        # PFX ::= SEQUENCE { version INTEGER (3), authSafe, macData }; a bare private key
        # also starts with an INTEGER, but 0 or 1.
        if body[header : header + 3] == b"\x02\x01\x03":
            _read_pkcs12(body, current)
        else:
            current.problem(
                NotCertificateError(f"{label} holds a private key only, not a certificate.")
            )
        return
    if inner_tag == 0x06:
        try:
            certs = pkcs7.load_der_pkcs7_certificates(body)
        except _PARSE_ERRORS:
            current.problem(
                BadInputError(f"{label} is damaged: it is not a readable PKCS#7 (.p7b) file.")
            )
            return
        _add_pkcs7(certs, current)
        return
    try:
        cert = x509.load_der_x509_certificate(body)
    except _PARSE_ERRORS:
        current.problem(BadInputError(f"{label} is damaged: it is not a readable certificate."))
        return
    _add_certificate(cert, current)


def _add_certificate(
    cert: x509.Certificate,
    current: _Input,
    friendly_name: str | None = None,
    container_id: str | None = None,
) -> bool:
    """Add `cert` unless the fields every layer reads are malformed (pyca parses lazily).

    The check reads the item's cached properties, so it costs nothing later on.
    """
    item = CertificateItem(
        certificate=cert,
        source=current.source,
        friendly_name=friendly_name,
        container_id=container_id,
    )
    try:
        _ = item.subject, item.issuer, item.not_before, item.not_after, item.serial
        _ = cert.extensions  # a malformed or duplicated extension: a damaged certificate
    except _PARSE_ERRORS:
        current.problem(
            BadInputError(f"{current.label} is damaged: a certificate in it has malformed fields.")
        )
        return False
    current.result.items.append(item)
    return True


def _add_pkcs7(certs: Sequence[x509.Certificate], current: _Input) -> None:
    if not certs:
        current.problem(
            NotCertificateError(f"{current.label} is a PKCS#7 file without certificates.")
        )
    for cert in certs:
        _add_certificate(cert, current)


# --------------------------------------------------------------------------------------
# Key-derivation cost: refuse absurd iteration counts before OpenSSL spends hours on them

# pkcs-5 (PBES1, PBKDF2) and pkcs-12 PBE algorithm identifiers, DER-encoded OID prefixes.
_PBE_OIDS = (
    bytes.fromhex("06092a864886f70d0105"),  # 1.2.840.113549.1.5.x
    bytes.fromhex("060a2a864886f70d010c01"),  # 1.2.840.113549.1.12.1.x
)


def _pbe_iterations(data: bytes) -> int:
    """The largest iteration count of any PBE/PBKDF2 parameters found in the DER bytes.

    Both parameter kinds start `SEQUENCE { OCTET STRING salt, INTEGER iterations, ...}`.
    The scan is over raw bytes because the key bags sit inside OCTET STRINGs.
    """
    highest = 0
    for prefix in _PBE_OIDS:
        start = data.find(prefix)
        while start >= 0:
            params = start + len(prefix) + 1  # the OID's last arc byte
            highest = max(highest, _salt_then_integer(data, params))
            start = data.find(prefix, start + 1)
    return highest


def _salt_then_integer(data: bytes, offset: int) -> int:
    sequence = _der_header(data, offset)
    if sequence is None or sequence[0] != 0x30:
        return 0
    salt = _der_header(data, offset + sequence[1])
    if salt is None or salt[0] != 0x04 or salt[2] < 0:
        return 0
    at = offset + sequence[1] + salt[1] + salt[2]
    number = _der_header(data, at)
    if number is None or number[0] != 0x02 or number[2] < 0:
        return 0
    if number[2] > 4:
        return 1 << 62  # more than four bytes of iterations: absurd by any measure
    return int.from_bytes(data[at + number[1] : at + number[1] + number[2]], "big")


def _pkcs12_mac_iterations(data: bytes) -> int:
    """The MAC's iteration count (PFX's third element, `macData`); 0 when absent or unreadable."""
    outer = _der_header(data)
    if outer is None:
        return 0
    at: int | None = outer[1]
    for _ in range(2):  # skip version and authSafe
        at = _element_end(data, at) if at is not None else None
    mac = _der_header(data, at) if at is not None else None
    if at is None or mac is None or mac[0] != 0x30:
        return 0
    at += mac[1]
    for _ in range(2):  # skip the digest and the salt
        at = _element_end(data, at) if at is not None else None
    number = _der_header(data, at) if at is not None else None
    if at is None or number is None or number[0] != 0x02 or number[2] < 0:
        return 1  # `iterations INTEGER DEFAULT 1`
    if number[2] > 4:
        return 1 << 62
    return int.from_bytes(data[at + number[1] : at + number[1] + number[2]], "big")


def _too_costly(data: bytes, current: _Input, pkcs12_file: bool) -> bool:
    rounds = _pbe_iterations(data)
    if pkcs12_file:
        rounds = max(rounds, _pkcs12_mac_iterations(data))
    if rounds <= current.limits.max_kdf_iterations:
        return False
    current.problem(
        LimitExceededError(
            f"{current.label} was refused: its password protection asks for {rounds:,} rounds of "
            f"key derivation (GridCert allows up to {current.limits.max_kdf_iterations:,})."
            if rounds < 1 << 62
            else f"{current.label} was refused: its password protection asks for an absurd "
            "number of rounds of key derivation."
        )
    )
    return True


# --------------------------------------------------------------------------------------
# PKCS#12


def _read_pkcs12(data: bytes, current: _Input) -> None:
    label = current.label
    current.result.pkcs12_sources.append(current.source)
    if _too_costly(data, current, pkcs12_file=True):
        return
    # Windows and Firefox try "no password" and the empty password before asking: so do we.
    # One try covers both: given no password, OpenSSL checks the MAC with the absent and
    # the empty password (the two encodings PKCS#12 writers use for "empty").
    loaded = _try_pkcs12(data, None)
    if loaded is None:
        password = current.password()
        if password is None:
            current.problem(
                PasswordRequiredError(
                    f"{label} is protected by a password; it is needed to open it."
                )
            )
            return
        for candidate in _password_encodings(password):
            loaded = _try_pkcs12(data, candidate)
            if loaded is not None:
                break
        if loaded is None:
            current.problem(
                WrongPasswordError(
                    f"{label} could not be opened: wrong password, or the file is damaged."
                )
            )
            return
    _add_pkcs12(loaded, data, current)


def _password_encodings(password: str) -> list[bytes]:
    """UTF-8 (what OpenSSL 1.1+, Windows and Java agree on), then Latin-1 (OpenSSL 1.0)."""
    encodings = [password.encode("utf-8", "surrogatepass")]
    try:
        latin = password.encode("latin-1")
    except UnicodeEncodeError:
        return encodings
    if latin not in encodings:
        encodings.append(latin)
    return encodings


def _try_pkcs12(data: bytes, password: bytes | None) -> pkcs12.PKCS12KeyAndCertificates | None:
    try:
        return pkcs12.load_pkcs12(data, password)
    except _PARSE_ERRORS:
        return None


def _add_pkcs12(loaded: pkcs12.PKCS12KeyAndCertificates, data: bytes, current: _Input) -> None:
    label = current.label
    container = (
        "pkcs12:"
        + hashlib.sha256(current.source.encode("utf-8", "replace") + data).hexdigest()[:16]
    )
    entries: list[pkcs12.PKCS12Certificate] = []
    if loaded.cert is not None:
        entries.append(loaded.cert)
    entries.extend(loaded.additional_certs)
    key = loaded.key
    leaf_index: int | None = None
    if key is not None:
        wanted = public_key_bytes(key.public_key())
        for index, entry in enumerate(entries):
            try:
                if public_key_bytes(entry.certificate.public_key()) == wanted:
                    leaf_index = index
                    break
            except _PARSE_ERRORS:
                continue  # a key type pyca cannot decode is not the one we hold
    if leaf_index is not None:
        # The certificate that the key completes is the person's: it comes first.
        entries.insert(0, entries.pop(leaf_index))
    elif key is not None:
        current.problem(
            BadInputError(f"{label} holds a private key that matches none of its certificates.")
        )
    if not entries:
        current.problem(BadInputError(f"{label} holds no certificate."))
        return
    items = current.result.items
    whose = ""
    for position, entry in enumerate(entries):
        name = entry.friendly_name.decode("utf-8", "replace") if entry.friendly_name else None
        added = _add_certificate(entry.certificate, current, name, container)
        if added and position == 0 and leaf_index is not None:
            items[-1] = items[-1].with_key(key)
            whose = f" (the one of ‘{items[-1].display_name}’)"
    keys = _pkcs12_key_bags(data)
    if keys > 1 and key is not None:
        # pyca (like most PKCS#12 readers) returns the first key only; say so rather
        # than silently dropping the other identities (a Java keystore with several).
        current.problem(
            BadInputError(
                f"{label} holds {keys} private keys; GridCert reads one per file{whose}. "
                "Export each certificate with its key to a file of its own."
            )
        )


# pkcs8ShroudedKeyBag and keyBag (1.2.840.113549.1.12.10.1.2 / .1), DER-encoded OIDs.
_KEY_BAG_OIDS = (
    bytes.fromhex("060b2a864886f70d010c0a0102"),
    bytes.fromhex("060b2a864886f70d010c0a0101"),
)


def _pkcs12_key_bags(data: bytes) -> int:
    """How many key bags a PKCS#12 holds where they can be seen (not in encrypted content)."""
    return sum(data.count(oid) for oid in _KEY_BAG_OIDS)


# --------------------------------------------------------------------------------------
# PEM

_CERT_LABELS = {b"CERTIFICATE", b"X509 CERTIFICATE", b"X.509 CERTIFICATE"}
_KEY_LABELS = {
    b"PRIVATE KEY",
    b"RSA PRIVATE KEY",
    b"EC PRIVATE KEY",
    b"DSA PRIVATE KEY",
    b"ENCRYPTED PRIVATE KEY",
}
_PLAIN_WORDS = {
    b"CERTIFICATE REQUEST": "a certificate request (CSR)",
    b"NEW CERTIFICATE REQUEST": "a certificate request (CSR)",
    b"PUBLIC KEY": "a public key",
    b"RSA PUBLIC KEY": "a public key",
    b"X509 CRL": "a revocation list (CRL)",
    b"OPENSSH PRIVATE KEY": "an SSH key",
}


def _pem_der(body: bytes) -> bytes:
    """The base64 payload of a PEM block, RFC 1421 header lines (`Name: value`) removed."""
    lines = [line for line in body.splitlines() if b":" not in line]
    return base64.b64decode(b"".join(b"".join(lines).split()), validate=True)


def _pem_blocks(text: bytes, current: _Input) -> list[tuple[bytes, bytes, bytes]] | None:
    """(label, body, whole block) for each BEGIN/END pair, in a single linear pass.

    Each END is looked for only up to the next BEGIN, so a file of BEGINs without ENDs
    costs one pass, not one pass per BEGIN.
    """
    begins = []
    for match in _PEM_BEGIN.finditer(text):
        begins.append(match)
        if len(begins) > current.limits.max_pem_blocks:
            current.problem(
                LimitExceededError(
                    f"{current.label} was refused: it holds more than "
                    f"{current.limits.max_pem_blocks} PEM blocks."
                )
            )
            return None
    blocks = []
    unterminated = 0
    for index, match in enumerate(begins):
        limit = begins[index + 1].start() if index + 1 < len(begins) else len(text)
        end_marker = b"-----END " + match.group(1) + b"-----"
        end = text.find(end_marker, match.end(), limit)
        if end < 0:
            unterminated += 1
            continue
        blocks.append(
            (match.group(1), text[match.end() : end], text[match.start() : end + len(end_marker)])
        )
    if unterminated:
        current.problem(
            BadInputError(
                f"{current.label} is truncated or damaged: "
                + ("a PEM block has" if unterminated == 1 else f"{unterminated} PEM blocks have")
                + " no END line."
            )
        )
    return blocks


def _is_content_info(der: bytes) -> bool:
    """True when DER is a PKCS#7 ContentInfo (SEQUENCE { OID, ... }), not a certificate."""
    outer = _der_header(der)
    inner = _der_header(der, outer[1]) if outer is not None else None
    return inner is not None and inner[0] == 0x06


def _read_pem(text: bytes, current: _Input) -> None:
    label = current.label
    before = len(current.result.items), len(current.result.problems)
    blocks = _pem_blocks(text, current)
    if blocks is None:
        return
    keys: list[PrivateKeyTypes] = []
    others: list[str] = []
    for number, (kind, body, whole) in enumerate(blocks, start=1):
        where = f"PEM block {number}" if len(blocks) > 1 else "its PEM block"
        if kind in _CERT_LABELS or kind == b"TRUSTED CERTIFICATE":
            try:
                der = _pem_der(body)
                if kind == b"TRUSTED CERTIFICATE":
                    # OpenSSL's form: the certificate's DER followed by its trust settings.
                    end = _element_end(der)
                    if end is not None:
                        der = der[:end]
                elif _is_content_info(der):
                    # Windows' "Base-64 encoded PKCS #7" export wears a CERTIFICATE label.
                    _add_pkcs7(pkcs7.load_der_pkcs7_certificates(der), current)
                    continue
                cert = x509.load_der_x509_certificate(der)
            except _PARSE_ERRORS:
                current.problem(
                    BadInputError(f"{label} is damaged: {where} is not a readable certificate.")
                )
                continue
            _add_certificate(cert, current)
        elif kind in (b"PKCS7", b"CMS"):
            try:
                certs = pkcs7.load_der_pkcs7_certificates(_pem_der(body))
            except _PARSE_ERRORS:
                current.problem(
                    BadInputError(f"{label} is damaged: {where} is not a readable PKCS#7.")
                )
                continue
            _add_pkcs7(certs, current)
        elif kind in _KEY_LABELS:
            key = _pem_key(kind, body, whole, where, current)
            if key is not None:
                keys.append(key)
        else:
            others.append(_PLAIN_WORDS.get(kind, "no certificate"))
    _pair_keys(keys, current)
    if (len(current.result.items), len(current.result.problems)) == before and not keys:
        what = others[0] if others else "no certificate"
        current.problem(
            NotCertificateError(f"{label} is not a certificate file (it holds {what}).")
        )


def _pem_key(
    kind: bytes, body: bytes, whole: bytes, where: str, current: _Input
) -> PrivateKeyTypes | None:
    label = current.label
    encrypted = kind == b"ENCRYPTED PRIVATE KEY" or b"ENCRYPTED" in body.split(b"\n\n", 1)[0]
    password: bytes | None = None
    if encrypted:
        try:
            if kind == b"ENCRYPTED PRIVATE KEY" and _too_costly(_pem_der(body), current, False):
                return None
        except _PARSE_ERRORS:
            pass  # damaged base64: load_pem_private_key below says so
        given = current.password()
        if given is None:
            current.problem(
                PasswordRequiredError(
                    f"{label} holds an encrypted private key; its password is needed to open it."
                )
            )
            return None
        password = given.encode("utf-8", "surrogatepass")
    try:
        return serialization.load_pem_private_key(whole, password)
    except ValueError:
        if encrypted:
            current.problem(
                WrongPasswordError(
                    f"{label}: the private key could not be decrypted: wrong password, "
                    "or the key is damaged."
                )
            )
        else:
            current.problem(
                BadInputError(f"{label} is damaged: {where} is not a readable private key.")
            )
    except (UnsupportedAlgorithm, TypeError, OverflowError, IndexError, binascii.Error):
        current.problem(
            BadInputError(f"{label}: {where} holds a private key of a kind GridCert cannot read.")
        )
    return None


def _pair_keys(keys: list[PrivateKeyTypes], current: _Input) -> None:
    """Give each key to the certificate of the same file whose public key it completes."""
    items = current.result.items
    mine = [index for index, item in enumerate(items) if item.source == current.source]
    for key in keys:
        if not _give_key(key, mine, current.result):
            current.result._loose_keys.append(_LooseKey(current.source, current.label, key))


def _give_key(key: PrivateKeyTypes, candidates: list[int], result: ReadResult) -> bool:
    try:
        wanted = public_key_bytes(key.public_key())
    except _PARSE_ERRORS:
        return False
    for index in candidates:
        item = result.items[index]
        try:
            fits = item.private_key is None and item.public_key_der == wanted
        except _PARSE_ERRORS:
            continue  # a certificate whose key pyca cannot decode pairs with nothing
        if fits:
            result.items[index] = item.with_key(key)
            return True
    return False


def _pair_loose_keys(result: ReadResult) -> None:
    """Pair keys left over in their own file with any certificate read; report the rest."""
    for loose in result._loose_keys:
        if _give_key(loose.key, list(range(len(result.items))), result):
            continue
        has_certs = any(item.source == loose.source for item in result.items)
        sentence = (
            f"{loose.label} holds a private key that matches none of the certificates read."
            if has_certs
            else f"{loose.label} holds a private key only; add its certificate file too."
        )
        result.problems.append(ReadProblem(loose.source, BadInputError(sentence)))
    result._loose_keys.clear()


# --------------------------------------------------------------------------------------
# Zip archives


def _unsafe_name(name: str) -> bool:
    """Absolute paths, drive letters and `..` steps: a hostile archive's names."""
    normal = name.replace("\\", "/")
    if normal.startswith("/") or re.match(r"^[A-Za-z]:", normal):
        return True
    return ".." in normal.split("/") or "\x00" in normal


def _read_zip(data: bytes, current: _Input) -> None:
    label, limits = current.label, current.limits
    if current.depth >= limits.max_depth:
        current.problem(
            LimitExceededError(
                f"{label} was refused: archives nested more than {limits.max_depth} deep."
            )
        )
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, NotImplementedError, OSError, *_PARSE_ERRORS):
        current.problem(BadInputError(f"{label} is damaged: it is not a readable zip archive."))
        return
    with archive:
        refusal = _zip_refusal(infos, current)
        if refusal is not None:
            current.problem(refusal)
            return
        result = current.result
        before = len(result.items), len(result.problems)
        budget = limits.max_uncompressed_bytes
        for info in infos:
            if info.is_dir() or info.filename.startswith("__MACOSX/"):
                continue  # folders, and the resource forks macOS's Finder adds to zips
            member = _Input(
                f"{current.source}!{info.filename}",
                f"{current.name}!{info.filename}",
                current.passwords,
                limits,
                current.depth + 1,
                ReadResult(),
            )
            content = _zip_member(archive, info, member, budget)
            if content is not None:
                budget -= len(content)
                _read(content, member)
            found = member.result
            for problem in found.problems:
                if isinstance(problem.error, NotCertificateError) and not found.items:
                    result.other_members.append(problem.source)
                else:
                    result.problems.append(problem)
            found.problems = []
            result.extend(found)
        if (len(result.items), len(result.problems)) == before:
            current.problem(NotCertificateError(f"{label} contains no certificate."))


def _zip_refusal(infos: list[zipfile.ZipInfo], current: _Input) -> GridCertError | None:
    label, limits = current.label, current.limits
    if len(infos) > limits.max_zip_entries:
        return LimitExceededError(
            f"{label} was refused: it has {len(infos)} entries (GridCert reads up to "
            f"{limits.max_zip_entries})."
        )
    declared = 0
    for info in infos:
        if _unsafe_name(info.filename):
            return BadInputError(
                f"{label} was refused: it contains a file with an unsafe name (‘{info.filename}’)."
            )
        declared += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            return LimitExceededError(
                f"{label} was refused: ‘{info.filename}’ would expand more than "
                f"{limits.max_ratio} times (a zip bomb)."
            )
    if declared > limits.max_uncompressed_bytes:
        return LimitExceededError(
            f"{label} was refused: its contents would take {_megabytes(declared)} "
            f"(GridCert reads up to {_megabytes(limits.max_uncompressed_bytes)})."
        )
    return None


def _zip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: _Input, budget: int
) -> bytes | None:
    """The member's bytes, decompressed in chunks under a cap: declared sizes may lie."""
    label, limits = member.label, member.limits
    cap = min(limits.max_file_bytes, budget)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > cap:
                    member.problem(
                        LimitExceededError(
                            f"{label} was refused: it expands to more than {_megabytes(cap)} "
                            "(a zip bomb, or too large)."
                        )
                    )
                    return None
                if size > _RATIO_FLOOR and size > limits.max_ratio * max(info.compress_size, 1):
                    member.problem(
                        LimitExceededError(
                            f"{label} was refused: it expands more than {limits.max_ratio} "
                            "times (a zip bomb)."
                        )
                    )
                    return None
                chunks.append(chunk)
    except RuntimeError:
        # zipfile's answer to an encrypted member opened without a password.
        member.problem(
            BadInputError(f"{label} is encrypted inside the zip; unzip it with its password first.")
        )
        return None
    except NotImplementedError:
        member.problem(
            BadInputError(f"{label} uses a zip compression method GridCert cannot read.")
        )
        return None
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, *_PARSE_ERRORS):
        member.problem(BadInputError(f"{label} is damaged inside the zip."))
        return None
    return b"".join(chunks)
