"""Every fault the install issue lists ends with the stores exactly as before.

Real NSS databases and real certutil/pk12util throughout; "as before" is the output of
`certutil -L` and `certutil -K`, compared byte for byte.
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import app.stores._tools as tools_module
from app.actions.journal import all_journals
from app.actions.lock import BUSY_SENTENCE, changes_lock
from app.cli import main as cli_main
from tests.helpers import require_tool
from tests.integration.test_install_cli import (
    PASSWORD,
    REPO,
    gridcert,
    new_nssdb,
    nss_state,
    write_pki,
)
from tests.pki import make_root


@pytest.fixture(autouse=True)
def _nss_tools() -> None:
    require_tool("certutil", "libnss3-tools")
    require_tool("pk12util", "libnss3-tools")


def test_wrong_pfx_password_is_bad_input_and_changes_nothing(tmp_path: Path) -> None:
    db = new_nssdb(tmp_path / "db")
    _, root, pfx = write_pki(tmp_path)
    before = nss_state(db)
    result = gridcert("install", str(root), str(pfx), "--target", f"nss:{db}",
                      "--password-env", "PW", "--yes", env={"PW": "not the password"})
    assert result.returncode == 3
    assert pfx.name in result.stderr and "password" in result.stderr.lower()
    assert nss_state(db) == before
    assert all_journals() == []  # nothing was even started


def _without_dac_override() -> list[str]:
    """A command prefix under which root obeys file permissions like anyone else.

    Tests run as root here, and root ignores chmod (CAP_DAC_OVERRIDE). Dropping that
    capability (and DAC_READ_SEARCH) from the bounding set with util-linux `setpriv`
    makes a 0400 cert9.db really read-only for GridCert and the certutil it starts —
    the same situation as a normal user whose profile folder is read-only.
    """
    if os.geteuid() != 0:
        return []
    setpriv = require_tool("setpriv", "util-linux")
    caps = "-dac_override,-dac_read_search"
    probe = subprocess.run([setpriv, "--bounding-set", caps, "--inh-caps", caps, "--", "true"],
                           capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"cannot drop capabilities here: {probe.stderr.strip()}")
    return [setpriv, "--bounding-set", caps, "--inh-caps", caps, "--"]


def test_read_only_database_fails_with_exit_4_and_nothing_changes(tmp_path: Path) -> None:
    good = new_nssdb(tmp_path / "db-good")
    locked = new_nssdb(tmp_path / "db-readonly")
    _, root, pfx = write_pki(tmp_path)
    good_before, locked_before = nss_state(good), nss_state(locked)
    for path in locked.iterdir():
        path.chmod(stat.S_IRUSR)
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = subprocess.run(
            [*_without_dac_override(), sys.executable, "-m", "app", "install", str(root),
             str(pfx), "--target", f"nss:{good}", "--target", f"nss:{locked}",
             "--password-env", "PW", "--yes"],
            cwd=REPO, env={**os.environ, "PW": PASSWORD}, capture_output=True, text=True,
            timeout=180, check=False)
    finally:
        locked.chmod(0o700)
        for path in locked.iterdir():
            path.chmod(0o600)
    assert result.returncode == 4, result.stderr
    assert f"The NSS database in {locked} is read-only" in result.stderr
    assert nss_state(good) == good_before
    assert nss_state(locked) == locked_before


def test_missing_certutil_is_a_target_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = new_nssdb(tmp_path / "db")
    _, root, _ = write_pki(tmp_path)
    before = nss_state(db)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    # PATH without certutil, and none of the sbin/bin folders GridCert also searches.
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(tools_module, "_EXTRA_DIRS", ())
    code = cli_main(["install", str(root), "--target", f"nss:{db}", "--yes"])
    err = capsys.readouterr().err
    monkeypatch.undo()
    assert code == 4
    assert "The NSS tools are not installed; install libnss3-tools" in err
    assert nss_state(db) == before


_KILLER = """#!/bin/sh
# certutil stand-in: the {kill_at}th add into the victim database dies with SIGKILL.
case "$*" in
  *"{victim}"*)
    case " $* " in
      *" -A "*|*" -B "*)
        n=$(cat "{counter}" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "{counter}"
        if [ "$n" -ge {kill_at} ]; then kill -9 $$; fi;;
    esac;;
esac
exec "{real}" "$@"
"""


def test_certutil_killed_midway_rolls_back_every_store(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    good = new_nssdb(tmp_path / "db-good")
    victim = new_nssdb(tmp_path / "db-victim")
    _, root, pfx = write_pki(tmp_path)
    before = nss_state(good), nss_state(victim)
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    wrapper = fake_bin / "certutil"
    wrapper.write_text(_KILLER.format(victim=victim, counter=tmp_path / "count", kill_at=2,
                                      real=require_tool("certutil", "libnss3-tools")))
    wrapper.chmod(0o755)
    result = gridcert("install", str(root), str(pfx), "--target", f"nss:{good}", "--target",
                      f"nss:{victim}", "--password-env", "PW", "--yes", "--json",
                      env={"PW": PASSWORD, "PATH": f"{fake_bin}:{os.environ['PATH']}"})
    assert (tmp_path / "count").read_text().strip() == "2"  # it really died on the 2nd add
    assert result.returncode == 4, result.stderr
    report = json.loads(result.stdout)["result"]
    assert report["rolled_back"] is True
    assert report["failed"]["target"] == f"nss:{victim}"
    assert "Everything done before that step was undone" in result.stderr
    assert (nss_state(good), nss_state(victim)) == before


def test_second_gridcert_waits_then_says_another_is_working(tmp_path: Path) -> None:
    db = new_nssdb(tmp_path / "db")
    _, root, _ = write_pki(tmp_path)
    before = nss_state(db)
    with changes_lock():
        result = gridcert("install", str(root), "--target", f"nss:{db}", "--yes",
                          env={"GRIDCERT_LOCK_TIMEOUT": "1"})
    assert result.returncode == 4
    assert BUSY_SENTENCE in result.stderr
    assert nss_state(db) == before
    after = gridcert("install", str(root), "--target", f"nss:{db}", "--yes")
    assert after.returncode == 0, after.stderr


def test_process_killed_between_steps_is_rolled_back_at_next_start(tmp_path: Path) -> None:
    db = new_nssdb(tmp_path / "db")
    _, root, pfx = write_pki(tmp_path)
    before = nss_state(db)
    crashed = gridcert("install", str(root), str(pfx), "--target", f"nss:{db}",
                       "--password-env", "PW", "--yes",
                       env={"PW": PASSWORD, "GRIDCERT_TEST_CRASH_AFTER_STEP": "2"})
    assert crashed.returncode == 70  # os._exit in the middle: no cleanup ran
    half = nss_state(db)
    assert half != before and "ERCOT-like Root CA" in half[0]
    assert all_journals()[-1].state() == "open"
    listed = gridcert("list", "--target", f"nss:{db}")
    assert listed.returncode == 0, listed.stderr
    assert "has been rolled back (2 steps undone)" in listed.stderr
    assert nss_state(db) == before
    assert all_journals()[-1].state() == "rolled-back"
    nothing = gridcert("undo", "--yes")
    assert nothing.returncode == 0 and "There is nothing to undo." in nothing.stdout


def test_a_non_ca_offered_as_root_is_refused(tmp_path: Path) -> None:
    db = new_nssdb(tmp_path / "db")
    fake = make_root("Self Made Not CA", ca=False, key_cert_sign=False)
    path = fake.write(tmp_path / "fake-root.pem")
    before = nss_state(db)
    result = gridcert("install", str(path), "--target", f"nss:{db}", "--yes")
    assert result.returncode == 3
    assert "‘Self Made Not CA’ is not a certificate authority" in result.stderr
    assert nss_state(db) == before


def test_duplicate_inputs_are_installed_once(tmp_path: Path) -> None:
    db = new_nssdb(tmp_path / "db")
    root = make_root("Duplicated Root")
    first = root.write(tmp_path / "root.pem")
    second = root.write(tmp_path / "copy-of-root.crt")
    archive = tmp_path / "roots.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("Root/duplicated.cer", root.der)
        zipped.writestr("Install instructions.txt", "Double-click the certificate.")
    archive.write_bytes(buffer.getvalue())
    result = gridcert("install", str(first), str(second), str(archive), "--target",
                      f"nss:{db}", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["plan"]["steps"]) == 1
    listing = nss_state(db)[0]
    assert listing.count("Duplicated Root") == 1


def test_running_firefox_is_refused_before_any_store_changes(tmp_path: Path) -> None:
    """A Firefox profile whose `lock` names a live process (this test's) is busy: GridCert
    refuses with the store's sentence and changes nothing anywhere, other targets included."""
    from app.stores.firefox import FIREFOX_BUSY

    home = Path(os.environ["HOME"])
    profiles = home / ".mozilla" / "firefox"
    profile = new_nssdb(profiles / "abcd1234.default-release")
    (profiles / "profiles.ini").write_text(
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd1234.default-release\n"
        "Default=1\n")
    os.symlink(f"127.0.0.1:+{os.getpid()}", profile / "lock")
    other = new_nssdb(tmp_path / "db")
    _, root, _ = write_pki(tmp_path)
    before = nss_state(profile), nss_state(other)
    result = gridcert("install", str(root), "--target", f"nss:{other}", "--target", "firefox",
                      "--yes")
    assert result.returncode == 4
    assert FIREFOX_BUSY in result.stderr
    assert (nss_state(profile), nss_state(other)) == before
