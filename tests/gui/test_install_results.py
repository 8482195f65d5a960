"""Confirm and Done show results as rows (✓ / ℹ / ⚠ / ✗ with a sentence, a fix under it
and technical detail behind Details), and Done's next step names the certificate the way
the browser lists it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtWidgets import QCheckBox, QLabel

from app.gui import navigation as nav
from app.gui.describe import local_date
from app.gui.install.done import browser_label
from app.gui.widgets import ResultRows
from app.gui.wizard import GridCertWizard
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import only_browsers, through_password, to_confirm, to_review
from tests.gui.rows import result_rows
from tests.gui.scene import Desk


def test_confirm_lists_the_plan_as_rows_with_their_reasons(driver: Driver, desk: Desk,
                                                           answers: Answers) -> None:
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    through_password(driver)
    only_browsers(driver)
    to_confirm(driver)
    page = driver.wizard.currentPage()
    steps = result_rows(page, "plan-steps")
    # Two browsers × (root + personal certificate): four steps to do, each a → "to do"
    # row (✓ is for results) whose reason is the sentence under it.
    assert len(steps) == 4, steps
    assert all(level == "todo" for level, _s, _f in steps)
    assert any(s.startswith("Import your certificate ‘Jane Smith’") and
               f.startswith("Your certificate and its key") for _l, s, f in steps), steps
    assert all(f.endswith(".") and f[0].isupper() for _l, _s, f in steps)
    # No plain text box any more: the rows are labels a screen reader reads one by one.
    assert page.findChild(ResultRows, "plan-steps").accessibleName() == "Planned steps"
    assert not result_rows(page, "plan-warnings")


def test_confirm_shows_the_expired_warning_as_a_row_needing_install_anyway(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    old = pki.make_root("Old Grid Root", not_before=pki.NOW - dt.timedelta(days=900),
                        not_after=pki.NOW - dt.timedelta(days=3))
    old_pem = desk.files / "old-root.pem"
    old.write(old_pem)
    to_review(driver, answers, [old_pem])
    driver.click(driver.child(QCheckBox, "include-certificate"))  # install it after all
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    only_browsers(driver)
    to_confirm(driver)
    page = driver.wizard.currentPage()
    warnings = result_rows(page, "plan-warnings")
    assert [level for level, _s, _f in warnings] == ["warning"], warnings
    assert "expired" in warnings[0][1].lower()
    assert "Install anyway" in warnings[0][2]
    anyway = driver.child(QCheckBox, "install-anyway")
    install = driver.wizard.button(driver.wizard.WizardButton.CommitButton)
    assert anyway.isVisible() and not install.isEnabled()
    assert "Install anyway" in driver.child(QLabel, "confirm-status").text()
    driver.click(anyway)
    assert install.isEnabled()


def test_done_rows_say_what_was_checked_and_the_next_step_names_the_certificate(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    through_password(driver)
    only_browsers(driver)
    to_confirm(driver)
    driver.commit()
    driver.wait_page(nav.DONE)
    driver.wait_idle()
    page = driver.wizard.currentPage()
    rows = result_rows(page, "done-details")
    assert len(rows) == 2, rows  # one per browser, each read back
    for level, sentence, fix in rows:
        assert level == "ok"
        assert sentence.endswith("2 certificates present")
        assert fix == "Installed there: the root ‘ERCOT CA’, your certificate ‘Jane Smith’."
    label = browser_label(driver.wizard.state.plan.steps[-1].item)
    until = local_date(desk.leaf.cert.not_valid_after_utc)
    assert label == f"Jane Smith — Example Power LLC — until {until}"
    assert f"choose '{label}'" in driver.child(QLabel, "done-next-steps").text()


def test_a_failure_is_an_error_row_with_its_detail_behind_details(
        wizard: GridCertWizard) -> None:
    wizard.state = nav.WizardState(job="install")
    wizard.state.report = SimpleNamespace(
        ok=False, applied=[], rolled_back=True, verified=[], failed=None,
        error="Chrome and Edge could not be changed: its certificate database is full.",
        error_detail="pk12util: SEC_ERROR_IO: An I/O error occurred (/tmp/x/cert9.db)")
    page = wizard.page_by_name(nav.DONE)
    page.initializePage()
    rows = page.findChild(ResultRows, "done-details")
    (row,) = rows.row_widgets()
    assert row.row.level == "error"
    assert "database is full" in row.sentence.text()
    assert "SEC_ERROR_IO" not in row.sentence.text()
    assert row.details_link is not None and row.detail is not None
    assert row.details_link.text() == "Details" and not row.detail.isVisibleTo(page)
    row.details_link.click()
    assert row.detail.isVisibleTo(page) and "SEC_ERROR_IO" in row.detail.text()


def test_reinstalling_an_older_pfx_after_a_renewal_is_a_warning_to_confirm(
        driver: Driver, desk: Desk, answers: Answers, certutil: str) -> None:
    import subprocess

    from tests.gui.scene import PASSWORD

    pk12util = str(Path(certutil).with_name("pk12util"))
    for db in (desk.firefox_db, desk.chromium_db):  # the renewed certificate is installed
        subprocess.run([pk12util, "-i", str(desk.pfx_path), "-d", f"sql:{db}",
                        "-W", PASSWORD], check=True, capture_output=True)
    older = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC",
                          not_before=pki.NOW - dt.timedelta(days=330),
                          not_after=pki.NOW + dt.timedelta(days=30))
    old_pfx = desk.files / "0123456789012$JSMITH-last-year.pfx"
    old_pfx.write_bytes(pki.pfx_bytes(older, PASSWORD, [desk.root]))
    to_review(driver, answers, [old_pfx])
    through_password(driver)
    only_browsers(driver)
    to_confirm(driver)
    page = driver.wizard.currentPage()
    warnings = result_rows(page, "plan-warnings")
    older_rows = [(level, sentence, fix) for level, sentence, fix in warnings
                  if "before the one already installed" in sentence]
    # Said once for the certificate, naming a place that holds the newer one.
    assert len(older_rows) == 1, warnings
    assert older_rows[0][1].startswith("‘Jane Smith’ in Firefox — profile 'default-release'")
    assert all(level == "warning" and "Install anyway" in fix
               for level, _sentence, fix in older_rows)
    install = driver.wizard.button(driver.wizard.WizardButton.CommitButton)
    anyway = driver.child(QCheckBox, "install-anyway")
    assert anyway.isVisible() and not anyway.isChecked() and not install.isEnabled()
    driver.click(anyway)
    assert install.isEnabled()
