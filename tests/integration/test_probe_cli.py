"""`gridcert probe` and `gridcert check --probe` through the real CLI, against local TLS
servers; the server's trust comes from SSL_CERT_FILE (what OpenSSL's default verify paths,
and so the probe's OS trust on Linux, honour)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.integration.cliutil import gridcert, nssdb_with_identity
from tests.integration.probe_servers import openssl_server, python_server
from tests.pki import (
    Issued,
    Pki,
    make_intermediate,
    make_leaf,
    make_pki,
    make_root,
    pfx_bytes,
    pooled_key,
)

PASSWORD = "probe cli pw"
CONTRACT = {"url", "dns", "tcp", "server", "asked_for_certificate", "acceptable_cas",
            "identity", "accepted", "http_status", "alert", "diagnosis", "fix"}


@pytest.fixture(scope="module")
def world() -> dict[str, Issued | Pki]:
    production = make_pki("ERCOT-like")
    root = make_root("TEST Root CA", org="TEST", key=pooled_key("rsa2048", 3))
    issuing = make_intermediate(root, "TEST Issuing CA", org="TEST", key=pooled_key("rsa2048", 4))
    test = Pki(root, issuing, make_leaf(issuing, "Jane Smith", org="TEST",
                                        key=pooled_key("rsa2048", 5)))
    web = make_root("Public Web Root", org="Web", key=pooled_key("rsa2048", 6))
    server = make_leaf(web, "127.0.0.1", client_auth=False, server_auth=True,
                       san_ip=["127.0.0.1"], key=pooled_key("rsa2048", 7))
    return {"production": production, "test": test, "web": web, "server": server}


@pytest.fixture
def env(tmp_path: Path, world: dict[str, Issued | Pki]) -> dict[str, str]:
    web = world["web"]
    assert isinstance(web, Issued)
    trust = tmp_path / "os-trust.pem"
    trust.write_bytes(web.pem)
    return {"SSL_CERT_FILE": str(trust), "SSL_CERT_DIR": str(tmp_path / "no-such-dir"),
            "PW": PASSWORD}


def _pfx(folder: Path, pki: Pki) -> Path:
    path = folder / f"{pki.root.cert.subject.rfc4514_string()[:8]}$JSMITH.pfx"
    path.write_bytes(pfx_bytes(pki.leaf, PASSWORD, [pki.intermediate, pki.root]))
    return path


def test_probe_with_a_pfx_accepted_and_refused(tmp_path: Path, world: dict, env: dict) -> None:
    production, test = world["production"], world["test"]
    with openssl_server(tmp_path / "srv", world["server"], ca_list=[production.root]) as port:
        url = f"https://127.0.0.1:{port}/"
        good = gridcert("probe", url, "--identity", str(_pfx(tmp_path, production)),
                        "--password-env", "PW", "--timeout", "2", "--json", env=env)
        wrong = gridcert("probe", url, "--identity", str(_pfx(tmp_path, test)),
                         "--password-env", "PW", "--timeout", "2", env=env)
    assert good.returncode == 0, good.stderr + good.stdout
    document = json.loads(good.stdout)
    assert set(document) >= CONTRACT
    assert document["accepted"] is True and document["alert"] is None
    assert document["asked_for_certificate"] is True
    assert document["acceptable_cas"] == [production.root.cert.subject.rfc4514_string()]
    assert document["identity"]["sha256"] == production.leaf.sha256
    assert document["server"]["trusted"] is True
    assert document["server"]["chain"][0]["sha256"] == world["server"].sha256
    assert document["dns"]["ok"] and document["tcp"]["ok"]
    assert wrong.returncode == 6, wrong.stderr + wrong.stdout
    assert "✗" in wrong.stdout and "Fix:" in wrong.stdout
    assert "'ERCOT-like Root CA'" in wrong.stdout and "TLS alert: unknown_ca" in wrong.stdout
    # The header names the certificate as the person knows it, not its full subject.
    assert wrong.stdout.splitlines()[0] == f"Sign-in test of {url} with 'Jane Smith':"


def test_probe_reads_the_pfx_password_from_stdin(tmp_path: Path, world: dict,
                                                env: dict) -> None:
    """--password-stdin: the .pfx's password on standard input (the first line), as a
    script passes it without putting it in an argument or the environment."""
    production = world["production"]
    env = {k: v for k, v in env.items() if k != "PW"}
    with python_server(tmp_path / "srv", world["server"], client_ca=[production.root],
                       ask=True) as port:
        url = f"https://127.0.0.1:{port}/"
        done = gridcert("probe", url, "--identity", str(_pfx(tmp_path, production)),
                        "--password-stdin", "--timeout", "5", "--json", env=env,
                        stdin=PASSWORD + "\n")
        wrong = gridcert("probe", url, "--identity", str(_pfx(tmp_path, production)),
                         "--password-stdin", "--timeout", "5", "--json", env=env,
                         stdin="not the password\n")
    assert done.returncode == 0, done.stderr + done.stdout
    document = json.loads(done.stdout)
    assert document["accepted"] is True and document["http_status"] == 200
    assert document["identity"]["sha256"] == production.leaf.sha256
    assert wrong.returncode == 3, wrong.stderr + wrong.stdout  # bad input, nothing sent


def test_probe_without_identity_tries_the_installed_ones(tmp_path: Path, world: dict,
                                                         env: dict) -> None:
    production = world["production"]
    target = nssdb_with_identity(tmp_path / "nssdb", production.leaf,
                                 [production.intermediate, production.root], PASSWORD)
    with python_server(tmp_path / "srv", world["server"], client_ca=[production.root],
                       ask=True) as port:
        url = f"https://127.0.0.1:{port}/"
        automatic = gridcert("probe", url, "--target", target, "--json", env=env)
        named = gridcert("probe", url, "--identity", production.leaf.sha256, "--target",
                         target, "--json", env=env)
    for done in (automatic, named):
        assert done.returncode == 0, done.stderr + done.stdout
        document = json.loads(done.stdout)
        assert document["identity"]["sha256"] == production.leaf.sha256
        assert document["http_status"] == 200 and document["accepted"] is True


def test_usage_and_bad_input_exit_codes(tmp_path: Path, world: dict, env: dict) -> None:
    pfx = _pfx(tmp_path, world["production"])
    cases = [
        (("probe", "http://127.0.0.1/"), 2),
        (("probe", "127.0.0.1", "--timeout", "0"), 2),
        # Infinity crashed with OverflowError (exit 1, a traceback); a huge number hung.
        (("probe", "127.0.0.1", "--timeout", "inf"), 2),
        (("probe", "127.0.0.1", "--timeout", "7200"), 2),
        (("check", "--probe", "--timeout", "inf", "--target", f"nss:{tmp_path}"), 2),
        (("probe", "127.0.0.1", "--password-env", "PW"), 2),
        # An installed certificate needs no password: it was silently ignored.
        (("probe", "127.0.0.1", "--identity", "ab" * 32, "--password-env", "PW"), 2),
        (("probe", "127.0.0.1", "--identity", "AB:" * 31 + "AB", "--password-stdin"), 2),
        (("probe", "127.0.0.1", "--identity", str(tmp_path / "missing.pfx")), 3),
        (("probe", "127.0.0.1", "--identity", str(pfx), "--password-env", "WRONG"), 3),
        (("probe", "127.0.0.1", "--identity", "ab" * 32, "--target", f"nss:{tmp_path}"), 3),
    ]
    for args, code in cases:
        done = gridcert(*args, "--json", env={**env, "WRONG": "not it"})
        assert done.returncode == code, (args, done.stderr)
        document = json.loads(done.stdout)
        assert document["ok"] is False and document["exit_code"] == code, args
        assert done.stderr.startswith("gridcert: "), args


def test_a_certificate_without_its_key_is_refused_in_the_words_of_a_sign_in(
        tmp_path: Path, world: dict, env: dict) -> None:
    # The sentence spoke of "no personal certificate to export".
    cer = tmp_path / "jsmith.cer"
    cer.write_bytes(world["production"].leaf.pem)
    done = gridcert("probe", "127.0.0.1", "--identity", str(cer), env=env)
    assert done.returncode == 3, done.stderr
    assert "cannot sign in" in done.stderr and "export" not in done.stderr
    assert "--identity SHA256" in done.stderr


def test_a_name_that_does_not_resolve_exits_6(env: dict) -> None:
    done = gridcert("probe", "https://gridcert-cli-test.invalid/", "--timeout", "5", "--json",
                    env=env)
    assert done.returncode == 6, done.stderr
    document = json.loads(done.stdout)
    assert document["dns"]["ok"] is False and document["accepted"] is False
    assert "could not be found" in document["diagnosis"] and document["fix"]


def test_check_probe_tests_remembered_endpoints(tmp_path: Path, world: dict, env: dict) -> None:
    production, test = world["production"], world["test"]
    target = nssdb_with_identity(tmp_path / "nssdb", production.leaf,
                                 [production.intermediate, production.root], PASSWORD)
    with python_server(tmp_path / "srv", world["server"], client_ca=[production.root],
                       ask=True) as port:
        url = f"https://127.0.0.1:{port}/"
        remembered = gridcert("probe", url, "--target", target, "--remember", env=env)
        assert remembered.returncode == 0, remembered.stderr
        assert "Remembered" in remembered.stderr
        again = gridcert("probe", "user-1", "--target", target, "--json", env=env)
        assert again.returncode == 0 and json.loads(again.stdout)["url"] == url
        checked = gridcert("check", "--days", "1", "--target", target, "--probe", "--json",
                           env=env)
        plain = gridcert("check", "--days", "1", "--target", target, env=env)
    assert checked.returncode == 0, checked.stderr + checked.stdout
    probes = json.loads(checked.stdout)["probes"]
    assert [(p["url"], p["accepted"], p["identity"]["sha256"]) for p in probes] == [
        (url, True, production.leaf.sha256)]
    assert "probes" not in plain.stdout and plain.returncode == 0
    # The same address now trusts only the TEST root: the check says so and exits 6.
    with python_server(tmp_path / "srv2", world["server"], client_ca=[test.root],
                       ask=True) as port2:
        endpoints = Path(os.environ["GRIDCERT_DATA_DIR"]) / "endpoints.toml"
        endpoints.write_text(endpoints.read_text(encoding="utf-8").replace(
            f":{port}/", f":{port2}/"), encoding="utf-8")
        refused = gridcert("check", "--days", "1", "--target", target, "--probe", env=env)
    assert refused.returncode == 6, refused.stderr + refused.stdout
    assert "Sign-in tests:" in refused.stdout and "✗" in refused.stdout
