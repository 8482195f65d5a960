"""PKCS#12 and encrypted-PEM writing: algorithms and iterations as OpenSSL reports them,
whole chain, friendly name, and the refusals (no key, no password, wrong key)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12

from app.core import p12
from app.core.errors import BadInputError, PasswordRequiredError, WrongPasswordError
from app.core.model import CertificateItem
from tests.helpers import require_tool
from tests.pki import Pki, make_pki, pooled_key


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("ERCOT", "Jane Smith")


def _items(
    pki: Pki, name: str | None = "0787579852300$JSMITH"
) -> tuple[CertificateItem, list[CertificateItem]]:
    leaf = CertificateItem(pki.leaf.cert, "old.pfx", pki.leaf.key, name)
    chain = [
        CertificateItem(pki.intermediate.cert, "old.pfx"),
        CertificateItem(pki.root.cert, "old.pfx"),
    ]
    return leaf, chain


def _openssl_info(path: Path, password: str, legacy: bool) -> str:
    openssl = require_tool("openssl", "openssl")
    args = [openssl, "pkcs12", "-info", "-noout", "-in", str(path), "-passin", "stdin"]
    if legacy:
        args.insert(2, "-legacy")
    done = subprocess.run(args, input=password + "\n", capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stderr + done.stdout


@pytest.mark.parametrize("password", ["correct horse", "pässwörd-€-ñ"])
def test_modern_profile_as_openssl_sees_it(pki: Pki, tmp_path: Path, password: str) -> None:
    leaf, chain = _items(pki)
    path = tmp_path / "modern.pfx"
    path.write_bytes(p12.write_pkcs12(leaf, chain, password, "modern"))
    info = _openssl_info(path, password, legacy=False)
    assert "MAC: sha256, Iteration 100000" in info
    assert info.count("PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256") == 2
    assert info.count("Certificate bag") == 3
    assert "3DES" not in info and "RC2" not in info and "TripleDES" not in info


def test_compatible_profile_as_openssl_legacy_sees_it(pki: Pki, tmp_path: Path) -> None:
    leaf, chain = _items(pki)
    path = tmp_path / "compatible.pfx"
    path.write_bytes(p12.write_pkcs12(leaf, chain, "pw for 2016", "compatible"))
    info = _openssl_info(path, "pw for 2016", legacy=True)
    assert "MAC: sha1, Iteration 2048" in info
    assert info.count("pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048") == 2
    assert info.count("Certificate bag") == 3
    assert "AES" not in info


@pytest.mark.parametrize("profile", p12.PROFILES)
def test_chain_and_friendly_name_kept(pki: Pki, profile: p12.Profile) -> None:
    leaf, chain = _items(pki)
    data = p12.write_pkcs12(leaf, [*chain, leaf], "secret", profile)
    loaded = pkcs12.load_pkcs12(data, b"secret")
    assert loaded.cert is not None and loaded.cert.friendly_name == b"0787579852300$JSMITH"
    assert [c.certificate for c in loaded.additional_certs] == [
        pki.intermediate.cert,
        pki.root.cert,
    ]
    items = p12.read_pkcs12(data, "secret", "back.pfx")
    assert [i.sha256 for i in items] == [leaf.sha256, chain[0].sha256, chain[1].sha256]
    assert items[0].has_private_key and items[0].friendly_name == "0787579852300$JSMITH"


def test_friendly_name_defaults_and_override(pki: Pki) -> None:
    leaf, chain = _items(pki, name=None)
    loaded = pkcs12.load_pkcs12(p12.write_pkcs12(leaf, chain, "x", "modern"), b"x")
    assert loaded.cert is not None and loaded.cert.friendly_name == b"Jane Smith"
    loaded = pkcs12.load_pkcs12(p12.write_pkcs12(leaf, chain, "x", "modern", "Mine"), b"x")
    assert loaded.cert is not None and loaded.cert.friendly_name == b"Mine"


def test_refusals(pki: Pki) -> None:
    leaf, chain = _items(pki)
    without_key = leaf.with_key(None)
    with pytest.raises(BadInputError, match="has no private key here"):
        p12.write_pkcs12(without_key, chain, "pw")
    with pytest.raises(BadInputError, match="has no private key here"):
        p12.write_encrypted_pem(without_key, chain, "pw")
    with pytest.raises(PasswordRequiredError, match="needs a password"):
        p12.write_pkcs12(leaf, chain, "")
    with pytest.raises(PasswordRequiredError, match="needs a password"):
        p12.write_encrypted_pem(leaf, chain, "")
    wrong = leaf.with_key(pooled_key("rsa2048", 7))
    with pytest.raises(BadInputError, match="belongs to another certificate"):
        p12.write_pkcs12(wrong, chain, "pw")


def test_read_back_wrong_password(pki: Pki) -> None:
    leaf, chain = _items(pki)
    data = p12.write_pkcs12(leaf, chain, "right", "modern")
    with pytest.raises(WrongPasswordError, match=r"back\.pfx does not open"):
        p12.read_pkcs12(data, "wrong", "back.pfx")
    with pytest.raises(WrongPasswordError):
        p12.read_pkcs12(data[:-40], "right", "back.pfx")


def test_encrypted_pem_export(pki: Pki, tmp_path: Path) -> None:
    openssl = require_tool("openssl", "openssl")
    leaf, chain = _items(pki)
    text = p12.write_encrypted_pem(leaf, chain, "pem pass")
    assert text.count(b"-----BEGIN CERTIFICATE-----") == 3
    assert b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in text
    assert b"-----BEGIN PRIVATE KEY-----" not in text and b"RSA PRIVATE KEY" not in text
    path = tmp_path / "export.pem"
    path.write_bytes(text)
    parsed = subprocess.run(
        [openssl, "asn1parse", "-in", str(path)], capture_output=True, text=True, check=False
    )
    assert parsed.returncode == 0
    # OpenSSL opens the key only with the passphrase, and reports the modern scheme.
    ok = subprocess.run(
        [openssl, "pkey", "-in", str(path), "-passin", "stdin", "-noout"],
        input="pem pass\n",
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [openssl, "pkey", "-in", str(path), "-passin", "stdin", "-noout"],
        input="nope\n",
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0
    key_block = text[text.index(b"-----BEGIN ENCRYPTED") :]
    (tmp_path / "key.pem").write_bytes(key_block)
    scheme = subprocess.run(
        [openssl, "asn1parse", "-in", str(tmp_path / "key.pem")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "PBES2" in scheme and "aes-256-cbc" in scheme and "hmacWithSHA256" in scheme
    # 600 000 PBKDF2 rounds (0x0927C0), not the 2048 a library default would give.
    assert f"INTEGER           :{p12.KEY_ITERATIONS:06X}" in scheme


def test_private_key_round_trip(pki: Pki) -> None:
    data = p12.encrypt_private_key(pki.leaf.key, "k-pass")
    assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    key = p12.decrypt_private_key(data, "k-pass", "pending.key")
    assert CertificateItem(pki.leaf.cert, "x").matches_key(key)
    with pytest.raises(WrongPasswordError, match=r"pending\.key"):
        p12.decrypt_private_key(data, "other", "pending.key")
    with pytest.raises(PasswordRequiredError, match=r"pending\.key"):
        p12.decrypt_private_key(data, None, "pending.key")
