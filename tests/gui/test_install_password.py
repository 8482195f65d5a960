"""The Password page: help from the second wrong password in a row, and what an opened
.pfx holds shown there — an expired personal certificate with its validity and its
'Install this' tick, before the Confirm page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit

from app.gui import navigation as nav
from app.gui.describe import local_date
from app.gui.install.review import CertificateCard
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import only_browsers, to_confirm, to_review, type_into, visible_texts
from tests.gui.rows import result_rows
from tests.gui.scene import PASSWORD, Desk


def _try_password(driver: Driver, password: str) -> list[str]:
    type_into(driver, "password", password)
    driver.next()
    driver.wait_idle()
    return visible_texts(driver, "password-error")


def test_help_comes_after_the_second_wrong_password(driver: Driver, desk: Desk,
                                                    answers: Answers) -> None:
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    driver.next()
    driver.wait_page(nav.PASSWORD)
    (first,) = _try_password(driver, "Jx7-pQ2m-wt9z")
    assert "Check the password (it is case-sensitive)" in first
    assert "separately" not in first  # a first slip is most likely a typo
    (second,) = _try_password(driver, "Jx7pQ2mWt9z")
    assert second.startswith("That password does not open ‘0123456789012$JSMITH.pfx’.")
    assert "usually sent separately, in another email or by your security administrator" \
        in second
    # An ERCOT file (its <DUNS>$<USER>.pfx name): the one-time password is shown once.
    assert "ERCOT shows its one-time password only once" in second
    assert "download the file again" in second
    for _ in range(3):  # five in a row: the help stays
        (again,) = _try_password(driver, "still-wrong")
        assert "download the file again" in again
    assert driver.page() == nav.PASSWORD
    assert not _try_password(driver, PASSWORD)
    driver.wait_page(nav.WHERE)


def test_an_expired_certificate_in_a_pfx_is_shown_on_the_password_page(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    expired = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC",
                            not_before=pki.NOW - dt.timedelta(days=400),
                            not_after=pki.NOW - dt.timedelta(days=5))
    pfx = desk.files / "0123456789012$JSMITH-2024.pfx"
    pfx.write_bytes(pki.pfx_bytes(expired, PASSWORD, [desk.root]))
    to_review(driver, answers, [desk.zip_path, pfx])
    driver.next()
    driver.wait_page(nav.PASSWORD)
    assert not _try_password(driver, PASSWORD)
    # The file opened, and the page stays to show what it holds.
    assert driver.page() == nav.PASSWORD
    page = driver.wizard.currentPage()
    cards = [c for c in page.findChildren(CertificateCard) if c.isVisible()]
    assert [c.view.sha256 for c in cards] == [expired.sha256]  # the root was on Review
    card = cards[0]
    day = local_date(expired.cert.not_valid_after_utc)
    shown = [label.text() for label in card.findChildren(QLabel) if label.isVisible()]
    assert any(text.startswith(day) and "expired" in text for text in shown), shown
    assert any(text.startswith(f"⚠ Expired on {day}") for text in shown), shown
    include = card.findChild(QCheckBox, "include-certificate")
    assert include.isVisible() and not include.isChecked()
    status = driver.child(QLabel, "password-status").text()
    assert f"Jane Smith expired on {day}" in status and "tick 'Install this'" in status

    # Next goes on without it (the root is still chosen): the plan has no personal step.
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    only_browsers(driver)
    to_confirm(driver)
    steps = result_rows(driver.wizard.currentPage(), "plan-steps")
    assert steps and not any("Jane Smith" in sentence for _l, sentence, _f in steps)

    # Back to the Password page: the card and the choice are still there; ticking it
    # brings it into the plan, where the expired warning needs "Install anyway".
    driver.wizard.back()
    driver.wizard.back()
    driver.wait_page(nav.PASSWORD)
    card = next(c for c in driver.wizard.currentPage().findChildren(CertificateCard)
                if c.isVisible())
    driver.click(card.findChild(QCheckBox, "include-certificate"))
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    only_browsers(driver)
    to_confirm(driver)
    warnings = result_rows(driver.wizard.currentPage(), "plan-warnings")
    assert any(level == "warning" and "expired" in sentence.lower()
               for level, sentence, _f in warnings), warnings
    assert driver.child(QCheckBox, "install-anyway").isVisible()


def test_only_an_expired_pfx_waits_for_the_tick(driver: Driver, desk: Desk,
                                                answers: Answers) -> None:
    expired = pki.make_leaf(desk.root, "Jane Smith", not_before=pki.NOW - dt.timedelta(days=400),
                            not_after=pki.NOW - dt.timedelta(days=1))
    pfx = desk.files / "expired.pfx"
    pfx.write_bytes(pki.pfx_bytes(expired, PASSWORD, []))
    to_review(driver, answers, [pfx])
    driver.next()
    driver.wait_page(nav.PASSWORD)
    field = driver.child(QLineEdit, "password")
    driver.qtbot.keyClicks(field, PASSWORD)
    driver.next()
    driver.wait_idle()
    assert driver.page() == nav.PASSWORD
    assert "Tick at least one to go on." in driver.child(QLabel, "password-status").text()
    next_button = driver.wizard.button(driver.wizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    card = next(c for c in driver.wizard.currentPage().findChildren(CertificateCard)
                if c.isVisible())
    driver.click(card.findChild(QCheckBox, "include-certificate"))
    assert next_button.isEnabled()
