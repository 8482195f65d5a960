"""WindowsStore's decisions, run on Linux against an in-memory fake of the `_win32` layer.

The fake stands in for crypt32 (stores of DER certificates, key containers made by
PFXImportCertStore, PFXExportCertStoreEx); the assertions are on GridCert's own logic:
which store per role, SHA-256 matching, the key-deletion rule, the error sentences, and
that nothing is left behind when an import is declined. The real calls are exercised by
tests/os/test_windows_store_real.py on a Windows runner.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from app.core.errors import (
    EXIT_CANCELLED,
    BadInputError,
    CancelledError,
    NotExportableError,
    TargetError,
    WrongPasswordError,
)
from app.core.model import CertificateItem, Role
from app.stores import _win32
from app.stores._win32 import CertEntry, KeyProvInfo, WinApiError
from app.stores.base import Identity
from app.stores.windows import WindowsStore, key_identity, relaunch_elevated
from tests.helpers import require_tool
from tests.pki import Issued, Pki, make_leaf, make_pki, make_root, pooled_key

CSP = "Microsoft Enhanced Cryptographic Provider v1.0"


def item(issued: Issued, key: bool = False) -> CertificateItem:
    return CertificateItem(issued.cert, source="test", private_key=issued.key if key else None)


@dataclass
class FakeKey:
    private_key: PrivateKeyTypes
    exportable: bool


@dataclass
class FakeWin32:
    """crypt32 as a few dictionaries. Handles are ints; failures are injected per call."""

    admin: bool = False
    stores: dict[tuple[int, str], dict[bytes, CertEntry]] = field(default_factory=dict)
    keys: dict[tuple[str, str, int, bool], FakeKey] = field(default_factory=dict)
    handles: dict[int, tuple[int, str]] = field(default_factory=dict)
    temp: dict[int, dict[bytes, CertEntry]] = field(default_factory=dict)
    calls: list[tuple[str, str | None]] = field(default_factory=list)
    # (function name, store name or None) -> error raised when that call is made
    fail: dict[tuple[str, str | None], WinApiError] = field(default_factory=dict)
    import_flags: list[int] = field(default_factory=list)
    export_algs: list[str | None] = field(default_factory=list)
    elevated: list[list[str]] = field(default_factory=list)
    opens: list[tuple[str, bool]] = field(default_factory=list)  # (store, registry_only)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    # -- helpers for tests -----------------------------------------------------------------
    def put(self, location: int, name: str, der: bytes, key: KeyProvInfo | None = None) -> None:
        sha1 = hashlib.sha1(der).digest()
        self.stores.setdefault((location, name), {})[sha1] = CertEntry(der, sha1, key, None)

    def ders(self, location: int, name: str) -> set[bytes]:
        return {e.der for e in self.stores.get((location, name), {}).values()}

    def _check(self, function: str, name: str | None = None) -> None:
        self.calls.append((function, name))
        for key in ((function, name), (function, None)):
            if key in self.fail:
                raise self.fail[key]

    def _store(self, handle: int) -> dict[bytes, CertEntry]:
        if handle in self.temp:
            return self.temp[handle]
        return self.stores.setdefault(self.handles[handle], {})

    def _name(self, handle: int) -> str | None:
        return self.handles[handle][1] if handle in self.handles else None

    # -- the _win32 surface ------------------------------------------------------------------
    def available(self) -> bool:
        return True

    def open_store(self, location: int, name: str, *, read_only: bool = False,
                   registry_only: bool = False) -> int:
        self._check("open_store", name)
        self.opens.append((name, registry_only))
        if read_only and (location, name) not in self.stores:
            raise WinApiError("CertOpenStore", _win32.ERROR_FILE_NOT_FOUND, "not found")
        handle = next(self._ids)
        self.handles[handle] = (location, name)
        return handle

    def close_store(self, store: int) -> None:
        self.calls.append(("close_store", self._name(store)))
        self.handles.pop(store, None)
        self.temp.pop(store, None)

    def enum_certificates(self, store: int) -> list[CertEntry]:
        self._check("enum_certificates", self._name(store))
        return list(self._store(store).values())

    def add_encoded_certificate(self, store: int, der: bytes) -> None:
        self._check("add_encoded_certificate", self._name(store))
        sha1 = hashlib.sha1(der).digest()
        self._store(store)[sha1] = CertEntry(der, sha1, None, None)

    def pfx_import(self, pfx: bytes, password: str, flags: int) -> int:
        self._check("pfx_import")
        self.import_flags.append(flags)
        loaded = pkcs12.load_pkcs12(pfx, password.encode())
        key, cert = loaded.key, loaded.cert
        assert key is not None and cert is not None
        # Windows keeps the PKCS#12 friendlyName as CERT_FRIENDLY_NAME_PROP_ID.
        friendly = cert.friendly_name.decode() if cert.friendly_name else None
        extra = [c.certificate for c in loaded.additional_certs]
        machine = bool(flags & _win32.CRYPT_MACHINE_KEYSET)
        info = KeyProvInfo(f"container-{next(self._ids)}", CSP, 1,
                           _win32.CRYPT_MACHINE_KEYSET if machine else 0, 1)
        self.keys[key_identity(info)] = FakeKey(key, bool(flags & _win32.CRYPT_EXPORTABLE))
        handle = next(self._ids)
        contents: dict[bytes, CertEntry] = {}
        members = [(cert.certificate, info, friendly)] + [(c, None, None) for c in extra]
        for certificate, key_info, name in members:
            der = certificate.public_bytes(serialization.Encoding.DER)
            sha1 = hashlib.sha1(der).digest()
            contents[sha1] = CertEntry(der, sha1, key_info, name)
        self.temp[handle] = contents
        return handle

    def copy_certificate(self, source: int, sha1: bytes, destination: int) -> None:
        self._check("copy_certificate", self._name(destination))
        self._store(destination)[sha1] = self._store(source)[sha1]

    def delete_certificate(self, store: int, sha1: bytes) -> bool:
        self._check("delete_certificate", self._name(store))
        return self._store(store).pop(sha1, None) is not None

    def delete_cng_key(self, provider: str, container: str, machine: bool) -> None:
        self._check("delete_cng_key")
        self._delete_key((provider.lower(), container, 0, machine))

    def delete_csp_key(self, provider: str, container: str, provider_type: int,
                       machine: bool) -> None:
        self._check("delete_csp_key")
        self._delete_key((provider.lower(), container, provider_type, machine))

    def _delete_key(self, ident: tuple[str, str, int, bool]) -> None:
        if ident not in self.keys:
            raise WinApiError("NCryptOpenKey", _win32.NTE_BAD_KEYSET, "Keyset does not exist")
        del self.keys[ident]

    def pfx_export(self, store: int, sha1: bytes, chain_der: Sequence[bytes], password: str,
                   pbes2_alg: str | None) -> bytes:
        self._check("pfx_export", self._name(store))
        self.export_algs.append(pbes2_alg)
        entry = self._store(store)[sha1]
        assert entry.key is not None
        key = self.keys.get(key_identity(entry.key))
        if key is None:
            raise WinApiError("PFXExportCertStoreEx", _win32.NTE_NO_KEY, "Key does not exist.")
        if not key.exportable:
            raise WinApiError("PFXExportCertStoreEx", _win32.NTE_BAD_KEY_STATE,
                              "Key not valid for use in specified state.")
        encryption = (serialization.BestAvailableEncryption(password.encode()) if pbes2_alg
                      else serialization.PrivateFormat.PKCS12.encryption_builder()
                      .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
                      .hmac_hash(hashes.SHA1()).build(password.encode()))
        return pkcs12.serialize_key_and_certificates(
            (entry.friendly_name or "").encode() or None,
            key.private_key,  # type: ignore[arg-type]
            x509.load_der_x509_certificate(entry.der),
            [x509.load_der_x509_certificate(d) for d in chain_der] or None, encryption)

    def is_admin(self) -> bool:
        return self.admin

    def run_elevated(self, argv: Sequence[str]) -> int:
        self._check("run_elevated")
        self.elevated.append(list(argv))
        return 0


USER = _win32.CERT_SYSTEM_STORE_CURRENT_USER
MACHINE = _win32.CERT_SYSTEM_STORE_LOCAL_MACHINE


@pytest.fixture
def fake() -> FakeWin32:
    return FakeWin32()


@pytest.fixture
def pki() -> Pki:
    return make_pki("ERCOT Test")


def identity(pki: Pki) -> Identity:
    return Identity(item(pki.leaf, key=True), (item(pki.intermediate), item(pki.root)))


# --- importing on Linux -------------------------------------------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="checks the behaviour off Windows")
def test_modules_import_on_linux_and_say_windows_only() -> None:
    import app.stores._macos_security
    import app.stores._win32
    import app.stores.macos
    import app.stores.windows  # noqa: F401

    store = WindowsStore("user")
    availability = store.available()
    assert not availability.usable
    assert "only on Windows" in (availability.reason or "")
    with pytest.raises(TargetError, match="only be changed on Windows"):
        store.list()
    with pytest.raises(_win32.WindowsOnlyError):
        _win32.is_admin()


def test_ids_and_labels() -> None:
    assert WindowsStore("user").id == "windows-user"
    assert WindowsStore("machine").id == "windows-machine"
    assert WindowsStore("machine").label != WindowsStore("user").label
    with pytest.raises(ValueError):
        WindowsStore("everyone")  # type: ignore[arg-type]


# --- store per role -----------------------------------------------------------------------
def test_roots_go_to_root_and_intermediates_to_ca(fake: FakeWin32, pki: Pki) -> None:
    store = WindowsStore("user", api=fake)
    store.add_anchor(item(pki.root))
    store.add_intermediate(item(pki.intermediate))
    assert fake.ders(USER, "Root") == {pki.root.der}
    assert fake.ders(USER, "CA") == {pki.intermediate.der}
    assert fake.ders(USER, "My") == set()


def test_machine_scope_uses_local_machine(fake: FakeWin32, pki: Pki) -> None:
    WindowsStore("machine", api=fake).add_anchor(item(pki.root))
    assert fake.ders(MACHINE, "Root") == {pki.root.der}
    assert fake.ders(USER, "Root") == set()


def test_add_many_opens_each_store_once(fake: FakeWin32) -> None:
    roots = [make_root(f"Root {n}", key=pooled_key("rsa2048", 0)) for n in range(4)]
    pki = make_pki("CAISO Test")
    WindowsStore("user", api=fake).add_many(
        [item(r) for r in roots] + [item(pki.intermediate)]
    )
    assert fake.ders(USER, "Root") == {r.der for r in roots}
    assert fake.ders(USER, "CA") == {pki.intermediate.der}
    opened = [name or "" for function, name in fake.calls if function == "open_store"]
    assert sorted(opened) == ["CA", "Root"]
    assert opened.count("Root") == 1


def test_custom_store_map_for_the_real_store_test(fake: FakeWin32, pki: Pki) -> None:
    names: dict[Role, str] = {"root": "GridCertTest", "intermediate": "GridCertTest",
                              "end-entity": "GridCertTest"}
    store = WindowsStore("user", store_names=names, api=fake)
    assert store.store_names() == ["GridCertTest"]
    # No Root store involved, so no warning about Windows' root dialog.
    assert not any("Security Warning" in note for note in store.notes())
    store.add_anchor(item(pki.root))
    assert fake.ders(USER, "GridCertTest") == {pki.root.der}
    assert WindowsStore("user", api=fake).notes()  # the real Root store does warn


# --- listing and matching -----------------------------------------------------------------
def test_list_reports_role_location_trust_and_key(fake: FakeWin32, pki: Pki) -> None:
    store = WindowsStore("user", api=fake)
    store.add_anchor(item(pki.root))
    store.import_identity(identity(pki))
    listed = {entry.item.sha256: entry for entry in store.list()}
    assert set(listed) == {pki.root.sha256, pki.intermediate.sha256, pki.leaf.sha256}
    assert listed[pki.root.sha256].location == "Root" and listed[pki.root.sha256].trusted
    assert listed[pki.intermediate.sha256].location == "CA"
    leaf = listed[pki.leaf.sha256]
    assert leaf.location == "My" and leaf.role == "end-entity"
    assert leaf.key_in_store is True
    assert leaf.extra["sha1"] == hashlib.sha1(pki.leaf.der).hexdigest()
    assert leaf.target_id == "windows-user"
    assert store.contains(pki.leaf.sha256)
    assert store.contains(pki.leaf.sha256.upper())


def test_a_store_that_does_not_exist_lists_empty(fake: FakeWin32) -> None:
    store = WindowsStore("user", store_names={"root": "Nope", "intermediate": "Nope",
                                              "end-entity": "Nope"}, api=fake)
    assert store.list() == []


def test_removal_matches_sha256_not_serial(fake: FakeWin32) -> None:
    # Two different roots with the same serial number (mkcert matched on serial).
    first = make_root("Twin Root A", serial=4242)
    second = make_root("Twin Root B", serial=4242, key=pooled_key("rsa2048", 3))
    store = WindowsStore("user", api=fake)
    store.add_many([item(first), item(second)])
    fake.opens.clear()
    store.remove(first.sha256)
    assert fake.ders(USER, "Root") == {second.der}
    # Only this location's own stores are read and changed (never the machine's copy that
    # the CurrentUser system store also shows).
    assert fake.opens and all(registry_only for _, registry_only in fake.opens)
    store.remove(first.sha256)  # not there any more: not an error
    assert fake.ders(USER, "Root") == {second.der}


# --- identities ---------------------------------------------------------------------------
def test_identity_import_places_each_certificate_and_keeps_the_key_exportable(
    fake: FakeWin32, pki: Pki
) -> None:
    WindowsStore("user", api=fake).import_identity(identity(pki))
    assert fake.ders(USER, "My") == {pki.leaf.der}
    assert fake.ders(USER, "CA") == {pki.intermediate.der}
    assert fake.ders(USER, "Root") == {pki.root.der}
    (flags,) = fake.import_flags
    assert flags & _win32.CRYPT_EXPORTABLE
    assert flags & _win32.CRYPT_USER_KEYSET
    assert not flags & _win32.CRYPT_MACHINE_KEYSET
    assert not flags & _win32.PKCS12_NO_PERSIST_KEY
    (key,) = fake.keys.values()
    assert item(pki.leaf).matches_key(key.private_key)
    # The temporary store of PFXImportCertStore was closed.
    assert not fake.temp


def test_machine_identity_uses_the_machine_keyset(fake: FakeWin32, pki: Pki) -> None:
    WindowsStore("machine", api=fake).import_identity(identity(pki))
    (flags,) = fake.import_flags
    assert flags & _win32.CRYPT_MACHINE_KEYSET and not flags & _win32.CRYPT_USER_KEYSET
    assert fake.ders(MACHINE, "My") == {pki.leaf.der}


def test_identity_import_leaves_a_present_root_alone_and_is_idempotent(
    fake: FakeWin32, pki: Pki
) -> None:
    store = WindowsStore("user", api=fake)
    store.add_anchor(item(pki.root))
    store.import_identity(identity(pki))
    # The root was there already: no second copy into Root (no second Windows dialog).
    assert ("copy_certificate", "Root") not in fake.calls
    imports = len(fake.import_flags)
    store.import_identity(identity(pki))
    assert len(fake.import_flags) == imports  # already there with its key: nothing done
    assert len(fake.keys) == 1


def test_declined_root_dialog_undoes_the_import(fake: FakeWin32, pki: Pki) -> None:
    fake.fail[("copy_certificate", "Root")] = WinApiError(
        "CertAddCertificateContextToStore", _win32.HRESULT_ERROR_CANCELLED,
        "The operation was canceled by the user.")
    with pytest.raises(CancelledError, match="declined Windows' confirmation") as caught:
        WindowsStore("user", api=fake).import_identity(identity(pki))
    assert caught.value.exit_code == EXIT_CANCELLED
    assert fake.ders(USER, "My") == set()
    assert fake.ders(USER, "CA") == set()  # the intermediate added before is gone again
    assert fake.keys == {}  # the key PFXImportCertStore persisted was deleted
    assert not fake.temp


# --- the key-deletion rule ----------------------------------------------------------------
def test_removing_the_only_certificate_of_a_key_deletes_the_key(fake: FakeWin32, pki: Pki) -> None:
    store = WindowsStore("user", api=fake)
    store.import_identity(identity(pki))
    store.remove(pki.leaf.sha256)
    assert fake.ders(USER, "My") == set()
    assert fake.keys == {}
    assert ("delete_csp_key", None) in fake.calls
    # Certificate first, key second: a failed certificate deletion never loses the key.
    names = [f for f, _ in fake.calls]
    assert names.index("delete_certificate") < names.index("delete_csp_key")


def test_a_key_shared_with_a_renewed_certificate_is_kept(fake: FakeWin32, pki: Pki) -> None:
    store = WindowsStore("user", api=fake)
    store.import_identity(identity(pki))
    (entry,) = fake.stores[(USER, "My")].values()
    # The renewed certificate was issued for the same key and points at the same container.
    renewed = make_leaf(pki.intermediate, "Jane Smith", key=pki.leaf.key, days=730)
    fake.put(USER, "My", renewed.der, entry.key)
    store.remove(pki.leaf.sha256)
    assert fake.ders(USER, "My") == {renewed.der}
    assert len(fake.keys) == 1
    store.remove(renewed.sha256)
    assert fake.keys == {}


def test_cng_keys_are_deleted_with_ncrypt(fake: FakeWin32, pki: Pki) -> None:
    info = KeyProvInfo("cng-container", "Microsoft Software Key Storage Provider", 0, 0, 0)
    fake.keys[key_identity(info)] = FakeKey(pki.leaf.key, True)
    fake.put(USER, "My", pki.leaf.der, info)
    WindowsStore("user", api=fake).remove(pki.leaf.sha256)
    assert ("delete_cng_key", None) in fake.calls
    assert fake.keys == {}


def test_a_key_already_gone_is_not_an_error(fake: FakeWin32, pki: Pki) -> None:
    fake.put(USER, "My", pki.leaf.der, KeyProvInfo("vanished", CSP, 1, 0, 1))
    WindowsStore("user", api=fake).remove(pki.leaf.sha256)
    assert fake.ders(USER, "My") == set()


# --- error sentences ----------------------------------------------------------------------
@pytest.mark.parametrize("code", [_win32.ERROR_ACCESS_DENIED, _win32.E_ACCESSDENIED])
def test_access_denied_says_administrator_rights(fake: FakeWin32, pki: Pki, code: int) -> None:
    fake.fail[("add_encoded_certificate", "Root")] = WinApiError("CertAdd", code,
                                                                 "Access is denied.")
    store = WindowsStore("machine", api=fake)
    with pytest.raises(TargetError, match="administrator rights") as caught:
        store.add_anchor(item(pki.root))
    assert "ERCOT Test Root CA" in str(caught.value)
    assert store.label in str(caught.value)


@pytest.mark.parametrize("code", [_win32.ERROR_CANCELLED, _win32.HRESULT_ERROR_CANCELLED,
                                  _win32.SCARD_W_CANCELLED_BY_USER])
def test_cancel_codes_become_cancelled(fake: FakeWin32, pki: Pki, code: int) -> None:
    fake.fail[("add_encoded_certificate", "Root")] = WinApiError("CertAdd", code, "cancelled")
    with pytest.raises(CancelledError, match="You declined Windows' confirmation"):
        WindowsStore("user", api=fake).add_anchor(item(pki.root))
    assert fake.ders(USER, "Root") == set()


def test_wrong_password_and_unknown_codes(fake: FakeWin32, pki: Pki) -> None:
    store = WindowsStore("user", api=fake)
    fake.fail[("pfx_import", None)] = WinApiError("PFXImportCertStore",
                                                  _win32.ERROR_INVALID_PASSWORD, "bad")
    with pytest.raises(WrongPasswordError):
        store.import_identity(identity(pki))
    fake.fail.clear()
    fake.fail[("add_encoded_certificate", None)] = WinApiError(
        "CertAddEncodedCertificateToStore", 0x80092007, "Some odd failure.")
    with pytest.raises(TargetError) as caught:
        store.add_intermediate(item(pki.intermediate))
    assert "Some odd failure." in str(caught.value) and "0x80092007" in str(caught.value)
    # Whatever happened, every store handle that was opened has been closed.
    assert fake.handles == {}


# --- export -------------------------------------------------------------------------------
@pytest.mark.parametrize(("profile", "alg"), [("modern", "AES256-SHA256"), ("compatible", None)])
def test_export_uses_the_profile_and_packs_the_chain(
    fake: FakeWin32, pki: Pki, profile: str, alg: str | None
) -> None:
    store = WindowsStore("user", api=fake)
    store.import_identity(identity(pki))
    seen: list[str] = []
    real_export = fake.pfx_export

    def spy(store_: int, sha1: bytes, chain_der: Sequence[bytes], password: str,
            pbes2_alg: str | None) -> bytes:
        seen.append(password)
        return real_export(store_, sha1, chain_der, password, pbes2_alg)

    fake.pfx_export = spy  # type: ignore[method-assign]
    data = store.export_identity(pki.leaf.sha256, "s3cret pass", profile)  # type: ignore[arg-type]
    assert fake.export_algs == [alg]
    # Windows only ever saw a throwaway password; the file opens with the user's.
    assert seen and "s3cret pass" not in seen
    key, cert, extra = pkcs12.load_key_and_certificates(data, b"s3cret pass")
    assert cert is not None and cert.fingerprint(hashes.SHA256()).hex() == pki.leaf.sha256
    assert key is not None and item(pki.leaf).matches_key(key)
    assert [c.fingerprint(hashes.SHA256()).hex() for c in extra] == [
        pki.intermediate.sha256, pki.root.sha256]
    loaded = pkcs12.load_pkcs12(data, b"s3cret pass")
    assert loaded.cert is not None and loaded.cert.friendly_name == b"Jane Smith"


def test_modern_export_on_a_windows_without_pbes2_still_ends_modern(fake: FakeWin32,
                                                                    pki: Pki) -> None:
    store = WindowsStore("user", api=fake)
    store.import_identity(identity(pki))
    real_export = fake.pfx_export

    def old_windows(store_: int, sha1: bytes, chain_der: Sequence[bytes], password: str,
                    pbes2_alg: str | None) -> bytes:
        if pbes2_alg:
            raise WinApiError("PFXExportCertStoreEx", 0x80070057, "The parameter is incorrect.")
        return real_export(store_, sha1, chain_der, password, pbes2_alg)

    fake.pfx_export = old_windows  # type: ignore[method-assign]
    data = store.export_identity(pki.leaf.sha256, "pw", "modern")
    assert fake.export_algs == [None]
    key, cert, _ = pkcs12.load_key_and_certificates(data, b"pw")
    assert key is not None and cert is not None


def test_non_exportable_key_tells_to_ask_the_operator(fake: FakeWin32, pki: Pki) -> None:
    store = WindowsStore("user", api=fake)
    store.import_identity(identity(pki))
    for key in fake.keys.values():
        key.exportable = False  # as if installed by a tool without CRYPT_EXPORTABLE
    with pytest.raises(NotExportableError, match="ask your operator") as caught:
        store.export_identity(pki.leaf.sha256, "pw", "modern")
    assert "not exportable" in str(caught.value)
    assert "0x" not in str(caught.value)  # a sentence, not an API code


def test_export_without_key_or_certificate(fake: FakeWin32, pki: Pki) -> None:
    store = WindowsStore("user", api=fake)
    with pytest.raises(BadInputError, match=pki.leaf.sha256):
        store.export_identity(pki.leaf.sha256, "pw", "modern")
    fake.put(USER, "My", pki.leaf.der)
    with pytest.raises(NotExportableError, match="no private key"):
        store.export_identity(pki.leaf.sha256, "pw", "modern")


# --- elevation ----------------------------------------------------------------------------
def test_machine_scope_needs_elevation_only_when_not_admin(fake: FakeWin32) -> None:
    store = WindowsStore("machine", api=fake)
    assert store.needs_elevation()
    assert any("administrator rights" in note for note in store.notes())
    fake.admin = True
    assert not store.needs_elevation()
    assert not WindowsStore("user", api=FakeWin32()).needs_elevation()


def test_relaunch_elevated(fake: FakeWin32) -> None:
    assert relaunch_elevated(["gridcert.exe", "install", "--plan", "p.json"], api=fake) == 0
    assert fake.elevated == [["gridcert.exe", "install", "--plan", "p.json"]]
    fake.fail[("run_elevated", None)] = WinApiError("ShellExecuteExW", _win32.ERROR_CANCELLED,
                                                    "The operation was canceled by the user.")
    with pytest.raises(CancelledError, match="administrator rights"):
        relaunch_elevated(["gridcert.exe"], api=fake)


def test_win_api_error_keeps_the_code() -> None:
    error = WinApiError("CertOpenStore", -2147024891, "Access is denied.")
    assert error.code == 0x80070005
    assert "CertOpenStore" in str(error) and isinstance(error, OSError)


def test_an_import_without_the_leaf_leaves_no_key_behind(fake: FakeWin32, pki: Pki,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = fake.pfx_import

    def lose_the_leaf(pfx: bytes, password: str, flags: int) -> int:
        handle = real_import(pfx, password, flags)
        for sha1, entry in list(fake.temp[handle].items()):
            if entry.key is not None:  # Windows persisted the key, but the leaf is not listed
                fake.temp[handle][sha1] = CertEntry(pki.root.der, sha1, entry.key, None)
        return handle

    monkeypatch.setattr(fake, "pfx_import", lose_the_leaf)
    with pytest.raises(BadInputError, match="nothing was installed"):
        WindowsStore("user", api=fake).import_identity(identity(pki))
    assert fake.keys == {}
    assert fake.ders(USER, "My") == set()


@pytest.mark.skipif(sys.platform != "linux", reason="reads the file with OpenSSL 3 (-legacy)")
@pytest.mark.parametrize(("profile", "expected"), [
    ("modern", ["MAC: sha256, Iteration 100000", "AES-256-CBC, Iteration 100000"]),
    ("compatible", ["MAC: sha1", "pbeWithSHA1And3-KeyTripleDES-CBC"]),
])
def test_exported_file_has_the_profile_openssl_sees(
    fake: FakeWin32, pki: Pki, tmp_path: Path, profile: str, expected: list[str]
) -> None:
    openssl = require_tool("openssl", "openssl")
    store = WindowsStore("user", api=fake)
    store.import_identity(identity(pki))
    out = tmp_path / "moved.pfx"
    out.write_bytes(store.export_identity(pki.leaf.sha256, "Move me 2", profile))  # type: ignore[arg-type]
    info = subprocess.run(
        [openssl, "pkcs12", "-legacy", "-info", "-noout", "-in", str(out), "-passin", "env:PW"],
        env={**os.environ, "PW": "Move me 2"}, capture_output=True, text=True, check=True,
    )
    for words in expected:
        assert words in info.stdout + info.stderr
