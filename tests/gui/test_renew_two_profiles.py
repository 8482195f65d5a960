"""Two Firefox profiles are told apart on the Renew pages — Where, Confirm and the Undo
summary — by the labels the store layer gives them (the profile's name, which Firefox,
which one opens by default), against real NSS databases."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QCheckBox, QPushButton

from app.gui.renew import flow as renew_flow
from app.gui.widgets import ResultRows
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import press, renew_new_file, type_into
from tests.gui.scene import PASSWORD, PROFILE, Desk, new_nss_db, nss_fingerprints

ESR = "a1b2c3d4.default-esr"


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def esr_db(desk: Desk, certutil: str) -> Path:
    """A second profile, of Firefox ESR; both profiles hold Jane's current certificate."""
    profiles = desk.home / ".mozilla" / "firefox"
    db = new_nss_db(certutil, profiles / ESR)
    (profiles / "profiles.ini").write_text(
        "[Install4F96D1932A9F858E]\nDefault=" + PROFILE + "\nLocked=1\n\n"
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=" + PROFILE + "\nDefault=1\n\n"
        "[Profile1]\nName=default-esr\nIsRelative=1\nPath=" + ESR + "\n\n"
        "[General]\nStartWithLastProfile=1\nVersion=2\n", encoding="utf-8")
    pk12util = str(Path(certutil).with_name("pk12util"))
    for folder in (desk.firefox_db, db):
        subprocess.run([pk12util, "-i", str(desk.pfx_path), "-d", f"sql:{folder}",
                        "-W", PASSWORD, "-K", ""], check=True, capture_output=True)
    return db


def _sentences(driver: Driver, name: str) -> list[str]:
    rows = driver.child(ResultRows, name)
    assert isinstance(rows, ResultRows)
    return [r.sentence for r in rows.rows()]


def test_two_firefox_profiles_are_told_apart_through_renew_and_undo(
    desk: Desk, esr_db: Path, driver: Driver, answers: Answers, tmp_path: Path,
    no_keyring: None, certutil: str,
) -> None:
    new = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC", days=730,
                        key=pki.pooled_key("rsa2048", 13))
    new_pfx = tmp_path / "0123456789012$JSMITH-2027.pfx"
    new_pfx.write_bytes(pki.pfx_bytes(new, "new-one-time-pw", [desk.root]))
    renew_new_file(driver, answers, new_pfx)
    type_into(driver, "new-password", "new-one-time-pw")
    driver.next()
    driver.wait_page(renew_flow.WHERE)
    driver.wait_idle()

    boxes = {b.objectName(): b for b in driver.wizard.currentPage().findChildren(QCheckBox)}
    release = boxes[f"target:nss:{desk.firefox_db}"]
    esr = boxes[f"target:nss:{esr_db}"]
    assert release.isChecked() and esr.isChecked()  # both hold the old certificate
    assert release.text() != esr.text()
    assert "'default-release' (opens by default)" in release.text()
    assert "ESR" in esr.text() and "'default-esr'" in esr.text()
    for name, box in boxes.items():
        if name.startswith("target:") and box not in (release, esr):
            box.setChecked(False)
    type_into(driver, "backup-passphrase", "backup passphrase 2026")
    type_into(driver, "backup-passphrase-again", "backup passphrase 2026")
    driver.next()
    driver.wait_page(renew_flow.CONFIRM)
    driver.wait_idle()
    plan = _sentences(driver, "renew-plan")
    assert any(s.startswith(release.text() + " gets your new certificate") for s in plan), plan
    assert any(s.startswith(esr.text() + " gets your new certificate") for s in plan), plan
    removal = next(s for s in plan if "is removed from" in s)
    assert release.text() in removal and esr.text() in removal

    driver.commit()
    driver.wait_page(renew_flow.DONE)
    driver.wait_idle()
    result = renew_flow.renew_state(driver.wizard.state).result
    assert result is not None and result.ok
    for db in (desk.firefox_db, esr_db):
        present = nss_fingerprints(certutil, db)
        assert new.sha256 in present and desk.leaf.sha256 not in present
    press(driver, QPushButton, "undo-renewal")
    driver.wait_idle()
    assert driver.wizard.currentPage().title() == "Undone"
    undone = _sentences(driver, "renew-results")
    assert any(release.text() in s for s in undone), undone
    assert any(esr.text() in s for s in undone), undone
    for db in (desk.firefox_db, esr_db):
        present = nss_fingerprints(certutil, db)
        assert desk.leaf.sha256 in present and new.sha256 not in present
