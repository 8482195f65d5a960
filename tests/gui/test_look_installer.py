"""The Windows installer's pictures share the wizard's identity and are what NSIS's
Modern UI expects: header.bmp 150 x 57 and wizard.bmp 164 x 314, 24-bit BMPs, made by
installer/windows/make_images.py (the checked-in files are its output)."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "installer" / "windows"


def bmp_facts(path: Path) -> tuple[int, int, int, int]:
    """(width, height, bits per pixel, compression) from the BMP's headers."""
    data = path.read_bytes()
    assert data[:2] == b"BM", path.name
    size, = struct.unpack_from("<I", data, 2)
    assert size == len(data), path.name
    width, height, _planes, bits, compression = struct.unpack_from("<iiHHI", data, 18)
    return width, abs(height), bits, compression


@pytest.mark.parametrize(("name", "size"), [("header.bmp", (150, 57)),
                                            ("wizard.bmp", (164, 314))])
def test_installer_bitmaps_have_the_sizes_nsis_expects(name: str, size: tuple[int, int]) -> None:
    width, height, bits, compression = bmp_facts(FOLDER / name)
    assert (width, height) == size
    assert bits == 24
    assert compression == 0  # BI_RGB


def test_script_writes_bitmaps_of_the_same_kind(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(FOLDER / "make_images.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    for name in ("header.bmp", "wizard.bmp"):
        assert bmp_facts(tmp_path / name) == bmp_facts(FOLDER / name)


def test_side_picture_uses_the_icons_blue() -> None:
    from PySide6.QtGui import QColor, QImage

    sys.path.insert(0, str(FOLDER))
    try:
        import make_images
    finally:
        sys.path.remove(str(FOLDER))
    image = QImage(str(FOLDER / "wizard.bmp"))
    top = image.pixelColor(2, 2)
    expected = QColor(make_images.BLUE_TOP)
    assert abs(top.blue() - expected.blue()) < 40 and top.blue() > top.red()
    from app.gui import style

    assert make_images.BLUE_TOP == style.ACCENT_LIGHT  # the wizard's accent
