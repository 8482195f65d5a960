"""The log in GridCert's own window: each record of the real log file (written by
app.core.logsetup) as a sentence with its local time, Copy for support putting the whole
log under a version/system header on the clipboard, Enter closing the window."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.__version__ import VERSION
from app.core.logsetup import configure_logging, log_action
from app.gui.dialogs import Dialogs
from app.gui.logview import LogDialog, parse_record, readable, sentence_for

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def log_path(isolated_home: Path) -> Path:
    path = configure_logging()
    log_action("install", "committed", journal="20250502T140311Z-1", steps="3")
    log_action("export", "failed", out=str(isolated_home / "Jane Smith.pfx"),
               error='The folder "Backups" is read-only.', password="never-written")
    log_action("install", "cancelled", journal="x", error="Cancelled before the change "
               "was complete.")
    logging.getLogger("gridcert.gui").warning("task failed: Firefox is open")
    for handler in logging.getLogger("gridcert").handlers:
        handler.flush()
    return path


def test_records_read_as_sentences(log_path: Path) -> None:
    raw = log_path.read_text(encoding="utf-8").splitlines()
    assert len(raw) == 4 and raw[0].split()[1] == "INFO"
    lines = readable(raw, when=lambda moment: moment.strftime("%H:%M"))
    assert lines[0].endswith("— An installation finished and was checked (3 steps).")
    assert "Saving a certificate to a file did not work (to " in lines[1]
    assert lines[1].endswith(': The folder "Backups" is read-only.')
    assert "never-written" not in "\n".join(lines)
    assert lines[2].endswith("— An installation was stopped; what it had done was put "
                             "back: Cancelled before the change was complete.")
    assert lines[3].endswith("— Problem: Task failed: Firefox is open")
    assert not any("action=" in line for line in lines)


def test_a_record_keeps_its_time_in_utc() -> None:
    record = parse_record("2025-05-02T14:03:11Z INFO gridcert: action=undo outcome=ok "
                          "journal=j steps=2")
    assert record is not None
    assert record.moment == dt.datetime(2025, 5, 2, 14, 3, 11, tzinfo=dt.UTC)
    assert record.sentence == "Undo finished (2 steps)."
    assert parse_record("not a record") is None
    assert sentence_for('action=request outcome=ok subject="CN=Jane Smith, O=X" '
                        'csr="/tmp/a b.csr"', "INFO") == (
        "A certificate request finished (for CN=Jane Smith, O=X, saved as /tmp/a b.csr).")


def test_the_window_shows_sentences_and_copies_for_support(qtbot: QtBot,
                                                           log_path: Path) -> None:
    parent = QPushButton()
    qtbot.addWidget(parent)
    viewer = Dialogs().show_log(parent, str(log_path))
    assert isinstance(viewer, LogDialog)
    qtbot.addWidget(viewer)
    qtbot.waitExposed(viewer)
    text = viewer.findChild(QPlainTextEdit, "log-text")
    assert text is not None and text.isReadOnly()
    shown = text.toPlainText().splitlines()
    assert len(shown) == 4
    assert "An installation finished and was checked (3 steps)." in shown[0]
    assert " — " in shown[0] and shown[0].split(" — ")[0].strip()  # a time in front

    viewer.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is viewer)
    copy = viewer.findChild(QPushButton, "copy-log")
    assert copy is not None
    QApplication.clipboard().clear()
    for _ in range(6):  # Tab to Copy for support, press Space
        if QApplication.focusWidget() is copy:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert copy.hasFocus()
    qtbot.keyClick(copy, Qt.Key.Key_Space)
    copied = QApplication.clipboard().text()
    assert copied.startswith(f"GridCert {VERSION}\nSystem: ")
    assert f"Log file: {log_path}" in copied
    assert "action=install outcome=committed" in copied  # the raw log, for support
    assert "never-written" not in copied
    assert "clipboard" in viewer.status.text()

    # Enter presses Close (the window's primary button), wherever the focus is.
    qtbot.keyClick(text, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not viewer.isVisible())


def test_an_empty_log_says_so(qtbot: QtBot, isolated_home: Path) -> None:
    viewer = LogDialog(isolated_home / "nothing.log")
    qtbot.addWidget(viewer)
    text = viewer.findChild(QPlainTextEdit, "log-text")
    assert text is not None and "The log is empty" in text.toPlainText()
