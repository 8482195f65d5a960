"""The whole install flow, driven by clicks and typing, into real NSS databases."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton

from app.gui import navigation as nav
from app.gui.describe import local_date
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import only_browsers, through_password, to_confirm, to_review
from tests.gui.rows import result_rows, row_texts
from tests.gui.scene import PASSWORD, Desk, nss_has, nss_keys, nss_listing


def _labels(driver: Driver, name: str) -> list[str]:
    page = driver.wizard.currentPage()
    return [label.text() for label in page.findChildren(QLabel, name) if label.isVisible()]


def test_common_case_in_five_clicks_then_undo(driver: Driver, desk: Desk, answers: Answers,
                                              certutil: str, qtbot) -> None:
    answers.files = [str(desk.zip_path), str(desk.pfx_path)]
    wizard = driver.wizard

    # 1: the start page's "Install certificates" (the file picker opens by itself).
    driver.click(wizard.page_by_name(nav.START).buttons["install"])
    driver.wait_page(nav.ADD_FILES)
    qtbot.waitUntil(lambda: wizard.state.files == answers.files)
    assert answers.asked == ["open_files"]

    # 2: Next → Review: the root, the locked .pfx, and the PDF listed as not a certificate.
    driver.next()
    driver.wait_page(nav.REVIEW)
    driver.wait_idle()
    titles = _labels(driver, "card-title")
    assert any("ERCOT CA" in t and "named like ERCOT's root (production) — not verified" in t
               for t in titles), titles
    locked = _labels(driver, "locked-title")
    assert locked == ["0123456789012$JSMITH.pfx — your certificate, locked with a password"]
    others = _labels(driver, "other-member")
    assert any("Installing the ERCOT CA root certificate.pdf (not a certificate)" in o
               for o in others), others
    fingerprints = _labels(driver, "fingerprint")
    assert any(desk.root.sha256.upper()[:2] + ":" in f for f in fingerprints)

    # 3: Next → Password; typing the password and Enter go on (no click).
    driver.next()
    driver.wait_page(nav.PASSWORD)
    field = driver.child(QLineEdit, "password")
    assert isinstance(field, QLineEdit)
    assert field.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(field, PASSWORD)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    driver.wait_page(nav.WHERE)
    driver.wait_idle()

    # The detected places: the Firefox profile and Chrome/Chromium, both ticked.
    boxes = {b.text(): b for b in wizard.currentPage().findChildren(QCheckBox)}
    firefox = next(b for t, b in boxes.items() if t.startswith("Firefox"))
    chromium = next(b for t, b in boxes.items() if "Chrom" in t)
    assert firefox.isChecked() and chromium.isChecked()
    for box in boxes.values():
        if box not in (firefox, chromium) and box.isChecked():
            driver.click(box)  # leave this machine's own stores alone (counted, if any)

    # 4: Next → Confirm: the plan in words.
    driver.next()
    driver.wait_page(nav.CONFIRM)
    driver.wait_idle()
    texts = row_texts(wizard.currentPage(), "plan-steps")
    assert any("ERCOT" in t and firefox.text() in t for t in texts), texts
    assert any("Jane Smith" in t and "private key" in t for t in texts), texts

    # 5: Install → Progress → Done by itself.
    driver.commit()
    driver.wait_page(nav.DONE)
    assert driver.clicks <= 5
    back = wizard.button(wizard.WizardButton.BackButton)
    assert not (back.isVisible() and back.isEnabled())  # no way back into a second install
    next_steps = driver.child(QLabel, "done-next-steps").text()
    until = local_date(desk.leaf.cert.not_valid_after_utc)
    assert f"choose 'Jane Smith — Example Power LLC — until {until}'" in next_steps
    assert wizard.state.report.ok, wizard.state.report.error
    checked = result_rows(wizard.currentPage(), "done-details")
    assert any(level == "ok" and firefox.text() in sentence and "Jane Smith" in fix
               for level, sentence, fix in checked), checked

    for db in (desk.firefox_db, desk.chromium_db):
        assert nss_has(certutil, db, desk.root.sha256)
        assert nss_has(certutil, db, desk.leaf.sha256)
        assert "Jane Smith" in nss_keys(certutil, db) or "rsa" in nss_keys(certutil, db)
    listing = nss_listing(certutil, desk.firefox_db)
    root_line = next(line for line in listing.splitlines() if "ERCOT" in line)
    assert "C" in root_line.rsplit(None, 1)[-1]

    # Undo (confirmed in the dialog): everything it added is gone again.
    undo = driver.child(QPushButton, "undo")
    driver.click(undo)
    driver.wait_idle()
    qtbot.waitUntil(lambda: not undo.isEnabled(), timeout=60000)
    # The page now says what is true after the undo: no advice to pick the certificate
    # that is gone, no backup of it, no second Undo.
    assert wizard.currentPage().title() == "Undone"
    assert "choose" not in driver.child(QLabel, "done-next-steps").text()
    assert not driver.child(QPushButton, "save-backup").isVisible()
    assert not undo.isVisible()
    for db in (desk.firefox_db, desk.chromium_db):
        assert not nss_has(certutil, db, desk.root.sha256)
        assert not nss_has(certutil, db, desk.leaf.sha256)


def _to_confirm(driver: Driver, answers: Answers, files: list[str],
                password: str | None = None) -> None:
    """Start → files → Review → (Password) → Where (only the two browser databases
    ticked) → Confirm, as in the common case."""
    to_review(driver, answers, [Path(f) for f in files])
    if password is not None:
        through_password(driver, password)
    else:
        driver.next()
        driver.wait_page(nav.WHERE)
        driver.wait_idle()
    only_browsers(driver)
    to_confirm(driver)


def test_everything_already_installed_ends_with_close(driver: Driver, desk: Desk,
                                                      answers: Answers, certutil: str,
                                                      tmp_path) -> None:
    """The root is in both browsers already: the Confirm page says so and offers Close
    (not a greyed Install and only Cancel); Close ends the run and nothing changes."""
    import subprocess

    pem = desk.root.write(tmp_path / "root.pem")
    for db in (desk.firefox_db, desk.chromium_db):
        subprocess.run([certutil, "-A", "-d", f"sql:{db}", "-n", "ERCOT CA", "-t", "C,,",
                        "-i", str(pem)], check=True, capture_output=True)
    before = {db: nss_listing(certutil, db) for db in (desk.firefox_db, desk.chromium_db)}

    _to_confirm(driver, answers, [str(desk.zip_path)])
    wizard = driver.wizard
    assert wizard.currentPage().title() == "Already installed"
    status = driver.child(QLabel, "confirm-status").text()
    assert "already where it should be" in status
    steps = result_rows(wizard.currentPage(), "plan-steps")
    assert steps and all(level == "info" and " is already in " in sentence
                         and sentence.endswith(": nothing to do.")
                         for level, sentence, _fix in steps), steps
    assert not wizard.button(wizard.WizardButton.CommitButton).isVisible()
    close = wizard.button(wizard.WizardButton.FinishButton)
    assert close.text() == "&Close"
    driver.click(close)
    assert not wizard.isVisible()
    assert wizard.state.report is None  # nothing ran
    for db, listing in before.items():
        assert nss_listing(certutil, db) == listing


def test_done_page_names_the_certificate_as_each_browser_lists_it(
        driver: Driver, desk: Desk, answers: Answers, certutil: str) -> None:
    """A .pfx whose friendly name is not its CN (the usual JSMITH case): Firefox lists it
    by the friendly name, Chrome by the CN; the Done page tells both."""
    from tests import pki
    from tests.gui.scene import PASSWORD

    pfx = desk.files / "0123456789012$JSMITH-friendly.pfx"
    pfx.write_bytes(pki.pfx_bytes(desk.leaf, PASSWORD, [desk.root],
                                  friendly_name="Jane Smith ERCOT 2026"))
    _to_confirm(driver, answers, [str(pfx)], PASSWORD)
    driver.commit()
    driver.wait_page(nav.DONE)
    assert driver.wizard.state.report.ok, driver.wizard.state.report.error
    text = driver.child(QLabel, "done-next-steps").text()
    until = local_date(desk.leaf.cert.not_valid_after_utc)
    assert text.endswith(f"choose 'Jane Smith — Example Power LLC — until {until}' "
                         "(Firefox lists it as 'Jane Smith ERCOT 2026').")
    assert "Jane Smith ERCOT 2026" in nss_listing(certutil, desk.firefox_db)
