"""Where the keyboard is, is seen: the start page's four choices show a focus ring when
Tab reaches them (Fusion draws none on a command-link button), and the Details link keeps
a visible focus frame under its style sheet."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.gui import navigation as nav
from app.gui.focus import JobButton
from app.gui.widgets import DetailsLink
from app.gui.wizard import GridCertWizard

# The offscreen platform says so when a window is activated; nothing to do with GridCert.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _activate(qtbot: QtBot, window: QWidget) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _highlight_pixels(image: QImage, colour: QColor) -> int:
    """How many pixels of `image` have (nearly) the palette's highlight colour."""
    count = 0
    for y in range(0, image.height()):
        for x in range(0, image.width()):
            pixel = image.pixelColor(x, y)
            if (abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green())
                    + abs(pixel.blue() - colour.blue())) < 30:
                count += 1
    return count


def _tab_to(qtbot: QtBot, target: QWidget, limit: int = 20) -> None:
    for _ in range(limit):
        if QApplication.focusWidget() is target:
            return
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.objectName()}")


def test_start_choices_show_a_ring_when_tabbed_to(qtbot: QtBot, wizard: GridCertWizard) -> None:
    _activate(qtbot, wizard)
    start = wizard.page_by_name(nav.START)
    buttons = [start.findChild(QAbstractButton, f"job-{job}")
               for job in ("install", "renew", "move", "check")]
    assert all(isinstance(b, JobButton) for b in buttons)
    highlight = wizard.palette().color(QPalette.ColorRole.Highlight)
    # A choice without the focus has no ring (the first one has it from the start: see
    # test_polish_start_focus).
    other = buttons[1]
    assert other is not None
    quiet = _highlight_pixels(other.grab().toImage(), highlight)
    for button in [*buttons[1:], buttons[0]]:  # round the chain and back to Install
        assert button is not None
        _tab_to(qtbot, button)
        assert button.hasFocus()
        assert isinstance(button, JobButton) and button.shows_focus_ring()
        ringed = _highlight_pixels(button.grab().toImage(), highlight)
        # A 2-px ring round the button: hundreds of highlight pixels more than without.
        assert ringed > quiet + 2 * (button.width() + button.height())
    # The others, without the focus, show no ring.
    for button in buttons[1:]:
        assert button is not None and not button.hasFocus()
        assert isinstance(button, JobButton) and not button.shows_focus_ring()


def test_enter_on_a_tabbed_choice_starts_that_job(qtbot: QtBot, wizard: GridCertWizard) -> None:
    _activate(qtbot, wizard)
    start = wizard.page_by_name(nav.START)
    check = start.findChild(QAbstractButton, "job-check")
    assert check is not None
    _tab_to(qtbot, check)
    qtbot.keyClick(check, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.current_page_id() == nav.CHECK, timeout=30000)
    qtbot.waitUntil(lambda: not wizard.state.busy, timeout=60000)


def test_details_link_keeps_a_visible_focus_frame(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    target = QLabel("certutil: SEC_ERROR_BAD_DATABASE")
    link = DetailsLink(target)
    other = DetailsLink(QLabel("other"), name="other-link")
    layout.addWidget(other)
    layout.addWidget(link)
    layout.addWidget(target)
    _activate(qtbot, window)
    other.setFocus()
    unfocused = link.grab().toImage()
    _tab_to(qtbot, link)
    assert link.hasFocus()
    assert link.grab().toImage() != unfocused  # the style draws the focus frame
