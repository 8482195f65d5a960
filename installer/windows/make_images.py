"""Draws the Windows installer's own bitmaps from GridCert's icon (issue 11, item 12).

Run `python installer/windows/make_images.py [OUT_DIR]` (default: this folder); the
outputs are committed beside it (not in resources/, which every bundle ships), like the
icons from `installer/make_icons.py`.

- `header.bmp` (150 x 57): the strip at the top of every inner page (MUI_HEADERIMAGE).
- `wizard.bmp` (164 x 314): the side picture of the welcome and finish pages.

Both are 24-bit BMPs without alpha, the format NSIS's Modern UI loads.
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


def _icon(size: int) -> QImage:
    available = sorted(int(p.stem.split("-")[1]) for p in ICON_DIR.glob("gridcert-*.png"))
    best = next((s for s in available if s >= size), available[-1])
    image = QImage(str(ICON_DIR / f"gridcert-{best}.png"))
    if best != size:
        image = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image


def header() -> QImage:
    image = QImage(150, 57, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.drawImage(QPointF(150 - 48 - 6, (57 - 48) / 2), _icon(48))
    painter.end()
    return image


def wizard() -> QImage:
    image = QImage(164, 314, QImage.Format.Format_RGB32)
    gradient = QLinearGradient(0, 0, 0, 314)
    gradient.setColorAt(0.0, QColor("#0b3d91"))
    gradient.setColorAt(1.0, QColor("#1b6fd1"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(QRectF(0, 0, 164, 314), gradient)
    painter.drawImage(QPointF((164 - 96) / 2, 48), _icon(96))
    font = painter.font()
    font.setPixelSize(20)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 160, 164, 30), Qt.AlignmentFlag.AlignHCenter, "GridCert")
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
