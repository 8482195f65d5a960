"""A TLS server's certificate chain checked by macOS' Security framework (SecTrust).

The same questions Safari's networking asks, in the order sethmlarson/truststore's
`_macos.py` asks them: each DER certificate as a SecCertificate, an SSL server policy
with the host name, a SecTrust over them, SecTrustEvaluateWithError. The keychains'
trust settings, Apple's root store and the missing-intermediate download (network fetch,
allowed explicitly) all apply; a frozen build's OpenSSL, which has no CA file on the
person's Mac, plays no part.

Revocation: Apple's SSL policy decides (no revocation policy is added). macOS checks
revocation for some certificates (EV, those whose CA asks, stapled OCSP answers) and
does not fail when a server cannot be reached, so an unreachable CRL never fails the
test; a certificate macOS knows is revoked comes back as errSecCertificateRevoked.

Mechanical: functions are declared with argtypes/restype in `_prototypes()` (lazily,
on first use — importing this module anywhere is fine), and every object created here
(CFData, SecCertificate, CFArray, CFString, SecPolicy, SecTrust, CFError and its
description) is CFRelease'd in `finally`. Each call names its page on
developer.apple.com/documentation/security (or /corefoundation).
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import Any

from app.stores._serverchain import ChainVerdict, server_name

SECURITY = "/System/Library/Frameworks/Security.framework/Security"
CORE_FOUNDATION = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"
K_CF_STRING_ENCODING_UTF8 = 0x08000100

# OSStatus codes in the CFError of SecTrustEvaluateWithError (SecBase.h).
ERR_SEC_NOT_TRUSTED = -67843
ERR_SEC_HOST_NAME_MISMATCH = -67602
ERR_SEC_CERTIFICATE_EXPIRED = -67818
ERR_SEC_CERTIFICATE_NOT_VALID_YET = -67819
ERR_SEC_CERTIFICATE_REVOKED = -67820
ERR_SEC_INCOMPLETE_CERT_REVOCATION_CHECK = -67635
ERR_SEC_INVALID_EXTENDED_KEY_USAGE = -67609
ERR_SEC_CREATE_CHAIN_FAILED = -25318

REASONS: dict[int, str] = {
    ERR_SEC_NOT_TRUSTED: "its root certificate is not trusted by this computer",
    ERR_SEC_CREATE_CHAIN_FAILED: ("its chain is incomplete: macOS could not find or "
                                  "download an intermediate certificate"),
    ERR_SEC_HOST_NAME_MISMATCH: "hostname mismatch: it is made out to another name",
    ERR_SEC_CERTIFICATE_EXPIRED: "certificate has expired",
    ERR_SEC_CERTIFICATE_NOT_VALID_YET: "certificate is not valid yet (check this Mac's clock)",
    ERR_SEC_CERTIFICATE_REVOKED: "certificate has been revoked by its issuer",
    ERR_SEC_INCOMPLETE_CERT_REVOCATION_CHECK: "macOS could not check whether it was revoked",
    ERR_SEC_INVALID_EXTENDED_KEY_USAGE: ("it is not a certificate for a web server (its key "
                                         "usage)"),
}


class SecurityApiError(OSError):
    """A Security/CoreFoundation call failed (not an untrusted chain): which, and why."""

    def __init__(self, function: str, status: int | None = None) -> None:
        self.function = function
        self.status = status
        said = f" (OSStatus {status})" if status is not None else " (returned NULL)"
        super().__init__(f"{function} failed{said}")


_BOUND: dict[str, Any] = {}
_CF: dict[str, Any] = {}


def _prototypes() -> list[tuple[str, str, tuple[Any, ...], Any]]:
    """(framework, function, argtypes, restype) of every call made here."""
    void_p, long_, boolean = ctypes.c_void_p, ctypes.c_long, ctypes.c_bool
    return [
        # CoreFoundation: "CFDataCreate", "CFArrayCreateMutable", "CFArrayAppendValue",
        # "CFStringCreateWithCString", "CFStringGetCString", "CFErrorGetCode",
        # "CFErrorCopyDescription", "CFRelease" (the Create/Copy rule: we own and release
        # what those return).
        ("cf", "CFDataCreate", (void_p, ctypes.c_char_p, long_), void_p),
        ("cf", "CFArrayCreateMutable", (void_p, long_, void_p), void_p),
        ("cf", "CFArrayAppendValue", (void_p, void_p), None),
        ("cf", "CFStringCreateWithCString", (void_p, ctypes.c_char_p, ctypes.c_uint32),
         void_p),
        ("cf", "CFStringGetCString", (void_p, ctypes.c_char_p, long_, ctypes.c_uint32),
         boolean),
        ("cf", "CFErrorGetCode", (void_p,), long_),
        ("cf", "CFErrorCopyDescription", (void_p,), void_p),
        ("cf", "CFRelease", (void_p,), None),
        # Security: "SecCertificateCreateWithData" (NULL for bytes that are not a DER
        # certificate), "SecPolicyCreateSSL" (server = true, hostname),
        # "SecTrustCreateWithCertificates" (an OSStatus; the leaf first, the rest may
        # help build the chain), "SecTrustSetNetworkFetchAllowed" (download missing
        # intermediates), "SecTrustEvaluateWithError" (macOS 10.14+: true when trusted,
        # else a CFError we own).
        ("sec", "SecCertificateCreateWithData", (void_p, void_p), void_p),
        ("sec", "SecPolicyCreateSSL", (boolean, void_p), void_p),
        ("sec", "SecTrustCreateWithCertificates", (void_p, void_p, ctypes.POINTER(void_p)),
         ctypes.c_int32),
        ("sec", "SecTrustSetNetworkFetchAllowed", (void_p, boolean), ctypes.c_int32),
        ("sec", "SecTrustEvaluateWithError", (void_p, ctypes.POINTER(void_p)), boolean),
    ]


def _load(path: str) -> Any:
    # On macOS 11+ the frameworks live in the dyld shared cache: the path works although
    # no such file exists on disk (what truststore relies on too).
    return ctypes.CDLL(path, use_errno=True)


def _fn(name: str) -> Any:
    if not _BOUND:
        libraries = {"cf": _load(CORE_FOUNDATION), "sec": _load(SECURITY)}
        for library, function_name, argtypes, restype in _prototypes():
            function = getattr(libraries[library], function_name)
            function.argtypes = argtypes
            function.restype = restype
            _BOUND[function_name] = function
        # "kCFTypeArrayCallBacks": the array retains what is appended (and releases it
        # with the array), so each certificate is released by us right after appending.
        _CF["kCFTypeArrayCallBacks"] = ctypes.c_void_p.in_dll(libraries["cf"],
                                                               "kCFTypeArrayCallBacks")
    return _BOUND[name]


def _array_callbacks() -> Any:
    _fn("CFRelease")
    return ctypes.byref(_CF["kCFTypeArrayCallBacks"])


def _string(value: Any) -> str:
    """A CFString's text (we do not own `value`)."""
    if not value:
        return ""
    buffer = ctypes.create_string_buffer(4096)
    if not _fn("CFStringGetCString")(value, buffer, len(buffer), K_CF_STRING_ENCODING_UTF8):
        return ""
    return buffer.value.decode("utf-8", "replace")


def verify_server_chain(chain_der: Sequence[bytes], host: str, fetch_seconds: float
                        ) -> ChainVerdict:
    """macOS' verdict on `chain_der` (leaf first) for the TLS server `host`.

    `fetch_seconds` is not passed on: SecTrust has no per-call fetch limit (Apple keeps
    its own). Raises SecurityApiError when a call itself fails.
    """
    del fetch_seconds
    owned: list[Any] = []  # everything we must CFRelease, in creation order
    release = _fn("CFRelease")
    try:
        certificates = _fn("CFArrayCreateMutable")(None, 0, _array_callbacks())
        if not certificates:
            raise SecurityApiError("CFArrayCreateMutable")
        owned.append(certificates)
        for der in chain_der:
            data = _fn("CFDataCreate")(None, der, len(der))
            if not data:
                raise SecurityApiError("CFDataCreate")
            owned.append(data)
            certificate = _fn("SecCertificateCreateWithData")(None, data)
            if not certificate:
                raise SecurityApiError("SecCertificateCreateWithData")
            owned.append(certificate)
            _fn("CFArrayAppendValue")(certificates, certificate)
        name = _fn("CFStringCreateWithCString")(None, server_name(host).encode("utf-8"),
                                                K_CF_STRING_ENCODING_UTF8)
        if not name:
            raise SecurityApiError("CFStringCreateWithCString")
        owned.append(name)
        policy = _fn("SecPolicyCreateSSL")(True, name)
        if not policy:
            raise SecurityApiError("SecPolicyCreateSSL")
        owned.append(policy)
        trust = ctypes.c_void_p()
        status = int(_fn("SecTrustCreateWithCertificates")(certificates, policy,
                                                           ctypes.byref(trust)))
        if trust:
            owned.append(trust.value)
        if status != 0 or not trust:
            raise SecurityApiError("SecTrustCreateWithCertificates", status)
        status = int(_fn("SecTrustSetNetworkFetchAllowed")(trust.value, True))
        if status != 0:
            raise SecurityApiError("SecTrustSetNetworkFetchAllowed", status)
        error = ctypes.c_void_p()
        trusted = bool(_fn("SecTrustEvaluateWithError")(trust.value, ctypes.byref(error)))
        if error:
            owned.append(error.value)
        if trusted:
            return ChainVerdict(True, None, None)
        code = int(_fn("CFErrorGetCode")(error.value)) if error else 0
        description = ""
        if error:
            text = _fn("CFErrorCopyDescription")(error.value)
            if text:
                owned.append(text)
                description = _string(text)
        return verdict(code, description)
    finally:
        for item in reversed(owned):
            release(item)


def verdict(code: int, description: str) -> ChainVerdict:
    """The verdict for SecTrustEvaluateWithError's failure code and description."""
    reason = REASONS.get(code, f"macOS does not trust it (OSStatus {code})")
    detail = f"SecTrustEvaluateWithError: OSStatus {code}: {description or '-'}"
    return ChainVerdict(False, reason, detail)
