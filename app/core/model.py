"""What GridCert knows about one certificate it has read (and the key beside it, if any).

`CertificateItem` wraps a `cryptography` certificate with the facts every layer needs:
fingerprints, role, validity, key description, usage. `certificate_json` gives the
object shape that the CLI contract fixes (DESIGN.md, "Command line").
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import ExtendedKeyUsageOID

from app.core.names import names_match, short_name

# Real roots (old Mozilla ones in every JRE's cacerts among them) have zero or negative
# serial numbers; pyca warns on each parse. GridCert reads them as they are, wherever they
# come from (a file, a store listing): the warning would only alarm users.
warnings.filterwarnings(
    "ignore", message="Parsed a serial number", category=CryptographyDeprecationWarning
)

Role = Literal["root", "intermediate", "end-entity"]

_WEAK_HASHES = {"md5", "sha1", "md2", "md4"}


def utc(moment: dt.datetime) -> dt.datetime:
    """`moment` as an aware UTC datetime (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def iso_z(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a `Z`, seconds precision (the JSON contract's form)."""
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def public_key_bytes(key: PublicKeyTypes) -> bytes:
    """The SubjectPublicKeyInfo DER of `key`: how keys and certificates are paired."""
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def describe_key(key: PublicKeyTypes) -> str:
    """'RSA 2048', 'EC P-256', 'Ed25519', ... for a public key."""
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        curve = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        return f"EC {curve.get(key.curve.name, key.curve.name)}"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448"
    if isinstance(key, dsa.DSAPublicKey):
        return f"DSA {key.key_size}"
    return type(key).__name__


def signature_matches(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    """True when `issuer`'s public key verifies the signature on `child` (any hash, SHA-1
    and MD5 included: weakness is flagged separately, not treated as a bad signature).

    Names are not compared here (`verify_directly_issued_by` compares them byte-wise, which
    RFC 5280 §7.1 does not ask for, and refuses SHA-1); callers use `names_match`.
    """
    try:
        key = issuer.public_key()
        signature = child.signature
        data = child.tbs_certificate_bytes
        hash_algorithm = child.signature_hash_algorithm
        if isinstance(key, rsa.RSAPublicKey):
            parameters = child.signature_algorithm_parameters
            if not isinstance(parameters, padding.AsymmetricPadding) or not isinstance(
                hash_algorithm, hashes.HashAlgorithm
            ):
                return False
            key.verify(signature, data, parameters, hash_algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            parameters = child.signature_algorithm_parameters
            if not isinstance(parameters, ec.ECDSA):
                return False
            key.verify(signature, data, parameters)
        elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            key.verify(signature, data)
        elif isinstance(key, dsa.DSAPublicKey):
            if not isinstance(hash_algorithm, hashes.HashAlgorithm):
                return False
            key.verify(signature, data, hash_algorithm)
        else:
            return False
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


def _extension(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> Any:
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None
    except ValueError:
        # A malformed extension is reported by the reader's checks, not here.
        return None


@dataclass(frozen=True, eq=False)
class CertificateItem:
    """One certificate read from `source`, with its private key when the file held it.

    `source` is the file path (`archive.zip!member` inside zips). Items read from the
    same PKCS#12 file share `source` and `container_id`, so that a personal certificate
    and its chain can be kept together.
    """

    certificate: x509.Certificate
    source: str
    private_key: PrivateKeyTypes | None = None
    friendly_name: str | None = None
    container_id: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    # --- identity ---------------------------------------------------------------
    @cached_property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @cached_property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @cached_property
    def sha256(self) -> str:
        return self.certificate.fingerprint(hashes.SHA256()).hex()

    @cached_property
    def sha1(self) -> str:
        return self.certificate.fingerprint(hashes.SHA1()).hex()

    @cached_property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    @cached_property
    def issuer(self) -> str:
        return self.certificate.issuer.rfc4514_string()

    @cached_property
    def serial(self) -> str:
        return format(self.certificate.serial_number, "x")

    @cached_property
    def display_name(self) -> str:
        """A name a person recognises: the subject CN, else the organisation."""
        return short_name(self.certificate.subject)

    @cached_property
    def issuer_display_name(self) -> str:
        return short_name(self.certificate.issuer)

    # --- validity ---------------------------------------------------------------
    @cached_property
    def not_before(self) -> dt.datetime:
        return self.certificate.not_valid_before_utc

    @cached_property
    def not_after(self) -> dt.datetime:
        return self.certificate.not_valid_after_utc

    def is_valid_at(self, moment: dt.datetime) -> bool:
        return self.not_before <= utc(moment) <= self.not_after

    def days_left(self, moment: dt.datetime | None = None) -> int:
        """Whole days from `moment` (default: now) to expiry; negative once expired."""
        delta = self.not_after - utc(moment or now_utc())
        return delta.days

    # --- keys -------------------------------------------------------------------
    @cached_property
    def public_key_der(self) -> bytes:
        return public_key_bytes(self.certificate.public_key())

    @cached_property
    def key_description(self) -> str:
        try:
            return describe_key(self.certificate.public_key())
        except (UnsupportedAlgorithm, ValueError):
            return "unknown key"

    @property
    def has_private_key(self) -> bool:
        return self.private_key is not None

    @cached_property
    def weak_key(self) -> bool:
        try:
            key = self.certificate.public_key()
        except (UnsupportedAlgorithm, ValueError):
            return False
        return isinstance(key, rsa.RSAPublicKey | dsa.DSAPublicKey) and key.key_size < 2048

    # --- signature --------------------------------------------------------------
    @cached_property
    def signature_hash(self) -> str | None:
        """'sha256', 'sha1', 'md5', ...; None for Ed25519/Ed448 or unknown algorithms."""
        try:
            algorithm = self.certificate.signature_hash_algorithm
        except UnsupportedAlgorithm:
            return None
        return algorithm.name if algorithm is not None else None

    @cached_property
    def weak_signature(self) -> bool:
        return (self.signature_hash or "") in _WEAK_HASHES

    # --- extensions ---------------------------------------------------------------
    @cached_property
    def basic_constraints(self) -> x509.BasicConstraints | None:
        value = _extension(self.certificate, x509.BasicConstraints)
        return value if isinstance(value, x509.BasicConstraints) else None

    @cached_property
    def is_ca(self) -> bool:
        constraints = self.basic_constraints
        if constraints is not None:
            return constraints.ca
        # A version-1 self-signed certificate (no extensions at all) is an old-style root.
        return self.certificate.version == x509.Version.v1 and self.is_self_signed

    @cached_property
    def path_length(self) -> int | None:
        constraints = self.basic_constraints
        return constraints.path_length if constraints is not None else None

    @cached_property
    def key_usage(self) -> x509.KeyUsage | None:
        value = _extension(self.certificate, x509.KeyUsage)
        return value if isinstance(value, x509.KeyUsage) else None

    @cached_property
    def extended_key_usage(self) -> tuple[str, ...]:
        value = _extension(self.certificate, x509.ExtendedKeyUsage)
        if not isinstance(value, x509.ExtendedKeyUsage):
            return ()
        return tuple(oid.dotted_string for oid in value)

    @cached_property
    def client_auth(self) -> bool:
        """True when the certificate may be used for TLS client authentication."""
        usages = self.extended_key_usage
        if not usages:
            return not self.is_ca
        return (
            ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string in usages
            or ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE.dotted_string in usages
        )

    # --- role -------------------------------------------------------------------
    @cached_property
    def is_self_issued(self) -> bool:
        return names_match(self.certificate.subject, self.certificate.issuer)

    @cached_property
    def is_self_signed(self) -> bool:
        if not self.is_self_issued:
            return False
        # Not verify_directly_issued_by: it refuses SHA-1 signatures ("Unsupported
        # signature algorithm"), which many real roots still carry.
        return signature_matches(self.certificate, self.certificate)

    @cached_property
    def role(self) -> Role:
        if self.is_ca:
            return "root" if self.is_self_signed else "intermediate"
        return "end-entity"

    def matches_key(self, key: PrivateKeyTypes) -> bool:
        """True when `key` is the private half of this certificate's public key."""
        return public_key_bytes(key.public_key()) == self.public_key_der

    def with_key(self, key: PrivateKeyTypes | None) -> CertificateItem:
        """A copy of this item carrying `key`."""
        return CertificateItem(
            certificate=self.certificate,
            source=self.source,
            private_key=key,
            friendly_name=self.friendly_name,
            container_id=self.container_id,
            notes=self.notes,
        )


def certificate_json(item: CertificateItem, catalog: dict[str, Any] | None) -> dict[str, Any]:
    """The certificate object of the CLI's JSON contract (field names are public)."""
    return {
        "sha256": item.sha256,
        "sha1": item.sha1,
        "subject": item.subject,
        "issuer": item.issuer,
        "serial": item.serial,
        "role": item.role,
        "has_private_key": item.has_private_key,
        "not_before": iso_z(item.not_before),
        "not_after": iso_z(item.not_after),
        "key": item.key_description,
        "catalog": catalog,
        "source": item.source,
    }
