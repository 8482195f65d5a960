"""The four flows walked by keyboard alone: Tab, Shift+Tab, arrow keys, Space, Enter, Esc
and Delete on the real wizard, no mouse and no method called to move on. The file pickers
are answered by the test's Dialogs (a native picker is the platform's own window); the
end state is read back from the real NSS databases and files.

Widgets are found by their object names, not their positions, so that pages may change
their layout without breaking the walks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QWidget,
)

from app.gui import navigation as nav
from app.gui.move import flow as move_flow
from app.gui.renew import flow as renew_flow
from app.gui.wizard import GridCertWizard
from tests import pki
from tests.gui.conftest import TIMEOUT, Answers, Driver
from tests.gui.scene import PASSWORD, Desk, nss_fingerprints, nss_has
from tests.gui.test_check_and_done import add_to_nss, table_rows

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


class Keys:
    """A person at the keyboard."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        self.qtbot = driver.qtbot
        self.wizard: GridCertWizard = driver.wizard
        self.wizard.activateWindow()
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is self.wizard)

    def focus(self) -> QWidget:
        if QApplication.activeWindow() is None:
            # The offscreen platform can leave no window active after a page change (a
            # window manager gives the only window the focus back); keys need one.
            self.wizard.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is self.wizard)
        return QApplication.focusWidget() or self.wizard

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
            ) -> None:
        self.qtbot.keyClick(self.focus(), key, modifier)

    def find(self, cls: type, name: str) -> QWidget:
        widget = self.wizard.currentPage().findChild(cls, name)
        assert isinstance(widget, QWidget), f"no {name} on {self.driver.page()}"
        self.qtbot.waitUntil(lambda: widget.isVisible() and widget.isEnabled())
        return widget

    def tab_to(self, widget: QWidget, limit: int = 80) -> None:
        """Tab until `widget` has the focus (a radio button is reached through its group,
        with the arrow keys)."""
        for _ in range(limit):
            now = QApplication.focusWidget()
            if now is widget:
                return
            if (isinstance(widget, QRadioButton) and isinstance(now, QRadioButton)
                    and now.parentWidget() is widget.parentWidget()):
                self.key(Qt.Key.Key_Down)
                continue
            self.key(Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached {widget.objectName()} "
                             f"(at {self.focus().objectName()}; active "
                             f"{QApplication.activeWindow()}; page {self.driver.page()})")

    def press(self, widget: QWidget) -> None:
        """Tab to a button or box and press Space."""
        self.tab_to(widget)
        self.key(Qt.Key.Key_Space)

    def type(self, widget: QWidget, text: str) -> None:
        self.tab_to(widget)
        assert isinstance(widget, QLineEdit)
        self.key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        self.qtbot.keyClicks(widget, text)

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return)

    def wait(self, page: str) -> None:
        self.driver.wait_page(page)
        self.driver.wait_idle()

    def start(self, job: str) -> None:
        start = self.wizard.page_by_name(nav.START)
        button = start.findChild(QAbstractButton, f"job-{job}")
        assert button is not None
        self.tab_to(button)
        self.enter()

    def only(self, keep: str) -> None:
        """On a page of places: Space on every ticked box but `keep`'s."""
        for box in self.wizard.currentPage().findChildren(QCheckBox):
            if not box.objectName().startswith("target:") or not box.isVisible():
                continue
            if box.isChecked() != (box.objectName() == keep) and box.isEnabled():
                self.press(box)
        wanted = self.wizard.currentPage().findChild(QCheckBox, keep)
        assert wanted is not None and wanted.isChecked()


def test_install_by_keyboard(driver: Driver, desk: Desk, answers: Answers,
                             certutil: str) -> None:
    keys = Keys(driver)
    answers.files = [str(desk.zip_path), str(desk.pfx_path)]
    keys.start("install")
    keys.wait(nav.ADD_FILES)
    if driver.wizard.state.files != answers.files:
        keys.press(keys.find(QAbstractButton, "browse"))  # the picker answers
    driver.qtbot.waitUntil(lambda: driver.wizard.state.files == answers.files)
    keys.enter()
    keys.wait(nav.REVIEW)
    keys.enter()
    keys.wait(nav.PASSWORD)
    keys.type(keys.find(QLineEdit, "password"), PASSWORD)
    keys.enter()
    keys.wait(nav.WHERE)
    keys.only(f"target:nss:{desk.firefox_db}")
    keys.enter()
    keys.wait(nav.CONFIRM)
    keys.enter()  # Install
    driver.wait_page(nav.DONE)
    driver.wait_idle()
    assert driver.wizard.currentPage().title() == "Done: your certificates are installed"
    assert nss_has(certutil, desk.firefox_db, desk.leaf.sha256)
    assert nss_has(certutil, desk.firefox_db, desk.root.sha256)
    assert not nss_has(certutil, desk.chromium_db, desk.leaf.sha256)
    keys.key(Qt.Key.Key_Escape)  # a Done page: closes without a question
    driver.qtbot.waitUntil(lambda: not driver.wizard.isVisible())
    assert not [q for q in answers.asked if "Close GridCert?" in q]


def test_check_remove_and_undo_by_keyboard(driver: Driver, desk: Desk, answers: Answers,
                                           certutil: str, tmp_path: Path) -> None:
    old = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC",
                        not_before=pki.NOW - dt.timedelta(days=400),
                        not_after=pki.NOW - dt.timedelta(days=35))
    add_to_nss(certutil, desk.firefox_db, old, "Jane Smith 2025", tmp_path)
    add_to_nss(certutil, desk.firefox_db, desk.leaf, "Jane Smith 2026", tmp_path)
    keys = Keys(driver)
    keys.start("check")
    keys.wait(nav.CHECK)
    table = keys.find(QTableWidget, "inventory")
    assert isinstance(table, QTableWidget)
    rows = table_rows(table)
    expired = next(r for r in rows if r[2].startswith("Firefox") and "expired" in r[4])
    keys.tab_to(table)
    keys.key(Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(len(rows)):
        if rows[table.currentRow()] == expired:
            break
        keys.key(Qt.Key.Key_Down)
    if not table.selectionModel().isRowSelected(table.currentRow()):
        keys.key(Qt.Key.Key_Space)
    assert {i.row() for i in table.selectedIndexes()} == {rows.index(expired)}
    keys.key(Qt.Key.Key_Delete)
    assert [q for q in answers.asked if q.startswith("confirm: Remove these")]
    driver.wait_idle()
    undo = keys.find(QAbstractButton, "undo-remove")
    driver.wait_idle()
    assert not nss_has(certutil, desk.firefox_db, old.sha256)
    assert nss_has(certutil, desk.firefox_db, desk.leaf.sha256)
    keys.press(undo)
    driver.wait_idle()
    driver.qtbot.waitUntil(lambda: not undo.isVisible(), timeout=TIMEOUT)
    driver.wait_idle()
    assert nss_has(certutil, desk.firefox_db, old.sha256)
    keys.key(Qt.Key.Key_Escape)
    driver.qtbot.waitUntil(lambda: not driver.wizard.isVisible())


def test_renew_by_keyboard(driver: Driver, desk: Desk, answers: Answers, certutil: str,
                           tmp_path: Path) -> None:
    from app.actions.install import apply_plan, plan_install
    from app.actions.targets import resolve_targets
    from app.core.reader import read_paths

    items = read_paths([str(desk.pfx_path)], lambda _s: PASSWORD).items
    assert apply_plan(plan_install(items, resolve_targets([f"nss:{desk.firefox_db}"]))).ok
    new = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC", days=730,
                        key=pki.pooled_key("rsa2048", 13))
    new_pfx = tmp_path / "0123456789012$JSMITH-2027.pfx"
    new_pfx.write_bytes(pki.pfx_bytes(new, "new-one-time-pw", [desk.root]))
    keys = Keys(driver)
    keys.start("renew")
    keys.wait(renew_flow.HOW)
    keys.tab_to(keys.find(QRadioButton, "mode-new-file"))
    radio = keys.find(QRadioButton, "mode-new-file")
    assert isinstance(radio, QRadioButton)
    if not radio.isChecked():
        keys.key(Qt.Key.Key_Space)
    assert radio.isChecked()
    keys.enter()
    keys.wait(renew_flow.NEW_FILE)
    answers.files = [str(new_pfx)]
    keys.press(keys.find(QAbstractButton, "browse-new"))
    keys.type(keys.find(QLineEdit, "new-password"), "new-one-time-pw")
    keys.enter()
    keys.wait(renew_flow.WHERE)
    keys.only(f"target:nss:{desk.firefox_db}")
    keys.enter()
    keys.wait(renew_flow.CONFIRM)
    keys.enter()
    driver.wait_page(renew_flow.DONE)
    driver.wait_idle()
    assert "installed" in driver.wizard.currentPage().title()
    assert new.sha256 in nss_fingerprints(certutil, desk.firefox_db)


def test_move_by_keyboard(driver: Driver, desk: Desk, answers: Answers,
                          tmp_path: Path) -> None:
    keys = Keys(driver)
    keys.start("move")
    keys.wait(move_flow.WHAT)
    answers.files = [str(desk.pfx_path)]
    keys.press(keys.find(QAbstractButton, "move-browse"))
    keys.type(keys.find(QLineEdit, "move-file-password"), PASSWORD)
    keys.press(keys.find(QAbstractButton, "move-open-file"))
    driver.wait_idle()
    assert move_flow.move_state(driver.wizard.state).chosen is not None
    keys.enter()
    keys.wait(move_flow.HOW)
    typed = driver.wizard.currentPage().findChild(QRadioButton, "password-typed")
    if typed is not None and typed.isVisible() and not typed.isChecked():
        keys.tab_to(typed)
        if not typed.isChecked():
            keys.key(Qt.Key.Key_Space)
    keys.type(keys.find(QLineEdit, "move-password"), "Long enough pass 2026")
    keys.type(keys.find(QLineEdit, "move-password-again"), "Long enough pass 2026")
    out = tmp_path / "jane-moved.pfx"
    keys.type(keys.find(QLineEdit, "move-out"), str(out))
    keys.enter()
    keys.wait(move_flow.CONFIRM)
    keys.enter()  # Save
    driver.wait_page(move_flow.DONE)
    driver.wait_idle()
    loaded = pkcs12.load_pkcs12(out.read_bytes(), b"Long enough pass 2026")
    assert loaded.cert is not None and loaded.cert.certificate == desk.leaf.cert
