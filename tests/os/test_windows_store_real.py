"""WindowsStore against the real crypt32 of a Windows runner (skipped elsewhere).

Everything that writes happens in a custom-named store, "GridCertTest", mapped to every
role: Windows shows its root-confirmation dialog only for the real CurrentUser\\Root, which
would block a runner with nobody to click Yes (or, in the runner's service session, fail at
once). Nothing here adds to the real Root store. The store is emptied after each test and
the keys that PFXImportCertStore persisted are deleted with the certificates.

What only this file can prove (the Linux tests run against tests/fakes/win32.py): that
PFXExportCertStoreEx exports a personal certificate *with its chain* under GridCert's flags,
that CERT_STORE_ADD_USE_EXISTING adds behave on real stores, that removal deletes the key,
that the policy/enterprise store locations open as modelled, the structure layouts, the
window-station check and an elevated run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12

from app.actions.plan import plan_install
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
    store.add_anchor(item(pki.root))  # again: CERT_STORE_ADD_USE_EXISTING keeps the one copy
    assert len(store.list()) == 2
    # The raw calls with either disposition, as windows.py makes them.
    handle = _win32.open_store(_win32.CERT_SYSTEM_STORE_CURRENT_USER, STORE)
    try:
        _win32.add_encoded_certificate(handle, pki.root.der)  # default: USE_EXISTING
        _win32.add_encoded_certificate(handle, pki.root.der,
                                       disposition=_win32.CERT_STORE_ADD_REPLACE_EXISTING)
    finally:
        _win32.close_store(handle)
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

    # The chain's CA certificates (no key) go into the same export: with
    # REPORT_NO_PRIVATE_KEY Windows refused exactly this (CRYPT_E_NOT_FOUND).
    assert store.contains(pki.intermediate.sha256) and store.contains(pki.root.sha256)
    for profile in ("modern", "compatible"):
        data = store.export_identity(pki.leaf.sha256, "Export pass 1", profile)
        loaded_key, cert, extra = pkcs12.load_key_and_certificates(data, b"Export pass 1")
        assert cert is not None and cert.fingerprint(hashes.SHA256()).hex() == pki.leaf.sha256
        assert loaded_key is not None and item(pki.leaf).matches_key(loaded_key)
        assert {c.fingerprint(hashes.SHA256()).hex() for c in extra} == {
            pki.intermediate.sha256, pki.root.sha256}

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
    assert ctypes.sizeof(_win32.CRYPT_DATA_BLOB) == (16 if wide else 8)
    assert ctypes.sizeof(_win32.USEROBJECTFLAGS) == 12


def test_interactive_desktop_answers() -> None:
    # A runner's service session has no visible window station; a signed-in desktop has.
    # Either is fine here: the call must work and answer, and say which in the log.
    answer = _win32.interactive_desktop()
    assert isinstance(answer, bool)
    print(f"interactive desktop: {answer}")


def _machine_roots(name: str) -> list[CertificateItem]:
    """The self-signed CA certificates of the LocalMachine registry store `name`; the ones
    pyca cannot parse (a legacy root Windows still keeps) are left out, counted, and may
    not be the majority."""
    handle = _win32.open_store(_win32.CERT_SYSTEM_STORE_LOCAL_MACHINE, name, read_only=True,
                               registry_only=True)
    try:
        entries = _win32.enum_certificates(handle)
    finally:
        _win32.close_store(handle)
    roots: list[CertificateItem] = []
    parsed = unparsable = 0
    for entry in entries:
        try:
            # pyca parses lazily: the names and the role are read inside the try as well.
            root = CertificateItem(x509.load_der_x509_certificate(entry.der),
                                   source=f"LocalMachine\\{name}")
            if root.is_ca and root.role == "root" and root.sha256:
                roots.append(root)
        except ValueError:
            unparsable += 1
            continue
        parsed += 1
    print(f"LocalMachine\\{name}: {parsed} parsed, {unparsable} unparsable")
    assert unparsable <= parsed, "most of the store could not be read"
    return roots


def test_a_root_the_machine_trusts_is_planned_as_already_there() -> None:
    """Read-only: a root from LocalMachine\\Root is 'already trusted for all users' for the
    user's store, so no step (and no Security Warning) is planned for it."""
    roots = _machine_roots("Root")
    if not roots:
        pytest.skip("LocalMachine\\Root holds no self-signed CA here")
    user = WindowsStore("user")
    reason = user.already_present_reason(roots[0])
    assert reason is not None and "all users of this computer" in reason
    (step,) = plan_install([roots[0]], [user]).steps
    assert step.skip


def test_a_third_party_root_is_planned_as_already_there() -> None:
    """Read-only: a root Windows keeps in LocalMachine's AuthRoot (the third-party roots it
    downloads on demand, the .AuthRoot physical store of LocalMachine\\Root) and not in
    LocalMachine\\Root itself is 'already trusted for all users' too."""
    own = {r.sha256 for r in _machine_roots("Root")}
    roots = [r for r in _machine_roots("AuthRoot") if r.sha256 not in own]
    if not roots:
        pytest.skip("AuthRoot holds no root beyond LocalMachine\\Root here")
    for scope in ("user", "machine"):
        store = WindowsStore(scope)  # type: ignore[arg-type]
        reason = store.already_present_reason(roots[0])
        assert reason is not None and "all users of this computer" in reason, scope
        assert not store.contains(roots[0].sha256)


@pytest.fixture
def policy_copy() -> Iterator[Pki]:
    """A root in LocalMachine's Group Policy physical store of "GridCertTest" (as a GPO
    would put it there); needs an elevated runner. Removed afterwards."""
    if not _win32.is_admin():
        pytest.skip("writing the Group Policy store location needs an elevated runner")
    pki = make_pki("GPO Test")
    location = _win32.CERT_SYSTEM_STORE_LOCAL_MACHINE_GROUP_POLICY
    handle = _win32.open_store(location, STORE, registry_only=True)
    try:
        _win32.add_encoded_certificate(handle, pki.root.der)
    finally:
        _win32.close_store(handle)
    yield pki
    handle = _win32.open_store(location, STORE, registry_only=True)
    try:
        _win32.delete_certificate(handle, sha1_of(pki.root.der))
    finally:
        _win32.close_store(handle)


def test_a_policy_pushed_root_is_seen_and_left_alone(store: WindowsStore,
                                                     policy_copy: Pki) -> None:
    root = item(policy_copy.root)
    reason = store.already_present_reason(root)
    assert reason is not None and "set by your organisation" in reason
    store.add_anchor(root)  # skipped: nothing is added to the user's own store
    assert not store.contains(root.sha256)
    store.remove(root.sha256)  # removal looks only at the user's own store
    machine = WindowsStore("machine", store_names=NAMES)
    assert machine.already_present_reason(root) is not None
    # Whether the system store "GridCertTest" merges the policy store (and so refuses
    # REPLACE_EXISTING with ACCESS_DENIED, wixtoolset/issues#4875) is Windows' business;
    # USE_EXISTING must never fail on it.
    handle = _win32.open_store(_win32.CERT_SYSTEM_STORE_LOCAL_MACHINE, STORE)
    try:
        _win32.add_encoded_certificate(handle, root.der)
    finally:
        _win32.close_store(handle)
    machine.remove(root.sha256)


ELEVATED_CHILD = """
import json, sys
from app.stores import _win32
code = _win32.run_elevated([sys.executable, "-c", "import sys; sys.exit(3)"])
print(json.dumps(code))
"""


def test_run_elevated_waits_and_returns_the_exit_code() -> None:
    # Only from an already elevated process: then "runas" starts without a UAC prompt
    # (nobody could answer one on a runner). In a child, so a hang cannot block the job.
    if not _win32.is_admin():
        pytest.skip("needs an elevated runner (no UAC prompt then)")
    done = subprocess.run([sys.executable, "-c", ELEVATED_CHILD], capture_output=True,
                          text=True, timeout=120, check=False,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == 3


def test_is_admin_answers() -> None:
    assert isinstance(_win32.is_admin(), bool)
