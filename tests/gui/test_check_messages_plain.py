"""Plain words in GridCert's questions and messages: a file to replace is named with its
folder in words (never "~"), and a failure's technical detail (GridCertError.detail) sits
behind a Details link under the sentence, opened by keyboard."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.core.errors import TargetError
from app.gui.base import FlowPage, folder_phrase, message_label, show_message
from app.gui.wizard import GridCertWizard
from app.gui.worker import run_task
from tests.gui.conftest import Answers

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_folders_in_words(isolated_home: Path, tmp_path: Path) -> None:
    home = Path(os.path.expanduser("~"))
    assert folder_phrase(home) == "your home folder"
    assert folder_phrase(home / "Documents") == "the folder “Documents” in your home folder"
    assert folder_phrase(tmp_path) == f"the folder {tmp_path}"


def test_replace_question_is_in_plain_words(wizard: GridCertWizard, answers: Answers,
                                            isolated_home: Path) -> None:
    documents = Path(os.path.expanduser("~")) / "Documents"
    documents.mkdir(parents=True, exist_ok=True)
    existing = documents / "jane.pfx"
    existing.write_bytes(b"last year's")
    flow_page = FlowPage(wizard)
    answers.confirm_answer = False
    assert flow_page.may_write(str(existing)) is False
    question = answers.asked[-1]
    assert question == ("confirm: There is already a file called “jane.pfx” in the folder "
                        "“Documents” in your home folder. Replace it?")
    assert "~" not in question


def test_a_failure_detail_is_behind_a_details_link(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    status = message_label(name="check-status")
    layout.addWidget(status)
    layout.addStretch(1)
    window.show()

    def fail(_progress: object) -> None:
        raise TargetError("Firefox's certificate database could not be changed.",
                          detail="certutil: SEC_ERROR_READ_ONLY: security library: read-only "
                                 "database.")

    got: list[str] = []
    run_task(fail, None, lambda message: (got.append(message), show_message(status, message)))
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    assert status.text() == "Firefox's certificate database could not be changed."
    assert "SEC_ERROR" not in status.text()
    link = window.findChild(QPushButton, "check-status-details-link")
    detail = window.findChild(QLabel, "check-status-detail")
    assert link is not None and detail is not None
    assert link.isVisible() and not detail.isVisible()
    link.setFocus()
    qtbot.keyClick(link, Qt.Key.Key_Space)
    assert detail.isVisible() and "SEC_ERROR_READ_ONLY" in detail.text()

    # A message without a detail hides the link again; no message hides everything.
    show_message(status, "Looking through your browsers…", "info")
    assert status.isVisible() and not link.isVisible()
    show_message(status, None)
    assert not status.isVisible() and not link.isVisible()


def test_a_detail_given_directly_is_shown_the_same_way(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    status = message_label(name="done-status")
    layout.addWidget(status)
    window.show()
    show_message(status, "Undo did not complete.", detail="journal 2025…: undo-failed")
    link = window.findChild(QPushButton, "done-status-details-link")
    assert link is not None and link.isVisible()
