"""End to end: what GridCert installs really works for mutual TLS, and `undo` really
leaves every store as it was.

1. `gridcert install root.pem client.pfx --target nss:DIR`, then NSS's own TLS client
   (`tstclnt`) uses that database and the installed identity against a real TLS server on
   127.0.0.1 that demands a client certificate issued under the test root; `vfychain`
   validates the client certificate against the installed root (usage 0 = SSL client).
2. The install issue's "Done when": an operator-style root zip + a client .pfx into an NSS
   database, a Java keystore and a prefixed linux-system store; `list` shows them; `undo`
   leaves `certutil -L`/`-K`, `keytool -list` and the linux-system files as before.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import time
import zipfile
from pathlib import Path

from app.stores.linux_system import LinuxSystemStore
from tests.e2e.tls_server import client_auth_server
from tests.helpers import require_tool
from tests.integration.test_install_cli import (
    PASSWORD,
    gridcert,
    new_nssdb,
    nss_state,
    write_pki,
)
from tests.pki import make_leaf, make_pki, make_root


def _nickname(db: Path, sha256: str) -> str:
    listed = gridcert("list", "--target", f"nss:{db}", "--json")
    assert listed.returncode == 0, listed.stderr
    for entry in json.loads(listed.stdout)["certificates"]:
        if entry["sha256"] == sha256:
            return str(entry["location"])
    raise AssertionError("the client certificate is not listed")


def test_installed_identity_passes_a_client_certificate_handshake(tmp_path: Path) -> None:
    tstclnt = require_tool("tstclnt", "libnss3-tools")
    vfychain = require_tool("vfychain", "libnss3-tools")
    db = new_nssdb(tmp_path / "nssdb")
    pki, root, pfx = write_pki(tmp_path)
    client_pem = tmp_path / "client.pem"
    client_pem.write_bytes(pki.leaf.pem)
    intermediate_pem = tmp_path / "issuing.pem"
    intermediate_pem.write_bytes(pki.intermediate.pem)

    def validate() -> subprocess.CompletedProcess[str]:
        return subprocess.run([vfychain, "-d", f"sql:{db}", "-u", "0", "-a", str(client_pem),
                               "-a", str(intermediate_pem)],
                              capture_output=True, text=True, check=False, timeout=60)

    assert validate().returncode != 0  # before: the root is not trusted in this database

    result = gridcert("install", str(root), str(pfx), "--target", f"nss:{db}",
                      "--password-env", "PW", env={"PW": PASSWORD})
    assert result.returncode == 0, result.stderr

    checked = validate()
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Chain is good!" in checked.stdout + checked.stderr

    nickname = _nickname(db, pki.leaf.sha256)
    empty = new_nssdb(tmp_path / "empty-nssdb")
    server = make_leaf(pki.intermediate, "GridCert test server", client_auth=False,
                       server_auth=True, san_ip=["127.0.0.1"])
    with client_auth_server(server.pem + pki.intermediate.pem, server.key_pem,
                            pki.root.pem) as (host, port, seen):
        handshake = subprocess.run(
            [tstclnt, "-h", host, "-p", str(port), "-d", f"sql:{db}", "-n", nickname,
             "-o", "-Q"], capture_output=True, text=True, check=False, timeout=60, input="")
        # The server records the handshake in its own thread: wait for it.
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        accepted = len(seen)
        # The same client with a database that has no identity: the server refuses it.
        without = subprocess.run(
            [tstclnt, "-h", host, "-p", str(port), "-d", f"sql:{empty}", "-o", "-Q"],
            capture_output=True, text=True, check=False, timeout=60, input="")
        # With TLS 1.3 the client may finish before the server refuses it, so the
        # server's count is the evidence (polled: the refusal happens in its thread).
        deadline = time.monotonic() + 10
        while seen.rejected == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert handshake.returncode == 0, handshake.stdout + handshake.stderr
    assert accepted == 1
    subject = dict(pair for rdn in seen[0]["subject"] for pair in rdn)
    assert subject["commonName"] == "Jane Smith"
    assert len(seen) == 1 and seen.rejected == 1, (without.stdout, without.stderr, seen.errors)


def _keytool_list(keytool: str, keystore: Path) -> str:
    return subprocess.run([keytool, "-list", "-keystore", str(keystore), "-storepass",
                           "changeit"], capture_output=True, text=True, check=True).stdout


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under the linux-system prefix, except the log in which the prefixed
    store records the refresh commands it ran (a record of activity, not trust)."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "refresh.log"}


def _debian_like_prefix() -> Path:
    """A Debian-style system store under GRIDCERT_LINUX_ROOT that, like a real one, already
    holds distribution CAs and has been refreshed once.

    (An *empty* store is not realistic: with exactly one certificate in the bundle,
    `openssl rehash` links the bundle file itself, and Debian's update-ca-certificates then
    keeps that certificate in the bundle after its file is gone.)
    """
    prefix = Path(os.environ["GRIDCERT_LINUX_ROOT"])
    (prefix / "usr/local/share/ca-certificates").mkdir(parents=True)
    (prefix / "etc/ssl/certs").mkdir(parents=True)
    distro = prefix / "usr/share/ca-certificates/mozilla"
    distro.mkdir(parents=True)
    lines = []
    for name in ("Distro Root One", "Distro Root Two"):
        file_name = name.replace(" ", "_") + ".crt"
        make_root(name).write(distro / file_name)
        lines.append(f"mozilla/{file_name}")
    (prefix / "etc/ca-certificates.conf").write_text("\n".join(lines) + "\n")
    store = LinuxSystemStore()
    assert store.available().usable, store.available().reason
    store.refresh()
    return prefix


def test_done_when_nss_java_and_linux_system_then_undo_restores_all(tmp_path: Path) -> None:
    require_tool("pk12util", "libnss3-tools")
    keytool = require_tool("keytool", "openjdk-17-jre-headless")
    db = new_nssdb(tmp_path / "nssdb")
    # A keystore that already trusts something else: undo must keep that.
    keystore = tmp_path / "truststore.p12"
    other = make_root("Some Other Root").write(tmp_path / "other.pem")
    subprocess.run([keytool, "-importcert", "-noprompt", "-alias", "other", "-file", str(other),
                    "-keystore", str(keystore), "-storetype", "PKCS12", "-storepass",
                    "changeit"], check=True, capture_output=True)
    prefix = _debian_like_prefix()

    pki = make_pki("ERCOT-like", "Jane Smith")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("ERCOT-like CA/ERCOT-like CA.cer", pki.root.der)
        zipped.writestr("ERCOT-like CA/Instructions.pdf", b"%PDF-1.4 instructions")
    root_zip = tmp_path / "ERCOT-like CA.zip"
    root_zip.write_bytes(buffer.getvalue())
    _, _, pfx = write_pki(tmp_path, pki)

    before = (nss_state(db), _keytool_list(keytool, keystore), _tree(prefix))
    targets = ["--target", f"nss:{db}", "--target", f"java:{keystore}",
               "--target", "linux-system"]
    result = gridcert("install", str(root_zip), str(pfx), *targets, "--password-env", "PW",
                      "--yes", "--json", env={"PW": PASSWORD})
    assert result.returncode == 0, result.stderr
    verified = json.loads(result.stdout)["result"]["verified"]
    assert len(verified) == 3

    listed = gridcert("list", *targets, "--json")
    assert listed.returncode == 0, listed.stderr
    where = {(e["target"], e["sha256"]) for e in json.loads(listed.stdout)["certificates"]}
    for target in (f"nss:{db}", f"java:{keystore}", "linux-system"):
        assert (target, pki.root.sha256) in where
    assert (f"nss:{db}", pki.leaf.sha256) in where
    assert "Jane Smith" in nss_state(db)[1]
    assert _keytool_list(keytool, keystore) != before[1]

    undone = gridcert("undo", "--yes")
    assert undone.returncode == 0, undone.stderr
    assert nss_state(db) == before[0]
    assert _keytool_list(keytool, keystore) == before[1]
    assert _tree(prefix) == before[2]
