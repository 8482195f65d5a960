"""Delete in the Check page's table: the same question as the Remove button, then the
selected certificate is removed from the real NSS database (read back with certutil);
answering No removes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget

from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import start_job
from tests.gui.scene import Desk, nss_has
from tests.gui.test_check_and_done import add_to_nss, table_rows

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _select_by_keyboard(driver: Driver, table: QTableWidget, wanted: list[str]) -> None:
    """Arrow keys down the table until the current row is `wanted` (name, place…), and
    Space to select it if it is not (the first row is selected when the table gets the focus)."""
    table.setFocus()
    driver.qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    rows = table_rows(table)
    for _ in range(len(rows)):
        if rows[table.currentRow()] == wanted:
            break
        driver.qtbot.keyClick(table, Qt.Key.Key_Down)
    assert rows[table.currentRow()] == wanted, f"{wanted} not reached"
    if not table.selectionModel().isRowSelected(table.currentRow()):
        driver.qtbot.keyClick(table, Qt.Key.Key_Space)
    selected = {index.row() for index in table.selectedIndexes()}
    assert selected == {table.currentRow()}


def check_page_with_an_expired_copy(driver: Driver, desk: Desk, certutil: str,
                                    tmp_path: Path) -> tuple[QTableWidget, pki.Issued]:
    """Firefox holds Jane's current certificate and an expired older copy; the Check page
    is open (in the active window, as a person would have it) and its table listed:
    (the table, the expired copy)."""
    old = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC",
                        not_before=pki.NOW - dt.timedelta(days=400),
                        not_after=pki.NOW - dt.timedelta(days=35))
    add_to_nss(certutil, desk.firefox_db, old, "Jane Smith 2025", tmp_path)
    add_to_nss(certutil, desk.firefox_db, desk.leaf, "Jane Smith 2026", tmp_path)
    wizard = driver.wizard
    wizard.activateWindow()
    driver.qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    start_job(driver, "check")
    driver.wait_page("check")
    driver.wait_idle()
    table = driver.child(QTableWidget, "inventory")
    assert isinstance(table, QTableWidget)
    return table, old


def test_delete_key_asks_like_remove_and_removes(driver: Driver, desk: Desk, answers: Answers,
                                                 certutil: str, tmp_path: Path) -> None:
    table, old = check_page_with_an_expired_copy(driver, desk, certutil, tmp_path)
    wizard = driver.wizard
    expired = next(r for r in table_rows(table) if r[2].startswith("Firefox")
                   and "expired" in r[4])

    _select_by_keyboard(driver, table, expired)
    answers.confirm_answer = False
    driver.qtbot.keyClick(table, Qt.Key.Key_Delete)
    asked = [q for q in answers.asked if q.startswith("confirm: Remove these certificates?")]
    assert len(asked) == 1 and "Jane Smith" in asked[0]
    driver.wait_idle()
    assert nss_has(certutil, desk.firefox_db, old.sha256)  # "Cancel": nothing removed

    answers.confirm_answer = True
    driver.qtbot.keyClick(table, Qt.Key.Key_Delete)
    driver.wait_idle()
    driver.qtbot.waitUntil(lambda: not wizard.state.busy and not nss_has(
        certutil, desk.firefox_db, old.sha256), timeout=60000)
    assert len([q for q in answers.asked if q.startswith("confirm: Remove these")]) == 2
    assert nss_has(certutil, desk.firefox_db, desk.leaf.sha256)  # only the selected one
