"""The application icon: the committed files are complete and well-formed, and the
.ico/.icns containers that installer/make_icons.py writes decode back to the right images."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons" / "app"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _make_icons() -> ModuleType:
    path = ROOT / "installer" / "make_icons.py"
    spec = importlib.util.spec_from_file_location("make_icons", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_ico(data: bytes) -> list[tuple[int, bytes]]:
    """(size, image bytes) of each ICONDIRENTRY; checks the directory as Windows reads it."""
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)
    entries = []
    for index in range(count):
        width, height, colours, _r, planes, bpp, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        assert width == height and colours == 0 and planes == 1 and bpp == 32
        assert offset + length <= len(data)
        entries.append((width or 256, data[offset : offset + length]))
    return entries


def parse_icns(data: bytes) -> dict[bytes, bytes]:
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    entries, position = {}, 8
    while position < len(data):
        kind = data[position : position + 4]
        (length,) = struct.unpack(">I", data[position + 4 : position + 8])
        assert length > 8 and position + length <= len(data)
        entries[kind] = data[position + 8 : position + length]
        position += length
    return entries


def decoded_size(image_bytes: bytes, size: int) -> QImage:
    """A DIB entry is decoded by hand (Qt cannot read a bare DIB); PNG by Qt."""
    if image_bytes.startswith(PNG_MAGIC):
        image = QImage.fromData(image_bytes, "PNG")
        assert not image.isNull()
        return image
    header_size, width, height, _planes, bpp = struct.unpack_from("<IiiHH", image_bytes, 0)
    assert (header_size, width, height, bpp) == (40, size, 2 * size, 32)
    mask_stride = ((size + 31) // 32) * 4
    assert len(image_bytes) == 40 + size * size * 4 + size * mask_stride
    image = QImage(image_bytes[40 : 40 + size * size * 4], size, size, QImage.Format.Format_ARGB32)
    return image.flipped(Qt.Orientation.Vertical)  # DIB rows run bottom-up


def test_committed_icon_set_is_complete() -> None:
    make_icons = _make_icons()
    for size in make_icons.PNG_SIZES:
        image = QImage(str(ICONS / f"gridcert-{size}.png"))
        assert (image.width(), image.height()) == (size, size), size
        assert image.hasAlphaChannel()
    ico = parse_ico((ICONS / "gridcert.ico").read_bytes())
    assert sorted(size for size, _ in ico) == sorted(make_icons.ICO_SIZES)
    icns = parse_icns((ICONS / "gridcert.icns").read_bytes())
    assert set(icns) == {kind for kind, _ in make_icons.ICNS_TYPES}


def test_containers_round_trip(tmp_path: Path, qapp: object) -> None:
    make_icons = _make_icons()
    make_icons.write_all(tmp_path)
    ico = parse_ico((tmp_path / "gridcert.ico").read_bytes())
    for size, blob in ico:
        # Small sizes are DIB (what NSIS and old shells read), large ones PNG.
        assert blob.startswith(PNG_MAGIC) == (size >= make_icons.ICO_PNG_FROM)
        image = decoded_size(blob, size)
        assert (image.width(), image.height()) == (size, size)
        reference = QImage(str(tmp_path / f"gridcert-{size}.png")) if size in make_icons.PNG_SIZES \
            else make_icons.render(size)
        reference = reference.convertToFormat(QImage.Format.Format_ARGB32)
        # The centre pixel (inside the shield) survives the container unchanged.
        assert image.pixel(size // 2, size // 2) == reference.pixel(size // 2, size // 2)
        # Corners are transparent: the shield does not fill the square.
        assert image.pixelColor(0, 0).alpha() == 0
    icns = parse_icns((tmp_path / "gridcert.icns").read_bytes())
    for kind, size in make_icons.ICNS_TYPES:
        image = QImage.fromData(icns[kind], "PNG")
        assert (image.width(), image.height()) == (size, size), kind


@pytest.mark.parametrize("size", [16, 32, 256])
def test_icon_is_legible_at_small_sizes(size: int, qapp: object) -> None:
    """Shield, bolt and background are all there: three distinct colours, bolt in the middle."""
    image = _make_icons().render(size).convertToFormat(QImage.Format.Format_ARGB32)
    centre = image.pixelColor(size // 2, size // 2)
    assert centre.alpha() == 255
    assert centre.red() > 200 and centre.green() > 150 and centre.blue() < 120  # the yellow bolt
    shield = image.pixelColor(int(size * 0.22) + 1, int(size * 0.3))  # left of the bolt
    assert shield.blue() > shield.red() and shield.alpha() == 255  # the blue shield
