"""Move's "Where is it going?" page warns when a typed password has letters like ü and the
file is for Java or the compatible profile (keytool cannot open an AES-256 file protected
by `export-Pa$$-ü`; older Windows read such letters differently): while the password can
still be changed, and again on *Ready to save*."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QRadioButton

from app.gui.move import flow as move_flow
from app.gui.widgets import ResultRows
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import move_file_to_how, press, type_into
from tests.gui.scene import Desk

ODD = "export-Pa$$-ü"


def _type(driver: Driver, name: str, text: str) -> None:
    """Type `text` key by key; a letter outside ASCII arrives as a key event carrying it,
    as a keyboard layout with ü delivers it (QTest's key clicks take ASCII only)."""
    edit = driver.child(QLineEdit, name)
    assert isinstance(edit, QLineEdit)
    edit.setFocus()
    edit.clear()
    for char in text:
        if char.isascii():
            driver.qtbot.keyClicks(edit, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.sendEvent(edit, QKeyEvent(
                kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
    assert edit.text() == text


def _warning(driver: Driver) -> str:
    rows = driver.child(ResultRows, "password-warning")
    assert isinstance(rows, ResultRows)
    if not rows.isVisible():
        return ""
    (row,) = rows.rows()
    assert row.level == "warning" and row.detail
    return row.sentence


def test_a_non_ascii_password_is_warned_about_for_java_and_compatible(
    desk: Desk, driver: Driver, answers: Answers
) -> None:
    move_file_to_how(driver, answers, desk.pfx_path)
    _type(driver, "move-password", ODD)
    _type(driver, "move-password-again", ODD)
    assert _warning(driver) == ""  # a modern computer reads it
    press(driver, QRadioButton, "dest-java")
    java = _warning(driver)
    assert java.startswith("The password contains ü: Java may read such letters differently")
    press(driver, QRadioButton, "dest-compatible")
    assert "older Windows versions" in _warning(driver)
    press(driver, QRadioButton, "dest-pem")
    assert _warning(driver) == ""
    press(driver, QRadioButton, "dest-java")
    assert _warning(driver) == java

    driver.next()
    driver.wait_page(move_flow.CONFIRM)
    driver.wait_idle()
    rows = driver.child(ResultRows, "move-plan")
    assert isinstance(rows, ResultRows)
    assert [r.level for r in rows.rows() if r.sentence == java] == ["warning"]

    # Plain letters, or a generated passphrase: nothing to warn about.
    driver.click(driver.wizard.button(driver.wizard.WizardButton.BackButton))
    driver.wait_page(move_flow.HOW)
    type_into(driver, "move-password", "export-Pa$$-u")
    assert _warning(driver) == ""
    _type(driver, "move-password", ODD)
    assert _warning(driver) == java  # warned as it is typed, before "Again" matches
    press(driver, QRadioButton, "password-generated")
    assert _warning(driver) == ""
