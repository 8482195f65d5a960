"""Local servers on 127.0.0.1 for the sign-in test's tests: each behaves like one kind of
real server (no network is needed).

- `openssl_server`: a real `openssl s_server` — demands a client certificate with a CA list
  (`-CAfile`), verifies it against another set (`-verifyCAfile`), checks a CRL, raises the
  authentication level, or speaks only TLS 1.2; `-verify_return_error` makes it send the
  TLS alert OpenSSL maps each verification error to (unknown_ca, certificate_expired,
  certificate_revoked, bad_certificate, handshake_failure).
- `python_server`: Python's `ssl`, with or without asking for a certificate; answers any
  request with "HTTP/1.0 200 OK".
- `raw_server`: plain TCP that reads the ClientHello and closes, or never answers.

Each yields the port and stops its server (by its own process id or thread) afterwards.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from tests.helpers import require_tool
from tests.pki import Issued


def write_pem(path: Path, items: Sequence[Issued]) -> Path:
    path.write_bytes(b"".join(item.pem for item in items))
    return path


@contextlib.contextmanager
def openssl_server(
    folder: Path,
    server: Issued,
    *,
    ca_list: Sequence[Issued] = (),
    verify_with: Sequence[Issued] | None = None,
    ask: bool = True,
    extra: Sequence[str] = (),
) -> Iterator[int]:
    """`openssl s_server -www` on 127.0.0.1:<free port>; yields the port.

    `ca_list`: the CA names sent in the CertificateRequest (-CAfile), also trusted unless
    `verify_with` gives the certificates verification uses instead (-verifyCAfile)."""
    openssl = require_tool("openssl", "openssl")
    folder.mkdir(parents=True, exist_ok=True)
    cert = write_pem(folder / "server.pem", [server])
    key = server.write_key(folder / "server.key")
    chain = write_pem(folder / "server-chain.pem", server.chain())
    command = [openssl, "s_server", "-accept", "127.0.0.1:0", "-cert", str(cert),
               "-key", str(key), "-cert_chain", str(chain), "-www",
               "-no-CAfile", "-no-CApath", "-no-CAstore"]
    if ask:
        command += ["-Verify", "4", "-verify_return_error"]
    if ca_list:
        command += ["-CAfile", str(write_pem(folder / "ca-list.pem", ca_list))]
    if verify_with is not None:
        command += ["-verifyCAfile", str(write_pem(folder / "verify.pem", verify_with))]
    command += list(extra)
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        assert process.stdout is not None
        port = None
        seen = []
        for line in process.stdout:
            seen.append(line)
            if line.startswith("ACCEPT"):
                port = int(line.rsplit(":", 1)[1])
                break
        assert port is not None, "openssl s_server did not start: " + "".join(seen)
        # Keep reading its output so that it never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in process.stdout or ()],
                         daemon=True).start()
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _answer(tls: ssl.SSLSocket) -> None:
    with contextlib.suppress(OSError, ssl.SSLError):
        tls.settimeout(5)
        tls.recv(4096)
        tls.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")


@contextlib.contextmanager
def python_server(folder: Path, server: Issued, *, client_ca: Sequence[Issued] = (),
                  ask: bool = False) -> Iterator[int]:
    """Python's ssl on 127.0.0.1:<free port>: CERT_REQUIRED when `ask`, else no request."""
    folder.mkdir(parents=True, exist_ok=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(write_pem(folder / "py-server.pem", [server, *server.chain()])),
                            str(server.write_key(folder / "py-server.key")))
    if ask:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cafile=str(write_pem(folder / "py-ca.pem", client_ca)))
    with _listening() as listener:
        stop = threading.Event()

        def serve() -> None:
            while not stop.is_set():
                try:
                    raw, _ = listener.accept()
                except (TimeoutError, OSError):
                    continue
                with raw, contextlib.suppress(OSError, ssl.SSLError):
                    raw.settimeout(10)
                    with context.wrap_socket(raw, server_side=True) as tls:
                        _answer(tls)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            yield listener.getsockname()[1]
        finally:
            stop.set()
            thread.join(10)


@contextlib.contextmanager
def _listening() -> Iterator[socket.socket]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    try:
        yield listener
    finally:
        listener.close()


@contextlib.contextmanager
def raw_server(mode: str) -> Iterator[int]:
    """'close': read the ClientHello, then close the connection without a word.
    'hang': accept the connection and never answer (until the block ends)."""
    held: list[socket.socket] = []
    with _listening() as listener:
        stop = threading.Event()

        def serve() -> None:
            while not stop.is_set():
                try:
                    raw, _ = listener.accept()
                except (TimeoutError, OSError):
                    continue
                if mode == "close":
                    with raw, contextlib.suppress(OSError):
                        raw.settimeout(5)
                        raw.recv(4096)
                else:
                    held.append(raw)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            yield listener.getsockname()[1]
        finally:
            stop.set()
            thread.join(10)
            for sock in held:
                sock.close()


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
