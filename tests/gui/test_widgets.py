"""The shared building blocks of app/gui/widgets.py, as a person sees and uses them."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from app.gui.widgets import (
    GLYPHS,
    DetailsLink,
    ResultRow,
    ResultRows,
    StatusChip,
    level_colour,
)

# The offscreen platform says so when a shown top-level window's size hint changes (a
# Details link opening); real platforms resize the window.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _dark_palette() -> QPalette:
    palette = QPalette(QApplication.palette())
    for role, colour in ((QPalette.ColorRole.Base, "#1e1e1e"),
                         (QPalette.ColorRole.Window, "#2b2b2b"),
                         (QPalette.ColorRole.WindowText, "#eeeeee"),
                         (QPalette.ColorRole.Text, "#eeeeee")):
        palette.setColor(role, QColor(colour))
    return palette


def _light_palette() -> QPalette:
    palette = QPalette(QApplication.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    return palette


def test_result_rows_show_icon_sentence_fix_and_hidden_details(qtbot) -> None:
    rows = ResultRows()
    qtbot.addWidget(rows)
    assert rows.count() == 0 and rows.sizeHint().height() <= 0  # empty: no room taken
    rows.add_row("ok", "Firefox has your certificate.")
    rows.add_row("warning", "Your certificate expires in 12 days.",
                 fix="Ask your operator for a new one now.")
    failed = rows.add_row("error", "Chrome could not be changed.",
                          fix="Close Chrome, then press Try again.",
                          detail="certutil: SEC_ERROR_LEGACY_DATABASE (-8017)")
    rows.add_row("info", "Nothing else to do.")
    rows.show()
    qtbot.waitExposed(rows)
    assert rows.count() == 4
    assert [r.level for r in rows.rows()] == ["ok", "warning", "error", "info"]
    for widget in rows.row_widgets():
        icon = widget.icon
        # The style's standard icon, or the glyph where the style has none.
        assert (icon.pixmap() is not None and not icon.pixmap().isNull()) \
            or icon.text() == GLYPHS[widget.row.level]
        assert widget.sentence.text() == widget.row.sentence
        assert widget.sentence.isVisible()
        assert (widget.fix is not None) == bool(widget.row.fix)
        assert widget.accessibleName().endswith(widget.row.sentence)
    assert rows.row_widgets()[1].fix is not None
    assert rows.row_widgets()[1].fix.text() == "Ask your operator for a new one now."
    assert rows.row_widgets()[1].details_link is None
    # The technical words are there, but hidden until Details is clicked.
    assert failed.detail is not None and failed.details_link is not None
    assert not failed.detail.isVisible()
    assert failed.details_link.text() == "Details"
    qtbot.mouseClick(failed.details_link, Qt.MouseButton.LeftButton)
    assert failed.detail.isVisible()
    assert failed.detail.text() == "certutil: SEC_ERROR_LEGACY_DATABASE (-8017)"
    assert failed.details_link.text() == "Hide details"
    qtbot.mouseClick(failed.details_link, Qt.MouseButton.LeftButton)
    assert not failed.detail.isVisible()
    assert rows.worst() == "error"


def test_result_rows_are_replaced_and_cleared(qtbot) -> None:
    rows = ResultRows(name="check-results")
    qtbot.addWidget(rows)
    assert rows.objectName() == "check-results"
    rows.set_rows([ResultRow("warning", "One."), ResultRow("ok", "Two.")])
    assert rows.count() == 2 and rows.worst() == "warning"
    rows.set_rows([ResultRow("ok", "Three.")])
    assert [r.sentence for r in rows.rows()] == ["Three."]
    assert len(rows.findChildren(QLabel, "result-sentence")) >= 1
    rows.clear()
    assert rows.count() == 0 and rows.worst() is None
    assert rows.findChildren(QLabel, "result-sentence") == [] or all(
        not label.isVisible() for label in rows.findChildren(QLabel, "result-sentence"))


def test_a_sentence_is_plain_text_never_markup(qtbot) -> None:
    rows = ResultRows()
    qtbot.addWidget(rows)
    widget = rows.add_row("error", "<b>evil</b> & co.pfx could not be read.")
    assert widget.sentence.textFormat() == Qt.TextFormat.PlainText
    assert widget.sentence.text() == "<b>evil</b> & co.pfx could not be read."


def test_unknown_levels_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown level"):
        ResultRow("fine", "Huh.")  # type: ignore[arg-type]


def test_details_link_toggles_its_target_by_click_and_keyboard(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    detail = QLabel("openssl: bad decrypt")
    link = DetailsLink(detail)
    layout.addWidget(link)
    layout.addWidget(detail)
    holder.show()
    qtbot.waitExposed(holder)
    assert not detail.isVisible() and not link.is_open()
    with qtbot.waitSignal(link.toggled_open) as opened:
        qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert opened.args == [True]
    assert detail.isVisible() and link.is_open()
    link.setFocus()
    qtbot.keyClick(link, Qt.Key.Key_Space)
    assert not detail.isVisible() and link.text() == "Details"
    link.set_open(True)
    assert detail.isVisible() and link.accessibleName() == "Hide details"


def _border_pixel(chip: StatusChip) -> QColor:
    """The colour painted in the middle of the chip's top border."""
    image = chip.grab().toImage()
    return image.pixelColor(image.width() // 2, 0)


def _close(a: QColor, b: QColor) -> bool:
    return all(abs(x - y) <= 40 for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_status_chip_colours_follow_the_palette(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    holder.setPalette(_light_palette())
    chip = StatusChip("error", "Expired", holder)
    chip.adjustSize()
    assert chip.text() == "Expired" and chip.level() == "error"
    assert chip.accessibleName() == "Error: Expired"
    assert chip.width() > chip.fontMetrics().horizontalAdvance("Expired")  # padded
    light = chip.colour()
    assert light == level_colour("error", _light_palette())
    assert _close(_border_pixel(chip), light)
    # Dark mode: the same level in a lighter colour that stays readable on dark Base,
    # also when the palette changes while the chip exists.
    holder.setPalette(_dark_palette())
    dark = chip.colour()
    assert dark.lightness() > light.lightness()
    assert _close(_border_pixel(chip), dark)
    chip.set_status("ok", "Valid")
    assert chip.level() == "ok" and chip.text() == "Valid"
    assert _close(_border_pixel(chip), level_colour("ok", _dark_palette()))


def test_every_level_has_a_distinct_colour_on_both_palettes() -> None:
    for palette in (_light_palette(), _dark_palette()):
        colours = {level_colour(level, palette).name()
                   for level in ("ok", "warning", "error", "info")}
        assert len(colours) == 4


def test_rows_stay_together_at_the_top_when_given_more_room(qtbot) -> None:
    """In a tall page (a scroll area gives all its height), rows keep their own height
    and follow one another; they do not spread out with gaps between them."""
    rows = ResultRows()
    qtbot.addWidget(rows)
    for sentence in ("First step", "Second step", "Third step"):
        rows.add_row("info", sentence)
    rows.resize(500, 900)
    rows.show()
    qtbot.waitExposed(rows)
    widgets = rows.row_widgets()
    assert widgets[0].geometry().top() == 0
    for above, below in itertools.pairwise(widgets):
        assert below.geometry().top() - above.geometry().bottom() <= 8
        assert above.height() <= above.sizeHint().height() + 2
