"""The sign-in test's outcome in words: one sentence saying what happened, one fix.

`diagnose` turns the facts a probe gathered (`ProbeFacts`: plain values, no sockets) into
a `Diagnosis`. The order of the checks is the order in which a connection fails: name
lookup, connection, the server's own certificate, then what the server did with ours. The
sentences name things the way a help desk would ("your USA at ERCOT"), and every failing
outcome carries a fix a person can act on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: Alerts that mean "I do not accept this certificate" (not registered, unknown issuer).
_REJECTING = ("unknown_ca", "bad_certificate", "certificate_unknown",
              "unsupported_certificate", "access_denied")
#: Alerts that mean "no (usable) certificate came".
_NO_CERTIFICATE = ("handshake_failure", "certificate_required")


@dataclass(frozen=True)
class Diagnosis:
    """`outcome` is a stable code for scripts and the GUI's row; `ok` decides exit 0."""

    outcome: str
    ok: bool
    sentence: str
    fix: str


@dataclass(frozen=True)
class ProbeFacts:
    """What one probe saw, as plain values."""

    host: str
    port: int = 443
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    dns_ok: bool = True
    dns_error: str | None = None
    #: Why the lookup failed: "no-such-name" (the DNS answered: no such name) or
    #: "no-answer" (no DNS server answered: no network); None when not known.
    dns_kind: str | None = None
    tcp_ok: bool | None = True
    tcp_error: str | None = None
    timed_out: str | None = None  # the step that ran out of time: dns | tcp | tls | http
    timeout: float | None = None
    closed_by_server: bool = False  # closed during the handshake without an alert
    server_trusted: bool | None = True
    server_reason: str | None = None
    server_issuer: str | None = None  # who issued the top of the chain the server sent
    asked_for_certificate: bool | None = None
    acceptable_cas: tuple[str, ...] | None = None  # readable CA names (empty: any CA)
    identity_name: str | None = None  # None: no certificate was sent
    identity_issuer: str | None = None
    identity_not_before: dt.datetime | None = None
    identity_not_after: dt.datetime | None = None
    chains_to_acceptable: bool | None = None
    #: No identity was named and none of the installed ones fits the server's CA list.
    none_installed_fit: bool = False
    handshake_completed: bool = False
    alert: str | None = None
    http_status: int | None = None
    error: str | None = None  # anything else that ended the test (a sentence)
    operator: str | None = None  # the endpoint's or the certificate's operator
    private_wan: bool = False  # the address resolves only on the operator's private WAN
    public_url: str | None = None  # the internet name of a private-WAN address (or back)
    identity_environment: str | None = None  # production | test, from the catalog
    endpoint_environment: str | None = None
    better_url: str | None = None  # the operator's address for the certificate's environment


def administrator(operator: str | None) -> str:
    """Who registers and revokes certificates for this operator."""
    if operator and operator.upper() == "ERCOT":
        return "your company's USA (User Security Administrator) at ERCOT"
    if operator and operator.upper() == "CAISO":
        return "your company's UAA (User Access Administrator) at CAISO"
    if operator:
        return f"your company's certificate administrator at {operator}"
    return "your company's certificate administrator (ERCOT: your USA; CAISO: your UAA)"


def _list(names: tuple[str, ...], limit: int = 3) -> str:
    shown = [f"'{n}'" for n in names[:limit]]
    more = len(names) - limit
    text = ", ".join(shown)
    return text + (f" and {more} more" if more > 0 else "")


def _day(moment: dt.datetime) -> str:
    return moment.date().isoformat()


def _where(f: ProbeFacts) -> str:
    """'host', or 'host:port' when the port is not 443 (an IPv6 address in brackets, so
    that '[::1]:8443' does not read as one address)."""
    host = f"[{f.host}]" if ":" in f.host else f.host
    return f"{host}:{f.port}" if f.port != 443 else f.host


def _network(f: ProbeFacts) -> Diagnosis | None:
    where = _where(f)
    if not f.dns_ok:
        if f.private_wan:
            return Diagnosis(
                "dns-failed", False,
                f"The name {f.host} could not be found: it is on {f.operator or 'the operator'}'s "
                "private WAN, which only computers on your company's WAN link to "
                f"{f.operator or 'the operator'} can reach.",
                "Run the test from a computer on that private network"
                + (f", or use the internet address {f.public_url}" if f.public_url else "")
                + ".")
        wan = (f"; if your company reaches {f.operator or 'the operator'} over its private "
               f"WAN, use {f.public_url} instead" if f.public_url else "")
        if f.dns_kind == "no-answer" and f.timed_out != "dns":
            return Diagnosis(
                "dns-failed", False,
                f"The name {f.host} could not be found: no DNS server answered, so this "
                "computer seems to have no network connection.",
                "Check that this computer is online (open any web site in a browser), then "
                f"test again{wan}.")
        if f.dns_kind == "no-such-name" and f.timed_out != "dns":
            return Diagnosis(
                "dns-failed", False,
                f"The name {f.host} could not be found: the DNS says there is no such name, "
                "so the address is wrong, or only a private network knows it.",
                "Check the address against your operator's documentation, or give a catalog "
                f"endpoint's id instead of the address{wan}.")
        why = "the lookup took too long" if f.timed_out == "dns" else (f.dns_error or "")
        return Diagnosis(
            "dns-failed", False,
            f"The name {f.host} could not be found" + (f" ({why})" if why else "")
            + ": this computer has no network connection, or the address is wrong.",
            "Check that this computer is online and that the address is spelled right"
            + wan + ".")
    if f.tcp_ok is False:
        if f.timed_out == "tcp":
            return Diagnosis(
                "tcp-timeout", False,
                f"{where} did not answer the connection within {f.timeout or 0:g} seconds: a "
                "firewall is dropping it, or the server is down.",
                f"Ask your IT department whether this computer may reach {where}, "
                "then try again; try later if the operator announced maintenance.")
        return Diagnosis(
            "tcp-failed", False,
            f"The connection to {where} failed ({f.tcp_error or 'refused'}): nothing accepts "
            "connections there from this computer.",
            f"Check the address and port; ask your IT department whether a firewall blocks "
            f"{where}.")
    if f.timed_out in ("tls", "http"):
        step = "the secure handshake" if f.timed_out == "tls" else "the request"
        return Diagnosis(
            "timeout", False,
            f"{where} accepted the connection but did not answer {step} within "
            f"{f.timeout or 0:g} seconds.",
            "Try again with a longer --timeout; if it keeps hanging, a proxy or firewall "
            "is holding the connection: ask your IT department.")
    return None


def _server(f: ProbeFacts) -> Diagnosis | None:
    if f.server_trusted is not False:
        return None
    reason = (f.server_reason or "").lower()
    # The OS verifiers' reasons (app/stores/_serverchain_*) come first: "could not check
    # whether it was revoked" must not read as "revoked".
    if "could not check" in reason:
        return Diagnosis(
            "server-untrusted", False,
            f"This computer could not check the certificate that {f.host} showed "
            f"({f.server_reason}), so your certificate was not sent.",
            "Try again; if it keeps failing, send the details (Copy for support) to your "
            "IT department.")
    if "another certificate on the second connection" in reason:
        return Diagnosis(
            "server-untrusted", False,
            f"{f.host} showed one certificate and then, on the sign-in connection, another "
            "one that this computer had not checked, so your certificate was not sent.",
            "Try again; if it happens again, a proxy on your network may be answering in the "
            "server's place: ask your IT department.")
    if "revoked" in reason:
        return Diagnosis(
            "server-untrusted", False,
            f"The server's own certificate for {f.host} has been revoked by its issuer, so "
            "the connection cannot be trusted; your certificate was not sent.",
            f"Tell {f.operator or 'the operator'}: their server certificate was revoked and "
            "must be replaced. Do not sign in there until it is.")
    if "chain is incomplete" in reason:
        return Diagnosis(
            "server-untrusted", False,
            f"{f.host} did not send its whole certificate chain, and this computer could not "
            "download the missing intermediate certificate; your certificate was not sent.",
            "If other computers reach this address, this one is kept from downloading "
            "certificates (a proxy or firewall): ask your IT department; otherwise tell "
            f"{f.operator or 'the operator'} that their server leaves out its intermediate "
            "certificate.")
    if "hostname mismatch" in reason or "ip address mismatch" in reason:
        return Diagnosis(
            "server-untrusted", False,
            f"The server that answered for {f.host} showed a certificate made out to another "
            "name, so this computer cannot be sure it is the real server; your certificate "
            "was not sent.",
            "Check the address; if it is right, a proxy on your network is answering in the "
            "server's place: ask your IT department.")
    if "expired" in reason:
        return Diagnosis(
            "server-untrusted", False,
            f"The server's own certificate for {f.host} has expired, so the connection "
            "cannot be trusted; your certificate was not sent.",
            f"Tell {f.operator or 'the operator'}: their server certificate needs renewing. "
            "Try again later.")
    issuer = f.server_issuer or "an unknown issuer"
    return Diagnosis(
        "server-untrusted", False,
        f"The certificate that {f.host} showed was issued by '{issuer}', which this computer "
        f"does not trust: a proxy or security program on your network ('{issuer}') is "
        "probably intercepting encrypted connections, so your certificate was not sent.",
        f"Ask your IT department to exempt {f.host} from TLS inspection (a client "
        f"certificate cannot pass through an intercepting proxy); if '{issuer}' is your "
        "company's own CA, its root must be installed on this computer.")


def _validity(f: ProbeFacts) -> Diagnosis | None:
    if f.identity_name is None:
        return None
    if f.identity_not_after is not None and f.identity_not_after < f.now:
        return Diagnosis(
            "certificate-expired", False,
            f"Your certificate '{f.identity_name}' expired on {_day(f.identity_not_after)}, "
            "so the server cannot accept it.",
            f"Renew it (ERCOT: in MPIM; CAISO: through your UAA), install the new .pfx, and "
            f"test again; {administrator(f.operator)} can help.")
    if f.identity_not_before is not None and f.identity_not_before > f.now:
        return Diagnosis(
            "certificate-not-yet-valid", False,
            f"Your certificate '{f.identity_name}' is valid only from "
            f"{_day(f.identity_not_before)}, so the server does not accept it yet.",
            "Wait until that day, or check that this computer's date and time are right.")
    return None


def _wrong_ca(f: ProbeFacts) -> Diagnosis:
    accepted = _list(f.acceptable_cas or ())
    if f.identity_name is None:
        return Diagnosis(
            "wrong-ca", False,
            f"{f.host} accepts only certificates issued under {accepted}, and none of the "
            "certificates installed here was issued under them.",
            "Install the certificate your operator issued for this environment (check "
            "production against test), or test the address of your certificate's "
            "environment.")
    environments = ""
    if (f.identity_environment and f.endpoint_environment
            and f.identity_environment != f.endpoint_environment):
        environments = (f" — it is a {f.identity_environment} certificate and this is the "
                        f"{f.endpoint_environment} address")
    sentence = (f"{f.host} accepts only certificates issued under {accepted}; yours "
                f"('{f.identity_name}') was issued under '{f.identity_issuer or '?'}'"
                f"{environments}.")
    fix = "Use the certificate issued for this environment"
    if f.better_url:
        fix += f", or test your certificate against {f.better_url}"
    return Diagnosis("wrong-ca", False, sentence,
                     fix + f"; {administrator(f.operator)} can tell you which one you need.")


def _refused(f: ProbeFacts) -> Diagnosis | None:
    alert = f.alert
    name = f"'{f.identity_name}'" if f.identity_name else "the certificate"
    if alert == "certificate_expired":
        return Diagnosis(
            "certificate-expired", False,
            f"{f.host} refused your certificate {name} as expired (certificate_expired).",
            f"Check this computer's date; renew the certificate and install the new one; "
            f"{administrator(f.operator)} can help.")
    if alert == "certificate_revoked":
        return Diagnosis(
            "revoked", False,
            f"{f.host} refused your certificate {name}: it has been revoked "
            "(certificate_revoked).",
            f"Ask {administrator(f.operator)} for a new certificate; a revoked one cannot "
            "be used again.")
    if alert in _REJECTING and f.identity_name is not None:
        return Diagnosis(
            "rejected", False,
            f"{f.host} refused your certificate {name} ({alert}): it is not registered with "
            f"{f.operator or 'the operator'} for this system yet, or it was revoked.",
            f"Ask {administrator(f.operator)} to check that this certificate is registered "
            "and active for this environment.")
    if f.identity_name is None and (alert in _NO_CERTIFICATE or f.asked_for_certificate):
        if f.none_installed_fit and f.acceptable_cas:
            return _wrong_ca(f)
        return Diagnosis(
            "no-certificate", False,
            f"{f.host} asks for a certificate, and none was sent"
            + (f" ({alert})" if alert else "") + ".",
            "Install your certificate (.pfx) and test again, or name it with --identity.")
    if alert in _NO_CERTIFICATE:
        return Diagnosis(
            "handshake-failure", False,
            f"{f.host} ended the handshake ({alert}) after your certificate {name} was "
            "offered: it found nothing it accepts in it (its key type, signature or "
            "protocol).",
            f"Send the details to {administrator(f.operator)} or your operator's help desk; "
            "they show what the server expected.")
    if alert is not None:
        return Diagnosis(
            "alert", False,
            f"{f.host} ended the connection with the TLS alert '{alert}'.",
            "Send the details to your operator's help desk; the alert names the problem.")
    return None


def diagnose(f: ProbeFacts) -> Diagnosis:
    """The one sentence and fix for what the probe saw."""
    for step in (_network, _server):
        found = step(f)
        if found is not None:
            return found
    where = _where(f)
    if f.closed_by_server and not f.handshake_completed and f.alert is None:
        return Diagnosis(
            "closed", False,
            f"{where} closed the connection during the handshake without saying why: a "
            "firewall or TLS-inspecting proxy is in the way, or the server takes "
            "connections only from registered networks.",
            "Try from another network, or ask your IT department whether a proxy handles "
            f"{f.host}; {administrator(f.operator)} can confirm which networks are allowed.")
    accepted = (f.identity_name is not None and f.handshake_completed and f.alert is None
                and f.asked_for_certificate is not False)
    if accepted:
        status = (f" (HTTP {f.http_status})" if f.http_status is not None
                  else " (the HTTP request that followed got no answer)")
        extra = ""
        if f.http_status in (401, 403):
            extra = ("; the application itself answered 'not allowed', so the certificate "
                     "may still lack a role there")
        return Diagnosis(
            "accepted", True,
            f"{f.host} accepted your certificate '{f.identity_name}'{status}{extra}.",
            "Nothing to fix." if not extra else
            f"Ask {administrator(f.operator)} to give this certificate the role it needs.")
    if f.handshake_completed and f.asked_for_certificate is False and f.alert is None:
        status = f" (HTTP {f.http_status})" if f.http_status is not None else ""
        return Diagnosis(
            "not-asked", False,
            f"{where} did not ask for a certificate{status}, so it does not test sign-in "
            "with one: it is probably not the operator's certificate-protected address.",
            "Use the address from your operator's documentation for certificate sign-in "
            "('gridcert probe' with one of the catalog's endpoints).")
    validity = _validity(f)
    if validity is not None:
        return validity
    if (f.asked_for_certificate and f.acceptable_cas
            and ((f.identity_name is not None and f.chains_to_acceptable is False)
                 or (f.identity_name is None and f.none_installed_fit))):
        return _wrong_ca(f)
    refused = _refused(f)
    if refused is not None:
        return refused
    if f.closed_by_server and f.identity_name is not None:
        return Diagnosis(
            "closed", False,
            f"{where} closed the connection after your certificate was offered, without "
            "saying why: the server does not accept it.",
            f"Ask {administrator(f.operator)} to check that this certificate is registered "
            "and active for this environment.")
    return Diagnosis(
        "failed", False,
        f"The sign-in test with {where} did not complete: {f.error or 'no reason given'}.",
        "Try again; if it keeps failing, send the details to your operator's help desk.")
