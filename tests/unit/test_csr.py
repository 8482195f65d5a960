"""CSRs: exact subject copy (order, string types, multi-valued RDNs), extensions carried over,
SHA-256, every key type; each checked by `openssl req -verify`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.core import csr
from app.core.errors import BadInputError
from tests.helpers import require_tool
from tests.pki import make_leaf, make_root, pooled_key


def _openssl_verify(request: x509.CertificateSigningRequest, tmp_path: Path) -> str:
    openssl = require_tool("openssl", "openssl")
    path = tmp_path / "request.csr"
    path.write_bytes(csr.csr_pem(request))
    done = subprocess.run(
        [openssl, "req", "-in", str(path), "-verify", "-noout", "-text", "-nameopt", "RFC2253"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "verify OK" in done.stdout + done.stderr
    return done.stdout


def _unusual_subject() -> x509.Name:
    """PrintableString, UTF8String with commas and '+', a multi-valued RDN, a BMPString CN."""
    return x509.Name(
        [
            x509.RelativeDistinguishedName(
                [x509.NameAttribute(NameOID.COUNTRY_NAME, "US", _ASN1Type.PrintableString)]
            ),
            x509.RelativeDistinguishedName(
                [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Müller, Smith + Co")]
            ),
            x509.RelativeDistinguishedName(
                [
                    x509.NameAttribute(
                        NameOID.ORGANIZATIONAL_UNIT_NAME, "RIG", _ASN1Type.PrintableString
                    ),
                    x509.NameAttribute(NameOID.USER_ID, "0787579852300$JSMITH"),
                ]
            ),
            x509.RelativeDistinguishedName(
                [x509.NameAttribute(NameOID.COMMON_NAME, "José Ñúñez", _ASN1Type.BMPString)]
            ),
        ]
    )


@pytest.mark.parametrize("kind", csr.KEY_KINDS)
def test_renewal_request_copies_subject_exactly(kind: csr.KeyKind, tmp_path: Path) -> None:
    root = make_root()
    old = make_leaf(
        root,
        subject=_unusual_subject(),
        san_dns=["rig1.example.com"],
        san_email=["ops@example.com"],
        san_ip=["192.0.2.7"],
    )
    key = csr.generate_key(kind)
    request = csr.csr_like(old.cert, key)
    # Byte-for-byte identical subject: order, RDN grouping and string types.
    assert request.subject.public_bytes() == old.cert.subject.public_bytes()
    assert [rdn for rdn in request.subject.rdns] == list(old.cert.subject.rdns)
    types = [a._type for a in request.subject]
    assert _ASN1Type.PrintableString in types and _ASN1Type.BMPString in types
    assert request.is_signature_valid
    assert isinstance(request.signature_hash_algorithm, hashes.SHA256)
    san = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san == old.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    eku = request.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.CLIENT_AUTH in eku
    usage = request.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature
    if kind == "ec-p256":
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        # An EC key cannot encipher keys: the usage becomes key agreement.
        assert not usage.value.key_encipherment and usage.value.key_agreement
    else:
        assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == int(kind[3:])
        assert usage.value.key_encipherment
    text = _openssl_verify(request, tmp_path)
    assert "UID=0787579852300$JSMITH+OU=RIG" in text or "OU=RIG+UID=0787579852300$JSMITH" in text
    assert "DNS:rig1.example.com" in text and "IP Address:192.0.2.7" in text
    assert ("ecdsa-with-SHA256" if kind == "ec-p256" else "sha256WithRSAEncryption") in text


def test_typed_subject_with_escapes_and_plus(tmp_path: Path) -> None:
    name = csr.parse_subject(r"CN=Jane Smith+UID=jsmith,O=Example\, Inc.,L=Austin,C=US")
    # RFC 4514 lists the most specific first; the certificate order starts with the country.
    assert [rdn.rfc4514_string() for rdn in name.rdns] == [
        "C=US",
        "L=Austin",
        r"O=Example\, Inc.",
        "CN=Jane Smith+UID=jsmith",
    ]
    request = csr.build_csr(pooled_key("rsa2048", 5), name)
    assert request.subject == name
    text = _openssl_verify(request, tmp_path)
    assert r"O=Example\, Inc." in text


def test_form_subject_unicode(tmp_path: Path) -> None:
    form = csr.SubjectForm(
        common_name="Zoë Ångström",
        organization="Énergie, S.A.",
        organizational_unit="QSE",
        country="us",
        email="zoe@example.com",
    )
    name = form.to_name()
    assert name.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "US"
    assert name.rdns[0].get_attributes_for_oid(NameOID.COUNTRY_NAME)
    request = csr.build_csr(csr.generate_key("ec-p256"), name)
    assert request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Zoë Ångström"
    _openssl_verify(request, tmp_path)


@pytest.mark.parametrize(
    "dn, message",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("CN", "not a valid distinguished name"),
        ("XX=foo", "not a valid distinguished name"),
    ],
)
def test_bad_typed_subjects(dn: str, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        csr.parse_subject(dn)


def test_bad_form_fields() -> None:
    with pytest.raises(BadInputError, match="needs a name"):
        csr.SubjectForm(common_name=" ").to_name()
    with pytest.raises(BadInputError, match="two-letter"):
        csr.SubjectForm(common_name="x", country="USA").to_name()


def test_instructions_name_the_file_and_next_step() -> None:
    request = csr.build_csr(pooled_key("rsa2048", 5), csr.parse_subject("CN=RIG 7,O=Plant"))
    text = csr.instructions(request, "/tmp/rig7.csr")
    assert "/tmp/rig7.csr" in text and "gridcert complete" in text and "CN=RIG 7" in text


def test_request_without_extensions_when_old_cert_has_none(tmp_path: Path) -> None:
    root = make_root()
    request = csr.csr_like(root.cert, pooled_key("rsa2048", 5))
    kinds = {type(e.value) for e in request.extensions}
    assert x509.SubjectAlternativeName not in kinds and x509.ExtendedKeyUsage not in kinds
    _openssl_verify(request, tmp_path)
