"""`gridcert targets/install/list/remove/undo` end to end through the real CLI, against
real NSS databases (certutil/pk12util), a PEM bundle and the prefixed linux-system store.

Also holds the small helpers the other install tests share (`nss_state`, and `gridcert`,
`new_nssdb` from cliutil.py, re-exported here for the tests that import them from this file).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

from tests.helpers import require_tool
from tests.integration.cliutil import REPO as REPO
from tests.integration.cliutil import gridcert
from tests.integration.cliutil import new_nssdb as new_nssdb
from tests.pki import NOW, Pki, make_pki, make_root, pfx_bytes

PASSWORD = "correct horse"


def nss_state(db: Path) -> tuple[str, str]:
    """`certutil -L` and `certutil -K` output: what 'byte for byte as before' compares."""
    certutil = require_tool("certutil", "libnss3-tools")
    listing = subprocess.run([certutil, "-L", "-d", f"sql:{db}"], capture_output=True,
                             text=True, check=True).stdout
    keys = subprocess.run([certutil, "-K", "-d", f"sql:{db}", "-f", "/dev/null"],
                          capture_output=True, text=True, check=False)
    return listing, keys.stdout + keys.stderr


def write_pki(folder: Path, pki: Pki | None = None) -> tuple[Pki, Path, Path]:
    pki = pki or make_pki("ERCOT-like", "Jane Smith")
    root = folder / "root.pem"
    root.write_bytes(pki.root.pem)
    pfx = folder / "1234567890123$JSMITH.pfx"  # ERCOT's file names carry a '$'
    pfx.write_bytes(pfx_bytes(pki.leaf, PASSWORD, [pki.intermediate, pki.root]))
    return pki, root, pfx


def test_install_root_and_pfx_then_list_then_undo(tmp_path: Path, nssdb: Path) -> None:
    pki, root, pfx = write_pki(tmp_path)
    before = nss_state(nssdb)
    target = f"nss:{nssdb}"
    done = gridcert("install", str(root), str(pfx), "--target", target, "--password-stdin",
                    "--json", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["ok"] is True and document["dry_run"] is False
    assert [s["kind"] for s in document["plan"]["steps"]] == [
        "add-root", "add-intermediate", "import-identity"]
    assert document["result"]["verified"] == [f"NSS database {nssdb}: 3 certificates present"]
    listing, keys = nss_state(nssdb)
    assert "Jane Smith" in listing and "u,u,u" in listing
    assert "Jane Smith" in keys  # the private key is in key4.db

    listed = gridcert("list", "--target", target, "--json")
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)["certificates"]
    by_sha = {e["sha256"]: e for e in entries}
    assert set(by_sha) == {pki.root.sha256, pki.intermediate.sha256, pki.leaf.sha256}
    assert by_sha[pki.root.sha256]["role"] == "root" and by_sha[pki.root.sha256]["trusted"]
    assert by_sha[pki.leaf.sha256]["has_private_key"] is True
    assert by_sha[pki.leaf.sha256]["target"] == target
    assert 360 <= by_sha[pki.leaf.sha256]["days_left"] <= 365
    soon = gridcert("list", "--target", target, "--expiring", "400", "--json")
    assert [e["sha256"] for e in json.loads(soon.stdout)["certificates"]] == [pki.leaf.sha256]
    table = gridcert("list", "--target", target)
    assert "personal (+key)" in table.stdout and "ERCOT-like Root CA" in table.stdout

    undone = gridcert("undo", "--yes", "--json")
    assert undone.returncode == 0, undone.stderr
    assert json.loads(undone.stdout)["result"]["ok"] is True
    assert nss_state(nssdb) == before


def test_reinstalling_is_a_no_op_that_says_so(tmp_path: Path, nssdb: Path) -> None:
    _, root, _ = write_pki(tmp_path)
    assert gridcert("install", str(root), "--target", f"nss:{nssdb}").returncode == 0
    state = nss_state(nssdb)
    again = gridcert("install", str(root), "--target", f"nss:{nssdb}", "--json")
    assert again.returncode == 0
    document = json.loads(again.stdout)
    assert [s["skip"] for s in document["plan"]["steps"]] == [True]
    assert "Everything is already installed" in again.stderr
    assert nss_state(nssdb) == state


def test_dry_run_changes_nothing(tmp_path: Path, nssdb: Path) -> None:
    _, root, pfx = write_pki(tmp_path)
    before = nss_state(nssdb)
    shown = gridcert("install", str(root), str(pfx), "--target", f"nss:{nssdb}",
                     "--password-env", "PFXPW", "--dry-run", env={"PFXPW": PASSWORD})
    assert shown.returncode == 0, shown.stderr
    assert "Import your certificate ‘Jane Smith’ with its private key" in shown.stdout
    assert "Dry run: nothing was changed." in shown.stdout
    assert nss_state(nssdb) == before


def test_warnings_need_yes_without_a_terminal(tmp_path: Path, nssdb: Path) -> None:
    old = make_root("Expired Root", not_before=NOW - dt.timedelta(days=400),
                    not_after=NOW - dt.timedelta(days=5))
    path = old.write(tmp_path / "old.pem")
    before = nss_state(nssdb)
    refused = gridcert("install", str(path), "--target", f"nss:{nssdb}")
    assert refused.returncode == 3
    assert "‘Expired Root’ expired on" in refused.stderr and "--yes" in refused.stderr
    assert nss_state(nssdb) == before
    accepted = gridcert("install", str(path), "--target", f"nss:{nssdb}", "--yes")
    assert accepted.returncode == 0, accepted.stderr
    assert "Expired Root" in nss_state(nssdb)[0]


def test_remove_then_undo_puts_the_root_back_trusted(tmp_path: Path, nssdb: Path) -> None:
    pki, root, _ = write_pki(tmp_path)
    assert gridcert("install", str(root), "--target", f"nss:{nssdb}").returncode == 0
    installed = nss_state(nssdb)
    no_yes = gridcert("remove", pki.root.sha256, "--target", f"nss:{nssdb}")
    assert no_yes.returncode == 3 and nss_state(nssdb) == installed
    removed = gridcert("remove", pki.root.sha256.upper(), "--target", f"nss:{nssdb}",
                       "--yes", "--json")
    assert removed.returncode == 0, removed.stderr
    assert json.loads(removed.stdout)["result"]["verified"] == [
        f"NSS database {nssdb}: 1 certificate removed"]
    assert "ERCOT-like Root CA" not in nss_state(nssdb)[0]
    assert gridcert("undo", "--yes").returncode == 0
    assert nss_state(nssdb) == installed  # same nickname, trust C,, again


def test_remove_of_an_unknown_fingerprint_is_bad_input(nssdb: Path) -> None:
    result = gridcert("remove", "ab" * 32, "--target", f"nss:{nssdb}", "--yes")
    assert result.returncode == 3
    assert "No certificate with SHA-256 abababababababab… is in the chosen stores." in \
        result.stderr


def test_a_pem_bundle_and_the_prefixed_linux_system_store(tmp_path: Path) -> None:
    prefix = Path(os.environ["GRIDCERT_LINUX_ROOT"])
    anchors = prefix / "usr/local/share/ca-certificates"
    anchors.mkdir(parents=True)
    (prefix / "etc/ssl/certs").mkdir(parents=True)
    pki, root, _ = write_pki(tmp_path)
    bundle = tmp_path / "api-clients.pem"
    bundle.write_bytes(make_root("Already In Bundle").pem)
    bundle_before = bundle.read_bytes()
    result = gridcert("install", str(root), "--target", "linux-system", "--target",
                      f"bundle:{bundle}", "--json")
    assert result.returncode == 0, result.stderr
    assert pki.root.pem.decode().strip() in bundle.read_text()
    assert [p.name for p in anchors.iterdir()]  # a .crt file was written in the prefix
    listed = json.loads(gridcert("list", "--target", "linux-system", "--target",
                                 f"bundle:{bundle}", "--json").stdout)
    targets = {e["target"] for e in listed["certificates"] if e["sha256"] == pki.root.sha256}
    assert targets == {"linux-system", f"bundle:{bundle.absolute()}"}
    assert gridcert("undo", "--yes").returncode == 0
    assert bundle.read_bytes() == bundle_before
    assert list(anchors.iterdir()) == []


def test_targets_json_lists_each_store_with_its_fields(tmp_path: Path) -> None:
    result = gridcert("targets", "--json")
    assert result.returncode == 0, result.stderr
    targets = json.loads(result.stdout)["targets"]
    assert any(t["id"] == "linux-system" for t in targets)
    for target in targets:
        assert {"id", "label", "usable", "reason", "default"} <= set(target)
        assert target["usable"] or target["reason"]


def test_json_mode_failure_still_prints_one_document(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.pem"
    result = gridcert("install", str(missing), "--target", f"bundle:{tmp_path / 'b.pem'}",
                      "--json")
    assert result.returncode == 3
    document = json.loads(result.stdout)
    assert document["ok"] is False and "nothing-here.pem" in document["error"]


def test_reinstalling_an_older_pfx_after_a_renewal_warns(tmp_path: Path, nssdb: Path) -> None:
    """Install flow: the NSS database already holds this year's certificate; last year's
    .pfx for the same person is planned with a warning that needs --yes."""
    from tests.pki import make_leaf, pooled_key

    pki = make_pki("ERCOT-like", "Jane Smith")
    current = tmp_path / "current.pfx"
    current.write_bytes(pfx_bytes(pki.leaf, PASSWORD, [pki.intermediate, pki.root]))
    last_year = make_leaf(pki.intermediate, "Jane Smith", key=pooled_key("rsa2048", 5),
                          org="ERCOT-like",
                          not_before=NOW - dt.timedelta(days=400),
                          not_after=NOW + dt.timedelta(days=20))
    old = tmp_path / "last-year.pfx"
    old.write_bytes(pfx_bytes(last_year, PASSWORD, [pki.intermediate, pki.root]))
    target = f"nss:{nssdb}"
    done = gridcert("install", str(current), "--target", target, "--password-stdin",
                    stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    before = nss_state(nssdb)
    refused = gridcert("install", str(old), "--target", target, "--password-stdin",
                       stdin=PASSWORD + "\n")
    assert refused.returncode == 3
    ends = (NOW + dt.timedelta(days=20)).date().isoformat()
    assert (f"‘Jane Smith’ in NSS database {nssdb}: This certificate ends on {ends}, "
            "before the one already installed") in refused.stderr
    assert "--yes" in refused.stderr
    assert nss_state(nssdb) == before
    planned = gridcert("install", str(old), "--target", target, "--password-stdin",
                       "--dry-run", "--json", stdin=PASSWORD + "\n")
    warnings = json.loads(planned.stdout)["plan"]["warnings"]
    assert any("it is an older file, not your new certificate" in w for w in warnings)
    accepted = gridcert("install", str(old), "--target", target, "--password-stdin", "--yes",
                        stdin=PASSWORD + "\n")
    assert accepted.returncode == 0, accepted.stderr
