"""WindowsStore's decisions, run on Linux against the shared fake of `_win32`.

The fake (tests/fakes/win32.py) models what Microsoft documents — system stores merging
their physical stores, the CurrentUser\\Root Security Warning (and its failure without a
desktop), dispositions, key containers, PFXExportCertStoreEx's flags, UAC — at two levels:
the `_win32` module (for the store logic) and the C functions `_win32` binds (for its own
mechanical code). The real calls are exercised by tests/os/test_windows_store_real.py on
a Windows runner.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12

from app.actions.plan import plan_install
from app.core.errors import (
    EXIT_CANCELLED,
    EXIT_TARGET_FAILED,
    BadInputError,
    CancelledError,
    NotExportableError,
    TargetError,
    WrongPasswordError,
)
from app.core.model import CertificateItem, Role
from app.stores import _win32, registry
from app.stores._win32 import CertEntry, KeyProvInfo, WinApiError
from app.stores.base import Identity
from app.stores.windows import WindowsStore, key_identity, relaunch_elevated
from tests.fakes.win32 import (
    CSP,
    ENTERPRISE,
    MACHINE_POLICY,
    USER_POLICY,
    FakeDlls,
    FakeKey,
    FakeWin32,
    _Cert,
    sha1_of,
)
from tests.helpers import require_tool
from tests.pki import Issued, Pki, make_leaf, make_pki, make_root, pooled_key


def item(issued: Issued, key: bool = False) -> CertificateItem:
    return CertificateItem(issued.cert, source="test", private_key=issued.key if key else None)


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
    fake.admin = True  # LocalMachine is written only elevated
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
    # Opened for writing once each (the read-only opens look at the machine's and the
    # policy stores, once per store too).
    opened = [name for name, registry_only, location in fake.opens
              if not registry_only and location == USER]
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
    assert fake.opens and all(registry_only for _, registry_only, _ in fake.opens)
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
    fake.admin = True
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
@pytest.mark.parametrize("profile", ["modern", "compatible"])
def test_export_uses_the_profile_and_packs_the_chain(
    fake: FakeWin32, pki: Pki, profile: str
) -> None:
    store = WindowsStore("user", api=fake)
    store.import_identity(identity(pki))
    seen: list[str] = []
    real_export = fake.pfx_export

    def spy(store_: int, sha1: bytes, chain_der: Sequence[bytes], password: str) -> bytes:
        seen.append(password)
        return real_export(store_, sha1, chain_der, password)

    fake.pfx_export = spy  # type: ignore[method-assign]
    data = store.export_identity(pki.leaf.sha256, "s3cret pass", profile)  # type: ignore[arg-type]
    assert len(seen) == 1
    # Windows only ever saw a throwaway password; the file opens with the user's.
    assert seen and "s3cret pass" not in seen
    key, cert, extra = pkcs12.load_key_and_certificates(data, b"s3cret pass")
    assert cert is not None and cert.fingerprint(hashes.SHA256()).hex() == pki.leaf.sha256
    assert key is not None and item(pki.leaf).matches_key(key)
    assert [c.fingerprint(hashes.SHA256()).hex() for c in extra] == [
        pki.intermediate.sha256, pki.root.sha256]
    loaded = pkcs12.load_pkcs12(data, b"s3cret pass")
    assert loaded.cert is not None and loaded.cert.friendly_name == b"Jane Smith"


@pytest.mark.skipif(sys.platform != "linux", reason="reads the file with OpenSSL 3 (-legacy)")
def test_a_modern_export_asks_windows_once_for_its_default_and_ends_aes256(
    fake: FakeWin32, pki: Pki, tmp_path: Path
) -> None:
    # PBES2 export needs Windows 10 1709 / Server 2019 ("PKCS12_PBES2_EXPORT_PARAMS
    # structure"), and GridCert re-encrypts Windows' throwaway file anyway: Windows is asked
    # once, with nothing beyond the store, the thumbprint, the chain and the password.
    openssl = require_tool("openssl", "openssl")
    store = WindowsStore("user", api=fake)
    store.import_identity(identity(pki))
    calls: list[tuple[object, ...]] = []
    real_export = fake.pfx_export

    def spy(*args: Any) -> bytes:
        calls.append(args)
        return real_export(*args)

    fake.pfx_export = spy  # type: ignore[method-assign]
    out = tmp_path / "modern.pfx"
    out.write_bytes(store.export_identity(pki.leaf.sha256, "Modern 1", "modern"))
    (call,) = calls
    assert len(call) == 4, "no PBES2 algorithm is handed to Windows"
    info = subprocess.run(
        [openssl, "pkcs12", "-legacy", "-info", "-noout", "-in", str(out), "-passin", "env:PW"],
        env={**os.environ, "PW": "Modern 1"}, capture_output=True, text=True, check=True,
    )
    text = info.stdout + info.stderr
    assert "PBES2, PBKDF2, AES-256-CBC" in text and "MAC: sha256" in text
    assert "TripleDES" not in text and "3-KeyTripleDES" not in text


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


# === issue 10 ==============================================================================


@pytest.fixture
def dlls(monkeypatch: pytest.MonkeyPatch) -> FakeDlls:
    """`_win32`'s own code, run against fake C functions."""
    return FakeDlls().install(monkeypatch)


def _system(dlls: FakeDlls, name: str, *certs: _Cert, location: int = USER) -> int:
    dlls.system[(location, name)] = {sha1_of(c.der): c for c in certs}
    return _win32.open_store(location, name, read_only=True, registry_only=True)


# --- 1. PFXExportCertStoreEx flags ---------------------------------------------------------
def test_export_of_a_certificate_with_its_chain_is_not_refused(dlls: FakeDlls,
                                                               pki: Pki) -> None:
    # The chain's CA certificates have no key: with REPORT_NO_PRIVATE_KEY Windows refuses
    # the whole export (CRYPT_E_NOT_FOUND), so every export with a chain failed.
    handle = _system(dlls, "My", _Cert(pki.leaf.der, pki.leaf.key))
    data = _win32.pfx_export(handle, sha1_of(pki.leaf.der),
                             [pki.intermediate.der, pki.root.der], "one-time")
    (flags,) = set(dlls.export_flags)
    assert not flags & 0x0080  # PKCS12_EXPORT_PBES2_PARAMS: Windows' default encryption
    assert dlls.export_params == [None, None]  # no pvPara (the size call, the data call)
    assert flags & _win32.EXPORT_PRIVATE_KEYS
    assert flags & _win32.REPORT_NOT_ABLE_TO_EXPORT_PRIVATE_KEY
    assert not flags & _win32.REPORT_NO_PRIVATE_KEY
    key, cert, extra = pkcs12.load_key_and_certificates(data, b"one-time")
    assert key is not None and item(pki.leaf).matches_key(key)
    assert cert is not None and cert.fingerprint(hashes.SHA256()).hex() == pki.leaf.sha256
    assert len(extra) == 2
    assert dlls.double_frees == [] and handle not in dlls.closed  # only the memory store


def test_a_non_exportable_key_is_reported_by_windows(dlls: FakeDlls, pki: Pki) -> None:
    handle = _system(dlls, "My", _Cert(pki.leaf.der, pki.leaf.key, exportable=False))
    with pytest.raises(WinApiError) as caught:
        _win32.pfx_export(handle, sha1_of(pki.leaf.der), [pki.root.der], "pw")
    assert caught.value.code == _win32.NTE_BAD_KEY_STATE


@pytest.mark.parametrize("code", [_win32.NTE_NO_KEY, _win32.NTE_BAD_KEY_STATE,
                                  _win32.NTE_PERM])
def test_export_refusal_codes_become_the_not_exportable_sentence(fake: FakeWin32, pki: Pki,
                                                                 code: int) -> None:
    store = WindowsStore("user", api=fake)
    store.import_identity(identity(pki))
    fake.fail[("pfx_export", None)] = WinApiError("PFXExportCertStoreEx", code, "no")
    with pytest.raises(NotExportableError, match=r"not exportable.*ask your operator"):
        store.export_identity(pki.leaf.sha256, "pw", "compatible")


def test_an_export_that_comes_back_without_the_key_is_not_exportable(fake: FakeWin32,
                                                                     pki: Pki) -> None:
    store = WindowsStore("user", api=fake)
    store.import_identity(identity(pki))
    fake.keys.clear()  # the container went away behind Windows' back
    with pytest.raises(NotExportableError, match="without its private key"):
        store.export_identity(pki.leaf.sha256, "pw", "modern")


# --- 2. CA certificates Windows already has for every user --------------------------------
def test_ca_adds_keep_a_copy_pushed_by_group_policy(dlls: FakeDlls, pki: Pki) -> None:
    # REPLACE_EXISTING on a policy-pushed root is ACCESS_DENIED (wixtoolset/issues#4875).
    dlls.policy[sha1_of(pki.root.der)] = _Cert(pki.root.der)
    dlls.system[(USER, "Root")] = {}
    handle = _win32.open_store(USER, "Root")
    _win32.add_encoded_certificate(handle, pki.root.der)
    dlls.system[(USER, "Temp")] = {sha1_of(pki.root.der): _Cert(pki.root.der)}
    source = _win32.open_store(USER, "Temp", read_only=True, registry_only=True)
    _win32.copy_certificate(source, sha1_of(pki.root.der), handle)
    assert dlls.double_frees == []


_ALL_USERS = "already trusted for all users of this computer; nothing to do"
_ELSEWHERE = [
    (MACHINE, "Root", _ALL_USERS),
    (MACHINE_POLICY, "Root", "already trusted for all users of this computer (set by your "
                             "organisation)"),
    (ENTERPRISE, "Root", "set by your organisation"),
    # LocalMachine\Root's third-party roots (.AuthRoot) and smart-card roots (.SmartCard).
    (MACHINE, "AuthRoot", _ALL_USERS),
    (MACHINE, "SmartCardRoot", _ALL_USERS),
]


@pytest.mark.parametrize(("scope", "location", "name", "words"), [
    (scope, *case) for scope in ("user", "machine") for case in _ELSEWHERE
    if (scope, case[0], case[1]) != ("machine", MACHINE, "Root")  # the machine's own store
])
def test_a_root_trusted_for_all_users_is_not_added_again(
    fake: FakeWin32, pki: Pki, scope: str, location: int, name: str, words: str
) -> None:
    fake.admin = scope == "machine"
    fake.put(location, name, pki.root.der)
    store = WindowsStore(scope, api=fake)  # type: ignore[arg-type]
    plan = plan_install([item(pki.root)], [store])
    (step,) = plan.steps
    assert step.skip and words in step.reason
    assert plan.nothing_to_do
    store.add_anchor(item(pki.root))  # called anyway: still no second Security Warning
    assert fake.dialogs == []
    assert {place for place, entries in fake.stores.items() if entries} == {(location, name)}


def test_a_root_only_in_the_users_policy_store_is_not_trusted_through_root(
    fake: FakeWin32, pki: Pki
) -> None:
    # "System Store Locations": CurrentUser\Root has no .GroupPolicy physical store (its
    # CA and Trust have): a root there is not in the user's Root, so it is added.
    fake.put(USER_POLICY, "Root", pki.root.der)
    store = WindowsStore("user", api=fake)
    assert store.already_present_reason(item(pki.root)) is None
    store.add_anchor(item(pki.root))
    assert fake.dialogs == [pki.root.der] and fake.ders(USER, "Root") == {pki.root.der}
    assert store.contains(pki.root.sha256)


def test_an_intermediate_in_the_users_policy_store_is_left_alone(fake: FakeWin32,
                                                                 pki: Pki) -> None:
    fake.put(USER_POLICY, "CA", pki.intermediate.der)
    store = WindowsStore("user", api=fake)
    reason = store.already_present_reason(item(pki.intermediate))
    assert reason == "already there for you by your organisation; nothing to do"
    store.add_intermediate(item(pki.intermediate))
    assert fake.ders(USER, "CA") == set()


def test_the_fake_merges_the_physical_stores_microsoft_lists(fake: FakeWin32) -> None:
    # "System Store Locations", as published (see tests/fakes/win32.py).
    places = {
        "user-default": (USER, "Root"), "user-policy": (USER_POLICY, "Root"),
        "machine": (MACHINE, "Root"), "authroot": (MACHINE, "AuthRoot"),
        "machine-policy": (MACHINE_POLICY, "Root"), "enterprise": (ENTERPRISE, "Root"),
        "user-smartcard": (USER, "SmartCardRoot"),
        "machine-smartcard": (MACHINE, "SmartCardRoot"),
    }
    ders = {label: make_root(label, key=pooled_key("rsa2048", 0)).der for label in places}
    for label, (location, name) in places.items():
        fake.put(location, name, ders[label])

    def seen(location: int, name: str) -> set[str]:
        handle = fake.open_store(location, name, read_only=True)
        try:
            found = {entry.der for entry in fake.enum_certificates(handle)}
        finally:
            fake.close_store(handle)
        return {label for label, der in ders.items() if der in found}

    machine_root = {"machine", "authroot", "machine-policy", "enterprise",
                    "machine-smartcard"}
    assert seen(MACHINE, "Root") == machine_root
    assert seen(USER, "Root") == {"user-default", "user-smartcard", *machine_root}
    fake.stores = {}
    fake.put(USER_POLICY, "CA", ders["user-policy"])
    fake.put(MACHINE, "CA", ders["machine"])
    assert seen(USER, "CA") == {"user-policy", "machine"}
    assert seen(MACHINE, "CA") == {"machine"}


def test_only_an_administrator_writes_the_policy_locations(fake: FakeWin32, pki: Pki) -> None:
    with pytest.raises(WinApiError) as caught:
        fake.open_store(MACHINE_POLICY, "Root", registry_only=True)
    assert caught.value.code == _win32.ERROR_ACCESS_DENIED
    fake.admin = True  # as the real test's `policy_copy` fixture does it
    handle = fake.open_store(MACHINE_POLICY, "Root", registry_only=True)
    fake.add_encoded_certificate(handle, pki.root.der)
    fake.close_store(handle)
    assert fake.ders(MACHINE_POLICY, "Root") == {pki.root.der}


def test_an_identity_import_leaves_a_policy_root_alone(fake: FakeWin32, pki: Pki) -> None:
    fake.put(ENTERPRISE, "Root", pki.root.der)
    WindowsStore("user", api=fake).import_identity(identity(pki))
    assert fake.dialogs == []
    assert ("copy_certificate", "Root") not in fake.calls
    assert fake.ders(USER, "My") == {pki.leaf.der}
    # CA certificates keep an existing copy; the personal certificate replaces one.
    assert ("CA", _win32.CERT_STORE_ADD_USE_EXISTING) in fake.dispositions
    assert ("My", _win32.CERT_STORE_ADD_REPLACE_EXISTING) in fake.dispositions


def test_listing_and_removal_never_touch_the_policy_stores(fake: FakeWin32, pki: Pki) -> None:
    fake.put(MACHINE_POLICY, "Root", pki.root.der)
    fake.put(MACHINE, "CA", pki.intermediate.der)
    store = WindowsStore("user", api=fake)
    assert store.list() == []
    fake.opens.clear()
    store.remove(pki.root.sha256)
    store.remove(pki.intermediate.sha256)
    assert fake.ders(MACHINE_POLICY, "Root") == {pki.root.der}
    assert fake.ders(MACHINE, "CA") == {pki.intermediate.der}
    assert {location for _, _, location in fake.opens} == {USER}
    assert not any(function == "delete_certificate" for function, _ in fake.calls)


def test_a_new_root_gets_the_security_warning_once(fake: FakeWin32, pki: Pki) -> None:
    store = WindowsStore("user", api=fake)
    store.add_anchor(item(pki.root))
    assert fake.dialogs == [pki.root.der]
    assert fake.dispositions == [("Root", _win32.CERT_STORE_ADD_USE_EXISTING)]


# --- 3. no desktop is not "you declined" ---------------------------------------------------
@pytest.mark.parametrize("code", [_win32.HRESULT_ERROR_CANCELLED, _win32.ERROR_CANCELLED,
                                  _win32.ERROR_ACCESS_DENIED])
def test_a_root_add_without_a_desktop_says_where_to_run_it(fake: FakeWin32, pki: Pki,
                                                           code: int) -> None:
    fake.desktop = False
    fake.no_desktop_code = code
    store = WindowsStore("user", api=fake)
    assert any("no desktop" in note for note in store.notes())
    with pytest.raises(TargetError) as caught:
        store.add_anchor(item(pki.root))
    message = str(caught.value)
    assert not isinstance(caught.value, CancelledError)
    assert caught.value.exit_code == EXIT_TARGET_FAILED
    assert "no desktop" in message and "your own Windows session" in message
    assert "/ALLUSERS" in message and "--target windows-machine" in message
    assert "declined" not in message


def test_a_declined_root_dialog_stays_cancelled(fake: FakeWin32, pki: Pki) -> None:
    fake.root_dialog = "decline"
    with pytest.raises(CancelledError, match="You declined") as caught:
        WindowsStore("user", api=fake).add_anchor(item(pki.root))
    assert caught.value.exit_code == EXIT_CANCELLED
    assert fake.dialogs == [pki.root.der]


def test_removing_a_user_root_asks_windows_and_a_no_is_cancelled(fake: FakeWin32,
                                                                 pki: Pki) -> None:
    store = WindowsStore("user", api=fake)
    store.add_anchor(item(pki.root))
    store.add_intermediate(item(pki.intermediate))
    store.remove(pki.intermediate.sha256)  # CA: no question asked
    assert fake.removal_dialogs == []
    fake.root_dialog = "decline"
    with pytest.raises(CancelledError, match="You declined Windows' confirmation") as caught:
        store.remove(pki.root.sha256)
    assert caught.value.exit_code == EXIT_CANCELLED
    assert fake.removal_dialogs == [pki.root.der] and store.contains(pki.root.sha256)
    fake.root_dialog = "accept"
    store.remove(pki.root.sha256)
    assert not store.contains(pki.root.sha256)


@pytest.mark.parametrize("code", [_win32.HRESULT_ERROR_CANCELLED, _win32.ERROR_ACCESS_DENIED])
def test_removing_a_user_root_without_a_desktop_says_where_to_run_it(fake: FakeWin32,
                                                                     pki: Pki,
                                                                     code: int) -> None:
    store = WindowsStore("user", api=fake)
    store.add_anchor(item(pki.root))
    fake.desktop, fake.no_desktop_code = False, code
    with pytest.raises(TargetError) as caught:
        store.remove(pki.root.sha256)
    message = str(caught.value)
    assert not isinstance(caught.value, CancelledError)
    assert "no desktop" in message and "your own Windows session" in message
    assert "confirm removing a root certificate" in message
    assert "declined" not in message and "policy of your organisation" not in message
    assert store.contains(pki.root.sha256)


def test_an_identity_import_without_a_desktop_leaves_nothing(fake: FakeWin32, pki: Pki) -> None:
    fake.desktop = False
    store = WindowsStore("user", api=fake)
    with pytest.raises(TargetError, match="no desktop"):
        store.import_identity(identity(pki))
    assert fake.ders(USER, "My") == set() and fake.ders(USER, "CA") == set()
    assert fake.keys == {}


@pytest.mark.parametrize(("station", "flags", "expected"), [
    (0x10, _win32.WSF_VISIBLE, True),  # WinSta0 of a signed-in person
    (0x10, 0, False),  # a service's window station (Service-0x0-3e7$)
    (None, 0, False),  # no window station at all
])
def test_interactive_desktop_reads_the_window_station(dlls: FakeDlls, station: int | None,
                                                      flags: int, expected: bool) -> None:
    dlls.window_station, dlls.station_flags = station, flags
    assert _win32.interactive_desktop() is expected


def test_a_failed_add_is_not_a_failed_undo(fake: FakeWin32, pki: Pki) -> None:
    fake.fail_crypt32()
    store = WindowsStore("user", api=fake)
    with pytest.raises(TargetError, match="refused access to your own certificate store"):
        store.add_anchor(item(pki.root))
    store.remove(pki.root.sha256)  # the rollback of that step: nothing to undo
    with pytest.raises(TargetError):
        store.import_identity(identity(pki))
    store.remove(pki.leaf.sha256)
    store.remove(pki.intermediate.sha256)


# --- 4. personal certificates and LocalMachine\My ------------------------------------------
def test_identities_go_to_the_machine_store_only_when_named(fake: FakeWin32, pki: Pki) -> None:
    fake.admin = True
    user = WindowsStore("user", api=fake)
    machine = WindowsStore("machine", api=fake)  # found here, not named
    plan = plan_install([item(pki.leaf, key=True), item(pki.intermediate), item(pki.root)],
                        [user, machine])
    identities = [s for s in plan.steps if s.kind == "import-identity"]
    assert [s.target_id for s in identities] == ["windows-user"]
    assert {s.target_id for s in plan.steps if s.kind == "add-root"} == {
        "windows-user", "windows-machine"}
    note = next(n for n in plan.notes if "Windows (all users of this computer)" in n)
    assert "administrators and services" in note and "--target windows-machine" in note


def test_a_named_machine_store_gets_the_identity_and_says_who_can_use_it(
    fake: FakeWin32, pki: Pki
) -> None:
    fake.admin = True
    machine = WindowsStore("machine", api=fake, explicit=True)
    plan = plan_install([item(pki.leaf, key=True)], [machine])
    (step,) = plan.steps
    assert step.kind == "import-identity" and step.target_id == "windows-machine"
    assert "only administrators and services" in step.reason
    assert "Chrome and Edge" in step.reason


def test_the_machine_store_is_never_ticked_by_default(fake: FakeWin32) -> None:
    fake.admin = True
    user, machine = WindowsStore("user", api=fake), WindowsStore("machine", api=fake)
    assert registry.default_targets([user, machine]) == [user]


def test_only_a_named_machine_store_takes_identities(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_platform", lambda: "windows")
    monkeypatch.setattr(registry, "discover_java_keystores", lambda: [])
    found = {s.id: s for s in registry.discover_targets()}
    assert found["windows-machine"].identities_wanted is False  # type: ignore[attr-defined]
    assert found["windows-user"].identities_wanted is True  # type: ignore[attr-defined]
    (named,) = registry.resolve_targets(["windows-machine"])
    assert named.identities_wanted is True  # type: ignore[attr-defined]


# --- 5. run_elevated -------------------------------------------------------------------------
def test_run_elevated_hides_the_console_owns_the_prompt_and_initialises_com(
    dlls: FakeDlls
) -> None:
    dlls.exit_code = 3
    assert _win32.run_elevated(["C:\\GridCert\\gridcert.com", "_apply-handover", "a b"],
                               owner=0x5150) == 3
    (launch,) = dlls.launches
    assert launch["verb"] == "runas" and launch["show"] == _win32.SW_HIDE
    assert launch["owner"] == 0x5150 and launch["com"]
    assert launch["parameters"] == '_apply-handover "a b"'
    assert dlls.co_flags == [_win32.COINIT_APARTMENTTHREADED | _win32.COINIT_DISABLE_OLE1DDE]
    assert dlls.uninitialized == 1 and dlls.co_depth == 0
    assert dlls.closed_handles == [dlls.process]
    assert _win32.run_elevated(["gridcert.com"]) == 3
    assert dlls.launches[-1]["owner"] is None  # no owner: the desktop's


def test_run_elevated_asks_windows_for_no_error_box_of_its_own(dlls: FakeDlls) -> None:
    # "SHELLEXECUTEINFOW structure" (/windows/win32/api/shellapi/ns-shellapi-
    # shellexecuteinfow): SEE_MASK_FLAG_NO_UI (0x00000400) "do not display an error message
    # box if an error occurs"; without it a failed launch blocks on Windows' own box on top
    # of GridCert's sentence.
    _win32.run_elevated(["gridcert.com"])
    dlls.uac = "decline"
    with pytest.raises(WinApiError):
        _win32.run_elevated(["gridcert.com"])
    for launch in dlls.launches:
        assert launch["mask"] & _win32.SEE_MASK_FLAG_NO_UI == 0x00000400
        assert launch["mask"] & _win32.SEE_MASK_NOCLOSEPROCESS
        assert launch["mask"] & _win32.SEE_MASK_NOASYNC


@pytest.mark.parametrize(("result", "undone"), [(_win32.S_FALSE, 1),
                                                (_win32.RPC_E_CHANGED_MODE, 0)])
def test_run_elevated_tolerates_com_already_there(dlls: FakeDlls, result: int,
                                                  undone: int) -> None:
    dlls.co_result = result
    assert _win32.run_elevated(["gridcert.com"]) == 0
    assert dlls.uninitialized == undone


def test_run_elevated_checks_the_wait_and_a_missing_process_handle(dlls: FakeDlls) -> None:
    dlls.wait_result = _win32.WAIT_FAILED
    with pytest.raises(WinApiError) as caught:
        _win32.run_elevated(["gridcert.com"])
    assert caught.value.function == "WaitForSingleObject" and caught.value.code == 6
    assert dlls.closed_handles == [dlls.process]  # closed all the same
    dlls.wait_result, dlls.process = _win32.WAIT_OBJECT_0, None
    with pytest.raises(TargetError, match="administrator rights"):
        relaunch_elevated(["gridcert.com"], api=_win32)


def test_relaunch_elevated_passes_the_owner_and_reads_a_declined_uac(dlls: FakeDlls) -> None:
    assert relaunch_elevated(["gridcert.com"], api=_win32, owner=42) == 0
    assert dlls.launches[-1]["owner"] == 42
    dlls.uac = "decline"
    with pytest.raises(CancelledError, match="declined Windows' request"):
        relaunch_elevated(["gridcert.com"], api=_win32)
    fake = FakeWin32()
    relaunch_elevated(["gridcert.com"], api=fake, owner=7)
    assert fake.owners == [7]


# --- 6. the fake's C level keeps the documented contracts ----------------------------------
def test_opening_a_missing_store_read_only_fails_and_lists_empty(dlls: FakeDlls) -> None:
    with pytest.raises(WinApiError) as caught:
        _win32.open_store(USER, "Nope", read_only=True, registry_only=True)
    assert caught.value.code == _win32.ERROR_FILE_NOT_FOUND


def test_delete_certificate_lets_windows_free_the_context(dlls: FakeDlls, pki: Pki) -> None:
    handle = _system(dlls, "GridCertTest", _Cert(pki.root.der))
    assert _win32.delete_certificate(handle, sha1_of(pki.root.der)) is True
    assert dlls.system[(USER, "GridCertTest")] == {}
    assert dlls.double_frees == []
    assert _win32.delete_certificate(handle, sha1_of(pki.root.der)) is False


def test_a_batch_that_fails_halfway_still_undoes_what_it_added(fake: FakeWin32,
                                                               pki: Pki) -> None:
    other = make_root("Other Root", key=pooled_key("rsa2048", 2))
    fake.fail[("add_encoded_certificate", "CA")] = WinApiError("CertAdd", 0x80092007, "odd")
    store = WindowsStore("user", api=fake)
    with pytest.raises(TargetError):
        store.add_many([item(pki.root), item(other), item(pki.intermediate)])
    assert fake.ders(USER, "Root") == {pki.root.der, other.der}
    for sha in (pki.root.sha256, other.sha256, pki.intermediate.sha256):
        store.remove(sha)  # the rollback of the batch
    assert fake.ders(USER, "Root") == set()
    fake.fail.clear()
    fake.fail[("add_encoded_certificate", "Root")] = WinApiError("CertAdd", 0x80092007, "odd")
    with pytest.raises(TargetError):
        store.add_many([item(pki.root), item(pki.intermediate)])
    fake.fail_crypt32()
    store.remove(pki.root.sha256)  # refused and untried: nothing to undo, nothing read
    store.remove(pki.intermediate.sha256)
