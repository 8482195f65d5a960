"""Found on a keyboard walk: on *Check my certificates*, selecting a row (arrow keys) drew
the Time left cell's words twice — the chip's, and the item's own text in the selection's
text colour underneath — an unreadable smear. The cell under the chip draws the row's
selection and no text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem, QTableWidget

from app.gui.check.certificates import TIME_COLUMN
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import start_job
from tests.gui.scene import Desk
from tests.gui.test_check_and_done import add_to_nss

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _paint_cell(table: QTableWidget, row: int, text: str) -> QImage:
    """The Time left cell of `row`, selected, painted by the table's own delegate with
    `text` as the item's text."""
    item = table.item(row, TIME_COLUMN)
    assert item is not None
    item.setText(text)
    index = table.model().index(row, TIME_COLUMN)
    rect = table.visualRect(index)
    option = QStyleOptionViewItem()
    option.initFrom(table)  # type: ignore[attr-defined]
    option.rect = QRect(0, 0, rect.width(), rect.height())  # type: ignore[attr-defined]
    option.state |= QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_Active  # type: ignore[attr-defined]
    option.widget = table  # type: ignore[attr-defined]
    image = QImage(rect.width(), rect.height(), QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    table.itemDelegateForIndex(index).paint(painter, option, index)
    painter.end()
    return image


def test_a_selected_rows_time_left_cell_draws_no_text_under_the_chip(
        driver: Driver, desk: Desk, answers: Answers, certutil: str, tmp_path: Path) -> None:
    add_to_nss(certutil, desk.firefox_db, desk.leaf, "Jane Smith", tmp_path)
    start_job(driver, "check")
    driver.wait_page("check")
    driver.wait_idle()
    table = driver.child(QTableWidget, "inventory")
    assert isinstance(table, QTableWidget) and table.rowCount() > 0
    table.selectRow(0)
    QApplication.processEvents()
    words = table.item(0, TIME_COLUMN).text()  # type: ignore[union-attr]
    assert words  # kept for copying, screen readers and the column's width
    with_text = _paint_cell(table, 0, words)
    without = _paint_cell(table, 0, "")
    table.item(0, TIME_COLUMN).setText(words)  # type: ignore[union-attr]
    assert with_text == without
