"""The sign-in test: a real mutual-TLS handshake with the person's certificate, and why not.

`probe(url, identity)` connects to the operator's address and reports, as data
(`ProbeResult`): the name lookup, the TCP connection, the server's certificate chain and
whether this computer trusts it, whether the server asked for a client certificate and
which CA names it listed, whether our certificate chains to one of them, whether the
handshake with our certificate completed, the HTTP status of a `HEAD` request, and the TLS
alert if it failed; `app.core.diagnosis` turns that into one sentence and one fix.

How the facts are read (Python's `ssl` hides some of them):
- Two connections. The first ("discovery") offers no certificate and is capped at TLS 1.2,
  so that everything the server sends before its ChangeCipherSpec is in clear: every byte
  received is recorded (the handshake runs over `ssl.MemoryBIO`s) and
  `app.core.tlswire` reads the whole server chain, the CertificateRequest's
  `certificate_authorities` and any alert from it. A pure-Python route on purpose: it
  works the same in the frozen Windows build, which ships no `openssl.exe`. TLS 1.3 would
  encrypt the CertificateRequest; a server that speaks only TLS 1.3 is still tested, but
  its CA list is reported as unknown (null).
- The second connection is the sign-in: our certificate, the highest TLS version both
  sides speak, then `HEAD` on the URL's path. Under TLS 1.3 a server refuses a client
  certificate after the client's handshake has ended, so the alert is read from the
  first read of the answer.
- The server's certificate is checked against the operating system's trust:
  * Windows and macOS: the OS itself judges the chain the discovery captured
    (`app.stores._serverchain`: crypt32's chain engine, which downloads a public root not
    cached yet and an intermediate the server left out; macOS' SecTrust — a frozen
    build's OpenSSL has no CA file there). Both handshakes then run without OpenSSL's
    own verdict, except that the sign-in is pinned: OpenSSL accepts on it only the very
    certificate the OS trusted (that leaf as the one trust anchor,
    VERIFY_X509_PARTIAL_CHAIN), before our certificate is sent.
  * Linux: OpenSSL in the handshake, against the system CA bundle (its default verify
    paths; `SSL_CERT_FILE` overrides them).
  `trust_file` replaces all of that with one PEM file, through OpenSSL on every OS (tests,
  or an administrator's own CA list). A server this computer does not trust never sees
  our certificate: the test stops there and says who issued the server's certificate (an
  intercepting proxy, usually).

The private key never touches a disk unencrypted: Python's `ssl` loads a client key only
from a file, so the key is written as an encrypted PKCS#8 PEM (a one-time random password)
into GridCert's private 0700 scratch folder (a tmpfs on Linux), loaded, and removed at once
(the folder again in `finally`). An installed identity is read out of its store in memory
with `export_identity` (as the export does), never as a file of its own.

For the GUI: every function here may run in a worker thread; `progress(step, sentence)` is
called before each step, and `cancel` (a `threading.Event`) stops between steps and also
while waiting for the name lookup or for the server's next bytes (a hung server is left at
once, not after its timeout).
"""

from __future__ import annotations

import contextlib
import math
import os
import secrets
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from app.__version__ import VERSION
from app.core.diagnosis import Diagnosis, ProbeFacts, diagnose
from app.core.endpoints import (
    Endpoint,
    by_url,
    catalog_endpoints,
    normalize_url,
    read_endpoint_file,
    twin,
)
from app.core.errors import (
    EXIT_OK,
    BadInputError,
    CancelledError,
    GridCertError,
)
from app.core.logsetup import log_quietly
from app.core.model import CertificateItem, certificate_json, iso_z, now_utc
from app.core.names import names_match, short_name
from app.core.paths import data_dir
from app.core.tlswire import alert_from_reason, name_from_der, parse_server_flight
from app.stores import _serverchain
from app.stores.base import TrustStore

#: `gridcert probe` exits with this when the sign-in test failed or was refused.
EXIT_PROBE_FAILED = 6
DEFAULT_TIMEOUT = 10.0
#: The longest a step may wait. No sign-in needs more, and an endless one ("inf", 1e12)
#: overflows the socket's timeout (OverflowError) instead of meaning "wait for ever".
MAX_TIMEOUT = 3600.0


def valid_timeout(seconds: float) -> bool:
    """More than 0 and at most MAX_TIMEOUT seconds (NaN and infinity are not)."""
    return math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT

Step = Literal["dns", "tcp", "server", "identity", "sign-in", "done"]
ProgressCallback = Callable[[str, str], None]
CheckStatus = Literal["ok", "warning", "error", "skipped"]


# --- identities --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProbeIdentity:
    """A personal certificate with its private key (in memory) and its CA chain."""

    leaf: CertificateItem
    chain: tuple[CertificateItem, ...] = ()
    source: str = ""  # a target id ("nss:/…", "windows-user") or a file path

    def __post_init__(self) -> None:
        if self.leaf.private_key is None:
            raise ValueError("a ProbeIdentity needs the leaf's private key")

    def names(self) -> list[x509.Name]:
        """Every CA name this certificate chains through (its issuer, and up the chain)."""
        found = [self.leaf.certificate.issuer]
        for item in self.chain:
            found += [item.certificate.subject, item.certificate.issuer]
        return found


@dataclass(frozen=True)
class InstalledIdentity:
    """A personal certificate found in a store (its key stays there until it is tried)."""

    item: CertificateItem
    store: TrustStore
    chain: tuple[CertificateItem, ...] = ()

    @property
    def sha256(self) -> str:
        return self.item.sha256

    def names(self) -> list[x509.Name]:
        found = [self.item.certificate.issuer]
        for ca in self.chain:
            found += [ca.certificate.subject, ca.certificate.issuer]
        return found


def identity_from_file(path: str | os.PathLike[str], password: str | None) -> ProbeIdentity:
    """The personal certificate and chain in a .pfx/.p12 (or PEM with its key)."""
    from app.core.chain import find_chain
    from app.core.reader import read_paths

    source = os.fspath(path)
    name = os.path.basename(source)
    if not os.path.exists(source):
        raise BadInputError(f"‘{source}’ does not exist (give a file or a SHA-256).")
    read = read_paths([source], (lambda _source: password) if password is not None else None)
    keyed = [i for i in read.items if i.private_key is not None and not i.is_ca]
    keyed = keyed or [i for i in read.items if i.private_key is not None]
    if not keyed:
        for problem in read.problems:
            raise problem.error  # a wrong password, a damaged file: the reader's sentence
        raise BadInputError(
            f"‘{name}’ holds no private key (a .cer or .crt has only the certificate), so it "
            "cannot sign in; test with the .pfx your certificate came in, or with the "
            "installed certificate: --identity SHA256 ('gridcert list' shows it as "
            "'personal (+key)').")
    if len({i.sha256 for i in keyed}) > 1:
        raise BadInputError(
            f"‘{name}’ holds several personal certificates; install it, then test each with "
            "--identity SHA256 (or leave --identity out to try every one that fits).")
    leaf = keyed[0]
    return ProbeIdentity(leaf, tuple(find_chain(leaf, read.items)[1:]), source)


def identity_from_installed(sha256: str, targets: Sequence[TrustStore]) -> ProbeIdentity:
    """The installed identity with this fingerprint, read out of its store in memory."""
    from app.actions.export import identity_from_store, stores_holding

    holding = stores_holding(sha256, targets)
    if not holding:
        raise BadInputError(
            f"No store here holds the certificate {sha256[:16]}… with its private key; "
            "'gridcert list' shows personal certificates as 'personal (+key)'."
        )
    leaf, chain = identity_from_store(holding[0], sha256)
    return ProbeIdentity(leaf, tuple(chain), holding[0].id)


def installed_identities(targets: Sequence[TrustStore]) -> list[InstalledIdentity]:
    """Every personal certificate with its key in `targets`, once each (first store wins),
    with the CA certificates found beside it as its chain."""
    from app.actions.inventory import list_certificates
    from app.core.chain import find_chain

    inventory = list_certificates([t for t in targets if t.holds_identities])
    by_id = {t.id: t for t in targets}
    pool = [e.item for e in inventory.entries if e.item.is_ca]
    found: dict[str, InstalledIdentity] = {}
    for entry in inventory.entries:
        if not entry.has_private_key or entry.item.is_ca or entry.item.sha256 in found:
            continue
        chain = find_chain(entry.item, [entry.item, *pool])[1:]
        found[entry.item.sha256] = InstalledIdentity(entry.item, by_id[entry.target_id],
                                                     tuple(chain))
    return list(found.values())


def _fits(names: Sequence[x509.Name], acceptable: Sequence[x509.Name]) -> bool:
    return any(names_match(a, n) for a in acceptable for n in names)


# --- the result --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProbeCheck:
    """One ✓/⚠/✗ row of the result, for a person (the wizard shows these)."""

    status: CheckStatus
    text: str


@dataclass
class StepResult:
    """DNS or TCP: whether it worked, what it found, and why not."""

    ok: bool | None = None  # None: not reached
    addresses: list[str] = field(default_factory=list)
    error: str | None = None
    kind: str | None = None  # DNS: "no-such-name" | "no-answer" (see _dns_kind)

    def to_json(self, key: str) -> dict[str, Any]:
        return {"ok": self.ok, key: (self.addresses if key == "addresses"
                                     else (self.addresses[0] if self.addresses else None)),
                "error": self.error}


@dataclass
class ServerInfo:
    """The server's own certificate chain (as sent, leaf first) and whether it is trusted."""

    chain: list[CertificateItem] = field(default_factory=list)
    trusted: bool | None = None
    reason: str | None = None
    tls_version: str | None = None
    #: Who judged the chain: "windows" | "macos" (the OS, `_serverchain`), "openssl"
    #: (the system CA bundle, in the handshake) or "trust-file".
    checked_by: str = "openssl"
    #: The verifier's own words and codes (support), or what it could not check.
    detail: str | None = None

    @property
    def issuer(self) -> str | None:
        """Who issued the top of the chain (the name to blame for an intercepting proxy)."""
        if not self.chain:
            return None
        return short_name(self.chain[-1].certificate.issuer)


@dataclass(frozen=True)
class IdentitySummary:
    sha256: str
    subject: str
    display_name: str
    issuer: str
    not_before: str
    not_after: str
    source: str

    @classmethod
    def of(cls, item: CertificateItem, source: str) -> IdentitySummary:
        return cls(item.sha256, item.subject, item.display_name, item.issuer_display_name,
                   iso_z(item.not_before), iso_z(item.not_after), source)

    def to_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "subject": self.subject, "not_after": self.not_after,
                "not_before": self.not_before, "issuer": self.issuer, "source": self.source}


@dataclass
class ProbeResult:
    """Everything one sign-in test saw, and what it means."""

    url: str
    host: str
    port: int
    endpoint: Endpoint | None = None
    dns: StepResult = field(default_factory=StepResult)
    tcp: StepResult = field(default_factory=StepResult)
    server: ServerInfo = field(default_factory=ServerInfo)
    asked_for_certificate: bool | None = None
    acceptable_cas: list[str] | None = None  # RFC 4514; [] = the server names no CA
    identity: IdentitySummary | None = None
    chains_to_acceptable: bool | None = None
    handshake_completed: bool = False
    http_status: int | None = None
    alert: str | None = None
    timed_out: str | None = None
    closed_by_server: bool = False
    error: str | None = None
    diagnosis: Diagnosis = field(
        default_factory=lambda: Diagnosis("failed", False, "The test did not run.", ""))
    checks: list[ProbeCheck] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.diagnosis.ok

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.accepted else EXIT_PROBE_FAILED

    def to_json(self) -> dict[str, Any]:
        """The `probe --json` document (keys are a public contract)."""
        return {
            "url": self.url,
            "dns": self.dns.to_json("addresses"),
            "tcp": self.tcp.to_json("address"),
            "server": {
                "chain": [certificate_json(c, None) for c in self.server.chain],
                "trusted": self.server.trusted,
                "reason": self.server.reason,
            },
            "asked_for_certificate": self.asked_for_certificate,
            "acceptable_cas": self.acceptable_cas,
            "identity": self.identity.to_json() if self.identity else None,
            "accepted": self.accepted,
            "http_status": self.http_status,
            "alert": self.alert,
            "diagnosis": self.diagnosis.sentence,
            "fix": self.diagnosis.fix,
            "outcome": self.diagnosis.outcome,
            "chains_to_acceptable": self.chains_to_acceptable,
            "handshake_completed": self.handshake_completed,
            "tls_version": self.server.tls_version,
            "endpoint": self.endpoint.json() if self.endpoint else None,
        }

    def details_text(self) -> str:
        """Plain text for *Copy for support*: every fact, no secret."""
        lines = [f"GridCert {VERSION} sign-in test of {self.url} at {iso_z(now_utc())}",
                 f"Result: {self.diagnosis.outcome} — {self.diagnosis.sentence}",
                 f"Fix: {self.diagnosis.fix}"]
        if self.endpoint is not None:
            lines.append(f"Endpoint: {self.endpoint.id} ({self.endpoint.operator}, "
                         f"{self.endpoint.environment}, verified={self.endpoint.verified})")
        lines.append(f"DNS: {', '.join(self.dns.addresses) or self.dns.error or 'not reached'}")
        tcp = f"connected to {self.tcp.addresses[0]}" if self.tcp.addresses else None
        lines.append(f"TCP: {tcp if self.tcp.ok else self.tcp.error or '-'}")
        lines.append(f"TLS version: {self.server.tls_version or '-'}")
        lines.append(f"Server trusted: {self.server.trusted} {self.server.reason or ''}".rstrip()
                     + f" (checked by {_CHECKERS.get(self.server.checked_by, '?')})")
        if self.server.detail:
            lines.append(f"  {self.server.detail}")
        for index, item in enumerate(self.server.chain):
            lines.append(f"  server[{index}] {item.subject} (issuer {item.issuer}; "
                         f"until {iso_z(item.not_after)}; sha256 {item.sha256})")
        lines.append(f"Asked for a client certificate: {self.asked_for_certificate}")
        if self.acceptable_cas is not None:
            lines.append(f"Acceptable CAs ({len(self.acceptable_cas)}):")
            lines += [f"  {name}" for name in self.acceptable_cas]
        if self.identity is not None:
            lines.append(f"Our certificate: {self.identity.subject} (issuer "
                         f"{self.identity.issuer}; until {self.identity.not_after}; sha256 "
                         f"{self.identity.sha256}; from {self.identity.source})")
            lines.append(f"Chains to an acceptable CA: {self.chains_to_acceptable}")
        else:
            lines.append("Our certificate: none sent")
        lines.append(f"Handshake completed: {self.handshake_completed}")
        lines.append(f"TLS alert: {self.alert or '-'}")
        lines.append(f"HTTP status: {self.http_status if self.http_status is not None else '-'}")
        if self.error:
            lines.append(f"Error: {self.error}")
        return "\n".join(lines)


_CHECKERS = {"windows": "Windows", "macos": "macOS", "openssl": "OpenSSL and the system CA "
             "bundle", "trust-file": "the trust file"}


# --- the wire ----------------------------------------------------------------------------


class _Timeout(Exception):
    """A step ran out of time."""


#: How often a wait for the server looks at the cancel Event, in seconds.
_CANCEL_POLL = 0.2


def _cancelled() -> CancelledError:
    return CancelledError("The sign-in test was cancelled.")


class _Session:
    """One TLS client session over a socket, driven through MemoryBIOs so that every byte
    the server sends is recorded (`raw`)."""

    def __init__(self, sock: socket.socket, context: ssl.SSLContext, host: str,
                 cancel: threading.Event | None = None) -> None:
        self.sock = sock
        self.cancel = cancel
        self.timeout = sock.gettimeout()
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_hostname=host)
        self.raw = bytearray()
        self.eof = False

    def _flush(self) -> None:
        data = self.outgoing.read()
        if data:
            with contextlib.suppress(OSError):  # the server may have gone: reading says so
                self.sock.sendall(data)

    def _recv(self) -> bytes:
        """The server's next bytes within the socket's timeout; with a cancel Event, the
        wait is cut into short slices that look at it."""
        if self.cancel is None or self.timeout is None:
            try:
                return self.sock.recv(65536)
            except TimeoutError:
                raise _Timeout() from None
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                if self.cancel.is_set():
                    raise _cancelled()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _Timeout()
                self.sock.settimeout(min(left, _CANCEL_POLL))
                try:
                    return self.sock.recv(65536)
                except TimeoutError:
                    continue
        finally:
            with contextlib.suppress(OSError):
                self.sock.settimeout(self.timeout)

    def _fill(self) -> None:
        try:
            chunk = self._recv()
        except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
            # A server (or a firewall) that drops the connection with a TCP reset: the
            # same to the person as a close. Windows reports even an ordinary close this
            # way when our bytes were still unread there (WSAECONNRESET 10054,
            # WSAECONNABORTED 10053, which Python raises as these classes).
            chunk = b""
        if not chunk:
            self.eof = True
            self.incoming.write_eof()
            return
        self.raw += chunk
        self.incoming.write(chunk)

    def handshake(self) -> None:
        while True:
            try:
                self.tls.do_handshake()
                self._flush()
                return
            except ssl.SSLWantReadError:
                self._flush()
                self._fill()
            except ssl.SSLError:
                self._flush()  # our own alert, if OpenSSL made one
                raise

    def head(self, host: str, path: str) -> int | None:
        """`HEAD path` (a request target from `_request_target`) with `Host: host` (the
        URL's host and port, as `_host_header` writes it); the status, or None."""
        request = (f"HEAD {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: GridCert/{VERSION}"
                   "\r\nAccept: */*\r\nConnection: close\r\n\r\n").encode("ascii", "replace")
        self.tls.write(request)
        self._flush()
        answer = b""
        while b"\r\n" not in answer and len(answer) < 65536:
            try:
                answer += self.tls.read(65536)
            except ssl.SSLWantReadError:
                self._flush()  # TLS 1.3 tickets and key updates may want an answer
                self._fill()
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                break
        first = answer.split(b"\r\n", 1)[0].split()
        if len(first) >= 2 and first[0].startswith(b"HTTP/") and first[1].isdigit():
            return int(first[1])
        return None


#: What may stay as it is in a request target (RFC 3986 pchar, "/" and "%" of an escape
#: already there); anything else — a space, a non-ASCII letter — is percent-encoded.
_TARGET_SAFE = "/:@!$&'()*+,;=-._~%"


def _request_target(url: str) -> str:
    """The path and query of `url` as an HTTP request target ('/a%20b?x=1')."""
    parts = urllib.parse.urlsplit(url)
    target = urllib.parse.quote(parts.path or "/", safe=_TARGET_SAFE)
    if parts.query:
        target += "?" + urllib.parse.quote(parts.query, safe=_TARGET_SAFE + "?")
    return target


def _host_header(url: str) -> str:
    """The Host header for `url`: its host (IPv6 in brackets) and a port other than 443."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host.encode("idna").decode("ascii")
    return host if parts.port in (None, 443) else f"{host}:{parts.port}"


def _resolve(host: str, port: int, timeout: float,
             cancel: threading.Event | None = None) -> list[tuple[Any, ...]]:
    """getaddrinfo with a deadline (it has none of its own): run in a daemon thread.
    An address typed as an IP address needs no lookup: it is converted at once (however
    short the timeout, it is never "a name that could not be found")."""
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                  flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError):
        pass  # a name: look it up below
    answer: list[Any] = []
    failure: list[BaseException] = []

    def lookup() -> None:
        try:
            answer.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as error:  # handed to the caller below
            failure.append(error)

    worker = threading.Thread(target=lookup, name="gridcert-dns", daemon=True)
    worker.start()
    deadline = time.monotonic() + timeout
    while worker.is_alive() and time.monotonic() < deadline:
        if cancel is not None and cancel.is_set():
            raise _cancelled()
        worker.join(min(_CANCEL_POLL, max(0.0, deadline - time.monotonic())))
    if worker.is_alive():
        raise _Timeout()
    if failure:
        raise failure[0]
    return answer


def _connect(addresses: list[tuple[Any, ...]], timeout: float,
             result: ProbeResult) -> socket.socket:
    """A TCP connection to the first address that takes it; `result.tcp` says which."""
    last: OSError | None = None
    timed_out = False
    for family, kind, proto, _name, address in addresses:
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except TimeoutError as error:
            sock.close()
            last, timed_out = error, True
            continue
        except OSError as error:
            sock.close()
            last = error
            continue
        result.tcp = StepResult(True, [_address_text(address)])
        return sock
    result.tcp = StepResult(False, [], _os_words(last) if last else "no address")
    if timed_out:
        raise _Timeout()
    raise ConnectionError(result.tcp.error)


def _address_text(address: tuple[Any, ...]) -> str:
    host, port = address[0], address[1]
    return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"


def _eai_codes(*names: str) -> set[int]:
    return {getattr(socket, name) for name in names if hasattr(socket, name)}


#: getaddrinfo's errors by meaning, through the platform's own EAI_* constants, never by
#: number: glibc's EAI_NONAME is -2, Windows' is WSAHOST_NOT_FOUND (11001). Windows also
#: returns WSANO_DATA (11004: the name exists but has no address), which Python does not
#: name; see Microsoft's "Windows Sockets Error Codes"
#: (https://learn.microsoft.com/windows/win32/winsock/windows-sockets-error-codes-2):
#: WSAHOST_NOT_FOUND and WSANO_DATA mean "no such name", WSATRY_AGAIN (11002, EAI_AGAIN)
#: and WSANO_RECOVERY (11003, EAI_FAIL) that the name service itself did not work.
_NO_SUCH_NAME = _eai_codes("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY") | (
    {11004} if sys.platform == "win32" else set())
_NO_ANSWER = _eai_codes("EAI_AGAIN", "EAI_FAIL")


def _dns_kind(error: BaseException) -> str | None:
    """'no-such-name' (the DNS said so), 'no-answer' (no DNS server answered), or None."""
    if isinstance(error, socket.gaierror):
        if error.errno in _NO_SUCH_NAME:
            return "no-such-name"
        if error.errno in _NO_ANSWER:
            return "no-answer"
    return None


def _os_words(error: BaseException) -> str:
    if isinstance(error, socket.gaierror):
        kind = _dns_kind(error)
        if kind == "no-such-name":
            return "no such name"
        if kind == "no-answer":
            return "no DNS server answered"
        # The platform's own words ("getaddrinfo failed" is all Windows says).
        return f"the name does not resolve: {error.strerror or error}"
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


def _trust_context(trust_file: str | os.PathLike[str] | None) -> ssl.SSLContext:
    """Server verification against the OS trust (or one PEM file), with host names."""
    if trust_file is not None:
        try:
            return ssl.create_default_context(cafile=os.fspath(trust_file))
        except (OSError, ssl.SSLError) as error:
            raise BadInputError(f"The trust file {os.fspath(trust_file)} cannot be used: "
                                f"{error}.") from None
    return ssl.create_default_context()


def _native_trust(trust_file: str | os.PathLike[str] | None) -> str | None:
    """'windows' / 'macos' when the OS judges the server's chain; None: OpenSSL does
    (Linux, or a trust file on any OS)."""
    return None if trust_file is not None else _serverchain.native_trust()


def _checked_by(trust_file: str | os.PathLike[str] | None) -> str:
    return _native_trust(trust_file) or ("trust-file" if trust_file is not None else "openssl")


def _unverified_context() -> ssl.SSLContext:
    """A client context that lets the handshake run whatever the server shows: only for
    reading what the server sends (the OS judges the chain afterwards)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _pinned_context(leaf_der: bytes) -> ssl.SSLContext:
    """Verification that accepts exactly the server certificate the OS trusted: that
    leaf is the only trust anchor (VERIFY_X509_PARTIAL_CHAIN lets a trust anchor be the
    leaf itself), so OpenSSL refuses any other certificate *in* the handshake, before our
    certificate is sent. The OS already checked the name on this very certificate, so
    OpenSSL's own name rules (no common-name fallback) are not applied a second time."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    context.load_verify_locations(cadata=leaf_der)
    return context


def _os_verdict(result: ProbeResult, chain_der: Sequence[bytes], timeout: float) -> None:
    """The OS's verdict on the chain the server sent, into `result.server`."""
    verdict = _serverchain.verify_server_chain(chain_der, result.host, timeout=timeout)
    result.server.trusted = verdict.trusted
    result.server.reason = verdict.reason
    result.server.detail = verdict.detail


def _version_words(version: str | None) -> str | None:
    return {"TLSv1.2": "TLS 1.2", "TLSv1.3": "TLS 1.3"}.get(version or "", version)


# --- discovery (no certificate, TLS 1.2) -------------------------------------------------


@dataclass
class _Discovery:
    acceptable: list[x509.Name] | None = None
    #: The server's certificate the OS trusted (DER): the sign-in accepts only this one.
    pin: bytes | None = None


def _discover(result: ProbeResult, sock: socket.socket, timeout: float,
              trust_file: str | os.PathLike[str] | None,
              cancel: threading.Event | None = None) -> _Discovery:
    """The first look: the server's chain, its trust, and its CertificateRequest."""
    native = _native_trust(trust_file)
    result.server.checked_by = _checked_by(trust_file)
    context = _unverified_context() if native else _trust_context(trust_file)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    session = _Session(sock, context, result.host, cancel)
    discovery = _Discovery()
    error: ssl.SSLError | None = None
    try:
        session.handshake()
        if not native:
            result.server.trusted = True
        result.server.tls_version = _version_words(session.tls.version())
    except ssl.SSLCertVerificationError as failure:
        result.server.trusted = False
        result.server.reason = failure.verify_message or failure.reason or str(failure)
    except ssl.SSLError as failure:
        error = failure
    except _Timeout:
        result.timed_out = "tls"
    flight = parse_server_flight(bytes(session.raw))
    if native:
        if flight.certificates:
            _os_verdict(result, flight.certificates, timeout)
            if result.server.trusted:
                discovery.pin = flight.certificates[0]
    elif error is not None and flight.certificates:
        # OpenSSL checks the server's chain as soon as its Certificate message arrives:
        # an error after that one (no client certificate sent, here) means it passed.
        result.server.trusted = True
    if flight.version == 0x0303:
        result.server.tls_version = "TLS 1.2"
    for der in flight.certificates:
        with contextlib.suppress(ValueError):
            result.server.chain.append(
                CertificateItem(x509.load_der_x509_certificate(der), result.host))
    if flight.certificates or flight.version is not None:
        result.asked_for_certificate = flight.asked_for_certificate
    if flight.asked_for_certificate:
        names: list[x509.Name] = []
        for der in flight.certificate_authorities:
            with contextlib.suppress(ValueError):
                names.append(name_from_der(der))
        discovery.acceptable = names
        result.acceptable_cas = [n.rfc4514_string() for n in names]
    if error is not None:
        alert = flight.alert or alert_from_reason(getattr(error, "reason", None))
        if alert == "protocol_version" or (getattr(error, "reason", "") or "").upper() in (
                "UNSUPPORTED_PROTOCOL", "TLSV1_ALERT_PROTOCOL_VERSION", "WRONG_VERSION_NUMBER"):
            # Only TLS 1.3 here: the CA list stays unknown, the sign-in still tells.
            result.asked_for_certificate = None
        elif flight.asked_for_certificate:
            pass  # the server wanted a certificate and got none: expected here
        elif alert is not None:
            result.alert = alert
        elif session.eof:
            result.closed_by_server = True
        else:
            result.error = str(error)
    elif session.eof and result.server.trusted is None and result.timed_out is None:
        result.closed_by_server = True
    with contextlib.suppress(OSError):
        sock.close()
    return discovery


def _peek_chain(result: ProbeResult, addresses: list[tuple[Any, ...]], timeout: float,
                cancel: threading.Event | None = None) -> None:
    """A handshake without a certificate at the server's own TLS version (1.3), only to
    read its chain for the OS check (`get_unverified_chain`, Python 3.13+; before that
    the leaf alone, which Windows and macOS complete from their caches or by download)."""
    try:
        sock = _connect(addresses, timeout, result)
    except _Timeout:
        result.timed_out = "tcp"
        return
    except ConnectionError:
        return
    session = _Session(sock, _unverified_context(), result.host, cancel)
    try:
        session.handshake()
        result.server.tls_version = _version_words(session.tls.version())
        unverified = getattr(session.tls, "get_unverified_chain", None)
        found = list(unverified() or []) if unverified is not None else []
        # SSLObject returns DER bytes (3.13's ssl.py converts its _ssl.Certificates).
        ders = [bytes(item) for item in found if isinstance(item, (bytes, bytearray))]
        if not ders:
            leaf = session.tls.getpeercert(binary_form=True)
            ders = [leaf] if leaf else []
    except _Timeout:
        result.timed_out = "tls"
        return
    except ssl.SSLError as failure:
        _ended(result, session, failure)
        return
    finally:
        with contextlib.suppress(OSError):
            sock.close()
    for der in ders:
        with contextlib.suppress(ValueError):
            result.server.chain.append(
                CertificateItem(x509.load_der_x509_certificate(der), result.host))
    if ders:
        _os_verdict(result, ders, timeout)


# --- sign-in (our certificate, any TLS version, HEAD) ------------------------------------


def _write_encrypted_identity(folder: Path, identity: ProbeIdentity, password: str) -> Path:
    """The certificate, its chain and the key as encrypted PKCS#8 PEM, 0600, new file."""
    assert identity.leaf.private_key is not None
    key = identity.leaf.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode()))
    chain = [c for c in identity.chain if c.sha256 != identity.leaf.sha256]
    data = identity.leaf.pem + b"".join(c.pem for c in chain) + key
    path = folder / "identity.pem"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                         0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return path


def _client_context(identity: ProbeIdentity | None,
                    trust_file: str | os.PathLike[str] | None,
                    pin: bytes | None = None) -> ssl.SSLContext:
    context = _pinned_context(pin) if pin is not None else _trust_context(trust_file)
    if identity is None:
        return context
    from app.stores._scratch import private_dir

    password = secrets.token_urlsafe(32)
    with private_dir("probe") as folder:
        path = _write_encrypted_identity(folder, identity, password)
        try:
            context.load_cert_chain(str(path), password=password)
        except ssl.SSLError as error:
            raise BadInputError(
                f"The certificate '{identity.leaf.display_name}' cannot be used for a TLS "
                f"sign-in here ({error.reason or error}).") from None
        finally:
            with contextlib.suppress(OSError):
                path.unlink()
    return context


def _sign_in(result: ProbeResult, addresses: list[tuple[Any, ...]], timeout: float,
             identity: ProbeIdentity | None,
             trust_file: str | os.PathLike[str] | None,
             cancel: threading.Event | None = None, pin: bytes | None = None) -> None:
    """The sign-in. `pin`: the server certificate the OS trusted (Windows, macOS), the
    only one this connection accepts; None: OpenSSL verifies (Linux, a trust file)."""
    if pin is None and _native_trust(trust_file):
        # Never reached (the OS must have trusted the server first); said, not assumed.
        raise GridCertError("The sign-in needs the server certificate the OS trusted.")
    context = _client_context(identity, trust_file, pin)
    try:
        sock = _connect(addresses, timeout, result)
    except _Timeout:
        result.timed_out = "tcp"
        return
    except ConnectionError:
        return
    session = _Session(sock, context, result.host, cancel)
    try:
        try:
            session.handshake()
        except _Timeout:
            result.timed_out = "tls"
            return
        except ssl.SSLCertVerificationError as failure:
            result.server.trusted = False
            if pin is not None:
                # Not the certificate the OS trusted a moment ago (a proxy that lets the
                # first connection through, or servers with different certificates).
                result.server.reason = ("it showed another certificate on the second "
                                        "connection than the one this computer checked")
                result.server.detail = failure.verify_message or str(failure)
            else:
                result.server.reason = failure.verify_message or str(failure)
            return
        except ssl.SSLError as failure:
            _ended(result, session, failure)
            return
        result.server.trusted = True
        result.server.tls_version = _version_words(session.tls.version())
        if result.server.tls_version == "TLS 1.3" and not result.server.chain:
            leaf = session.tls.getpeercert(binary_form=True)
            if leaf:
                result.server.chain.append(
                    CertificateItem(x509.load_der_x509_certificate(leaf), result.host))
        path = _request_target(result.url)
        try:
            result.http_status = session.head(_host_header(result.url), path)
        except _Timeout:
            # The handshake held (under TLS 1.3 a refusal would have come by now as an
            # alert); only the HTTP answer is missing: some servers ignore HEAD.
            result.handshake_completed = True
            result.error = f"no answer to HEAD {path} within {timeout:g} seconds"
            return
        except ssl.SSLError as failure:
            # TLS 1.3: a refused certificate is said after the client's handshake ended.
            _ended(result, session, failure)
            return
        if result.http_status is None and session.eof:
            # Hung up without an answer (or a TLS 1.3 server dropping a certificate it
            # does not accept without an alert).
            result.closed_by_server = True
            return
        result.handshake_completed = True
    finally:
        with contextlib.suppress(OSError):
            sock.close()


def _ended(result: ProbeResult, session: _Session, failure: ssl.SSLError) -> None:
    flight = parse_server_flight(bytes(session.raw))
    alert = flight.alert or alert_from_reason(getattr(failure, "reason", None))
    if alert is not None:
        result.alert = alert
    elif session.eof or isinstance(failure, ssl.SSLEOFError):
        result.closed_by_server = True
    else:
        result.error = failure.reason or str(failure)


# --- catalog context ---------------------------------------------------------------------


def known_endpoints() -> list[Endpoint]:
    """The catalog's endpoints, the deployment profile's (`profile_endpoints_path()`) and
    the person's own (`user_endpoints_path()`); an address listed twice is kept once."""
    found = list(catalog_endpoints())
    ids = {e.id for e in found}
    urls = {e.url for e in found}
    for path, origin in ((profile_endpoints_path(), "profile"),
                         (user_endpoints_path(), "user")):
        for endpoint in read_endpoint_file(path, origin):
            if endpoint.id not in ids and endpoint.url not in urls:
                found.append(endpoint)
                ids.add(endpoint.id)
                urls.add(endpoint.url)
    return found


def profile_endpoints_path() -> Path:
    """The addresses of the last deployment profile applied here (`endpoints` in it)."""
    return data_dir() / "profile-endpoints.toml"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _endpoint_block(endpoint: Endpoint) -> str:
    """One `[[endpoint]]` table (what read_endpoint_file reads back)."""
    lines = ["", "[[endpoint]]", f"id = {_quoted(endpoint.id)}", f"name = {_quoted(endpoint.name)}",
             f"operator = {_quoted(endpoint.operator)}",
             f"environment = {_quoted(endpoint.environment)}"]
    if endpoint.purpose:
        lines.append(f"purpose = {_quoted(endpoint.purpose)}")
    lines += [f"url = {_quoted(endpoint.url)}",
              f"client_certificate = {str(endpoint.client_certificate).lower()}",
              f"verified = {str(endpoint.verified).lower()}"]
    if endpoint.network != "internet":
        lines.append(f"network = {_quoted(endpoint.network)}")
    return "\n".join(lines) + "\n"


def save_profile_endpoints(endpoints: Sequence[Endpoint], profile: str) -> Path:
    """Keep a deployment profile's `endpoints` (replacing the last profile's), so that the
    wizard's *Test sign-in* offers them and `check --probe` tests them."""
    from app.actions.files import write_file

    path = profile_endpoints_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (f"# Sign-in addresses from the deployment profile {profile} (GridCert writes this "
            "file each time the profile is applied; edit the profile, not this file).\n"
            + "".join(_endpoint_block(e) for e in endpoints))
    write_file(path, text.encode("utf-8"), mode=0o644, replace=True)
    return path


def user_endpoints_path() -> Path:
    """The person's own endpoints: `[[endpoint]]` tables in the data folder."""
    return data_dir() / "endpoints.toml"


def remember_endpoint(url: str, *, name: str | None = None, operator: str = "",
                      environment: str = "production") -> Endpoint:
    """Add `url` to the person's own endpoints (so that `check --probe` tests it)."""
    from app.actions.files import write_file

    address = normalize_url(url)
    existing = read_endpoint_file(user_endpoints_path(), "user")
    for endpoint in existing:
        if endpoint.url == address:
            return endpoint
    endpoint_id = f"user-{len(existing) + 1}"
    while any(e.id == endpoint_id for e in existing):
        endpoint_id += "x"
    host = urllib.parse.urlsplit(address).hostname or address
    block = _endpoint_block(Endpoint(
        id=endpoint_id, name=name or host, operator=operator, environment=environment,
        purpose="", url=address, client_certificate=True, roots=(), status="active",
        verified=False, origin="user"))
    path = user_endpoints_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_text(encoding="utf-8") if path.exists() else (
        "# Your own sign-in addresses for GridCert's sign-in test (gridcert probe, "
        "check --probe).\n")
    write_file(path, (old + block).encode("utf-8"), mode=0o600, replace=True)
    return next(e for e in read_endpoint_file(path, "user") if e.id == endpoint_id)


def identity_context(items: Sequence[CertificateItem]) -> tuple[str | None, str | None]:
    """(operator, environment) of a certificate chain, from the catalog's roots/CAs."""
    try:
        from app.core.catalog import load_catalog

        catalog = load_catalog()
    except (ImportError, GridCertError):
        return None, None
    for item in items:
        match = catalog.match(item)
        if match is not None and match.entry.purpose in ("client-root", "issuing-ca"):
            return match.entry.operator, match.entry.environment
    from app.core.names import common_name

    issuers = {(common_name(i.certificate.issuer) or "").casefold() for i in items}
    for entry in catalog.entries:
        if (entry.purpose in ("client-root", "issuing-ca") and entry.subject_cn
                and entry.subject_cn.casefold() in issuers):
            return entry.operator, entry.environment
    return None, None


def endpoints_for_certificate(leaf: CertificateItem, chain: Sequence[CertificateItem] = (),
                              endpoints: Sequence[Endpoint] | None = None) -> list[Endpoint]:
    """The active endpoints of the certificate's operator and environment (the chain says
    production or test), internet ones first: what *Test sign-in* offers."""
    operator, environment = identity_context([leaf, *chain])
    if operator is None:
        return []
    pool = list(endpoints) if endpoints is not None else known_endpoints()
    chosen = [e for e in pool if e.operator.casefold() == operator.casefold()
              and e.status == "active" and e.client_certificate
              and (environment is None or e.environment == environment)]
    return sorted(chosen, key=lambda e: (e.network != "internet", not e.verified, e.id))


# --- the probe ---------------------------------------------------------------------------


class _Run:
    """One probe's plumbing: progress, cancel, and the facts it gathers."""

    def __init__(self, url: str, timeout: float, progress: ProgressCallback | None,
                 cancel: threading.Event | None,
                 endpoints: Sequence[Endpoint] | None) -> None:
        if not valid_timeout(timeout):
            raise BadInputError(f"The timeout must be more than 0 and at most "
                                f"{MAX_TIMEOUT:g} seconds.")
        self.url = normalize_url(url)
        parts = urllib.parse.urlsplit(self.url)
        self.timeout = timeout
        self.progress = progress
        self.cancel = cancel
        self.endpoints = list(endpoints) if endpoints is not None else known_endpoints()
        self.base = ProbeResult(self.url, parts.hostname or "", parts.port or 443,
                                endpoint=by_url(self.endpoints, self.url))
        self.addresses: list[tuple[Any, ...]] = []
        self.discovery = _Discovery()
        self.reachable = False
        self.native = False  # the OS judges the server's chain (Windows, macOS)

    def say(self, step: str, sentence: str) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise CancelledError("The sign-in test was cancelled.")
        if self.progress is not None:
            self.progress(step, sentence)

    def reach(self, trust_file: str | os.PathLike[str] | None) -> bool:
        """DNS, TCP and discovery; False when the test cannot go on."""
        result = self.base
        self.say("dns", f"Looking up {result.host}…")
        try:
            self.addresses = _resolve(result.host, result.port, self.timeout, self.cancel)
            result.dns = StepResult(True, list(dict.fromkeys(a[4][0] for a in self.addresses)))
        except _Timeout:
            result.dns = StepResult(False, [], "timed out")
            result.timed_out = "dns"
            return False
        except (OSError, UnicodeError) as error:
            result.dns = StepResult(False, [], _os_words(error), _dns_kind(error))
            return False
        self.say("tcp", f"Connecting to {result.host} port {result.port}…")
        try:
            sock = _connect(self.addresses, self.timeout, result)
        except _Timeout:
            result.timed_out = "tcp"
            return False
        except ConnectionError:
            return False
        self.say("server", f"Reading {result.host}'s certificate…")
        try:
            self.native = _native_trust(trust_file) is not None
            self.discovery = _discover(result, sock, self.timeout, trust_file, self.cancel)
        except CancelledError:
            with contextlib.suppress(OSError):
                sock.close()
            raise
        if (self.native and not result.server.chain and result.server.trusted is None
                and result.timed_out is None and result.alert is None
                and result.error is None and not result.closed_by_server):
            # Only TLS 1.3 (the discovery's TLS 1.2 was refused): its chain is encrypted
            # on the wire, so one more handshake reads it for the OS to judge.
            _peek_chain(result, self.addresses, self.timeout, self.cancel)
            if result.server.chain and result.server.trusted:
                self.discovery.pin = result.server.chain[0].der
        self.reachable = not (
            result.server.trusted is False or result.timed_out is not None
            or result.alert is not None or result.error is not None
            or (result.closed_by_server and result.asked_for_certificate is None))
        if self.native and not result.server.trusted:
            # The OS did not (or could not) trust the server: our certificate stays here.
            self.reachable = False
            if result.server.trusted is None and result.error is None:
                result.error = "the server's certificate could not be read"
        return self.reachable

    def attempt(self, identity: ProbeIdentity | None,
                trust_file: str | os.PathLike[str] | None) -> ProbeResult:
        """A copy of the discovery's facts, then a sign-in with `identity`."""
        base = self.base
        result = ProbeResult(
            base.url, base.host, base.port, base.endpoint, base.dns,
            StepResult(base.tcp.ok, list(base.tcp.addresses), base.tcp.error),
            ServerInfo(list(base.server.chain), base.server.trusted, base.server.reason,
                       base.server.tls_version, base.server.checked_by, base.server.detail),
            base.asked_for_certificate,
            list(base.acceptable_cas) if base.acceptable_cas is not None else None,
            alert=base.alert, timed_out=base.timed_out,
            closed_by_server=base.closed_by_server, error=base.error)
        if identity is not None:
            result.identity = IdentitySummary.of(identity.leaf, identity.source)
            if self.discovery.acceptable:
                result.chains_to_acceptable = _fits(identity.names(), self.discovery.acceptable)
            elif self.discovery.acceptable is not None:
                result.chains_to_acceptable = True  # an empty list: any CA
        if self.reachable:
            who = f"'{identity.leaf.display_name}'" if identity else "no certificate"
            self.say("sign-in", f"Signing in to {result.host} with {who}…")
            # The discovery's ending (a CertificateRequest answered with nothing) is not
            # the sign-in's: start from a clean slate.
            result.alert = None
            result.closed_by_server = False
            result.error = None
            _sign_in(result, self.addresses, self.timeout, identity, trust_file, self.cancel,
                     self.discovery.pin)
        return result


def _finish(run: _Run, result: ProbeResult, identity: ProbeIdentity | None,
            none_installed_fit: bool = False) -> ProbeResult:
    endpoint = result.endpoint
    operator = endpoint.operator if endpoint else None
    identity_environment = None
    better_url = None
    if identity is not None:
        found_operator, identity_environment = identity_context([identity.leaf,
                                                                 *identity.chain])
        operator = operator or found_operator
        if endpoint is not None and identity_environment not in (None, endpoint.environment):
            better = [e for e in run.endpoints
                      if e.operator == endpoint.operator and e.purpose == endpoint.purpose
                      and e.network == endpoint.network
                      and e.environment == identity_environment]
            better_url = better[0].url if better else None
    other = twin(run.endpoints, endpoint) if endpoint is not None else None
    leaf = identity.leaf if identity is not None else None
    facts = ProbeFacts(
        host=result.host, port=result.port, now=now_utc(),
        dns_ok=bool(result.dns.ok), dns_error=result.dns.error, dns_kind=result.dns.kind,
        tcp_ok=result.tcp.ok, tcp_error=result.tcp.error,
        timed_out=result.timed_out, timeout=run.timeout,
        closed_by_server=result.closed_by_server,
        server_trusted=result.server.trusted, server_reason=result.server.reason,
        server_issuer=result.server.issuer,
        asked_for_certificate=result.asked_for_certificate,
        acceptable_cas=(tuple(_readable(n) for n in run.discovery.acceptable)
                        if run.discovery.acceptable is not None else None),
        identity_name=leaf.display_name if leaf is not None else None,
        identity_issuer=leaf.issuer_display_name if leaf is not None else None,
        identity_not_before=leaf.not_before if leaf is not None else None,
        identity_not_after=leaf.not_after if leaf is not None else None,
        chains_to_acceptable=result.chains_to_acceptable,
        none_installed_fit=none_installed_fit,
        handshake_completed=result.handshake_completed,
        alert=result.alert, http_status=result.http_status, error=result.error,
        operator=operator,
        private_wan=bool((endpoint and endpoint.network == "private-wan")
                         or result.host.endswith((".wan.ercot.com",))),
        public_url=other.url if other is not None else None,
        identity_environment=identity_environment,
        endpoint_environment=endpoint.environment if endpoint else None,
        better_url=better_url,
    )
    result.diagnosis = diagnose(facts)
    result.checks = _checks(result)
    log_quietly("probe", result.diagnosis.outcome, url=result.url,
                sha256=result.identity.sha256 if result.identity else "-",
                alert=result.alert or "-",
                http_status=str(result.http_status) if result.http_status is not None else "-")
    run.say("done", result.diagnosis.sentence)
    return result


def _readable(name: x509.Name) -> str:
    return short_name(name)


def _short(rfc4514: str) -> str:
    """'CN=ERCOT CA,O=…' → 'ERCOT CA' (the text as it is when it does not parse)."""
    try:
        return short_name(x509.Name.from_rfc4514_string(rfc4514))
    except ValueError:
        return rfc4514


def _checks(result: ProbeResult) -> list[ProbeCheck]:
    """The rows a person sees, in the order the test ran; the verdict comes last."""
    rows: list[ProbeCheck] = []
    if result.dns.ok:
        # An address typed as an IP "resolves" to itself: saying it twice is noise.
        found = ("" if result.dns.addresses == [result.host]
                 else f" ({', '.join(result.dns.addresses)})")
        rows.append(ProbeCheck("ok", f"Found {result.host}{found}"))
    else:
        rows.append(ProbeCheck("error", f"{result.host} could not be found"))
        return [*rows, ProbeCheck("error", result.diagnosis.sentence)]
    if result.tcp.ok:
        rows.append(ProbeCheck("ok", f"Connected to {result.tcp.addresses[0]}"))
    elif result.tcp.ok is False:
        rows.append(ProbeCheck("error", f"Could not connect ({result.tcp.error})"))
        return [*rows, ProbeCheck("error", result.diagnosis.sentence)]
    issuer = result.server.issuer or "?"
    if result.server.trusted:
        rows.append(ProbeCheck("ok", f"The server's certificate is trusted (issued under "
                                     f"'{issuer}')"))
    elif result.server.trusted is False:
        rows.append(ProbeCheck("error", f"The server's certificate is not trusted "
                                        f"('{issuer}': {result.server.reason})"))
    if result.asked_for_certificate:
        cas = result.acceptable_cas
        # The CA's own name ("ERCOT CA"), as the person knows it; the full names are in
        # the details.
        listed = (f" from: {', '.join(_short(n) for n in cas)}" if cas
                  else " (from any CA)" if cas == [] else "")
        rows.append(ProbeCheck("ok", f"The server asks for a certificate{listed}"))
    elif result.asked_for_certificate is False:
        rows.append(ProbeCheck("warning", "The server does not ask for a certificate"))
    # With no CA list ("any CA") there is nothing to fit: the sign-in itself tells.
    if (result.identity is not None and result.chains_to_acceptable is not None
            and result.acceptable_cas != []):
        rows.append(ProbeCheck("ok" if result.chains_to_acceptable else "error",
                               f"Your certificate '{result.identity.display_name}' "
                               + ("chains to one of them" if result.chains_to_acceptable
                                  else "does not chain to any of them")))
    rows.append(ProbeCheck("ok" if result.accepted else "error", result.diagnosis.sentence))
    return rows


def probe(
    url: str,
    identity: ProbeIdentity | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    trust_file: str | os.PathLike[str] | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    endpoints: Sequence[Endpoint] | None = None,
) -> ProbeResult:
    """Test signing in to `url` with `identity` (None: with no certificate)."""
    run = _Run(url, timeout, progress, cancel, endpoints)
    run.reach(trust_file)
    result = run.attempt(identity, trust_file)
    return _finish(run, result, identity)


@dataclass
class ProbeRun:
    """The sign-in tests of one address with several installed certificates."""

    results: list[ProbeResult]

    @property
    def best(self) -> ProbeResult:
        """The accepted one, else the first tried."""
        return next((r for r in self.results if r.accepted), self.results[0])

    @property
    def exit_code(self) -> int:
        return self.best.exit_code

    def to_json(self) -> dict[str, Any]:
        document = self.best.to_json()
        if len(self.results) > 1:
            document["tried"] = [r.to_json() for r in self.results]
        return document


def probe_installed(
    url: str,
    targets: Sequence[TrustStore],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    trust_file: str | os.PathLike[str] | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    endpoints: Sequence[Endpoint] | None = None,
) -> ProbeRun:
    """Test `url` with every installed identity whose chain fits the server's CA list
    (all of them when the server names no CA; none when it does not ask)."""
    from app.actions.export import identity_from_store

    run = _Run(url, timeout, progress, cancel, endpoints)
    if not run.reach(trust_file) or run.base.asked_for_certificate is False:
        return ProbeRun([_finish(run, run.attempt(None, trust_file), None)])
    run.say("identity", "Looking for your certificates…")
    candidates = installed_identities(targets)
    acceptable = run.discovery.acceptable
    # No list (any CA), or TLS 1.3 (the list is unknown): every certificate is tried.
    fitting = ([c for c in candidates if _fits(c.names(), acceptable)] if acceptable
               else candidates)
    if not fitting:
        return ProbeRun([_finish(run, run.attempt(None, trust_file), None,
                                 none_installed_fit=bool(acceptable))])
    results: list[ProbeResult] = []
    for candidate in fitting:
        run.say("identity", f"Reading '{candidate.item.display_name}' from "
                            f"{candidate.store.label}…")
        leaf, chain = identity_from_store(candidate.store, candidate.sha256)
        identity = ProbeIdentity(leaf, tuple(chain), candidate.store.id)
        results.append(_finish(run, run.attempt(identity, trust_file), identity))
    return ProbeRun(results)


# --- check --probe -----------------------------------------------------------------------


def probe_for_check(
    targets: Sequence[TrustStore],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    trust_file: str | os.PathLike[str] | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> list[ProbeResult]:
    """`gridcert check --probe`: each installed certificate against the catalog's verified
    endpoints of its operator and environment, and the person's and the deployment
    profile's own endpoints with every installed certificate that fits. A private-WAN
    address whose name does not resolve here is skipped (this computer is not on that
    network: not a fault)."""
    from app.actions.export import identity_from_store

    endpoints = known_endpoints()
    results: list[ProbeResult] = []
    candidates = installed_identities(targets)
    tested: set[tuple[str, str]] = set()
    for candidate in candidates:
        for endpoint in endpoints_for_certificate(candidate.item, candidate.chain, endpoints):
            if endpoint.origin != "catalog" or not endpoint.verified:
                continue
            if endpoint.network == "private-wan" and not _resolves(endpoint.host, timeout):
                continue
            leaf, chain = identity_from_store(candidate.store, candidate.sha256)
            results.append(probe(endpoint.url, ProbeIdentity(leaf, tuple(chain),
                                                             candidate.store.id),
                                 timeout=timeout, trust_file=trust_file, progress=progress,
                                 cancel=cancel, endpoints=endpoints))
            tested.add((endpoint.url, candidate.sha256))
    for endpoint in endpoints:
        if endpoint.origin not in ("user", "profile") or endpoint.status != "active":
            continue
        run = probe_installed(endpoint.url, targets, timeout=timeout, trust_file=trust_file,
                              progress=progress, cancel=cancel, endpoints=endpoints)
        results.extend(r for r in run.results
                       if (r.url, r.identity.sha256 if r.identity else "") not in tested)
    return results


def _resolves(host: str, timeout: float) -> bool:
    try:
        return bool(_resolve(host, 443, timeout))
    except (_Timeout, OSError, UnicodeError):
        return False

