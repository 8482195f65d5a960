"""Writing what leaves the computer: PKCS#12 files and encrypted PEM, never a clear key.

Two PKCS#12 profiles, chosen per export because the reader decides what works:

* **modern** — key and certificates encrypted with PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256),
  SHA-256 MAC, 100 000 iterations: Windows 10 1709+/11, Server 2019+, current Linux tools.
* **compatible** — pbeWithSHA1And3-KeyTripleDES-CBC with a SHA-1 MAC: Windows Server 2016
  and older, and the macOS keychain, which reject the modern file with a misleading "wrong
  password".

Every file carries the whole chain and the friendly name. PEM export writes the certificate,
the chain and the key as encrypted PKCS#8; pending renewal keys use the same encryption.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Sequence
from typing import Literal

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from app.core.errors import BadInputError, PasswordRequiredError, WrongPasswordError
from app.core.model import CertificateItem

Profile = Literal["modern", "compatible"]
PROFILES: tuple[Profile, ...] = ("modern", "compatible")

MODERN_ITERATIONS = 100_000
# 2048 is what Windows and OpenSSL themselves use for 3DES files; old readers are slow with more.
COMPATIBLE_ITERATIONS = 2048

#: The technical facts behind each profile's plain words (for a "Details" link).
PROFILE_DETAILS: dict[Profile, str] = {
    "modern": ("PBES2: AES-256-CBC with PBKDF2-HMAC-SHA256, SHA-256 MAC, 100 000 iterations; "
               "Windows 10 version 1709 or later, Windows Server 2019 or later"),
    "compatible": ("pbeWithSHA1And3-KeyTripleDES-CBC with a SHA-1 MAC; reads on Windows "
                   "Server 2016 and older and in the macOS keychain"),
}

PROFILE_WORDS: dict[Profile, str] = {
    "modern": (
        "Windows 10 or 11 (updated since 2017), Windows Server 2019 or later, Linux, GridCert"
    ),
    "compatible": "Windows Server 2016, older Windows, the macOS keychain",
}


def _pkcs12_encryption(password: str, profile: Profile) -> serialization.KeySerializationEncryption:
    builder = serialization.PrivateFormat.PKCS12.encryption_builder()
    if profile == "modern":
        builder = (
            builder.kdf_rounds(MODERN_ITERATIONS)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
        )
    elif profile == "compatible":
        builder = (
            builder.kdf_rounds(COMPATIBLE_ITERATIONS)
            .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
            .hmac_hash(hashes.SHA1())
        )
    else:  # pragma: no cover - guarded by the type, kept for callers from untyped code
        raise BadInputError(f"Unknown export profile '{profile}'; use modern or compatible.")
    return builder.build(password.encode("utf-8"))


# --- MAC iterations ---------------------------------------------------------------------
# pyca/cryptography derives the MAC key with a fixed 2048 iterations whatever kdf_rounds says,
# which would let a guesser test passwords against the MAC 50 times faster than against the
# AES-256 key bags. For the modern profile the MacData is therefore recomputed with
# MODERN_ITERATIONS (RFC 7292 §5 and Appendix B, HMAC-SHA-256). Readers take the count from
# the file, so nothing else changes.


def _der_read(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, start of value, end of value) of the DER element at `offset`."""
    tag = data[offset]
    length = data[offset + 1]
    pos = offset + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4:
            raise ValueError("unsupported DER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    end = pos + length
    if end > len(data):
        raise ValueError("truncated DER")
    return tag, pos, end


def _der(tag: int, value: bytes) -> bytes:
    size = len(value)
    if size < 0x80:
        return bytes([tag, size]) + value
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(raw)]) + raw + value


def _der_children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(tag, element start, value start, value end) of each element in data[start:end]."""
    out = []
    pos = start
    while pos < end:
        tag, vstart, vend = _der_read(data, pos)
        out.append((tag, pos, vstart, vend))
        pos = vend
    return out


def _fill(data: bytes, v: int) -> bytes:
    """`data` repeated to the next multiple of `v` bytes (RFC 7292 B.2 steps 2-3)."""
    size = v * ((len(data) + v - 1) // v)
    return (data * (size // len(data) + 1))[:size] if data else b""


def _pkcs12_kdf(password: str, salt: bytes, iterations: int, length: int) -> bytes:
    """RFC 7292 Appendix B.2 key derivation, ID 3 (MAC key), with SHA-256."""
    u, v = 32, 64
    # BMPString with a two-byte terminator, as RFC 7292 B.1 says for MAC passwords.
    pw = password.encode("utf-16-be") + b"\x00\x00"
    d = bytes([3]) * v
    i = bytearray(_fill(salt, v) + _fill(pw, v))
    out = b""
    while len(out) < length:
        a = hashlib.sha256(d + bytes(i)).digest()
        for _ in range(iterations - 1):
            a = hashlib.sha256(a).digest()
        out += a
        b = int.from_bytes((a * (v // u + 1))[:v], "big")
        for j in range(0, len(i), v):
            block = (int.from_bytes(i[j : j + v], "big") + b + 1) % (1 << (8 * v))
            i[j : j + v] = block.to_bytes(v, "big")
    return out[:length]


def _remac_sha256(pfx: bytes, password: str, iterations: int) -> bytes:
    """`pfx` with its MacData recomputed (HMAC-SHA-256, new salt, `iterations`)."""
    tag, start, end = _der_read(pfx, 0)
    version, auth_safe, mac_data = _der_children(pfx, start, end)
    # authSafe ContentInfo: SEQUENCE { OID data, [0] { OCTET STRING content } }
    _, content_tagged = [
        (t, vs, ve) for t, _, vs, ve in _der_children(pfx, auth_safe[2], auth_safe[3])
    ]
    octets = _der_children(pfx, content_tagged[1], content_tagged[2])[0]
    content = pfx[octets[2] : octets[3]]
    digest_info = _der_children(pfx, mac_data[2], mac_data[3])[0]
    algorithm = _der_children(pfx, digest_info[2], digest_info[3])[0]
    algorithm_der = pfx[algorithm[1] : algorithm[3]]
    salt = os.urandom(16)
    key = _pkcs12_kdf(password, salt, iterations, 32)
    mac = hmac.new(key, content, hashlib.sha256).digest()
    iterations_der = _der(0x02, iterations.to_bytes((iterations.bit_length() + 8) // 8, "big"))
    new_mac_data = _der(
        0x30,
        _der(0x30, algorithm_der + _der(0x04, mac)) + _der(0x04, salt) + iterations_der,
    )
    body = pfx[version[1] : version[3]] + pfx[auth_safe[1] : auth_safe[3]] + new_mac_data
    return _der(tag, body)


def _require_password(password: str, what: str) -> None:
    if not password:
        raise PasswordRequiredError(
            f"{what} needs a password; GridCert never writes a private key without one."
        )


def _require_key(leaf: CertificateItem) -> PrivateKeyTypes:
    key = leaf.private_key
    if key is None:
        raise BadInputError(
            f"'{leaf.display_name}' ({leaf.source}) has no private key here, so it cannot be "
            "exported as a personal certificate; export it from the computer or file that "
            "holds its key, or ask the operator for a new certificate."
        )
    if not leaf.matches_key(key):
        raise BadInputError(
            f"The private key beside '{leaf.display_name}' ({leaf.source}) belongs to another "
            "certificate."
        )
    return key


def _chain_without_leaf(
    leaf: CertificateItem, chain: Sequence[CertificateItem]
) -> list[CertificateItem]:
    seen = {leaf.sha256}
    out: list[CertificateItem] = []
    for item in chain:
        if item.sha256 not in seen:
            seen.add(item.sha256)
            out.append(item)
    return out


def write_pkcs12(
    leaf: CertificateItem,
    chain: Sequence[CertificateItem],
    password: str,
    profile: Profile = "modern",
    friendly_name: str | None = None,
) -> bytes:
    """A PKCS#12 of `leaf` (with its key) and its `chain` (issuer first), encrypted.

    The friendly name is `friendly_name`, else the leaf's own one, else its display name.
    """
    _require_password(password, "A .pfx file")
    key = _require_key(leaf)
    name = friendly_name or leaf.friendly_name or leaf.display_name
    cas = [
        pkcs12.PKCS12Certificate(
            item.certificate,
            item.friendly_name.encode("utf-8") if item.friendly_name else None,
        )
        for item in _chain_without_leaf(leaf, chain)
    ]
    try:
        data = pkcs12.serialize_key_and_certificates(
            name.encode("utf-8") if name else None,
            key,  # type: ignore[arg-type]
            leaf.certificate,
            cas or None,
            _pkcs12_encryption(password, profile),
        )
    except (TypeError, ValueError) as error:
        raise BadInputError(
            f"'{leaf.display_name}' cannot be written as a .pfx: {error}."
        ) from error
    if profile == "modern":
        data = _remac_sha256(data, password, MODERN_ITERATIONS)
    return data


def write_encrypted_pem(
    leaf: CertificateItem, chain: Sequence[CertificateItem], passphrase: str
) -> bytes:
    """PEM text: the certificate, its chain, then the key as encrypted PKCS#8 (AES-256)."""
    _require_password(passphrase, "A PEM export")
    key = _require_key(leaf)
    parts = [leaf.pem]
    parts += [item.pem for item in _chain_without_leaf(leaf, chain)]
    parts.append(encrypt_private_key(key, passphrase))
    return b"".join(parts)


#: PBKDF2-HMAC-SHA256 rounds for encrypted PKCS#8 keys (OWASP's 2023 figure). pyca's
#: BestAvailableEncryption uses 2048, too few for a person's passphrase guarding a key file.
KEY_ITERATIONS = 600_000

_OID_PBES2 = "1.2.840.113549.1.5.13"
_OID_PBKDF2 = "1.2.840.113549.1.5.12"
_OID_HMAC_SHA256 = "1.2.840.113549.2.9"
_OID_AES256_CBC = "2.16.840.1.101.3.4.1.42"


def _der_oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytearray([parts[0] * 40 + parts[1]])
    for number in parts[2:]:
        chunk = [number & 0x7F]
        number >>= 7
        while number:
            chunk.append(0x80 | (number & 0x7F))
            number >>= 7
        body += bytes(reversed(chunk))
    return _der(0x06, bytes(body))


def _der_int(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def encrypt_private_key(
    key: PrivateKeyTypes, passphrase: str, iterations: int = KEY_ITERATIONS
) -> bytes:
    """The key as PEM `ENCRYPTED PRIVATE KEY`: PKCS#8 under PBES2 (PBKDF2-HMAC-SHA256,
    `iterations` rounds, AES-256-CBC), as `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes."""
    import base64

    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    _require_password(passphrase, "A private key")
    plain = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    salt, iv = os.urandom(16), os.urandom(16)
    secret = PBKDF2HMAC(hashes.SHA256(), 32, salt, iterations).derive(passphrase.encode())
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(secret), modes.CBC(iv)).encryptor()
    encrypted = encryptor.update(padded) + encryptor.finalize()
    prf = _der(0x30, _der_oid(_OID_HMAC_SHA256) + b"\x05\x00")
    kdf = _der(0x30, _der_oid(_OID_PBKDF2)
               + _der(0x30, _der(0x04, salt) + _der_int(iterations) + prf))
    scheme = _der(0x30, _der_oid(_OID_AES256_CBC) + _der(0x04, iv))
    algorithm = _der(0x30, _der_oid(_OID_PBES2) + _der(0x30, kdf + scheme))
    info = _der(0x30, algorithm + _der(0x04, encrypted))
    body = base64.encodebytes(info).decode("ascii").replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + "\n".join(lines)
            + "\n-----END ENCRYPTED PRIVATE KEY-----\n").encode("ascii")


def decrypt_private_key(data: bytes, passphrase: str | None, source: str) -> PrivateKeyTypes:
    """Open an encrypted PKCS#8 key; a wrong or missing passphrase is a sentence naming `source`."""
    if not passphrase:
        raise PasswordRequiredError(f"The private key {source} needs its passphrase.")
    try:
        return serialization.load_pem_private_key(data, passphrase.encode("utf-8"))
    except (ValueError, TypeError) as error:
        raise WrongPasswordError(
            f"The passphrase does not open the private key {source} (or the file is damaged)."
        ) from error


def read_pkcs12(data: bytes, password: str, source: str) -> list[CertificateItem]:
    """Read back a PKCS#12 written here: the leaf (with key) first, then its CA certificates.

    Used to check an export before saying it is done, so it is strict: a file that does not
    open, or lacks a key or certificate, is an error.
    """
    try:
        loaded = pkcs12.load_pkcs12(data, password.encode("utf-8"))
    except ValueError as error:
        raise WrongPasswordError(
            f"{source} does not open with that password, or the file is damaged."
        ) from error
    if loaded.cert is None or loaded.key is None:
        raise BadInputError(f"{source} does not contain a certificate with its private key.")
    raw_name = loaded.cert.friendly_name
    friendly = raw_name.decode("utf-8", "replace") if raw_name else None
    container = f"p12:{source}"
    leaf = CertificateItem(loaded.cert.certificate, source, loaded.key, friendly, container)
    if not leaf.matches_key(loaded.key):
        raise BadInputError(f"In {source} the private key does not belong to the certificate.")
    items = [leaf]
    for extra in loaded.additional_certs:
        name = extra.friendly_name.decode("utf-8", "replace") if extra.friendly_name else None
        items.append(CertificateItem(extra.certificate, source, None, name, container))
    return items
