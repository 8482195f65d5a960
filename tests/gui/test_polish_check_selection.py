"""Check page: the table has the focus when the page opens, and its first row is selected
(issue 13, a keyboard walk: nothing was selected nor shown, and Delete did nothing until an
arrow key chose a row). Delete and Enter act on what is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from tests.gui.conftest import Answers, Driver
from tests.gui.flows import start_job
from tests.gui.scene import Desk
from tests.gui.test_check_and_done import add_to_nss, table_rows
from tests.gui.test_check_delete_key import check_page_with_an_expired_copy

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_focused_table_selects_its_first_row_and_delete_acts_on_it(
        driver: Driver, desk: Desk, answers: Answers, certutil: str, tmp_path: Path) -> None:
    table, _old = check_page_with_an_expired_copy(driver, desk, certutil, tmp_path)
    driver.qtbot.waitUntil(table.hasFocus)
    rows = table_rows(table)
    assert len(rows) >= 2
    # The first row is selected and current, without any arrow key.
    assert {index.row() for index in table.selectedIndexes()} == {0}
    assert table.currentRow() == 0
    remove = driver.wizard.currentPage().remove_button
    assert remove.isEnabled()

    answers.confirm_answer = False
    driver.qtbot.keyClick(table, Qt.Key.Key_Delete)
    asked = [q for q in answers.asked if q.startswith("confirm: Remove these certificates?")]
    assert len(asked) == 1 and rows[0][0] in asked[0] and rows[0][2] in asked[0]


def test_a_table_that_gets_the_focus_again_keeps_the_chosen_row(
        driver: Driver, desk: Desk, certutil: str, tmp_path: Path) -> None:
    add_to_nss(certutil, desk.firefox_db, desk.leaf, "Jane Smith 2026", tmp_path)
    add_to_nss(certutil, desk.firefox_db, desk.root, "ERCOT CA", tmp_path)
    start_job(driver, "check")
    driver.wait_page("check")
    driver.wait_idle()
    table = driver.child(QTableWidget, "inventory")
    assert isinstance(table, QTableWidget) and table.rowCount() >= 2
    table.selectRow(1)
    driver.wizard.currentPage().refresh_button.setFocus(Qt.FocusReason.TabFocusReason)
    table.setFocus(Qt.FocusReason.BacktabFocusReason)
    assert {index.row() for index in table.selectedIndexes()} == {1}
