"""The Review summary's left-out sentence agrees with its number (issue 13, a keyboard
walk: "2 certificates left out: tick 'Install this' on its card to install it")."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel

from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import to_review
from tests.gui.scene import Desk


def _summary(driver: Driver) -> str:
    label = driver.child(QLabel, "review-status")
    assert isinstance(label, QLabel)
    return label.text()


def test_two_left_out_are_their_cards_and_them(driver: Driver, desk: Desk,
                                               answers: Answers) -> None:
    # Two roots on no operator's list: both left out until ticked.
    files = [pki.make_root("Some Office Root").write(desk.files / "office.pem"),
             pki.make_root("Another Office Root").write(desk.files / "another.pem")]
    to_review(driver, answers, files)
    boxes = driver.wizard.currentPage().findChildren(QCheckBox, "include-certificate")
    assert [box.isChecked() for box in boxes] == [False, False]
    summary = _summary(driver)
    assert ("2 certificates left out: tick 'Install this' on their cards to install them "
            "after all.") in summary, summary
    assert "on its card" not in summary

    # One ticked: one left out, said in the singular.
    driver.click(boxes[0])
    summary = _summary(driver)
    assert ("1 certificate left out: tick 'Install this' on its card to install it after "
            "all.") in summary, summary
