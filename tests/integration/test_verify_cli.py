"""`gridcert verify`: the CLI contract (JSON, exit codes, human text) and a cross-check of
the verdicts against `openssl verify` on the same files."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from app.cli import main
from tests.helpers import require_tool
from tests.pki import (
    DAY,
    NOW,
    Issued,
    make_intermediate,
    make_leaf,
    make_pki,
    make_root,
    pfx_bytes,
    pooled_key,
)

REPO = Path(__file__).resolve().parents[2]


def write(folder: Path, name: str, *certs: Issued) -> Path:
    path = folder / name
    path.write_bytes(b"".join(cert.pem for cert in certs))
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["verify", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- the contract -----------------------------------------------------------------------


def test_valid_chain_json_exactly_the_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = make_pki()
    leaf = write(tmp_path, "jane.pem", pki.leaf)
    chain = write(tmp_path, "inter.pem", pki.intermediate)
    root = write(tmp_path, "root.pem", pki.root)
    code, out, err = run_cli(
        capsys, str(leaf), "--chain", str(chain), "--anchor", str(root), "--json"
    )
    assert code == 0
    assert err == ""
    document = json.loads(out)
    assert document == {
        "valid": True,
        "path": [pki.leaf.sha256, pki.intermediate.sha256, pki.root.sha256],
        "reason": None,
    }


def test_invalid_chain_exit_1_with_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    inter = make_intermediate(
        root, "Old Issuing CA", not_before=NOW - 900 * DAY,
        not_after=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
    )
    leaf = make_leaf(inter, not_before=NOW - 30 * DAY)
    code, out, _ = run_cli(
        capsys, str(write(tmp_path, "leaf.pem", leaf)),
        "--chain", str(write(tmp_path, "i.pem", inter)),
        "--anchor", str(write(tmp_path, "r.pem", root)), "--json",
    )
    assert code == 1
    document = json.loads(out)
    assert document["valid"] is False
    assert document["reason"] == "the intermediate 'Old Issuing CA' expired on 2025-03-01"
    assert document["path"] == [leaf.sha256, inter.sha256, root.sha256]


def test_at_date_changes_the_verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pki = make_pki()
    args = [
        str(write(tmp_path, "leaf.pem", pki.leaf)),
        "--chain", str(write(tmp_path, "chain.pem", pki.intermediate, pki.root)),
    ]
    expiry = pki.leaf.cert.not_valid_after_utc
    later = (expiry + 2 * DAY).strftime("%Y-%m-%d")
    code, out, _ = run_cli(capsys, *args, "--at", later, "--json")
    assert code == 1
    assert json.loads(out)["reason"] == f"'Jane Smith' expired on {expiry:%Y-%m-%d}"
    today = NOW.strftime("%Y-%m-%d")
    code, out, _ = run_cli(capsys, *args, "--at", today, "--json")
    assert code == 0


@pytest.mark.parametrize("bad", ["2025-13-01", "01/02/2025", "tomorrow", "20250101"])
def test_bad_at_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    pki = make_pki()
    code, out, err = run_cli(capsys, str(write(tmp_path, "l.pem", pki.leaf)), "--at", bad)
    assert code == 2
    assert out == ""
    assert f"--at wants a date written YYYY-MM-DD, not '{bad}'." in err


def test_unreadable_leaf_exit_3_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothere.pem"
    code, out, err = run_cli(capsys, str(missing), "--json")
    assert code == 3
    # --json still prints one document of the verify shape; the sentence is also on stderr.
    document = json.loads(out)
    assert document == {"valid": False, "path": [], "reason": document["reason"]}
    assert "nothere.pem" in document["reason"] and document["reason"] in err
    garbage = tmp_path / "notes.txt"
    garbage.write_text("hello, this is not a certificate\n")
    code, out, err = run_cli(capsys, str(garbage))
    assert code == 3
    assert "notes.txt" in err


def test_unreadable_chain_file_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pki = make_pki()
    broken = tmp_path / "chain.pem"
    broken.write_bytes(pki.intermediate.pem[:200])
    code, _, err = run_cli(
        capsys, str(write(tmp_path, "l.pem", pki.leaf)), "--chain", str(broken)
    )
    assert code == 3
    assert "chain.pem" in err


def test_without_anchor_roots_from_files_are_used_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = make_pki()
    code, out, _ = run_cli(
        capsys, str(write(tmp_path, "l.pem", pki.leaf)),
        "--chain", str(write(tmp_path, "chain.pem", pki.intermediate, pki.root)),
    )
    assert code == 0
    assert (
        "No --anchor given: trusting the self-signed root(s) found in the files: "
        "'GridCert Test Root CA'." in out
    )
    assert "Valid: 'Jane Smith' chains to the trusted root 'GridCert Test Root CA'." in out
    assert "Not checked: certificate policies, revocation, name constraints." in out
    lines = out.splitlines()
    path_rows = [line for line in lines if line[:2] in ("1 ", "2 ", "3 ")]
    assert [row.split()[-1] for row in path_rows] == [
        pki.leaf.sha256, pki.intermediate.sha256, pki.root.sha256
    ]


def test_without_anchor_and_without_roots_nothing_is_trusted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = make_pki()
    code, out, _ = run_cli(
        capsys, str(write(tmp_path, "l.pem", pki.leaf)),
        "--chain", str(write(tmp_path, "i.pem", pki.intermediate)),
    )
    assert code == 1
    assert "no self-signed root among the other files: nothing is trusted" in out
    assert (
        "Not valid: the intermediate 'GridCert Test Issuing CA' was not issued by any "
        "certificate given (its issuer is 'CN=GridCert Test Root CA,O=GridCert Test,C=US')."
        in out
    )


def test_pfx_leaf_is_the_keyed_certificate_and_its_cas_are_the_pool(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = make_pki()
    pfx = tmp_path / "0123456789012$JSMITH.pfx"
    pfx.write_bytes(pfx_bytes(pki.leaf, None, [pki.intermediate, pki.root]))
    anchor = str(write(tmp_path, "r.pem", pki.root))
    code, out, _ = run_cli(capsys, str(pfx), "--anchor", anchor, "--json")
    assert code == 0, out
    assert json.loads(out)["path"] == [pki.leaf.sha256, pki.intermediate.sha256, pki.root.sha256]
    # a password-protected one cannot be opened here (verify takes no password): exit 3
    locked = tmp_path / "locked.pfx"
    locked.write_bytes(pfx_bytes(pki.leaf, "s3cret", [pki.intermediate]))
    code, out, err = run_cli(capsys, str(locked), "--anchor", anchor, "--json")
    assert code == 3
    assert json.loads(out) == {"valid": False, "path": [], "reason": err.strip()[10:]}
    assert "locked.pfx" in err


@pytest.mark.parametrize("bad", ["missing", "text", "folder", "empty"])
@pytest.mark.parametrize("where", ["leaf", "--chain", "--anchor"])
def test_json_failure_is_one_verify_document(tmp_path: Path, bad: str, where: str) -> None:
    """A LEAF/--chain/--anchor that cannot be used: exit 3 and, on stdout, exactly one JSON
    document of the contract's verify shape (a script reads `valid`, never an empty output);
    the same sentence goes to stderr for a person."""
    pki = make_pki("Bad Input", "Jane Smith")
    good = {"leaf": write(tmp_path, "leaf.pem", pki.leaf),
            "--chain": write(tmp_path, "chain.pem", pki.intermediate),
            "--anchor": write(tmp_path, "root.pem", pki.root)}
    broken = tmp_path / f"broken-{bad}.pem"
    if bad == "text":
        broken.write_text("these are the instructions, not a certificate\n")
    elif bad == "folder":
        broken.mkdir()
    elif bad == "empty":
        broken.write_bytes(b"")
    files = {**good, where: broken}
    completed = subprocess.run(
        [sys.executable, "-m", "app", "verify", str(files["leaf"]),
         "--chain", str(files["--chain"]), "--anchor", str(files["--anchor"]), "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )
    assert completed.returncode == 3, completed.stderr
    document = json.loads(completed.stdout)  # one document, nothing else on stdout
    assert list(document) == ["valid", "path", "reason"]
    assert document["valid"] is False and document["path"] == []
    assert broken.name in document["reason"]
    assert completed.stderr == f"gridcert: {document['reason']}\n"


def test_bad_at_with_json_is_a_verify_document_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = make_pki("Bad Date", "Jane Smith")
    code, out, err = run_cli(capsys, str(write(tmp_path, "l.pem", pki.leaf)),
                             "--at", "31/12/2026", "--json")
    assert code == 2
    document = json.loads(out)
    assert document["valid"] is False and document["path"] == []
    assert document["reason"] == "--at wants a date written YYYY-MM-DD, not '31/12/2026'."
    assert document["reason"] in err


def test_human_output_flags_catalog_likeness_and_weakness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root("ERCOT CA", org="ERCOT")
    leaf = make_leaf(root, "Jane Smith")
    code, out, _ = run_cli(
        capsys, str(write(tmp_path, "l.pem", leaf)),
        "--anchor", str(write(tmp_path, "r.pem", root)),
    )
    assert code == 0
    # The trust badge's words, as `inspect` and the wizard say them.
    assert (
        "Note: 'ERCOT CA' — Name matches only. This has the name of the ERCOT CA "
        "(production) root, but nothing on record proves it is ERCOT's: compare its SHA-256 "
        "fingerprint with ERCOT's page before you install it. ERCOT's page: "
        "https://www.ercot.com/services/mdt/webservices/." in out
    )
    assert "looks like" not in out


def test_human_output_flags_an_impostor_with_the_operators_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CN=ERCOT CA root whose key is not the 2048-bit RSA key ERCOT states is flagged as
    not ERCOT's, in the words `inspect` uses (it used to get no note at all)."""
    root = make_root("ERCOT CA", org="ERCOT", key=pooled_key("ec-p256", 0))
    leaf = make_leaf(root, "Jane Smith")
    code, out, _ = run_cli(
        capsys, str(write(tmp_path, "l.pem", leaf)),
        "--anchor", str(write(tmp_path, "r.pem", root)),
    )
    assert code == 0  # the chain itself is valid; the note is about whose root it is
    assert "Note: 'ERCOT CA' — Not ERCOT's certificate. This has the name of" in out
    assert "Do not install it" in out


def test_verify_writes_one_log_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import logging
    import os

    pki = make_pki()
    run_cli(capsys, str(write(tmp_path, "l.pem", pki.leaf)), "--json")
    for handler in logging.getLogger("gridcert").handlers:
        handler.flush()
    log = Path(os.environ["GRIDCERT_DATA_DIR"]) / "logs" / "gridcert.log"
    lines = [line for line in log.read_text().splitlines() if "action=verify" in line]
    assert len(lines) == 1
    assert "outcome=invalid" in lines[0]


def test_cli_as_a_process(tmp_path: Path) -> None:
    pki = make_pki()
    completed = subprocess.run(
        [sys.executable, "-m", "app", "verify", str(write(tmp_path, "l.pem", pki.leaf)),
         "--chain", str(write(tmp_path, "c.pem", pki.intermediate, pki.root)), "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["valid"] is True


# --- cross-check with openssl verify ---------------------------------------------------------


def _case(kind: str) -> tuple[Issued, list[Issued], Issued]:
    """(leaf, intermediates, root) for one kind of chain."""
    root = make_root()
    if kind == "valid":
        inter = make_intermediate(root)
        return make_leaf(inter), [inter], root
    if kind == "folded-issuer-name":
        inter = make_intermediate(root)
        folded = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "us"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "gridcert  TEST"),
            x509.NameAttribute(NameOID.COMMON_NAME, " GridCert Test Issuing CA"),
        ])
        return make_leaf(inter, issuer_name=folded), [inter], root
    if kind == "two-levels":
        policy = make_intermediate(root, "Policy CA")
        inter = make_intermediate(policy, "Issuing CA", key=pooled_key("rsa2048", 3))
        return make_leaf(inter), [policy, inter], root
    if kind == "expired-intermediate":
        inter = make_intermediate(root, not_before=NOW - 900 * DAY, not_after=NOW - DAY)
        return make_leaf(inter, not_before=NOW - 30 * DAY), [inter], root
    if kind == "not-yet-valid-leaf":
        inter = make_intermediate(root)
        return make_leaf(inter, not_before=NOW + 3 * DAY), [inter], root
    if kind == "wrong-issuer-key":
        inter = make_intermediate(root)
        impostor = make_intermediate(root, key=pooled_key("rsa2048", 3))
        return make_leaf(inter), [impostor], root
    if kind == "pathlen-violated":
        limited = make_root(path_length=0)
        inter = make_intermediate(limited)
        return make_leaf(inter), [inter], limited
    if kind == "not-a-ca":
        inter = make_intermediate(root, ca=False)
        return make_leaf(inter), [inter], root
    if kind == "no-keycertsign":
        inter = make_intermediate(root, key_cert_sign=False)
        return make_leaf(inter), [inter], root
    raise AssertionError(kind)


KINDS = [
    ("valid", True),
    ("folded-issuer-name", True),
    ("two-levels", True),
    ("expired-intermediate", False),
    ("not-yet-valid-leaf", False),
    ("wrong-issuer-key", False),
    ("pathlen-violated", False),
    ("not-a-ca", False),
    ("no-keycertsign", False),
]


@pytest.mark.parametrize(("kind", "expected"), KINDS)
def test_verdict_agrees_with_openssl_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, expected: bool
) -> None:
    openssl = require_tool("openssl", "openssl")
    leaf, inters, root = _case(kind)
    leaf_file = write(tmp_path, "leaf.pem", leaf)
    chain_file = write(tmp_path, "inter.pem", *inters)
    root_file = write(tmp_path, "root.pem", root)
    reference = subprocess.run(
        [openssl, "verify", "-CAfile", str(root_file), "-untrusted", str(chain_file),
         str(leaf_file)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    openssl_valid = reference.returncode == 0 and reference.stdout.strip().endswith(": OK")
    code, out, _ = run_cli(
        capsys, str(leaf_file), "--chain", str(chain_file), "--anchor", str(root_file), "--json"
    )
    ours = json.loads(out)
    assert openssl_valid is expected, reference.stdout + reference.stderr
    assert ours["valid"] is expected, ours["reason"]
    assert code == (0 if expected else 1)
    if expected:
        assert ours["path"][0] == leaf.sha256
        assert ours["path"][-1] == root.sha256
        assert len(ours["path"]) == len(inters) + 2
    else:
        assert ours["reason"]
