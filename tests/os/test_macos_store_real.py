"""MacKeychainStore against the real `security` tool of a macOS runner (skipped elsewhere).

Each test makes its own temporary keychain (`security create-keychain`), so the login and
System keychains are never touched, and deletes it afterwards. Setting a root's trust
needs a confirmation that a runner without a desktop session cannot give; that single
step is skipped with the tool's reason when macOS refuses it there, everything else
(certificates, personal certificates with keys, export, removal) is exercised for real.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12

from app.core.errors import CancelledError, TargetError
from app.core.model import CertificateItem
from app.stores.base import Identity
from app.stores.macos import MacKeychainStore
from tests.helpers import require_tool
from tests.pki import Issued, Pki, make_pki

pytestmark = [
    pytest.mark.macos,
    pytest.mark.skipif(sys.platform != "darwin", reason="needs a real macOS keychain"),
]


def item(issued: Issued, key: bool = False) -> CertificateItem:
    return CertificateItem(issued.cert, source="test", private_key=issued.key if key else None)


def identity(pki: Pki) -> Identity:
    return Identity(item(pki.leaf, key=True), (item(pki.intermediate), item(pki.root)))


@pytest.fixture
def keychain(tmp_path: Path) -> Iterator[str]:
    security = require_tool("security", "macOS")
    path = str(tmp_path / "gridcert-test.keychain-db")
    # A throwaway keychain password for a keychain that exists only for this test.
    password = "gridcert-test"
    subprocess.run([security, "create-keychain", "-p", password, path], check=True)
    try:
        subprocess.run([security, "unlock-keychain", "-p", password, path], check=True)
        subprocess.run([security, "set-keychain-settings", path], check=True)  # no auto-lock
        yield path
    finally:
        subprocess.run([security, "delete-keychain", path], check=False)


@pytest.fixture
def store(keychain: str) -> MacKeychainStore:
    return MacKeychainStore("login", keychain=keychain)


def test_intermediates_round_trip(store: MacKeychainStore) -> None:
    pki = make_pki("ERCOT Test")
    assert store.available().usable
    store.add_intermediate(item(pki.intermediate))
    store.add_intermediate(item(pki.intermediate))  # already there: not an error
    assert [s.item.sha256 for s in store.list()] == [pki.intermediate.sha256]
    store.remove(pki.intermediate.sha256)
    assert not store.contains(pki.intermediate.sha256)
    store.remove(pki.intermediate.sha256)  # absent: not an error


def test_identity_import_export_and_removal(store: MacKeychainStore) -> None:
    pki = make_pki("CAISO Test")
    store.import_identity(identity(pki))
    listed = {s.item.sha256: s for s in store.list()}
    assert listed[pki.leaf.sha256].key_in_store is True
    for profile in ("modern", "compatible"):
        data = store.export_identity(pki.leaf.sha256, "Export pass 1", profile)
        key, cert, _extra = pkcs12.load_key_and_certificates(data, b"Export pass 1")
        assert cert is not None and cert.fingerprint(hashes.SHA256()).hex() == pki.leaf.sha256
        assert key is not None and item(pki.leaf).matches_key(key)
    store.remove(pki.leaf.sha256)
    assert not store.contains(pki.leaf.sha256)
    assert all(not s.key_in_store for s in store.list())


def test_trusted_root(store: MacKeychainStore) -> None:
    pki = make_pki("ERCOT Test")
    try:
        store.add_anchor(item(pki.root))
    except (CancelledError, TargetError) as error:
        if "desktop session" in str(error) or "declined" in str(error):
            pytest.skip(f"this runner cannot confirm trust settings: {error}")
        raise
    assert store.contains(pki.root.sha256)
    store.remove(pki.root.sha256)
    assert not store.contains(pki.root.sha256)
