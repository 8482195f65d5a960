"""The OS's own verdict on server chains (app/stores/_serverchain_*) on a real Windows or
macOS runner: crypt32's chain engine and SSL policy, or SecTrust (skipped elsewhere).

What only this file can prove (tests/unit runs the same code against documented fakes):
that the structures and prototypes match the real crypt32/Security.framework, that a
self-signed server is refused with a reason, that a public chain fetched live is trusted
(Windows may download its root or intermediate on the way), that a wrong host name is
refused, and that the pinned sign-in connection accepts the certificate the OS trusted.
The public hosts need the network: without it those tests are skipped, saying so.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.actions.probe import ProbeResult, probe
from app.stores import _serverchain
from tests.pki import Issued, make_root, pooled_key

pytestmark = [
    pytest.mark.skipif(sys.platform not in ("win32", "darwin"),
                       reason="needs the real Windows or macOS certificate verifier"),
]

PUBLIC = "www.microsoft.com" if sys.platform == "win32" else "www.apple.com"
VERIFIER = "windows" if sys.platform == "win32" else "macos"


@contextlib.contextmanager
def self_signed_server(folder: Path, cert: Issued) -> Iterator[int]:
    """A TLS server on 127.0.0.1 showing one self-signed certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert.write(folder / "self.pem")),
                            str(cert.write_key(folder / "self.key")))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except OSError:
                continue
            with raw, contextlib.suppress(OSError, ssl.SSLError):
                raw.settimeout(5)
                with context.wrap_socket(raw, server_side=True) as tls:
                    tls.recv(1024)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(10)
        listener.close()


@pytest.fixture(scope="module")
def public() -> ProbeResult:
    """The probe of a well-known public server, without a certificate (fetched live)."""
    result = probe(f"https://{PUBLIC}/", None, timeout=20)
    if not result.dns.ok or not result.tcp.ok or not result.server.chain:
        pytest.skip(f"{PUBLIC}:443 is not reachable from this runner "
                    f"({result.dns.error or result.tcp.error or result.error})")
    return result


def test_a_self_signed_local_server_is_not_trusted_with_a_reason(tmp_path: Path) -> None:
    cert = make_root("127.0.0.1", org="GridCert Self-Signed Test",
                     key=pooled_key("rsa2048", 16))
    direct = _serverchain.verify_server_chain([cert.der], "127.0.0.1")
    assert direct.trusted is False and direct.reason, direct
    assert "could not check" not in direct.reason, direct  # the OS answered, it did not fail
    with self_signed_server(tmp_path, cert) as port:
        result = probe(f"https://127.0.0.1:{port}/", None, timeout=10)
    assert result.server.checked_by == VERIFIER
    assert result.server.trusted is False and result.server.reason, result.details_text()
    assert result.diagnosis.outcome == "server-untrusted"


def test_a_public_chain_is_trusted_by_the_os(public: ProbeResult) -> None:
    assert public.server.checked_by == VERIFIER
    assert public.server.trusted is True, public.details_text()
    chain = [item.der for item in public.server.chain]
    verdict = _serverchain.verify_server_chain(chain, PUBLIC, timeout=20)
    assert verdict.trusted, verdict
    # The sign-in connection, pinned to the certificate the OS trusted, accepted it (a
    # refused pin would have set trusted False with "another certificate").
    assert public.handshake_completed, public.details_text()


def test_a_wrong_host_name_is_refused(public: ProbeResult) -> None:
    chain = [item.der for item in public.server.chain]
    verdict = _serverchain.verify_server_chain(chain, "gridcert-wrong-name.example.com",
                                               timeout=20)
    assert verdict.trusted is False, verdict
    assert verdict.reason is not None and "hostname mismatch" in verdict.reason, verdict


def test_the_leaf_alone_is_completed_by_the_os(public: ProbeResult) -> None:
    """Only the leaf: the OS finds or downloads the intermediate (AIA). Neither OS
    promises a download; a refusal must then say the chain is incomplete."""
    leaf = public.server.chain[0].der
    verdict = _serverchain.verify_server_chain([leaf], PUBLIC, timeout=20)
    assert verdict.trusted or (verdict.reason or "").startswith("its chain is incomplete"), (
        verdict)
