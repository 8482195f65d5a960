"""GUI test fixtures: a desk with real NSS databases, dialogs that answer for the user,
and a wizard driven by clicks that are counted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.gui.dialogs import Dialogs
from app.gui.wizard import GridCertWizard
from app.gui.worker import wait_for_tasks
from tests.gui.scene import Desk, build_desk
from tests.helpers import require_tool

TIMEOUT = 60000


class Answers(Dialogs):
    """Answers the wizard's questions the way a user would, and remembers them."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []
        self.confirm_answer = True
        #: What the user types when asked for a new passphrase (None: they cancel).
        self.new_passphrase: str | None = None
        self.asked: list[str] = []
        self.opened: list[str] = []
        self.informed: list[str] = []

    def open_files(self, parent: QWidget | None) -> list[str]:
        self.asked.append("open_files")
        return list(self.files)

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filter_: str) -> str:
        self.asked.append("save_file")
        return ""

    def confirm(self, parent: QWidget | None, title: str, text: str, yes: str) -> bool:
        self.asked.append(f"confirm: {text}")
        return self.confirm_answer

    def ask_new_passphrase(self, parent: QWidget | None, title: str, text: str,
                           yes: str) -> str | None:
        self.asked.append(f"new passphrase: {text}")
        return self.new_passphrase

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self.informed.append(text)

    def open_url(self, url: str) -> bool:
        self.opened.append(url)
        return True


class Driver:
    """Clicks like a person and counts the clicks."""

    def __init__(self, qtbot: QtBot, wizard: GridCertWizard) -> None:
        self.qtbot = qtbot
        self.wizard = wizard
        self.clicks = 0

    def click(self, button: QAbstractButton) -> None:
        assert button.isVisible(), f"{button.objectName() or button.text()} is not visible"
        assert button.isEnabled(), f"{button.objectName() or button.text()} is disabled"
        self.clicks += 1
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def next(self) -> None:
        self.click(self.wizard.button(self.wizard.WizardButton.NextButton))

    def commit(self) -> None:
        self.click(self.wizard.button(self.wizard.WizardButton.CommitButton))

    def child(self, cls: type, name: str) -> object:
        found = self.wizard.currentPage().findChild(cls, name)
        assert found is not None, f"no {cls.__name__} '{name}' on {self.page()}"
        return found

    def page(self) -> str:
        return self.wizard.current_page_id()

    def wait_page(self, page_id: str) -> None:
        self.qtbot.waitUntil(lambda: self.page() == page_id, timeout=TIMEOUT)

    def wait_idle(self) -> None:
        self.qtbot.waitUntil(lambda: not self.wizard.state.busy, timeout=TIMEOUT)
        # Widgets added to a shown page become visible on the next event-loop turn.
        self.qtbot.wait(20)


@pytest.fixture(autouse=True)
def collect_in_the_main_thread(qapp: QApplication) -> Iterator[None]:
    """As in the real wizard (app.gui.collector): garbage is collected only in the Qt
    thread, never by a worker thread that happens to allocate."""
    from app.gui.collector import MainThreadCollector

    collector = MainThreadCollector(qapp)
    yield
    collector.stop()
    collector.deleteLater()


@pytest.fixture
def certutil() -> str:
    require_tool("pk12util", "libnss3-tools")
    return require_tool("certutil", "libnss3-tools")


@pytest.fixture
def desk(isolated_home: Path, tmp_path: Path, certutil: str) -> Desk:
    return build_desk(isolated_home, tmp_path / "Downloads", certutil)


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def wizard(qtbot: QtBot, answers: Answers) -> Iterator[GridCertWizard]:
    window = GridCertWizard(dialogs=answers)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    wait_for_tasks()


@pytest.fixture
def driver(qtbot: QtBot, wizard: GridCertWizard) -> Driver:
    return Driver(qtbot, wizard)
