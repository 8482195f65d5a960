"""The Check view: what GridCert installed itself is in the default view (even a root no
catalog knows), time left is a status chip, and the Remove question tells copies apart
(end date, place) instead of repeating "Jane Smith — Firefox" twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

from app.gui.widgets import StatusChip
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.scene import Desk
from tests.gui.test_check_and_done import add_to_nss, open_check, table_rows


def _install_with_gridcert(desk: Desk, root: pki.Issued, tmp_path: Path) -> None:
    from app.actions.install import apply_plan, plan_install
    from app.actions.targets import resolve_targets
    from app.core.reader import read_paths

    path = root.write(tmp_path / "Sample Energy Root.pem")
    items = read_paths([str(path)]).items
    plan = plan_install(items, resolve_targets([f"nss:{desk.firefox_db}"]))
    report = apply_plan(plan)
    assert report.ok, report.error


def test_what_gridcert_installed_is_in_the_default_view(driver: Driver, desk: Desk,
                                                        certutil: str, tmp_path: Path) -> None:
    ours = pki.make_root("Sample Energy Root CA", org="Sample Energy Transmission")
    theirs = pki.make_root("Some Public Root CA", org="Some Public Trust Services")
    _install_with_gridcert(desk, ours, tmp_path)
    add_to_nss(certutil, desk.firefox_db, theirs, "Some Public Root CA", tmp_path)

    table = open_check(driver)
    firefox = [r for r in table_rows(table) if r[2].startswith("Firefox")]
    mine = next((r for r in firefox if r[0] == "Sample Energy Root CA"), None)
    assert mine is not None, firefox
    assert "installed by GridCert" in mine[5]
    assert all(r[0] != "Some Public Root CA" for r in firefox)  # not GridCert's, not known
    status = driver.child(QLabel, "check-status")
    assert isinstance(status, QLabel) and "other public root" in status.text()

    show_all = driver.child(QCheckBox, "show-all")
    assert isinstance(show_all, QCheckBox)
    show_all.setChecked(True)
    assert any(r[0] == "Some Public Root CA" for r in table_rows(table))


def test_time_left_is_a_status_chip(driver: Driver, desk: Desk, certutil: str,
                                    tmp_path: Path) -> None:
    soon = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC", days=20)
    expired = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC",
                            not_before=pki.NOW - dt.timedelta(days=400),
                            not_after=pki.NOW - dt.timedelta(days=35))
    add_to_nss(certutil, desk.firefox_db, desk.root, "ERCOT CA", tmp_path)
    add_to_nss(certutil, desk.firefox_db, soon, "Jane Smith soon", tmp_path)
    add_to_nss(certutil, desk.chromium_db, expired, "Jane Smith old", tmp_path)
    table = open_check(driver)
    levels: dict[str, str] = {}
    for line, row in enumerate(table_rows(table)):
        cell = table.cellWidget(line, 4)
        assert cell is not None, row
        chip = cell.findChild(StatusChip, "expiry-chip")
        assert chip is not None and chip.isVisible() and chip.text() == row[4]
        levels[f"{row[0]}|{row[2]}"] = chip.level()
    assert levels["ERCOT CA|" + next(r[2] for r in table_rows(table)
                                     if r[0] == "ERCOT CA")] == "ok"
    assert "warning" in {v for k, v in levels.items() if k.startswith("Jane Smith|Firefox")}
    assert "error" in {v for k, v in levels.items() if k.startswith("Jane Smith|")}


def test_remove_question_tells_copies_apart(driver: Driver, desk: Desk, answers: Answers,
                                            certutil: str, tmp_path: Path) -> None:
    old = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC",
                        not_before=pki.NOW - dt.timedelta(days=400),
                        not_after=pki.NOW - dt.timedelta(days=35))
    add_to_nss(certutil, desk.firefox_db, old, "Jane Smith 2025", tmp_path)
    add_to_nss(certutil, desk.firefox_db, desk.leaf, "Jane Smith 2026", tmp_path)
    table = open_check(driver)
    lines = [i for i, r in enumerate(table_rows(table))
             if r[0] == "Jane Smith" and r[2].startswith("Firefox")]
    assert len(lines) == 2
    selection = table.selectionModel()
    for i, line in enumerate(lines):
        flag = (QItemSelectionModel.SelectionFlag.ClearAndSelect if i == 0
                else QItemSelectionModel.SelectionFlag.Select)
        selection.select(table.model().index(line, 0),
                         flag | QItemSelectionModel.SelectionFlag.Rows)
    answers.confirm_answer = False
    remove = driver.child(QPushButton, "remove")
    assert isinstance(remove, QPushButton)
    driver.click(remove)
    question = next(q for q in answers.asked if q.startswith("confirm: Remove these"))
    bullets = [b for b in question.splitlines() if b.startswith("• ")]
    assert len(bullets) == 2 and len(set(bullets)) == 2
    assert all(b.startswith("• Jane Smith — Firefox") for b in bullets)
    # Each line carries its copy's end date as the table writes it (the Expires column).
    ends = {table_rows(table)[line][3] for line in lines}
    assert len(ends) == 2
    assert all(any(f"valid until {end}" in b for b in bullets) for end in ends)
    assert any("expired" in b for b in bullets)
