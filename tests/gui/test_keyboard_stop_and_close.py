"""One Stop for the runs that change stores, and closing the window while one works.

Install's *Installing…* and Renew's *Working…* have the same Stop (same word, same
question, same outcome: what was done is put back, and the Done page says what). Closing
the window (title bar, Esc) during a run asks that same question, then says "Finishing
safely — GridCert will close when the stores are consistent" in the window and closes by
itself once the run has ended; the real NSS databases are read back afterwards."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPushButton

from app.gui import engine
from app.gui import navigation as nav
from app.gui.renew import flow as renew_flow
from app.gui.widgets import ResultRows
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import (
    only_browsers,
    renew_new_file,
    through_password,
    to_confirm,
    to_review,
    type_into,
)
from tests.gui.scene import PASSWORD, Desk, nss_fingerprints, nss_has

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

SENTENCE = "Finishing safely — GridCert will close when the stores are consistent."
STOP_QUESTION = "confirm: Stop now? What has been done so far is put back"


class Pause:
    """Wraps an apply function: the run waits after its first step until `go_on`."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.first_step_done = threading.Event()
        self.go_on = threading.Event()

    def __call__(self, plan: Any, progress: Any = None, cancel: Any = None) -> Any:
        def paused(done: int, total: int, message: str) -> None:
            if progress is not None:
                progress(done, total, message)
            if done >= 1 and not self.go_on.is_set():
                self.first_step_done.set()
                self.go_on.wait(30)

        return self.real(plan, paused, cancel)


@pytest.fixture
def paused_install(monkeypatch: pytest.MonkeyPatch) -> Iterator[Pause]:
    pause = Pause(engine.apply_plan)
    monkeypatch.setattr(engine, "apply_plan", pause)
    yield pause
    pause.go_on.set()


def _to_progress(driver: Driver, answers: Answers, desk: Desk, pause: Pause) -> None:
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    through_password(driver)
    only_browsers(driver)
    to_confirm(driver)
    driver.commit()
    driver.wait_page(nav.PROGRESS)
    driver.qtbot.waitUntil(pause.first_step_done.is_set, timeout=60000)


def _closing_note(driver: Driver) -> QLabel | None:
    return driver.wizard.findChild(QLabel, "closing-note")


def test_closing_during_the_install_stops_says_so_and_closes_after(
        driver: Driver, desk: Desk, answers: Answers, certutil: str,
        paused_install: Pause) -> None:
    wizard = driver.wizard
    _to_progress(driver, answers, desk, paused_install)
    assert wizard.close() is False  # the title bar's close: not at once
    assert [q for q in answers.asked if q.startswith(STOP_QUESTION)]
    note = _closing_note(driver)
    assert note is not None and note.isVisible() and note.text() == SENTENCE
    assert wizard.isVisible() and wizard.state.busy
    assert "finishing safely" in wizard.windowTitle()
    paused_install.go_on.set()
    driver.qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=60000)
    for db in (desk.firefox_db, desk.chromium_db):  # rolled back: as before
        assert not nss_has(certutil, db, desk.root.sha256)
        assert not nss_has(certutil, db, desk.leaf.sha256)


def test_esc_during_the_install_asks_and_no_lets_it_finish(
        driver: Driver, desk: Desk, answers: Answers, certutil: str,
        paused_install: Pause) -> None:
    wizard = driver.wizard
    _to_progress(driver, answers, desk, paused_install)
    answers.confirm_answer = False
    focused = QApplication.focusWidget() or wizard
    driver.qtbot.keyClick(focused, Qt.Key.Key_Escape)
    assert [q for q in answers.asked if q.startswith(STOP_QUESTION)]
    note = _closing_note(driver)
    assert note is None or not note.isVisible()
    paused_install.go_on.set()
    driver.wait_page(nav.DONE)
    driver.wait_idle()
    assert wizard.isVisible()
    assert wizard.currentPage().title() == "Done: your certificates are installed"
    assert nss_has(certutil, desk.firefox_db, desk.leaf.sha256)


def test_stop_by_keyboard_puts_back_and_the_done_page_lists_it(
        driver: Driver, desk: Desk, answers: Answers, certutil: str,
        paused_install: Pause) -> None:
    wizard = driver.wizard
    _to_progress(driver, answers, desk, paused_install)
    stop = driver.child(QPushButton, "cancel-install")
    assert isinstance(stop, QPushButton) and stop.text() == "&Stop"
    assert not wizard.button(wizard.WizardButton.CancelButton).isEnabled()  # one way
    stop.setFocus()
    driver.qtbot.keyClick(stop, Qt.Key.Key_Space)
    assert [q for q in answers.asked if q.startswith(STOP_QUESTION)]
    paused_install.go_on.set()
    driver.wait_page(nav.DONE)
    driver.wait_idle()
    assert wizard.currentPage().title() == "Nothing was installed"
    details = driver.child(ResultRows, "done-details")
    assert isinstance(details, ResultRows)
    undone = [row.sentence for row in details.rows() if row.sentence.startswith("Undone: ")]
    # What was put back, one row per step done before Stop was honoured.
    assert undone and any("Firefox" in line or "Chrom" in line for line in undone)
    for db in (desk.firefox_db, desk.chromium_db):
        assert not nss_has(certutil, db, desk.leaf.sha256)


def _install_into_firefox(desk: Desk) -> None:
    from app.actions.install import apply_plan, plan_install
    from app.actions.targets import resolve_targets
    from app.core.reader import read_paths

    items = read_paths([str(desk.pfx_path)], lambda _s: PASSWORD).items
    report = apply_plan(plan_install(items, resolve_targets([f"nss:{desk.firefox_db}"])))
    assert report.ok, report.error


def test_renew_has_the_same_stop(driver: Driver, desk: Desk, answers: Answers,
                                 certutil: str, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import app.actions.install as install_actions

    _install_into_firefox(desk)
    new = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC", days=730,
                        key=pki.pooled_key("rsa2048", 13))
    new_pfx = tmp_path / "0123456789012$JSMITH-2027.pfx"
    new_pfx.write_bytes(pki.pfx_bytes(new, "new-one-time-pw", [desk.root]))
    pause = Pause(install_actions.apply_plan)
    monkeypatch.setattr(install_actions, "apply_plan", pause)
    wizard = driver.wizard
    try:
        renew_new_file(driver, answers, new_pfx)
        type_into(driver, "new-password", "new-one-time-pw")
        driver.next()
        driver.wait_page(renew_flow.WHERE)
        driver.wait_idle()
        for box in wizard.currentPage().findChildren(QCheckBox):
            if box.objectName().startswith("target:") and box.objectName() != (
                    f"target:nss:{desk.firefox_db}"):
                box.setChecked(False)
        driver.next()
        driver.wait_page(renew_flow.CONFIRM)
        driver.wait_idle()
        driver.commit()
        driver.wait_page(renew_flow.RUN)
        driver.qtbot.waitUntil(pause.first_step_done.is_set, timeout=60000)
        stop = driver.child(QPushButton, "cancel-renew")
        assert isinstance(stop, QPushButton) and stop.isVisible() and stop.isEnabled()
        assert stop.text() == "&Stop"  # Install's word
        assert not wizard.button(wizard.WizardButton.CancelButton).isEnabled()
        driver.click(stop)
        assert [q for q in answers.asked if q.startswith(STOP_QUESTION)]
    finally:
        pause.go_on.set()
    driver.wait_page(renew_flow.DONE)
    driver.wait_idle()
    assert wizard.currentPage().title() == "The new certificate was not installed"
    present = nss_fingerprints(certutil, desk.firefox_db)
    assert new.sha256 not in present and desk.leaf.sha256 in present
