"""The CLI's known gaps, closed: files that already exist are never overwritten (export,
request, complete --export), the commands that were missing from GridCert's log are in it,
and `undo` of an install that created a trust bundle takes the file away again."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization

from tests.integration.cliutil import (
    gridcert,
    issue,
    log_text,
    pending_files,
)
from tests.pki import Pki, make_pki, make_root, pfx_bytes, pooled_key

PW = "export pass 2026"
KEY_PW = "pending key passphrase"
KEEP = b"something the person wanted to keep\n"


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("ERCOT", "Jane Smith")


def _existing(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(KEEP)
    path.chmod(0o644)
    return path


def _exists_message(path: Path) -> str:
    return f"{path} already exists; choose another name or move it away first."


# --- 3. an existing file is refused, before anything is done --------------------------------


@pytest.mark.parametrize("json_mode", [False, True])
def test_export_refuses_an_existing_out_file(pki: Pki, tmp_path: Path, json_mode: bool) -> None:
    source = tmp_path / "jane.pfx"
    source.write_bytes(pfx_bytes(pki.leaf, PW, [pki.intermediate, pki.root]))
    out = _existing(tmp_path, "jane-copy.pfx")
    extra = ["--json"] if json_mode else []
    done = gridcert("export", str(source), "--out", str(out), "--password-env", "PW", *extra,
                    env={"PW": PW})
    assert done.returncode == 3, done.stderr
    assert f"gridcert: {_exists_message(out)}" in done.stderr
    assert out.read_bytes() == KEEP and stat.S_IMODE(out.stat().st_mode) == 0o644
    if json_mode:
        assert json.loads(done.stdout) == {"ok": False, "error": _exists_message(out),
                                           "exit_code": 3, "detail": None}
    # Refused first: not even a password is needed to be told.
    done = gridcert("export", str(source), "--out", str(out))
    assert done.returncode == 3 and _exists_message(out) in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jane-copy.pfx", "jane.pfx"]


def test_export_to_a_new_file_is_0600_and_opens(pki: Pki, tmp_path: Path) -> None:
    source = tmp_path / "jane.pfx"
    source.write_bytes(pfx_bytes(pki.leaf, PW, [pki.intermediate, pki.root]))
    for fmt in ("pfx", "pem"):
        out = tmp_path / f"copy.{fmt}"
        done = gridcert("export", str(source), "--out", str(out), "--format", fmt,
                        "--password-env", "PW", env={"PW": PW})
        assert done.returncode == 0, done.stderr
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    loaded = serialization.pkcs12.load_pkcs12((tmp_path / "copy.pfx").read_bytes(), PW.encode())
    assert loaded.key is not None
    # Nothing half-written is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.pem", "copy.pfx", "jane.pfx"]


def test_request_refuses_an_existing_csr_file(tmp_path: Path) -> None:
    out = _existing(tmp_path, "jane.csr")
    done = gridcert("request", "--subject", "CN=Jane Smith", "--out", str(out),
                    "--key-password-env", "KEYPW", env={"KEYPW": KEY_PW})
    assert done.returncode == 3, done.stderr
    assert f"gridcert: {_exists_message(out)}" in done.stderr
    assert out.read_bytes() == KEEP
    assert pending_files() == []  # no key was made
    # A new name works, and the CSR (no secret in it) is an ordinary 0644 file.
    fresh = tmp_path / "jane-2.csr"
    done = gridcert("request", "--subject", "CN=Jane Smith", "--out", str(fresh),
                    "--key-password-env", "KEYPW", env={"KEYPW": KEY_PW})
    assert done.returncode == 0, done.stderr
    assert fresh.read_bytes().startswith(b"-----BEGIN CERTIFICATE REQUEST-----")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    assert len(pending_files()) == 2


def test_complete_refuses_an_existing_export_before_installing(
    pki: Pki, tmp_path: Path, nssdb: Path
) -> None:
    db = nssdb
    csr = tmp_path / "jane.csr"
    env = {"KEYPW": KEY_PW, "EXPORTPW": PW}
    assert gridcert("request", "--subject", "CN=Jane Smith,O=Example", "--out", str(csr),
                    "--key-password-env", "KEYPW", env=env).returncode == 0
    issued = tmp_path / "issued.pem"
    issued.write_bytes(issue(pki, csr).public_bytes(serialization.Encoding.PEM))
    out = _existing(tmp_path, "jane-new.pfx")
    before = sorted(p.name for p in db.iterdir())
    done = gridcert("complete", str(issued), "--install", "--target", f"nss:{db}",
                    "--export", str(out), "--key-password-env", "KEYPW",
                    "--password-env", "EXPORTPW", env=env)
    assert done.returncode == 3, done.stderr
    assert f"gridcert: {_exists_message(out)}" in done.stderr
    assert out.read_bytes() == KEEP
    # Nothing was installed (the database lists no certificate) and the request is pending.
    listed = gridcert("list", "--target", f"nss:{db}", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["certificates"] == []
    assert sorted(p.name for p in db.iterdir()) == before
    assert len(pending_files()) == 2


# --- 4. export, request, complete and check are in GridCert's log ------------------------------


def _lines(action: str) -> list[str]:
    return [line for line in log_text().splitlines() if f"action={action} " in line]


def _no_secret_in_log(*secrets: str) -> None:
    text = log_text()
    assert "PRIVATE KEY" not in text
    for secret in secrets:
        assert secret not in text


def test_export_is_logged_with_what_where_and_outcome(pki: Pki, tmp_path: Path) -> None:
    source = tmp_path / "jane.pfx"
    source.write_bytes(pfx_bytes(pki.leaf, PW, [pki.intermediate, pki.root]))
    out = tmp_path / "copy.pfx"
    done = gridcert("export", str(source), "--out", str(out), "--compat", "--password-env",
                    "PW", env={"PW": PW})
    assert done.returncode == 0, done.stderr
    (line,) = _lines("export")
    assert "INFO" in line and "outcome=ok" in line
    assert f"sha256={pki.leaf.sha256}" in line and "Jane Smith" in line
    assert f"out={out}" in line and f"source={source}" in line and "compatible" in line
    # A failure is logged too, with its sentence (and still no password).
    done = gridcert("export", str(source), "--out", str(tmp_path / "x.pfx"), "--password-env",
                    "PW", env={"PW": "not the password"})
    assert done.returncode == 3
    failed = _lines("export")[-1]
    assert "WARNING" in failed and "outcome=failed" in failed and "x.pfx" in failed
    assert "wrong password" in failed
    _no_secret_in_log(PW, "not the password")


def test_request_and_complete_are_logged(pki: Pki, tmp_path: Path) -> None:
    csr = tmp_path / "jane.csr"
    env = {"KEYPW": KEY_PW, "EXPORTPW": PW}
    made = gridcert("request", "--subject", "CN=Jane Smith,O=Example", "--key", "ec-p256",
                    "--out", str(csr), "--key-password-env", "KEYPW", "--json", env=env)
    assert made.returncode == 0, made.stderr
    request_id = json.loads(made.stdout)["request"]["id"]
    (line,) = _lines("request")
    assert "outcome=ok" in line and f"request={request_id}" in line
    assert f"csr={csr}" in line and "key_kind=ec-p256" in line and "Jane Smith" in line
    issued = issue(pki, csr)
    issued_file = tmp_path / "issued.pem"
    issued_file.write_bytes(issued.public_bytes(serialization.Encoding.PEM))
    out = tmp_path / "jane-new.pfx"
    done = gridcert("complete", str(issued_file), "--export", str(out), "--key-password-env",
                    "KEYPW", "--password-env", "EXPORTPW", env=env)
    assert done.returncode == 0, done.stderr
    (line,) = _lines("complete")
    sha = issued.fingerprint(hashes.SHA256()).hex()
    assert "outcome=ok" in line and f"sha256={sha}" in line and f"request={request_id}" in line
    assert f"export={out}" in line and "pending=removed" in line
    assert any(f"out={out}" in export for export in _lines("export"))
    # A certificate that belongs to no request: logged as failed.
    stranger = pki.leaf.write(tmp_path / "stranger.pem")
    done = gridcert("complete", str(stranger), "--export", str(tmp_path / "s.pfx"),
                    "--key-password-env", "KEYPW", "--password-env", "EXPORTPW", env=env)
    assert done.returncode == 3
    failed = _lines("complete")[-1]
    assert "outcome=failed" in failed and "does not belong to any request" in failed
    _no_secret_in_log(PW, KEY_PW)


def test_check_is_logged_with_its_verdict(tmp_path: Path) -> None:
    bundle = f"bundle:{tmp_path / 'api.pem'}"
    soon = make_root("Soon Root", days=5, key=pooled_key("rsa2048", 7))
    assert gridcert("install", str(soon.write(tmp_path / "s.pem")), "--target", bundle,
                    "--yes").returncode == 0
    assert gridcert("check", "--target", bundle, "--days", "30").returncode == 10
    assert gridcert("check", "--target", bundle, "--days", "1", "--json").returncode == 0
    first, second = _lines("check")
    assert "outcome=expiring" in first and "exit_code=10" in first and "due=1" in first
    assert f"expiring {soon.sha256}" in first and f"targets={bundle}" in first
    assert "outcome=ok" in second and "days=1" in second and "due=0" in second


# --- 5. undo of an install that created a trust bundle removes the file -----------------------


def _ca_file(pki: Pki, tmp_path: Path) -> Path:
    path = tmp_path / "operator-cas.pem"
    path.write_bytes(pki.root.pem + pki.intermediate.pem)
    return path


def _install_then_undo(pki: Pki, tmp_path: Path, bundle: Path) -> None:
    done = gridcert("install", str(_ca_file(pki, tmp_path)), "--target", f"bundle:{bundle}",
                    "--yes")
    assert done.returncode == 0, done.stderr
    added = [pki.root.sha256, pki.intermediate.sha256]
    assert all(f"# SHA-256 {sha}".encode() in bundle.read_bytes() for sha in added)


def _undo() -> None:
    done = gridcert("undo", "--yes", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True


def test_undo_removes_the_bundle_file_the_install_created(pki: Pki, tmp_path: Path) -> None:
    bundle = tmp_path / "api-client" / "trust.pem"
    bundle.parent.mkdir()
    _install_then_undo(pki, tmp_path, bundle)
    _undo()
    assert not bundle.exists()
    assert list(bundle.parent.iterdir()) == []  # no temporary file left either


def test_undo_keeps_a_bundle_file_that_existed_even_empty(pki: Pki, tmp_path: Path) -> None:
    empty = tmp_path / "empty.pem"
    empty.write_bytes(b"")
    _install_then_undo(pki, tmp_path, empty)
    _undo()
    assert empty.is_file() and empty.read_bytes() == b""
    # One with content gets exactly its bytes back.
    kept = tmp_path / "kept.pem"
    original = b"# our API client's roots\r\n" + make_root("Other Root").pem.replace(b"\n", b"\r\n")
    kept.write_bytes(original)
    _install_then_undo(pki, tmp_path, kept)
    _undo()
    assert kept.read_bytes() == original


def test_undo_keeps_a_created_bundle_someone_wrote_into(pki: Pki, tmp_path: Path) -> None:
    bundle = tmp_path / "trust.pem"
    _install_then_undo(pki, tmp_path, bundle)
    with bundle.open("ab") as handle:
        handle.write(b"# added by hand after the install\n")
    _undo()
    assert bundle.read_bytes() == b"# added by hand after the install\n"


def test_rollback_after_a_crash_removes_the_bundle_file_too(pki: Pki, tmp_path: Path) -> None:
    bundle = tmp_path / "trust.pem"
    crashed = gridcert("install", str(_ca_file(pki, tmp_path)), "--target", f"bundle:{bundle}",
                       "--yes", env={"GRIDCERT_TEST_CRASH_AFTER_STEP": "1"})
    assert crashed.returncode == 70, crashed.stderr  # killed after the file was written
    assert bundle.exists()
    # The next run finds the journal and rolls the change back, file and all.
    listed = gridcert("list", "--target", f"bundle:{tmp_path / 'other.pem'}")
    assert listed.returncode == 0, listed.stderr
    assert "rolled back" in listed.stderr + listed.stdout
    assert not bundle.exists()
