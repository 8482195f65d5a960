"""A TLS server's certificate chain checked by Windows' own chain engine (crypt32).

What Schannel, Edge and Chrome-on-Windows ask, in the order sethmlarson/truststore's
`_windows.py` asks it: the leaf as a certificate context, the intermediates the server
sent in an in-memory store, a chain built for server authentication, then the SSL
policy with the host name. Unlike OpenSSL over the ROOT/CA stores, the chain engine
downloads a public root that is not cached yet (root auto-update) and an intermediate
the server left out (from the leaf's Authority Information Access URL).

Revocation, on purpose "soft-fail" like the browsers: the chain is built with
CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT (every certificate but the root is
checked: a root is revoked by removing it from the root program, not by a CRL) within a
cumulative fetch limit (CERT_CHAIN_REVOCATION_ACCUMULATIVE_TIMEOUT and the
dwUrlRetrievalTimeout we pass), and the policy is told to ignore *unknown* revocation
(CERT_CHAIN_POLICY_IGNORE_ALL_REV_UNKNOWN_FLAGS). So a CRL or OCSP server that cannot
be reached (a firewall, the private WAN) never fails the test, while a certificate that
Windows *knows* is revoked (CRYPT_E_REVOKED) is reported as such — a reason of its own.
truststore itself checks no revocation unless asked (VERIFY_CRL_CHECK_*): it answers
for any program; a support tool should say "revoked" when Windows knows it.

Mechanical, like `_win32` (whose helpers and conventions it uses): every function is
declared with argtypes/restype/errcheck in `_prototypes()` (the tests' fake DLLs get the
same error checks), a failed call raises `WinApiError`, and the store, the leaf context
and the chain context are freed in `finally`. The reason words are chosen here (a
table of winerror.h codes) because only this module knows Windows' codes.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from ctypes import wintypes
from typing import Any

from app.stores import _win32
from app.stores._serverchain import ChainVerdict, server_name
from app.stores._win32 import (
    CERT_STORE_ADD_USE_EXISTING,
    CERT_STORE_PROV_MEMORY,
    ENCODING,
    PCCERT_CONTEXT,
    WinApiError,
)

# --- constants (wincrypt.h, winerror.h) ---------------------------------------------------
#: szOID_PKIX_KP_SERVER_AUTH: the chain must be good for TLS server authentication.
SZ_OID_PKIX_KP_SERVER_AUTH = b"1.3.6.1.5.5.7.3.1"
USAGE_MATCH_TYPE_AND = 0
CERT_CHAIN_POLICY_SSL = 4  # an LPCSTR that carries a small integer
AUTHTYPE_SERVER = 2

CERT_CHAIN_REVOCATION_ACCUMULATIVE_TIMEOUT = 0x08000000
CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT = 0x40000000
CHAIN_FLAGS = CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT | (
    CERT_CHAIN_REVOCATION_ACCUMULATIVE_TIMEOUT)

CERT_CHAIN_POLICY_IGNORE_END_REV_UNKNOWN_FLAG = 0x00000100
CERT_CHAIN_POLICY_IGNORE_CTL_SIGNER_REV_UNKNOWN_FLAG = 0x00000200
CERT_CHAIN_POLICY_IGNORE_CA_REV_UNKNOWN_FLAG = 0x00000400
CERT_CHAIN_POLICY_IGNORE_ROOT_REV_UNKNOWN_FLAG = 0x00000800
CERT_CHAIN_POLICY_IGNORE_ALL_REV_UNKNOWN_FLAGS = 0x00000F00
POLICY_FLAGS = CERT_CHAIN_POLICY_IGNORE_ALL_REV_UNKNOWN_FLAGS

# CERT_TRUST_STATUS.dwErrorStatus bits (only read for the detail and for "revoked").
CERT_TRUST_IS_REVOKED = 0x00000004
CERT_TRUST_REVOCATION_STATUS_UNKNOWN = 0x00000040
CERT_TRUST_IS_OFFLINE_REVOCATION = 0x01000000

# CERT_CHAIN_POLICY_STATUS.dwError values (winerror.h).
CERT_E_EXPIRED = 0x800B0101
CERT_E_VALIDITYPERIODNESTING = 0x800B0102
CERT_E_ROLE = 0x800B0103
CERT_E_PATHLENCONST = 0x800B0104
CERT_E_CRITICAL = 0x800B0105
CERT_E_PURPOSE = 0x800B0106
CERT_E_ISSUERCHAINING = 0x800B0107
CERT_E_MALFORMED = 0x800B0108
CERT_E_UNTRUSTEDROOT = 0x800B0109
CERT_E_CHAINING = 0x800B010A
CERT_E_REVOKED = 0x800B010C
CERT_E_UNTRUSTEDTESTROOT = 0x800B010D
CERT_E_REVOCATION_FAILURE = 0x800B010E
CERT_E_CN_NO_MATCH = 0x800B010F
CERT_E_WRONG_USAGE = 0x800B0110
TRUST_E_EXPLICIT_DISTRUST = 0x800B0111
CERT_E_UNTRUSTEDCA = 0x800B0112
CERT_E_INVALID_POLICY = 0x800B0113
CERT_E_INVALID_NAME = 0x800B0114
CRYPT_E_REVOKED = 0x80092010
CRYPT_E_NO_REVOCATION_CHECK = 0x80092012
CRYPT_E_REVOCATION_OFFLINE = 0x80092013
TRUST_E_CERT_SIGNATURE = 0x80096004
TRUST_E_BASIC_CONSTRAINTS = 0x80096019

UNTRUSTED_ROOT = "its root certificate is not trusted by this computer"
#: The plain reason for each policy error. Words the diagnosis recognises: "expired",
#: "hostname mismatch", "revoked", "chain is incomplete".
REASONS: dict[int, str] = {
    CERT_E_UNTRUSTEDROOT: UNTRUSTED_ROOT,
    CERT_E_UNTRUSTEDTESTROOT: UNTRUSTED_ROOT,
    CERT_E_UNTRUSTEDCA: "its issuing CA is not trusted by this computer",
    CERT_E_CHAINING: ("its chain is incomplete: Windows could not find or download an "
                      "intermediate certificate that leads to a trusted root"),
    CERT_E_ISSUERCHAINING: "its chain is incomplete: an issuer certificate does not match",
    CERT_E_EXPIRED: "certificate has expired (or is not valid yet)",
    CERT_E_VALIDITYPERIODNESTING: "a certificate in its chain is dated outside its issuer's",
    CERT_E_CN_NO_MATCH: "hostname mismatch: it is made out to another name",
    CERT_E_INVALID_NAME: "hostname mismatch: its CA may not issue for this name",
    CRYPT_E_REVOKED: "certificate has been revoked by its issuer",
    CERT_E_REVOKED: "certificate has been revoked by its issuer",
    CERT_E_REVOCATION_FAILURE: "Windows could not check whether it was revoked",
    CRYPT_E_NO_REVOCATION_CHECK: "Windows could not check whether it was revoked",
    CRYPT_E_REVOCATION_OFFLINE: "Windows could not check whether it was revoked",
    CERT_E_WRONG_USAGE: "it is not a certificate for a web server (its key usage)",
    CERT_E_PURPOSE: "it is not a certificate for a web server (its key usage)",
    CERT_E_ROLE: "a certificate in its chain acts as a CA but is not one",
    TRUST_E_BASIC_CONSTRAINTS: "a certificate in its chain acts as a CA but is not one",
    CERT_E_PATHLENCONST: "its chain is longer than its CA allows",
    CERT_E_CRITICAL: "it has a critical extension Windows does not understand",
    CERT_E_MALFORMED: "a certificate in its chain is malformed",
    CERT_E_INVALID_POLICY: "its chain breaks its CA's certificate policy",
    TRUST_E_CERT_SIGNATURE: ("a signature in its chain is not valid (or uses cryptography "
                             "Windows no longer accepts)"),
    TRUST_E_EXPLICIT_DISTRUST: "this computer explicitly distrusts it",
}


# --- structures (wincrypt.h) ---------------------------------------------------------------
class CERT_ENHKEY_USAGE(ctypes.Structure):
    _fields_ = (("cUsageIdentifier", wintypes.DWORD),
                ("rgpszUsageIdentifier", ctypes.POINTER(ctypes.c_char_p)))


class CERT_USAGE_MATCH(ctypes.Structure):
    _fields_ = (("dwType", wintypes.DWORD), ("Usage", CERT_ENHKEY_USAGE))


class CERT_CHAIN_PARA(ctypes.Structure):
    _fields_ = (
        ("cbSize", wintypes.DWORD),
        ("RequestedUsage", CERT_USAGE_MATCH),
        ("RequestedIssuancePolicy", CERT_USAGE_MATCH),
        ("dwUrlRetrievalTimeout", wintypes.DWORD),
        ("fCheckRevocationFreshnessTime", wintypes.BOOL),
        ("dwRevocationFreshnessTime", wintypes.DWORD),
        ("pftCacheResync", ctypes.c_void_p),
        ("pStrongSignPara", ctypes.c_void_p),
        ("dwStrongSignFlags", wintypes.DWORD),
    )


class CERT_TRUST_STATUS(ctypes.Structure):
    _fields_ = (("dwErrorStatus", wintypes.DWORD), ("dwInfoStatus", wintypes.DWORD))


class CERT_CHAIN_CONTEXT(ctypes.Structure):
    # Only read through the pointer crypt32 returns, never allocated here: the fields
    # after TrustStatus are declared for the layout, not used.
    _fields_ = (
        ("cbSize", wintypes.DWORD),
        ("TrustStatus", CERT_TRUST_STATUS),
        ("cChain", wintypes.DWORD),
        ("rgpChain", ctypes.c_void_p),
        ("cLowerQualityChainContext", wintypes.DWORD),
        ("rgpLowerQualityChainContext", ctypes.c_void_p),
        ("fHasRevocationFreshnessTime", wintypes.BOOL),
        ("dwRevocationFreshnessTime", wintypes.DWORD),
    )


class SSL_EXTRA_CERT_CHAIN_POLICY_PARA(ctypes.Structure):
    _fields_ = (
        ("cbSize", wintypes.DWORD),  # a union with cbStruct in wincrypt.h
        ("dwAuthType", wintypes.DWORD),
        ("fdwChecks", wintypes.DWORD),
        ("pwszServerName", wintypes.LPWSTR),
    )


class CERT_CHAIN_POLICY_PARA(ctypes.Structure):
    _fields_ = (("cbSize", wintypes.DWORD), ("dwFlags", wintypes.DWORD),
                ("pvExtraPolicyPara", ctypes.c_void_p))


class CERT_CHAIN_POLICY_STATUS(ctypes.Structure):
    _fields_ = (
        ("cbSize", wintypes.DWORD),
        ("dwError", wintypes.DWORD),
        ("lChainIndex", wintypes.LONG),
        ("lElementIndex", wintypes.LONG),
        ("pvExtraPolicyStatus", ctypes.c_void_p),
    )


PCCERT_CHAIN_CONTEXT = ctypes.POINTER(CERT_CHAIN_CONTEXT)


# --- binding (lazy, as in _win32) -----------------------------------------------------------
_BOUND: dict[str, Any] = {}


def _prototypes() -> list[tuple[str, str, tuple[Any, ...], Any, Any]]:
    """(dll, function, argtypes, restype, errcheck) of every crypt32 call made here.

    Each function's page on learn.microsoft.com (/windows/win32/api/wincrypt/nf-wincrypt-
    <name in lower case>) is the source of its signature and of what a failure returns.
    """
    DWORD, BOOL = wintypes.DWORD, wintypes.BOOL
    void_p, cbytes = ctypes.c_void_p, ctypes.POINTER(ctypes.c_ubyte)
    return [
        # "CertOpenStore function": NULL on failure, GetLastError says why.
        ("crypt32", "CertOpenStore", (void_p, DWORD, void_p, DWORD, void_p), void_p,
         _win32._check_handle),
        # "CertAddEncodedCertificateToStore function": FALSE on failure (e.g.
        # CRYPT_E_ASN1_BADTAG for bytes that are no certificate).
        ("crypt32", "CertAddEncodedCertificateToStore",
         (void_p, DWORD, cbytes, DWORD, DWORD, void_p), BOOL, _win32._check_bool),
        # "CertCreateCertificateContext function": a context holding its own copy of the
        # encoded certificate; NULL on failure; free with CertFreeCertificateContext.
        ("crypt32", "CertCreateCertificateContext", (DWORD, cbytes, DWORD), PCCERT_CONTEXT,
         _win32._check_handle),
        # "CertGetCertificateChain function": FALSE on failure; a built chain (even an
        # untrusted one) is TRUE with its errors in TrustStatus; free it with
        # CertFreeCertificateChain.
        ("crypt32", "CertGetCertificateChain",
         (void_p, PCCERT_CONTEXT, void_p, void_p, ctypes.POINTER(CERT_CHAIN_PARA), DWORD,
          void_p, ctypes.POINTER(PCCERT_CHAIN_CONTEXT)), BOOL, _win32._check_bool),
        # "CertVerifyCertificateChainPolicy function": TRUE when the policy could be
        # checked — the verdict is CERT_CHAIN_POLICY_STATUS.dwError (0: satisfied);
        # FALSE only when it could not be checked at all.
        ("crypt32", "CertVerifyCertificateChainPolicy",
         (void_p, PCCERT_CHAIN_CONTEXT, ctypes.POINTER(CERT_CHAIN_POLICY_PARA),
          ctypes.POINTER(CERT_CHAIN_POLICY_STATUS)), BOOL, _win32._check_bool),
        # "CertFreeCertificateChain function": returns nothing.
        ("crypt32", "CertFreeCertificateChain", (PCCERT_CHAIN_CONTEXT,), None, None),
        # "CertFreeCertificateContext function": always TRUE.
        ("crypt32", "CertFreeCertificateContext", (PCCERT_CONTEXT,), BOOL, None),
        # "CertCloseStore function": failure only matters with CERT_CLOSE_STORE_CHECK_FLAG.
        ("crypt32", "CertCloseStore", (void_p, DWORD), BOOL, None),
    ]


def _fn(name: str) -> Any:
    if not _BOUND:
        dll = _win32._dll("crypt32")
        for _dll_name, function_name, argtypes, restype, errcheck in _prototypes():
            function = getattr(dll, function_name)
            function.argtypes = argtypes
            function.restype = restype
            if errcheck is not None:
                function.errcheck = errcheck
            _BOUND[function_name] = function
    return _BOUND[name]


def _bytes(data: bytes) -> Any:
    return (ctypes.c_ubyte * len(data)).from_buffer_copy(data)


# --- the check ------------------------------------------------------------------------------
def verify_server_chain(chain_der: Sequence[bytes], host: str, fetch_seconds: float
                        ) -> ChainVerdict:
    """Windows' verdict on `chain_der` (leaf first) for the TLS server `host`.

    Raises WinApiError when a crypt32 call itself fails (not for an untrusted chain).
    """
    store: Any = None
    leaf: Any = None
    chain = PCCERT_CHAIN_CONTEXT()
    try:
        # The certificates the server sent after its own: where the chain engine looks
        # for intermediates first (hAdditionalStore), before its caches and AIA.
        store = _fn("CertOpenStore")(CERT_STORE_PROV_MEMORY, 0, None, 0, None)
        for der in chain_der[1:]:
            _fn("CertAddEncodedCertificateToStore")(store, ENCODING, _bytes(der), len(der),
                                                    CERT_STORE_ADD_USE_EXISTING, None)
        leaf_der = chain_der[0]
        leaf = _fn("CertCreateCertificateContext")(ENCODING, _bytes(leaf_der), len(leaf_der))

        # "CERT_CHAIN_PARA structure": RequestedUsage = server authentication, which
        # "CertVerifyCertificateChainPolicy function" asks for with CERT_CHAIN_POLICY_SSL.
        usages = (ctypes.c_char_p * 1)(SZ_OID_PKIX_KP_SERVER_AUTH)
        para = CERT_CHAIN_PARA()
        para.cbSize = ctypes.sizeof(CERT_CHAIN_PARA)
        para.RequestedUsage.dwType = USAGE_MATCH_TYPE_AND
        para.RequestedUsage.Usage.cUsageIdentifier = 1
        para.RequestedUsage.Usage.rgpszUsageIdentifier = ctypes.cast(
            usages, ctypes.POINTER(ctypes.c_char_p))
        # With CERT_CHAIN_REVOCATION_ACCUMULATIVE_TIMEOUT this is the total for all
        # revocation URLs ("CertGetCertificateChain function", dwFlags), not per URL.
        para.dwUrlRetrievalTimeout = int(fetch_seconds * 1000)
        # hChainEngine NULL: the default engine, HCCE_CURRENT_USER — the user's trust,
        # as the user's browser sees it. pTime NULL: now.
        _fn("CertGetCertificateChain")(None, leaf, None, store, ctypes.byref(para),
                                       CHAIN_FLAGS, None, ctypes.byref(chain))
        chain_status = int(chain.contents.TrustStatus.dwErrorStatus)

        # "SSL_EXTRA_CERT_CHAIN_POLICY_PARA structure": AUTHTYPE_SERVER, and the server's
        # name as a wide string, checked against the certificate's names (fdwChecks 0:
        # nothing ignored).
        name = ctypes.create_unicode_buffer(server_name(host))
        extra = SSL_EXTRA_CERT_CHAIN_POLICY_PARA()
        extra.cbSize = ctypes.sizeof(SSL_EXTRA_CERT_CHAIN_POLICY_PARA)
        extra.dwAuthType = AUTHTYPE_SERVER
        extra.fdwChecks = 0
        extra.pwszServerName = ctypes.cast(name, wintypes.LPWSTR)
        # "CERT_CHAIN_POLICY_PARA structure": dwFlags for the SSL policy too; only
        # *unknown* revocation is ignored (see the module docstring).
        policy = CERT_CHAIN_POLICY_PARA()
        policy.cbSize = ctypes.sizeof(CERT_CHAIN_POLICY_PARA)
        policy.dwFlags = POLICY_FLAGS
        policy.pvExtraPolicyPara = ctypes.cast(ctypes.pointer(extra), ctypes.c_void_p)
        status = CERT_CHAIN_POLICY_STATUS()
        status.cbSize = ctypes.sizeof(CERT_CHAIN_POLICY_STATUS)
        _fn("CertVerifyCertificateChainPolicy")(
            ctypes.c_void_p(CERT_CHAIN_POLICY_SSL), chain, ctypes.byref(policy),
            ctypes.byref(status))
        return verdict(int(status.dwError), chain_status, int(status.lElementIndex))
    finally:
        if chain:
            _fn("CertFreeCertificateChain")(chain)
        if leaf:
            _fn("CertFreeCertificateContext")(leaf)
        if store:
            _fn("CertCloseStore")(store, 0)


def verdict(error: int, chain_status: int, element: int = -1) -> ChainVerdict:
    """The verdict for a policy dwError and the chain's dwErrorStatus."""
    error &= 0xFFFFFFFF
    if error == 0:
        unknown = chain_status & (CERT_TRUST_REVOCATION_STATUS_UNKNOWN
                                  | CERT_TRUST_IS_OFFLINE_REVOCATION)
        note = ("trusted; Windows could not check revocation (its CRL or OCSP server did "
                "not answer)" if unknown else None)
        return ChainVerdict(True, None, note)
    if error not in REASONS and chain_status & CERT_TRUST_IS_REVOKED:
        error = CRYPT_E_REVOKED
    reason = REASONS.get(error, f"Windows does not trust it (error 0x{error:08X})")
    where = f", certificate #{element}" if element >= 0 else ""
    words = _win32._format_error(error) or "-"
    detail = (f"CertVerifyCertificateChainPolicy(SSL): 0x{error:08X} {words.strip()}"
              f"{where}; chain status 0x{chain_status:08X}")
    return ChainVerdict(False, reason, detail)


__all__ = ["WinApiError", "verdict", "verify_server_chain"]
