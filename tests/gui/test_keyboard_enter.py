"""Enter presses the primary button of every window GridCert opens: the question boxes
(Remove, Replace, Undo, Close), the backup-passphrase window (no keyring), and the wizard."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.gui.dialogs import Dialogs
from app.gui.passphrase_dialog import NewPassphraseDialog

# The offscreen platform says so when a dialog sizes itself; nothing to do with GridCert.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _when_shown(qtbot: QtBot, act: Callable[[QWidget], None]) -> list[str]:
    """Run `act` on the modal window as soon as it is up; returns what was seen (and
    any failure inside `act`, after closing the window so that the test cannot hang)."""
    seen: list[str] = []

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or not modal.isVisible():
            QTimer.singleShot(20, poll)
            return
        if QApplication.activeWindow() is not modal:  # keys go to the active window
            modal.activateWindow()
            QTimer.singleShot(20, poll)
            return
        seen.append(type(modal).__name__)
        try:
            act(modal)
        except AssertionError as error:
            seen.append(f"failed: {error}")
            if isinstance(modal, QDialog):
                modal.done(0)

    QTimer.singleShot(0, poll)
    return seen


def test_enter_in_a_question_presses_its_action(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()

    def enter(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        default = box.defaultButton()
        assert default is not None and default.text() == "&Remove"
        qtbot.keyClick(box, Qt.Key.Key_Return)

    seen = _when_shown(qtbot, enter)
    assert Dialogs().confirm(parent, "Remove certificates", "Remove these?", "&Remove") is True
    assert seen == ["QMessageBox"]


def test_esc_in_a_question_is_cancel(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen = _when_shown(qtbot, lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape))
    assert Dialogs().confirm(parent, "Remove certificates", "Remove these?", "&Remove") is False
    assert seen == ["QMessageBox"]


def _type_twice(qtbot: QtBot, dialog: QWidget, text: str) -> QLineEdit:
    first = dialog.findChild(QLineEdit, "passphrase")
    second = dialog.findChild(QLineEdit, "passphrase-again")
    assert first is not None and second is not None
    first.setFocus()
    qtbot.keyClicks(first, text)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is second
    qtbot.keyClicks(second, text)
    return second


def test_enter_in_the_backup_passphrase_window_presses_remove(qtbot: QtBot) -> None:
    """The no-keyring passphrase window: typed twice, Enter → the passphrase is taken
    (it used to press Cancel)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()

    def type_and_enter(dialog: QWidget) -> None:
        assert isinstance(dialog, NewPassphraseDialog)
        second = _type_twice(qtbot, dialog, "correct horse battery")
        ok = dialog.findChild(QPushButton, "accept-passphrase")
        assert ok is not None and ok.isDefault() and ok.isEnabled()
        qtbot.keyClick(second, Qt.Key.Key_Return)

    seen = _when_shown(qtbot, type_and_enter)
    answer = Dialogs().ask_new_passphrase(parent, "A passphrase for the backup", "Choose one.",
                                          "&Remove")
    assert seen == ["NewPassphraseDialog"]
    assert answer == "correct horse battery"


def test_enter_after_tabbing_over_cancel_still_means_the_primary_button(qtbot: QtBot) -> None:
    dialog = NewPassphraseDialog(None, "A passphrase", "Choose one.", "&Remove")
    qtbot.addWidget(dialog)

    def over_cancel_then_enter(shown: QWidget) -> None:
        _type_twice(qtbot, shown, "correct horse battery")
        cancel = next(b for b in shown.findChildren(QPushButton) if b.text() == "Cancel")
        for _ in range(10):  # Tab along the focus chain until Cancel has the focus
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            if QApplication.focusWidget() is cancel:
                break
        assert QApplication.focusWidget() is cancel
        qtbot.keyClick(cancel, Qt.Key.Key_Return)

    seen = _when_shown(qtbot, over_cancel_then_enter)
    assert dialog.exec() == QDialog.DialogCode.Accepted.value
    assert seen == ["NewPassphraseDialog"]


def test_enter_does_nothing_until_both_passphrases_agree(qtbot: QtBot) -> None:
    dialog = NewPassphraseDialog(None, "A passphrase", "Choose one.", "&Remove")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    first = dialog.findChild(QLineEdit, "passphrase")
    assert first is not None
    first.setFocus()
    qtbot.keyClicks(first, "only once")
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert dialog.isVisible()  # neither accepted nor cancelled
    assert dialog.result() == 0
