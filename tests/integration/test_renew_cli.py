"""Renewal end to end: `gridcert request` → a test CA issues → `gridcert complete` installs
into a real NSS database and exports; the ERCOT-style "new .pfx received" replacement with
its crash cases; and the bad inputs of the issue (a certificate for another key, a PKCS#7
in random order, no keyring)."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

from tests.helpers import ON_CI, require_tool
from tests.integration.cliutil import (
    REPO,
    gridcert,
    install_pfx,
    issue,
    new_nssdb,
    nssdb_with_identity,
    pending_files,
)
from tests.pki import Issued, Pki, make_leaf, make_pki, pfx_bytes, pooled_key

KEY_PW = "pending key passphrase"
EXPORT_PW = "export pass 2026"


def request_cli(csr: Path, *how: str) -> subprocess.CompletedProcess[str]:
    """`gridcert request HOW... --out CSR --key-password-env KEYPW` (KEYPW = KEY_PW)."""
    return gridcert(
        "request", *how, "--out", str(csr), "--key-password-env", "KEYPW", env={"KEYPW": KEY_PW}
    )


def request_csr(csr: Path, subject: str = "CN=Jane Smith") -> None:
    """`gridcert request --subject SUBJECT --out CSR`; must succeed."""
    done = request_cli(csr, "--subject", subject)
    assert done.returncode == 0, done.stderr


def complete_cli(
    issued: Path, *how: str, key_passphrase: str = KEY_PW
) -> subprocess.CompletedProcess[str]:
    """`gridcert complete ISSUED HOW... --key-password-env KEYPW --password-env EXPORTPW`."""
    return gridcert(
        "complete", str(issued), *how, "--key-password-env", "KEYPW", "--password-env",
        "EXPORTPW", env={"KEYPW": key_passphrase, "EXPORTPW": EXPORT_PW},
    )


def nss_keys(db: Path) -> str:
    certutil = require_tool("certutil", "libnss3-tools")
    done = subprocess.run(
        [certutil, "-K", "-d", f"sql:{db}", "-f", "/dev/null"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


def nss_list(db: Path) -> str:
    certutil = require_tool("certutil", "libnss3-tools")
    return subprocess.run(
        [certutil, "-L", "-d", f"sql:{db}"], capture_output=True, text=True, check=True
    ).stdout


def p7_random_order(certs: list[x509.Certificate], path: Path, seed: int) -> Path:
    shuffled = list(certs)
    random.Random(seed).shuffle(shuffled)
    path.write_bytes(pkcs7.serialize_certificates(shuffled, serialization.Encoding.DER))
    return path


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("ERCOT", "Jane Smith")


def test_request_complete_install_and_export(pki: Pki, tmp_path: Path, nssdb: Path) -> None:
    openssl = require_tool("openssl", "openssl")
    db = nssdb
    csr = tmp_path / "jane.csr"
    env = {"KEYPW": KEY_PW, "EXPORTPW": EXPORT_PW}
    subject = r"CN=Jane Smith+UID=0787579852300$JSMITH,OU=QSE\, Trading,O=Énergie Co,C=US"
    done = request_cli(csr, "--subject", subject, "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["csr_path"] == str(csr) and answer["request"]["key"] == "rsa2048"
    assert answer["request"]["passphrase_in_keyring"] is False
    verified = subprocess.run(
        [openssl, "req", "-in", str(csr), "-verify", "-noout", "-text"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "verify OK" in verified.stdout + verified.stderr
    # The pending key is encrypted PKCS#8, owner-only; no passphrase anywhere on disk.
    key_file, meta_file = (
        next(p for p in pending_files() if p.suffix == s) for s in (".key", ".json")
    )
    assert key_file.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    for path in Path(os.environ["GRIDCERT_DATA_DIR"]).rglob("*"):
        if path.is_file():
            assert KEY_PW.encode() not in path.read_bytes()
    assert json.loads(meta_file.read_text())["subject"] == answer["request"]["subject"]
    # `gridcert list` shows the pending request with its age.
    listed = json.loads(
        gridcert("list", "--target", f"bundle:{tmp_path / 'none.pem'}", "--json").stdout
    )
    assert [p["id"] for p in listed["pending"]] == [answer["request"]["id"]]
    assert listed["pending"][0]["age_days"] == 0

    issued = issue(pki, csr)
    bundle = p7_random_order(
        [pki.root.cert, issued, pki.intermediate.cert], tmp_path / "issued.p7b", seed=3
    )
    out = tmp_path / "jane-new.pfx"
    done = complete_cli(
        bundle, "--install", "--target", f"nss:{db}", "--export", str(out), "--json"
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["ok"] and answer["pending_removed"]
    leaf_sha = issued.fingerprint(hashes.SHA256()).hex()
    assert answer["certificate"]["sha256"] == leaf_sha
    # The chain was put in order from the shuffled PKCS#7.
    assert [c["sha256"] for c in answer["chain"]] == [pki.intermediate.sha256, pki.root.sha256]
    assert answer["install"]["ok"] and answer["install"]["verified"]
    assert answer["export"]["checked"]
    # NSS holds the certificate with its key (certutil -K), and the chain.
    assert "Jane Smith" in nss_keys(db)
    listing = nss_list(db)
    assert "ERCOT Issuing CA" in listing and "ERCOT Root CA" in listing
    info = subprocess.run(
        [openssl, "pkcs12", "-info", "-noout", "-in", str(out), "-passin", "env:EXPORTPW"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    assert "AES-256-CBC, Iteration 100000" in info.stderr
    assert info.stderr.count("Certificate bag") == 3
    assert pending_files() == []


@pytest.mark.parametrize("kind", ["ec-p256", "rsa3072"])
def test_complete_any_key_type_export_only(pki: Pki, tmp_path: Path, kind: str) -> None:
    csr = tmp_path / "device.csr"
    done = request_cli(csr, "--subject", "CN=RIG 7,O=Plant", "--key", kind)
    assert done.returncode == 0, done.stderr
    assert "gridcert complete" in done.stdout
    issued = tmp_path / "rig7.cer"
    issued.write_bytes(issue(pki, csr).public_bytes(serialization.Encoding.DER))
    out = tmp_path / "rig7.p12"
    done = complete_cli(issued, "--export", str(out), "--compat")
    assert done.returncode == 0, done.stderr
    assert "compatible protection" in done.stdout and "pending key was removed" in done.stdout
    loaded = serialization.pkcs12.load_pkcs12(out.read_bytes(), EXPORT_PW.encode())
    assert loaded.key is not None and loaded.cert is not None
    assert pending_files() == []


def test_issued_for_another_key_is_refused(pki: Pki, tmp_path: Path) -> None:
    csr = tmp_path / "mine.csr"
    request_csr(csr)
    stranger = make_leaf(pki.intermediate, "Jane Smith", key=pooled_key("rsa2048", 9))
    path = stranger.write(tmp_path / "not-mine.pem")
    done = complete_cli(path, "--export", str(tmp_path / "x.pfx"))
    assert done.returncode == 3
    assert "This certificate does not belong to any request made on this computer." in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.pfx").exists()
    assert len(pending_files()) == 2  # still pending


def test_wrong_pending_passphrase(pki: Pki, tmp_path: Path) -> None:
    csr = tmp_path / "mine.csr"
    request_csr(csr)
    issued = tmp_path / "issued.pem"
    issued.write_bytes(issue(pki, csr).public_bytes(serialization.Encoding.PEM))
    done = complete_cli(issued, "--export", str(tmp_path / "x.pfx"), key_passphrase="not it")
    assert done.returncode == 3
    assert "passphrase does not open the private key" in done.stderr
    assert len(pending_files()) == 2


def test_request_like_copies_subject_exactly(pki: Pki, tmp_path: Path) -> None:
    openssl = require_tool("openssl", "openssl")
    subject = x509.Name(
        [
            x509.RelativeDistinguishedName(
                [x509.NameAttribute(NameOID.COUNTRY_NAME, "US", _ASN1Type.PrintableString)]
            ),
            x509.RelativeDistinguishedName(
                [
                    x509.NameAttribute(
                        NameOID.ORGANIZATION_NAME, "Smith, Jones + Co", _ASN1Type.PrintableString
                    )
                ]
            ),
            x509.RelativeDistinguishedName(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, "Zoë Brontë"),
                    x509.NameAttribute(NameOID.USER_ID, "0787579852300$ZB"),
                ]
            ),
        ]
    )
    old = make_leaf(pki.intermediate, subject=subject, san_email=["zoe@example.com"])
    # The old certificate as the user has it: their .pfx (password asked from the env here
    # through the reader's empty-password try: use a password-less .pfx).
    old_file = tmp_path / "old.pfx"
    old_file.write_bytes(pfx_bytes(old, None, [pki.intermediate, pki.root]))
    csr = tmp_path / "renew.csr"
    done = request_cli(csr, "--like", str(old_file), "--key", "rsa4096", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["request"]["renews"] == old.sha256
    request = x509.load_pem_x509_csr(csr.read_bytes())
    assert request.subject.public_bytes() == old.cert.subject.public_bytes()
    san = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["zoe@example.com"]
    text = subprocess.run(
        [openssl, "req", "-in", str(csr), "-verify", "-noout", "-text"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "verify OK" in text.stdout + text.stderr and "4096 bit" in text.stdout


def test_request_without_keyring_asks_for_a_passphrase(tmp_path: Path) -> None:
    csr = tmp_path / "x.csr"
    done = gridcert(
        "request",
        "--subject",
        "CN=Jane",
        "--out",
        str(csr),
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert done.returncode == 3
    assert "No system keyring" in done.stderr and "--key-password-env" in done.stderr
    assert not csr.exists() and pending_files() == []


def test_bad_subject_and_missing_folder(tmp_path: Path) -> None:
    done = request_cli(tmp_path / "a.csr", "--subject", "CN")
    assert done.returncode == 3 and "not a valid distinguished name" in done.stderr
    done = request_cli(tmp_path / "no" / "a.csr", "--subject", "CN=x")
    assert done.returncode == 3 and "does not exist" in done.stderr
    assert pending_files() == []


def _secret_service() -> bool:
    keyring.core.init_backend()
    return "SecretService" in type(keyring.get_keyring()).__module__


def test_keyring_kept_passphrase(pki: Pki, tmp_path: Path) -> None:
    if not _secret_service():
        if ON_CI:
            pytest.fail("no Secret Service (run under scripts/with-keyring.sh)")
        pytest.skip("no Secret Service (run under scripts/with-keyring.sh)")
    csr = tmp_path / "k.csr"
    done = gridcert("request", "--subject", "CN=Kept In Keyring", "--out", str(csr), "--json")
    assert done.returncode == 0, done.stderr
    request = json.loads(done.stdout)["request"]
    assert request["passphrase_in_keyring"] is True
    assert keyring.get_password("GridCert", f"pending-key:{request['id']}")
    issued = tmp_path / "k.pem"
    issued.write_bytes(issue(pki, csr).public_bytes(serialization.Encoding.PEM))
    done = gridcert(
        "complete",
        str(issued),
        "--export",
        str(tmp_path / "k.pfx"),
        "--password-env",
        "EXPORTPW",
        env={"EXPORTPW": EXPORT_PW},
    )
    assert done.returncode == 0, done.stderr
    # The keyring entry goes with the pending key.
    assert keyring.get_password("GridCert", f"pending-key:{request['id']}") is None


# --- ERCOT style: a new .pfx replaces the old one ----------------------------------------------

REPLACE = """
import sys
from app.actions.renew import replace_identity
from app.actions.targets import resolve_targets
from app.core.reader import read_paths
items = read_paths([sys.argv[1]], lambda _s: sys.argv[3]).items
result = replace_identity(items, resolve_targets([sys.argv[2]]),
                          backup_passphrase_text="backup pw")
print(result.ok, len(result.old), len(result.backups))
for note in result.notes:
    print(note)
"""


def run_replace(
    new_pfx: Path, target: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`replace_identity` (REPLACE) of `new_pfx` ("new pw") into `target`, in a new process
    that the crash hooks in `env` may kill."""
    return subprocess.run(
        [sys.executable, "-c", REPLACE, str(new_pfx), target, "new pw"],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _renewal_pair(pki: Pki, tmp_path: Path) -> tuple[Issued, Issued, Path, Path]:
    now = dt.datetime.now(dt.UTC)
    old = make_leaf(
        pki.intermediate,
        "Jane Smith",
        key=pooled_key("rsa2048", 11),
        not_before=now - dt.timedelta(days=350),
        days=365,
    )
    new = make_leaf(pki.intermediate, "Jane Smith", key=pooled_key("rsa2048", 12), days=365)
    old_pfx = tmp_path / "0787579852300$JSMITH-2025.pfx"
    old_pfx.write_bytes(pfx_bytes(old, "old pw", [pki.intermediate, pki.root]))
    new_pfx = tmp_path / "0787579852300$JSMITH-2026.pfx"
    new_pfx.write_bytes(pfx_bytes(new, "new pw", [pki.intermediate, pki.root]))
    return old, new, old_pfx, new_pfx


def _fingerprints(target: str) -> set[str]:
    from app.actions.targets import resolve_targets

    return {e.item.sha256 for e in resolve_targets([target])[0].list()}


def _target(kind: str, tmp_path: Path) -> str:
    if kind == "nss":
        return f"nss:{new_nssdb(tmp_path / 'nssdb')}"
    require_tool("keytool", "default-jre-headless")
    return f"java:{tmp_path / 'client.p12'}"


@pytest.mark.parametrize("kind", ["nss", "java"])
def test_new_pfx_replaces_old_with_backup(pki: Pki, tmp_path: Path, kind: str) -> None:
    target = _target(kind, tmp_path)
    old, new, old_pfx, new_pfx = _renewal_pair(pki, tmp_path)
    install_pfx(old_pfx, target, "old pw")
    done = run_replace(new_pfx, target)
    assert done.returncode == 0, done.stderr
    present = _fingerprints(target)
    assert new.sha256 in present
    if kind == "nss" and done.stdout.startswith("False"):
        # NSS gives every certificate of one subject the same nickname, so its adapter
        # cannot yet take out last year's identity alone: the removal is refused and rolled
        # back, both stay, and the person is told why.
        assert done.stdout.splitlines()[0] == "False 1 0"
        assert "could not be removed and was kept: " in done.stdout
        assert old.sha256 in present
        return
    assert done.stdout.splitlines()[0] == "True 1 1"
    assert old.sha256 not in present
    backups = list((Path(os.environ["GRIDCERT_DATA_DIR"]) / "backups").iterdir())
    assert len(backups) == 1 and stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    restored = serialization.pkcs12.load_pkcs12(backups[0].read_bytes(), b"backup pw")
    assert restored.cert is not None and restored.cert.certificate == old.cert
    assert restored.key is not None


@pytest.mark.parametrize(
    "crash, survivors",
    [
        # Killed after the new identity went in, before that change was committed: rolled back.
        ({"GRIDCERT_TEST_CRASH_AFTER_STEP": "1"}, "old"),
        # Killed between installing the new one and removing the old one: both are there.
        ({"GRIDCERT_TEST_CRASH_BETWEEN": "1"}, "both"),
    ],
)
def test_crash_between_install_new_and_remove_old(
    pki: Pki, tmp_path: Path, crash: dict[str, str], survivors: str
) -> None:
    # A Java keystore: its entries have unique aliases, so a rollback can take out exactly
    # the new identity (NSS gives same-subject certificates one nickname; see below).
    target = _target("java", tmp_path)
    old, new, old_pfx, new_pfx = _renewal_pair(pki, tmp_path)
    install_pfx(old_pfx, target, "old pw")
    done = run_replace(new_pfx, target, crash)
    assert done.returncode in (70, 71), done.stderr  # the process really died
    # The next GridCert run finishes (rolls back) what the crash left.
    listed = gridcert("list", "--target", target)
    assert listed.returncode == 0, listed.stderr
    present = _fingerprints(target)
    assert old.sha256 in present  # the old certificate is never lost
    assert (new.sha256 in present) == (survivors == "both")


def test_crash_in_nss_never_loses_the_old_identity(pki: Pki, tmp_path: Path) -> None:
    target = _target("nss", tmp_path)
    old, _new, old_pfx, new_pfx = _renewal_pair(pki, tmp_path)
    install_pfx(old_pfx, target, "old pw")
    done = run_replace(new_pfx, target, {"GRIDCERT_TEST_CRASH_AFTER_STEP": "1"})
    assert done.returncode == 70, done.stderr
    gridcert("list", "--target", target)
    present = _fingerprints(target)
    assert old.sha256 in present
    assert "Jane Smith" in nss_keys(Path(target[4:]))


def test_request_like_a_fingerprint_found_in_a_store(pki: Pki, tmp_path: Path) -> None:
    """`--like SHA256` finds the certificate in the detected stores (here Chromium's NSS
    database under the test HOME)."""
    db = Path(os.environ["HOME"]) / ".local" / "share" / "pki" / "nssdb"
    nssdb_with_identity(db, pki.leaf, [pki.intermediate, pki.root], "pw")
    csr = tmp_path / "like.csr"
    done = request_cli(csr, "--like", pki.leaf.sha256.upper(), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["request"]["renews"] == pki.leaf.sha256
    request = x509.load_pem_x509_csr(csr.read_bytes())
    assert request.subject.public_bytes() == pki.leaf.cert.subject.public_bytes()
    missing = request_cli(tmp_path / "m.csr", "--like", "ab" * 32)
    assert missing.returncode == 3 and "No store here holds" in missing.stderr


def test_request_like_a_locked_pfx_without_a_terminal(pki: Pki, tmp_path: Path) -> None:
    locked = tmp_path / "locked.pfx"
    locked.write_bytes(pfx_bytes(pki.leaf, "secret", [pki.root]))
    done = request_cli(tmp_path / "x.csr", "--like", str(locked))
    assert done.returncode == 3
    assert "protected by a password" in done.stderr and "SHA-256" in done.stderr
    assert pending_files() == []


def test_renew_refuses_an_older_pfx_unless_told(pki: Pki, tmp_path: Path) -> None:
    """Renew with last year's .pfx while this year's is installed (real NSS database):
    `check_freshness` says it is older, `replace_identity` refuses and changes nothing;
    with `allow_older=True` (the person said this is the file they want) it goes in."""
    from app.actions.renew import check_freshness, replace_identity
    from app.actions.targets import resolve_targets
    from app.core.errors import RefusedError
    from app.core.reader import read_paths

    target = f"nss:{new_nssdb(tmp_path / 'nssdb')}"
    old, new, old_pfx, new_pfx = _renewal_pair(pki, tmp_path)
    install_pfx(new_pfx, target, "new pw")
    items = read_paths([str(old_pfx)], lambda _s: "old pw").items
    stores = resolve_targets([target])
    verdict = check_freshness(items, stores)
    assert verdict.verdict == "older" and not verdict.acceptable
    assert verdict.installed is not None and verdict.installed.sha256 == new.sha256
    before = _fingerprints(target)
    with pytest.raises(RefusedError) as caught:
        replace_identity(items, stores, backup_passphrase_text="backup pw")
    assert str(caught.value) == (
        f"{verdict.sentence} Nothing was changed; to install it all the same, say that this "
        "is the file you want.")
    assert caught.value.exit_code == 3
    assert _fingerprints(target) == before
    done = replace_identity(items, stores, remove=False, allow_older=True)
    assert done.install is not None and done.install.ok
    assert old.sha256 in _fingerprints(target)
    again = check_freshness(read_paths([str(new_pfx)], lambda _s: "new pw").items, stores)
    assert again.verdict == "equal"
