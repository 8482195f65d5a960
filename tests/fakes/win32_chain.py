"""crypt32's chain-verification functions as the tests' stand-in for
`app.stores._serverchain_win32` — at the C level, behind the real prototypes' errchecks.

It models the chain engine with real certificates (pyca/cryptography checks signatures,
dates and names), so that `_serverchain_win32`'s own code runs on Linux: the structures
it fills, the flags, how it reads the results, and that it frees everything, also when a
call fails. Every behaviour names its source on learn.microsoft.com
(/windows/win32/api/wincrypt/...); where Microsoft is silent, the model says so.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import ipaddress
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from app.stores import _serverchain_win32 as sc
from app.stores import _win32
from tests.fakes.win32 import _Bound

# CERT_TRUST_STATUS.dwErrorStatus bits ("CERT_TRUST_STATUS structure",
# /windows/win32/api/wincrypt/ns-wincrypt-cert_trust_status).
CERT_TRUST_IS_NOT_TIME_VALID = 0x00000001
CERT_TRUST_IS_REVOKED = 0x00000004
CERT_TRUST_IS_NOT_SIGNATURE_VALID = 0x00000008
CERT_TRUST_IS_NOT_VALID_FOR_USAGE = 0x00000010
CERT_TRUST_IS_UNTRUSTED_ROOT = 0x00000020
CERT_TRUST_REVOCATION_STATUS_UNKNOWN = 0x00000040
CERT_TRUST_IS_PARTIAL_CHAIN = 0x00010000
CERT_TRUST_IS_OFFLINE_REVOCATION = 0x01000000
CRYPT_E_ASN1_BADTAG = 0x8009310B
E_INVALIDARG = 0x80070057


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _names_match(cert: x509.Certificate, name: str) -> bool:
    """RFC 6125 matching on the subject alternative names (one leftmost '*')."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        address = None
    if address is not None:
        return address in san.get_values_for_type(x509.IPAddress)
    wanted = name.lower().split(".")
    for dns in san.get_values_for_type(x509.DNSName):
        labels = dns.lower().split(".")
        if len(labels) == len(wanted) and all(
                a == b or (i == 0 and a == "*")
                for i, (a, b) in enumerate(zip(labels, wanted, strict=True))):
            return True
    return False


@dataclass
class ChainCall:
    """What CertGetCertificateChain was given (copied out of the caller's structures)."""

    engine: Any
    has_time: bool
    cb_size: int
    usage_type: int
    usages: list[bytes]
    url_timeout: int
    flags: int
    leaf: bytes
    extra: list[bytes]


@dataclass
class PolicyCall:
    """What CertVerifyCertificateChainPolicy was given."""

    oid: int
    cb_size: int
    flags: int
    extra_cb_size: int
    auth_type: int
    checks: int
    server_name: str | None
    status_cb_size: int


@dataclass
class FakeChainDlls:
    """The chain engine of one Windows user: its trusted roots, what it could download."""

    #: Roots in the ROOT stores (and their cache) now.
    roots: list[x509.Certificate] = field(default_factory=list)
    #: Public roots Windows would download on demand (root auto-update).
    auto_update: list[x509.Certificate] = field(default_factory=list)
    #: Intermediates reachable through a certificate's AIA URL.
    aia: list[x509.Certificate] = field(default_factory=list)
    #: Serial numbers a reachable CRL/OCSP answer lists as revoked.
    revoked: set[int] = field(default_factory=set)
    #: No CRL/OCSP server answers (a firewall, the private WAN).
    revocation_offline: bool = False
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    #: function name -> last error it fails with (FALSE/NULL).
    fail: dict[str, int] = field(default_factory=dict)
    last_error: int = 0
    chain_calls: list[ChainCall] = field(default_factory=list)
    policy_calls: list[PolicyCall] = field(default_factory=list)
    stores: dict[int, list[bytes]] = field(default_factory=dict)
    closed: list[int] = field(default_factory=list)
    contexts: dict[int, tuple[Any, Any]] = field(default_factory=dict)  # address -> keep
    freed_contexts: list[int] = field(default_factory=list)
    chains: dict[int, tuple[Any, list[x509.Certificate]]] = field(default_factory=dict)
    freed_chains: list[int] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(0x5000))

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeChainDlls:
        monkeypatch.setattr(ctypes, "get_last_error", lambda: self.last_error, raising=False)
        for _dll, name, _argtypes, _restype, errcheck in sc._prototypes():
            monkeypatch.setitem(sc._BOUND, name, _Bound(name, getattr(self, name), errcheck))
        return self

    def _failing(self, name: str) -> bool:
        if name in self.fail:
            self.last_error = self.fail[name]
            return True
        return False

    # -- what a test checks afterwards -------------------------------------------------------
    def leaks(self) -> list[str]:
        """Everything created and not freed (empty when the caller cleaned up)."""
        found = [f"store {h:#x}" for h in self.stores if h not in self.closed]
        found += [f"certificate context {a:#x}" for a in self.contexts
                  if a not in self.freed_contexts]
        found += [f"chain context {a:#x}" for a in self.chains if a not in self.freed_chains]
        return found

    def double_frees(self) -> list[int]:
        return [a for a in set(self.freed_contexts + self.freed_chains + self.closed)
                if (self.freed_contexts + self.freed_chains + self.closed).count(a) > 1]

    # -- crypt32 -----------------------------------------------------------------------------
    def CertOpenStore(self, provider: int, _enc: int, _prov: Any, _flags: int,
                      _para: Any) -> Any:
        # "CertOpenStore function": CERT_STORE_PROV_MEMORY is a store in memory only.
        assert provider == _win32.CERT_STORE_PROV_MEMORY
        if self._failing("CertOpenStore"):
            return None
        handle = next(self._ids)
        self.stores[handle] = []
        return handle

    def CertCloseStore(self, store: int, _flags: int) -> int:
        self.closed.append(store)
        return 1

    def CertAddEncodedCertificateToStore(self, store: int, encoding: int, data: Any,
                                         size: int, disposition: int, _out: Any) -> int:
        assert store in self.stores and store not in self.closed
        assert encoding == _win32.ENCODING
        der = bytes(data)[:size]
        if self._failing("CertAddEncodedCertificateToStore"):
            return 0
        try:
            x509.load_der_x509_certificate(der)
        except ValueError:
            # "CertAddEncodedCertificateToStore function": bytes that do not decode fail
            # (FALSE) with an ASN.1 error such as CRYPT_E_ASN1_BADTAG.
            self.last_error = CRYPT_E_ASN1_BADTAG
            return 0
        if disposition == _win32.CERT_STORE_ADD_USE_EXISTING and der in self.stores[store]:
            return 1
        self.stores[store].append(der)
        return 1

    def CertCreateCertificateContext(self, encoding: int, data: Any, size: int) -> Any:
        assert encoding == _win32.ENCODING
        der = bytes(data)[:size]
        if self._failing("CertCreateCertificateContext"):
            return None
        try:
            x509.load_der_x509_certificate(der)
        except ValueError:
            # "CertCreateCertificateContext function": NULL, GetLastError an ASN.1 error.
            self.last_error = CRYPT_E_ASN1_BADTAG
            return None
        # The context holds its own copy of the encoded certificate (same document).
        buffer = (ctypes.c_ubyte * len(der)).from_buffer_copy(der)
        context = _win32.CERT_CONTEXT(_win32.ENCODING,
                                      ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ubyte)),
                                      len(der), None, None)
        self.contexts[ctypes.addressof(context)] = (context, buffer)
        return ctypes.pointer(context)

    def CertFreeCertificateContext(self, pointer: Any) -> int:
        self.freed_contexts.append(ctypes.addressof(pointer.contents))
        return 1

    def _leaf_of(self, pointer: Any) -> bytes:
        address = ctypes.addressof(pointer.contents)
        assert address in self.contexts, "not a context CertCreateCertificateContext made"
        assert address not in self.freed_contexts, "a freed certificate context was used"
        context = pointer.contents
        return ctypes.string_at(context.pbCertEncoded, context.cbCertEncoded)

    def CertGetCertificateChain(self, engine: Any, leaf_pointer: Any, time: Any, store: Any,
                                para_ref: Any, flags: int, reserved: Any,
                                chain_ref: Any) -> int:
        assert reserved is None  # "pvReserved: must be NULL"
        para = para_ref._obj
        usage = para.RequestedUsage
        oids = [usage.Usage.rgpszUsageIdentifier[i]
                for i in range(usage.Usage.cUsageIdentifier)]
        leaf_der = self._leaf_of(leaf_pointer)
        extra = list(self.stores.get(store, [])) if store else []
        self.chain_calls.append(ChainCall(engine, time is not None, int(para.cbSize),
                                          int(usage.dwType), oids,
                                          int(para.dwUrlRetrievalTimeout), flags, leaf_der,
                                          extra))
        if self._failing("CertGetCertificateChain"):
            return 0
        status, certs = self._build(x509.load_der_x509_certificate(leaf_der), extra, oids,
                                    flags)
        chain = sc.CERT_CHAIN_CONTEXT()
        chain.cbSize = ctypes.sizeof(sc.CERT_CHAIN_CONTEXT)
        chain.TrustStatus.dwErrorStatus = status
        chain.cChain = 1
        self.chains[ctypes.addressof(chain)] = (chain, certs)
        # "ppChainContext [out]: the address of a pointer to the chain context created".
        chain_ref._obj.contents = chain
        return 1

    def _build(self, leaf: x509.Certificate, extra: list[bytes], oids: list[bytes],
               flags: int) -> tuple[int, list[x509.Certificate]]:
        """The chain and its dwErrorStatus, as "CertGetCertificateChain function" and
        "CERT_TRUST_STATUS structure" describe them: issuers from the additional store,
        the engine's stores, AIA downloads, and root auto-update."""
        pool = [x509.load_der_x509_certificate(d) for d in extra]
        pool += self.roots + self.aia + self.auto_update
        chain = [leaf]
        status = 0
        while True:
            current = chain[-1]
            if current.issuer == current.subject and _issued_by(current, current):
                trusted = any(_der(current) == _der(r) for r in self.roots + self.auto_update)
                if not trusted:
                    status |= CERT_TRUST_IS_UNTRUSTED_ROOT
                break
            issuer = next((c for c in pool if c.subject == current.issuer
                           and c not in chain and _issued_by(current, c)), None)
            if issuer is None:
                status |= CERT_TRUST_IS_PARTIAL_CHAIN
                break
            chain.append(issuer)
        for cert in chain:
            if not cert.not_valid_before_utc <= self.now <= cert.not_valid_after_utc:
                status |= CERT_TRUST_IS_NOT_TIME_VALID
        if oids:
            try:
                ekus = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
                allowed = {e.dotted_string.encode() for e in ekus}
                if not set(oids) <= allowed:
                    status |= CERT_TRUST_IS_NOT_VALID_FOR_USAGE
            except x509.ExtensionNotFound:
                pass  # no EKU: good for every usage
        checking = flags & (sc.CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT | 0x30000000)
        if checking:
            # Revocation is checked on the certificates below the root (EXCLUDE_ROOT).
            checked = chain[:-1] if len(chain) > 1 else chain
            if self.revocation_offline:
                status |= CERT_TRUST_REVOCATION_STATUS_UNKNOWN | (
                    CERT_TRUST_IS_OFFLINE_REVOCATION)
            elif any(c.serial_number in self.revoked for c in checked):
                status |= CERT_TRUST_IS_REVOKED
        return status, chain

    def CertFreeCertificateChain(self, pointer: Any) -> None:
        address = ctypes.addressof(pointer.contents)
        assert address in self.chains
        self.freed_chains.append(address)

    def CertVerifyCertificateChainPolicy(self, oid: Any, chain_pointer: Any, para_ref: Any,
                                         status_ref: Any) -> int:
        address = ctypes.addressof(chain_pointer.contents)
        assert address in self.chains and address not in self.freed_chains
        para = para_ref._obj
        extra = ctypes.cast(para.pvExtraPolicyPara,
                            ctypes.POINTER(sc.SSL_EXTRA_CERT_CHAIN_POLICY_PARA)).contents
        status = status_ref._obj
        name = extra.pwszServerName
        self.policy_calls.append(PolicyCall(
            oid.value if hasattr(oid, "value") else oid, int(para.cbSize), int(para.dwFlags),
            int(extra.cbSize), int(extra.dwAuthType), int(extra.fdwChecks), name,
            int(status.cbSize)))
        if self._failing("CertVerifyCertificateChainPolicy"):
            return 0
        if (int(para.cbSize) < ctypes.sizeof(sc.CERT_CHAIN_POLICY_PARA)
                or int(status.cbSize) < ctypes.sizeof(sc.CERT_CHAIN_POLICY_STATUS)):
            self.last_error = E_INVALIDARG
            return 0
        chain, certs = self.chains[address]
        bits = int(chain.TrustStatus.dwErrorStatus)
        ignore_unknown = int(para.dwFlags) & sc.CERT_CHAIN_POLICY_IGNORE_ALL_REV_UNKNOWN_FLAGS
        # The dwError values are winerror.h's. When several apply, which one Windows
        # reports is not documented; the order is Wine's crypt32 verify_ssl_policy
        # (signature, untrusted root, time; the name only when all else is fine), with the
        # partial-chain, revocation and usage errors Windows also reports put where a
        # chain error belongs — a model, said as such.
        error = 0
        for bit, code in ((CERT_TRUST_IS_NOT_SIGNATURE_VALID, sc.TRUST_E_CERT_SIGNATURE),
                          (CERT_TRUST_IS_UNTRUSTED_ROOT, sc.CERT_E_UNTRUSTEDROOT),
                          (CERT_TRUST_IS_PARTIAL_CHAIN, sc.CERT_E_CHAINING),
                          (CERT_TRUST_IS_REVOKED, sc.CRYPT_E_REVOKED),
                          (CERT_TRUST_IS_NOT_TIME_VALID, sc.CERT_E_EXPIRED),
                          (CERT_TRUST_IS_NOT_VALID_FOR_USAGE, sc.CERT_E_WRONG_USAGE)):
            if bits & bit:
                error = code
                break
        if not error and bits & CERT_TRUST_REVOCATION_STATUS_UNKNOWN and not ignore_unknown:
            # "CERT_CHAIN_POLICY_PARA structure": without the IGNORE_*_REV_UNKNOWN flags,
            # unknown revocation is an error (offline: CRYPT_E_REVOCATION_OFFLINE).
            error = (sc.CRYPT_E_REVOCATION_OFFLINE if bits & CERT_TRUST_IS_OFFLINE_REVOCATION
                     else sc.CRYPT_E_NO_REVOCATION_CHECK)
        # "SSL_EXTRA_CERT_CHAIN_POLICY_PARA structure": the server name is checked for
        # AUTHTYPE_SERVER (fdwChecks SECURITY_FLAG_IGNORE_CERT_CN_INVALID = 0x1000 skips it).
        if (not error and extra.cbSize >= ctypes.sizeof(sc.SSL_EXTRA_CERT_CHAIN_POLICY_PARA)
                and extra.dwAuthType == sc.AUTHTYPE_SERVER and name
                and not extra.fdwChecks & 0x1000 and not _names_match(certs[0], name)):
            error = sc.CERT_E_CN_NO_MATCH
        status.dwError = error
        status.lChainIndex = 0 if error else -1
        status.lElementIndex = 0 if error == sc.CERT_E_CN_NO_MATCH else -1
        return 1




def ders(certs: Sequence[x509.Certificate]) -> list[bytes]:
    return [_der(c) for c in certs]
