"""Driving the wizard the way a person does, shared by the GUI tests: start a job, type,
press, tick, and the common walks through the install and move flows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLabel, QLineEdit, QRadioButton

from app.gui import navigation as nav
from app.gui.move import flow as move_flow
from app.gui.renew import flow as renew_flow
from tests.gui.conftest import Answers, Driver
from tests.gui.scene import PASSWORD, Desk

# --- single gestures ----------------------------------------------------------------------


def start_job(driver: Driver, job: str) -> None:
    """Click the start page's button for `job` ("install", "renew", "move", "check")."""
    start = driver.wizard.page_by_name(nav.START)
    button = start.findChild(QAbstractButton, f"job-{job}")
    assert button is not None, f"no start button for {job}"
    driver.click(button)


def type_into(driver: Driver, name: str, text: str) -> None:
    """Replace what the field `name` holds by typing `text`, key by key."""
    edit = driver.child(QLineEdit, name)
    assert isinstance(edit, QLineEdit)
    edit.setFocus()
    edit.clear()
    driver.qtbot.keyClicks(edit, text)


def press(driver: Driver, cls: type, name: str) -> None:
    """Click a push button, or tick a radio button or check box."""
    widget = driver.child(cls, name)
    assert isinstance(widget, QAbstractButton)
    if isinstance(widget, QRadioButton | QCheckBox):
        tick(driver, widget)
    else:
        driver.click(widget)


def tick(driver: Driver, widget: QAbstractButton) -> None:
    """Click a radio button or check box on its indicator, as a person does (its middle
    may be empty space when the layout stretches it)."""
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    driver.clicks += 1
    driver.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(6, widget.height() // 2))


def visible_texts(driver: Driver, name: str) -> list[str]:
    """The texts of the visible, non-empty labels called `name` on the current page."""
    page = driver.wizard.currentPage()
    return [w.text() for w in page.findChildren(QLabel, name) if w.isVisible() and w.text()]


# --- install --------------------------------------------------------------------------------


def to_review(driver: Driver, answers: Answers, files: list[Path]) -> None:
    """Start → Install; the picker gives `files` → Review, read."""
    answers.files = [str(f) for f in files]
    driver.click(driver.wizard.page_by_name(nav.START).buttons["install"])
    driver.wait_page(nav.ADD_FILES)
    driver.qtbot.waitUntil(lambda: driver.wizard.state.files == answers.files)
    driver.next()
    driver.wait_page(nav.REVIEW)
    driver.wait_idle()


def through_password(driver: Driver, password: str = PASSWORD) -> None:
    """Review → Password (typed) → Where, detected."""
    driver.next()
    driver.wait_page(nav.PASSWORD)
    field = driver.child(QLineEdit, "password")
    driver.qtbot.keyClicks(field, password)
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()


def only_browsers(driver: Driver) -> list[QCheckBox]:
    """Untick this machine's own system/Java stores; return the browser boxes."""
    kept = []
    for box in driver.wizard.currentPage().findChildren(QCheckBox):
        if box.text().startswith("Firefox") or "Chrom" in box.text():
            kept.append(box)
        else:
            box.setChecked(False)
    return kept


def to_confirm(driver: Driver) -> None:
    """Where → Confirm, planned."""
    driver.next()
    driver.wait_page(nav.CONFIRM)
    driver.wait_idle()


# --- move -----------------------------------------------------------------------------------


def move_file_to_how(driver: Driver, answers: Answers, pfx: Path,
                     password: str = PASSWORD) -> None:
    """Start → Move a .pfx opened as a file (its password typed) → "Where is it going?"."""
    start_job(driver, "move")
    driver.wait_page(move_flow.WHAT)
    driver.wait_idle()
    answers.files = [str(pfx)]
    press(driver, QAbstractButton, "move-browse")
    type_into(driver, "move-file-password", password)
    press(driver, QAbstractButton, "move-open-file")
    driver.wait_idle()
    assert move_flow.move_state(driver.wizard.state).chosen is not None
    driver.next()
    driver.wait_page(move_flow.HOW)
    driver.wait_idle()


def move_save(driver: Driver) -> None:
    """"Where is it going?" → Next → *Ready to save* (the plan shown) → Save."""
    driver.next()
    driver.wait_page(move_flow.CONFIRM)
    driver.wait_idle()
    driver.commit()


# --- renew ----------------------------------------------------------------------------------


def renew_issued_file(driver: Driver, answers: Answers, issued: Path) -> None:
    """Start → Renew → "the answer to my request came" → its file chosen (Complete page)."""
    start_job(driver, "renew")
    driver.wait_page(renew_flow.HOW)
    driver.wait_idle()
    press(driver, QRadioButton, "mode-complete")
    driver.next()
    driver.wait_page(renew_flow.COMPLETE)
    answers.files = [str(issued)]
    press(driver, QAbstractButton, "browse-issued")


def renew_new_file(driver: Driver, answers: Answers, pfx: Path) -> None:
    """Start → Renew → "a new certificate file came" → its file chosen (New file page)."""
    start_job(driver, "renew")
    driver.wait_page(renew_flow.HOW)
    driver.wait_idle()
    press(driver, QRadioButton, "mode-new-file")
    driver.next()
    driver.wait_page(renew_flow.NEW_FILE)
    answers.files = [str(pfx)]
    press(driver, QAbstractButton, "browse-new")


def install_into_firefox(driver: Driver, answers: Answers, desk: Desk) -> None:
    """A real install of the root and Jane's .pfx into the Firefox profile only."""
    answers.files = [str(desk.zip_path), str(desk.pfx_path)]
    wizard = driver.wizard
    driver.click(wizard.page_by_name(nav.START).buttons["install"])
    driver.wait_page(nav.ADD_FILES)
    driver.qtbot.waitUntil(lambda: bool(wizard.state.files))
    driver.next()
    driver.wait_page(nav.REVIEW)
    driver.wait_idle()
    driver.next()
    driver.wait_page(nav.PASSWORD)
    driver.qtbot.keyClicks(driver.child(QLineEdit, "password"), PASSWORD)
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    for box in wizard.currentPage().findChildren(QCheckBox):
        box.setChecked(box.text().startswith("Firefox"))
    driver.next()
    driver.wait_page(nav.CONFIRM)
    driver.wait_idle()
    driver.commit()
    driver.wait_page(nav.DONE)
    driver.wait_idle()
    assert wizard.state.report is not None and getattr(wizard.state.report, "ok", False)
