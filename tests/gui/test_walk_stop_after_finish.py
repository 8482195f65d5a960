"""Found on a keyboard walk: closing the window during an install asks "Stop now? What has
been done so far is put back"; when the install ended while that question was up,
answering Stop closed GridCert at once — nothing was put back, and the Done page (with its
Undo) was never seen. A run that has already finished cannot be stopped: the window stays
on the Done page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from app.gui import engine
from app.gui import navigation as nav
from tests.gui.conftest import Answers, Driver
from tests.gui.scene import Desk, nss_has
from tests.gui.test_keyboard_stop_and_close import STOP_QUESTION, Pause, _to_progress

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


class FinishesWhileAsked(Answers):
    """The person reads the Stop question slowly: the run finishes meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.pause: Pause | None = None
        self.driver: Driver | None = None

    def confirm(self, parent: QWidget | None, title: str, text: str, yes: str) -> bool:
        answer = super().confirm(parent, title, text, yes)
        if text.startswith(STOP_QUESTION.removeprefix("confirm: ")) and self.pause:
            assert self.driver is not None
            self.pause.go_on.set()
            wizard = self.driver.wizard
            self.driver.qtbot.waitUntil(lambda: not wizard.state.busy, timeout=60000)
        return answer


@pytest.fixture
def paused_install(monkeypatch: pytest.MonkeyPatch) -> Iterator[Pause]:
    pause = Pause(engine.apply_plan)
    monkeypatch.setattr(engine, "apply_plan", pause)
    yield pause
    pause.go_on.set()


@pytest.fixture
def answers() -> Answers:
    return FinishesWhileAsked()


def test_stop_answered_after_the_install_finished_keeps_the_done_page(
        driver: Driver, desk: Desk, answers: Any, certutil: str,
        paused_install: Pause) -> None:
    answers.pause, answers.driver = paused_install, driver
    wizard = driver.wizard
    _to_progress(driver, answers, desk, paused_install)
    wizard.close()  # the title bar's close button
    assert [q for q in answers.asked if q.startswith(STOP_QUESTION)]
    driver.wait_page(nav.DONE)
    driver.wait_idle()
    driver.qtbot.wait(50)  # a close, if one were coming, comes one turn later
    assert wizard.isVisible()
    assert wizard.currentPage().title() == "Done: your certificates are installed"
    assert "finishing safely" not in wizard.windowTitle()
    assert nss_has(certutil, desk.firefox_db, desk.leaf.sha256)
