"""CertificateItem: roles, keys, weakness flags, client authentication, the JSON object."""

from __future__ import annotations

import datetime as dt
import re

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.core.model import (
    CertificateItem,
    certificate_json,
    describe_key,
    iso_z,
    public_key_bytes,
    utc,
)
from tests.pki import (
    DAY,
    NOW,
    make_intermediate,
    make_leaf,
    make_pki,
    make_root,
    name,
    new_key,
    pooled_key,
)

# --- a minimal DER writer: cryptography only builds v3 certificates with SHA-2 -------------


def _der(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        length = bytes([size])
    else:
        raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + body


def _integer(value: int) -> bytes:
    raw = value.to_bytes(value.bit_length() // 8 + 1, "big")
    return _der(0x02, raw)


def _time(moment: dt.datetime) -> bytes:
    return _der(0x17, utc(moment).strftime("%y%m%d%H%M%SZ").encode())


_ALGORITHMS = {  # DER of AlgorithmIdentifier { OID, NULL } for RSA with each hash
    "sha256": bytes.fromhex("300d06092a864886f70d01010b0500"),
    "sha1": bytes.fromhex("300d06092a864886f70d0101050500"),
    "md5": bytes.fromhex("300d06092a864886f70d0101040500"),
}
_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(), "sha1": hashes.SHA1(), "md5": hashes.MD5(),
}


def raw_certificate(
    subject: x509.Name,
    issuer: x509.Name,
    subject_key: rsa.RSAPrivateKey,
    signing_key: rsa.RSAPrivateKey,
    *,
    version1: bool = True,
    digest: str = "sha256",
) -> x509.Certificate:
    """An RSA certificate without extensions: version 1, or v3 with an empty-free TBS."""
    algorithm = _ALGORITHMS[digest]
    spki = public_key_bytes(subject_key.public_key())
    validity = _der(0x30, _time(NOW - DAY) + _time(NOW + 365 * DAY))
    tbs_body = (
        (b"" if version1 else _der(0xA0, _integer(2)))
        + _integer(0x1234)
        + algorithm
        + issuer.public_bytes()
        + validity
        + subject.public_bytes()
        + spki
    )
    tbs = _der(0x30, tbs_body)
    signature = signing_key.sign(tbs, padding.PKCS1v15(), _HASHES[digest])
    der = _der(0x30, tbs + algorithm + _der(0x03, b"\x00" + signature))
    return x509.load_der_x509_certificate(der)


def rsa_key(index: int) -> rsa.RSAPrivateKey:
    key = pooled_key("rsa2048", index)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def item(cert: x509.Certificate, key: object = None) -> CertificateItem:
    return CertificateItem(cert, "test.pem", private_key=key)  # type: ignore[arg-type]


# --- roles ------------------------------------------------------------------------------


def test_version1_self_signed_is_a_root() -> None:
    key = rsa_key(0)
    cert = raw_certificate(name("Old Root"), name("Old Root"), key, key)
    assert cert.version == x509.Version.v1
    old = item(cert)
    assert old.basic_constraints is None
    assert old.is_self_signed
    assert old.is_ca
    assert old.role == "root"


def test_version1_issued_by_another_is_end_entity() -> None:
    cert = raw_certificate(name("Someone"), name("Old Root"), rsa_key(2), rsa_key(0))
    assert item(cert).role == "end-entity"
    assert not item(cert).is_ca


def test_version3_self_signed_without_basic_constraints_is_end_entity() -> None:
    key = rsa_key(0)
    cert = raw_certificate(name("Self"), name("Self"), key, key, version1=False)
    assert cert.version == x509.Version.v3
    assert item(cert).is_self_signed
    assert item(cert).role == "end-entity"


def test_ca_not_self_signed_is_intermediate() -> None:
    pki = make_pki()
    assert item(pki.root.cert).role == "root"
    assert item(pki.intermediate.cert).role == "intermediate"
    assert item(pki.leaf.cert).role == "end-entity"


def test_self_signed_non_ca_is_end_entity() -> None:
    lone = make_root("Self-signed Device", ca=False)
    assert item(lone.cert).is_self_signed
    assert item(lone.cert).role == "end-entity"


def test_same_name_but_signed_by_another_key_is_not_a_root() -> None:
    signer = make_root("Twin CA", key=pooled_key("rsa2048", 3))
    twin = make_intermediate(signer, "Twin CA", key=pooled_key("rsa2048", 4))
    twin_item = item(twin.cert)
    assert twin_item.is_self_issued
    assert not twin_item.is_self_signed
    assert twin_item.role == "intermediate"


def test_path_length() -> None:
    assert item(make_root(path_length=0).cert).path_length == 0
    assert item(make_root().cert).path_length is None


# --- keys and weakness ---------------------------------------------------------------------


def test_key_descriptions() -> None:
    assert describe_key(pooled_key("rsa2048", 0).public_key()) == "RSA 2048"
    assert describe_key(pooled_key("ec-p256", 0).public_key()) == "EC P-256"
    assert describe_key(new_key("ec-p384").public_key()) == "EC P-384"
    assert describe_key(ed25519.Ed25519PrivateKey.generate().public_key()) == "Ed25519"
    root = make_root(key=pooled_key("ec-p256", 0))
    assert item(root.cert).key_description == "EC P-256"


def test_weak_key_flag() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    cert = raw_certificate(name("Small"), name("Small"), small, small)
    assert item(cert).weak_key
    assert item(cert).key_description == "RSA 1024"
    assert not item(make_root().cert).weak_key
    assert not item(make_root(key=pooled_key("ec-p256", 0)).cert).weak_key


def test_weak_signature_flags_sha1_and_md5() -> None:
    key = rsa_key(0)
    sha1 = item(raw_certificate(name("R"), name("R"), key, key, digest="sha1"))
    md5 = item(raw_certificate(name("R"), name("R"), key, key, digest="md5"))
    sha256 = item(raw_certificate(name("R"), name("R"), key, key, digest="sha256"))
    assert (sha1.signature_hash, sha1.weak_signature) == ("sha1", True)
    assert (md5.signature_hash, md5.weak_signature) == ("md5", True)
    assert (sha256.signature_hash, sha256.weak_signature) == ("sha256", False)
    assert sha1.is_self_signed  # still readable and verifiable


def test_private_key_pairing() -> None:
    pki = make_pki()
    leaf = item(pki.leaf.cert)
    assert not leaf.has_private_key
    assert leaf.matches_key(pki.leaf.key)
    assert not leaf.matches_key(pki.root.key)
    keyed = leaf.with_key(pki.leaf.key)
    assert keyed.has_private_key
    assert keyed.sha256 == leaf.sha256
    assert keyed.source == leaf.source


# --- client authentication -----------------------------------------------------------------


def test_client_auth_from_extended_key_usage() -> None:
    pki = make_pki()
    assert item(pki.leaf.cert).client_auth
    server_only = make_leaf(pki.intermediate, client_auth=False, server_auth=True)
    assert not item(server_only.cert).client_auth
    assert item(server_only.cert).extended_key_usage == (
        ExtendedKeyUsageOID.SERVER_AUTH.dotted_string,
    )
    no_eku = make_leaf(pki.intermediate, client_auth=False)
    assert item(no_eku.cert).extended_key_usage == ()
    assert item(no_eku.cert).client_auth  # no EKU: any usage
    assert not item(pki.root.cert).client_auth  # a CA without EKU is not a client


def test_client_auth_with_any_extended_key_usage() -> None:
    pki = make_pki()
    key = pki.intermediate.key
    assert isinstance(key, rsa.RSAPrivateKey)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Anything"))
        .issuer_name(pki.intermediate.cert.subject)
        .public_key(rsa_key(2).public_key())
        .serial_number(7)
        .not_valid_before(NOW - DAY)
        .not_valid_after(NOW + DAY)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE]), False)
        .sign(key, hashes.SHA256())
    )
    assert item(cert).client_auth


# --- validity, names, JSON -------------------------------------------------------------------


def test_validity_and_days_left() -> None:
    leaf = make_leaf(make_root(), not_before=NOW - DAY, days=31)
    it = item(leaf.cert)
    assert it.is_valid_at(NOW)
    assert not it.is_valid_at(NOW + 40 * DAY)
    assert not it.is_valid_at(NOW - 2 * DAY)
    assert it.days_left(NOW) == 30
    assert it.days_left(NOW + 40 * DAY) < 0
    assert it.is_valid_at(NOW.replace(tzinfo=None))  # naive = UTC


def test_display_names() -> None:
    assert item(make_root("ERCOT CA").cert).display_name == "ERCOT CA"
    org_only = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Org")])
    assert item(make_root(subject=org_only).cert).display_name == "Example Org"


def test_certificate_json_contract() -> None:
    pki = make_pki()
    leaf = item(pki.leaf.cert, pki.leaf.key)
    document = certificate_json(leaf, None)
    assert set(document) == {
        "sha256", "sha1", "subject", "issuer", "serial", "role", "has_private_key",
        "not_before", "not_after", "key", "catalog", "source",
    }
    assert re.fullmatch(r"[0-9a-f]{64}", document["sha256"])
    assert re.fullmatch(r"[0-9a-f]{40}", document["sha1"])
    assert document["sha256"] == pki.leaf.sha256
    assert document["serial"] == format(pki.leaf.cert.serial_number, "x")
    assert document["subject"] == "CN=Jane Smith,O=GridCert Test,C=US"
    assert document["issuer"] == "CN=GridCert Test Issuing CA,O=GridCert Test,C=US"
    assert document["role"] == "end-entity"
    assert document["has_private_key"] is True
    assert document["key"] == "RSA 2048"
    assert document["catalog"] is None
    assert document["source"] == "test.pem"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["not_before"])
    assert document["not_after"] == iso_z(pki.leaf.cert.not_valid_after_utc)


def test_iso_z_and_utc() -> None:
    moment = dt.datetime(2025, 3, 1, 12, 30, 5, 999, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    assert iso_z(moment) == "2025-03-01T18:30:05Z"
    assert utc(dt.datetime(2025, 1, 1)).tzinfo == dt.UTC


def test_der_and_pem_round_trip() -> None:
    root = make_root()
    it = item(root.cert)
    assert it.der == root.der
    assert x509.load_pem_x509_certificate(it.pem).fingerprint(hashes.SHA256()).hex() == it.sha256
    assert it.public_key_der == root.cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_every_certifi_root_is_a_root() -> None:
    """Real roots, SHA-1-signed ones included (verify_directly_issued_by refuses SHA-1)."""
    import warnings

    import certifi

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a few real roots have non-positive serials
        with open(certifi.where(), "rb") as bundle:
            certs = x509.load_pem_x509_certificates(bundle.read())
    assert len(certs) > 100
    roles = {item(cert).role for cert in certs}
    assert roles == {"root"}
    assert any(item(cert).signature_hash == "sha1" for cert in certs)
