"""GridCert's strings reach Qt Linguist with the contexts the wizard asks for at run time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QCommandLinkButton

from app.gui import navigation as nav
from app.gui.wizard import GridCertWizard

CHECK_ABOUT = nav.CHECK_FLOW.description
ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent


def test_a_translated_ts_changes_the_wizard(qtbot, tmp_path: Path) -> None:
    lupdate, lrelease = TOOLS / "pyside6-lupdate", TOOLS / "pyside6-lrelease"
    if not (lupdate.exists() and lrelease.exists()):
        pytest.skip("pyside6-lupdate/lrelease are not in this environment")
    ts = tmp_path / "gridcert_xx.ts"
    sources = [str(p) for p in sorted((ROOT / "app" / "gui").rglob("*.py"))]
    subprocess.run([str(lupdate), *sources, "-ts", str(ts)], check=True, capture_output=True)
    text = ts.read_text(encoding="utf-8")
    wanted = {"What would you like to do?": "¿Qué desea hacer?",
              "Add the files you were sent": "Añada los archivos que recibió",
              # navigation.py stays free of Qt: its texts are marked, then translated
              # by the start page.
              CHECK_ABOUT: "Vea cada certificado que GridCert encuentra en este equipo."}
    for source, translation in wanted.items():
        pattern = (r"(<source>" + re.escape(source) + r"</source>(?:(?!</message>).)*?"
                   r"<translation) type=\"unfinished\"></translation>")
        text, count = re.subn(pattern, r"\1>" + translation + "</translation>", text,
                              flags=re.DOTALL)
        assert count == 1, f"{source!r} was not extracted once"
    ts.write_text(text, encoding="utf-8")
    qm = tmp_path / "gridcert_xx.qm"
    subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        window = GridCertWizard()
        qtbot.addWidget(window)
        assert window.page_by_name(nav.START).title() == "¿Qué desea hacer?"
        assert window.page_by_name(nav.ADD_FILES).title() == "Añada los archivos que recibió"
        button = window.page_by_name(nav.START).findChild(QCommandLinkButton, "job-check")
        assert button is not None
        assert button.description() == wanted[CHECK_ABOUT]
        assert nav.CHECK_FLOW.description == CHECK_ABOUT  # the flow itself is untouched
    finally:
        QCoreApplication.removeTranslator(translator)


def test_the_shipped_ts_is_current() -> None:
    ts = ROOT / "resources" / "translations" / "gridcert_es.ts"
    assert ts.is_file()
    assert "<name>AddFilesPage</name>" in ts.read_text(encoding="utf-8")
