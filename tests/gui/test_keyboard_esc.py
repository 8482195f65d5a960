"""Esc, the Cancel button and the window's close button ask before throwing away files or
passwords the person entered; with nothing entered, or on a last page, they close at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QRadioButton
from pytestqt.qtbot import QtBot

from app.gui import navigation as nav
from app.gui.renew import flow as renew_flow
from app.gui.wizard import GridCertWizard
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import press, start_job
from tests.gui.scene import PASSWORD, Desk

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _focused(wizard: GridCertWizard) -> QLineEdit | GridCertWizard:
    widget = QApplication.focusWidget()
    return widget if widget is not None else wizard  # type: ignore[return-value]


def _questions(answers: Answers) -> list[str]:
    return [q for q in answers.asked if q.startswith("confirm: Close GridCert?")]


def test_esc_with_nothing_entered_closes_at_once(qtbot: QtBot, wizard: GridCertWizard,
                                                 answers: Answers) -> None:
    qtbot.keyClick(_focused(wizard), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert _questions(answers) == []


def test_esc_after_adding_files_asks_and_stays_on_no(driver: Driver, desk: Desk,
                                                     answers: Answers) -> None:
    wizard = driver.wizard
    answers.files = [str(desk.pfx_path)]
    start_job(driver, "install")
    driver.wait_page(nav.ADD_FILES)
    driver.qtbot.waitUntil(lambda: wizard.state.files == answers.files)
    answers.confirm_answer = False
    driver.qtbot.keyClick(_focused(wizard), Qt.Key.Key_Escape)
    assert len(_questions(answers)) == 1
    assert "files and passwords you entered" in _questions(answers)[0]
    assert wizard.isVisible() and wizard.current_page_id() == nav.ADD_FILES
    assert wizard.state.files == answers.files  # nothing was thrown away

    answers.confirm_answer = True
    driver.qtbot.keyClick(_focused(wizard), Qt.Key.Key_Escape)
    driver.qtbot.waitUntil(lambda: not wizard.isVisible())
    assert len(_questions(answers)) == 2


def test_close_button_asks_once_a_password_was_typed(driver: Driver, desk: Desk,
                                                     answers: Answers, tmp_path: Path) -> None:
    """The renew flow: the new .pfx's password typed; the title bar's close asks."""
    wizard = driver.wizard
    start_job(driver, "renew")
    driver.wait_page(renew_flow.HOW)
    driver.wait_idle()
    press(driver, QRadioButton, "mode-new-file")
    driver.next()
    driver.wait_page(renew_flow.NEW_FILE)
    field = driver.child(QLineEdit, "new-password")
    assert isinstance(field, QLineEdit)
    field.setFocus()
    driver.qtbot.keyClicks(field, PASSWORD)
    answers.confirm_answer = False
    assert wizard.close() is False  # the window's close button: a close event
    assert len(_questions(answers)) == 1
    assert wizard.isVisible()
    answers.confirm_answer = True
    assert wizard.close() is True
    assert not wizard.isVisible()


def test_cancel_button_follows_the_same_rule(driver: Driver, desk: Desk,
                                             answers: Answers) -> None:
    wizard = driver.wizard
    answers.files = [str(desk.zip_path)]
    start_job(driver, "install")
    driver.wait_page(nav.ADD_FILES)
    driver.qtbot.waitUntil(lambda: bool(wizard.state.files))
    answers.confirm_answer = False
    driver.click(wizard.button(wizard.WizardButton.CancelButton))
    assert len(_questions(answers)) == 1 and wizard.isVisible()


def test_esc_on_a_last_page_closes_without_asking(driver: Driver, desk: Desk,
                                                  answers: Answers) -> None:
    """Check my certificates is a flow's last page: nothing is lost by leaving it."""
    wizard = driver.wizard
    start_job(driver, "check")
    driver.wait_page(nav.CHECK)
    driver.wait_idle()
    assert nav.is_last(wizard.state, nav.CHECK)
    driver.qtbot.keyClick(_focused(wizard), Qt.Key.Key_Escape)
    driver.qtbot.waitUntil(lambda: not wizard.isVisible())
    assert _questions(answers) == []
