"""Every exported file read by tools that are not ours: `openssl pkcs12 -info` (modern, and
-legacy for compatible), `keytool -list -storetype PKCS12`, `pk12util -l`, and a real
mutual-TLS handshake with `curl --cert-type P12` against a local server that demands a
client certificate. Plus the export refusals (no key, no password) and an export out of a
real NSS database."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from app.actions.export import Format
from app.core.p12 import Profile
from tests.e2e.tls_server import client_auth_server
from tests.helpers import require_tool
from tests.integration.cliutil import gridcert, nssdb_with_identity
from tests.pki import Issued, Pki, make_leaf, make_pki, pfx_bytes

IN_PW = "ercot one-time password"
OUT_PW = "peace-wisdom-climb-legacy-dozen-soap-habit"


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("CAISO", "Jane Smith")


@pytest.fixture(scope="module")
def server(pki: Pki) -> Issued:
    return make_leaf(
        pki.root,
        "localhost",
        client_auth=False,
        server_auth=True,
        san_ip=["127.0.0.1"],
        san_dns=["localhost"],
    )


def _source_pfx(pki: Pki, folder: Path) -> Path:
    path = folder / "0787579852300$JSMITH.pfx"
    path.write_bytes(
        pfx_bytes(
            pki.leaf,
            IN_PW,
            [pki.intermediate, pki.root],
            friendly_name="Jane Smith (CAISO)",
            compatible=True,
        )
    )
    return path


def _pw_file(folder: Path, password: str) -> Path:
    path = folder / "pw.txt"
    path.write_text(password)
    path.chmod(0o600)
    return path


def _curl_handshake(
    pfx: Path,
    pki: Pki,
    server: Issued,
    folder: Path,
    cert_type: str = "P12",
    key: Path | None = None,
) -> tuple[str, int]:
    curl = require_tool("curl", "curl")
    ca = folder / "server-ca.pem"
    ca.write_bytes(pki.root.pem)
    config = folder / "curl.cfg"
    lines = [f'cert = "{pfx}:{OUT_PW}"', f'cert-type = "{cert_type}"', f'cacert = "{ca}"']
    if key is not None:
        lines += [f'key = "{key}"', f'pass = "{OUT_PW}"']
    config.write_text("\n".join(lines) + "\n")  # the password stays off the command line
    config.chmod(0o600)
    with client_auth_server(server.pem, server.key_pem, pki.root.pem) as (host, port, seen):
        done = subprocess.run(
            [curl, "-sS", "--max-time", "20", "-K", str(config), f"https://{host}:{port}/"],
            capture_output=True,
            text=True,
            check=False,
        )
        accepted = len(seen)
    assert done.returncode == 0, done.stderr
    return done.stdout, accepted


def _openssl_info(out: Path, *, legacy: bool = False) -> str:
    """`openssl pkcs12 [-legacy] -info -noout` of an exported file: its report (stderr)."""
    openssl = require_tool("openssl", "openssl")
    info = subprocess.run(
        [openssl, "pkcs12", *(["-legacy"] if legacy else []), "-info", "-noout", "-in",
         str(out), "-passin", "env:OUTPW"],
        capture_output=True,
        text=True,
        env={**os.environ, "OUTPW": OUT_PW},
    )
    assert info.returncode == 0, info.stderr
    return info.stderr


def _keytool_list(out: Path, *, verbose: bool = False) -> str:
    """`keytool -list [-v] -storetype PKCS12` of an exported file: its listing (stdout)."""
    keytool = require_tool("keytool", "default-jre-headless")
    listing = subprocess.run(
        [keytool, "-list", *(["-v"] if verbose else []), "-storetype", "PKCS12", "-keystore",
         str(out), "-storepass:env", "OUTPW"],
        capture_output=True,
        text=True,
        env={**os.environ, "OUTPW": OUT_PW},
    )
    assert listing.returncode == 0, listing.stdout + listing.stderr
    return listing.stdout


def _pk12util_list(out: Path, folder: Path) -> str:
    """`pk12util -l` of an exported file (password from a 0600 file): its listing."""
    pk12util = require_tool("pk12util", "libnss3-tools")
    nss = subprocess.run(
        [pk12util, "-l", str(out), "-w", str(_pw_file(folder, OUT_PW))],
        capture_output=True,
        text=True,
    )
    assert nss.returncode == 0, nss.stderr
    return nss.stdout


def _write(pki: Pki, folder: Path, profile: Profile, fmt: Format = "pfx") -> Path:
    from app.actions.export import export_from_file

    out = folder / ("exported.pem" if fmt == "pem" else f"exported-{profile}.pfx")
    result = export_from_file(
        _source_pfx(pki, folder), out, OUT_PW, file_password=IN_PW, profile=profile, fmt=fmt
    )
    assert result.path == out and result.checked
    assert [c.sha256 for c in result.chain] == [pki.intermediate.sha256, pki.root.sha256]
    return out


def test_modern_export_read_by_every_tool(pki: Pki, server: Issued, tmp_path: Path) -> None:
    out = _write(pki, tmp_path, "modern")
    info = _openssl_info(out)
    assert "MAC: sha256, Iteration 100000" in info
    assert info.count("PBES2, PBKDF2, AES-256-CBC, Iteration 100000") == 2
    listing = _keytool_list(out, verbose=True)
    assert "Entry type: PrivateKeyEntry" in listing
    assert "Certificate chain length: 3" in listing
    assert "jane smith (caiso)" in listing.lower()  # the friendly name became the alias
    nss = _pk12util_list(out, tmp_path)
    assert nss.count("Certificate(has private key):") == 1
    assert "Friendly Name: Jane Smith (CAISO)" in nss
    body, accepted = _curl_handshake(out, pki, server, tmp_path)
    assert accepted == 1 and "CN=Jane Smith" in body.replace("commonName", "CN")


def test_compatible_export_read_by_every_tool(pki: Pki, server: Issued, tmp_path: Path) -> None:
    out = _write(pki, tmp_path, "compatible")
    info = _openssl_info(out, legacy=True)
    assert "MAC: sha1, Iteration 2048" in info
    assert info.count("pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048") == 2
    assert "PrivateKeyEntry" in _keytool_list(out)
    nss = _pk12util_list(out, tmp_path)
    assert "Triple DES" in nss and "Certificate(has private key):" in nss
    _body, accepted = _curl_handshake(out, pki, server, tmp_path)
    assert accepted == 1


def test_pem_export_key_stays_encrypted(pki: Pki, server: Issued, tmp_path: Path) -> None:
    out = _write(pki, tmp_path, "modern", fmt="pem")
    text = out.read_bytes()
    assert b"BEGIN ENCRYPTED PRIVATE KEY" in text and b"BEGIN PRIVATE KEY" not in text
    assert text.count(b"BEGIN CERTIFICATE") == 3
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    # curl opens the encrypted key with the passphrase (given in its config file).
    _body, accepted = _curl_handshake(out, pki, server, tmp_path, cert_type="PEM", key=out)
    assert accepted == 1


def test_cli_export_from_file_json(pki: Pki, tmp_path: Path) -> None:
    source = tmp_path / "same-password.pfx"
    source.write_bytes(pfx_bytes(pki.leaf, OUT_PW, [pki.intermediate, pki.root]))
    out = tmp_path / "for-server-2016.pfx"
    done = gridcert(
        "export",
        str(source),
        "--out",
        str(out),
        "--compat",
        "--password-env",
        "PW",
        "--json",
        env={"PW": OUT_PW},
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["profile"] == "compatible" and "Server 2016" in answer["for"]
    assert answer["certificate"]["sha256"] == pki.leaf.sha256
    assert answer["certificate"]["has_private_key"] is True
    assert len(answer["chain"]) == 2 and answer["checked"]


def test_export_of_a_certificate_without_key(pki: Pki, tmp_path: Path) -> None:
    cert_only = pki.leaf.write(tmp_path / "jane.cer")
    done = gridcert(
        "export",
        str(cert_only),
        "--out",
        str(tmp_path / "x.pfx"),
        "--password-env",
        "PW",
        env={"PW": OUT_PW},
    )
    assert done.returncode == 3
    assert "holds no private key" in done.stderr and "new certificate" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x.pfx").exists()


def test_export_needs_a_password(pki: Pki, tmp_path: Path) -> None:
    source = _source_pfx(pki, tmp_path)
    done = gridcert("export", str(source), "--out", str(tmp_path / "x.pfx"))
    assert done.returncode == 3 and "needs a password" in done.stderr
    done = gridcert(
        "export",
        str(source),
        "--out",
        str(tmp_path / "x.pfx"),
        "--password-env",
        "PW",
        env={"PW": "wrong"},
    )
    assert done.returncode == 3 and "wrong password" in done.stderr
    assert not (tmp_path / "x.pfx").exists()


def test_export_from_a_real_nss_database(pki: Pki, server: Issued, tmp_path: Path) -> None:
    from app.stores.base import TrustStore
    from app.stores.nss import NssStore

    target = nssdb_with_identity(
        tmp_path / "nssdb", pki.leaf, [pki.intermediate, pki.root], OUT_PW, "in.pfx"
    )
    out = tmp_path / "from-nss.pfx"
    done = gridcert(
        "export",
        pki.leaf.sha256,
        "--target",
        target,
        "--out",
        str(out),
        "--password-env",
        "PW",
        env={"PW": OUT_PW},
    )
    if NssStore.export_identity is TrustStore.export_identity:
        # Until the NSS adapter exports (pk12util -o), the person gets a sentence, not a trace.
        assert done.returncode == 4 and "cannot export" in done.stderr
        assert "new certificate" in done.stderr
        return
    assert done.returncode == 0, done.stderr
    _body, accepted = _curl_handshake(out, pki, server, tmp_path)
    assert accepted == 1


def test_export_carries_the_full_chain_from_every_store(pki: Pki, tmp_path: Path) -> None:
    """The key and the intermediate are in one NSS database, the root only in another (the
    Chrome/Edge database): the exported file holds both CA certificates whichever copy is
    exported, as openssl reads it; `by_certificate` lists the leaf once with its stores."""
    from app.actions.export import export_from_store
    from app.actions.inventory import by_certificate, list_certificates
    from app.actions.targets import resolve_targets
    from tests.integration.cliutil import install_file

    target = nssdb_with_identity(tmp_path / "nssdb", pki.leaf, [pki.intermediate], OUT_PW)
    root_file = tmp_path / "root.pem"
    root_file.write_bytes(pki.root.pem)
    install_file(root_file, "chromium")
    second = nssdb_with_identity(tmp_path / "nssdb2", pki.leaf, [pki.intermediate], OUT_PW,
                                 "jane2.pfx")
    out = tmp_path / "moved.pfx"
    done = gridcert("export", pki.leaf.sha256, "--target", target, "--out", str(out),
                    "--password-env", "PW", "--json", env={"PW": OUT_PW})
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert [c["sha256"] for c in document["chain"]] == [pki.intermediate.sha256,
                                                       pki.root.sha256]
    info = _openssl_info(out)
    assert info.count("Certificate bag") == 3, info

    stores = resolve_targets([second, target, "chromium"])
    result = export_from_store(stores[0], pki.leaf.sha256, tmp_path / "b.pfx", OUT_PW,
                               chain_stores=stores)
    assert [c.sha256 for c in result.chain] == [pki.intermediate.sha256, pki.root.sha256]
    alone = export_from_store(stores[0], pki.leaf.sha256, tmp_path / "c.pfx", OUT_PW)
    assert [c.sha256 for c in alone.chain] == [pki.intermediate.sha256]  # the store's own

    rows = by_certificate(list_certificates(stores).entries)
    leaf_row = next(r for r in rows if r.sha256 == pki.leaf.sha256)
    assert leaf_row.target_ids == [second, target]
    assert leaf_row.has_private_key and len(leaf_row.with_key) == 2
    assert len(rows) == len({r.sha256 for r in rows}) == 3
    root_row = next(r for r in rows if r.sha256 == pki.root.sha256)
    assert root_row.target_ids == [stores[2].id]
    assert root_row.places({stores[2].id: "Chrome and Edge"}) == ["Chrome and Edge"]


def test_non_ascii_export_password_warning(pki: Pki, tmp_path: Path) -> None:
    """What the warning says is true of real keytool: a modern (AES-256) file protected by
    `export-Pa$$-ü` does not open in keytool, the same file with an ASCII password does.
    `export_password_warning` warns for Java and for the compatible profile only, and
    `gridcert export --compat` prints the warning on stderr (the file is still written)."""
    from app.actions.export import write_export
    from app.core.export_password import export_password_warning
    from app.core.model import CertificateItem

    keytool = require_tool("keytool", "default-jre-headless")
    leaf = CertificateItem(pki.leaf.cert, "jane.pfx", private_key=pki.leaf.key)
    chain = [CertificateItem(pki.intermediate.cert, "i"), CertificateItem(pki.root.cert, "r")]

    def keytool_opens(path: Path, password: str) -> bool:
        done = subprocess.run(
            [keytool, "-list", "-storetype", "PKCS12", "-keystore", str(path),
             "-storepass:env", "KPW"],
            capture_output=True, text=True, env={**os.environ, "KPW": password})
        return done.returncode == 0

    umlaut = "export-Pa$$-ü"
    write_export(leaf, chain, tmp_path / "u.pfx", umlaut, profile="modern")
    write_export(leaf, chain, tmp_path / "a.pfx", "export-Pa$$-u", profile="modern")
    assert keytool_opens(tmp_path / "a.pfx", "export-Pa$$-u")
    assert not keytool_opens(tmp_path / "u.pfx", umlaut)

    java = export_password_warning(umlaut, profile="modern", for_java=True)
    assert java is not None
    assert java.sentence == (
        "The password contains ü: Java may read such letters differently and then say the "
        "password is wrong. For this file, a password of plain letters (a–z, A–Z), digits "
        "and punctuation is safer.")
    assert "keytool" in java.detail
    compatible = export_password_warning(umlaut, profile="compatible")
    assert compatible is not None and "older Windows versions" in compatible.sentence
    assert export_password_warning(umlaut, profile="modern") is None
    assert export_password_warning("export-Pa$$-u", profile="compatible", for_java=True) is None

    source = tmp_path / "source.pfx"
    source.write_bytes(pfx_bytes(pki.leaf, umlaut, [pki.intermediate, pki.root]))
    done = gridcert("export", str(source), "--out", str(tmp_path / "old-windows.pfx"),
                    "--compat", "--password-env", "PW", "--json", env={"PW": umlaut})
    assert done.returncode == 0, done.stderr
    assert f"Warning: {compatible.sentence}" in done.stderr
    json.loads(done.stdout)  # the JSON document is still alone on stdout
    modern = gridcert("export", str(source), "--out", str(tmp_path / "new.pfx"),
                      "--password-env", "PW", env={"PW": umlaut})
    assert modern.returncode == 0, modern.stderr
    assert "Warning" not in modern.stderr
