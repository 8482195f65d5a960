"""The reader on files written by the real tools (OpenSSL, keytool, pk12util) and on
Mozilla's root bundle; fingerprints compared with `openssl x509 -fingerprint -sha256`."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.reader import read_paths
from tests import realtools
from tests.pki import Pki, make_pki

PASSWORD = "Grid€ert $ecret ünïcødé"


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("Real Tools Operator", "Jane Smith")


def lookup(password: str):  # type: ignore[no-untyped-def]
    return lambda source: password


@pytest.mark.parametrize(
    ("variant", "algorithms"),
    [
        ("default", ["PBES2, PBKDF2, AES-256-CBC"]),
        ("legacy", ["pbeWithSHA1And40BitRC2-CBC", "pbeWithSHA1And3-KeyTripleDES-CBC"]),
        ("3des", ["pbeWithSHA1And3-KeyTripleDES-CBC"]),
    ],
)
def test_openssl_pkcs12_variants(
    pki: Pki, tmp_path: Path, variant: realtools.Pkcs12Variant, algorithms: list[str]
) -> None:
    path = realtools.openssl_pkcs12(
        tmp_path / "0123456789012$JSMITH.pfx",
        pki.leaf,
        PASSWORD,
        chain=[pki.intermediate, pki.root],
        variant=variant,
    )
    info = realtools.openssl_pkcs12_info(path, PASSWORD)
    for algorithm in algorithms:  # the file really is what the variant says
        assert algorithm in info, info

    result = read_paths([path], lookup(PASSWORD))
    assert result.problems == []
    assert result.pkcs12_sources == [str(path)]
    assert [item.role for item in result.items] == ["end-entity", "intermediate", "root"]
    assert [item.has_private_key for item in result.items] == [True, False, False]
    assert result.items[0].friendly_name == "Jane Smith"
    expected = [
        realtools.openssl_fingerprint(c.pem) for c in (pki.leaf, pki.intermediate, pki.root)
    ]
    assert [item.sha256 for item in result.items] == expected

    wrong = read_paths([path], lookup("not it"))
    assert [p.message for p in wrong.problems] == [
        "‘0123456789012$JSMITH.pfx’ could not be opened: wrong password, or the file is damaged."
    ]
    missing = read_paths([path])
    assert [p.message for p in missing.problems] == [
        "‘0123456789012$JSMITH.pfx’ is protected by a password; it is needed to open it."
    ]


@pytest.mark.parametrize("password", [None, ""], ids=["unencrypted", "empty-password"])
def test_openssl_pkcs12_without_a_password(pki: Pki, tmp_path: Path, password: str | None) -> None:
    path = realtools.openssl_pkcs12(tmp_path / "open.p12", pki.leaf, password, chain=[pki.root])

    def never(source: str) -> str:
        raise AssertionError("the reader must try no password and the empty one itself")

    result = read_paths([path], never)
    assert result.problems == []
    assert result.items[0].has_private_key
    assert result.items[0].sha256 == realtools.openssl_fingerprint(pki.leaf.pem)


def test_keytool_pkcs12(tmp_path: Path) -> None:
    # (Java's PKCS#12 key protection accepts ASCII passwords only.)
    path = realtools.keytool_identity(tmp_path / "java.p12", "change it $now", alias="jane")
    result = read_paths([path], lookup("change it $now"))
    assert result.problems == []
    [item] = result.items
    assert item.has_private_key and item.friendly_name == "jane"
    assert item.role == "end-entity"
    assert item.display_name == "Jane Java"


def test_keytool_truststore_has_no_keys(pki: Pki, tmp_path: Path) -> None:
    path = realtools.keytool_truststore(
        tmp_path / "trust.p12", "changeit", [pki.root, pki.intermediate]
    )
    result = read_paths([path], lookup("changeit"))
    assert result.problems == []
    assert [item.role for item in result.items] == ["root", "intermediate"]
    assert not any(item.has_private_key for item in result.items)
    assert [item.sha256 for item in result.items] == [pki.root.sha256, pki.intermediate.sha256]


def test_pk12util_pkcs12(pki: Pki, tmp_path: Path) -> None:
    path = realtools.pk12util_pkcs12(
        tmp_path / "nss.p12", pki.leaf, PASSWORD, chain=[pki.intermediate, pki.root]
    )
    assert "Iteration 600000" in realtools.openssl_pkcs12_info(path, PASSWORD)
    assert path.read_bytes()[:2] == b"\x30\x80"  # BER, indefinite length
    result = read_paths([path], lookup(PASSWORD))
    assert result.problems == []
    assert result.items[0].has_private_key
    assert result.items[0].sha256 == realtools.openssl_fingerprint(pki.leaf.pem)
    assert {item.sha256 for item in result.items} == {
        pki.leaf.sha256,
        pki.intermediate.sha256,
        pki.root.sha256,
    }


@pytest.mark.parametrize("der", [False, True], ids=["pem", "der"])
def test_openssl_p7b(pki: Pki, tmp_path: Path, der: bool) -> None:
    path = realtools.openssl_p7b(tmp_path / "chain.p7b", [pki.intermediate, pki.root], der=der)
    result = read_paths([path])
    assert result.problems == []
    assert {item.sha256 for item in result.items} == {
        realtools.openssl_fingerprint(pki.intermediate.pem),
        realtools.openssl_fingerprint(pki.root.pem),
    }


def test_openssl_der_and_trusted_certificate(pki: Pki, tmp_path: Path) -> None:
    der = realtools.openssl_der(tmp_path / "leaf.crt", pki.leaf)
    trusted = realtools.openssl_trusted_certificate(tmp_path / "trusted.pem", pki.root)
    assert b"BEGIN TRUSTED CERTIFICATE" in trusted.read_bytes()
    result = read_paths([der, trusted])
    assert result.problems == []
    assert [item.sha256 for item in result.items] == [
        realtools.openssl_fingerprint(der, der=True),
        realtools.openssl_fingerprint(pki.root.pem),
    ]
    assert [item.role for item in result.items] == ["end-entity", "root"]


@pytest.mark.parametrize("traditional", [False, True], ids=["pkcs8", "traditional"])
def test_openssl_encrypted_keys(pki: Pki, tmp_path: Path, traditional: bool) -> None:
    key = realtools.openssl_encrypted_key(
        tmp_path / "key.pem", pki.leaf, PASSWORD, traditional=traditional
    )
    cert = pki.leaf.write(tmp_path / "cert.pem")
    result = read_paths([cert, key], lookup(PASSWORD))
    assert result.problems == []
    assert result.items[0].has_private_key

    without = read_paths([cert, key])
    assert [p.message for p in without.problems] == [
        "‘key.pem’ holds an encrypted private key; its password is needed to open it."
    ]
    wrong = read_paths([cert, key], lookup("nope"))
    assert [p.message for p in wrong.problems] == [
        "‘key.pem’: the private key could not be decrypted: wrong password, or the key is damaged."
    ]


def test_mozilla_bundle_reads_whole_and_all_are_roots() -> None:
    bundle = realtools.mozilla_bundle()
    result = read_paths([bundle])
    assert result.problems == []
    assert len(result.items) > 100
    assert [item.sha256 for item in result.items] == realtools.openssl_fingerprints(bundle)
    not_roots = [item.subject for item in result.items if item.role != "root"]
    assert not_roots == []


def test_keytool_store_with_two_identities_says_one_key_is_read(tmp_path: Path) -> None:
    path = realtools.keytool_identity(
        tmp_path / "two.p12", "secret-1", alias="first", dname="CN=First Person"
    )
    realtools.keytool_identity(path, "secret-1", alias="second", dname="CN=Second Person")
    result = read_paths([path], lookup("secret-1"))
    assert [p.message for p in result.problems] == [
        "‘two.p12’ holds 2 private keys; GridCert reads one per file (the one of ‘First "
        "Person’). Export each certificate with its key to a file of its own."
    ]
    assert [(item.display_name, item.has_private_key) for item in result.items] == [
        ("First Person", True),
        ("Second Person", False),
    ]
