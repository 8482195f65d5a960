"""Reading what a page shows in `ResultRows` (the plan on Confirm, the checks on Done):
each row's level and its sentences, as a person sees them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.gui.widgets import ResultRows


def result_rows(page: QWidget, name: str) -> list[tuple[str, str, str]]:
    """(level, sentence, fix) of each visible row of the `ResultRows` called `name`."""
    rows = page.findChild(ResultRows, name)
    assert rows is not None, f"no result rows '{name}' on {page.objectName()}"
    return [(w.row.level, w.sentence.text(), w.fix.text() if w.fix is not None else "")
            for w in rows.row_widgets() if w.isVisibleTo(page)]


def row_texts(page: QWidget, name: str) -> list[str]:
    """Each visible row of `name` as one line: its sentence and its fix."""
    return [" ".join(part for part in (sentence, fix) if part)
            for _level, sentence, fix in result_rows(page, name)]
