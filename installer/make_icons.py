"""Draws GridCert's application icon and writes it in every size the three OSes use.

Run `python installer/make_icons.py [OUT_DIR]` (default `resources/icons/app/`); the
outputs are committed so that builds do not depend on a display or on this script.

The motif is a shield (trust) carrying a lightning bolt (the grid). Each size is painted
directly at its own pixel size rather than scaled down from a large image, with the
outline widths rounded to whole pixels, so that the 16 px icon stays crisp.

Containers are written here, not by Qt: `.ico` (Windows; 32-bit DIB entries up to 48 px
because some consumers — NSIS among them — read only DIB, PNG entries from 64 px) and
`.icns` (macOS; PNG entries, the format macOS 10.7+ reads for every slot).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

PNG_SIZES = (16, 20, 22, 24, 32, 40, 48, 64, 96, 128, 256, 512, 1024)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)
ICO_PNG_FROM = 64  # entries this large or larger are stored as PNG inside the .ico
# ICNS slot type -> pixel size (the @2x slots reuse the larger images).
ICNS_TYPES = (
    (b"icp4", 16), (b"ic11", 32), (b"icp5", 32), (b"ic12", 64), (b"icp6", 64),
    (b"ic07", 128), (b"ic13", 256), (b"ic08", 256), (b"ic14", 512), (b"ic09", 512),
    (b"ic10", 1024),
)

BLUE_TOP = QColor("#2f6db5")
BLUE_BOTTOM = QColor("#173f73")
EDGE = QColor("#0f2c52")
BOLT = QColor("#ffc928")
BOLT_EDGE = QColor("#8a5a00")


def _shield(size: float, inset: float) -> QPainterPath:
    """A heater shield filling a `size` square, pulled in by `inset` pixels."""
    s = size
    left, right = s * 0.12 + inset, s * 0.88 - inset
    top, bottom = s * 0.06 + inset, s * 0.96 - inset
    mid = s / 2
    path = QPainterPath()
    path.moveTo(mid, top)
    # The top edge dips slightly at the centre like a classic shield.
    path.cubicTo(mid + s * 0.12, top + s * 0.06,
                 right - s * 0.06, top + s * 0.07, right, top + s * 0.05)
    path.lineTo(right, s * 0.48)
    path.cubicTo(right, s * 0.72, mid + s * 0.18, s * 0.86, mid, bottom)
    path.cubicTo(mid - s * 0.18, s * 0.86, left, s * 0.72, left, s * 0.48)
    path.lineTo(left, top + s * 0.05)
    path.cubicTo(left + s * 0.06, top + s * 0.07, mid - s * 0.12, top + s * 0.06, mid, top)
    path.closeSubpath()
    return path


def _bolt(size: float) -> QPainterPath:
    """A lightning bolt centred on the shield; wide enough to read at 16 px."""
    s = size
    points = [
        (0.58, 0.16), (0.30, 0.55), (0.47, 0.55), (0.40, 0.86),
        (0.71, 0.43), (0.53, 0.43), (0.62, 0.16),
    ]
    path = QPainterPath()
    path.moveTo(QPointF(points[0][0] * s, points[0][1] * s))
    for x, y in points[1:]:
        path.lineTo(QPointF(x * s, y * s))
    path.closeSubpath()
    return path


def render(size: int) -> QImage:
    """The icon at `size` x `size` pixels, ARGB with a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    edge_width = max(1.0, round(size / 24))
    gradient = QLinearGradient(0, 0, 0, size)
    gradient.setColorAt(0, BLUE_TOP)
    gradient.setColorAt(1, BLUE_BOTTOM)
    painter.setPen(QPen(EDGE, edge_width))
    painter.setBrush(QBrush(gradient))
    painter.drawPath(_shield(size, edge_width / 2))
    if size >= 48:
        # A thin light rim inside the edge gives depth at large sizes only; at small
        # sizes it would blur the outline.
        painter.setPen(QPen(QColor(255, 255, 255, 70), max(1.0, size / 64)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(_shield(size, edge_width * 1.8))
    painter.setPen(QPen(BOLT_EDGE, max(0.0, size / 96)) if size >= 32 else Qt.PenStyle.NoPen)
    painter.setBrush(BOLT)
    painter.drawPath(_bolt(size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    """The image encoded as PNG (Qt's built-in writer)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """A 32-bit BMP-in-ICO entry: BITMAPINFOHEADER, BGRA rows bottom-up, then an AND mask."""
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)
    width, height = argb.width(), argb.height()
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    mask_rows = []
    mask_stride = ((width + 31) // 32) * 4
    for y in range(height - 1, -1, -1):
        # Format_ARGB32 is stored as native 32-bit ints: on little-endian that is B,G,R,A.
        line = bytes(argb.constScanLine(y))[: width * 4]  # type: ignore[call-overload]
        if sys.byteorder != "little":
            line = b"".join(line[i : i + 4][::-1] for i in range(0, len(line), 4))
        rows.append(line)
        bits = bytearray(mask_stride)
        for x in range(width):
            if line[x * 4 + 3] == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask_rows.append(bytes(bits))
    return header + b"".join(rows) + b"".join(mask_rows)


def ico_bytes(images: dict[int, QImage]) -> bytes:
    """A multi-size Windows .ico container."""
    entries = []
    for size in sorted(images):
        image = images[size]
        data = png_bytes(image) if size >= ICO_PNG_FROM else dib_bytes(image)
        entries.append((size, data))
    offset = 6 + 16 * len(entries)
    directory = struct.pack("<HHH", 0, 1, len(entries))
    blobs = b""
    for size, data in entries:
        byte_size = 0 if size >= 256 else size  # 0 means 256 in the ICONDIRENTRY
        directory += struct.pack("<BBBBHHII", byte_size, byte_size, 0, 0, 1, 32, len(data),
                                 offset + len(blobs))
        blobs += data
    return directory + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns container of PNG entries."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = pngs[size]
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_all(out_dir: Path) -> list[Path]:
    """Writes gridcert-<N>.png for every size, gridcert.png (256), .ico and .icns."""
    out_dir.mkdir(parents=True, exist_ok=True)
    images = {size: render(size) for size in sorted(set(PNG_SIZES) | set(ICO_SIZES))}
    pngs = {size: png_bytes(image) for size, image in images.items()}
    written = []
    for size in PNG_SIZES:
        path = out_dir / f"gridcert-{size}.png"
        path.write_bytes(pngs[size])
        written.append(path)
    (out_dir / "gridcert.png").write_bytes(pngs[256])
    (out_dir / "gridcert.ico").write_bytes(ico_bytes({s: images[s] for s in ICO_SIZES}))
    (out_dir / "gridcert.icns").write_bytes(icns_bytes(pngs))
    written += [out_dir / "gridcert.png", out_dir / "gridcert.ico", out_dir / "gridcert.icns"]
    return written


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    out_dir = Path(argv[0]) if argv else root / "resources" / "icons" / "app"
    _app = QGuiApplication.instance() or QGuiApplication([])
    for path in write_all(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
