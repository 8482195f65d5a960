"""Each outcome of the sign-in test gets its own sentence and fix (app/core/diagnosis.py),
in the order a connection fails."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.diagnosis import ProbeFacts, administrator, diagnose

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
VALID = {"identity_name": "Jane Smith", "identity_issuer": "ERCOT CA",
         "identity_not_before": NOW - dt.timedelta(days=10),
         "identity_not_after": NOW + dt.timedelta(days=300)}


def facts(**changes: object) -> ProbeFacts:
    base: dict[str, object] = {"host": "misapi.ercot.com", "now": NOW, "operator": "ERCOT",
                               "asked_for_certificate": True, "acceptable_cas": ("ERCOT CA",),
                               "chains_to_acceptable": True, **VALID}
    base.update(changes)
    return ProbeFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "outcome", "in_sentence", "in_fix"), [
    ({"handshake_completed": True, "http_status": 200}, "accepted", "(HTTP 200)",
     "Nothing to fix"),
    ({"handshake_completed": True, "http_status": 403}, "accepted", "role",
     "USA (User Security Administrator)"),
    ({"dns_ok": False, "dns_error": "the name does not resolve", "tcp_ok": None},
     "dns-failed", "could not be found", "online"),
    ({"host": "api.wan.ercot.com", "dns_ok": False, "private_wan": True,
      "public_url": "https://misapi.ercot.com/"}, "dns-failed", "private WAN",
     "https://misapi.ercot.com/"),
    ({"tcp_ok": False, "tcp_error": "connection refused"}, "tcp-failed", "refused",
     "firewall"),
    ({"tcp_ok": False, "timed_out": "tcp", "timeout": 5.0}, "tcp-timeout", "5 seconds",
     "IT department"),
    ({"timed_out": "tls", "timeout": 2.0}, "timeout", "did not answer", "--timeout"),
    ({"server_trusted": False, "server_reason": "unable to get local issuer certificate",
      "server_issuer": "Zscaler Root CA"}, "server-untrusted", "'Zscaler Root CA'",
     "TLS inspection"),
    ({"server_trusted": False, "server_reason": "Hostname mismatch, certificate is not valid"},
     "server-untrusted", "another name", "proxy"),
    ({"handshake_completed": True, "asked_for_certificate": False, "http_status": 200},
     "not-asked", "did not ask", "documentation"),
    ({"chains_to_acceptable": False, "identity_issuer": "ERCOT TEST CA",
      "identity_environment": "test", "endpoint_environment": "production",
      "better_url": "https://testmisapi.ercot.com/", "alert": "unknown_ca"},
     "wrong-ca", "test certificate and this is the production address",
     "https://testmisapi.ercot.com/"),
    ({"identity_not_after": NOW - dt.timedelta(days=1), "alert": "certificate_expired"},
     "certificate-expired", "expired on 2026-05-31", "MPIM"),
    ({"identity_not_before": NOW + dt.timedelta(days=2)}, "certificate-not-yet-valid",
     "2026-06-03", "date and time"),
    ({"alert": "certificate_expired"}, "certificate-expired", "certificate_expired", "date"),
    ({"alert": "certificate_revoked"}, "revoked", "revoked", "new certificate"),
    ({"alert": "unknown_ca"}, "rejected", "not registered", "USA"),
    ({"alert": "bad_certificate", "operator": "CAISO"}, "rejected", "CAISO", "UAA"),
    ({"alert": "handshake_failure"}, "handshake-failure", "ended the handshake", "details"),
    ({"identity_name": None, "alert": "certificate_required"}, "no-certificate",
     "none was sent", "--identity"),
    ({"identity_name": None, "none_installed_fit": True}, "wrong-ca",
     "none of the certificates installed here", "production against test"),
    ({"closed_by_server": True}, "closed", "without saying why", "proxy"),
    ({"alert": "decode_error"}, "alert", "'decode_error'", "help desk"),
])
def test_each_outcome_has_its_sentence_and_fix(changes: dict[str, object], outcome: str,
                                               in_sentence: str, in_fix: str) -> None:
    diagnosis = diagnose(facts(**changes))
    assert diagnosis.outcome == outcome, diagnosis
    assert in_sentence in diagnosis.sentence, diagnosis.sentence
    assert in_fix in diagnosis.fix, diagnosis.fix
    assert diagnosis.ok == (outcome == "accepted")
    assert diagnosis.sentence.endswith(".") and diagnosis.fix.endswith(".")


def test_a_network_failure_comes_before_anything_about_the_certificate() -> None:
    expired = {"identity_not_after": NOW - dt.timedelta(days=1)}
    assert diagnose(facts(dns_ok=False, **expired)).outcome == "dns-failed"
    assert diagnose(facts(server_trusted=False, **expired)).outcome == "server-untrusted"


def test_who_to_ask_depends_on_the_operator() -> None:
    assert "USA" in administrator("ERCOT") and "UAA" in administrator("caiso")
    assert "ISO-NE" in administrator("ISO-NE")
    assert "USA" in administrator(None) and "UAA" in administrator(None)
