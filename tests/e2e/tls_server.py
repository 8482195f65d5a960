"""A real TLS server on 127.0.0.1 that demands a client certificate, for end-to-end tests.

    with client_auth_server(server_cert, server_key, client_ca_pem) as (host, port, seen):
        run a client (tstclnt, curl, openssl s_client) against host:port
        seen  # one dict per accepted handshake: ssl.getpeercert() of the client

`server_cert`/`server_key`/`client_ca_pem` are PEM bytes or paths. The server certificate
should carry `subjectAltName = IP:127.0.0.1`. Handshakes without an acceptable client
certificate fail on the server side and are counted in `seen.rejected`.
Each connection gets "HTTP/1.0 200 OK" and the client's subject, so curl works too.
"""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class Seen(list[dict[str, Any]]):
    """The client certificates the server accepted (getpeercert() dicts), in order."""

    rejected: int = 0
    errors: list[str]

    def __init__(self) -> None:
        super().__init__()
        self.errors = []


def _as_path(value: bytes | str | os.PathLike[str], folder: str, name: str) -> str:
    if isinstance(value, bytes):
        path = Path(folder) / name
        path.write_bytes(value)
        path.chmod(0o600)
        return str(path)
    return str(value)


def _subject_text(peer: dict[str, Any]) -> str:
    parts = []
    for rdn in peer.get("subject", ()):
        for key, value in rdn:
            parts.append(f"{key}={value}")
    return ", ".join(parts)


def _serve(listener: socket.socket, context: ssl.SSLContext, seen: Seen,
           stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            raw, _address = listener.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        with raw:
            raw.settimeout(10)
            try:
                with context.wrap_socket(raw, server_side=True) as tls:
                    peer = tls.getpeercert()
                    if not peer:
                        seen.rejected += 1
                        continue
                    seen.append(peer)
                    with contextlib.suppress(OSError, ssl.SSLError):
                        tls.settimeout(2)
                        tls.recv(4096)  # the request, if the client sends one
                        body = f"hello {_subject_text(peer)}\n".encode()
                        tls.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
                                    b"Content-Length: " + str(len(body)).encode() +
                                    b"\r\n\r\n" + body)
            except (ssl.SSLError, OSError) as error:
                seen.rejected += 1
                seen.errors.append(str(error))


@contextlib.contextmanager
def client_auth_server(
    server_cert: bytes | str | os.PathLike[str],
    server_key: bytes | str | os.PathLike[str],
    client_ca_pem: bytes | str | os.PathLike[str],
) -> Iterator[tuple[str, int, Seen]]:
    """Serve TLS on 127.0.0.1:<free port> with CERT_REQUIRED until the block ends."""
    with tempfile.TemporaryDirectory(prefix="gridcert-tls-") as folder:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_cert_chain(_as_path(server_cert, folder, "server.pem"),
                                _as_path(server_key, folder, "server.key"))
        context.load_verify_locations(cafile=_as_path(client_ca_pem, folder, "ca.pem"))
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.2)
        seen = Seen()
        stop = threading.Event()
        thread = threading.Thread(target=_serve, args=(listener, context, seen, stop),
                                  daemon=True)
        thread.start()
        try:
            yield "127.0.0.1", listener.getsockname()[1], seen
        finally:
            stop.set()
            thread.join(5)
            listener.close()
