"""The role words follow the trust badge everywhere (issue 13, found on a keyboard walk):
the Check page called a self-signed impostor 'ERCOT CA' (another key than ERCOT's) or a
root that only has ERCOT's name "ERCOT root (production)", in the same plain look as the
genuine one. Only a pinned fingerprint may be called ERCOT's root; a name-only match says
it only has the name; a mismatch says it is not ERCOT's, in the error colour."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from app.core.catalog import load_catalog_from
from app.core.paths import resource_path
from app.gui import engine
from app.gui.widgets import level_colour
from tests import pki
from tests.gui.conftest import Driver
from tests.gui.scene import Desk
from tests.gui.test_check_and_done import add_to_nss, open_check, table_rows

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _pin(desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled catalog, with the desk's ERCOT CA fingerprint pinned."""
    folder = tmp_path / "catalog"
    shutil.copytree(resource_path("catalog"), folder)
    ercot = folder / "ercot.toml"
    text = ercot.read_text(encoding="utf-8")
    marker = 'subject_cn = "ERCOT CA"'
    head, tail = text.split(marker, 1)
    tail = tail.replace('sha256 = ""', f'sha256 = "{desk.root.sha256}"', 1)
    ercot.write_text(head + marker + tail, encoding="utf-8")
    monkeypatch.setattr(engine, "catalog", lambda: load_catalog_from(folder))


def _kind_cell(table: QTableWidget, sha256: str) -> tuple[str, str, str]:
    """(kind text, note text, the colour level the Kind cell is drawn in) of `sha256`'s row."""
    for line in range(table.rowCount()):
        if sha256 in table.item(line, 0).toolTip():
            kind = table.item(line, 1)
            return kind.text(), table.item(line, 5).text(), str(
                kind.data(Qt.ItemDataRole.UserRole) or "")
    raise AssertionError(f"{sha256[:12]} not in {table_rows(table)}")


def test_check_page_says_pinned_name_only_and_impostor_apart(
        driver: Driver, desk: Desk, certutil: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _pin(desk, tmp_path, monkeypatch)
    # Same subject and ERCOT's 2048-bit key size: the pinned fingerprint tells it apart.
    lookalike = pki.make_root("ERCOT CA", org="ERCOT")
    # Same subject, an EC key where ERCOT states a 2048-bit RSA one: not ERCOT's at all.
    impostor = pki.make_root("ERCOT CA", org="ERCOT", key=pki.pooled_key("ec-p256"))
    add_to_nss(certutil, desk.firefox_db, desk.root, "ERCOT CA", tmp_path)
    add_to_nss(certutil, desk.firefox_db, impostor, "ERCOT CA impostor", tmp_path)
    add_to_nss(certutil, desk.chromium_db, lookalike, "ERCOT CA lookalike", tmp_path)

    table = open_check(driver)
    genuine_kind, _note, genuine_level = _kind_cell(table, desk.root.sha256)
    assert genuine_kind == "ERCOT root (production)" and genuine_level == ""

    impostor_kind, impostor_note, impostor_level = _kind_cell(table, impostor.sha256)
    assert "ERCOT root" not in impostor_kind
    assert impostor_kind == "not ERCOT's root, though named like it"
    assert "not the certificate ERCOT publishes" in impostor_note
    assert impostor_level == "error"
    line = next(n for n in range(table.rowCount())
                if impostor.sha256 in table.item(n, 0).toolTip())
    brush = table.item(line, 1).foreground().color()
    assert brush == level_colour("error", table.palette())

    named_kind, _note, named_level = _kind_cell(table, lookalike.sha256)
    assert named_kind == "not ERCOT's root, though named like it"
    assert named_level == "error"


def test_without_a_pin_the_genuine_root_only_has_the_name(
        driver: Driver, desk: Desk, certutil: str, tmp_path: Path) -> None:
    # The bundled catalog pins nothing for ERCOT CA: GridCert cannot prove it is ERCOT's.
    add_to_nss(certutil, desk.firefox_db, desk.root, "ERCOT CA", tmp_path)
    table = open_check(driver)
    kind, _note, level = _kind_cell(table, desk.root.sha256)
    assert kind == "named like ERCOT's root (production) — not verified"
    assert level == "warning"
