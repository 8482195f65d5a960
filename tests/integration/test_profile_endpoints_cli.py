"""`gridcert install --profile` keeps the profile's sign-in addresses (issue 14), once the
profile has been applied for real: not on a dry run, and replaced by the next profile."""

from __future__ import annotations

import json
from pathlib import Path

from app.actions.probe import known_endpoints, profile_endpoints_path
from tests.helpers import require_tool
from tests.integration.cliutil import gridcert, new_nssdb
from tests.pki import make_pki


def test_install_with_a_profile_keeps_its_endpoints(tmp_path: Path) -> None:
    require_tool("certutil", "libnss3-tools")
    pki = make_pki("ERCOT-like", "Jane Smith")
    (tmp_path / "root.cer").write_bytes(pki.root.der)
    new_nssdb(tmp_path / "nssdb")
    profile = tmp_path / "site.toml"
    profile.write_text(
        'files = ["root.cer"]\ntargets = ["nss:nssdb"]\n'
        f'pinned_roots = ["{pki.root.sha256}"]\n'
        'endpoints = [{ url = "https://gateway.example.com/ercot", name = "Our gateway", '
        'operator = "ERCOT" }]\n', encoding="utf-8")

    dry = gridcert("install", "--profile", str(profile), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert not profile_endpoints_path().exists()  # a dry run changes nothing

    done = gridcert("install", "--profile", str(profile), "--yes", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True
    kept = [e for e in known_endpoints() if e.origin == "profile"]
    assert [(e.url, e.name, e.operator) for e in kept] == [
        ("https://gateway.example.com/ercot", "Our gateway", "ERCOT")]

    # Run again (everything is there already): the profile's addresses are still its own.
    profile.write_text(profile.read_text("utf-8").replace("gateway.example.com",
                                                          "gw2.example.com"), "utf-8")
    again = gridcert("install", "--profile", str(profile), "--yes")
    assert again.returncode == 0, again.stderr
    assert [e.url for e in known_endpoints() if e.origin == "profile"] == [
        "https://gw2.example.com/ercot"]
