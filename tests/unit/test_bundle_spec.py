"""installer/gridcert.spec's trimming decisions, checked without running PyInstaller.

The spec's set-up part (everything before the build itself) is executed the way
PyInstaller would, and its keep/exclude rules are asked about real file names from the
PySide6 wheels: what the wizard needs stays, the rest goes, and anything app/ imports is
never excluded.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "gridcert.spec"


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    text = SPEC.read_text(encoding="utf-8")
    setup = text[: text.index("# --- The build")]
    # On Windows the set-up writes the version resources into workpath.
    workpath = tmp_path_factory.mktemp("pyinstaller-work")
    namespace: dict[str, Any] = {"SPECPATH": str(SPEC.parent), "workpath": str(workpath),
                                 "__name__": "gridcert_spec"}
    exec(compile(setup, str(SPEC), "exec"), namespace)
    return namespace


def test_used_qt_modules_are_never_excluded(spec: dict[str, Any]) -> None:
    used = spec["USED_QT_MODULES"]
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    excluded = {name.removeprefix("PySide6.") for name in spec["EXCLUDES"]}
    assert not used & excluded
    for module, reason in spec["QT_MODULE_EXCLUDES"].items():
        assert reason, module  # every exclusion says why
        assert (module in excluded) != (module in used)


def test_stdlib_modules_the_app_imports_stay(spec: dict[str, Any]) -> None:
    # The NSS store reads cert9.db with sqlite3: excluding it broke `gridcert list`.
    assert "sqlite3" not in spec["EXCLUDES"]
    assert "tkinter" in spec["EXCLUDES"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux plugin names")
@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
    ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
    ("PySide6/Qt/lib/libQt6Core.so.6", True),
    ("cryptography/hazmat/bindings/_rust.abi3.so", True),
])
def test_linux_plugin_keep_list(spec: dict[str, Any], dest: str, kept: bool) -> None:
    assert spec["_keep"](dest) is kept


def test_translations_follow_the_shipped_languages(spec: dict[str, Any]) -> None:
    shipped = spec["SHIPPED_LANGUAGES"]
    for language in ("de", "fr", "ja"):
        dest = f"PySide6/Qt/translations/qtbase_{language}.qm"
        assert spec["_keep"](dest) is (language in shipped)
    assert spec["_keep"]("PySide6/Qt/translations/qtwebengine_de.qm") is False


def test_windows_names_are_understood(spec: dict[str, Any]) -> None:
    """The Windows wheel has no Qt/ level; the patterns must still see plugins there."""
    plugin = spec["_PLUGIN_RE"].search(r"PySide6\plugins\platforms\qwindows.dll")
    assert plugin and plugin.groups() == ("platforms", "qwindows.dll")
    assert spec["_plugin_kept"]("imageformats", "qjpeg.dll") is False
    assert spec["WINDOWS_DROPPED_DLLS"].fullmatch("opengl32sw.dll")
    assert not spec["WINDOWS_DROPPED_DLLS"].fullmatch("Qt6Gui.dll")


def test_executable_names_do_not_collide_on_case_insensitive_systems(
    spec: dict[str, Any],
) -> None:
    assert spec["GUI_NAME"] == "GridCert"
    cli = spec["CLI_NAME"]
    if sys.platform.startswith("linux"):
        assert cli == "gridcert"
    else:
        assert cli.lower() != spec["GUI_NAME"].lower()
