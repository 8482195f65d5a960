"""A small PKI factory for tests: roots, intermediates, leaves, PKCS#12 files.

Everything is generated; nothing is downloaded. Files that real tools write (OpenSSL
with and without -legacy, keytool, pk12util) are made by `tests/realtools.py`; this
module only makes keys and certificates with pyca/cryptography.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    PrivateKeyTypes,
)
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY = dt.timedelta(days=1)

_KEY_CACHE: dict[str, list[PrivateKeyTypes]] = {}


def new_key(kind: str = "rsa2048") -> PrivateKeyTypes:
    """A fresh key. RSA keys are slow to make, so tests may share a pool via `pooled_key`."""
    if kind.startswith("rsa"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(kind[3:]))
    if kind == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "ec-p384":
        return ec.generate_private_key(ec.SECP384R1())
    raise ValueError(kind)


def pooled_key(kind: str = "rsa2048", index: int = 0) -> PrivateKeyTypes:
    """The `index`-th key of a per-process pool (different indexes: different keys)."""
    pool = _KEY_CACHE.setdefault(kind, [])
    while len(pool) <= index:
        pool.append(new_key(kind))
    return pool[index]


def name(cn: str, org: str = "GridCert Test", **extra: str) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "US")]
    if org:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    for key, value in extra.items():
        oid = {"ou": NameOID.ORGANIZATIONAL_UNIT_NAME, "l": NameOID.LOCALITY_NAME,
               "st": NameOID.STATE_OR_PROVINCE_NAME, "email": NameOID.EMAIL_ADDRESS}[key]
        attributes.append(x509.NameAttribute(oid, value))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attributes)


@dataclass
class Issued:
    """A certificate with its private key and the issuer that signed it (None for roots)."""

    cert: x509.Certificate
    key: PrivateKeyTypes
    issuer: Issued | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def sha256(self) -> str:
        return self.cert.fingerprint(hashes.SHA256()).hex()

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def chain(self) -> list[Issued]:
        """The issuers above this certificate, nearest first (root last)."""
        out: list[Issued] = []
        node = self.issuer
        while node is not None:
            out.append(node)
            node = node.issuer
        return out

    def write(self, path: Path) -> Path:
        path.write_bytes(self.pem)
        return path

    def write_key(self, path: Path) -> Path:
        path.write_bytes(self.key_pem)
        path.chmod(0o600)
        return path


def _builder(
    subject: x509.Name,
    issuer_name: x509.Name,
    public_key: object,
    not_before: dt.datetime,
    not_after: dt.datetime,
    serial: int | None,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )


def make_root(
    cn: str = "GridCert Test Root CA",
    *,
    key: PrivateKeyTypes | None = None,
    days: int = 3650,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    path_length: int | None = None,
    ca: bool = True,
    key_cert_sign: bool = True,
    hash_alg: hashes.HashAlgorithm | None = None,
    subject: x509.Name | None = None,
    serial: int | None = None,
    org: str = "GridCert Test",
) -> Issued:
    key = key or pooled_key("rsa2048", 0)
    subject = subject or name(cn, org)
    start = not_before or NOW - DAY
    end = not_after or start + dt.timedelta(days=days)
    builder = _builder(subject, subject, key.public_key(), start, end, serial)
    builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), True)
    builder = builder.add_extension(_ca_key_usage(key_cert_sign), True)
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False  # type: ignore[arg-type]
    )
    cert = builder.sign(key, hash_alg or hashes.SHA256())  # type: ignore[arg-type]
    return Issued(cert, key)


def _ca_key_usage(key_cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=key_cert_sign,
        crl_sign=True, encipher_only=False, decipher_only=False,
    )


def make_intermediate(
    issuer: Issued,
    cn: str = "GridCert Test Issuing CA",
    *,
    key: PrivateKeyTypes | None = None,
    days: int = 1825,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    path_length: int | None = None,
    key_cert_sign: bool = True,
    ca: bool = True,
    hash_alg: hashes.HashAlgorithm | None = None,
    issuer_name: x509.Name | None = None,
    org: str = "GridCert Test",
) -> Issued:
    key = key or pooled_key("rsa2048", 1)
    start = not_before or NOW - DAY
    end = not_after or start + dt.timedelta(days=days)
    builder = _builder(
        name(cn, org), issuer_name or issuer.cert.subject, key.public_key(), start, end, None
    )
    builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), True)
    builder = builder.add_extension(_ca_key_usage(key_cert_sign), True)
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False  # type: ignore[arg-type]
    )
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False  # type: ignore[arg-type]
    )
    issuer_key: CertificateIssuerPrivateKeyTypes = issuer.key  # type: ignore[assignment]
    return Issued(builder.sign(issuer_key, hash_alg or hashes.SHA256()), key, issuer)


def make_leaf(
    issuer: Issued,
    cn: str = "Jane Smith",
    *,
    key: PrivateKeyTypes | None = None,
    days: int = 365,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    client_auth: bool = True,
    server_auth: bool = False,
    san_dns: Iterable[str] = (),
    san_ip: Iterable[str] = (),
    san_email: Iterable[str] = (),
    hash_alg: hashes.HashAlgorithm | None = None,
    subject: x509.Name | None = None,
    issuer_name: x509.Name | None = None,
    ca_constraint: bool = True,
    org: str = "GridCert Test",
) -> Issued:
    import ipaddress

    key = key or pooled_key("rsa2048", 2)
    start = not_before or NOW - DAY
    end = not_after or start + dt.timedelta(days=days)
    builder = _builder(
        subject or name(cn, org), issuer_name or issuer.cert.subject, key.public_key(),
        start, end, None,
    )
    if ca_constraint:
        builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=True,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False,
        ),
        True,
    )
    usages = []
    if client_auth:
        usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
    if server_auth:
        usages.append(ExtendedKeyUsageOID.SERVER_AUTH)
    if usages:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), False)
    general: list[x509.GeneralName] = [x509.DNSName(d) for d in san_dns]
    general += [x509.IPAddress(ipaddress.ip_address(i)) for i in san_ip]
    general += [x509.RFC822Name(e) for e in san_email]
    if general:
        builder = builder.add_extension(x509.SubjectAlternativeName(general), False)
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False  # type: ignore[arg-type]
    )
    issuer_key: CertificateIssuerPrivateKeyTypes = issuer.key  # type: ignore[assignment]
    return Issued(builder.sign(issuer_key, hash_alg or hashes.SHA256()), key, issuer)


@dataclass
class Pki:
    """A typical operator PKI: root → issuing CA → a person's client certificate."""

    root: Issued
    intermediate: Issued
    leaf: Issued

    def chain_pem(self) -> bytes:
        return self.intermediate.pem + self.root.pem


def make_pki(operator: str = "GridCert Test", person: str = "Jane Smith") -> Pki:
    root = make_root(f"{operator} Root CA", org=operator)
    intermediate = make_intermediate(root, f"{operator} Issuing CA", org=operator)
    leaf = make_leaf(intermediate, person, org=operator)
    return Pki(root, intermediate, leaf)


def pfx_bytes(
    leaf: Issued,
    password: str | None,
    cas: Sequence[Issued] = (),
    *,
    friendly_name: str | None = "Jane Smith",
    compatible: bool = False,
) -> bytes:
    """A PKCS#12 written by pyca/cryptography (modern AES-256 or compatible 3DES)."""
    if password is None:
        encryption: serialization.KeySerializationEncryption = serialization.NoEncryption()
    elif compatible:
        encryption = (
            serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(2048)
            .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
            .hmac_hash(hashes.SHA1())
            .build(password.encode())
        )
    else:
        encryption = serialization.BestAvailableEncryption(password.encode())
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode() if friendly_name else None,
        leaf.key,  # type: ignore[arg-type]
        leaf.cert,
        [c.cert for c in cas] or None,
        encryption,
    )
