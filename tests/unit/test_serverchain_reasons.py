"""The OS verifiers' reasons (Windows' policy errors, macOS' OSStatus codes) read as the
right sentence, and `_serverchain_macos`'s own code — against a fake of the Security and
CoreFoundation functions it binds — creates, evaluates and releases as Apple documents.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import itertools
from typing import Any

import pytest

from app.core.diagnosis import ProbeFacts, diagnose
from app.stores import _serverchain_macos as mac
from app.stores import _serverchain_win32 as win

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def _sentence(reason: str | None) -> tuple[str, str]:
    result = diagnose(ProbeFacts(host="misapi.ercot.com", now=NOW, operator="ERCOT",
                                 server_trusted=False, server_reason=reason,
                                 server_issuer="Contoso TLS Inspection CA"))
    assert result.outcome == "server-untrusted"
    return result.sentence, result.fix


@pytest.mark.parametrize(("reason", "in_sentence"), [
    (win.REASONS[win.CERT_E_UNTRUSTEDROOT], "'Contoso TLS Inspection CA', which this computer"),
    (mac.REASONS[mac.ERR_SEC_NOT_TRUSTED], "'Contoso TLS Inspection CA', which this computer"),
    (win.REASONS[win.CERT_E_EXPIRED], "has expired"),
    (mac.REASONS[mac.ERR_SEC_CERTIFICATE_EXPIRED], "has expired"),
    (win.REASONS[win.CERT_E_CN_NO_MATCH], "made out to another name"),
    (mac.REASONS[mac.ERR_SEC_HOST_NAME_MISMATCH], "made out to another name"),
    (win.REASONS[win.CRYPT_E_REVOKED], "has been revoked by its issuer"),
    (mac.REASONS[mac.ERR_SEC_CERTIFICATE_REVOKED], "has been revoked by its issuer"),
    (win.REASONS[win.CERT_E_CHAINING], "did not send its whole certificate chain"),
    (mac.REASONS[mac.ERR_SEC_CREATE_CHAIN_FAILED], "did not send its whole certificate chain"),
    (win.REASONS[win.CRYPT_E_REVOCATION_OFFLINE], "could not check the certificate"),
    ("Windows could not check it", "could not check the certificate"),
    ("it showed another certificate on the second connection than the one this computer "
     "checked", "on the sign-in connection, another"),
])
def test_each_os_reason_gets_its_own_sentence(reason: str, in_sentence: str) -> None:
    sentence, fix = _sentence(reason)
    assert in_sentence in sentence
    assert "your certificate was not sent" in sentence
    assert fix


def test_a_revocation_that_could_not_be_checked_is_not_called_revoked() -> None:
    sentence, _fix = _sentence(win.REASONS[win.CERT_E_REVOCATION_FAILURE])
    assert "has been revoked" not in sentence


# --- the macOS layer against a fake Security.framework -----------------------------------


class FakeSecurity:
    """Security and CoreFoundation as `_serverchain_macos` calls them. Objects are ints;
    `retained` counts what the caller owns (the Create/Copy rule, "CFRelease")."""

    def __init__(self, *, trusted: bool = True, code: int = 0, description: str = "",
                 bad_der: bool = False, create_status: int = 0) -> None:
        self.trusted, self.code, self.description = trusted, code, description
        self.bad_der, self.create_status = bad_der, create_status
        self._ids = itertools.count(0x100)
        self.retained: dict[int, str] = {}
        self.released: list[int] = []
        self.arrays: dict[int, list[int]] = {}
        self.policy_args: list[tuple[bool, str]] = []
        self.strings: dict[int, str] = {}
        self.fetch_allowed: list[bool] = []
        self.trust_inputs: list[tuple[list[int], int]] = []

    def _new(self, kind: str) -> int:
        handle = next(self._ids)
        self.retained[handle] = kind
        return handle

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeSecurity:
        for _lib, name, _args, _res in mac._prototypes():
            monkeypatch.setitem(mac._BOUND, name, getattr(self, name))
        monkeypatch.setitem(mac._CF, "kCFTypeArrayCallBacks", ctypes.c_void_p(0))
        return self

    def leaks(self) -> list[str]:
        return [kind for handle, kind in self.retained.items() if handle not in self.released]

    # CoreFoundation
    def CFDataCreate(self, _alloc: Any, data: bytes, length: int) -> int:
        assert len(data) == length
        return self._new("CFData")

    def CFArrayCreateMutable(self, _alloc: Any, _capacity: int, _callbacks: Any) -> int:
        handle = self._new("CFArray")
        self.arrays[handle] = []
        return handle

    def CFArrayAppendValue(self, array: int, value: int) -> None:
        self.arrays[array].append(value)

    def CFStringCreateWithCString(self, _alloc: Any, text: bytes, encoding: int) -> int:
        assert encoding == mac.K_CF_STRING_ENCODING_UTF8
        handle = self._new("CFString")
        self.strings[handle] = text.decode()
        return handle

    def CFStringGetCString(self, string: int, buffer: Any, size: int, _enc: int) -> bool:
        data = self.strings[string].encode()[: size - 1]
        ctypes.memmove(buffer, data, len(data))
        return True

    def CFErrorGetCode(self, _error: int) -> int:
        return self.code

    def CFErrorCopyDescription(self, _error: int) -> int:
        handle = self._new("CFString")
        self.strings[handle] = self.description
        return handle

    def CFRelease(self, handle: int) -> None:
        assert handle in self.retained and handle not in self.released, "bad CFRelease"
        self.released.append(handle)

    # Security
    def SecCertificateCreateWithData(self, _alloc: Any, _data: int) -> int | None:
        # "SecCertificateCreateWithData": NULL when the data is not a valid DER certificate.
        return None if self.bad_der else self._new("SecCertificate")

    def SecPolicyCreateSSL(self, server: bool, name: int) -> int:
        self.policy_args.append((server, self.strings[name]))
        return self._new("SecPolicy")

    def SecTrustCreateWithCertificates(self, certificates: int, policy: int,
                                       trust_ref: Any) -> int:
        self.trust_inputs.append((list(self.arrays[certificates]), policy))
        if self.create_status:
            return self.create_status
        trust_ref._obj.value = self._new("SecTrust")
        return 0

    def SecTrustSetNetworkFetchAllowed(self, _trust: int, allowed: bool) -> int:
        self.fetch_allowed.append(allowed)
        return 0

    def SecTrustEvaluateWithError(self, _trust: int, error_ref: Any) -> bool:
        # "SecTrustEvaluateWithError": on failure a CFError the caller must release.
        if not self.trusted:
            error_ref._obj.value = self._new("CFError")
        return self.trusted


def test_macos_trusted_chain_and_what_was_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSecurity().install(monkeypatch)
    verdict = mac.verify_server_chain([b"leaf", b"intermediate"], "bücher.example", 5)
    assert verdict.trusted and verdict.reason is None
    assert fake.policy_args == [(True, "xn--bcher-kva.example")]
    [(certificates, _policy)] = fake.trust_inputs
    assert len(certificates) == 2  # the leaf first, then what the server sent
    assert fake.fetch_allowed == [True]
    assert fake.leaks() == []


def test_macos_untrusted_reason_from_the_cferror(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSecurity(trusted=False, code=mac.ERR_SEC_NOT_TRUSTED,
                        description="“127.0.0.1” certificate is not trusted").install(
                            monkeypatch)
    verdict = mac.verify_server_chain([b"leaf"], "127.0.0.1", 5)
    assert (verdict.trusted, verdict.reason) == (
        False, "its root certificate is not trusted by this computer")
    assert verdict.detail == ("SecTrustEvaluateWithError: OSStatus -67843: “127.0.0.1” "
                              "certificate is not trusted")
    assert fake.leaks() == []  # the CFError and its description too


@pytest.mark.parametrize("failure", [{"bad_der": True}, {"create_status": -50}])
def test_macos_releases_everything_when_a_call_fails(monkeypatch: pytest.MonkeyPatch,
                                                     failure: dict[str, Any]) -> None:
    fake = FakeSecurity(**failure).install(monkeypatch)
    with pytest.raises(mac.SecurityApiError):
        mac.verify_server_chain([b"leaf", b"intermediate"], "example.com", 5)
    assert fake.leaks() == []


def test_an_unknown_macos_code_keeps_its_number() -> None:
    assert mac.verdict(-99999, "").reason == "macOS does not trust it (OSStatus -99999)"
