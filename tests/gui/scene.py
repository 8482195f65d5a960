"""A realistic desk for GUI tests and screenshots: a home folder with a Firefox profile and
Chromium's NSS database (real, made with certutil), an operator's root zip with its
instructions PDF, and a person's password-protected .pfx.

Used by tests/gui and by scripts/screenshots.py; everything is generated, nothing is
downloaded, and everything lives under the given folders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests import pki

PASSWORD = "Jx7-pQ2m-Wt9z"
PFX_NAME = "0123456789012$JSMITH.pfx"
ZIP_NAME = "ERCOT_CA_Production_2048_Client_Root.zip"
PDF_NAME = "Installing the ERCOT CA root certificate.pdf"
PROFILE = "k3v9x2q1.default-release"

# A one-page PDF (a real file a person would find in the zip; not a certificate).
_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n")


@dataclass
class Desk:
    home: Path
    files: Path
    firefox_db: Path
    chromium_db: Path
    root: pki.Issued
    leaf: pki.Issued
    zip_path: Path
    pfx_path: Path

    def firefox_lock(self, pid: int) -> Path:
        """Make Firefox look open on the profile (its lock symlink "host:+pid")."""
        lock = self.firefox_db / "lock"
        lock.symlink_to(f"127.0.0.1:+{pid}")
        return lock


def new_nss_db(certutil: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([certutil, "-N", "-d", f"sql:{folder}", "--empty-password"],
                   check=True, capture_output=True)
    return folder


def make_root_zip(path: Path, root: pki.Issued, *, extra: dict[str, bytes] | None = None) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ERCOT CA.cer", root.der)
        archive.writestr(PDF_NAME, _PDF)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def build_desk(home: Path, files: Path, certutil: str, *, expired_root: bool = False,
               leaf_days: int = 365) -> Desk:
    """The home folder's browsers and the files a market participant was sent."""
    profiles = home / ".mozilla" / "firefox"
    firefox_db = new_nss_db(certutil, profiles / PROFILE)
    (profiles / "profiles.ini").write_text(
        "[Install4F96D1932A9F858E]\nDefault=" + PROFILE + "\nLocked=1\n\n"
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=" + PROFILE + "\nDefault=1\n\n"
        "[General]\nStartWithLastProfile=1\nVersion=2\n", encoding="utf-8")
    chromium_db = new_nss_db(certutil, home / ".local" / "share" / "pki" / "nssdb")

    org = "Electric Reliability Council of Texas"
    if expired_root:
        start = pki.NOW - dt.timedelta(days=3000)
        root = pki.make_root("ERCOT CA", org=org, not_before=start,
                             not_after=pki.NOW - dt.timedelta(days=40))
    else:
        root = pki.make_root("ERCOT CA", org=org, not_before=pki.NOW - dt.timedelta(days=900),
                             days=3650)
    leaf = pki.make_leaf(root, "Jane Smith", org="Example Power LLC", days=leaf_days)
    files.mkdir(parents=True, exist_ok=True)
    zip_path = make_root_zip(files / ZIP_NAME, root)
    pfx_path = files / PFX_NAME
    pfx_path.write_bytes(pki.pfx_bytes(leaf, PASSWORD, [root], friendly_name="Jane Smith"))
    return Desk(home, files, firefox_db, chromium_db, root, leaf, zip_path, pfx_path)


def nss_listing(certutil: str, db: Path) -> str:
    """`certutil -L` of a database (nicknames and trust flags)."""
    return subprocess.run([certutil, "-L", "-d", f"sql:{db}"], check=True,
                          capture_output=True, text=True).stdout


def nss_keys(certutil: str, db: Path) -> str:
    """`certutil -K` of a database (private keys; empty password)."""
    done = subprocess.run([certutil, "-K", "-d", f"sql:{db}"], capture_output=True, text=True)
    return done.stdout + done.stderr


def nss_fingerprints(certutil: str, db: Path) -> set[str]:
    """SHA-256 of every certificate in the database (NSS gives all certificates of a
    subject for a nickname, so each nickname is asked with -a and every PEM block kept)."""
    import base64

    found: set[str] = set()
    for line in nss_listing(certutil, db).splitlines()[4:]:
        parts = line.rsplit(None, 1)
        if len(parts) != 2 or "," not in parts[1]:
            continue
        pem = subprocess.run([certutil, "-L", "-d", f"sql:{db}", "-n", parts[0].strip(), "-a"],
                             capture_output=True, text=True).stdout
        for block in pem.split("-----BEGIN CERTIFICATE-----")[1:]:
            body = block.split("-----END CERTIFICATE-----")[0]
            found.add(hashlib.sha256(base64.b64decode("".join(body.split()))).hexdigest())
    return found


def nss_has(certutil: str, db: Path, sha256: str) -> bool:
    """Whether a certificate with this SHA-256 is in the database."""
    return sha256 in nss_fingerprints(certutil, db)
