"""Windows' certificate APIs as the tests' stand-in, modelled on what Microsoft documents.

Two levels, one file:

* `FakeWin32` replaces the *module* `app.stores._win32` (the functions `windows.py` calls):
  system stores with their physical stores, the CurrentUser\\Root Security Warning, key
  containers, PFX import/export, UAC. The store logic, the CLI run "as on Windows"
  (tests/integration/test_cli_as_on_windows.py) and the platform simulation use it.
* `FakeDlls` replaces the *C functions* `_win32` binds (crypt32, kernel32, shell32, ole32,
  user32), so that `_win32`'s own mechanical code (flags, dispositions, context freeing,
  ShellExecuteEx, the desktop check) runs for real on Linux, through the same `errcheck`s
  as on Windows (`_win32._prototypes()`).

Every modelled behaviour names its source on one line: a Microsoft document (title and
path on learn.microsoft.com), or, where Microsoft is silent, the public report it was
observed in — said as such.
"""

from __future__ import annotations

import ctypes
import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from app.stores import _win32
from app.stores._win32 import CertEntry, KeyProvInfo, WinApiError

USER = _win32.CERT_SYSTEM_STORE_CURRENT_USER
MACHINE = _win32.CERT_SYSTEM_STORE_LOCAL_MACHINE
USER_POLICY = _win32.CERT_SYSTEM_STORE_CURRENT_USER_GROUP_POLICY
MACHINE_POLICY = _win32.CERT_SYSTEM_STORE_LOCAL_MACHINE_GROUP_POLICY
ENTERPRISE = _win32.CERT_SYSTEM_STORE_LOCAL_MACHINE_ENTERPRISE
POLICY_LOCATIONS = (USER_POLICY, MACHINE_POLICY, ENTERPRISE)
CSP = "Microsoft Enhanced Cryptographic Provider v1.0"

# "System Store Locations" (/windows/win32/seccrypto/system-store-locations): the physical
# stores each predefined system store merges, as published there:
#   CurrentUser   MY .Default | Root .Default .LocalMachine .SmartCard
#                 Trust, CA .Default .GroupPolicy .LocalMachine
#   LocalMachine  MY .Default | Root .Default .AuthRoot .GroupPolicy .Enterprise .SmartCard
#                 Trust, CA .Default .GroupPolicy .Enterprise
# So CurrentUser\Root has no .GroupPolicy (the user's policy store is not in it), and only
# LocalMachine\Root has the third-party roots of .AuthRoot.
PHYSICAL: dict[tuple[int, str], tuple[str, ...]] = {
    (USER, "my"): (".Default",),
    (USER, "root"): (".Default", ".LocalMachine", ".SmartCard"),
    (USER, "trust"): (".Default", ".GroupPolicy", ".LocalMachine"),
    (USER, "ca"): (".Default", ".GroupPolicy", ".LocalMachine"),
    (MACHINE, "my"): (".Default",),
    (MACHINE, "root"): (".Default", ".AuthRoot", ".GroupPolicy", ".Enterprise", ".SmartCard"),
    (MACHINE, "trust"): (".Default", ".GroupPolicy", ".Enterprise"),
    (MACHINE, "ca"): (".Default", ".GroupPolicy", ".Enterprise"),
}
# A store that table does not list (a custom one, such as the real test's "GridCertTest"):
# Microsoft is silent; modelled like Trust and CA. Other locations: their own store only.
UNLISTED: dict[int, tuple[str, ...]] = {
    USER: (".Default", ".GroupPolicy", ".LocalMachine"),
    MACHINE: (".Default", ".GroupPolicy", ".Enterprise"),
}
#: Where the third-party roots of LocalMachine\Root's .AuthRoot live: the LocalMachine store
#: "AuthRoot" ("StoreName Enum", /dotnet/api/system.security.cryptography.x509certificates.
#: storename: "AuthRoot: the X.509 certificate store for third-party certificate authorities").
AUTHROOT = (MACHINE, "AuthRoot")
#: Where .SmartCard keeps its certificates is not documented; modelled as the location's
#: "SmartCardRoot" store (the "Smart Card Trusted Roots" of certmgr.msc).
SMARTCARD = "SmartCardRoot"
# "Local Machine and Current User Certificate Stores"
# (/windows-hardware/drivers/install/local-machine-and-current-user-certificate-stores):
# every CurrentUser store except Personal (My) inherits the machine's: .LocalMachine is the
# whole LocalMachine system store of that name, with all of its physical stores.
# "System Store Locations": MY, Root, Trust and CA are predefined at each location, so the
# system provider opens them even before anything was written there.
PREDEFINED = {"my", "root", "trust", "ca"}


def physical_stores(location: int, name: str) -> list[tuple[int, str]]:
    """The (location, registry store) pairs the system store `name` at `location` shows,
    its own first, each once."""
    found: list[tuple[int, str]] = []
    for physical in PHYSICAL.get((location, name.lower()),
                                 UNLISTED.get(location, (".Default",))):
        if physical == ".LocalMachine":
            places = physical_stores(MACHINE, name)
        elif physical == ".GroupPolicy":
            places = [(USER_POLICY if location == USER else MACHINE_POLICY, name)]
        elif physical == ".Enterprise":
            places = [(ENTERPRISE, name)]
        elif physical == ".AuthRoot":
            places = [AUTHROOT]
        elif physical == ".SmartCard":
            places = [(location, SMARTCARD)]
        else:  # .Default: the location's own registry store
            places = [(location, name)]
        found += [place for place in places if place not in found]
    return found


#: The functions of `_win32` that `windows.py` calls (the Win32Api protocol).
MODULE_FUNCTIONS = (
    "available", "open_store", "close_store", "enum_certificates", "add_encoded_certificate",
    "pfx_import", "copy_certificate", "delete_certificate", "delete_cng_key", "delete_csp_key",
    "pfx_export", "is_admin", "interactive_desktop", "run_elevated",
)
#: The ones that are crypt32/ncrypt calls (what a broken crypt32 makes fail).
CRYPT_FUNCTIONS = (
    "open_store", "enum_certificates", "add_encoded_certificate", "pfx_import",
    "copy_certificate", "delete_certificate", "delete_cng_key", "delete_csp_key", "pfx_export",
)


def sha1_of(der: bytes) -> bytes:
    return hashlib.sha1(der, usedforsecurity=False).digest()


def key_ident(key: KeyProvInfo) -> tuple[str, str, int, bool]:
    return (key.provider.lower(), key.container, key.provider_type,
            bool(key.flags & _win32.CRYPT_MACHINE_KEYSET))


@dataclass
class FakeKey:
    private_key: PrivateKeyTypes
    exportable: bool


@dataclass
class _Handle:
    location: int
    name: str
    registry_only: bool
    writable: bool


@dataclass
class FakeWin32:
    """The `_win32` module over dictionaries. Handles are ints."""

    admin: bool = False
    #: A visible window station: Windows can show dialogs (see `interactive_desktop`).
    desktop: bool = True
    #: What the person answers to the CurrentUser\Root Security Warning.
    root_dialog: Literal["accept", "decline"] = "accept"
    #: The code an add to CurrentUser\Root fails with when no dialog can be shown.
    no_desktop_code: int = _win32.HRESULT_ERROR_CANCELLED
    #: What the person answers to UAC; the elevated run's exit code.
    uac: Literal["accept", "decline"] = "accept"
    elevated_exit: int = 0
    #: The code a non-exportable key is refused with.
    not_exportable_code: int = _win32.NTE_BAD_KEY_STATE
    # (location, store name) -> that location's own (registry) store
    stores: dict[tuple[int, str], dict[bytes, CertEntry]] = field(default_factory=dict)
    keys: dict[tuple[str, str, int, bool], FakeKey] = field(default_factory=dict)
    handles: dict[int, _Handle] = field(default_factory=dict)
    temp: dict[int, dict[bytes, CertEntry]] = field(default_factory=dict)
    calls: list[tuple[str, str | None]] = field(default_factory=list)
    # (function name, store name or None) -> error raised when that call is made
    fail: dict[tuple[str, str | None], WinApiError] = field(default_factory=dict)
    import_flags: list[int] = field(default_factory=list)
    dispositions: list[tuple[str, int]] = field(default_factory=list)  # (store, disposition)
    dialogs: list[bytes] = field(default_factory=list)  # DER of each root the warning showed
    removal_dialogs: list[bytes] = field(default_factory=list)  # ...and each root removal asked
    elevated: list[list[str]] = field(default_factory=list)
    owners: list[int | None] = field(default_factory=list)
    opens: list[tuple[str, bool, int]] = field(default_factory=list)  # (name, registry, loc)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    # -- helpers for tests -----------------------------------------------------------------
    def put(self, location: int, name: str, der: bytes, key: KeyProvInfo | None = None,
            friendly_name: str | None = None) -> None:
        sha1 = sha1_of(der)
        self.stores.setdefault((location, name), {})[sha1] = CertEntry(der, sha1, key,
                                                                       friendly_name)

    def ders(self, location: int, name: str) -> set[bytes]:
        return {e.der for e in self.stores.get((location, name), {}).values()}

    def fail_crypt32(self, code: int = _win32.ERROR_ACCESS_DENIED) -> None:
        """Every crypt32/ncrypt call fails (FALSE/NULL, last error `code`)."""
        for function in CRYPT_FUNCTIONS:
            self.fail[(function, None)] = WinApiError(function, code, "Access is denied.")

    def _check(self, function: str, name: str | None = None) -> None:
        self.calls.append((function, name))
        for key in ((function, name), (function, None)):
            if key in self.fail:
                raise self.fail[key]

    def _name(self, handle: int) -> str | None:
        return self.handles[handle].name if handle in self.handles else None

    def _physical(self, handle: _Handle) -> list[tuple[tuple[int, str], dict[bytes, CertEntry]]]:
        """The physical stores a handle sees, its own (writable) one first. The registry
        provider (CERT_STORE_PROV_SYSTEM_REGISTRY_W) sees only its own."""
        own = (handle.location, handle.name)
        places = [own] if handle.registry_only else physical_stores(*own)
        return [(place, self.stores.get(place, {})) for place in places]

    def _view(self, store: int) -> dict[bytes, CertEntry]:
        if store in self.temp:
            return self.temp[store]
        merged: dict[bytes, CertEntry] = {}
        for _, physical in self._physical(self.handles[store]):
            for sha1, entry in physical.items():
                merged.setdefault(sha1, entry)
        return merged

    def _add(self, function: str, store: int, entry: CertEntry, disposition: int) -> None:
        if store in self.temp:
            self.temp[store][entry.sha1] = entry
            return
        handle = self.handles[store]
        self.dispositions.append((handle.name, disposition))
        own = (handle.location, handle.name)
        for place, physical in self._physical(handle):
            if entry.sha1 not in physical:
                continue
            # "CertAddCertificateContextToStore function" (/windows/win32/api/wincrypt/
            # nf-wincrypt-certaddcertificatecontexttostore): USE_EXISTING keeps the match.
            if disposition == _win32.CERT_STORE_ADD_USE_EXISTING:
                return
            # REPLACE_EXISTING deletes the match first; in a policy (or, unelevated, the
            # machine's) physical store that is ACCESS_DENIED. Not in Microsoft's docs;
            # observed and reported in wixtoolset/issues#4875.
            if place != own and (place[0] in POLICY_LOCATIONS or not self.admin):
                raise WinApiError(function, _win32.ERROR_ACCESS_DENIED, "Access is denied.")
        if not handle.writable:
            # "CertOpenStore function" (/windows/win32/api/wincrypt/nf-wincrypt-certopenstore):
            # CERT_STORE_MAXIMUM_ALLOWED_FLAG opens read-only what may not be written.
            raise WinApiError(function, _win32.ERROR_ACCESS_DENIED, "Access is denied.")
        if handle.location == USER and handle.name.lower() == "root":
            self._security_warning(function, entry.der)
        self.stores.setdefault((handle.location, handle.name), {})[entry.sha1] = entry

    def _security_warning(self, function: str, der: bytes,
                          shown: list[bytes] | None = None) -> None:
        """Windows' own confirmation for a new CurrentUser\\Root certificate (`shown`: where
        to record it, when it is another of Windows' root confirmations)."""
        if not self.desktop:
            # Not documented by Microsoft: without a visible desktop the add fails at once,
            # as "canceled by the user" (dotnet/runtime#59638, PowerShell/PowerShell#7748)
            # or as access denied from a service (OctopusDeploy/Issues#3347).
            raise WinApiError(function, self.no_desktop_code, "No dialog could be shown.")
        (self.dialogs if shown is None else shown).append(der)
        if self.root_dialog == "decline":
            # "System Error Codes (1000-1299)" (/windows/win32/debug/system-error-codes--1000-
            # 1299-): ERROR_CANCELLED 1223, as an HRESULT 0x800704C7.
            raise WinApiError(function, _win32.HRESULT_ERROR_CANCELLED,
                              "The operation was canceled by the user.")

    # -- the _win32 surface ------------------------------------------------------------------
    def available(self) -> bool:
        return True

    def open_store(self, location: int, name: str, *, read_only: bool = False,
                   registry_only: bool = False) -> int:
        self._check("open_store", name)
        self.opens.append((name, registry_only, location))
        exists = (location, name) in self.stores or (
            not registry_only and location in (USER, MACHINE) and name.lower() in PREDEFINED)
        if read_only and not exists:
            # "CertOpenStore function": CERT_STORE_OPEN_EXISTING_FLAG fails for a store
            # that does not exist (ERROR_FILE_NOT_FOUND from the registry).
            raise WinApiError("CertOpenStore", _win32.ERROR_FILE_NOT_FOUND,
                              "The system cannot find the file specified.")
        # "System Store Locations": LocalMachine and the Group Policy / Enterprise locations
        # are registry keys under HKEY_LOCAL_MACHINE and ...\Software\Policies; their
        # default ACLs let only administrators write them (the real test's `policy_copy`
        # writes the Group Policy location elevated), and "CertOpenStore function":
        # CERT_STORE_MAXIMUM_ALLOWED_FLAG opens read-only what may not be written.
        guarded = location == MACHINE or location in POLICY_LOCATIONS
        writable = not read_only and (not guarded or self.admin)
        if not exists and not read_only:
            if not writable:
                raise WinApiError("CertOpenStore", _win32.ERROR_ACCESS_DENIED,
                                  "Access is denied.")
            self.stores[(location, name)] = {}
        handle = next(self._ids)
        self.handles[handle] = _Handle(location, name, registry_only, writable)
        return handle

    def close_store(self, store: int) -> None:
        self.calls.append(("close_store", self._name(store)))
        self.handles.pop(store, None)
        self.temp.pop(store, None)

    def enum_certificates(self, store: int) -> list[CertEntry]:
        self._check("enum_certificates", self._name(store))
        return list(self._view(store).values())

    def add_encoded_certificate(self, store: int, der: bytes, *,
                                disposition: int = _win32.CERT_STORE_ADD_USE_EXISTING) -> None:
        self._check("add_encoded_certificate", self._name(store))
        sha1 = sha1_of(der)
        self._add("CertAddEncodedCertificateToStore", store, CertEntry(der, sha1, None, None),
                  disposition)

    def pfx_import(self, pfx: bytes, password: str, flags: int) -> int:
        self._check("pfx_import")
        self.import_flags.append(flags)
        try:
            loaded = pkcs12.load_pkcs12(pfx, password.encode())
        except ValueError as error:
            # "PFXImportCertStore function" (/windows/win32/api/wincrypt/nf-wincrypt-
            # pfximportcertstore): a wrong password is ERROR_INVALID_PASSWORD.
            raise WinApiError("PFXImportCertStore", _win32.HRESULT_INVALID_PASSWORD,
                              "The specified network password is not correct.") from error
        key, cert = loaded.key, loaded.cert
        assert key is not None and cert is not None
        # The PKCS#12 friendlyName becomes CERT_FRIENDLY_NAME_PROP_ID.
        friendly = cert.friendly_name.decode() if cert.friendly_name else None
        machine = bool(flags & _win32.CRYPT_MACHINE_KEYSET)
        # Without PKCS12_PREFER_CNG_KSP an RSA key goes to a CryptoAPI CSP (type 1).
        info = KeyProvInfo(f"container-{next(self._ids)}", CSP, 1,
                           _win32.CRYPT_MACHINE_KEYSET if machine else 0, 1)
        self.keys[key_ident(info)] = FakeKey(key, bool(flags & _win32.CRYPT_EXPORTABLE))
        handle = next(self._ids)
        contents: dict[bytes, CertEntry] = {}
        members = [(cert.certificate, info, friendly)]
        members += [(c.certificate, None, None) for c in loaded.additional_certs]
        for certificate, key_info, name in members:
            der = certificate.public_bytes(serialization.Encoding.DER)
            sha1 = sha1_of(der)
            contents[sha1] = CertEntry(der, sha1, key_info, name)
        self.temp[handle] = contents
        return handle

    def copy_certificate(self, source: int, sha1: bytes, destination: int, *,
                         disposition: int = _win32.CERT_STORE_ADD_USE_EXISTING) -> None:
        self._check("copy_certificate", self._name(destination))
        entry = self._view(source).get(sha1)
        if entry is None:
            raise WinApiError("CertFindCertificateInStore", _win32.CRYPT_E_NOT_FOUND,
                              "Cannot find object or property.")
        self._add("CertAddCertificateContextToStore", destination, entry, disposition)

    def delete_certificate(self, store: int, sha1: bytes) -> bool:
        self._check("delete_certificate", self._name(store))
        if store in self.temp:
            return self.temp[store].pop(sha1, None) is not None
        handle = self.handles[store]
        own = (handle.location, handle.name)
        for place, physical in self._physical(handle):
            if sha1 not in physical:
                continue
            if place != own or not handle.writable:
                # "CertDeleteCertificateFromStore function" (/windows/win32/api/wincrypt/
                # nf-wincrypt-certdeletecertificatefromstore): read-only → E_ACCESSDENIED.
                raise WinApiError("CertDeleteCertificateFromStore", _win32.E_ACCESSDENIED,
                                  "Access is denied.")
            if handle.location == USER and handle.name.lower() == "root":
                # Windows asks again before a root leaves CurrentUser\Root. Microsoft does
                # not document that prompt (reported in dotnet/dev-proxy#1208: "That
                # dialogue is shown by Win API ... to confirm removal from Trusted Root
                # CA"); its answers are modelled as the add's (decline: 0x800704C7).
                self._security_warning("CertDeleteCertificateFromStore", physical[sha1].der,
                                       self.removal_dialogs)
            del physical[sha1]
            return True
        return False

    def delete_cng_key(self, provider: str, container: str, machine: bool) -> None:
        self._check("delete_cng_key")
        self._delete_key((provider.lower(), container, 0, machine))

    def delete_csp_key(self, provider: str, container: str, provider_type: int,
                       machine: bool) -> None:
        self._check("delete_csp_key")
        self._delete_key((provider.lower(), container, provider_type, machine))

    def _delete_key(self, ident: tuple[str, str, int, bool]) -> None:
        if ident not in self.keys:
            # "NCryptOpenKey function" (/windows/win32/api/ncrypt/nf-ncrypt-ncryptopenkey) /
            # "CryptAcquireContextW": a missing container is NTE_BAD_KEYSET.
            raise WinApiError("NCryptOpenKey", _win32.NTE_BAD_KEYSET, "Keyset does not exist")
        del self.keys[ident]

    def pfx_export(self, store: int, sha1: bytes, chain_der: Sequence[bytes],
                   password: str) -> bytes:
        """`_win32.pfx_export` (EXPORT_PRIVATE_KEYS | REPORT_NOT_ABLE_TO_EXPORT_PRIVATE_KEY)."""
        self._check("pfx_export", self._name(store))
        entry = self._view(store)[sha1]
        key = self.keys.get(key_ident(entry.key)) if entry.key is not None else None
        if key is not None and not key.exportable:
            # "PFXExportCertStoreEx function" (/windows/win32/api/wincrypt/nf-wincrypt-
            # pfxexportcertstoreex): REPORT_NOT_ABLE_TO_EXPORT_PRIVATE_KEY → NTE_BAD_KEY,
            # NTE_BAD_KEY_STATE or NTE_PERM.
            raise WinApiError("PFXExportCertStoreEx", self.not_exportable_code,
                              "Key not valid for use in specified state.")
        # Without REPORT_NO_PRIVATE_KEY a certificate whose key is missing is exported
        # without one (same document).
        return _pkcs12(entry.friendly_name, key.private_key if key else None, entry.der,
                       chain_der, password)

    def is_admin(self) -> bool:
        return self.admin

    def interactive_desktop(self) -> bool:
        return self.desktop

    def run_elevated(self, argv: Sequence[str], *, owner: int | None = None) -> int:
        self._check("run_elevated")
        if self.uac == "decline":
            # "ShellExecuteExW function" (/windows/win32/api/shellapi/nf-shellapi-
            # shellexecuteexw): ERROR_CANCELLED when the user cancels the prompt (UAC).
            raise WinApiError("ShellExecuteExW", _win32.ERROR_CANCELLED,
                              "The operation was canceled by the user.")
        self.elevated.append(list(argv))
        self.owners.append(owner)
        return self.elevated_exit

    # -- putting it in place -----------------------------------------------------------------
    def patch_module(self, module: Any = _win32) -> None:
        """Make `module` (the real `_win32`) call this fake: for a process that must look
        like Windows all the way down (the CLI simulation)."""
        for name in MODULE_FUNCTIONS:
            setattr(module, name, getattr(self, name))


def _pkcs12(friendly: str | None, key: PrivateKeyTypes | None, der: bytes,
            chain_der: Sequence[bytes], password: str) -> bytes:
    """A PFX as PFXExportCertStoreEx writes it without PKCS12_EXPORT_PBES2_PARAMS. Microsoft
    does not name that default ("PKCS12_PBES2_EXPORT_PARAMS structure" only documents the
    AES256-SHA256 alternative); modelled as TripleDES-SHA1. Nothing may depend on it: the
    store re-encrypts the file in the chosen profile."""
    encryption = (serialization.PrivateFormat.PKCS12.encryption_builder()
                  .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
                  .hmac_hash(hashes.SHA1()).build(password.encode()))
    return pkcs12.serialize_key_and_certificates(
        (friendly or "").encode() or None,
        key,  # type: ignore[arg-type]
        x509.load_der_x509_certificate(der),
        [x509.load_der_x509_certificate(d) for d in chain_der] or None, encryption)


# === the C level ========================================================================


@dataclass
class _Cert:
    der: bytes
    key: PrivateKeyTypes | None = None
    exportable: bool = True


class _Bound:
    """A fake DLL function behind the real prototype's errcheck, as ctypes would call it."""

    def __init__(self, name: str, impl: Callable[..., Any], errcheck: Any) -> None:
        self.__name__ = name
        self._impl = impl
        self._errcheck = errcheck

    def __call__(self, *args: Any) -> Any:
        result = self._impl(*args)
        if self._errcheck is None:
            return result
        checked = self._errcheck(result, self, args)
        return result if checked is args else checked


class FakeDlls:
    """The C functions `_win32` binds, for its mechanical code. FALSE/NULL + last error."""

    def __init__(self) -> None:
        self.last_error = 0
        self.system: dict[tuple[int, str], dict[bytes, _Cert]] = {}
        #: Certificates a system store shows from a read-only policy physical store.
        self.policy: dict[bytes, _Cert] = {}
        self.stores: dict[int, dict[bytes, _Cert]] = {}
        self.registry_only: dict[int, bool] = {}
        self.closed: list[int] = []
        self.contexts: dict[int, tuple[int, bytes, Any]] = {}
        self.freed: set[int] = set()
        self.double_frees: list[int] = []
        self.export_flags: list[int] = []
        self.export_params: list[Any] = []
        self._exports: dict[tuple[int, str, int], bytes] = {}
        # shell32 / kernel32 / ole32 / user32
        self.uac: Literal["accept", "decline"] = "accept"
        self.process: int | None = 0x77
        self.wait_result = _win32.WAIT_OBJECT_0
        self.exit_code = 0
        self.co_result = _win32.S_OK
        self.co_depth = 0
        self.co_flags: list[int] = []
        self.uninitialized = 0
        self.launches: list[dict[str, Any]] = []
        self.closed_handles: list[int] = []
        self.window_station: int | None = 0x10
        self.station_flags = _win32.WSF_VISIBLE
        self._ids = itertools.count(0x1000)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeDlls:
        """Bind every prototype of `_win32` to this fake (undone after the test)."""
        monkeypatch.setattr(ctypes, "get_last_error", lambda: self.last_error, raising=False)
        for _dll, name, _argtypes, _restype, errcheck in _win32._prototypes():
            impl = getattr(self, name, None) or self._not_modelled(name)
            monkeypatch.setitem(_win32._BOUND, name, _Bound(name, impl, errcheck))
        return self

    @staticmethod
    def _not_modelled(name: str) -> Callable[..., Any]:
        def call(*_args: Any) -> Any:
            raise NotImplementedError(f"{name} is not modelled by FakeDlls")
        return call

    def _fail(self, code: int) -> int:
        self.last_error = code
        return 0

    # -- crypt32 -----------------------------------------------------------------------------
    def CertOpenStore(self, provider: int, _enc: int, _prov: Any, flags: int, para: Any) -> Any:
        handle = next(self._ids)
        if provider == _win32.CERT_STORE_PROV_MEMORY:
            self.stores[handle] = {}
            self.registry_only[handle] = True
            return handle
        name = para.value if hasattr(para, "value") else str(para)
        key = (flags & 0x00FF0000, name)
        if flags & _win32.CERT_STORE_OPEN_EXISTING_FLAG and key not in self.system:
            # "CertOpenStore function": OPEN_EXISTING on a missing store fails (NULL).
            self.last_error = _win32.ERROR_FILE_NOT_FOUND
            return None
        self.stores[handle] = self.system.setdefault(key, {})
        self.registry_only[handle] = provider == _win32.CERT_STORE_PROV_SYSTEM_REGISTRY_W
        return handle

    def CertCloseStore(self, store: int, _flags: int) -> int:
        self.closed.append(store)
        return 1

    def CertFindCertificateInStore(self, store: int, _enc: int, _flags: int, find: int,
                                   para: Any, _prev: Any) -> Any:
        assert find == _win32.CERT_FIND_SHA1_HASH
        blob = para._obj
        sha1 = ctypes.string_at(blob.pbData, blob.cbData)
        if sha1 not in self.stores[store]:
            self.last_error = _win32.CRYPT_E_NOT_FOUND
            return None
        context = _win32.CERT_CONTEXT()
        pointer = ctypes.pointer(context)
        self.contexts[ctypes.addressof(context)] = (store, sha1, context)
        return pointer

    def _context(self, pointer: Any) -> tuple[int, bytes]:
        address = ctypes.addressof(pointer.contents)
        assert address not in self.freed, "a freed certificate context was used"
        store, sha1, _ = self.contexts[address]
        return store, sha1

    def CertFreeCertificateContext(self, pointer: Any) -> int:
        address = ctypes.addressof(pointer.contents)
        if address in self.freed:
            self.double_frees.append(address)
        self.freed.add(address)
        return 1

    def _add(self, store: int, sha1: bytes, cert: _Cert, disposition: int) -> int:
        if not self.registry_only[store] and sha1 in self.policy:
            # Not documented: REPLACE_EXISTING on a policy-pushed copy is ACCESS_DENIED,
            # USE_EXISTING keeps it (wixtoolset/issues#4875).
            if disposition == _win32.CERT_STORE_ADD_REPLACE_EXISTING:
                return self._fail(_win32.ERROR_ACCESS_DENIED)
            return 1
        target = self.stores[store]
        if sha1 in target and disposition == _win32.CERT_STORE_ADD_USE_EXISTING:
            return 1  # "CertAddCertificateContextToStore function": the existing one is used
        target[sha1] = cert
        return 1

    def CertAddEncodedCertificateToStore(self, store: int, _enc: int, data: Any, size: int,
                                         disposition: int, _out: Any) -> int:
        der = bytes(data)[:size]
        return self._add(store, sha1_of(der), _Cert(der), disposition)

    def CertAddCertificateContextToStore(self, store: int, pointer: Any, disposition: int,
                                         _out: Any) -> int:
        source, sha1 = self._context(pointer)
        return self._add(store, sha1, self.stores[source][sha1], disposition)

    def CertDeleteCertificateFromStore(self, pointer: Any) -> int:
        store, sha1 = self._context(pointer)
        self.stores[store].pop(sha1, None)
        # "CertDeleteCertificateFromStore function": it always frees the context, even on
        # an error; freeing it again is a double free.
        self.CertFreeCertificateContext(pointer)
        return 1

    def PFXExportCertStoreEx(self, store: int, blob_ref: Any, password: str, para: Any,
                             flags: int) -> int:
        self.export_flags.append(flags)
        self.export_params.append(para)
        certs = list(self.stores[store].values())
        for cert in certs:
            if cert.key is None and flags & _win32.REPORT_NO_PRIVATE_KEY:
                # "PFXExportCertStoreEx function": REPORT_NO_PRIVATE_KEY fails (FALSE,
                # CRYPT_E_NOT_FOUND or NTE_NO_KEY) on any certificate without a private key.
                return self._fail(_win32.CRYPT_E_NOT_FOUND)
            if cert.key is not None and flags & _win32.EXPORT_PRIVATE_KEYS \
                    and not cert.exportable \
                    and flags & _win32.REPORT_NOT_ABLE_TO_EXPORT_PRIVATE_KEY:
                # Same document: a key that may not leave → NTE_BAD_KEY_STATE & co.
                return self._fail(_win32.NTE_BAD_KEY_STATE)
        cache = (store, password, flags)
        if cache not in self._exports:  # the size call and the data call see one file
            keyed = [c for c in certs if c.key is not None and c.exportable
                     and flags & _win32.EXPORT_PRIVATE_KEYS]
            first = keyed[0] if keyed else certs[0]
            others = [c.der for c in certs if c is not first]
            self._exports[cache] = _pkcs12(None, first.key if keyed else None, first.der,
                                           others, password)
        data = self._exports[cache]
        blob = blob_ref._obj
        if blob.pbData:
            ctypes.memmove(blob.pbData, data, len(data))
        blob.cbData = len(data)
        return 1

    # -- shell32 / kernel32 / ole32 / user32 --------------------------------------------------
    def IsUserAnAdmin(self) -> int:
        return 0

    def CoInitializeEx(self, _reserved: Any, flags: int) -> int:
        self.co_flags.append(flags)
        if self.co_result in (_win32.S_OK, _win32.S_FALSE):
            self.co_depth += 1
        # An HRESULT is a signed 32-bit value (c_long).
        return self.co_result - (1 << 32) if self.co_result & 0x80000000 else self.co_result

    def CoUninitialize(self) -> None:
        self.uninitialized += 1
        self.co_depth -= 1

    def ShellExecuteExW(self, info_ref: Any) -> int:
        info = info_ref._obj
        self.launches.append({
            "verb": info.lpVerb, "file": info.lpFile, "parameters": info.lpParameters,
            "show": info.nShow, "owner": info.hwnd, "mask": info.fMask,
            "com": self.co_depth > 0 or self.co_result == _win32.RPC_E_CHANGED_MODE,
        })
        if self.uac == "decline":
            # "ShellExecuteExW function": ERROR_CANCELLED when the prompt is declined.
            return self._fail(_win32.ERROR_CANCELLED)
        # "SHELLEXECUTEINFOW structure" (/windows/win32/api/shellapi/ns-shellapi-
        # shellexecuteinfow): with SEE_MASK_NOCLOSEPROCESS, hProcess may still be NULL.
        info.hProcess = self.process
        return 1

    def WaitForSingleObject(self, _handle: Any, _ms: int) -> int:
        if self.wait_result == _win32.WAIT_FAILED:
            # "WaitForSingleObject function" (/windows/win32/api/synchapi/nf-synchapi-
            # waitforsingleobject): WAIT_FAILED, details from GetLastError.
            self.last_error = 6  # ERROR_INVALID_HANDLE
        return self.wait_result

    def GetExitCodeProcess(self, _handle: Any, code_ref: Any) -> int:
        code_ref._obj.value = self.exit_code
        return 1

    def CloseHandle(self, handle: Any) -> int:
        self.closed_handles.append(handle)
        return 1

    def GetProcessWindowStation(self) -> Any:
        # "GetProcessWindowStation function" (/windows/win32/api/winuser/nf-winuser-
        # getprocesswindowstation): NULL on failure.
        return self.window_station

    def GetUserObjectInformationW(self, _handle: Any, index: int, info_ref: Any, _size: int,
                                  _needed: Any) -> int:
        # "GetUserObjectInformationW function" + "USEROBJECTFLAGS structure"
        # (/windows/win32/api/winuser/ns-winuser-userobjectflags): WSF_VISIBLE marks a
        # window station with visible display surfaces (the interactive WinSta0).
        assert index == _win32.UOI_FLAGS
        info_ref._obj.dwFlags = self.station_flags
        return 1
