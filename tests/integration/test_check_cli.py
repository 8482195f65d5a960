"""`gridcert check`: exit codes 0/10/11 and the JSON of what expires when, across real NSS
databases and PEM bundles; end-of-life roots still installed; the catalog's API keys that
rotate each February/March; `--notify` (Qt only when something is due); `--reminder`."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import require_tool
from tests.integration.cliutil import (
    REPO,
    gridcert,
    install_file,
    new_nssdb,
    nssdb_with_identity,
)
from tests.pki import NOW, Issued, Pki, make_leaf, make_pki, make_root, pooled_key

PW = "pfx password"


def nss_with_identity(tmp_path: Path, pki: Pki, days_left: int) -> str:
    leaf = make_leaf(
        pki.intermediate,
        "Jane Smith",
        key=pooled_key("rsa2048", 4),
        not_before=NOW - dt.timedelta(days=300),
        not_after=NOW + dt.timedelta(days=days_left, hours=12),
    )
    return nssdb_with_identity(tmp_path / "nssdb", leaf, [pki.intermediate, pki.root], PW)


def into_bundle(root: Issued, tmp_path: Path, bundle: str, name: str) -> None:
    """Install the CA certificate `root` (written to `name` first) into `bundle`."""
    install_file(root.write(tmp_path / name), bundle)


def run_notify(bundle_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`check --notify` through NOTIFY, which also says whether Qt was imported."""
    return subprocess.run(
        [sys.executable, "-c", NOTIFY, "check", "--notify", "--target", f"bundle:{bundle_path}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("GridCert Test", "Jane Smith")


def test_identity_expiring_and_exit_codes(pki: Pki, tmp_path: Path) -> None:
    target = nss_with_identity(tmp_path, pki, days_left=10)
    done = gridcert("check", "--days", "30", "--target", target, "--json")
    assert done.returncode == 10, done.stderr
    report = json.loads(done.stdout)
    assert report["exit_code"] == 10 and report["days"] == 30
    mine = [i for i in report["items"] if i["certificate"] and i["certificate"]["has_private_key"]]
    assert len(mine) == 1
    item = mine[0]
    assert item["status"] == "expiring" and item["days_left"] == 10
    assert item["target"] == target and "expires in 10 days" in item["sentence"]
    assert item["certificate"]["subject"].startswith("CN=Jane Smith")
    # Its issuing CA is looked at too (it is what the certificate chains to).
    assert any(
        i["name"] == "'GridCert Test Issuing CA'" and i["status"] == "ok" for i in report["items"]
    )
    assert gridcert("check", "--days", "5", "--target", target).returncode == 0
    text = gridcert("check", "--target", target)
    assert text.returncode == 10 and "EXPIRING" in text.stdout and "Renew it" in text.stdout


def test_expired_identity_exit_11(pki: Pki, tmp_path: Path) -> None:
    target = nss_with_identity(tmp_path, pki, days_left=-3)
    done = gridcert("check", "--target", target, "--json")
    assert done.returncode == 11
    report = json.loads(done.stdout)
    assert any(i["status"] == "expired" for i in report["items"])
    assert report["summary"].startswith("Needs attention: 1 expired")


def test_end_of_life_root_still_installed(tmp_path: Path) -> None:
    eol = make_root(
        "CyberTrust ISO Issuing Root - SHA2", org="Cybertrust", key=pooled_key("rsa2048", 6)
    )
    bundle = f"bundle:{tmp_path / 'trust.pem'}"
    into_bundle(eol, tmp_path, bundle, "cybertrust.pem")
    done = gridcert("check", "--target", bundle, "--json")
    assert done.returncode == 11
    item = json.loads(done.stdout)["items"][0]
    assert item["status"] == "end-of-life"
    assert item["catalog"]["id"] == "caiso-cybertrust-root-sha2"
    assert "end of life" in item["sentence"]


def test_bundle_certificates_and_nothing_due(tmp_path: Path) -> None:
    root = make_root("Plain Test Root", days=3650)
    bundle_path = tmp_path / "api-client.pem"
    bundle = f"bundle:{bundle_path}"
    into_bundle(root, tmp_path, bundle, "r.pem")
    done = gridcert("check", "--target", bundle, "--json")
    assert done.returncode == 0
    report = json.loads(done.stdout)
    assert report["summary"] == "Nothing expires within 30 days."
    assert [i["status"] for i in report["items"]] == ["ok"]
    soon = make_root("Short Lived Root", days=20, key=pooled_key("rsa2048", 7))
    into_bundle(soon, tmp_path, bundle, "s.pem")
    assert gridcert("check", "--target", bundle, "--days", "30").returncode == 10
    assert gridcert("check", "--target", bundle, "--days", "10").returncode == 0


def test_api_keys_rotating_in_february(tmp_path: Path) -> None:
    """ERCOT's EWS key of 2025-2026 expires 2026-03-11: due on 2026-02-20 for someone with an
    ERCOT certificate, information only for others."""
    from app.actions.check import check
    from app.actions.targets import resolve_targets

    require_tool("certutil", "libnss3-tools")
    february = dt.datetime(2026, 2, 20, tzinfo=dt.UTC)
    empty = resolve_targets([f"bundle:{tmp_path / 'empty.pem'}"])
    report = check(empty, days=30, at=february)
    rotating = [i for i in report.items if i.kind == "api-key"]
    assert {i.catalog["id"] for i in rotating if i.catalog} >= {"ercot-api-ews-2025"}
    assert all(not i.counts for i in rotating) and report.exit_code == 0
    # With a certificate issued by the ERCOT CA, the rotation counts.
    ercot = make_root("ERCOT CA", org="ERCOT", key=pooled_key("rsa2048", 8))
    mine = make_leaf(ercot, "Jane Smith", key=pooled_key("rsa2048", 4))
    target = nssdb_with_identity(tmp_path / "nssdb", mine, [ercot], PW, "ercot.pfx")
    report = check(resolve_targets([target]), days=30, at=february)
    ews = [i for i in report.items if i.catalog and i.catalog["id"] == "ercot-api-ews-2025"]
    assert len(ews) == 1 and ews[0].counts and ews[0].status == "expiring"
    assert ews[0].days_left == 19 and "February/March" in ews[0].sentence
    assert report.exit_code == 10
    # Today (after every known key expired) that operator's user gets a note, not an error.
    later = check(
        resolve_targets([target]), days=30, at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    )
    assert any("ERCOT" in note and "expired on 2026-03-11" in note for note in later.notes)


NOTIFY = """
import sys
from app.cli import main
code = main(sys.argv[1:])
print("QT-LOADED" if "PySide6" in sys.modules else "QT-NOT-LOADED")
sys.exit(code)
"""


def test_notify_loads_qt_only_when_something_is_due(tmp_path: Path) -> None:
    bundle_path = tmp_path / "b.pem"
    fine = make_root("Fine Root", days=3650)
    into_bundle(fine, tmp_path, f"bundle:{bundle_path}", "f.pem")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    quiet = run_notify(bundle_path, env)
    assert quiet.returncode == 0 and "QT-NOT-LOADED" in quiet.stdout
    soon = make_root("Soon Root", days=5, key=pooled_key("rsa2048", 7))
    into_bundle(soon, tmp_path, f"bundle:{bundle_path}", "s.pem")
    due = run_notify(bundle_path, env)
    assert due.returncode == 10 and "QT-LOADED" in due.stdout
    # Offscreen there is no system tray: it says so instead of failing.
    assert "notification" in due.stderr and "Traceback" not in due.stderr


def test_reminder_on_status_off_from_the_cli() -> None:
    env = {"GRIDCERT_SYSTEMCTL": ""}
    units = Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user"
    on = gridcert("check", "--reminder", "on", "--json", env=env)
    assert on.returncode == 0, on.stderr
    answer = json.loads(on.stdout)
    assert answer["enabled"] and answer["platform"] == "linux"
    service = (units / "gridcert-check.service").read_text()
    assert "check --notify" in service and "-m app" in service
    assert (units / "timers.target.wants" / "gridcert-check.timer").is_symlink()
    status = json.loads(gridcert("check", "--reminder", "status", "--json", env=env).stdout)
    assert status["enabled"]
    off = gridcert("check", "--reminder", "off", env=env)
    assert off.returncode == 0 and "off" in off.stdout
    assert not (units / "gridcert-check.timer").exists()
    assert not (units / "gridcert-check.service").exists()
    status = json.loads(gridcert("check", "--reminder", "status", "--json", env=env).stdout)
    assert not status["enabled"]


def test_usage_errors() -> None:
    done = gridcert("check", "--days", "-1")
    assert done.returncode == 2 and "--days" in done.stderr


def test_notify_without_a_display_does_not_start_qt(tmp_path: Path) -> None:
    """A timer firing outside a desktop session: no Qt (it would abort), a plain sentence."""
    bundle_path = tmp_path / "b.pem"
    soon = make_root("Soon Root", days=5, key=pooled_key("rsa2048", 7))
    into_bundle(soon, tmp_path, f"bundle:{bundle_path}", "s.pem")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["PATH"] = "/usr/bin:/bin"
    done = run_notify(bundle_path, env)
    assert done.returncode == 10 and "QT-NOT-LOADED" in done.stdout
    assert "No desktop notification could be shown" in done.stderr


# --- a target that cannot be read: exit 4 unless something is due ---------------------------


def corrupt_nss(folder: Path) -> str:
    """An NSS database certutil cannot open: a real one whose files were overwritten."""
    new_nssdb(folder)
    for name in ("cert9.db", "key4.db"):
        (folder / name).write_bytes(b"not an sqlite database\0" * 200)
    return f"nss:{folder}"


def corrupt_keystore(path: Path) -> str:
    """A Java keystore keytool cannot read (truncated garbage)."""
    require_tool("keytool", "openjdk-17-jre-headless")
    path.write_bytes(bytes(range(256)) * 8)
    return f"java:{path}"


@pytest.mark.parametrize("kind", ["nss", "java"])
def test_unreadable_target_exits_4_and_says_which(tmp_path: Path, kind: str) -> None:
    target = (corrupt_nss(tmp_path / "broken-db") if kind == "nss"
              else corrupt_keystore(tmp_path / "broken.p12"))
    done = gridcert("check", "--target", target)
    assert done.returncode == 4, done.stdout + done.stderr
    assert f"gridcert: {target} could not be checked: " in done.stderr
    assert "could not be read" in done.stdout and "Traceback" not in done.stderr
    done = gridcert("check", "--target", target, "--json")
    assert done.returncode == 4
    report = json.loads(done.stdout)
    assert report["exit_code"] == 4
    assert [p["target"] for p in report["problems"]] == [target]
    message = report["problems"][0]["message"]
    assert message and f"gridcert: {target} could not be checked: {message}" in done.stderr


def test_expiry_wins_over_an_unreadable_target(tmp_path: Path) -> None:
    """10/11 first (the admin must hear about expiry), the unreadable target still said."""
    broken = corrupt_nss(tmp_path / "broken-db")
    bundle = f"bundle:{tmp_path / 'api.pem'}"
    soon = make_root("Soon Root", days=5, key=pooled_key("rsa2048", 7))
    into_bundle(soon, tmp_path, bundle, "s.pem")
    done = gridcert("check", "--target", bundle, "--target", broken, "--json")
    assert done.returncode == 10, done.stderr
    report = json.loads(done.stdout)
    assert report["exit_code"] == 10 and [p["target"] for p in report["problems"]] == [broken]
    assert [i["status"] for i in report["items"]] == ["expiring"]
    assert f"gridcert: {broken} could not be checked: " in done.stderr
    # With a readable, healthy store alone it is 0 again: exit 4 comes from the broken one.
    assert gridcert("check", "--target", bundle, "--days", "1").returncode == 0
