"""The transaction's promises (issue 12): all or nothing, never a lost certificate, never
a key left behind. Real certutil/pk12util/keytool throughout; every store is read back
with its own tool.

Full disks are small tmpfs mounts (the tests run as root on CI); without root they skip.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import require_tool
from tests.integration.cliutil import gridcert, new_nssdb
from tests.integration.test_install_cli import nss_state
from tests.pki import make_pki, make_root
from tests.realtools import keytool_identity


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "512k") -> Iterator[Path]:
    """A tmpfs of `size` mounted on `folder`, unmounted (lazily, if busy) afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                           str(folder)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill(folder: Path) -> None:
    """Use up every free byte of the file system `folder` is on."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * chunk)
    finally:
        os.close(fd)


def keytool_entries(path: Path, password: str = "changeit") -> dict[str, str]:
    """alias -> entry type, as `keytool -list` prints them (raises when it cannot read)."""
    done = subprocess.run(["keytool", "-list", "-keystore", str(path), "-storepass:env", "KS"],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "KS": password})
    out = {}
    for line in done.stdout.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 3 and parts[-1] in ("PrivateKeyEntry", "trustedCertEntry", ""):
            kind = parts[-1] or parts[-2]
            out[parts[0]] = kind
    return out


# --- 3. a full disk never destroys a keystore -------------------------------------------------


def test_full_disk_leaves_the_java_keystore_whole(tmp_path: Path) -> None:
    require_tool("keytool", "openjdk-17-jre-headless")
    with small_disk(tmp_path / "disk") as disk:
        keystore = keytool_identity(disk / "mine.p12", "changeit", alias="my own key")
        other = make_root("Someone Else").write(tmp_path / "other.pem")
        subprocess.run(["keytool", "-importcert", "-noprompt", "-keystore", str(keystore),
                        "-storepass:env", "KS", "-alias", "other", "-file", str(other)],
                       capture_output=True, check=True, env={**os.environ, "KS": "changeit"})
        before = keytool_entries(keystore)
        assert before == {"my own key": "PrivateKeyEntry", "other": "trustedCertEntry"}
        root = make_pki("Full Disk").root.write(tmp_path / "root.pem")
        # The keystore is just under one page; with the new root it needs two, and there
        # is none: keytool's in-place rewrite would cut it.
        fill(disk)
        done = gridcert("install", str(root), "--target", f"java:{keystore}", "--yes")
        assert done.returncode == 4, done.stderr
        assert keytool_entries(keystore) == before
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "mine.p12"]


def test_full_disk_leaves_the_nss_database_whole_on_the_fast_path(tmp_path: Path) -> None:
    require_tool("certutil", "libnss3-tools")
    with small_disk(tmp_path / "disk", "1m") as disk:
        db = new_nssdb(disk / "db")
        mine = make_root("Already Mine").write(tmp_path / "mine.pem")
        subprocess.run(["certutil", "-A", "-d", f"sql:{db}", "-n", "mine", "-t", "C,,", "-i",
                        str(mine)], check=True, capture_output=True)
        before = nss_state(db)
        roots = tmp_path / "roots.pem"
        # Enough roots for the batch on a memory copy (FAST_PATH_MIN).
        roots.write_bytes(b"".join(make_root(f"Batch {n}").pem for n in range(12)))
        fill(disk)
        done = gridcert("install", str(roots), "--target", f"nss:{db}", "--yes")
        assert done.returncode == 4, done.stderr
        assert nss_state(db) == before
        assert sorted(p.name for p in db.iterdir()) == sorted(
            ["cert9.db", "key4.db", "pkcs11.txt"])
