"""The sign-in test as on Windows: the server's chain is judged by the OS (here crypt32's
documented fake, tests/fakes/win32_chain.py, behind the real `_serverchain_win32`), not
by OpenSSL, and the client certificate goes only to a server the OS trusted — the very
certificate it trusted (the sign-in is pinned to it).

Local TLS servers on 127.0.0.1 record, per connection, whether a client certificate
arrived. `_serverchain.native_trust` is made to say "windows"; nothing else pretends.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from app.actions.probe import ProbeIdentity, identity_from_file, probe
from app.stores import _serverchain
from tests.fakes.win32_chain import FakeChainDlls
from tests.pki import (
    Issued,
    make_intermediate,
    make_leaf,
    make_pki,
    make_root,
    pfx_bytes,
    pooled_key,
)

PASSWORD = "os trust pw"


@pytest.fixture(scope="module")
def world() -> dict[str, Any]:
    client = make_pki("ERCOT-like")
    root = make_root("Public Web Root CA", org="Public Web", key=pooled_key("rsa2048", 6))
    issuing = make_intermediate(root, "Public Web Issuing CA", org="Public Web",
                                key=pooled_key("rsa2048", 7))
    server = make_leaf(issuing, "127.0.0.1", client_auth=False, server_auth=True,
                       san_ip=["127.0.0.1"], key=pooled_key("rsa2048", 9))
    proxy_root = make_root("Contoso TLS Inspection CA", org="Contoso",
                           key=pooled_key("rsa2048", 10))
    proxied = make_leaf(proxy_root, "127.0.0.1", client_auth=False, server_auth=True,
                        san_ip=["127.0.0.1"], key=pooled_key("rsa2048", 11))
    return {"client": client, "root": root, "issuing": issuing, "server": server,
            "proxy_root": proxy_root, "proxied": proxied}


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch, world: dict[str, Any]) -> FakeChainDlls:
    """This computer is Windows as far as the server check goes; its roots: the public
    web root (what a test changes to model another machine)."""
    monkeypatch.setattr(_serverchain, "native_trust", lambda: "windows")
    return FakeChainDlls(roots=[world["root"].cert]).install(monkeypatch)


def _identity(folder: Path, leaf: Issued) -> ProbeIdentity:
    pfx = folder / "JSMITH.pfx"
    pfx.write_bytes(pfx_bytes(leaf, PASSWORD, leaf.chain()))
    return identity_from_file(pfx, PASSWORD)


@contextlib.contextmanager
def recording_server(folder: Path, shown: Sequence[Issued], client_ca: Issued, *,
                     tls13_only: bool = False) -> Iterator[tuple[int, list[bytes | None]]]:
    """A server that asks for a client certificate (CERT_OPTIONAL: the probe's first
    look sends none) and records, per completed handshake, the certificate that arrived.
    Connection n shows `shown[n]` (the last one from then on)."""
    folder.mkdir(parents=True, exist_ok=True)
    contexts = []
    for index, cert in enumerate(shown):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        pem = folder / f"server{index}.pem"
        pem.write_bytes(b"".join(i.pem for i in [cert, *cert.chain()]))
        context.load_cert_chain(str(pem), str(cert.write_key(folder / f"server{index}.key")))
        context.verify_mode = ssl.CERT_OPTIONAL
        context.load_verify_locations(cadata=client_ca.pem.decode())
        if tls13_only:
            context.minimum_version = ssl.TLSVersion.TLSv1_3
        contexts.append(context)
    arrived: list[bytes | None] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        count = 0
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except OSError:
                continue
            context = contexts[min(count, len(contexts) - 1)]
            count += 1
            with raw, contextlib.suppress(OSError, ssl.SSLError):
                raw.settimeout(5)
                with context.wrap_socket(raw, server_side=True) as tls:
                    arrived.append(tls.getpeercert(binary_form=True))
                    if tls.recv(4096):
                        tls.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], arrived
    finally:
        stop.set()
        thread.join(10)
        listener.close()


def test_the_os_trusts_the_server_and_the_sign_in_goes_ahead(
        tmp_path: Path, world: dict[str, Any], windows: FakeChainDlls) -> None:
    identity = _identity(tmp_path, world["client"].leaf)
    with recording_server(tmp_path / "srv", [world["server"]], world["client"].root) as (
            port, arrived):
        result = probe(f"https://127.0.0.1:{port}/", identity, timeout=5)
    assert result.diagnosis.outcome == "accepted", result.details_text()
    assert result.server.trusted is True and result.server.checked_by == "windows"
    assert "checked by Windows" in result.details_text()
    # Windows was asked about the chain the server sent, for its address.
    [call] = windows.chain_calls
    assert call.leaf == world["server"].der
    assert call.extra == [world["issuing"].der, world["root"].der]
    assert [p.server_name for p in windows.policy_calls] == ["127.0.0.1"]
    assert arrived[-1] == world["client"].leaf.der  # our certificate reached it
    assert windows.leaks() == []


def test_a_server_the_os_does_not_trust_never_sees_the_certificate(
        tmp_path: Path, world: dict[str, Any], windows: FakeChainDlls) -> None:
    identity = _identity(tmp_path, world["client"].leaf)
    with recording_server(tmp_path / "srv", [world["proxied"]], world["client"].root) as (
            port, arrived):
        result = probe(f"https://127.0.0.1:{port}/", identity, timeout=5)
    assert result.diagnosis.outcome == "server-untrusted", result.details_text()
    assert result.server.trusted is False
    assert result.server.reason == "its root certificate is not trusted by this computer"
    assert "Contoso TLS Inspection CA" in result.diagnosis.sentence
    assert result.server.detail is not None and "0x800B0109" in result.server.detail
    assert arrived == [None]  # only the first look connected, without a certificate
    assert not result.handshake_completed


def test_openssl_s_own_store_is_not_asked_on_windows(
        tmp_path: Path, world: dict[str, Any], windows: FakeChainDlls,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A chain OpenSSL's default store would trust (SSL_CERT_FILE holds the root) but
    # Windows does not: Windows' answer wins, the certificate stays here.
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(world["proxy_root"].pem)
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    identity = _identity(tmp_path, world["client"].leaf)
    with recording_server(tmp_path / "srv", [world["proxied"]], world["client"].root) as (
            port, arrived):
        result = probe(f"https://127.0.0.1:{port}/", identity, timeout=5)
    assert result.server.trusted is False, result.details_text()
    assert all(cert is None for cert in arrived)


def test_the_sign_in_accepts_only_the_certificate_the_os_trusted(
        tmp_path: Path, world: dict[str, Any], windows: FakeChainDlls,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The first look shows the real server, the second connection another certificate
    # (one OpenSSL's own store would even trust): our certificate must not go out there.
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(world["proxy_root"].pem)
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    identity = _identity(tmp_path, world["client"].leaf)
    with recording_server(tmp_path / "srv", [world["server"], world["proxied"]],
                          world["client"].root) as (port, arrived):
        result = probe(f"https://127.0.0.1:{port}/", identity, timeout=5)
    assert result.server.trusted is False, result.details_text()
    assert result.server.reason is not None and "another certificate" in result.server.reason
    assert result.diagnosis.outcome == "server-untrusted"
    assert arrived == [None]  # the second handshake was refused before our certificate


def test_a_tls13_only_server_is_judged_by_the_os_too(
        tmp_path: Path, world: dict[str, Any], windows: FakeChainDlls) -> None:
    # Its chain is encrypted on the wire: one more handshake reads it. Python before 3.13
    # gives only the leaf; Windows completes the chain itself (AIA here).
    windows.aia = [world["issuing"].cert]
    identity = _identity(tmp_path, world["client"].leaf)
    with recording_server(tmp_path / "srv", [world["server"]], world["client"].root,
                          tls13_only=True) as (port, arrived):
        result = probe(f"https://127.0.0.1:{port}/", identity, timeout=5)
    assert result.diagnosis.outcome == "accepted", result.details_text()
    assert result.server.tls_version == "TLS 1.3"
    assert windows.chain_calls and windows.chain_calls[0].leaf == world["server"].der
    assert arrived[-1] == world["client"].leaf.der


def test_a_trust_file_is_still_checked_by_openssl_on_windows(
        tmp_path: Path, world: dict[str, Any], windows: FakeChainDlls) -> None:
    trust = tmp_path / "trust.pem"
    trust.write_bytes(world["root"].pem)
    identity = _identity(tmp_path, world["client"].leaf)
    with recording_server(tmp_path / "srv", [world["server"]], world["client"].root) as (
            port, arrived):
        result = probe(f"https://127.0.0.1:{port}/", identity, timeout=5, trust_file=trust)
    assert result.diagnosis.outcome == "accepted", result.details_text()
    assert result.server.checked_by == "trust-file"
    assert windows.chain_calls == []
    assert arrived[-1] == world["client"].leaf.der
