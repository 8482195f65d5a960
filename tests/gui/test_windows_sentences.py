"""The wizard on Windows, as far as it can be seen here: the Windows user store is the
documented fake of crypt32 (tests/fakes/win32.py), and the person's answers to Windows'
own dialogs reach the Confirm and Done pages as the sentences the CLI prints too.

Windows shows its "Security Warning" for every root added to CurrentUser\\Root; a No is
0x800704C7, and without a desktop (a service, a remote or Server Core session) the add
fails at once. Both must end with every store as it was and a sentence that says which
of the two happened, never one for the other.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel, QListWidget

from app.gui import navigation as nav
from app.stores import registry
from app.stores.base import TrustStore
from app.stores.windows import WindowsStore
from tests.fakes.win32 import USER, FakeWin32
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import to_confirm, to_review
from tests.gui.scene import Desk


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> FakeWin32:
    """This machine's stores plus a Windows user store over the fake crypt32."""
    api = FakeWin32()
    found = registry.discover_targets

    def discover() -> list[TrustStore]:
        return [WindowsStore("user", api=api), *found()]

    monkeypatch.setattr(registry, "discover_targets", discover)
    return api


def _install_root_into_windows(driver: Driver, answers: Answers, root: Path) -> list[str]:
    """Review the root → Where: only "Windows (this user)" ticked → Confirm; the plan's
    notes as shown."""
    to_review(driver, answers, [root])
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    boxes = driver.wizard.currentPage().findChildren(QCheckBox)
    windows_box = [b for b in boxes if b.text().startswith("Windows (this user)")]
    assert len(windows_box) == 1, [b.text() for b in boxes]
    assert windows_box[0].isChecked()  # the user's own Windows store is ticked by default
    for box in boxes:
        box.setChecked(box is windows_box[0])
    to_confirm(driver)
    page = driver.wizard.currentPage()
    return [label.text() for label in page.findChildren(QLabel) if label.isVisible()]


def _done_texts(driver: Driver) -> str:
    driver.commit()
    driver.wait_page(nav.DONE)
    driver.wait_idle()
    page = driver.wizard.currentPage()
    details = page.findChild(QListWidget, "done-details")
    lines = [details.item(i).text() for i in range(details.count())] if details else []
    labels = [label.text() for label in page.findChildren(QLabel) if label.isVisible()]
    return "\n".join([page.title(), page.subTitle(), *labels, *lines])


def test_a_no_to_the_security_warning_is_said_as_a_no(driver: Driver, desk: Desk,
                                                      answers: Answers,
                                                      windows: FakeWin32) -> None:
    windows.root_dialog = "decline"
    shown = _install_root_into_windows(driver, answers, desk.zip_path)
    assert any("Security Warning" in text for text in shown), shown  # said before it shows

    seen = _done_texts(driver)

    assert windows.dialogs == [desk.root.der]  # Windows asked, once
    assert "You declined Windows' confirmation" in seen, seen
    assert "desktop" not in seen
    assert windows.ders(USER, "Root") == set()  # nothing was added


def test_no_desktop_is_not_called_a_no(driver: Driver, desk: Desk, answers: Answers,
                                       windows: FakeWin32) -> None:
    windows.desktop = False
    shown = _install_root_into_windows(driver, answers, desk.zip_path)
    assert any("no desktop" in text for text in shown), shown  # the plan warns first

    seen = _done_texts(driver)

    assert "your own Windows session" in seen, seen
    assert "declined" not in seen
    assert windows.ders(USER, "Root") == set()
