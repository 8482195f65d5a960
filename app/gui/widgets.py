"""Small visual building blocks shared by the pages of every flow.

* `ResultRows`: a list of outcomes, one `ResultRow` each — a ✓/⚠/✗/ℹ icon (the style's
  own standard icons), a sentence, an optional fix sentence, and optional technical
  detail hidden behind a *Details* link.
* `StatusChip`: a small rounded label with a level's colour and a word or two ("Expired",
  "OK"), readable on light and dark palettes.
* `DetailsLink`: a *Details* link that shows and hides another widget.
* `CapsLockWatcher`: shows a "Caps Lock seems to be on" hint under a password field.

Levels are "ok", "warning", "error", "info" and "todo" (`Level`): "todo" is a planned step
that has not run yet (an arrow, never a ✓, which says something is done). Imported by the
pages only, never before the first paint.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.gui.navigation import QT_TRANSLATE_NOOP

Level = Literal["ok", "warning", "error", "info", "todo"]
LEVELS: tuple[Level, ...] = get_args(Level)

_ICONS = {
    "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "todo": QStyle.StandardPixmap.SP_ArrowRight,
}
#: Shown when the style has no icon for the level, and read by screen readers' users.
GLYPHS = {"ok": "✓", "warning": "⚠", "error": "✗", "info": "ℹ", "todo": "→"}
# (light palette, dark palette): the dark ones are lighter so that they stay readable on a
# dark Base; the light ones are dark enough for text on white (WCAG AA at normal size).
_COLOURS = {
    "ok": ("#2e7d32", "#81c784"),
    "warning": ("#b26a00", "#ffb74d"),
    "error": ("#c62828", "#ff6b6b"),
    "info": ("#1565c0", "#64b5f6"),
    "todo": ("#455a64", "#b0bec5"),  # neutral: nothing has happened yet
}
ICON_SIZE = 16
_N = QT_TRANSLATE_NOOP
_WORDS = {"ok": _N("widgets", "OK"), "warning": _N("widgets", "Warning"),
          "error": _N("widgets", "Error"), "info": _N("widgets", "Information"),
          "todo": _N("widgets", "To do")}


def _check(level: str) -> Level:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; one of {', '.join(LEVELS)}")
    return level  # narrowed to Level by the test above


def level_word(level: Level) -> str:
    """The level in words, for screen readers ("OK", "Warning", "Error", "Information",
    "To do")."""
    return QApplication.translate("widgets", _WORDS[_check(level)])


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def level_colour(level: Level, palette: QPalette) -> QColor:
    """The level's colour for text on `palette`'s Base (lighter on a dark palette)."""
    light, dark = _COLOURS[_check(level)]
    return QColor(dark if is_dark(palette) else light)


def level_icon(level: Level, style: QStyle | None = None) -> QIcon:
    """The style's standard icon for `level` (may be null on a style without one)."""
    style = style or QApplication.style()
    return style.standardIcon(_ICONS[_check(level)])


class DetailsLink(QPushButton):
    """A flat "Details" link under a sentence; a click (or Space/Enter when it has the
    focus) shows or hides `target`, which starts hidden. Its text says what a click does:
    "Details" when closed, "Hide details" when open."""

    toggled_open = Signal(bool)

    def __init__(self, target: QWidget, parent: QWidget | None = None, *,
                 name: str = "details-link") -> None:
        super().__init__(parent)
        self.target = target
        self._open = False
        self.setObjectName(name)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        # Looks like a link in the palette's link colour (dark mode included); keeps
        # the focus frame so that keyboard users see where they are.
        self.setStyleSheet("QPushButton { color: palette(link); border: none; padding: 0; "
                           "text-decoration: underline; text-align: left; }")
        self.clicked.connect(self.toggle)
        target.hide()
        self._update()

    def is_open(self) -> bool:
        return self._open

    def set_open(self, shown: bool) -> None:
        if shown == self._open:
            return
        self._open = shown
        self.target.setVisible(shown)
        self._update()
        self.toggled_open.emit(shown)

    def toggle(self) -> None:
        self.set_open(not self._open)

    def _update(self) -> None:
        self.setText(self.tr("Hide details") if self._open else self.tr("Details"))
        self.setAccessibleName(self.text())
        self.setAccessibleDescription(self.tr("Shows or hides the technical details"))


@dataclass(frozen=True)
class ResultRow:
    """One outcome: `sentence` says what is so, `fix` what to do about it (optional),
    `detail` the technical words (a tool's message, a path), shown on demand."""

    level: Level
    sentence: str
    fix: str = ""
    detail: str = ""

    def __post_init__(self) -> None:
        _check(self.level)


class ResultRowWidget(QWidget):
    """How `ResultRows` shows one `ResultRow`. Children by object name: `result-icon`,
    `result-sentence`, `result-fix`, `result-details-link`, `result-detail` (the last
    three only when the row has them)."""

    def __init__(self, row: ResultRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.setObjectName(f"result-row-{row.level}")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 2)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        self.icon = QLabel()
        self.icon.setObjectName("result-icon")
        icon = level_icon(row.level, self.style())
        if icon.isNull():
            self.icon.setText(GLYPHS[row.level])
        else:
            self.icon.setPixmap(icon.pixmap(ICON_SIZE, ICON_SIZE))
        self.icon.setAccessibleName(level_word(row.level))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        grid.addWidget(self.icon, 0, 0, Qt.AlignmentFlag.AlignTop)
        self.sentence = self._label(row.sentence, "result-sentence")
        grid.addWidget(self.sentence, 0, 1)
        line = 1
        self.fix: QLabel | None = None
        if row.fix:
            self.fix = self._label(row.fix, "result-fix")
            grid.addWidget(self.fix, line, 1)
            line += 1
        self.detail: QLabel | None = None
        self.details_link: DetailsLink | None = None
        if row.detail:
            self.detail = self._label(row.detail, "result-detail")
            self.detail.setEnabled(False)  # the palette's quiet text colour
            self.details_link = DetailsLink(self.detail, name="result-details-link")
            grid.addWidget(self.details_link, line, 1, Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(self.detail, line + 1, 1)
        self.setAccessibleName(f"{level_word(row.level)}: {row.sentence}")
        self.setAccessibleDescription(row.fix)

    @staticmethod
    def _label(text: str, name: str) -> QLabel:
        # Plain text: a file or certificate name can never inject markup.
        label = QLabel(text)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(text)
        return label


class ResultRows(QWidget):
    """A list of `ResultRow`s, top to bottom (empty, it takes no room)."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "result-rows") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(name.replace("-", " "))
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        # Rows keep their own height at the top when the list is given more room (in a
        # scroll area, say), instead of spreading out with gaps between them.
        self._layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._widgets: list[ResultRowWidget] = []

    def add_row(self, level: Level, sentence: str, fix: str = "",
                detail: str = "") -> ResultRowWidget:
        return self.add(ResultRow(level, sentence, fix, detail))

    def add(self, row: ResultRow) -> ResultRowWidget:
        widget = ResultRowWidget(row, self)
        self._layout.addWidget(widget)
        self._widgets.append(widget)
        widget.show()  # at once, not at the next event-loop turn (QLayout's way)
        return widget

    def set_rows(self, rows: Iterable[ResultRow]) -> None:
        """Replace what is shown with `rows`."""
        self.clear()
        for row in rows:
            self.add(row)

    def clear(self) -> None:
        for widget in self._widgets:
            self._layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._widgets = []

    def rows(self) -> list[ResultRow]:
        return [widget.row for widget in self._widgets]

    def row_widgets(self) -> list[ResultRowWidget]:
        return list(self._widgets)

    def count(self) -> int:
        return len(self._widgets)

    def worst(self) -> Level | None:
        """The most serious level shown (error > warning > info > todo > ok), None when
        empty."""
        order: tuple[Level, ...] = ("error", "warning", "info", "todo", "ok")
        shown = {widget.row.level for widget in self._widgets}
        return next((level for level in order if level in shown), None)


class StatusChip(QLabel):
    """A small rounded label: `text` in the level's colour on a light tint of it, with a
    border. Painted from the palette at each paint, so it follows dark mode (and a palette
    changed while it is shown) without a style sheet."""

    RADIUS = 8

    def __init__(self, level: Level = "info", text: str = "",
                 parent: QWidget | None = None, *, name: str = "status-chip") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setContentsMargins(8, 1, 8, 1)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self._level: Level = _check(level)
        self.set_status(level, text)

    def level(self) -> Level:
        return self._level

    def set_status(self, level: Level, text: str) -> None:
        self._level = _check(level)
        self.setText(text)
        self.setAccessibleName(f"{level_word(level)}: {text}" if text else level_word(level))
        self.update()

    def colour(self) -> QColor:
        """The text and border colour for the palette in use now."""
        return level_colour(self._level, self.palette())

    def paintEvent(self, event: QPaintEvent) -> None:
        colour = self.colour()
        tint = QColor(colour)
        tint.setAlphaF(0.16)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(colour)
        painter.setBrush(tint)
        box = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = min(self.RADIUS, box.height() / 2)
        painter.drawRoundedRect(box, radius, radius)
        painter.drawText(self.contentsRect(), int(self.alignment()), self.text())
        painter.end()


class CapsLockWatcher(QObject):
    """Guesses Caps Lock from typed letters (Qt has no portable query): an upper-case
    letter without Shift, or a lower-case one with Shift, means it is on."""

    def __init__(self, field: QLineEdit, hint: QLabel) -> None:
        super().__init__(field)
        self.hint = hint
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            text = event.text()
            if len(text) == 1 and text.isalpha() and text.upper() != text.lower():
                shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.hint.setVisible(text.isupper() != shift)
        return False
