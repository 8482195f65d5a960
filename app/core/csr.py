"""Certificate requests (PKCS#10): new keys, subjects copied exactly, extensions carried over.

When a certificate is renewed the operator expects the same subject, byte for byte in
meaning: the attribute order and each attribute's ASN.1 string type (PrintableString,
UTF8String, IA5String, ...) are kept by rebuilding the Name from the old certificate's RDNs
as they are, multi-valued RDNs (`+`) included. SubjectAltName, KeyUsage and
ExtendedKeyUsage are carried over. Requests are signed with SHA-256.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    PrivateKeyTypes,
)
from cryptography.x509.oid import NameOID

from app.core.errors import BadInputError

KeyKind = Literal["rsa2048", "rsa3072", "rsa4096", "ec-p256"]
KEY_KINDS: tuple[KeyKind, ...] = ("rsa2048", "rsa3072", "rsa4096", "ec-p256")
DEFAULT_KEY: KeyKind = "rsa2048"

KEY_WORDS: dict[KeyKind, str] = {
    "rsa2048": "RSA 2048 (what grid operators ask for by default)",
    "rsa3072": "RSA 3072",
    "rsa4096": "RSA 4096 (slower, for long-lived device certificates)",
    "ec-p256": "EC P-256 (only if the operator accepts elliptic-curve keys)",
}


def generate_key(kind: KeyKind = DEFAULT_KEY) -> PrivateKeyTypes:
    """A new private key of the given kind."""
    if kind in ("rsa2048", "rsa3072", "rsa4096"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(kind[3:]))
    if kind == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    raise BadInputError(f"Unknown key type '{kind}'; use one of {', '.join(KEY_KINDS)}.")


def copy_name(name: x509.Name) -> x509.Name:
    """The same Name rebuilt from its RDNs: order, multi-valued RDNs and string types kept."""
    rdns = [
        x509.RelativeDistinguishedName(
            # NameAttribute keeps the parsed string type in `_type`; passing it keeps e.g.
            # a PrintableString a PrintableString instead of re-encoding it as UTF8String.
            x509.NameAttribute(attr.oid, attr.value, attr._type)
            for attr in rdn
        )
        for rdn in name.rdns
    ]
    return x509.Name(rdns)


# Attribute names a person may type in a subject, compared case-insensitively. The
# cryptography parser alone knows only CN, L, ST, O, OU, C, STREET, DC and UID, written in
# capitals: 'cn=Jane', 'emailAddress=...' or a device's 'serialNumber=...' (as OpenSSL and
# the operators' request forms write them) would be refused without this table.
_SUBJECT_NAMES: dict[str, x509.ObjectIdentifier] = {
    "cn": NameOID.COMMON_NAME, "commonname": NameOID.COMMON_NAME,
    "c": NameOID.COUNTRY_NAME, "countryname": NameOID.COUNTRY_NAME,
    "o": NameOID.ORGANIZATION_NAME, "organizationname": NameOID.ORGANIZATION_NAME,
    "ou": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "organizationalunitname": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "l": NameOID.LOCALITY_NAME, "localityname": NameOID.LOCALITY_NAME,
    "st": NameOID.STATE_OR_PROVINCE_NAME, "s": NameOID.STATE_OR_PROVINCE_NAME,
    "stateorprovincename": NameOID.STATE_OR_PROVINCE_NAME,
    "street": NameOID.STREET_ADDRESS, "streetaddress": NameOID.STREET_ADDRESS,
    "dc": NameOID.DOMAIN_COMPONENT, "domaincomponent": NameOID.DOMAIN_COMPONENT,
    "uid": NameOID.USER_ID, "userid": NameOID.USER_ID,
    "e": NameOID.EMAIL_ADDRESS, "email": NameOID.EMAIL_ADDRESS,
    "emailaddress": NameOID.EMAIL_ADDRESS,
    "serialnumber": NameOID.SERIAL_NUMBER,
    "sn": NameOID.SURNAME, "surname": NameOID.SURNAME,
    "gn": NameOID.GIVEN_NAME, "givenname": NameOID.GIVEN_NAME,
    "title": NameOID.TITLE, "initials": NameOID.INITIALS,
    "generationqualifier": NameOID.GENERATION_QUALIFIER,
    "dnqualifier": NameOID.DN_QUALIFIER, "pseudonym": NameOID.PSEUDONYM,
    "postalcode": NameOID.POSTAL_CODE, "businesscategory": NameOID.BUSINESS_CATEGORY,
    "organizationidentifier": NameOID.ORGANIZATION_IDENTIFIER,
}
_SUBJECT_EXAMPLE = "CN=Jane Smith,O=Example Power\\, Inc.,C=US"


def _with_dotted_names(dn: str) -> str:
    """`dn` with each attribute name replaced by its dotted OID (values left untouched).

    Raises BadInputError naming an attribute that is not known."""
    parts: list[str] = []
    i, n = 0, len(dn)
    while i < n:
        equals = dn.find("=", i)
        if equals < 0:
            raise BadInputError(
                f"The subject '{dn}' is not a valid distinguished name: "
                f"'{dn[i:].strip()}' has no '='; write it like {_SUBJECT_EXAMPLE}."
            )
        typed = dn[i:equals].strip()
        if typed and all(c.isdigit() or c == "." for c in typed):
            oid_text = typed
        else:
            oid = _SUBJECT_NAMES.get(typed.lower())
            if oid is None:
                raise BadInputError(
                    f"The subject '{dn}' is not a valid distinguished name: '{typed}' is not "
                    f"an attribute name GridCert knows (use CN, O, OU, L, ST, C, "
                    f"emailAddress, serialNumber, ... or a dotted OID)."
                )
            oid_text = oid.dotted_string
        parts.append(oid_text + "=")
        # The value runs to the next ',' or '+' that is not escaped with a backslash.
        j = equals + 1
        while j < n and dn[j] not in ",+":
            j += 2 if dn[j] == "\\" else 1
        j = min(j, n)
        parts.append(dn[equals + 1 : j])
        if j < n:
            parts.append(dn[j])
        i = j + 1
    return "".join(parts)


def parse_subject(dn: str) -> x509.Name:
    """A subject typed as an RFC 4514 string ('CN=Jane Smith,O=Example\\, Inc.,C=US').

    RFC 4514 lists the most specific RDN first; the Name is built in certificate order
    (country first), as OpenSSL and the operators' forms do. `+` joins a multi-valued RDN.
    Attribute names are matched case-insensitively, with OpenSSL's long names too
    (`emailAddress`, `serialNumber`, `givenName`...).
    """
    text = dn.strip()
    if not text:
        raise BadInputError("The subject is empty; give at least CN=<name>.")
    try:
        name = x509.Name.from_rfc4514_string(_with_dotted_names(text))
    except ValueError as error:
        detail = str(error) or f"write it like {_SUBJECT_EXAMPLE}"
        raise BadInputError(
            f"The subject '{dn}' is not a valid distinguished name: {detail}."
        ) from error
    if not name.rdns:
        raise BadInputError(f"The subject '{dn}' has no attributes.")
    return name


@dataclass(frozen=True)
class SubjectForm:
    """The usual fields of a request form; empty fields are left out."""

    common_name: str
    organization: str = ""
    organizational_unit: str = ""
    locality: str = ""
    state: str = ""
    country: str = ""
    email: str = ""

    def to_name(self) -> x509.Name:
        if not self.common_name.strip():
            raise BadInputError(
                "The request needs a name (CN), e.g. your full name or the device name."
            )
        country = self.country.strip().upper()
        if country and (len(country) != 2 or not country.isalpha()):
            raise BadInputError(
                f"The country '{self.country}' must be a two-letter code such as US."
            )
        fields: Sequence[tuple[x509.ObjectIdentifier, str]] = (
            (NameOID.COUNTRY_NAME, country),
            (NameOID.STATE_OR_PROVINCE_NAME, self.state.strip()),
            (NameOID.LOCALITY_NAME, self.locality.strip()),
            (NameOID.ORGANIZATION_NAME, self.organization.strip()),
            (NameOID.ORGANIZATIONAL_UNIT_NAME, self.organizational_unit.strip()),
            (NameOID.COMMON_NAME, self.common_name.strip()),
            (NameOID.EMAIL_ADDRESS, self.email.strip()),
        )
        try:
            return x509.Name([x509.NameAttribute(oid, value) for oid, value in fields if value])
        except ValueError as error:
            raise BadInputError(f"The request's subject is not valid: {error}.") from error


def _extension(
    cert: x509.Certificate, kind: type[x509.ExtensionType]
) -> x509.Extension[x509.ExtensionType] | None:
    try:
        return cert.extensions.get_extension_for_class(kind)
    except (x509.ExtensionNotFound, ValueError):
        return None


def _usage_for_key(usage: x509.KeyUsage, key: PrivateKeyTypes) -> x509.KeyUsage:
    """Key usage fitted to the new key: an EC key cannot encipher keys, it agrees on them."""
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        return usage
    agreement = usage.key_agreement or usage.key_encipherment
    # encipher_only/decipher_only exist only when the old usage had key_agreement.
    had_agreement = usage.key_agreement
    return x509.KeyUsage(
        digital_signature=usage.digital_signature,
        content_commitment=usage.content_commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=agreement,
        key_cert_sign=usage.key_cert_sign,
        crl_sign=usage.crl_sign,
        encipher_only=usage.encipher_only if had_agreement else False,
        decipher_only=usage.decipher_only if had_agreement else False,
    )


def build_csr(
    key: PrivateKeyTypes,
    subject: x509.Name,
    *,
    san: x509.SubjectAlternativeName | None = None,
    key_usage: x509.KeyUsage | None = None,
    extended_key_usage: x509.ExtendedKeyUsage | None = None,
    critical: dict[type[x509.ExtensionType], bool] | None = None,
) -> x509.CertificateSigningRequest:
    """A PKCS#10 request for `key` with `subject` (kept as given), signed with SHA-256."""
    if isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
        algorithm: hashes.SHA256 | None = None
    else:
        algorithm = hashes.SHA256()
    crit = critical or {}
    builder = x509.CertificateSigningRequestBuilder().subject_name(subject)
    if san is not None:
        builder = builder.add_extension(san, crit.get(x509.SubjectAlternativeName, False))
    if key_usage is not None:
        builder = builder.add_extension(
            _usage_for_key(key_usage, key), crit.get(x509.KeyUsage, True)
        )
    if extended_key_usage is not None:
        builder = builder.add_extension(
            extended_key_usage, crit.get(x509.ExtendedKeyUsage, False)
        )
    signer: CertificateIssuerPrivateKeyTypes = key  # type: ignore[assignment]
    try:
        return builder.sign(signer, algorithm)
    except (TypeError, ValueError) as error:
        raise BadInputError(f"The request could not be signed: {error}.") from error


def csr_like(cert: x509.Certificate, key: PrivateKeyTypes) -> x509.CertificateSigningRequest:
    """A renewal request: `cert`'s subject copied exactly, its SAN and key usages carried over."""
    san = _extension(cert, x509.SubjectAlternativeName)
    usage = _extension(cert, x509.KeyUsage)
    eku = _extension(cert, x509.ExtendedKeyUsage)
    critical: dict[type[x509.ExtensionType], bool] = {}
    for ext in (san, usage, eku):
        if ext is not None:
            critical[type(ext.value)] = ext.critical
    return build_csr(
        key,
        copy_name(cert.subject),
        san=san.value if san is not None else None,  # type: ignore[arg-type]
        key_usage=usage.value if usage is not None else None,  # type: ignore[arg-type]
        extended_key_usage=eku.value if eku is not None else None,  # type: ignore[arg-type]
        critical=critical,
    )


def csr_pem(csr: x509.CertificateSigningRequest) -> bytes:
    return csr.public_bytes(serialization.Encoding.PEM)


def instructions(csr: x509.CertificateSigningRequest, csr_path: str) -> str:
    """The short text shown with a new CSR: what to do with it next."""
    subject = csr.subject.rfc4514_string()
    return (
        f"Your certificate request is in {csr_path} (subject: {subject}).\n"
        "Send this file (it holds no secret) the way your grid operator asks: ERCOT through "
        "your User Security Administrator in MPIM, CAISO device certificates (RIG/DPG/ICCP) "
        "with the Device Certificate Request form to CAISO.\n"
        "The new private key stays on this computer, encrypted. When the certificate comes "
        "back, run 'gridcert complete <file>' (or the wizard's Renew page) on this computer."
    )
