"""A focus ring that every style shows.

Qt's Fusion style (and some others) draws no focus frame on a command-link button, so
the start page's four choices gave no sign of where Tab had gone. `JobButton` draws a
ring in the palette's highlight colour (dark mode and high contrast included) when the
keyboard has brought the focus to it (Tab, Shift+Tab, an Alt+letter) and when it has the
window's first focus (the page opens with a choice focused; without the ring the first Tab
seemed to jump to the second choice) — every focus but a mouse click's, which shows itself.
The style's own drawing stays as it is.

QtGui's painting classes are imported at the first ring, not with the start page (start-up
stays lean: see app/gui/wizard.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QCommandLinkButton, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QFocusEvent, QPaintEvent

RING_WIDTH = 2.0
RING_RADIUS = 4.0
_POINTER = (Qt.FocusReason.MouseFocusReason, Qt.FocusReason.PopupFocusReason)


def paint_focus_ring(widget: QWidget) -> None:
    """Draw the ring inside `widget`'s edge (call at the end of its paintEvent)."""
    from PySide6.QtGui import QPainter, QPalette, QPen

    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(widget.palette().color(QPalette.ColorRole.Highlight))
    pen.setWidthF(RING_WIDTH)
    painter.setPen(pen)
    half = RING_WIDTH / 2
    painter.drawRoundedRect(QRectF(widget.rect()).adjusted(half, half, -half, -half),
                            RING_RADIUS, RING_RADIUS)
    painter.end()


class JobButton(QCommandLinkButton):
    """A command-link button (title and description) with a visible focus ring."""

    def __init__(self, text: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(text, description, parent)
        #: The focus did not come from a mouse click: the ring shows (until it leaves).
        self.keyboard_focus = False
        self._focused_before = False

    def shows_focus_ring(self) -> bool:
        return self.hasFocus() and self.keyboard_focus

    def focusInEvent(self, event: QFocusEvent) -> None:
        # A mouse click shows itself. The window's first focus is where Enter and the
        # first Tab act from, so it shows like a keyboard focus; the window coming back
        # (another one had the focus for a while) keeps what the button showed before.
        reason = event.reason()
        if not (reason == Qt.FocusReason.ActiveWindowFocusReason and self._focused_before):
            self.keyboard_focus = reason not in _POINTER
        self._focused_before = True
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # Another window taking the focus for a while does not end a keyboard walk.
        if event.reason() != Qt.FocusReason.ActiveWindowFocusReason:
            self.keyboard_focus = False
        super().focusOutEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.shows_focus_ring():
            paint_focus_ring(self)
