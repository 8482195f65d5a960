"""Install's *Ready to install* page says the plan honestly (issue 13, a keyboard walk):

- steps that have not run yet show a neutral → "To do" icon, not the ✓ that reads as done;
- a step with nothing to do says so ("The ERCOT CA root is already in …: nothing to do."),
  not "Add the ERCOT CA root …" followed by "Already there";
- dates are said in the person's locale, as on Review ("June 18, 2034"), never ISO.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtWidgets import QCheckBox

from app.gui import navigation as nav
from app.gui.describe import local_date, localise_dates
from app.gui.widgets import GLYPHS, ResultRows, level_word
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import only_browsers, through_password, to_confirm, to_review
from tests.gui.rows import result_rows
from tests.gui.scene import Desk
from tests.gui.test_check_and_done import add_to_nss

ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _where_to_confirm(driver: Driver) -> None:
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    only_browsers(driver)
    to_confirm(driver)


def test_planned_steps_look_to_do_not_done(driver: Driver, desk: Desk,
                                           answers: Answers) -> None:
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    through_password(driver)
    only_browsers(driver)
    to_confirm(driver)
    page = driver.wizard.currentPage()
    steps = result_rows(page, "plan-steps")
    assert len(steps) == 4, steps
    assert [level for level, _s, _f in steps] == ["todo"] * 4
    rows = page.findChild(ResultRows, "plan-steps")
    for widget in rows.row_widgets():
        # Said "To do" to a screen reader, and drawn as an arrow (→ without an icon).
        assert widget.icon.accessibleName() == level_word("todo") == "To do"
        assert widget.icon.text() in ("", GLYPHS["todo"]) and widget.icon.text() != "✓"
        assert widget.accessibleName().startswith("To do: ")


def test_a_step_already_done_says_it_is_there(driver: Driver, desk: Desk, answers: Answers,
                                              certutil: str, tmp_path: Path) -> None:
    add_to_nss(certutil, desk.firefox_db, desk.root, "ERCOT CA", tmp_path)
    to_review(driver, answers, [desk.zip_path])
    _where_to_confirm(driver)
    steps = result_rows(driver.wizard.currentPage(), "plan-steps")
    there = [s for s in steps if s[0] == "info"]
    assert len(there) == 1, steps
    _level, sentence, fix = there[0]
    assert sentence.startswith("The ERCOT CA root is already in Firefox"), sentence
    assert sentence.endswith(": nothing to do.")
    assert not sentence.startswith("Add") and "already there" not in fix.lower()
    # The other browser still gets it: that step keeps its verb.
    todo = [s for s in steps if s[0] == "todo"]
    assert len(todo) == 1 and todo[0][1].startswith("Add the ERCOT CA root to ")


def test_plan_dates_are_in_the_persons_locale(driver: Driver, desk: Desk,
                                              answers: Answers) -> None:
    # Two roots of one name: the plan tells them apart by their end dates.
    first = pki.make_root("Grid Root", not_after=pki.NOW + dt.timedelta(days=3000))
    second = pki.make_root("Grid Root", not_after=pki.NOW + dt.timedelta(days=2000))
    expired = pki.make_root("Old Grid Root", not_before=pki.NOW - dt.timedelta(days=900),
                            not_after=pki.NOW - dt.timedelta(days=3))
    files = [first.write(desk.files / "grid-1.pem"), second.write(desk.files / "grid-2.pem"),
             expired.write(desk.files / "old.pem")]
    to_review(driver, answers, files)
    for box in driver.wizard.currentPage().findChildren(QCheckBox, "include-certificate"):
        box.setChecked(True)  # the unknown and the expired roots too
    _where_to_confirm(driver)
    page = driver.wizard.currentPage()
    steps = result_rows(page, "plan-steps")
    warnings = result_rows(page, "plan-warnings")
    shown = [text for rows in (steps, warnings) for _l, s, f in rows for text in (s, f)]
    assert not [text for text in shown if ISO.search(text)], shown
    until = local_date(first.cert.not_valid_after_utc)
    assert any(f"(valid until {until})" in s for _l, s, _f in steps), steps
    gone = local_date(expired.cert.not_valid_after_utc)
    assert any(f"expired on {gone}" in s for _l, s, _f in warnings), warnings


def test_localise_dates_leaves_file_names_alone() -> None:
    day = local_date(dt.date(2034, 6, 18))
    assert localise_dates("valid until 2034-06-18.") == f"valid until {day}."
    assert localise_dates("backup 2034-06-18.pfx") == "backup 2034-06-18.pfx"
    assert localise_dates("at 2034-06-18T10:00") == "at 2034-06-18T10:00"
