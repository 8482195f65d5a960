"""Deployment profiles (`install --profile site.toml`) against a real NSS database."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from app.actions.profile import load_profile
from app.core.errors import UsageError
from tests.helpers import require_tool
from tests.integration.test_install_cli import (
    PASSWORD,
    gridcert,
    new_nssdb,
    nss_state,
    write_pki,
)
from tests.pki import Pki, make_pki

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "profiles" / "site.toml"


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Pki]:
    """The sample profile with its files: an operator-style root zip and a client .pfx."""
    require_tool("certutil", "libnss3-tools")
    require_tool("pk12util", "libnss3-tools")
    folder = tmp_path / "deploy"
    folder.mkdir()
    pki = make_pki("ERCOT-like", "Jane Smith")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("ERCOT-like CA/root.cer", pki.root.der)
        zipped.writestr("ERCOT-like CA/How to install.pdf", b"%PDF-1.4 not a certificate")
    (folder / "ercot-root.zip").write_bytes(buffer.getvalue())
    _, _, pfx = write_pki(tmp_path, pki)
    shutil.copy(pfx, folder / "client.pfx")
    new_nssdb(folder / "nssdb")
    text = SAMPLE.read_text(encoding="utf-8").replace("0" * 64, pki.root.sha256)
    (folder / "site.toml").write_text(text, encoding="utf-8")
    return folder / "site.toml", pki


def test_sample_profile_installs_everything_it_names(site: tuple[Path, Pki]) -> None:
    profile, _ = site
    db = profile.parent / "nssdb"
    result = gridcert("install", "--profile", str(profile), "--yes", "--json",
                      env={"GRIDCERT_PFX_PASSWORD": PASSWORD})
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [s["target"] for s in document["plan"]["steps"]] == [f"nss:{db}"] * 3
    listing, keys = nss_state(db)
    assert "ERCOT-like Root CA" in listing and "Jane Smith" in keys
    assert "How to install.pdf" in result.stderr  # listed, left alone


def test_dry_run_on_a_profile_shows_the_plan_and_changes_nothing(site: tuple[Path, Pki]
                                                                 ) -> None:
    profile, _ = site
    db = profile.parent / "nssdb"
    before = nss_state(db)
    result = gridcert("install", "--profile", str(profile), "--dry-run",
                      env={"GRIDCERT_PFX_PASSWORD": PASSWORD})
    assert result.returncode == 0, result.stderr
    assert "Add the root ‘ERCOT-like Root CA’" in result.stdout
    assert "Import your certificate ‘Jane Smith’" in result.stdout
    assert nss_state(db) == before


def test_a_root_not_pinned_by_the_profile_is_refused(site: tuple[Path, Pki]) -> None:
    profile, pki = site
    db = profile.parent / "nssdb"
    before = nss_state(db)
    profile.write_text(profile.read_text().replace(pki.root.sha256, "ab" * 32))
    result = gridcert("install", "--profile", str(profile), "--yes",
                      env={"GRIDCERT_PFX_PASSWORD": PASSWORD})
    assert result.returncode == 3
    assert "is not one of the roots pinned in the profile" in result.stderr
    assert nss_state(db) == before


def test_missing_password_variable_is_a_usage_error(site: tuple[Path, Pki],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    profile, _ = site
    monkeypatch.delenv("GRIDCERT_PFX_PASSWORD", raising=False)
    result = gridcert("install", "--profile", str(profile), "--yes")
    assert result.returncode == 2
    assert "GRIDCERT_PFX_PASSWORD is not set" in result.stderr


def test_roots_only_profile_needs_no_password(site: tuple[Path, Pki]) -> None:
    profile, pki = site
    profile.write_text(
        f'files = ["ercot-root.zip"]\ntargets = ["nss:nssdb"]\n'
        f'pinned_roots = ["{pki.root.sha256.upper()}"]\n')
    result = gridcert("install", "--profile", str(profile))
    assert result.returncode == 0, result.stderr
    assert "ERCOT-like Root CA" in nss_state(profile.parent / "nssdb")[0]


def test_malformed_profiles_say_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('files = ["a.pem"]\ntargest = ["firefox"]\n')
    with pytest.raises(UsageError, match="unknown settings: targest"):
        load_profile(bad)
    bad.write_text("files = [\n")
    with pytest.raises(UsageError, match="is not valid TOML"):
        load_profile(bad)
    bad.write_text('files = ["a.pem"]\npinned_roots = ["abc"]\n')
    with pytest.raises(UsageError, match="not a SHA-256 fingerprint"):
        load_profile(bad)
    result = gridcert("install", "--profile", str(tmp_path / "absent.toml"))
    assert result.returncode == 3 and "does not exist" in result.stderr


def test_sample_profile_parses_with_paths_relative_to_it() -> None:
    profile = load_profile(SAMPLE)
    assert profile.files == (SAMPLE.parent / "ercot-root.zip", SAMPLE.parent / "client.pfx")
    assert profile.targets == (f"nss:{SAMPLE.parent / 'nssdb'}",)
    assert profile.password_env == "GRIDCERT_PFX_PASSWORD"
