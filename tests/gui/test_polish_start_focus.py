"""The Start page opens with "Install certificates" focused, and shows it (issue 13, a
keyboard walk): without a ring on the first focus, the first Tab seemed to jump straight to
"Renew". The focus ring is drawn on the initially focused choice; a mouse click still
shows itself without one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from app.gui import navigation as nav
from app.gui.focus import JobButton
from app.gui.wizard import GridCertWizard
from tests.gui.test_keyboard_focus import _activate, _highlight_pixels

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_first_focused_choice_shows_its_ring(qtbot: QtBot, wizard: GridCertWizard) -> None:
    _activate(qtbot, wizard)
    start = wizard.page_by_name(nav.START)
    install = start.findChild(QAbstractButton, "job-install")
    renew = start.findChild(QAbstractButton, "job-renew")
    assert isinstance(install, JobButton) and isinstance(renew, JobButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is install)
    assert install.shows_focus_ring() and not renew.shows_focus_ring()
    highlight = wizard.palette().color(QPalette.ColorRole.Highlight)
    ringed = _highlight_pixels(install.grab().toImage(), highlight)
    quiet = _highlight_pixels(renew.grab().toImage(), highlight)
    # A 2-px ring round the button: hundreds of highlight pixels more than the other one.
    assert ringed > quiet + 2 * (install.width() + install.height())
    # The first Tab moves the ring on to Renew, the next choice in order.
    qtbot.keyClick(install, Qt.Key.Key_Tab)
    assert renew.hasFocus() and renew.shows_focus_ring() and not install.shows_focus_ring()


def test_a_mouse_focus_draws_no_ring(qtbot: QtBot, wizard: GridCertWizard) -> None:
    _activate(qtbot, wizard)
    move = wizard.page_by_name(nav.START).findChild(QAbstractButton, "job-move")
    assert isinstance(move, JobButton)
    move.setFocus(Qt.FocusReason.MouseFocusReason)
    assert move.hasFocus() and not move.shows_focus_ring()
