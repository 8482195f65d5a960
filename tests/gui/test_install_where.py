"""The Where page with two Firefox profiles: each box carries the profile's own label and
the "(opens by default)" mark, and a profile Firefox never started is offered (not
ticked), said as such, and gets its certificate database when chosen."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel

from app.gui import navigation as nav
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import to_confirm, to_review
from tests.gui.rows import row_texts
from tests.gui.scene import PROFILE, Desk, nss_has


def test_two_firefox_profiles_and_a_never_started_one(driver: Driver, desk: Desk,
                                                      answers: Answers, certutil: str) -> None:
    profiles = desk.home / ".mozilla" / "firefox"
    fresh = profiles / "p0w3r8zz.work"
    fresh.mkdir()  # created with the Profile Manager, never started: no cert9.db
    ini = profiles / "profiles.ini"
    ini.write_text(ini.read_text(encoding="utf-8") + "\n[Profile1]\nName=work\nIsRelative=1\n"
                   "Path=p0w3r8zz.work\n", encoding="utf-8")
    to_review(driver, answers, [desk.zip_path])
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    page = driver.wizard.currentPage()
    boxes = {b.text(): b for b in page.findChildren(QCheckBox) if b.text().startswith("Firefox")}
    default = "Firefox — profile 'default-release' (opens by default)"
    work = "Firefox — profile 'work'"
    assert set(boxes) == {default, work}, list(boxes)
    assert boxes[default].isChecked()
    assert boxes[work].isEnabled() and not boxes[work].isChecked()
    notes = [label.text() for label in page.findChildren(QLabel, "target-detail")
             if label.isVisible()]
    assert any("has not been started with this profile yet" in n for n in notes), notes
    assert "not been started" in boxes[work].accessibleDescription()
    assert not (fresh / "cert9.db").exists()

    for box in page.findChildren(QCheckBox):  # only the two Firefox profiles
        box.setChecked(box.text().startswith("Firefox"))
    to_confirm(driver)
    steps = row_texts(driver.wizard.currentPage(), "plan-steps")
    assert any(work in step for step in steps) and any(default in step for step in steps)
    driver.commit()
    driver.wait_page(nav.DONE)
    assert driver.wizard.state.report.ok, driver.wizard.state.report.error
    assert (fresh / "cert9.db").exists()
    assert nss_has(certutil, fresh, desk.root.sha256)
    assert nss_has(certutil, profiles / PROFILE, desk.root.sha256)
