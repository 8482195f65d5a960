"""PemBundle: add/remove keep every other byte of the file, writes are atomic."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from app.core.errors import TargetError
from app.core.model import CertificateItem
from app.stores import bundle as bundle_module
from app.stores.bundle import PemBundle
from tests.helpers import require_tool
from tests.pki import Pki, make_pki, make_root, pooled_key


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("ERCOT", "Jane Smith")


def item(issued: object) -> CertificateItem:
    return CertificateItem(issued.cert, "api.pem")  # type: ignore[attr-defined]


def test_creates_the_file_and_lists_it(tmp_path: Path, pki: Pki) -> None:
    path = tmp_path / "api-trust.pem"
    store = PemBundle(path)
    assert store.id == f"bundle:{path}"
    assert store.available().usable
    assert store.list() == []
    store.add_anchor(item(pki.root))
    store.add_intermediate(item(pki.intermediate))
    assert [e.item.sha256 for e in store.list()] == [pki.root.sha256, pki.intermediate.sha256]
    assert store.contains(pki.root.sha256)
    text = path.read_text()
    assert f"# SHA-256 {pki.root.sha256}" in text and "# ERCOT Root CA" in text


def test_openssl_reads_what_it_wrote(tmp_path: Path, pki: Pki) -> None:
    openssl = require_tool("openssl", "openssl")
    path = tmp_path / "bundle.pem"
    store = PemBundle(path)
    store.add_many([item(pki.root), item(pki.intermediate)])
    leaf = tmp_path / "leaf.pem"
    leaf.write_bytes(pki.leaf.pem)
    # The bundle is a usable CA file: the client certificate verifies against it.
    done = subprocess.run([openssl, "verify", "-CAfile", str(path), "-purpose", "sslclient",
                           str(leaf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_rest_of_the_file_is_byte_intact(tmp_path: Path, pki: Pki) -> None:
    other = make_root("Someone Else's Root", key=pooled_key("rsa2048", 5))
    prologue = b"# Company CA bundle\r\n# do not edit by hand\r\n\r\n"
    original = prologue + other.pem.replace(b"\n", b"\r\n") + b"trailing words, no newline"
    path = tmp_path / "company.pem"
    path.write_bytes(original)
    path.chmod(0o640)
    store = PemBundle(path)
    store.add_anchor(item(pki.root))
    grown = path.read_bytes()
    assert grown.startswith(original)
    assert b"\r\n# ERCOT Root CA\r\n" in grown  # same line endings as the file
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [e.item.sha256 for e in store.list()] == [other.sha256, pki.root.sha256]
    store.remove(pki.root.sha256)
    assert path.read_bytes() == original + b"\r\n"
    store.remove(other.sha256)
    assert path.read_bytes() == prologue + b"trailing words, no newline\r\n"


def test_add_then_remove_restores_exact_bytes(tmp_path: Path, pki: Pki) -> None:
    other = make_root("Existing", key=pooled_key("rsa2048", 5))
    original = b"# header\n" + other.pem + b"\n# footer\n"
    path = tmp_path / "b.pem"
    path.write_bytes(original)
    store = PemBundle(path)
    store.add_many([item(pki.root), item(pki.intermediate), item(pki.root)])
    assert len(store.list()) == 3
    store.remove(pki.intermediate.sha256.upper())
    store.remove(pki.root.sha256)
    assert path.read_bytes() == original


def test_remove_absent_leaves_the_file_alone(tmp_path: Path, pki: Pki) -> None:
    path = tmp_path / "b.pem"
    path.write_bytes(pki.root.pem)
    before = path.stat().st_mtime_ns
    PemBundle(path).remove(pki.intermediate.sha256)
    assert path.read_bytes() == pki.root.pem and path.stat().st_mtime_ns == before
    PemBundle(tmp_path / "missing.pem").remove(pki.root.sha256)
    assert not (tmp_path / "missing.pem").exists()


def test_unreadable_blocks_are_skipped_and_kept(tmp_path: Path, pki: Pki) -> None:
    broken = b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"
    path = tmp_path / "mixed.pem"
    path.write_bytes(broken + pki.intermediate.pem)
    store = PemBundle(path)
    assert [e.item.sha256 for e in store.list()] == [pki.intermediate.sha256]
    store.remove(pki.intermediate.sha256)
    assert path.read_bytes() == broken


def test_write_is_atomic(tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "b.pem"
    path.write_bytes(pki.intermediate.pem)

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bundle_module.os, "replace", fail)
    with pytest.raises(TargetError, match="No space left"):
        PemBundle(path).add_anchor(item(pki.root))
    assert path.read_bytes() == pki.intermediate.pem
    assert sorted(os.listdir(tmp_path)) == ["b.pem"]  # no temporary file left


def test_unusable_places(tmp_path: Path) -> None:
    assert not PemBundle(tmp_path / "no-such-folder" / "b.pem").available().usable
    folder = tmp_path / "dir.pem"
    folder.mkdir()
    state = PemBundle(folder).available()
    assert not state.usable and "not a file" in (state.reason or "")
    assert PemBundle(tmp_path / "x.pem").notes()
