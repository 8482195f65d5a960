"""installer/icu_filter.py: the smaller ICU data library answers Qt exactly like the stock one.

Qt is run twice in child processes, once with PySide6's own libicudata and once with the
filtered one preloaded (LD_PRELOAD wins over the wheel's RUNPATH), and asked what it uses
ICU for: collation in several languages, locale-aware case mapping, time-zone names and
offsets, codec names. The answers must be identical. A control run with collation and
zone data dropped too proves that the comparison notices missing data.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers import require_tool

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the ICU filter applies to the Linux bundle only")

PROBE = r'''
import functools, json
from PySide6.QtCore import (QCollator, QCoreApplication, QDateTime, QLocale,
                            QStringDecoder, QTimeZone)
app = QCoreApplication([])
out = {}
words = ["Äpfel", "apfel", "Zebra", "Österreich", "ostern", "ıspanak", "İstanbul",
         "istanbul", "Ångström", "zoo", "çay", "cay", "日本", "中国", "한국", "éclair",
         "eclair", "Ærø", "ss", "ß"]
for loc in ["de_DE", "sv_SE", "tr_TR", "ja_JP", "zh_CN", "en_US", "fr_FR", "da_DK"]:
    collator = QCollator(QLocale(loc))
    out["collate " + loc] = sorted(words, key=functools.cmp_to_key(collator.compare))
for loc, text in [("tr_TR", "istanbul ıi"), ("de_DE", "straße"), ("el_GR", "ΌΣΟΣ")]:
    out["upper " + loc] = QLocale(loc).toUpper(text)
    out["lower " + loc] = QLocale(loc).toLower(text)
when = QDateTime.fromString("2026-07-01T12:00:00Z", "yyyy-MM-ddTHH:mm:ssZ")
for zone in ["America/Chicago", "America/Los_Angeles", "Europe/Berlin", "Asia/Tokyo"]:
    tz = QTimeZone(zone.encode())
    out["offset " + zone] = tz.offsetFromUtc(when)
    for loc in ["en_US", "de_DE", "es_MX", "ja_JP"]:
        for kind in (QTimeZone.TimeType.StandardTime, QTimeZone.TimeType.DaylightTime):
            for name in (QTimeZone.NameType.LongName, QTimeZone.NameType.ShortName):
                out[f"zone {zone} {loc} {kind.name} {name.name}"] = tz.displayName(
                    kind, name, QLocale(loc))
out["zones"] = len(QTimeZone.availableTimeZoneIds())
out["codecs"] = sorted(QStringDecoder.availableCodecs())
for name in ["Shift_JIS", "GB18030", "EUC-KR", "Big5", "windows-1252", "KOI8-R"]:
    out["codec " + name] = QStringDecoder(name).isValid()
with open("/proc/self/maps") as maps:
    out["_library"] = sorted({line.split()[-1] for line in maps if "libicudata" in line})
print(json.dumps(out, ensure_ascii=False))
'''


def _icu_filter() -> ModuleType:
    path = ROOT / "installer" / "icu_filter.py"
    spec = importlib.util.spec_from_file_location("icu_filter", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stock_library() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 build has no bundled ICU data library")
    return found[0]


def _ask_qt(preload: Path | None) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("LD_PRELOAD", None)
    if preload is not None:
        env["LD_PRELOAD"] = str(preload)
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    answers: dict[str, object] = json.loads(result.stdout)
    return answers


def test_package_round_trip_is_byte_identical() -> None:
    icu_filter = _icu_filter()
    data = _stock_library().read_bytes()
    offset, size = icu_filter._elf_symbol(data, b"icudt" + _stock_library().name.split(".")[-1]
                                          .encode() + b"_dat")
    package = data[offset:offset + size]
    header, items = icu_filter.read_package(package)
    assert len(items) > 1000
    assert icu_filter.write_package(header, items) == package
    groups = {name.split("/")[1] for name, _ in items if name.count("/") >= 2}
    assert set(icu_filter.DROPPED_GROUPS) <= groups
    assert {"coll", "zone"} <= groups


@pytest.mark.slow
def test_filtered_library_gives_qt_the_same_answers(tmp_path: Path) -> None:
    require_tool("as", "binutils")
    require_tool("ld", "binutils")
    icu_filter = _icu_filter()
    stock = _stock_library()
    filtered = tmp_path / stock.name
    old, new = icu_filter.filter_library(stock, filtered)
    assert new < old * 0.6  # the point of it: about half the size

    with_stock = _ask_qt(None)
    with_filtered = _ask_qt(filtered)
    assert with_stock.pop("_library") == [str(stock)]
    assert with_filtered.pop("_library") == [str(filtered)]
    assert with_filtered == with_stock
    assert with_stock["upper tr_TR"] == "İSTANBUL Iİ"  # ICU's Turkish casing is really in use


@pytest.mark.slow
def test_the_comparison_notices_missing_data(tmp_path: Path) -> None:
    """Control: with collation and zone names dropped as well, Qt's answers change."""
    require_tool("as", "binutils")
    require_tool("ld", "binutils")
    icu_filter = _icu_filter()
    stock = _stock_library()
    data = stock.read_bytes()
    symbol = b"icudt" + stock.name.split(".")[-1].encode() + b"_dat"
    offset, size = icu_filter._elf_symbol(data, symbol)
    crippled = icu_filter.filter_package(data[offset:offset + size],
                                         (*icu_filter.DROPPED_GROUPS, "coll", "zone"))
    assert len(crippled) < size
    broken = tmp_path / "broken" / stock.name
    broken.parent.mkdir()
    original = icu_filter.filter_package
    icu_filter.filter_package = lambda package: original(
        package, (*icu_filter.DROPPED_GROUPS, "coll", "zone"))
    icu_filter.filter_library(stock, broken)
    with_stock = _ask_qt(None)
    with_broken = _ask_qt(broken)
    differing = [key for key in with_stock if key != "_library"
                 and with_stock[key] != with_broken.get(key)]
    assert any(key.startswith("collate") for key in differing)
    assert any(key.startswith("zone") for key in differing)
