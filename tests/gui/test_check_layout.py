"""The Check view at the wizard's smallest size: with every certificate shown (long public
root names among them) all six columns fit the window, so nobody has to scroll sideways to
see where a certificate is or when it expires."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QTableWidget

from app.gui import navigation as nav
from tests import pki
from tests.gui.conftest import Driver
from tests.gui.scene import Desk

# Real public-root names at their longest (several Mozilla/Java roots are this long).
LONG_NAMES = (
    "Hellenic Academic and Research Institutions ECC RootCA 2015",
    "Autoridad de Certificacion Firmaprofesional CIF A62634068",
    "TUBITAK Kamu SM SSL Kok Sertifikasi - Surum 1",
    "Security Communication ECC RootCA1 SECOM Trust Systems",
    "Microsoft ECC Root Certificate Authority 2017 (Public Trust)",
    "D-TRUST BR Root CA 1 2020 Deutsche Telekom Security",
    "SSL.com EV Root Certification Authority RSA R2",
    "Entrust Root Certification Authority - G4 (Public Trust)",
    "GlobalSign Root E46 Certification Authority Public",
    "emSign ECC Root CA - C3 eMudhra Technologies Limited",
    "AC RAIZ FNMT-RCM SERVIDORES SEGUROS Real Casa de la Moneda",
    "Certainly Root E1 Certification Authority for the Web",
)


def _add_roots(certutil: str, db: Path, tmp: Path) -> None:
    for number, cn in enumerate(LONG_NAMES):
        root = pki.make_root(cn, org="Public Trust Services Organisation", serial=9000 + number)
        pem = root.write(tmp / f"root{number}.pem")
        subprocess.run([certutil, "-A", "-d", f"sql:{db}", "-n", cn, "-t", "C,,", "-i",
                        str(pem)], check=True, capture_output=True)


def test_every_column_fits_at_the_smallest_window(driver: Driver, desk: Desk, certutil: str,
                                                  tmp_path: Path) -> None:
    _add_roots(certutil, desk.chromium_db, tmp_path)
    _add_roots(certutil, desk.firefox_db, tmp_path)
    wizard = driver.wizard
    wizard.resize(wizard.minimumSize())
    assert (wizard.width(), wizard.height()) == (760, 540)
    driver.click(wizard.page_by_name(nav.START).buttons["check"])
    driver.wait_page(nav.CHECK)
    driver.wait_idle()
    show_all = driver.child(QCheckBox, "show-all")
    assert isinstance(show_all, QCheckBox)
    show_all.setChecked(True)
    driver.qtbot.wait(50)  # the header settles its sections on the next turn
    table = driver.child(QTableWidget, "inventory")
    assert isinstance(table, QTableWidget)
    assert table.rowCount() >= 2 * len(LONG_NAMES)
    names = {table.item(r, 0).text() for r in range(table.rowCount())}
    assert set(LONG_NAMES) <= names

    header = table.horizontalHeader()
    assert table.horizontalScrollBar().maximum() == 0, [
        header.sectionSize(c) for c in range(table.columnCount())]
    viewport = table.viewport().width()
    last = table.columnCount() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= viewport
    for column in range(table.columnCount()):
        # Each column keeps a readable width (not squeezed to nothing to make room).
        assert header.sectionSize(column) >= 60, (column, header.sectionSize(column))
    # A name cut short in its column is there in full as its tooltip.
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == LONG_NAMES[0])
    assert LONG_NAMES[0] in table.item(row, 0).toolTip()
    assert table.item(row, 2).toolTip() == table.item(row, 2).text()

    # Wider and back: the columns follow the window, still without sideways scrolling.
    wizard.resize(1100, 700)
    driver.qtbot.wait(50)
    wide_name = header.sectionSize(0)
    assert table.horizontalScrollBar().maximum() == 0
    wizard.resize(760, 540)
    driver.qtbot.wait(50)
    assert table.horizontalScrollBar().maximum() == 0
    assert header.sectionSize(0) <= wide_name
