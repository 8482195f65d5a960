"""Draws the Windows installer's own bitmaps from GridCert's icon (issue 11, item 12).

Run `python installer/windows/make_images.py [OUT_DIR]` (default: this folder); the
outputs are committed beside it (not in resources/, which every bundle ships), like the
icons from `installer/make_icons.py`.

- `header.bmp` (150 x 57): the strip at the top of every inner page (MUI_HEADERIMAGE).
- `wizard.bmp` (164 x 314): the side picture of the welcome and finish pages.

Both are 24-bit BMPs without alpha, the format NSIS's Modern UI loads. They share the
wizard's identity: the icon, and the icon's own blues (`installer/make_icons.py`) for the
side picture, so the installer and the window it installs look like one program.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter

ROOT = Path(__file__).resolve().parents[2]
ICON_DIR = ROOT / "resources" / "icons" / "app"
# The icon's shield blues (installer/make_icons.py BLUE_TOP / BLUE_BOTTOM) and the wizard's
# accent (app/gui/style.py ACCENT_LIGHT): one identity.
BLUE_TOP = "#2f6db5"
BLUE_BOTTOM = "#173f73"
HEADER_SIZE = (150, 57)
WIZARD_SIZE = (164, 314)


def _icon(size: int) -> QImage:
    available = sorted(int(p.stem.split("-")[1]) for p in ICON_DIR.glob("gridcert-*.png"))
    best = next((s for s in available if s >= size), available[-1])
    image = QImage(str(ICON_DIR / f"gridcert-{best}.png"))
    if best != size:
        image = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image


def header() -> QImage:
    """White like the installer's header band, the icon on the right, a thin accent
    line along the bottom (as the wizard's header band sits over its pages)."""
    width, height = HEADER_SIZE
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.drawImage(QPointF(width - 48 - 6, (height - 48) / 2), _icon(48))
    painter.end()
    return image


def wizard() -> QImage:
    """The welcome/finish side picture: the icon's blues, the icon, the name and what
    the program is, and a faint grid of lines (the power grid) behind."""
    width, height = WIZARD_SIZE
    image = QImage(width, height, QImage.Format.Format_RGB32)
    gradient = QLinearGradient(0, 0, 0, height)
    gradient.setColorAt(0.0, QColor(BLUE_TOP))
    gradient.setColorAt(1.0, QColor(BLUE_BOTTOM))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(QRectF(0, 0, width, height), gradient)
    painter.setPen(QColor(255, 255, 255, 22))
    for x in range(-height, width, 22):  # diagonal grid
        painter.drawLine(QPointF(x, height), QPointF(x + height, 0))
        painter.drawLine(QPointF(x, 0), QPointF(x + height, height))
    painter.drawImage(QPointF((width - 96) / 2, 56), _icon(96))
    font = painter.font()
    font.setPixelSize(22)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 166, width, 30), Qt.AlignmentFlag.AlignHCenter, "GridCert")
    font.setPixelSize(12)
    font.setBold(False)
    painter.setFont(font)
    painter.setPen(QColor(255, 255, 255, 210))
    painter.drawText(QRectF(8, 198, width - 16, 40),
                     int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap),
                     "Your grid certificates, in the right places")
    painter.end()
    return image


def main(out_dir: Path) -> None:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, image in (("header.bmp", header()), ("wizard.bmp", wizard())):
        path = out_dir / name
        if not image.convertToFormat(QImage.Format.Format_RGB888).save(str(path), "BMP"):
            raise SystemExit(f"could not write {path}")
        print(path)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
