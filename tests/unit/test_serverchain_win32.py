"""`app.stores._serverchain_win32` — Windows' verdict on a server chain — run on Linux
against the documented fake of crypt32's chain functions (tests/fakes/win32_chain.py):
the structures filled, the flags, the dwError → reason mapping, and that the store and
both contexts are freed, also when a call fails. The real crypt32: tests/os.
"""

from __future__ import annotations

import ctypes
import datetime as dt
from typing import Any

import pytest

from app.stores import _serverchain, _serverchain_win32
from app.stores import _serverchain_win32 as sc
from app.stores._win32 import WinApiError
from tests.fakes.win32_chain import FakeChainDlls, ders
from tests.pki import NOW, make_intermediate, make_leaf, make_root, pooled_key

HOST = "api.example.test"


@pytest.fixture(scope="module")
def pki() -> dict[str, Any]:
    root = make_root("Public Root CA", org="Public", key=pooled_key("rsa2048", 12))
    issuing = make_intermediate(root, "Public Issuing CA", org="Public",
                                key=pooled_key("rsa2048", 13))
    leaf = make_leaf(issuing, HOST, client_auth=False, server_auth=True, san_dns=[HOST],
                     key=pooled_key("rsa2048", 14))
    expired = make_leaf(issuing, HOST, client_auth=False, server_auth=True, san_dns=[HOST],
                        not_before=NOW - dt.timedelta(days=400),
                        not_after=NOW - dt.timedelta(days=2), key=pooled_key("rsa2048", 14))
    client_only = make_leaf(issuing, HOST, client_auth=True, server_auth=False,
                            san_dns=[HOST], key=pooled_key("rsa2048", 14))
    proxy_root = make_root("Contoso TLS Inspection CA", org="Contoso",
                           key=pooled_key("rsa2048", 15))
    proxied = make_leaf(proxy_root, HOST, client_auth=False, server_auth=True,
                        san_dns=[HOST], key=pooled_key("rsa2048", 14))
    return {"root": root, "issuing": issuing, "leaf": leaf, "expired": expired,
            "client_only": client_only, "proxy_root": proxy_root, "proxied": proxied}


def _chain(*issued: Any) -> list[bytes]:
    return [i.der for i in issued]


def _fake(monkeypatch: pytest.MonkeyPatch, pki: dict[str, Any], **settings: Any
          ) -> FakeChainDlls:
    settings.setdefault("roots", [pki["root"].cert])
    return FakeChainDlls(**settings).install(monkeypatch)


def test_a_good_chain_is_trusted_and_the_call_is_made_as_documented(
        monkeypatch: pytest.MonkeyPatch, pki: dict[str, Any]) -> None:
    fake = _fake(monkeypatch, pki)
    verdict = sc.verify_server_chain(_chain(pki["leaf"], pki["issuing"]), HOST, 7.5)
    assert verdict == _serverchain.ChainVerdict(True, None, None)
    [chain_call] = fake.chain_calls
    assert chain_call.engine is None and not chain_call.has_time  # default engine, now
    assert chain_call.cb_size == ctypes.sizeof(sc.CERT_CHAIN_PARA)
    assert chain_call.usage_type == sc.USAGE_MATCH_TYPE_AND
    assert chain_call.usages == [b"1.3.6.1.5.5.7.3.1"]  # szOID_PKIX_KP_SERVER_AUTH
    assert chain_call.flags == (sc.CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT
                                | sc.CERT_CHAIN_REVOCATION_ACCUMULATIVE_TIMEOUT)
    assert chain_call.url_timeout == 7500
    assert chain_call.leaf == pki["leaf"].der
    assert chain_call.extra == [pki["issuing"].der]  # what the server sent after its leaf
    [policy] = fake.policy_calls
    assert policy.oid == sc.CERT_CHAIN_POLICY_SSL
    assert policy.cb_size == ctypes.sizeof(sc.CERT_CHAIN_POLICY_PARA)
    assert policy.flags == sc.CERT_CHAIN_POLICY_IGNORE_ALL_REV_UNKNOWN_FLAGS
    assert policy.extra_cb_size == ctypes.sizeof(sc.SSL_EXTRA_CERT_CHAIN_POLICY_PARA)
    assert (policy.auth_type, policy.checks, policy.server_name) == (
        sc.AUTHTYPE_SERVER, 0, HOST)
    assert policy.status_cb_size == ctypes.sizeof(sc.CERT_CHAIN_POLICY_STATUS)
    assert fake.leaks() == [] and fake.double_frees() == []


def test_a_root_windows_would_download_is_trusted(monkeypatch: pytest.MonkeyPatch,
                                                  pki: dict[str, Any]) -> None:
    # Not cached yet: OpenSSL over the ROOT store says "not trusted"; Windows fetches it.
    fake = _fake(monkeypatch, pki, roots=[], auto_update=[pki["root"].cert])
    assert sc.verify_server_chain(_chain(pki["leaf"], pki["issuing"]), HOST, 5).trusted
    assert fake.leaks() == []


def test_an_intermediate_the_server_left_out_is_fetched(monkeypatch: pytest.MonkeyPatch,
                                                        pki: dict[str, Any]) -> None:
    _fake(monkeypatch, pki, aia=[pki["issuing"].cert])
    assert sc.verify_server_chain(_chain(pki["leaf"]), HOST, 5).trusted


def test_a_missing_intermediate_that_cannot_be_fetched_is_an_incomplete_chain(
        monkeypatch: pytest.MonkeyPatch, pki: dict[str, Any]) -> None:
    _fake(monkeypatch, pki)
    verdict = sc.verify_server_chain(_chain(pki["leaf"]), HOST, 5)
    assert not verdict.trusted
    assert verdict.reason is not None and "chain is incomplete" in verdict.reason
    assert verdict.detail is not None and "0x800B010A" in verdict.detail


@pytest.mark.parametrize(("case", "host", "expected", "code"), [
    ("proxied", HOST, "its root certificate is not trusted by this computer", "0x800B0109"),
    ("expired", HOST, "certificate has expired (or is not valid yet)", "0x800B0101"),
    ("leaf", "other.example.test", "hostname mismatch: it is made out to another name",
     "0x800B010F"),
    ("client_only", HOST, "it is not a certificate for a web server (its key usage)",
     "0x800B0110"),
])
def test_each_policy_error_reads_as_a_plain_reason(
        monkeypatch: pytest.MonkeyPatch, pki: dict[str, Any], case: str, host: str,
        expected: str, code: str) -> None:
    fake = _fake(monkeypatch, pki)
    # The intercepting proxy sends its own CA after the leaf, as they do.
    sent = _chain(pki[case], pki["proxy_root"] if case == "proxied" else pki["issuing"])
    verdict = sc.verify_server_chain(sent, host, 5)
    assert (verdict.trusted, verdict.reason) == (False, expected)
    assert verdict.detail is not None and code in verdict.detail
    assert fake.leaks() == []


def test_a_revoked_certificate_is_its_own_reason(monkeypatch: pytest.MonkeyPatch,
                                                 pki: dict[str, Any]) -> None:
    _fake(monkeypatch, pki, revoked={pki["leaf"].cert.serial_number})
    verdict = sc.verify_server_chain(_chain(pki["leaf"], pki["issuing"]), HOST, 5)
    assert (verdict.trusted, verdict.reason) == (
        False, "certificate has been revoked by its issuer")
    assert verdict.detail is not None and "0x80092010" in verdict.detail  # CRYPT_E_REVOKED


def test_an_unreachable_revocation_server_does_not_fail_the_check(
        monkeypatch: pytest.MonkeyPatch, pki: dict[str, Any]) -> None:
    fake = _fake(monkeypatch, pki, revocation_offline=True)
    verdict = sc.verify_server_chain(_chain(pki["leaf"], pki["issuing"]), HOST, 5)
    assert verdict.trusted and verdict.reason is None
    assert verdict.detail is not None and "could not check revocation" in verdict.detail
    # Without the IGNORE_ALL_REV_UNKNOWN policy flags the same chain would fail: the flag
    # is what makes this soft-fail (the fake follows "CERT_CHAIN_POLICY_PARA structure").
    monkeypatch.setattr(sc, "POLICY_FLAGS", 0)
    strict = sc.verify_server_chain(_chain(pki["leaf"], pki["issuing"]), HOST, 5)
    assert not strict.trusted and strict.reason == (
        "Windows could not check whether it was revoked")
    assert fake.leaks() == []


def test_the_host_name_goes_to_windows_in_its_ascii_form() -> None:
    assert sc.server_name("bücher.example") == "xn--bcher-kva.example"
    assert sc.server_name("127.0.0.1") == "127.0.0.1"
    assert sc.server_name("::1") == "::1"


@pytest.mark.parametrize("failing", [
    "CertOpenStore", "CertAddEncodedCertificateToStore", "CertCreateCertificateContext",
    "CertGetCertificateChain", "CertVerifyCertificateChainPolicy"])
def test_everything_is_freed_when_a_call_fails(monkeypatch: pytest.MonkeyPatch,
                                               pki: dict[str, Any], failing: str) -> None:
    fake = _fake(monkeypatch, pki, fail={failing: 0x80070005})
    with pytest.raises(WinApiError) as raised:
        sc.verify_server_chain(_chain(pki["leaf"], pki["issuing"]), HOST, 5)
    assert raised.value.function == failing and raised.value.code == 0x80070005
    assert fake.leaks() == [] and fake.double_frees() == []


def test_bytes_that_are_no_certificate_fail_cleanly(monkeypatch: pytest.MonkeyPatch,
                                                    pki: dict[str, Any]) -> None:
    fake = _fake(monkeypatch, pki)
    with pytest.raises(WinApiError) as raised:
        sc.verify_server_chain([b"\x30\x03junk"], HOST, 5)
    assert raised.value.function == "CertCreateCertificateContext"
    assert fake.leaks() == []


def test_the_dispatcher_turns_a_failed_call_into_not_trusted(
        monkeypatch: pytest.MonkeyPatch, pki: dict[str, Any]) -> None:
    # A check that could not run must never read as "trusted" (the client certificate
    # would then go out).
    monkeypatch.setattr(_serverchain, "native_trust", lambda: "windows")
    _fake(monkeypatch, pki, fail={"CertGetCertificateChain": 0x80070005})
    verdict = _serverchain.verify_server_chain(ders([pki["leaf"].cert]), HOST, timeout=60)
    assert (verdict.trusted, verdict.reason) == (False, "Windows could not check it")
    assert verdict.detail is not None and "CertGetCertificateChain" in verdict.detail


def test_the_dispatcher_bounds_what_windows_may_fetch(monkeypatch: pytest.MonkeyPatch,
                                                      pki: dict[str, Any]) -> None:
    monkeypatch.setattr(_serverchain, "native_trust", lambda: "windows")
    fake = _fake(monkeypatch, pki)
    _serverchain.verify_server_chain(_chain(pki["leaf"], pki["issuing"]), HOST, timeout=600)
    _serverchain.verify_server_chain(_chain(pki["leaf"], pki["issuing"]), HOST, timeout=0.1)
    assert [c.url_timeout for c in fake.chain_calls] == [15000, 1000]
    assert _serverchain.verify_server_chain([], HOST).reason == "the server sent no certificate"


def test_an_unknown_policy_error_keeps_its_code() -> None:
    verdict = _serverchain_win32.verdict(0x800B0199, 0)
    assert verdict.reason == "Windows does not trust it (error 0x800B0199)"
