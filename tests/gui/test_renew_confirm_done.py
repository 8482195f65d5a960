"""Renew follows Install's pattern: a Confirm page that says exactly what will change
(which places get the new certificate, which old one is removed from where, the named
backup kept first) while nothing has changed yet; then a Done page with the new
certificate's end date, one next step, the backup by name behind *Show in folder*, and
*Undo this renewal* — driven like a person, against a real NSS database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

from app.gui.describe import local_date
from app.gui.renew import flow as renew_flow
from app.gui.widgets import ResultRows
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import press, renew_new_file, type_into
from tests.gui.scene import PASSWORD, Desk, nss_fingerprints


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _install_into_firefox(desk: Desk, pfx: Path, password: str) -> None:
    from app.actions.install import apply_plan, plan_install
    from app.actions.targets import resolve_targets
    from app.core.reader import read_paths

    items = read_paths([str(pfx)], lambda _s: password).items
    report = apply_plan(plan_install(items, resolve_targets([f"nss:{desk.firefox_db}"])))
    assert report.ok, report.error


def _rows(driver: Driver, name: str) -> list[tuple[str, str, str, str]]:
    """(level, sentence, fix, detail) of each row the page shows under `name`."""
    rows = driver.child(ResultRows, name)
    assert isinstance(rows, ResultRows) and rows.isVisible()
    return [(r.level, r.sentence, r.fix, r.detail) for r in rows.rows()]


def _new_certificate(desk: Desk, tmp_path: Path) -> tuple[pki.Issued, Path]:
    new = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC", days=730,
                        key=pki.pooled_key("rsa2048", 13))
    path = tmp_path / "0123456789012$JSMITH-2027.pfx"
    path.write_bytes(pki.pfx_bytes(new, "new-one-time-pw", [desk.root]))
    return new, path


def _to_confirm(desk: Desk, driver: Driver, answers: Answers, new_pfx: Path) -> None:
    renew_new_file(driver, answers, new_pfx)
    type_into(driver, "new-password", "new-one-time-pw")
    driver.next()
    driver.wait_page(renew_flow.WHERE)
    driver.wait_idle()
    for box in driver.wizard.currentPage().findChildren(QCheckBox):
        if box.objectName().startswith("target:"):
            box.setChecked(box.objectName() == f"target:nss:{desk.firefox_db}")
    type_into(driver, "backup-passphrase", "backup passphrase 2026")
    type_into(driver, "backup-passphrase-again", "backup passphrase 2026")
    driver.next()
    driver.wait_page(renew_flow.CONFIRM)
    driver.wait_idle()


def test_confirm_says_what_will_change_and_nothing_has_yet(
    desk: Desk, driver: Driver, answers: Answers, tmp_path: Path, no_keyring: None,
    certutil: str,
) -> None:
    _install_into_firefox(desk, desk.pfx_path, PASSWORD)
    before = nss_fingerprints(certutil, desk.firefox_db)
    new, new_pfx = _new_certificate(desk, tmp_path)
    _to_confirm(desk, driver, answers, new_pfx)

    new_day = local_date(new.cert.not_valid_after_utc)
    old_day = local_date(desk.leaf.cert.not_valid_after_utc)
    rows = _rows(driver, "renew-plan")
    sentences = [row[1] for row in rows]
    assert any(s.startswith("Firefox") and
               f"gets your new certificate ‘Jane Smith — Example Power LLC — until {new_day}’"
               in s for s in sentences), sentences
    removal = next(row for row in rows if "is removed from Firefox" in row[1])
    assert f"Your old certificate (Jane Smith, until {old_day})" in removal[1]
    # The backup is named; its folder is behind Details, never a raw path in the sentence.
    assert f"“Backup of Jane Smith's old certificate (until {old_day})”" in removal[2]
    assert "the passphrase you typed" in removal[2]
    assert "backups" in removal[3]
    assert all("/" not in row[1] and "/" not in row[2] for row in rows), rows
    commit = driver.wizard.button(driver.wizard.WizardButton.CommitButton)
    assert commit.isVisible() and commit.isEnabled() and "Install" in commit.text()
    # On Confirm, nothing has changed.
    assert nss_fingerprints(certutil, desk.firefox_db) == before
    assert renew_flow.renew_state(driver.wizard.state).result is None

    # Back to Where and untick "remove the old one": the plan says it stays.
    driver.click(driver.wizard.button(driver.wizard.WizardButton.BackButton))
    driver.wait_page(renew_flow.WHERE)
    remove_old = driver.child(QCheckBox, "remove-old")
    assert isinstance(remove_old, QCheckBox)
    remove_old.setChecked(False)
    driver.next()
    driver.wait_page(renew_flow.CONFIRM)
    driver.wait_idle()
    sentences = [row[1] for row in _rows(driver, "renew-plan")]
    assert not any("is removed" in s for s in sentences), sentences
    assert any(f"Your old certificate (Jane Smith, until {old_day}) stays in Firefox" in s
               for s in sentences), sentences
    assert nss_fingerprints(certutil, desk.firefox_db) == before


def test_done_gives_the_end_date_the_next_step_the_backup_and_undo(
    desk: Desk, driver: Driver, answers: Answers, tmp_path: Path, no_keyring: None,
    certutil: str,
) -> None:
    _install_into_firefox(desk, desk.pfx_path, PASSWORD)
    new, new_pfx = _new_certificate(desk, tmp_path)
    _to_confirm(desk, driver, answers, new_pfx)
    driver.commit()
    driver.wait_page(renew_flow.DONE)
    driver.wait_idle()
    result = renew_flow.renew_state(driver.wizard.state).result
    assert result is not None and result.ok, getattr(result, "notes", None)
    present = nss_fingerprints(certutil, desk.firefox_db)
    assert new.sha256 in present and desk.leaf.sha256 not in present

    new_day = local_date(new.cert.not_valid_after_utc)
    old_day = local_date(desk.leaf.cert.not_valid_after_utc)
    assert driver.wizard.currentPage().title() == "Your new certificate is installed"
    rows = _rows(driver, "renew-results")
    assert rows[0][:2] == ("ok", f"Your new certificate is valid until {new_day}.")
    backup = next(row for row in rows if "kept as" in row[1])
    assert backup[1] == (f"Your old certificate is kept as “Backup of Jane Smith's old "
                         f"certificate (until {old_day})”.")
    assert all(str(tmp_path) not in row[1] for row in rows)
    step = driver.child(QLabel, "renew-next-step")
    assert isinstance(step, QLabel) and step.isVisible()
    assert "open ERCOT's site" in step.text(), step.text()
    assert step.text().endswith(
        f"choose ‘Jane Smith — Example Power LLC — until {new_day}’.")

    press(driver, QPushButton, "show-backup")
    assert answers.opened and Path(answers.opened[-1]).name == "backups"
    assert Path(answers.opened[-1]) in {p.parent for p in result.backups}

    press(driver, QPushButton, "undo-renewal")
    driver.wait_idle()
    assert driver.wizard.currentPage().title() == "Undone"
    present = nss_fingerprints(certutil, desk.firefox_db)
    assert desk.leaf.sha256 in present and new.sha256 not in present
    undo = driver.child(QPushButton, "undo-renewal")
    assert isinstance(undo, QPushButton) and not undo.isVisible()
