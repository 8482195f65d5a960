"""The linux-system store under a prefix (GRIDCERT_LINUX_ROOT), one test per family.

Nothing here touches the real system: every file lives in the test's prefix, and the
refresh command is either recorded (Fedora, Arch, SUSE) or, for Debian, run with its
own relocation options against the prefix.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from app.core.errors import TargetError
from app.core.model import CertificateItem
from app.stores import linux_system
from app.stores.linux_system import FAMILIES, Family, LinuxSystemStore, file_name
from tests.helpers import require_tool
from tests.pki import Pki, make_pki


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("ERCOT", "Jane Smith")


@pytest.fixture
def prefix(isolated_home: Path) -> Path:
    root = Path(os.environ["GRIDCERT_LINUX_ROOT"])
    assert root.is_relative_to(isolated_home)  # the conftest's prefix, never "/"
    root.mkdir(parents=True, exist_ok=True)
    return root


def item(issued: object) -> CertificateItem:
    return CertificateItem(issued.cert, "test.pem")  # type: ignore[attr-defined]


def openssl_sha256(path: Path) -> str:
    openssl = require_tool("openssl", "openssl")
    out = subprocess.run([openssl, "x509", "-in", str(path), "-noout", "-fingerprint",
                          "-sha256"], check=True, capture_output=True, text=True).stdout
    return out.strip().split("=", 1)[1].replace(":", "").lower()


def all_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("family", FAMILIES, ids=[f.key for f in FAMILIES])
def test_add_list_remove_in_each_family(prefix: Path, pki: Pki, family: Family,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    if family.key == "debian":
        # The relocated run of update-ca-certificates is tested on its own below.
        monkeypatch.setattr(LinuxSystemStore, "_relocated_refresh", lambda self: None)
    (prefix / family.anchors).mkdir(parents=True)
    store = LinuxSystemStore()
    assert store.prefix == prefix and store.family == family
    assert family.name in store.label
    assert store.available().usable
    assert not store.holds_identities

    store.add_anchor(item(pki.root))
    store.add_intermediate(item(pki.intermediate))
    folder = prefix / family.anchors
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted([file_name(item(pki.root)), file_name(item(pki.intermediate))])
    assert file_name(item(pki.root)) == f"gridcert-ercot-root-ca-{pki.root.sha256[:12]}.crt"
    assert openssl_sha256(folder / file_name(item(pki.root))) == pki.root.sha256
    mode = stat.S_IMODE((folder / file_name(item(pki.root))).stat().st_mode)
    assert mode == 0o644
    listed = {e.item.sha256: e for e in store.list()}
    assert set(listed) == {pki.root.sha256, pki.intermediate.sha256}
    assert listed[pki.root.sha256].extra["written_by_gridcert"] == "true"

    log = (prefix / "refresh.log").read_text().splitlines()
    assert len(log) == 2 and all(line.endswith(" ".join(family.refresh)) for line in log)

    store.add_anchor(item(pki.root))  # already there: no file, no refresh
    assert len((prefix / "refresh.log").read_text().splitlines()) == 2

    store.remove(pki.root.sha256)
    assert [e.item.sha256 for e in store.list()] == [pki.intermediate.sha256]
    assert len((prefix / "refresh.log").read_text().splitlines()) == 3
    assert all_files(prefix) == {"refresh.log", *_parents(family.anchors),
                                 f"{family.anchors}/{file_name(item(pki.intermediate))}"}


def _parents(relative: str) -> set[str]:
    parts = Path(relative).parts
    return {str(Path(*parts[: n + 1])) for n in range(len(parts))}


def test_other_certificates_in_the_folder_are_listed(prefix: Path, pki: Pki) -> None:
    folder = prefix / "usr/local/share/ca-certificates"
    folder.mkdir(parents=True)
    (folder / "company-root.crt").write_bytes(pki.root.der)  # DER is allowed too
    (folder / "notes.txt").write_text("not a certificate")
    (folder / "broken.crt").write_text("garbage")
    entries = LinuxSystemStore().list()
    assert [(e.item.sha256, e.extra["written_by_gridcert"]) for e in entries] == [
        (pki.root.sha256, "false")]
    LinuxSystemStore.remove(LinuxSystemStore(), pki.intermediate.sha256)  # absent: no-op
    assert (folder / "company-root.crt").exists()


def test_debian_refresh_runs_inside_the_prefix(prefix: Path, pki: Pki) -> None:
    tool = require_tool("update-ca-certificates", "ca-certificates")
    (prefix / "usr/local/share/ca-certificates").mkdir(parents=True)
    store = LinuxSystemStore()
    store.add_many([item(pki.root), item(pki.intermediate)])
    bundle = prefix / "etc/ssl/certs/ca-certificates.crt"
    assert bundle.exists()
    text = bundle.read_text()
    assert pki.root.pem.decode().strip() in text and pki.intermediate.pem.decode().strip() in text
    assert tool in (prefix / "refresh.log").read_text()
    store.remove(pki.intermediate.sha256)
    text = bundle.read_text()
    assert pki.root.pem.decode().strip() in text
    assert pki.intermediate.pem.decode().strip() not in text


def test_no_known_family(prefix: Path, pki: Pki) -> None:
    store = LinuxSystemStore()
    state = store.available()
    assert not state.usable and state.reason == (
        "GridCert does not know where this Linux keeps the certificates the whole computer "
        "trusts (it knows Debian/Ubuntu, Fedora/RHEL, Arch and SUSE), so it cannot add "
        "certificates for all users here.")
    assert f"No anchor folder of a known Linux family under {prefix}" in (state.detail or "")
    with pytest.raises(TargetError, match="GridCert does not know where this Linux") as caught:
        store.add_anchor(item(pki.root))
    assert caught.value.detail == state.detail
    assert store.list() == []


def test_real_system_needs_root(monkeypatch: pytest.MonkeyPatch, pki: Pki) -> None:
    monkeypatch.setattr(linux_system, "_is_root_user", lambda: False)
    store = LinuxSystemStore("/")
    state = store.available()
    assert not state.usable
    if store.family is not None:
        assert "administrator rights" in (state.reason or "")
        assert any("pkexec" in note for note in store.notes())
    # Refused before anything is written: the real system is never touched.
    with pytest.raises(TargetError):
        store.add_anchor(item(pki.root))


def test_refresh_failure_takes_the_file_back(prefix: Path, pki: Pki, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend the prefix is the real system with a refresh tool that fails; nothing of
    # the real system is used (the tool is a script in tmp_path, the folder is the prefix).
    tools = tmp_path / "bin"
    tools.mkdir()
    script = tools / "update-ca-trust"
    script.write_text("#!/bin/sh\necho 'p11-kit: broken store' >&2\nexit 1\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")
    monkeypatch.setattr(linux_system, "_is_root_user", lambda: True)
    monkeypatch.setattr(LinuxSystemStore, "prefixed", property(lambda self: False))
    (prefix / "etc/pki/ca-trust/source/anchors").mkdir(parents=True)
    store = LinuxSystemStore()
    assert store.available().usable
    with pytest.raises(TargetError, match="broken store"):
        store.add_anchor(item(pki.root))
    assert list((prefix / "etc/pki/ca-trust/source/anchors").iterdir()) == []


def test_refresh_tool_is_run_when_it_works(prefix: Path, pki: Pki, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    marker = tmp_path / "ran"
    script = tools / "trust"
    script.write_text(f"#!/bin/sh\necho \"$@\" >> {marker}\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")
    monkeypatch.setattr(linux_system, "_is_root_user", lambda: True)
    monkeypatch.setattr(LinuxSystemStore, "prefixed", property(lambda self: False))
    (prefix / "etc/ca-certificates/trust-source/anchors").mkdir(parents=True)
    store = LinuxSystemStore()
    store.add_many([item(pki.root), item(pki.intermediate)])
    store.remove(pki.root.sha256)
    assert marker.read_text().splitlines() == ["extract-compat", "extract-compat"]


def test_cli_shows_the_technical_detail_only_with_verbose(prefix: Path, pki: Pki,
                                                          tmp_path: Path) -> None:
    """The plain sentence always; the technical text behind it with --verbose (either
    side of the command) and in the JSON report's error_detail."""
    from tests.integration.cliutil import gridcert

    root = tmp_path / "root.pem"
    root.write_bytes(pki.root.pem)
    plain = gridcert("install", str(root), "--target", "linux-system", "--yes")
    assert plain.returncode == 4
    assert "GridCert does not know where this Linux keeps" in plain.stderr
    assert "details:" not in plain.stderr and "anchor folder" not in plain.stderr
    for verbose in (["--verbose", "install"], ["install", "-v"]):
        done = gridcert(*verbose, str(root), "--target", "linux-system", "--yes")
        assert done.returncode == 4
        assert ("gridcert: details: No anchor folder of a known Linux family under "
                f"{prefix}") in done.stderr
    as_json = gridcert("install", str(root), "--target", "linux-system", "--yes", "--json")
    result = json.loads(as_json.stdout)["result"]
    assert result["error_detail"].startswith("No anchor folder of a known Linux family")
