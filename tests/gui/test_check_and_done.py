"""The Check view (real NSS databases: list, remove, undo) and the Done page's extras."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
)

from app.core.reader import read_paths
from app.gui import navigation as nav
from app.gui.widgets import StatusChip
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import install_into_firefox
from tests.gui.scene import PASSWORD, Desk, nss_has, nss_keys
from tests.helpers import require_tool


def add_to_nss(certutil: str, db: Path, cert: pki.Issued, nickname: str, tmp: Path) -> None:
    pem = cert.write(tmp / f"{nickname}.pem")
    subprocess.run([certutil, "-A", "-d", f"sql:{db}", "-n", nickname, "-t", ",,", "-i",
                    str(pem)], check=True, capture_output=True)


def open_check(driver: Driver) -> QTableWidget:
    driver.click(driver.wizard.page_by_name(nav.START).buttons["check"])
    driver.wait_page(nav.CHECK)
    driver.wait_idle()
    table = driver.child(QTableWidget, "inventory")
    assert isinstance(table, QTableWidget)
    return table


def table_rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_check_lists_flags_removes_and_undoes(driver: Driver, desk: Desk, answers: Answers,
                                             certutil: str, tmp_path: Path) -> None:
    old = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC",
                        not_before=pki.NOW - dt.timedelta(days=400),
                        not_after=pki.NOW - dt.timedelta(days=35))
    add_to_nss(certutil, desk.firefox_db, desk.root, "ERCOT CA", tmp_path)
    add_to_nss(certutil, desk.firefox_db, old, "Jane Smith 2025", tmp_path)
    add_to_nss(certutil, desk.firefox_db, desk.leaf, "Jane Smith 2026", tmp_path)

    table = open_check(driver)
    rows = table_rows(table)
    firefox = [r for r in rows if r[2].startswith("Firefox")]
    assert {r[0] for r in firefox} == {"Jane Smith", "ERCOT CA"}
    ercot = next(r for r in firefox if r[0] == "ERCOT CA")
    # The bundled catalog pins no fingerprint: it only has ERCOT's name (not verified).
    assert ercot[1] == "named like ERCOT's root (production) — not verified"
    expired = next(r for r in firefox if "expired" in r[4])
    assert expired[5] == "expired older copy: remove it"
    # Its time left is a red status chip (app.gui.widgets.StatusChip) over the cell.
    chip = table.cellWidget(rows.index(expired), 4).findChild(StatusChip, "expiry-chip")
    assert chip is not None and chip.level() == "error" and chip.text() == expired[4]
    newest = next(r for r in firefox if r[0] == "Jane Smith" and "expires in" in r[4])
    assert "newest" in newest[5]
    # Public roots of this machine's Java/system stores are hidden until asked for.
    show_all = driver.child(QCheckBox, "show-all")
    shown = table.rowCount()
    show_all.setChecked(True)
    assert table.rowCount() >= shown
    show_all.setChecked(False)

    # Select the expired one and remove it (the dialog is answered "Remove").
    line = table_rows(table).index(expired)
    table.selectionModel().select(
        table.model().index(line, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    remove = driver.child(QPushButton, "remove")
    assert remove.isEnabled()
    driver.click(remove)
    assert any("Jane Smith — Firefox" in q and "valid until" in q for q in answers.asked)
    driver.wait_idle()
    driver.qtbot.waitUntil(lambda: driver.child(QPushButton, "undo-remove").isVisible())
    driver.wait_idle()
    assert not nss_has(certutil, desk.firefox_db, old.sha256)
    assert nss_has(certutil, desk.firefox_db, desk.leaf.sha256)  # the newer one stays
    assert not any("expired" in r[4] for r in table_rows(table) if r[2].startswith("Firefox"))

    driver.click(driver.child(QPushButton, "undo-remove"))
    driver.wait_idle()
    driver.qtbot.waitUntil(lambda: not driver.child(QPushButton, "undo-remove").isVisible())
    driver.wait_idle()
    assert nss_has(certutil, desk.firefox_db, old.sha256)


# The log window is a window of its own; the offscreen platform remarks on its sizing.
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_done_page_backup_and_log(driver: Driver, desk: Desk, answers: Answers,
                                  tmp_path: Path) -> None:
    install_into_firefox(driver, answers, desk)
    wizard = driver.wizard

    target = tmp_path / "Jane Smith backup.pfx"
    answers.save_file = lambda *args: str(target)  # type: ignore[method-assign]
    backup = driver.child(QPushButton, "save-backup")
    assert backup.isVisible()
    driver.click(backup)
    driver.wait_idle()
    status = driver.child(QLabel, "done-status").text()
    assert f"Backup saved as ‘Jane Smith backup.pfx’ in the folder {tmp_path}," in status, status
    assert target.stat().st_mode & 0o077 == 0
    again = read_paths([str(target)], lambda _s: PASSWORD)
    assert not again.problems
    assert any(i.sha256 == desk.leaf.sha256 and i.has_private_key for i in again.items)

    # The log opens in GridCert's own window, in sentences; never in a browser.
    driver.click(driver.child(QPushButton, "open-log"))
    assert not answers.opened
    viewer = wizard.currentPage().log_window
    text = viewer.findChild(QPlainTextEdit, "log-text")
    assert viewer.isVisible() and "An installation finished and was checked" in (
        text.toPlainText())
    viewer.close()


def test_dropping_files_on_the_start_page(driver: Driver, desk: Desk) -> None:
    page = driver.wizard.page_by_name(nav.START)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(desk.zip_path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    assert driver.page() == nav.ADD_FILES
    assert driver.wizard.state.files == [str(desk.zip_path)]


def test_removing_your_certificate_without_a_keyring_asks_for_a_backup_passphrase(
        driver: Driver, desk: Desk, answers: Answers, certutil: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No keyring: Remove asks for the backup's passphrase (typed twice) instead of
    stopping with "please type a passphrase"; cancelling removes nothing; Undo restores
    the certificate with its key from the backup."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    pk12util = require_tool("pk12util", "libnss3-tools")
    secret = tmp_path / "pw.txt"
    secret.write_text(PASSWORD)
    subprocess.run([pk12util, "-i", str(desk.pfx_path), "-d", f"sql:{desk.firefox_db}",
                    "-w", str(secret)], check=True, capture_output=True)
    assert nss_has(certutil, desk.firefox_db, desk.leaf.sha256)

    table = open_check(driver)
    line = next(i for i, r in enumerate(table_rows(table))
                if r[0] == "Jane Smith" and r[2].startswith("Firefox"))

    def select() -> None:
        table.selectionModel().select(
            table.model().index(line, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)

    select()
    answers.new_passphrase = None  # the person cancels the passphrase window
    driver.click(driver.child(QPushButton, "remove"))
    driver.wait_idle()
    assert any(q.startswith("new passphrase: ") and "no keyring" in q for q in answers.asked)
    status = driver.child(QLabel, "check-status")
    assert isinstance(status, QLabel)
    assert status.text() == "Nothing was removed: the backup needs a passphrase."
    assert nss_has(certutil, desk.firefox_db, desk.leaf.sha256)

    answers.new_passphrase = "correct horse battery staple"
    select()
    driver.click(driver.child(QPushButton, "remove"))
    driver.wait_idle()
    driver.qtbot.waitUntil(lambda: driver.child(QPushButton, "undo-remove").isVisible())
    driver.wait_idle()
    assert not nss_has(certutil, desk.firefox_db, desk.leaf.sha256)
    assert "Jane Smith" not in nss_keys(certutil, desk.firefox_db)
    backups = list((Path(os.environ["GRIDCERT_DATA_DIR"]) / "backups").iterdir())
    assert len(backups) == 1
    # The backup opens with the passphrase the person chose (openssl as the reader).
    opened = subprocess.run(
        [require_tool("openssl", "openssl"), "pkcs12", "-in", str(backups[0]), "-nokeys",
         "-passin", "env:BACKUP_PASS"], capture_output=True, text=True,
        env={**os.environ, "BACKUP_PASS": "correct horse battery staple"})
    assert opened.returncode == 0, opened.stderr
    assert "Jane Smith" in opened.stdout

    driver.click(driver.child(QPushButton, "undo-remove"))
    driver.wait_idle()
    driver.qtbot.waitUntil(lambda: not driver.child(QPushButton, "undo-remove").isVisible())
    driver.wait_idle()
    assert nss_has(certutil, desk.firefox_db, desk.leaf.sha256)
    assert "Jane Smith" in nss_keys(certutil, desk.firefox_db)  # with its private key


def test_check_summary_counts_in_words(driver: Driver, isolated_home: Path, tmp_path: Path,
                                       certutil: str) -> None:
    from tests.gui.scene import build_desk

    desk = build_desk(isolated_home, tmp_path / "Downloads", certutil, leaf_days=20)
    add_to_nss(certutil, desk.firefox_db, desk.leaf, "Jane Smith", tmp_path)
    open_check(driver)
    status = driver.child(QLabel, "check-status").text()
    assert "1 expires within 30 days." in status
