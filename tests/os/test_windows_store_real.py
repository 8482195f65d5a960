"""WindowsStore against the real crypt32 of a Windows runner (skipped elsewhere).

Everything happens in a custom-named CurrentUser store, "GridCertTest", mapped to every
role: Windows shows its root-confirmation dialog only for the real CurrentUser\\Root, which
would block a runner with nobody to click Yes. The store is emptied after each test and
the keys that PFXImportCertStore persisted are deleted with the certificates.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12

from app.core.errors import NotExportableError
from app.core.model import CertificateItem, Role
from app.core.p12 import write_pkcs12
from app.stores import _win32
from app.stores.base import Identity
from app.stores.windows import WindowsStore, sha1_of, sha256_of
from tests.pki import Issued, Pki, make_pki

pytestmark = [
    pytest.mark.windows,
    pytest.mark.skipif(sys.platform != "win32", reason="needs the real Windows certificate stores"),
]

STORE = "GridCertTest"
NAMES: dict[Role, str] = {"root": STORE, "intermediate": STORE, "end-entity": STORE}


def item(issued: Issued, key: bool = False) -> CertificateItem:
    return CertificateItem(issued.cert, source="test", private_key=issued.key if key else None)


def identity(pki: Pki) -> Identity:
    return Identity(item(pki.leaf, key=True), (item(pki.intermediate), item(pki.root)))


@pytest.fixture
def store() -> Iterator[WindowsStore]:
    windows = WindowsStore("user", store_names=NAMES)
    yield windows
    for entry in windows.list():
        windows.remove(entry.item.sha256)


def _key_of(sha256: str) -> _win32.KeyProvInfo | None:
    handle = _win32.open_store(_win32.CERT_SYSTEM_STORE_CURRENT_USER, STORE, read_only=True,
                               registry_only=True)
    try:
        for entry in _win32.enum_certificates(handle):
            if sha256_of(entry.der) == sha256:
                return entry.key
    finally:
        _win32.close_store(handle)
    return None


def test_ca_certificates_round_trip(store: WindowsStore) -> None:
    pki = make_pki("ERCOT Test")
    assert store.available().usable
    store.add_anchor(item(pki.root))
    store.add_intermediate(item(pki.intermediate))
    listed = {entry.item.sha256: entry for entry in store.list()}
    assert set(listed) == {pki.root.sha256, pki.intermediate.sha256}
    assert listed[pki.root.sha256].location == STORE
    store.add_anchor(item(pki.root))  # again: replaced, not duplicated
    assert len(store.list()) == 2
    store.remove(pki.root.sha256)
    assert not store.contains(pki.root.sha256)
    assert store.contains(pki.intermediate.sha256)


def test_identity_import_export_and_removal_with_its_key(store: WindowsStore) -> None:
    pki = make_pki("CAISO Test")
    store.import_identity(identity(pki))
    listed = {entry.item.sha256: entry for entry in store.list()}
    assert listed[pki.leaf.sha256].key_in_store is True
    key = _key_of(pki.leaf.sha256)
    assert key is not None and key.container

    for profile in ("modern", "compatible"):
        data = store.export_identity(pki.leaf.sha256, "Export pass 1", profile)
        loaded_key, cert, extra = pkcs12.load_key_and_certificates(data, b"Export pass 1")
        assert cert is not None and cert.fingerprint(hashes.SHA256()).hex() == pki.leaf.sha256
        assert loaded_key is not None and item(pki.leaf).matches_key(loaded_key)
        assert pki.root.sha256 in {c.fingerprint(hashes.SHA256()).hex() for c in extra}

    store.remove(pki.leaf.sha256)
    assert not store.contains(pki.leaf.sha256)
    # The key container went with its only certificate.
    machine = bool(key.flags & _win32.CRYPT_MACHINE_KEYSET)
    with pytest.raises(_win32.WinApiError):
        if key.provider_type == 0:
            _win32.delete_cng_key(key.provider, key.container, machine)
        else:
            _win32.delete_csp_key(key.provider, key.container, key.provider_type, machine)


def test_non_exportable_key_is_explained(store: WindowsStore) -> None:
    pki = make_pki("ERCOT Test", "Kiosk User")
    # Installed the way some tools do it: without CRYPT_EXPORTABLE.
    password = "one-time"
    pfx = write_pkcs12(item(pki.leaf, key=True), [], password, "compatible")
    temp = _win32.pfx_import(pfx, password, _win32.CRYPT_USER_KEYSET)
    try:
        destination = _win32.open_store(_win32.CERT_SYSTEM_STORE_CURRENT_USER, STORE)
        try:
            _win32.copy_certificate(temp, sha1_of(pki.leaf.der), destination)
        finally:
            _win32.close_store(destination)
    finally:
        _win32.close_store(temp)
    with pytest.raises(NotExportableError, match="ask your operator"):
        store.export_identity(pki.leaf.sha256, "pw", "compatible")


def test_structure_layouts_match_the_windows_headers() -> None:
    import ctypes

    wide = ctypes.sizeof(ctypes.c_void_p) == 8
    assert ctypes.sizeof(_win32.CERT_CONTEXT) == (40 if wide else 20)
    assert ctypes.sizeof(_win32.CRYPT_KEY_PROV_INFO) == (48 if wide else 28)
    assert ctypes.sizeof(_win32.SHELLEXECUTEINFOW) == (112 if wide else 60)
    assert ctypes.sizeof(_win32.PKCS12_PBES2_EXPORT_PARAMS) == (24 if wide else 12)
    assert ctypes.sizeof(_win32.CRYPT_DATA_BLOB) == (16 if wide else 8)


def test_is_admin_answers() -> None:
    assert isinstance(_win32.is_admin(), bool)
