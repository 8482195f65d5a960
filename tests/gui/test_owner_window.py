"""The wizard hands its window to the hand-over, so that Windows' administrator-permission
prompt belongs to it (without an owner it may open behind the wizard, unseen)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.actions import handover
from app.gui import main as gui_main
from app.gui.wizard import GridCertWizard
from app.gui.worker import wait_for_tasks


def test_the_wizard_window_becomes_the_permission_prompts_owner(
        qtbot: QtBot, wizard: GridCertWizard, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handover, "_owner_window", None)
    wizard.show()
    qtbot.waitExposed(wizard)

    gui_main._after_first_paint(wizard)  # what main() runs once the first page is up
    qtbot.waitUntil(lambda: handover._owner_window is not None, timeout=60000)
    wait_for_tasks()

    assert handover._owner_window == int(wizard.winId())
