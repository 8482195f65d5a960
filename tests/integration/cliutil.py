"""Set-up the CLI integration tests share: run the real `gridcert`, make a real NSS database,
install a .pfx into a target through the CLI, read GridCert's log.

Plain functions (importable from module-level helpers and parametrised tests alike); the
folder's conftest.py wraps the common cases as fixtures.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from tests.helpers import require_tool
from tests.pki import Issued, Pki, pfx_bytes

REPO = Path(__file__).resolve().parents[2]


def gridcert(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`python -m app ARGS` in a new process (the test's isolated HOME and data folder),
    standard input closed unless `stdin` is given: exactly what a script sees."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def new_nssdb(path: Path) -> Path:
    """A new, empty NSS database (cert9.db/key4.db, empty password) made by certutil."""
    certutil = require_tool("certutil", "libnss3-tools")
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [certutil, "-N", "-d", f"sql:{path}", "--empty-password"], check=True, capture_output=True
    )
    return path


def install_pfx(pfx: Path, target: str, password: str) -> subprocess.CompletedProcess[str]:
    """`gridcert install PFX --target TARGET --password-env PW --yes`; must succeed."""
    done = gridcert(
        "install", str(pfx), "--target", target, "--password-env", "PW", "--yes",
        env={"PW": password},
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return done


def log_text() -> str:
    """GridCert's log file of this test's data folder ("" before anything was logged)."""
    path = Path(os.environ["GRIDCERT_DATA_DIR"]) / "logs" / "gridcert.log"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def issue(pki: Pki, csr_path: Path, days: int = 365) -> x509.Certificate:
    """What the operator does with a CSR: sign it under the issuing CA, extensions kept."""
    request = x509.load_pem_x509_csr(csr_path.read_bytes())
    assert request.is_signature_valid
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(request.subject)
        .issuer_name(pki.intermediate.cert.subject)
        .public_key(request.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
    )
    for extension in request.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    return builder.sign(pki.intermediate.key, hashes.SHA256())  # type: ignore[arg-type]


def pending_files() -> list[Path]:
    """The files of pending requests (keys and records) in this test's data folder."""
    folder = Path(os.environ["GRIDCERT_DATA_DIR"]) / "pending"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def install_file(path: Path, target: str) -> subprocess.CompletedProcess[str]:
    """`gridcert install PATH --target TARGET --yes` (CA files: no password); must succeed."""
    done = gridcert("install", str(path), "--target", target, "--yes")
    assert done.returncode == 0, done.stderr + done.stdout
    return done


def nssdb_with_identity(
    db: Path, leaf: Issued, chain: Sequence[Issued], password: str, pfx_name: str = "jane.pfx"
) -> str:
    """A real NSS database at `db` (made if missing) holding `leaf` with its key and `chain`,
    installed through `gridcert install` from a .pfx beside it; returns its target id."""
    if not (db / "cert9.db").exists():
        new_nssdb(db)
    pfx = db.parent / pfx_name
    pfx.write_bytes(pfx_bytes(leaf, password, list(chain)))
    target = f"nss:{db}"
    install_pfx(pfx, target, password)
    return target
