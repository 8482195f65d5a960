"""Chain building and RFC 5280 basic validation: valid chains and each kind of broken one."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from app.core.chain import NOT_CHECKED, build_and_validate, find_chain
from app.core.model import CertificateItem, signature_matches
from tests.pki import (
    DAY,
    NOW,
    Issued,
    make_intermediate,
    make_leaf,
    make_pki,
    make_root,
    name,
    new_key,
    pooled_key,
)


def item(issued: Issued, source: str = "test.pem") -> CertificateItem:
    return CertificateItem(issued.cert, source)


def day(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d")


_SHA256_RSA = bytes.fromhex("2a864886f70d01010b")  # sha256WithRSAEncryption, DER body
_SHA1_RSA = bytes.fromhex("2a864886f70d010105")  # sha1WithRSAEncryption, same length


def sha1_signed(issued: Issued, issuer: Issued) -> Issued:
    """`issued` re-signed by `issuer` with SHA-1 (cryptography no longer signs with SHA-1).

    Both OIDs have the same length, so swapping them keeps every DER length; the RSA
    signature (last bytes of the certificate) keeps its size too.
    """
    der = issued.der.replace(_SHA256_RSA, _SHA1_RSA)
    tbs = x509.load_der_x509_certificate(der).tbs_certificate_bytes
    key = issuer.key
    assert isinstance(key, rsa.RSAPrivateKey)
    signature = key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    cert = x509.load_der_x509_certificate(der[: -len(signature)] + signature)
    return Issued(cert, issued.key, issuer)


# --- valid chains -------------------------------------------------------------------


def test_valid_chain_from_leaf_to_anchor() -> None:
    pki = make_pki()
    result = build_and_validate(item(pki.leaf), [item(pki.intermediate)], [item(pki.root)])
    assert result.valid
    assert result.reason is None
    assert [i.sha256 for i in result.path] == [
        pki.leaf.sha256, pki.intermediate.sha256, pki.root.sha256
    ]
    assert result.json() == {
        "valid": True,
        "path": [pki.leaf.sha256, pki.intermediate.sha256, pki.root.sha256],
        "reason": None,
    }
    assert result.not_checked == NOT_CHECKED
    assert set(result.not_checked) == {"certificate policies", "revocation", "name constraints"}


def test_anchor_given_in_the_pool_as_well_is_fine() -> None:
    pki = make_pki()
    pool = [item(pki.root), item(pki.intermediate)]
    assert build_and_validate(item(pki.leaf), pool, [item(pki.root)]).valid


def test_leaf_that_is_itself_an_anchor_is_valid_alone() -> None:
    root = make_root()
    result = build_and_validate(item(root), [], [item(root)])
    assert result.valid
    assert [i.sha256 for i in result.path] == [root.sha256]


def test_reissued_root_with_same_name_and_key_is_trusted() -> None:
    root = make_root(serial=1)
    reissued = make_root(serial=2, days=7300)
    assert root.sha256 != reissued.sha256
    intermediate = make_intermediate(root)
    leaf = make_leaf(intermediate)
    result = build_and_validate(
        item(leaf), [item(intermediate), item(root)], [item(reissued)]
    )
    assert result.valid


def test_ec_chain_signatures_are_checked() -> None:
    root = make_root("EC Root", key=pooled_key("ec-p256", 0))
    intermediate = make_intermediate(root, "EC Issuing", key=pooled_key("ec-p256", 1))
    leaf = make_leaf(intermediate, key=pooled_key("ec-p256", 2))
    assert build_and_validate(item(leaf), [item(intermediate)], [item(root)]).valid
    assert signature_matches(leaf.cert, intermediate.cert)
    assert not signature_matches(leaf.cert, root.cert)


def test_mixed_rsa_root_and_ec_intermediate() -> None:
    root = make_root()
    intermediate = make_intermediate(root, "EC Issuing", key=pooled_key("ec-p256", 1))
    leaf = make_leaf(intermediate)
    assert build_and_validate(item(leaf), [item(intermediate)], [item(root)]).valid


def test_sha1_signed_chain_is_valid_but_flagged_weak() -> None:
    root = make_root()
    intermediate = sha1_signed(make_intermediate(root), root)
    leaf = make_leaf(intermediate)
    inter_item = item(intermediate)
    assert inter_item.signature_hash == "sha1"
    assert inter_item.weak_signature
    result = build_and_validate(item(leaf), [inter_item], [item(root)])
    assert result.valid, result.reason
    assert any(i.weak_signature for i in result.path)


def test_issuer_name_differing_in_case_and_spaces_still_chains() -> None:
    root = make_root()
    intermediate = make_intermediate(root)
    folded = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "us"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "  GRIDCERT   test "),
        x509.NameAttribute(NameOID.COMMON_NAME, "gridcert test  ISSUING ca"),
    ])
    leaf = make_leaf(intermediate, issuer_name=folded)
    assert leaf.cert.issuer != intermediate.cert.subject  # byte-different names
    # cryptography's own check compares names strictly; RFC 5280 §7.1 does not.
    with pytest.raises(ValueError):
        leaf.cert.verify_directly_issued_by(intermediate.cert)
    result = build_and_validate(item(leaf), [item(intermediate)], [item(root)])
    assert result.valid, result.reason
    assert result.path[1].sha256 == intermediate.sha256


def test_multiple_candidates_with_same_subject_all_tried() -> None:
    root = make_root()
    # Same name and key: an expired copy and the renewed one; the expired one comes first.
    expired = make_intermediate(
        root, not_before=NOW - 800 * DAY, not_after=NOW - 10 * DAY
    )
    current = make_intermediate(root)
    # Same name, other key: an impostor that must not be chosen.
    impostor = make_intermediate(root, key=pooled_key("rsa2048", 3))
    leaf = make_leaf(current)
    pool = [item(impostor), item(expired), item(current)]
    result = build_and_validate(item(leaf), pool, [item(root)])
    assert result.valid, result.reason
    assert result.path[1].sha256 == current.sha256


def test_candidates_tried_depth_first_through_two_levels() -> None:
    root = make_root()
    other_root = make_root("Other Root", key=pooled_key("rsa2048", 4))
    # Two "Issuing" CAs with the same key: one under an untrusted root, one under the trusted.
    via_other = make_intermediate(other_root, "Shared Issuing CA")
    via_trusted = make_intermediate(root, "Shared Issuing CA")
    leaf = make_leaf(via_trusted)
    pool = [item(via_other), item(other_root), item(via_trusted)]
    result = build_and_validate(item(leaf), pool, [item(root)])
    assert result.valid, result.reason
    assert result.path[-1].sha256 == root.sha256


def test_path_length_zero_allows_a_leaf_directly_below() -> None:
    root = make_root(path_length=0)
    leaf = make_leaf(root)
    assert build_and_validate(item(leaf), [], [item(root)]).valid


def test_validity_checked_at_the_given_time() -> None:
    pki = make_pki()
    later = NOW + 400 * DAY
    result = build_and_validate(
        item(pki.leaf), [item(pki.intermediate)], [item(pki.root)], at=later
    )
    assert not result.valid
    assert result.reason == f"'Jane Smith' expired on {day(pki.leaf.cert.not_valid_after_utc)}"
    # a naive datetime is taken as UTC
    assert build_and_validate(
        item(pki.leaf), [item(pki.intermediate)], [item(pki.root)],
        at=NOW.replace(tzinfo=None),
    ).valid


# --- broken chains ------------------------------------------------------------------


def test_expired_intermediate() -> None:
    root = make_root()
    intermediate = make_intermediate(
        root,
        "Old Issuing CA",
        not_before=NOW - 800 * DAY,
        not_after=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
    )
    leaf = make_leaf(intermediate, not_before=NOW - 30 * DAY)
    result = build_and_validate(item(leaf), [item(intermediate)], [item(root)])
    assert not result.valid
    assert result.reason == "the intermediate 'Old Issuing CA' expired on 2025-03-01"
    assert [i.sha256 for i in result.path] == [leaf.sha256, intermediate.sha256, root.sha256]
    assert result.json()["valid"] is False


def test_expired_root() -> None:
    root = make_root(not_before=NOW - 800 * DAY, not_after=NOW - 2 * DAY)
    leaf = make_leaf(root, not_before=NOW - 10 * DAY)
    result = build_and_validate(item(leaf), [], [item(root)])
    assert result.reason == (
        f"the root 'GridCert Test Root CA' expired on {day(root.cert.not_valid_after_utc)}"
    )


def test_not_yet_valid_leaf() -> None:
    pki = make_pki()
    start = NOW + 5 * DAY
    leaf = make_leaf(pki.intermediate, not_before=start)
    result = build_and_validate(item(leaf), [item(pki.intermediate)], [item(pki.root)])
    assert not result.valid
    assert result.reason == f"'Jane Smith' is not valid until {day(start)}"


def test_wrong_issuer_same_name_other_key() -> None:
    root = make_root()
    real = make_intermediate(root)
    impostor = make_intermediate(root, key=pooled_key("rsa2048", 3))
    leaf = make_leaf(real)
    result = build_and_validate(item(leaf), [item(impostor)], [item(root)])
    assert not result.valid
    assert result.reason == (
        "the signature on 'Jane Smith' does not match 'GridCert Test Issuing CA'"
    )
    assert result.path[1].sha256 == impostor.sha256


def test_missing_issuer_names_it() -> None:
    pki = make_pki()
    result = build_and_validate(item(pki.leaf), [], [item(pki.root)])
    assert not result.valid
    assert result.reason == (
        "'Jane Smith' was not issued by any certificate given "
        "(its issuer is 'CN=GridCert Test Issuing CA,O=GridCert Test,C=US')"
    )
    assert [i.sha256 for i in result.path] == [pki.leaf.sha256]


def test_root_not_among_trusted_roots() -> None:
    pki = make_pki()
    other = make_root("Someone Else's Root", key=pooled_key("rsa2048", 4))
    result = build_and_validate(
        item(pki.leaf), [item(pki.intermediate), item(pki.root)], [item(other)]
    )
    assert not result.valid
    assert result.reason == "the root 'GridCert Test Root CA' is not among the trusted roots"
    assert result.path[-1].sha256 == pki.root.sha256


def test_self_signed_leaf_not_trusted() -> None:
    lone = make_root("Lonely", ca=False)
    result = build_and_validate(item(lone), [], [])
    assert result.reason == "'Lonely' is self-signed and is not a trusted root"


def test_path_length_violated() -> None:
    root = make_root(path_length=0)
    intermediate = make_intermediate(root)
    leaf = make_leaf(intermediate)
    result = build_and_validate(item(leaf), [item(intermediate)], [item(root)])
    assert not result.valid
    assert result.reason == "'GridCert Test Root CA' allows at most 0 CAs below it"


def test_path_length_one_with_two_cas_below() -> None:
    root = make_root(path_length=1)
    first = make_intermediate(root, "Policy CA")
    second = make_intermediate(first, "Issuing CA", key=pooled_key("rsa2048", 3))
    leaf = make_leaf(second)
    result = build_and_validate(item(leaf), [item(first), item(second)], [item(root)])
    assert result.reason == "'GridCert Test Root CA' allows at most 1 CA below it"


def test_intermediate_that_is_not_a_ca() -> None:
    root = make_root()
    intermediate = make_intermediate(root, "Not A CA", ca=False)
    leaf = make_leaf(intermediate)
    result = build_and_validate(item(leaf), [item(intermediate)], [item(root)])
    assert not result.valid
    assert result.reason == "'Not A CA' is not allowed to issue certificates (it is not a CA)"


def test_leaf_without_basic_constraints_cannot_issue() -> None:
    pki = make_pki()
    signer = make_leaf(pki.intermediate, "Jane Smith", ca_constraint=False)
    below = make_leaf(signer, "Someone", key=pooled_key("rsa2048", 3))
    result = build_and_validate(
        item(below), [item(signer), item(pki.intermediate)], [item(pki.root)]
    )
    assert result.reason == "'Jane Smith' is not allowed to issue certificates (it is not a CA)"


def test_ca_without_key_cert_sign() -> None:
    root = make_root()
    intermediate = make_intermediate(root, "No Signing CA", key_cert_sign=False)
    leaf = make_leaf(intermediate)
    result = build_and_validate(item(leaf), [item(intermediate)], [item(root)])
    assert not result.valid
    assert result.reason == (
        "'No Signing CA' is not allowed to sign certificates "
        "(its key usage lacks 'certificate signing')"
    )


def test_loop_between_cross_signed_cas_is_reported_not_followed_forever() -> None:
    key_a = pooled_key("rsa2048", 3)
    key_b = pooled_key("rsa2048", 4)
    a_self = make_root("CA A", key=key_a)
    b_self = make_root("CA B", key=key_b)
    b_by_a = make_intermediate(a_self, "CA B", key=key_b)
    a_by_b = make_intermediate(b_self, "CA A", key=key_a)
    leaf = make_leaf(a_self)
    trusted = make_root("Unrelated Root", key=pooled_key("rsa2048", 5))
    result = build_and_validate(item(leaf), [item(a_by_b), item(b_by_a)], [item(trusted)])
    assert not result.valid
    assert result.reason == (
        "the issuers of the intermediate 'CA B' lead back into the chain "
        "and never to a trusted root"
    )


def test_unknown_critical_extension_makes_a_certificate_unusable() -> None:
    pki = make_pki()
    base = pki.leaf.cert
    builder = (
        x509.CertificateBuilder()
        .subject_name(base.subject)
        .issuer_name(base.issuer)
        .public_key(base.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(base.not_valid_before_utc)
        .not_valid_after(base.not_valid_after_utc)
        .add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"), b"\x05\x00"),
            critical=True,
        )
    )
    key = pki.intermediate.key
    assert isinstance(key, rsa.RSAPrivateKey)
    odd = builder.sign(key, hashes.SHA256())
    result = build_and_validate(
        CertificateItem(odd, "odd.pem"), [item(pki.intermediate)], [item(pki.root)]
    )
    assert result.reason == (
        "'Jane Smith' has a critical extension GridCert does not understand "
        "(1.3.6.1.4.1.99999.1)"
    )


def test_best_invalid_path_prefers_the_one_reaching_a_trusted_root() -> None:
    root = make_root()
    intermediate = make_intermediate(root, not_before=NOW - 800 * DAY, not_after=NOW - DAY)
    leaf = make_leaf(intermediate, not_before=NOW - 30 * DAY)
    result = build_and_validate(item(leaf), [item(intermediate)], [item(root)])
    assert result.path[-1].sha256 == root.sha256
    assert result.reason is not None and "expired" in result.reason


def test_large_pool_of_same_named_candidates_stays_bounded() -> None:
    root = make_root()
    key = new_key("ec-p256")
    clones = [make_intermediate(root, key=key, days=10 + n) for n in range(40)]
    real = make_intermediate(root)
    leaf = make_leaf(real)
    result = build_and_validate(item(leaf), [item(c) for c in clones], [item(root)])
    assert not result.valid
    assert result.reason == (
        "the signature on 'Jane Smith' does not match 'GridCert Test Issuing CA'"
    )


# --- find_chain -----------------------------------------------------------------------


def test_find_chain_orders_the_pool_from_the_leaf() -> None:
    pki = make_pki()
    stranger = make_root("Stranger", key=pooled_key("rsa2048", 5))
    pool = [item(stranger), item(pki.root), item(pki.intermediate)]
    chain = find_chain(item(pki.leaf), pool)
    assert [i.sha256 for i in chain] == [
        pki.leaf.sha256, pki.intermediate.sha256, pki.root.sha256
    ]


def test_find_chain_stops_where_the_pool_ends_and_skips_impostors() -> None:
    pki = make_pki()
    impostor = make_root("GridCert Test Root CA", key=pooled_key("rsa2048", 5))
    chain = find_chain(item(pki.leaf), [item(pki.intermediate), item(impostor)])
    assert [i.sha256 for i in chain] == [pki.leaf.sha256, pki.intermediate.sha256]
    assert [i.sha256 for i in find_chain(item(pki.leaf), [])] == [pki.leaf.sha256]


def test_find_chain_keeps_expired_issuers() -> None:
    root = make_root()
    intermediate = make_intermediate(root, not_before=NOW - 800 * DAY, not_after=NOW - DAY)
    leaf = make_leaf(intermediate, not_before=NOW - 30 * DAY)
    chain = find_chain(item(leaf), [item(root), item(intermediate)])
    assert [i.sha256 for i in chain] == [leaf.sha256, intermediate.sha256, root.sha256]


def test_names_from_the_factory_are_as_expected() -> None:
    # Guards the literal issuer string used in test_missing_issuer_names_it.
    assert name("X").rfc4514_string() == "CN=X,O=GridCert Test,C=US"
    assert isinstance(pooled_key("ec-p256", 0), ec.EllipticCurvePrivateKey)


def test_rsa_pss_and_ed25519_signatures_verify() -> None:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    root = make_root()
    key = root.key
    assert isinstance(key, rsa.RSAPrivateKey)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    leaf_key = pooled_key("ec-p256", 2)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name("PSS Leaf"))
        .issuer_name(root.cert.subject)
        .public_key(leaf_key.public_key())  # type: ignore[arg-type]
        .serial_number(11)
        .not_valid_before(NOW - DAY)
        .not_valid_after(NOW + DAY)
    )
    pss_leaf = builder.sign(key, hashes.SHA256(), rsa_padding=pss)
    assert isinstance(pss_leaf.signature_algorithm_parameters, padding.PSS)
    assert signature_matches(pss_leaf, root.cert)
    assert build_and_validate(CertificateItem(pss_leaf, "p.pem"), [], [item(root)]).valid

    ed_key = ed25519.Ed25519PrivateKey.generate()
    ed_name = name("Ed Root")
    ed_root = (
        x509.CertificateBuilder()
        .subject_name(ed_name)
        .issuer_name(ed_name)
        .public_key(ed_key.public_key())
        .serial_number(12)
        .not_valid_before(NOW - DAY)
        .not_valid_after(NOW + DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(ed_key, None)
    )
    ed_leaf = (
        x509.CertificateBuilder()
        .subject_name(name("Ed Leaf"))
        .issuer_name(ed_name)
        .public_key(leaf_key.public_key())  # type: ignore[arg-type]
        .serial_number(13)
        .not_valid_before(NOW - DAY)
        .not_valid_after(NOW + DAY)
        .sign(ed_key, None)
    )
    assert signature_matches(ed_leaf, ed_root)
    assert not signature_matches(ed_leaf, root.cert)
    ed_root_item = CertificateItem(ed_root, "ed.pem")
    assert ed_root_item.role == "root"
    assert build_and_validate(CertificateItem(ed_leaf, "l.pem"), [], [ed_root_item]).valid
