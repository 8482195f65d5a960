"""The step indicator: the job's steps down the side of the window (Files → Password →
Where → Confirm → Done), done ones ticked, the current one marked, like the side list of
an installer. What the steps are comes from app.gui.steps; this is only the drawing.

Painted from the palette at every paint (light and dark alike) and measured in font
metrics (high-DPI: no pixel sizes). For a screen reader it is one element whose name says
where the person is: "Step 3 of 5: Where".
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from app.gui import steps
from app.gui.style import blend

#: Quiet (upcoming) text: this much of the text colour over the background (>= 4.5:1 on
#: the light and dark palettes, checked in tests/gui/test_look.py).
QUIET = 0.68


def tr(text: str) -> str:
    return QApplication.translate("StepIndicator", text)


class StepIndicator(QWidget):
    """Steps in a column; `set_steps(names, current)` with translated names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step-indicator")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._names: list[str] = []
        self._current = -1
        self._heading = ""

    # --- what it shows -------------------------------------------------------------
    def set_steps(self, names: list[str], current: int, heading: str = "") -> None:
        if (names, current, heading) == (self._names, self._current, self._heading):
            return
        self._names, self._current, self._heading = list(names), current, heading
        self.setAccessibleName(self.summary())
        self.setAccessibleDescription("; ".join(self._row_words(i) for i in range(len(names))))
        self.setToolTip(self.summary())
        self.updateGeometry()
        self.update()

    def show_for(self, found: steps.Steps, heading: str = "") -> None:
        """Show `found` (translated here), or hide when the job has a single step."""
        names = [QApplication.translate(steps.TR_CONTEXT, name) for name in found.names]
        self.set_steps(names, found.current, heading)
        self.setVisible(found.shown)

    def names(self) -> list[str]:
        return list(self._names)

    def current(self) -> int:
        return self._current

    def summary(self) -> str:
        """'Step 3 of 5: Where' (what a screen reader says)."""
        if not 0 <= self._current < len(self._names):
            return ""
        return tr("Step {n} of {total}: {name}").format(
            n=self._current + 1, total=len(self._names), name=self._names[self._current])

    def _row_words(self, index: int) -> str:
        name = self._names[index]
        if index < self._current:
            return tr("{name}, done").format(name=name)
        if index == self._current:
            return tr("{name}, current step").format(name=name)
        return name

    # --- colours (all from the palette) --------------------------------------------
    def colours(self) -> dict[str, QColor]:
        palette = self.palette()
        background = palette.color(self.backgroundRole())
        text = palette.color(palette.ColorRole.WindowText)
        accent = palette.color(palette.ColorRole.Highlight)
        return {
            "background": background,
            "text": text,
            "quiet": blend(text, background, QUIET),
            "accent": accent,
            "on-accent": palette.color(palette.ColorRole.HighlightedText),
            "band": blend(accent, background, 0.16),
            "line": blend(text, background, 0.3),
        }

    # --- geometry (font metrics) ---------------------------------------------------
    def _metrics(self) -> tuple[float, float, float, float]:
        """(line height, row height, dot diameter, padding) in logical pixels."""
        line = QFontMetricsF(self.font()).height()
        return line, line * 2.3, line * 1.45, line * 0.8

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        return font

    def _heading_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * 0.9)
        font.setWeight(QFont.Weight.DemiBold)
        return font

    def sizeHint(self) -> QSize:
        line, row, dot, pad = self._metrics()
        bold = QFontMetricsF(self._bold())
        widest = max((bold.horizontalAdvance(name) for name in self._names), default=0.0)
        # The job's name wraps within the steps' width (at least ~9 lines of text wide):
        # a long name must not take room from the page.
        width = pad * 2 + max(dot + line * 0.6 + widest, line * 9) + line * 0.6
        height = pad * 2 + self._heading_height(width - pad * 2) + row * len(self._names)
        return QSize(int(width + 0.5), int(height + 0.5))

    def _heading_height(self, width: float) -> float:
        if not self._heading:
            return 0.0
        metrics = QFontMetricsF(self._heading_font())
        box = metrics.boundingRect(QRectF(0, 0, width, 10000),
                                   int(Qt.TextFlag.TextWordWrap), self._heading)
        return box.height() + QFontMetricsF(self.font()).height() * 0.6

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    # --- painting ------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._names:
            return
        colours = self.colours()
        line, row, dot, pad = self._metrics()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = pad
        if self._heading:
            painter.setFont(self._heading_font())
            painter.setPen(colours["quiet"])
            height = self._heading_height(self.width() - pad * 2)
            painter.drawText(QRectF(pad, top, self.width() - pad * 2, height),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                 | Qt.TextFlag.TextWordWrap), self._heading)
            top += height
        x_dot = pad + line * 0.3
        centre_x = x_dot + dot / 2
        # The line joining the dots, behind them.
        if len(self._names) > 1:
            pen = QPen(colours["line"], max(1.0, line / 12))
            painter.setPen(pen)
            first = top + row / 2
            last = top + row * (len(self._names) - 1) + row / 2
            painter.drawLine(QPointF(centre_x, first), QPointF(centre_x, last))
        for index, name in enumerate(self._names):
            y = top + row * index
            centre = QPointF(centre_x, y + row / 2)
            circle = QRectF(centre.x() - dot / 2, centre.y() - dot / 2, dot, dot)
            done, current = index < self._current, index == self._current
            if current:
                band = QRectF(pad * 0.4, y + row * 0.12, self.width() - pad * 0.8, row * 0.76)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colours["band"])
                painter.drawRoundedRect(band, line * 0.35, line * 0.35)
            if done or current:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colours["accent"])
            else:
                painter.setPen(QPen(colours["quiet"], max(1.0, line / 12)))
                painter.setBrush(colours["background"])
            painter.drawEllipse(circle)
            if done:
                self._draw_tick(painter, circle, colours["on-accent"], line)
            else:
                painter.setFont(self._bold())
                painter.setPen(colours["on-accent"] if current else colours["quiet"])
                painter.drawText(circle, int(Qt.AlignmentFlag.AlignCenter), str(index + 1))
            painter.setFont(self._bold() if current else self.font())
            painter.setPen(colours["text"] if (done or current) else colours["quiet"])
            text_x = circle.right() + line * 0.6
            painter.drawText(QRectF(text_x, y, self.width() - text_x - pad * 0.5, row),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             name)
        painter.end()

    @staticmethod
    def _draw_tick(painter: QPainter, circle: QRectF, colour: QColor, line: float) -> None:
        path = QPainterPath()
        w = circle.width()
        path.moveTo(circle.left() + w * 0.28, circle.top() + w * 0.52)
        path.lineTo(circle.left() + w * 0.44, circle.top() + w * 0.68)
        path.lineTo(circle.left() + w * 0.73, circle.top() + w * 0.36)
        pen = QPen(colour, max(1.5, line / 8))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
