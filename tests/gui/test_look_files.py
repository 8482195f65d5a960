"""The Add files page (issue 13): a drop zone that takes dropped files and opens the
file picker from the keyboard, an operator picker that follows the file just added, and
"Don't have your operator's root certificates?" only while no root file is there."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton

from app.gui import navigation as nav
from app.gui.install.files import AddFilesPage
from tests.gui.conftest import Answers, Driver
from tests.gui.scene import Desk

TIMEOUT = 60000


def open_add_files(driver: Driver, answers: Answers, files: list[Path]) -> AddFilesPage:
    answers.files = [str(f) for f in files]
    driver.click(driver.wizard.page_by_name(nav.START).buttons["install"])
    driver.wait_page(nav.ADD_FILES)
    driver.qtbot.waitUntil(lambda: driver.wizard.state.files == answers.files)
    page = driver.wizard.currentPage()
    assert isinstance(page, AddFilesPage)
    return page


def drop(qtbot, widget, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    """Drag `paths` from a file manager over `widget` and let go."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = QPointF(widget.width() / 2, widget.height() / 2)
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(where.toPoint(), actions, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    assert widget.highlighted()  # lit while files are over it
    event = QDropEvent(where, actions, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    assert event.isAccepted()


def test_drop_zone_takes_dropped_files(driver: Driver, desk: Desk, answers: Answers) -> None:
    page = open_add_files(driver, answers, [])
    zone = page.drop_zone
    assert zone.isVisible() and not zone.is_compact()
    assert not page.files.isVisible()  # no empty list box: the zone is the invitation
    drop(driver.qtbot, zone, [desk.pfx_path])
    assert driver.wizard.state.files == [str(desk.pfx_path)]
    assert not zone.highlighted()  # unlit after the drop
    assert zone.is_compact() and page.files.isVisible()
    assert page.files.count() == 1
    assert driver.wizard.button(driver.wizard.WizardButton.NextButton).isEnabled()


def test_drop_zone_is_keyboard_activatable(driver: Driver, desk: Desk,
                                           answers: Answers) -> None:
    page = open_add_files(driver, answers, [])
    answers.asked.clear()
    answers.files = [str(desk.zip_path)]
    choose = page.findChild(QPushButton, "browse")
    assert choose is not None and choose.text().replace("&", "") == "Choose files…"
    assert choose.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert page.drop_zone.focusProxy() is choose
    choose.setFocus()
    driver.qtbot.keyClick(choose, Qt.Key.Key_Space)
    assert answers.asked == ["open_files"]
    assert driver.wizard.state.files == [str(desk.zip_path)]
    # Its mnemonic works from anywhere on the page.
    answers.files = [str(desk.pfx_path)]
    driver.wizard.setFocus()
    driver.qtbot.keyClick(driver.wizard, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    driver.qtbot.waitUntil(lambda: len(driver.wizard.state.files) == 2, timeout=5000)
    # And a click anywhere in the zone, not only on its button.
    answers.asked.clear()
    driver.qtbot.mouseClick(page.drop_zone, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    assert answers.asked == ["open_files"]


def test_operator_follows_the_file_just_added(driver: Driver, desk: Desk,
                                              answers: Answers) -> None:
    page = open_add_files(driver, answers, [desk.pfx_path])
    operator = page.findChild(QComboBox, "operator")
    assert operator is not None
    driver.qtbot.waitUntil(lambda: operator.count() > 1, timeout=TIMEOUT)
    other = next(i for i in range(operator.count()) if operator.itemText(i) != "ERCOT")
    operator.setCurrentIndex(other)
    assert operator.currentText() != "ERCOT"
    assert page.catalog_box.isVisible()  # only the .pfx so far: where to get the roots
    drop(driver.qtbot, page.drop_zone, [desk.zip_path])  # ERCOT_CA_Production_…zip
    assert operator.currentText() == "ERCOT"
    assert "ERCOT" in page.catalog_text.text()


def test_root_question_hides_once_a_root_file_is_there(driver: Driver, desk: Desk,
                                                       answers: Answers) -> None:
    page = open_add_files(driver, answers, [desk.pfx_path])
    driver.qtbot.waitUntil(page.catalog_box.isVisible, timeout=TIMEOUT)
    assert page.catalog_box.title() == "Don't have your operator's root certificates?"
    page.add_files([str(desk.zip_path)])
    assert not page.catalog_box.isVisible()
    # Taken out of the list again: the question is back, for the zip's operator.
    zip_row = next(i for i in range(page.files.count())
                   if page.files.item(i).data(Qt.ItemDataRole.UserRole) == str(desk.zip_path))
    page.files.item(zip_row).setSelected(True)
    driver.click(page.remove)
    assert page.catalog_box.isVisible()
    operator = page.findChild(QComboBox, "operator")
    assert operator is not None and operator.currentText() == "ERCOT"


def test_catalog_loaded_after_the_files_picks_their_operator(driver: Driver, desk: Desk,
                                                            answers: Answers) -> None:
    """Files given before the page has read the catalog (opened with GridCert): the
    operator is still the files'."""
    page = open_add_files(driver, answers, [desk.zip_path, desk.pfx_path])
    operator = page.findChild(QComboBox, "operator")
    assert operator is not None
    driver.qtbot.waitUntil(lambda: operator.count() > 1, timeout=TIMEOUT)
    assert operator.currentText() == "ERCOT"
    assert not page.catalog_box.isVisible()
