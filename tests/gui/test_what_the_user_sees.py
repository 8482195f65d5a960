"""What the user sees when something is off: a wrong password, a file that is not a
certificate, an expired root, Firefox open, a store failing midway."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QToolButton,
)

from app.core.errors import TargetError
from app.gui import navigation as nav
from app.gui.wizard import GridCertWizard
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import only_browsers, through_password, to_confirm, to_review, visible_texts
from tests.gui.rows import row_texts
from tests.gui.scene import PASSWORD, Desk, build_desk, nss_has


def plan_warnings(driver: Driver) -> list[str]:
    return row_texts(driver.wizard.currentPage(), "plan-warnings")


def test_wrong_password_is_said_on_the_password_page(driver: Driver, desk: Desk,
                                                     answers: Answers) -> None:
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    driver.next()
    driver.wait_page(nav.PASSWORD)
    field = driver.child(QLineEdit, "password")
    driver.qtbot.keyClicks(field, "not-the-password")
    driver.next()
    driver.wait_idle()
    assert driver.page() == nav.PASSWORD
    errors = visible_texts(driver, "password-error")
    assert len(errors) == 1
    assert "0123456789012$JSMITH.pfx" in errors[0] and "wrong password" in errors[0].lower()
    # Correcting it goes on, and the message is gone.
    field.clear()
    driver.qtbot.keyClicks(field, PASSWORD)
    driver.next()
    driver.wait_page(nav.WHERE)


def test_show_password_and_caps_lock_hint(driver: Driver, desk: Desk, answers: Answers) -> None:
    to_review(driver, answers, [desk.pfx_path])
    driver.next()
    driver.wait_page(nav.PASSWORD)
    field = driver.child(QLineEdit, "password")
    toggle = driver.child(QToolButton, "show-password")
    hint = driver.child(QLabel, "caps-lock-hint")
    driver.qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert field.echoMode() == QLineEdit.EchoMode.Normal
    driver.qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert field.echoMode() == QLineEdit.EchoMode.Password
    # An upper-case letter typed without Shift: Caps Lock is on.
    driver.qtbot.keyClick(field, Qt.Key.Key_J, Qt.KeyboardModifier.NoModifier, -1)
    driver.qtbot.keyClicks(field, "X")  # keyClicks sends "X" without Shift
    assert hint.isVisible()
    driver.qtbot.keyClicks(field, "x")
    assert not hint.isVisible()


def test_a_file_that_is_not_a_certificate(driver: Driver, desk: Desk, answers: Answers,
                                          tmp_path: Path) -> None:
    notes = tmp_path / "meeting notes.txt"
    notes.write_text("Call ERCOT about the MOTE certificate on Tuesday.\n")
    to_review(driver, answers, [notes])
    problems = visible_texts(driver, "file-problem")
    assert len(problems) == 1 and "meeting notes.txt" in problems[0]
    assert "left out" in problems[0]
    status = visible_texts(driver, "review-status")
    assert status and "Nothing to install" in status[0]
    assert not driver.wizard.button(driver.wizard.WizardButton.NextButton).isEnabled()
    # With a real certificate beside it, the bad file is only left out.
    driver.wizard.back()
    driver.wait_page(nav.ADD_FILES)
    driver.wizard.currentPage().add_files([str(desk.zip_path)])
    driver.next()
    driver.wait_page(nav.REVIEW)
    driver.wait_idle()
    assert any("meeting notes.txt" in p for p in visible_texts(driver, "file-problem"))
    assert driver.wizard.button(driver.wizard.WizardButton.NextButton).isEnabled()


def test_an_expired_root_is_left_out_unless_ticked_then_needs_install_anyway(
        driver: Driver, answers: Answers, isolated_home: Path, tmp_path: Path,
        certutil: str) -> None:
    desk = build_desk(isolated_home, tmp_path / "Downloads", certutil, expired_root=True)
    to_review(driver, answers, [desk.zip_path])
    warnings = visible_texts(driver, "certificate-warning")
    assert any("Expired on" in w for w in warnings), warnings
    # It no longer works: left out until the person ticks it, and Next waits for a choice.
    include = driver.child(QCheckBox, "include-certificate")
    assert not include.isChecked()
    status = driver.child(QLabel, "review-status").text()
    assert "1 certificate left out" in status and "Tick at least one" in status
    assert not driver.wizard.button(driver.wizard.WizardButton.NextButton).isEnabled()
    driver.click(include)
    assert driver.wizard.button(driver.wizard.WizardButton.NextButton).isEnabled()
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    only_browsers(driver)
    to_confirm(driver)
    shown = plan_warnings(driver)
    assert shown and "expired" in shown[0]
    install = driver.wizard.button(driver.wizard.WizardButton.CommitButton)
    anyway = driver.child(QCheckBox, "install-anyway")
    assert anyway.isVisible() and not install.isEnabled()
    driver.click(anyway)
    assert install.isEnabled()


def test_firefox_open_blocks_install_until_closed_and_checked_again(
        driver: Driver, desk: Desk, answers: Answers, certutil: str) -> None:
    lock = desk.firefox_lock(os.getpid())  # a live process holds the profile
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    through_password(driver)
    boxes = only_browsers(driver)
    firefox = next(b for b in boxes if b.text().startswith("Firefox"))
    assert "Firefox is open" in firefox.accessibleDescription()
    assert any("Firefox is open" in t for t in visible_texts(driver, "target-detail"))
    to_confirm(driver)
    assert any("Firefox is open" in t for t in plan_warnings(driver))
    install = driver.wizard.button(driver.wizard.WizardButton.CommitButton)
    # Not something to install "anyway": it would only fail and be rolled back.
    assert not install.isEnabled()
    assert not driver.child(QCheckBox, "install-anyway").isVisible()
    assert "press Check again" in driver.child(QLabel, "confirm-status").text()

    lock.unlink()  # the person closes Firefox
    driver.click(driver.child(QPushButton, "recheck"))
    driver.wait_idle()
    assert not any("Firefox is open" in t for t in plan_warnings(driver))
    assert install.isEnabled()
    driver.commit()
    driver.wait_page(nav.DONE)
    assert driver.wizard.state.report.ok, driver.wizard.state.report.error
    assert nss_has(certutil, desk.firefox_db, desk.root.sha256)


def test_firefox_opened_after_confirm_is_rolled_back(driver: Driver, desk: Desk,
                                                     answers: Answers, certutil: str) -> None:
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    through_password(driver)
    only_browsers(driver)
    to_confirm(driver)
    desk.firefox_lock(os.getpid())  # Firefox started while the Confirm page was open
    driver.commit()
    driver.wait_page(nav.DONE)
    assert driver.wizard.currentPage().title() == "Nothing was installed"
    summary = " ".join(row_texts(driver.wizard.currentPage(), "done-details"))
    assert "Firefox is open; close it first" in summary
    for db in (desk.firefox_db, desk.chromium_db):
        assert not nss_has(certutil, db, desk.root.sha256)

    # Firefox still open: Try again says so and changes nothing.
    retry = driver.child(QPushButton, "try-again")
    driver.click(retry)
    driver.wait_idle()
    assert "Firefox is open" in " ".join(row_texts(driver.wizard.currentPage(), "done-details"))
    assert not nss_has(certutil, desk.chromium_db, desk.root.sha256)
    # Closed now: the same installation runs, nothing retyped.
    (desk.firefox_db / "lock").unlink()
    driver.click(retry)
    driver.wait_idle()
    assert driver.wizard.state.report.ok, driver.wizard.state.report.error
    assert driver.wizard.currentPage().title() == "Done: your certificates are installed"
    assert not retry.isVisible()
    for db in (desk.firefox_db, desk.chromium_db):
        assert nss_has(certutil, db, desk.root.sha256)
        assert nss_has(certutil, db, desk.leaf.sha256)


def test_a_store_failing_midway_is_rolled_back(driver: Driver, desk: Desk, answers: Answers,
                                              certutil: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from app.stores.nss import NssStore

    real = NssStore.import_identity
    chromium = str(desk.chromium_db)

    def failing(self: NssStore, identity: object) -> None:
        if str(self.directory) == chromium:
            raise TargetError("Chrome and Edge: pk12util could not write the database "
                              "(disk full).")
        real(self, identity)  # type: ignore[arg-type]

    monkeypatch.setattr(NssStore, "import_identity", failing)
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    through_password(driver)
    only_browsers(driver)
    to_confirm(driver)
    driver.commit()
    driver.wait_page(nav.DONE)
    page = driver.wizard.currentPage()
    assert page.title() == "Nothing was installed"
    summary = " ".join(row_texts(driver.wizard.currentPage(), "done-details"))
    assert "disk full" in summary and "were undone" in summary
    assert "Chrome and Edge" in summary
    for db in (desk.firefox_db, desk.chromium_db):
        assert not nss_has(certutil, db, desk.root.sha256)
        assert not nss_has(certutil, db, desk.leaf.sha256)
    assert not driver.child(type(driver.wizard.button(driver.wizard.WizardButton.NextButton)),
                            "undo").isVisible()


def test_opening_with_a_file_starts_the_install(qtbot, answers: Answers, desk: Desk) -> None:
    window = GridCertWizard(files=[str(desk.pfx_path)], dialogs=answers)
    qtbot.addWidget(window)
    window.show()
    assert window.current_page_id() == nav.ADD_FILES
    assert window.state.files == [str(desk.pfx_path)]
    assert answers.asked == []  # no picker: the file is already there
    files = window.currentPage().findChild(QListWidget, "file-list")
    assert files.count() == 1 and "JSMITH.pfx" in files.item(0).text()
    # A second launch hands over another file: it joins the list.
    window.open_files([str(desk.zip_path)])
    assert window.state.files == [str(desk.pfx_path), str(desk.zip_path)]


def test_stop_during_the_install_puts_everything_back(driver: Driver, desk: Desk,
                                                      answers: Answers, certutil: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from PySide6.QtWidgets import QPushButton

    from app.gui import engine

    real_apply = engine.apply_plan
    first_step_done = threading.Event()
    go_on = threading.Event()

    def apply_and_pause(plan, progress, cancel):  # type: ignore[no-untyped-def]
        def paused(done: int, total: int, message: str) -> None:
            progress(done, total, message)
            if done >= 1 and not go_on.is_set():
                first_step_done.set()
                go_on.wait(30)  # the person presses Stop now

        return real_apply(plan, paused, cancel)

    monkeypatch.setattr(engine, "apply_plan", apply_and_pause)
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    through_password(driver)
    only_browsers(driver)
    to_confirm(driver)
    driver.commit()
    driver.wait_page(nav.PROGRESS)
    driver.qtbot.waitUntil(first_step_done.is_set, timeout=60000)
    stop = driver.child(QPushButton, "cancel-install")
    driver.click(stop)
    go_on.set()
    driver.wait_page(nav.DONE)
    assert driver.wizard.currentPage().title() == "Nothing was installed"
    summary = " ".join(row_texts(driver.wizard.currentPage(), "done-details"))
    assert "Cancelled" in summary and "were undone" in summary
    for db in (desk.firefox_db, desk.chromium_db):
        assert not nss_has(certutil, db, desk.root.sha256)
        assert not nss_has(certutil, db, desk.leaf.sha256)


def test_a_file_opened_from_outside_joins_the_install_under_way(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    """A second launch with a file (or a file opened with GridCert) while the person is on
    the Password page: the file joins their list; their files and typed password stay."""
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    driver.next()
    driver.wait_page(nav.PASSWORD)
    driver.qtbot.keyClicks(driver.child(QLineEdit, "password"), "Jx7-pQ")
    other = desk.files / "CAISO root.cer"
    other.write_bytes(desk.root.der)
    driver.wizard.open_files([str(other)])
    assert driver.page() == nav.ADD_FILES
    assert driver.wizard.state.files == [str(desk.zip_path), str(desk.pfx_path), str(other)]
    assert driver.wizard.state.passwords[str(desk.pfx_path)] == "Jx7-pQ"
    assert not any(q.startswith("confirm") for q in answers.asked)


def test_a_file_opened_from_outside_asks_before_leaving_another_job(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    driver.click(driver.wizard.page_by_name(nav.START).buttons["move"])
    driver.qtbot.waitUntil(lambda: driver.page() != nav.START)
    driver.wait_idle()
    moving = driver.page()
    answers.confirm_answer = False  # "stay with what I am doing"
    driver.wizard.open_files([str(desk.pfx_path)])
    assert any("Install 0123456789012$JSMITH.pfx? What you are doing now will be left "
               "unfinished." in q for q in answers.asked)
    assert driver.page() == moving and driver.wizard.state.job == "move"
    answers.confirm_answer = True
    driver.wizard.open_files([str(desk.pfx_path)])
    assert driver.page() == nav.ADD_FILES
    assert driver.wizard.state.files == [str(desk.pfx_path)]


def test_a_file_handed_over_while_work_runs_waits_for_it(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    to_review(driver, answers, [desk.zip_path])
    driver.wizard.state.busy = True  # as while a worker runs
    driver.wizard.open_files([str(desk.pfx_path)])
    assert driver.wizard.state.files == [str(desk.zip_path)]  # not yet, and not lost
    driver.wizard.state.busy = False
    driver.wizard.busy_changed.emit(False)
    assert driver.page() == nav.ADD_FILES
    assert driver.wizard.state.files == [str(desk.zip_path), str(desk.pfx_path)]


def test_an_old_expired_root_next_to_the_current_one_stays_out(
        driver: Driver, desk: Desk, answers: Answers, certutil: str) -> None:
    """Last year's expired "ERCOT CA" and the current one, same name: the old one is left
    out by default, so the install needs no "anyway" and only the current root lands."""
    from tests import pki
    from tests.gui.scene import make_root_zip

    old = pki.make_root("ERCOT CA", org="Electric Reliability Council of Texas",
                        not_before=pki.NOW - dt.timedelta(days=4000),
                        not_after=pki.NOW - dt.timedelta(days=30))
    old_zip = make_root_zip(desk.files / "ERCOT_CA_2015.zip", old)
    to_review(driver, answers, [old_zip, desk.zip_path])
    boxes = driver.wizard.currentPage().findChildren(QCheckBox, "include-certificate")
    assert sorted(box.isChecked() for box in boxes) == [False, True]
    assert "1 certificate left out" in driver.child(QLabel, "review-status").text()
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    only_browsers(driver)
    to_confirm(driver)
    assert not plan_warnings(driver)
    driver.commit()
    driver.wait_page(nav.DONE)
    assert driver.wizard.state.report.ok, driver.wizard.state.report.error
    assert nss_has(certutil, desk.firefox_db, desk.root.sha256)
    assert not nss_has(certutil, desk.firefox_db, old.sha256)


def test_tab_on_the_where_page_visits_only_real_controls(driver: Driver, desk: Desk,
                                                         answers: Answers) -> None:
    from PySide6.QtWidgets import QApplication, QScrollArea

    to_review(driver, answers, [desk.zip_path])
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    driver.wizard.activateWindow()
    first = driver.wizard.currentPage().findChildren(QCheckBox)[0]
    first.setFocus()
    driver.qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    visited = []
    for _ in range(12):
        driver.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert first in visited  # the walk came round
    assert not [w for w in visited if isinstance(w, QScrollArea)]
