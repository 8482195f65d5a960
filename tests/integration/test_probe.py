"""The sign-in test (`app/actions/probe.py`) against real local servers, one per case the
issue lists: a server that demands a certificate with a CA list, one that does not ask,
one whose own certificate is not trusted, one that rejects with each alert, one that
closes the connection, one that hangs, a name that does not resolve. Identities come from
a .pfx and from a real NSS database. Also: no unencrypted private key is ever written.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import ssl
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from app.actions.probe import (
    ProbeIdentity,
    identity_from_file,
    identity_from_installed,
    probe,
    probe_installed,
)
from app.core.endpoints import Endpoint
from app.stores._scratch import scratch_root
from app.stores.registry import resolve_targets
from tests.integration.cliutil import nssdb_with_identity
from tests.integration.probe_servers import (
    closed_port,
    openssl_server,
    python_server,
    raw_server,
)
from tests.pki import (
    NOW,
    Issued,
    Pki,
    make_intermediate,
    make_leaf,
    make_pki,
    make_root,
    pfx_bytes,
    pooled_key,
)

PASSWORD = "probe pfx pw"


def _other_pki(name: str, first_key: int) -> Pki:
    """A PKI with keys of its own (make_pki's share the pool's first three keys)."""
    root = make_root(f"{name} Root CA", org=name, key=pooled_key("rsa2048", first_key))
    issuing = make_intermediate(root, f"{name} Issuing CA", org=name,
                                key=pooled_key("rsa2048", first_key + 1))
    leaf = make_leaf(issuing, "Jane Smith", org=name, key=pooled_key("rsa2048", first_key + 2))
    return Pki(root, issuing, leaf)


@pytest.fixture(scope="module")
def world() -> dict[str, Any]:
    """Production and test client PKIs, a public-like server PKI, and a proxy's CA."""
    production = make_pki("ERCOT-like")
    test = _other_pki("ERCOT-like TEST", 3)
    web = _other_pki("Public Web", 6)
    server = make_leaf(web.intermediate, "127.0.0.1", client_auth=False, server_auth=True,
                       san_ip=["127.0.0.1"], key=pooled_key("rsa2048", 9))
    proxy_root = make_root("Contoso TLS Inspection CA", org="Contoso",
                           key=pooled_key("rsa2048", 10))
    proxied = make_leaf(proxy_root, "127.0.0.1", client_auth=False, server_auth=True,
                        san_ip=["127.0.0.1"], key=pooled_key("rsa2048", 11))
    return {"production": production, "test": test, "web": web, "server": server,
            "proxied": proxied}


@pytest.fixture
def trust(tmp_path: Path, world: dict[str, Any]) -> Path:
    """The trust the probe checks servers against (the OS's, in real life)."""
    path = tmp_path / "trust.pem"
    path.write_bytes(world["web"].root.pem)
    return path


def _pfx_identity(folder: Path, leaf: Issued) -> ProbeIdentity:
    pfx = folder / f"{leaf.sha256[:8]}$JSMITH.pfx"
    pfx.write_bytes(pfx_bytes(leaf, PASSWORD, leaf.chain()))
    return identity_from_file(pfx, PASSWORD)


def _url(port: int) -> str:
    return f"https://127.0.0.1:{port}/"


# --- a server that demands a certificate with a CA list -----------------------------------


def test_accepted_by_a_server_that_lists_the_right_ca(tmp_path: Path, world: dict[str, Any],
                                                      trust: Path) -> None:
    production: Pki = world["production"]
    identity = _pfx_identity(tmp_path, production.leaf)
    steps: list[str] = []
    with openssl_server(tmp_path / "srv", world["server"], ca_list=[production.root]) as port:
        result = probe(_url(port), identity, timeout=3, trust_file=trust,
                       progress=lambda step, _sentence: steps.append(step))
    assert result.diagnosis.outcome == "accepted", result.details_text()
    assert result.accepted and result.exit_code == 0
    assert result.asked_for_certificate is True
    assert result.acceptable_cas == [production.root.cert.subject.rfc4514_string()]
    assert result.chains_to_acceptable is True
    assert result.handshake_completed and result.alert is None
    assert result.server.trusted is True
    # The whole chain as the server sent it (s_server sends the root too).
    assert [c.sha256 for c in result.server.chain] == [
        world["server"].sha256, world["web"].intermediate.sha256, world["web"].root.sha256]
    assert result.identity is not None and result.identity.sha256 == production.leaf.sha256
    assert "accepted your certificate 'Jane Smith'" in result.diagnosis.sentence
    assert steps[:4] == ["dns", "tcp", "server", "sign-in"] and steps[-1] == "done"
    document = result.to_json()
    assert {"url", "dns", "tcp", "server", "asked_for_certificate", "acceptable_cas",
            "identity", "accepted", "http_status", "alert", "diagnosis", "fix"} <= set(document)
    assert set(document["server"]) == {"chain", "trusted", "reason"}
    assert set(document["identity"]) >= {"sha256", "subject", "not_after"}


def test_http_status_is_reported_when_the_server_answers(tmp_path: Path, world: dict[str, Any],
                                                         trust: Path) -> None:
    production: Pki = world["production"]
    identity = _pfx_identity(tmp_path, production.leaf)
    with python_server(tmp_path / "srv", world["server"], client_ca=[production.root],
                       ask=True) as port:
        result = probe(_url(port), identity, timeout=5, trust_file=trust)
    assert result.diagnosis.outcome == "accepted", result.details_text()
    assert result.http_status == 200
    assert "(HTTP 200)" in result.diagnosis.sentence
    # Python's ssl names no CA in its CertificateRequest: "any CA" is an empty list.
    assert result.acceptable_cas == []


def test_a_test_certificate_against_production_names_both_cas(
        tmp_path: Path, world: dict[str, Any], trust: Path) -> None:
    production: Pki = world["production"]
    test: Pki = world["test"]
    identity = _pfx_identity(tmp_path, test.leaf)
    with openssl_server(tmp_path / "srv", world["server"], ca_list=[production.root]) as port:
        result = probe(_url(port), identity, timeout=3, trust_file=trust)
    assert result.diagnosis.outcome == "wrong-ca", result.details_text()
    assert result.chains_to_acceptable is False
    assert result.alert == "unknown_ca"  # the server really refused it
    assert not result.accepted and result.exit_code == 6
    assert "'ERCOT-like Root CA'" in result.diagnosis.sentence
    assert "'ERCOT-like TEST Issuing CA'" in result.diagnosis.sentence


# --- a server that does not ask; one whose own certificate is not trusted ----------------


def test_a_server_that_does_not_ask_is_the_wrong_address(
        tmp_path: Path, world: dict[str, Any], trust: Path) -> None:
    identity = _pfx_identity(tmp_path, world["production"].leaf)
    with python_server(tmp_path / "srv", world["server"], ask=False) as port:
        result = probe(_url(port), identity, timeout=5, trust_file=trust)
    assert result.diagnosis.outcome == "not-asked", result.details_text()
    assert result.asked_for_certificate is False
    assert result.acceptable_cas is None
    assert result.http_status == 200
    assert not result.accepted
    assert "did not ask for a certificate" in result.diagnosis.sentence


def test_an_intercepting_proxy_is_named_and_gets_no_certificate(
        tmp_path: Path, world: dict[str, Any], trust: Path) -> None:
    production: Pki = world["production"]
    identity = _pfx_identity(tmp_path, production.leaf)
    with openssl_server(tmp_path / "srv", world["proxied"], ca_list=[production.root]) as port:
        result = probe(_url(port), identity, timeout=3, trust_file=trust)
    assert result.diagnosis.outcome == "server-untrusted", result.details_text()
    assert result.server.trusted is False and result.server.reason
    assert "Contoso TLS Inspection CA" in result.diagnosis.sentence
    assert "TLS inspection" in result.diagnosis.fix
    # The test stopped before our certificate was offered.
    assert not result.handshake_completed and result.alert is None
    assert [c.sha256 for c in result.server.chain] == [
        world["proxied"].sha256, world["proxied"].issuer.sha256]


# --- a server that rejects with each alert -------------------------------------------------


def _crl(pki: Pki, revoked: Issued, folder: Path) -> Path:
    entry = (x509.RevokedCertificateBuilder().serial_number(revoked.cert.serial_number)
             .revocation_date(NOW - dt.timedelta(hours=1)).build())
    crl = (x509.CertificateRevocationListBuilder()
           .issuer_name(pki.intermediate.cert.subject)
           .last_update(NOW - dt.timedelta(hours=1))
           .next_update(NOW + dt.timedelta(days=7))
           .add_revoked_certificate(entry)
           .sign(pki.intermediate.key, hashes.SHA256()))  # type: ignore[arg-type]
    path = folder / "issuing.crl.pem"
    path.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    return path


def test_each_alert_gets_its_own_sentence(tmp_path: Path, world: dict[str, Any],
                                          trust: Path) -> None:
    production: Pki = world["production"]
    server = world["server"]
    good = _pfx_identity(tmp_path, production.leaf)
    expired_leaf = make_leaf(production.intermediate, "Old Smith",
                             not_before=NOW - dt.timedelta(days=400), days=30,
                             key=pooled_key("rsa2048", 12))
    expired = _pfx_identity(tmp_path, expired_leaf)
    revoked_leaf = make_leaf(production.intermediate, "Gone Smith", key=pooled_key("rsa2048", 13))
    revoked = _pfx_identity(tmp_path, revoked_leaf)
    crl = _crl(production, revoked_leaf, tmp_path)
    cases: list[tuple[str, ProbeIdentity, dict[str, Any], str, str]] = [
        # The server lists no CA, so ours "fits", but it trusts another root only.
        ("unknown_ca", good, {"verify_with": [world["test"].root]}, "rejected",
         "not registered"),
        ("certificate_expired", expired, {"ca_list": [production.root]},
         "certificate-expired", "expired on"),
        ("certificate_revoked", revoked,
         {"ca_list": [production.root], "extra": ["-crl_check", "-CRL", str(crl)]},
         "revoked", "revoked"),
        # An authentication level of 3 (128-bit security) refuses RSA-2048 certificates.
        ("bad_certificate", good, {"ca_list": [production.root], "extra": ["-auth_level", "3"]},
         "rejected", "not registered"),
        # The server accepts only ECDSA signatures from clients: our RSA certificate cannot
        # be used, none is sent, and the TLS 1.2 server ends the handshake.
        ("handshake_failure", good,
         {"ca_list": [production.root],
          "extra": ["-tls1_2", "-client_sigalgs", "ECDSA+SHA256"]},
         "handshake-failure", "ended the handshake"),
    ]
    for alert, identity, options, outcome, words in cases:
        with openssl_server(tmp_path / alert, server, **options) as port:
            result = probe(_url(port), identity, timeout=3, trust_file=trust)
        assert result.alert == alert, (alert, result.details_text())
        assert result.diagnosis.outcome == outcome, (alert, result.details_text())
        assert words in result.diagnosis.sentence, (alert, result.diagnosis.sentence)
        assert result.diagnosis.fix and not result.accepted and result.exit_code == 6


# --- closes, hangs, does not resolve, refuses -------------------------------------------


def test_a_server_that_closes_the_connection(tmp_path: Path, world: dict[str, Any],
                                             trust: Path) -> None:
    identity = _pfx_identity(tmp_path, world["production"].leaf)
    with raw_server("close") as port:
        result = probe(_url(port), identity, timeout=5, trust_file=trust)
    assert result.diagnosis.outcome == "closed", result.details_text()
    assert result.closed_by_server and result.tcp.ok
    assert "closed the connection" in result.diagnosis.sentence


def test_a_hung_server_times_out(tmp_path: Path, world: dict[str, Any], trust: Path) -> None:
    identity = _pfx_identity(tmp_path, world["production"].leaf)
    with raw_server("hang") as port:
        result = probe(_url(port), identity, timeout=0.5, trust_file=trust)
    assert result.diagnosis.outcome == "timeout", result.details_text()
    assert result.timed_out == "tls"
    assert "did not answer" in result.diagnosis.sentence
    assert "--timeout" in result.diagnosis.fix


def test_a_name_that_does_not_resolve(tmp_path: Path, world: dict[str, Any]) -> None:
    result = probe("https://gridcert-probe-test.invalid/", None, timeout=5)
    assert result.diagnosis.outcome == "dns-failed", result.details_text()
    assert result.dns.ok is False and result.tcp.ok is None
    assert "could not be found" in result.diagnosis.sentence
    assert result.to_json()["dns"]["ok"] is False


def test_a_private_wan_name_says_so_and_offers_the_internet_name() -> None:
    def endpoint(id: str, url: str, network: str) -> Endpoint:
        return Endpoint(id, "Example API", "ERCOT", "production", "EWS", url, True, (),
                        "active", True, network)

    endpoints = [endpoint("api", "https://api.example.invalid/", "internet"),
                 endpoint("api-wan", "https://api.wan.example.invalid/", "private-wan")]
    result = probe("https://api.wan.example.invalid/", None, timeout=5, endpoints=endpoints)
    assert result.diagnosis.outcome == "dns-failed"
    assert result.endpoint is not None and result.endpoint.id == "api-wan"
    assert "private WAN" in result.diagnosis.sentence
    assert "https://api.example.invalid/" in result.diagnosis.fix


def test_a_refused_connection(world: dict[str, Any]) -> None:
    result = probe(_url(closed_port()), None, timeout=5)
    assert result.diagnosis.outcome == "tcp-failed", result.details_text()
    assert result.tcp.ok is False and "refused" in (result.tcp.error or "")


# --- identities from a real NSS database ------------------------------------------------


def test_identity_from_a_real_nss_database(tmp_path: Path, world: dict[str, Any],
                                           trust: Path) -> None:
    production: Pki = world["production"]
    target = nssdb_with_identity(tmp_path / "nssdb", production.leaf,
                                 [production.intermediate, production.root], PASSWORD)
    stores = resolve_targets([target])
    identity = identity_from_installed(production.leaf.sha256, stores)
    assert identity.source == target and identity.leaf.private_key is not None
    with openssl_server(tmp_path / "srv", world["server"], ca_list=[production.root]) as port:
        single = probe(_url(port), identity, timeout=3, trust_file=trust)
        tried = probe_installed(_url(port), stores, timeout=3, trust_file=trust)
    assert single.diagnosis.outcome == "accepted", single.details_text()
    assert [r.identity.sha256 if r.identity else None for r in tried.results] == [
        production.leaf.sha256]
    assert tried.best.accepted and tried.exit_code == 0


def test_installed_identities_that_do_not_fit_the_ca_list_are_not_sent(
        tmp_path: Path, world: dict[str, Any], trust: Path) -> None:
    test: Pki = world["test"]
    production: Pki = world["production"]
    target = nssdb_with_identity(tmp_path / "nssdb", test.leaf,
                                 [test.intermediate, test.root], PASSWORD)
    with openssl_server(tmp_path / "srv", world["server"], ca_list=[production.root]) as port:
        tried = probe_installed(_url(port), resolve_targets([target]), timeout=3,
                                trust_file=trust)
    assert len(tried.results) == 1
    result = tried.best
    assert result.identity is None
    assert result.diagnosis.outcome == "wrong-ca", result.details_text()
    assert "none of the certificates installed here" in result.diagnosis.sentence


# --- the private key never touches the disk unencrypted ---------------------------------


_CLEAR_KEY_MARKERS = (b"-----BEGIN PRIVATE KEY-----", b"-----BEGIN RSA PRIVATE KEY-----",
                      b"-----BEGIN EC PRIVATE KEY-----")


def _assert_no_clear_key(path: Path, data: bytes) -> None:
    for marker in _CLEAR_KEY_MARKERS:
        assert marker not in data, f"{path} holds an unencrypted private key"
    if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in data:
        start = data.index(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        with pytest.raises(TypeError):  # "Password was not given but private key is encrypted"
            serialization.load_pem_private_key(data[start:], None)
    if path.suffix in (".p12", ".pfx"):
        with pytest.raises(ValueError):
            pkcs12.load_key_and_certificates(data, None)


@pytest.fixture
def written_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Every file this process opens for writing, every file in a scratch folder when it is
    removed (pk12util's too), and every file `ssl` loads a client certificate from."""
    seen: dict[str, Any] = {"written": set(), "loaded": [], "scratch": []}
    active = {"on": False}
    seen["start"] = lambda: active.update(on=True)  # from here on (after test set-up)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if not active["on"] or event != "open" or not args or not isinstance(args[0],
                                                                            (str, Path)):
            return
        mode, flags = (args[1], args[2]) if len(args) > 2 else (None, 0)
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR))
        if writing:
            seen["written"].add(os.fspath(args[0]))

    sys.addaudithook(hook)  # cannot be removed: switched off below instead
    real_load = ssl.SSLContext.load_cert_chain

    def load(self: ssl.SSLContext, certfile: Any, keyfile: Any = None,
             password: Any = None) -> None:
        if not active["on"]:
            return real_load(self, certfile, keyfile, password)
        path = Path(certfile)
        info = path.stat()
        seen["loaded"].append({"path": path, "data": path.read_bytes(),
                               "mode": stat.S_IMODE(info.st_mode),
                               "folder_mode": stat.S_IMODE(path.parent.stat().st_mode)})
        for name in seen["written"]:
            if os.path.isfile(name):
                _assert_no_clear_key(Path(name), Path(name).read_bytes())
        return real_load(self, certfile, keyfile, password)

    real_rmtree = shutil.rmtree

    def rmtree(path: Any, *args: Any, **kwargs: Any) -> None:
        folder = Path(path)
        inside = folder.is_dir() and folder.resolve().is_relative_to(scratch_root().resolve())
        if active["on"] and inside:
            for item in folder.rglob("*"):
                if item.is_file():
                    seen["scratch"].append(item.name)
                    _assert_no_clear_key(item, item.read_bytes())
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_cert_chain", load)
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    try:
        yield seen
    finally:
        active["on"] = False


def test_no_unencrypted_key_is_written(tmp_path: Path, world: dict[str, Any], trust: Path,
                                       written_files: dict[str, Any]) -> None:
    production: Pki = world["production"]
    target = nssdb_with_identity(tmp_path / "nssdb", production.leaf,
                                 [production.intermediate, production.root], PASSWORD)
    pfx = tmp_path / "jane.pfx"
    pfx.write_bytes(pfx_bytes(production.leaf, PASSWORD, [production.intermediate]))
    with python_server(tmp_path / "srv", world["server"], client_ca=[production.root],
                       ask=True) as port:
        # From here: the test server's own (clear) key file is the test's, not GridCert's.
        written_files["start"]()
        from_store = probe_installed(_url(port), resolve_targets([target]), timeout=5,
                                     trust_file=trust)
        from_file = probe(_url(port), identity_from_file(pfx, PASSWORD), timeout=5,
                          trust_file=trust)
    assert from_store.best.accepted and from_file.accepted
    loaded = written_files["loaded"]
    assert len(loaded) == 2  # one sign-in each
    root = scratch_root().resolve()
    for entry in loaded:
        assert entry["path"].resolve().is_relative_to(root)
        assert entry["mode"] == 0o600 and entry["folder_mode"] == 0o700
        assert b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in entry["data"]
        _assert_no_clear_key(entry["path"], entry["data"])
        assert not entry["path"].exists()  # removed as soon as it was loaded
    # pk12util's one-time export went through the scratch folder too, encrypted.
    assert "export.p12" in written_files["scratch"]
    for name in written_files["written"]:
        if os.path.isfile(name):
            _assert_no_clear_key(Path(name), Path(name).read_bytes())
    assert not any(root.iterdir()) if root.exists() else True
