"""The thin ctypes layer over crypt32, ncrypt, advapi32 and shell32 (Windows only).

Mechanical on purpose, in the style of sethmlarson/truststore's `_windows.py`: every
function declares `argtypes`/`restype`, a failed call raises `WinApiError` (an `OSError`
carrying the Win32/HRESULT code, built like `ctypes.WinError()`), and every handle or
certificate context is released in a `finally`. No decisions are made here — which
store a certificate goes to, when a key may be deleted, how an error code reads to a
person: all of that lives in `windows.py`, which is tested on Linux against an in-memory
fake of the functions below.

Importing this module on Linux or macOS is fine: the DLLs are loaded lazily, on the
first call, and only under `sys.platform == "win32"`.
"""

from __future__ import annotations

import ctypes
import subprocess
import sys
from collections.abc import Sequence
from ctypes import wintypes
from dataclasses import dataclass
from typing import Any

# --- constants (values from wincrypt.h / ncrypt.h / winerror.h) ----------------------
CERT_STORE_PROV_MEMORY = 2
CERT_STORE_PROV_SYSTEM_W = 10
# The registry provider opens only the location's own store: CurrentUser\Root without the
# machine roots that the system provider merges in (its ".LocalMachine" physical store).
CERT_STORE_PROV_SYSTEM_REGISTRY_W = 13

CERT_SYSTEM_STORE_CURRENT_USER = 0x00010000
CERT_SYSTEM_STORE_LOCAL_MACHINE = 0x00020000
# Where Group Policy and Active Directory (Enterprise) push certificates. The system store
# CurrentUser\Root merges these physical stores with the user's own registry store
# ("System Store Locations", "Physical Stores" on learn.microsoft.com); their ids are 7, 8
# and 9 shifted by CERT_SYSTEM_STORE_LOCATION_SHIFT (16) in wincrypt.h.
CERT_SYSTEM_STORE_CURRENT_USER_GROUP_POLICY = 0x00070000
CERT_SYSTEM_STORE_LOCAL_MACHINE_GROUP_POLICY = 0x00080000
CERT_SYSTEM_STORE_LOCAL_MACHINE_ENTERPRISE = 0x00090000

CERT_STORE_MAXIMUM_ALLOWED_FLAG = 0x00001000
CERT_STORE_OPEN_EXISTING_FLAG = 0x00004000
CERT_STORE_READONLY_FLAG = 0x00008000

X509_ASN_ENCODING = 0x00000001
PKCS_7_ASN_ENCODING = 0x00010000
ENCODING = X509_ASN_ENCODING | PKCS_7_ASN_ENCODING

# USE_EXISTING for CA certificates: REPLACE_EXISTING fails with ACCESS_DENIED when the same
# root was pushed by Group Policy / Enterprise (a read-only physical store of the system
# store; reported against WiX, wixtoolset/issues#4875). The MMC snap-in uses USE_EXISTING.
CERT_STORE_ADD_USE_EXISTING = 2
CERT_STORE_ADD_REPLACE_EXISTING = 3

CERT_KEY_PROV_INFO_PROP_ID = 2
CERT_SHA1_HASH_PROP_ID = 3
CERT_FRIENDLY_NAME_PROP_ID = 11

CERT_FIND_SHA1_HASH = 0x00010000  # CERT_COMPARE_SHA1_HASH << CERT_COMPARE_SHIFT

# PFXImportCertStore flags
CRYPT_EXPORTABLE = 0x00000001
CRYPT_USER_PROTECTED = 0x00000002
CRYPT_MACHINE_KEYSET = 0x00000020
CRYPT_USER_KEYSET = 0x00001000
PKCS12_PREFER_CNG_KSP = 0x00000100
PKCS12_NO_PERSIST_KEY = 0x00008000  # never used: the key would vanish with the process

# PFXExportCertStoreEx flags
REPORT_NO_PRIVATE_KEY = 0x0001
REPORT_NOT_ABLE_TO_EXPORT_PRIVATE_KEY = 0x0002
EXPORT_PRIVATE_KEYS = 0x0004

# CryptAcquireContextW / NCrypt
CRYPT_DELETEKEYSET = 0x00000010
NCRYPT_MACHINE_KEY_FLAG = 0x00000020
NCRYPT_SILENT_FLAG = 0x00000040

# Win32 errors and HRESULTs that windows.py turns into sentences.
ERROR_FILE_NOT_FOUND = 2
ERROR_PATH_NOT_FOUND = 3
ERROR_ACCESS_DENIED = 5
ERROR_INVALID_PASSWORD = 86
ERROR_NOT_SUPPORTED = 50
ERROR_CANCELLED = 1223
E_ACCESSDENIED = 0x80070005
HRESULT_ERROR_CANCELLED = 0x800704C7
HRESULT_INVALID_PASSWORD = 0x80070056
NTE_BAD_KEY = 0x80090003
NTE_BAD_KEY_STATE = 0x8009000B
NTE_NO_KEY = 0x8009000D
NTE_PERM = 0x80090010
NTE_BAD_KEYSET = 0x80090016
NTE_NOT_SUPPORTED = 0x80090029
CRYPT_E_NOT_FOUND = 0x80092004
CRYPT_E_EXISTS = 0x80092005
SCARD_W_CANCELLED_BY_USER = 0x8010006E

# ShellExecuteExW / process
SEE_MASK_NOCLOSEPROCESS = 0x00000040
SEE_MASK_NOASYNC = 0x00000100
SEE_MASK_FLAG_NO_UI = 0x00000400  # no error box of Windows' own: GridCert says what failed
SW_HIDE = 0
SW_SHOWNORMAL = 1
INFINITE = 0xFFFFFFFF
WAIT_OBJECT_0 = 0x00000000
WAIT_FAILED = 0xFFFFFFFF

# CoInitializeEx (ShellExecuteEx's remarks ask for an STA without OLE1 DDE)
COINIT_APARTMENTTHREADED = 0x2
COINIT_DISABLE_OLE1DDE = 0x4
S_OK = 0
S_FALSE = 1
RPC_E_CHANGED_MODE = 0x80010106

# Window station flags (GetUserObjectInformationW / USEROBJECTFLAGS)
UOI_FLAGS = 1
WSF_VISIBLE = 0x0001


class WinApiError(OSError):
    """A failed Windows API call: which function, the numeric code, Windows' own text."""

    def __init__(self, function: str, code: int, text: str = "") -> None:
        self.function = function
        self.code = code & 0xFFFFFFFF
        self.text = text.strip() or f"error 0x{self.code:08X}"
        super().__init__(self.code, f"{function}: {self.text}")


class WindowsOnlyError(RuntimeError):
    """A Windows API was called on another operating system (a programming error)."""


@dataclass(frozen=True)
class KeyProvInfo:
    """Where a certificate's private key lives (CERT_KEY_PROV_INFO_PROP_ID)."""

    container: str
    provider: str
    provider_type: int  # 0 = a CNG key storage provider, else a legacy CryptoAPI CSP
    flags: int  # CRYPT_MACHINE_KEYSET (0x20) marks a machine key
    key_spec: int


@dataclass(frozen=True)
class CertEntry:
    """One certificate read out of a store, as plain Python data."""

    der: bytes
    sha1: bytes
    key: KeyProvInfo | None
    friendly_name: str | None


def available() -> bool:
    """True on Windows, where crypt32 exists."""
    return sys.platform == "win32"


# --- lazy binding of the DLL functions ---------------------------------------------------
_BOUND: dict[str, Any] = {}


def _fn(name: str) -> Any:
    """The bound, typed DLL function `name` (loaded on first use)."""
    if not _BOUND:
        _bind()
    return _BOUND[name]


def _ctypes_win(name: str, fallback: Any) -> Any:
    # get_last_error/FormatError exist only in Windows' ctypes (and only there in typeshed).
    return getattr(ctypes, name, fallback)


def _format_error(code: int) -> str:
    """Windows' own text for an error code ('' off Windows)."""
    signed = code - (1 << 32) if code & 0x80000000 else code
    return str(_ctypes_win("FormatError", lambda _code: "")(signed))


def _last_error(function: str) -> WinApiError:
    """Like `ctypes.WinError()`, but portable for typing and carrying the function name."""
    code = int(_ctypes_win("get_last_error", lambda: 0)())
    return WinApiError(function, code, _format_error(code))


def _check_bool(result: Any, func: Any, args: Any) -> Any:
    if not result:
        raise _last_error(func.__name__)
    return args


def _check_handle(result: Any, func: Any, args: Any) -> Any:
    if not result:
        raise _last_error(func.__name__)
    return result


def _check_status(result: Any, func: Any, args: Any) -> Any:
    # NCrypt functions return a SECURITY_STATUS (an HRESULT) instead of setting last error.
    if result != 0:
        code = result & 0xFFFFFFFF
        raise WinApiError(func.__name__, code, _format_error(code))
    return args


# --- structures (ctypes defines them on every OS; only the DLLs are Windows-only) -------
class CRYPT_DATA_BLOB(ctypes.Structure):
    _fields_ = (("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_ubyte)))


class CERT_CONTEXT(ctypes.Structure):
    _fields_ = (
        ("dwCertEncodingType", wintypes.DWORD),
        ("pbCertEncoded", ctypes.POINTER(ctypes.c_ubyte)),
        ("cbCertEncoded", wintypes.DWORD),
        ("pCertInfo", ctypes.c_void_p),
        ("hCertStore", ctypes.c_void_p),
    )


class CRYPT_KEY_PROV_INFO(ctypes.Structure):
    _fields_ = (
        ("pwszContainerName", wintypes.LPWSTR),
        ("pwszProvName", wintypes.LPWSTR),
        ("dwProvType", wintypes.DWORD),
        ("dwFlags", wintypes.DWORD),
        ("cProvParam", wintypes.DWORD),
        ("rgProvParam", ctypes.c_void_p),
        ("dwKeySpec", wintypes.DWORD),
    )


class USEROBJECTFLAGS(ctypes.Structure):
    _fields_ = (
        ("fInherit", wintypes.BOOL),
        ("fReserved", wintypes.BOOL),
        ("dwFlags", wintypes.DWORD),
    )


class SHELLEXECUTEINFOW(ctypes.Structure):
    _fields_ = (
        ("cbSize", wintypes.DWORD),
        ("fMask", wintypes.ULONG),
        ("hwnd", wintypes.HWND),
        ("lpVerb", wintypes.LPCWSTR),
        ("lpFile", wintypes.LPCWSTR),
        ("lpParameters", wintypes.LPCWSTR),
        ("lpDirectory", wintypes.LPCWSTR),
        ("nShow", ctypes.c_int),
        ("hInstApp", wintypes.HINSTANCE),
        ("lpIDList", ctypes.c_void_p),
        ("lpClass", wintypes.LPCWSTR),
        ("hkeyClass", wintypes.HKEY),
        ("dwHotKey", wintypes.DWORD),
        ("hIconOrMonitor", wintypes.HANDLE),
        ("hProcess", wintypes.HANDLE),
    )

PCCERT_CONTEXT = ctypes.POINTER(CERT_CONTEXT)


# --- binding ----------------------------------------------------------------------------
def _dll(name: str) -> Any:
    """`ctypes.WinDLL(name)`, which exists only on Windows."""
    if sys.platform != "win32":
        raise WindowsOnlyError(f"{name}.dll exists only on Windows")
    loader: Any = getattr(ctypes, "WinDLL")  # noqa: B009 - absent from ctypes off Windows
    return loader(name, use_last_error=True)


def _prototypes() -> list[tuple[str, str, tuple[Any, ...], Any, Any]]:
    """(dll, function, argtypes, restype, errcheck) of every function used here.

    One table, so that the tests' fake DLLs (tests/fakes/win32.py) get exactly the same
    error checks as the real ones.
    """
    DWORD, BOOL, HANDLE = wintypes.DWORD, wintypes.BOOL, wintypes.HANDLE
    void_p, cbytes = ctypes.c_void_p, ctypes.POINTER(ctypes.c_ubyte)
    return [
        # lpszStoreProvider is an LPCSTR that carries a small integer (the provider id).
        ("crypt32", "CertOpenStore", (void_p, DWORD, void_p, DWORD, void_p), void_p,
         _check_handle),
        ("crypt32", "CertCloseStore", (void_p, DWORD), BOOL, None),
        # NULL at the end of the enumeration is normal, not an error.
        ("crypt32", "CertEnumCertificatesInStore", (void_p, PCCERT_CONTEXT), PCCERT_CONTEXT,
         None),
        ("crypt32", "CertFindCertificateInStore",
         (void_p, DWORD, DWORD, DWORD, void_p, PCCERT_CONTEXT), PCCERT_CONTEXT, None),
        ("crypt32", "CertGetCertificateContextProperty",
         (PCCERT_CONTEXT, DWORD, void_p, ctypes.POINTER(DWORD)), BOOL, None),
        ("crypt32", "CertFreeCertificateContext", (PCCERT_CONTEXT,), BOOL, None),
        ("crypt32", "CertAddEncodedCertificateToStore",
         (void_p, DWORD, cbytes, DWORD, DWORD, void_p), BOOL, _check_bool),
        ("crypt32", "CertAddCertificateContextToStore",
         (void_p, PCCERT_CONTEXT, DWORD, void_p), BOOL, _check_bool),
        ("crypt32", "CertDeleteCertificateFromStore", (PCCERT_CONTEXT,), BOOL, _check_bool),
        ("crypt32", "PFXImportCertStore",
         (ctypes.POINTER(CRYPT_DATA_BLOB), wintypes.LPCWSTR, DWORD), void_p, _check_handle),
        ("crypt32", "PFXExportCertStoreEx",
         (void_p, ctypes.POINTER(CRYPT_DATA_BLOB), wintypes.LPCWSTR, void_p, DWORD),
         BOOL, _check_bool),
        ("ncrypt", "NCryptOpenStorageProvider",
         (ctypes.POINTER(void_p), wintypes.LPCWSTR, DWORD), ctypes.c_long, _check_status),
        ("ncrypt", "NCryptOpenKey",
         (void_p, ctypes.POINTER(void_p), wintypes.LPCWSTR, DWORD, DWORD),
         ctypes.c_long, _check_status),
        ("ncrypt", "NCryptDeleteKey", (void_p, DWORD), ctypes.c_long, _check_status),
        ("ncrypt", "NCryptFreeObject", (void_p,), ctypes.c_long, None),
        ("advapi32", "CryptAcquireContextW",
         (ctypes.POINTER(void_p), wintypes.LPCWSTR, wintypes.LPCWSTR, DWORD, DWORD),
         BOOL, _check_bool),
        ("shell32", "IsUserAnAdmin", (), BOOL, None),
        ("shell32", "ShellExecuteExW", (ctypes.POINTER(SHELLEXECUTEINFOW),), BOOL,
         _check_bool),
        # WAIT_FAILED is checked by the caller (the result is not a BOOL).
        ("kernel32", "WaitForSingleObject", (HANDLE, DWORD), DWORD, None),
        ("kernel32", "GetExitCodeProcess", (HANDLE, ctypes.POINTER(DWORD)), BOOL,
         _check_bool),
        ("kernel32", "CloseHandle", (HANDLE,), BOOL, None),
        # An HRESULT: S_FALSE (already initialised) and RPC_E_CHANGED_MODE are not failures
        # for us, so the caller decides.
        ("ole32", "CoInitializeEx", (void_p, DWORD), ctypes.c_long, None),
        ("ole32", "CoUninitialize", (), None, None),
        # NULL (no window station, e.g. some services) is an answer, not an exception.
        ("user32", "GetProcessWindowStation", (), HANDLE, None),
        ("user32", "GetUserObjectInformationW",
         (HANDLE, ctypes.c_int, void_p, DWORD, ctypes.POINTER(DWORD)), BOOL, _check_bool),
    ]


def _bind() -> None:
    dlls: dict[str, Any] = {}
    for dll_name, name, argtypes, restype, errcheck in _prototypes():
        if dll_name not in dlls:
            dlls[dll_name] = _dll(dll_name)
        function = getattr(dlls[dll_name], name)
        function.argtypes = argtypes
        function.restype = restype
        if errcheck is not None:
            function.errcheck = errcheck
        _BOUND[name] = function

def _blob(data: bytes) -> tuple[Any, Any]:
    buffer = (ctypes.c_ubyte * len(data)).from_buffer_copy(data)
    return CRYPT_DATA_BLOB(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ubyte))), buffer

def _property(context: Any, prop_id: int) -> bytes | None:
    size = wintypes.DWORD(0)
    get = _fn("CertGetCertificateContextProperty")
    if not get(context, prop_id, None, ctypes.byref(size)):
        return None  # CRYPT_E_NOT_FOUND: the property is simply not set
    buffer = ctypes.create_string_buffer(size.value)
    if not get(context, prop_id, buffer, ctypes.byref(size)):
        return None
    return buffer.raw[: size.value]

def _key_prov_info(context: Any) -> KeyProvInfo | None:
    size = wintypes.DWORD(0)
    get = _fn("CertGetCertificateContextProperty")
    if not get(context, CERT_KEY_PROV_INFO_PROP_ID, None, ctypes.byref(size)):
        return None
    buffer = ctypes.create_string_buffer(size.value)
    if not get(context, CERT_KEY_PROV_INFO_PROP_ID, buffer, ctypes.byref(size)):
        return None
    info = ctypes.cast(buffer, ctypes.POINTER(CRYPT_KEY_PROV_INFO)).contents
    return KeyProvInfo(
        container=info.pwszContainerName or "",
        provider=info.pwszProvName or "",
        provider_type=int(info.dwProvType),
        flags=int(info.dwFlags),
        key_spec=int(info.dwKeySpec),
    )

def _entry(context: Any) -> CertEntry:
    ctx = context.contents
    der = ctypes.string_at(ctx.pbCertEncoded, ctx.cbCertEncoded)
    sha1 = _property(context, CERT_SHA1_HASH_PROP_ID) or b""
    name = _property(context, CERT_FRIENDLY_NAME_PROP_ID)
    friendly = name.decode("utf-16-le").rstrip("\x00") if name else None
    return CertEntry(der=der, sha1=sha1, key=_key_prov_info(context), friendly_name=friendly)

def _find(store: int, sha1: bytes) -> Any:
    """The context with this SHA-1 thumbprint (caller frees it), or None."""
    blob, _keep = _blob(sha1)
    context = _fn("CertFindCertificateInStore")(
        store, ENCODING, 0, CERT_FIND_SHA1_HASH, ctypes.byref(blob), None
    )
    return context if context else None

# --- the functions windows.py calls ------------------------------------------------------
def open_store(location: int, name: str, *, read_only: bool = False,
               registry_only: bool = False) -> int:
    """A handle to the system store `name` at `location` (close it with `close_store`)."""
    provider = CERT_STORE_PROV_SYSTEM_REGISTRY_W if registry_only else CERT_STORE_PROV_SYSTEM_W
    flags = location | (CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG
                        if read_only else CERT_STORE_MAXIMUM_ALLOWED_FLAG)
    handle = _fn("CertOpenStore")(provider, 0, None, flags, ctypes.c_wchar_p(name))
    return int(handle)


def close_store(store: int) -> None:
    _fn("CertCloseStore")(store, 0)


def enum_certificates(store: int) -> list[CertEntry]:
    """Every certificate in the store, read out as plain data."""
    entries: list[CertEntry] = []
    enum = _fn("CertEnumCertificatesInStore")
    context = enum(store, None)
    try:
        while context:
            entries.append(_entry(context))
            # Passing the previous context frees it; the last one is NULL.
            context = enum(store, context)
    finally:
        if context:
            _fn("CertFreeCertificateContext")(context)
    return entries


def add_encoded_certificate(store: int, der: bytes, *,
                            disposition: int = CERT_STORE_ADD_USE_EXISTING) -> None:
    """Add a DER certificate; by default an identical one already there is kept
    (CERT_STORE_ADD_USE_EXISTING), which is what CA certificates need."""
    buffer = (ctypes.c_ubyte * len(der)).from_buffer_copy(der)
    _fn("CertAddEncodedCertificateToStore")(store, ENCODING, buffer, len(der), disposition, None)


def pfx_import(pfx: bytes, password: str, flags: int) -> int:
    """PFXImportCertStore: a temporary in-memory store (keys are persisted per `flags`)."""
    blob, _keep = _blob(pfx)
    return int(_fn("PFXImportCertStore")(ctypes.byref(blob), password, flags))


def copy_certificate(source: int, sha1: bytes, destination: int, *,
                     disposition: int = CERT_STORE_ADD_USE_EXISTING) -> None:
    """Add the context with this thumbprint (with its key link) from `source` to
    `destination` (`disposition`: CERT_STORE_ADD_USE_EXISTING or _REPLACE_EXISTING)."""
    context = _find(source, sha1)
    if context is None:
        raise WinApiError("CertFindCertificateInStore", CRYPT_E_NOT_FOUND, "not found")
    try:
        _fn("CertAddCertificateContextToStore")(destination, context, disposition, None)
    finally:
        _fn("CertFreeCertificateContext")(context)


def delete_certificate(store: int, sha1: bytes) -> bool:
    """Delete the certificate with this SHA-1 thumbprint; False when it is not there."""
    context = _find(store, sha1)
    if context is None:
        return False
    # CertDeleteCertificateFromStore frees the context, even when it fails.
    _fn("CertDeleteCertificateFromStore")(context)
    return True


def delete_cng_key(provider: str, container: str, machine: bool) -> None:
    """NCryptDeleteKey on the named key of a CNG key storage provider."""
    provider_handle = ctypes.c_void_p()
    _fn("NCryptOpenStorageProvider")(ctypes.byref(provider_handle), provider or None, 0)
    try:
        key = ctypes.c_void_p()
        flags = NCRYPT_SILENT_FLAG | (NCRYPT_MACHINE_KEY_FLAG if machine else 0)
        _fn("NCryptOpenKey")(provider_handle, ctypes.byref(key), container, 0, flags)
        try:
            _fn("NCryptDeleteKey")(key, 0)
        except WinApiError:
            # NCryptDeleteKey frees the key handle only when it succeeds.
            _fn("NCryptFreeObject")(key)
            raise
    finally:
        _fn("NCryptFreeObject")(provider_handle)


def delete_csp_key(provider: str, container: str, provider_type: int, machine: bool) -> None:
    """CryptAcquireContextW(CRYPT_DELETEKEYSET) on a legacy CryptoAPI key container."""
    handle = ctypes.c_void_p()
    flags = CRYPT_DELETEKEYSET | (CRYPT_MACHINE_KEYSET if machine else 0)
    _fn("CryptAcquireContextW")(ctypes.byref(handle), container, provider or None,
                                provider_type, flags)


def pfx_export(store: int, sha1: bytes, chain_der: Sequence[bytes], password: str) -> bytes:
    """PFXExportCertStoreEx of one certificate (with its private key) plus `chain_der`, in
    Windows' default encryption (no PKCS12_EXPORT_PBES2_PARAMS: that needs Windows 10 1709
    / Server 2019, and the caller re-encrypts the file anyway)."""
    memory = int(_fn("CertOpenStore")(CERT_STORE_PROV_MEMORY, 0, None, 0, None))
    try:
        copy_certificate(store, sha1, memory)
        for der in chain_der:
            add_encoded_certificate(memory, der)
        # Not REPORT_NO_PRIVATE_KEY: it makes the call fail (CRYPT_E_NOT_FOUND / NTE_NO_KEY)
        # as soon as any certificate in the store has no key — and the chain's CA
        # certificates never have one. A leaf without its key is refused earlier by the
        # caller; a key that may not leave gives NTE_BAD_KEY_STATE & co. (What .NET does.)
        flags = EXPORT_PRIVATE_KEYS | REPORT_NOT_ABLE_TO_EXPORT_PRIVATE_KEY
        blob = CRYPT_DATA_BLOB(0, None)
        export = _fn("PFXExportCertStoreEx")
        export(memory, ctypes.byref(blob), password, None, flags)  # first call: the size
        buffer = (ctypes.c_ubyte * blob.cbData)()
        blob.pbData = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ubyte))
        export(memory, ctypes.byref(blob), password, None, flags)
        return bytes(buffer[: blob.cbData])
    finally:
        close_store(memory)


def is_admin() -> bool:
    """Whether this process runs elevated (IsUserAnAdmin)."""
    return bool(_fn("IsUserAnAdmin")())


def interactive_desktop() -> bool:
    """Whether this process has a desktop a person can see (a visible window station).

    Services, SYSTEM tasks and remote sessions (WinRM, OpenSSH) run in a window station
    without WSF_VISIBLE: no dialog can be shown there, so Windows' Security Warning for a
    CurrentUser\\Root certificate fails at once instead of asking anybody.
    """
    station = _fn("GetProcessWindowStation")()
    if not station:
        return False
    flags = USEROBJECTFLAGS()
    needed = wintypes.DWORD(0)
    # The handle of GetProcessWindowStation must not be closed.
    _fn("GetUserObjectInformationW")(station, UOI_FLAGS, ctypes.byref(flags),
                                     ctypes.sizeof(flags), ctypes.byref(needed))
    return bool(flags.dwFlags & WSF_VISIBLE)


def _co_initialize() -> bool:
    """CoInitializeEx(STA | no OLE1 DDE) on this thread; True when it must be undone."""
    result = int(_fn("CoInitializeEx")(None, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE))
    code = result & 0xFFFFFFFF
    if code in (S_OK, S_FALSE):
        return True  # every successful call (S_FALSE too) is paired with CoUninitialize
    if code == RPC_E_CHANGED_MODE:
        return False  # the thread already has another apartment: usable, not ours to undo
    raise WinApiError("CoInitializeEx", code, _format_error(code))


def run_elevated(argv: Sequence[str], *, owner: int | None = None) -> int:
    """Run `argv` elevated ("runas": Windows shows UAC), wait, and return its exit code.

    `argv` applies a hand-over: GridCert's windowed program (a frozen build, no console at
    all) or python (from source), whose console SW_HIDE keeps out of sight. `owner` is the
    window the UAC prompt belongs to (the wizard's), so that it comes up in front of it
    rather than blinking in the taskbar.
    """
    info = SHELLEXECUTEINFOW()
    info.cbSize = ctypes.sizeof(SHELLEXECUTEINFOW)
    info.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC | SEE_MASK_FLAG_NO_UI
    info.hwnd = owner or None
    info.lpVerb = "runas"
    info.lpFile = argv[0]
    info.lpParameters = subprocess.list2cmdline(list(argv[1:]))
    info.nShow = SW_HIDE
    # ShellExecuteEx may hand the verb to COM shell extensions: initialise COM first.
    uninitialize = _co_initialize()
    try:
        _fn("ShellExecuteExW")(ctypes.byref(info))  # declined UAC: ERROR_CANCELLED
    finally:
        if uninitialize:
            _fn("CoUninitialize")()
    process = info.hProcess
    if not process:
        # Documented: no handle comes back when the request was served another way (DDE);
        # then nothing can be waited for and no exit code can be read.
        raise WinApiError("ShellExecuteExW", ERROR_NOT_SUPPORTED,
                          "Windows started the program without a process handle to wait for")
    try:
        if int(_fn("WaitForSingleObject")(process, INFINITE)) == WAIT_FAILED:
            raise _last_error("WaitForSingleObject")
        code = wintypes.DWORD(0)
        _fn("GetExitCodeProcess")(process, ctypes.byref(code))
        return int(code.value)
    finally:
        _fn("CloseHandle")(process)
