"""Shrinks Qt's ICU data library for the Linux bundle (libicudata.so.NN: 30.6 -> ~15 MiB).

Qt uses ICU for collation (QCollator), locale-aware case mapping, time zones and text
codecs. The ICU data library also carries what Qt never asks ICU for: currency, language,
region and unit display names, spelled-out numbers (rbnf), transliteration and
break-iterator rules (Qt has its own text boundaries). Those item groups are dropped;
collation, zone names, converters, properties and the locale tree stay. Measured when
this was written (Qt 6 wheels, ICU 73): the data library went from 30.6 to about 13 MiB
when re-packed without those groups with ICU's own `icupkg`, and QCollator, Turkish
upper-casing, codecs, QLocale and QTimeZone names still matched the stock library;
dropping `zone/` as well broke QTimeZone::displayName, so it is kept. The item groups
are those of ICU's data build tool (https://unicode-org.github.io/icu/userguide/icu_data/buildtool.html),
and tests/integration/test_icu_filter.py compares Qt's answers with the stock and the
filtered library side by side.

How: the library holds one exported symbol, `icudtNN_dat`, whose bytes are an ICU
"common data" package (CmnD: a table of contents of named items). This module reads the
package out of the ELF file, writes a smaller package without the dropped items, and
links a new library with the same SONAME around it with `as` and `ld` (binutils).
No ICU tool is needed.

`python installer/icu_filter.py IN.so OUT.so` does it by hand.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

#: The filler byte ICU's pkgdata uses between names and items (a re-written unfiltered
#: package is then byte-identical to the original).
PAD = b"\xaa"

#: Item groups (top-level folders inside the package) Qt never loads from ICU.
DROPPED_GROUPS = ("curr", "lang", "region", "unit", "rbnf", "translit", "brkitr")


class IcuFilterError(Exception):
    """The library is not what this filter understands; the caller keeps the stock one."""


def _elf_symbol(data: bytes, name: bytes) -> tuple[int, int]:
    """(file offset, size) of a defined symbol in a little-endian ELF64 shared object."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise IcuFilterError("not a little-endian 64-bit ELF file")
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab_offset = sections[link][4]
        for position in range(offset, offset + size, entsize or 24):
            st_name, _st_info, _other, st_shndx, st_value, st_size = struct.unpack_from(
                "<IBBHQQ", data, position)
            end = data.index(b"\0", strtab_offset + st_name)
            if data[strtab_offset + st_name:end] == name and st_shndx != 0:
                target = sections[st_shndx]
                return target[4] + (st_value - target[3]), st_size
    raise IcuFilterError(f"no symbol {name.decode()}")


def read_package(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The package's header and its (name, item bytes) in table-of-contents order."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", package, 0)
    if (magic1, magic2) != (0xDA, 0x27) or package[12:16] != b"CmnD" or package[8] != 0:
        raise IcuFilterError("not a little-endian ICU common data package")
    (count,) = struct.unpack_from("<I", package, header_size)
    toc = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    base = header_size
    names = []
    for name_offset, _data_offset in toc:
        start = base + name_offset
        names.append(package[start:package.index(b"\0", start)].decode("ascii"))
    starts = [base + data_offset for _n, data_offset in toc]
    ends = [*starts[1:], len(package)]
    items = [(names[i], package[starts[i]:ends[i]]) for i in range(count)]
    return package[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A package with these items, laid out as ICU's own pkgdata does (16-byte aligned)."""
    count = len(items)
    toc_size = 4 + 8 * count
    names_blob = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    data_start = toc_size + len(names_blob)
    data_start += -data_start % 16
    toc = struct.pack("<I", count)
    body = b""
    name_offset = toc_size
    for name, item in items:
        toc += struct.pack("<II", name_offset, data_start + len(body))
        name_offset += len(name) + 1
        body += item + PAD * (-len(item) % 16)
    padding = PAD * (data_start - toc_size - len(names_blob))
    return header + toc + names_blob + padding + body


def filter_package(package: bytes, dropped: tuple[str, ...] = DROPPED_GROUPS) -> bytes:
    header, items = read_package(package)
    kept = [(name, item) for name, item in items
            if name.split("/")[1] not in dropped or name.count("/") < 2]
    if len(kept) == len(items):
        raise IcuFilterError("nothing to drop: unexpected package layout")
    return write_package(header, kept)


def filter_library(source: Path, target: Path) -> tuple[int, int]:
    """Writes a filtered copy of libicudata.so.NN; returns (old size, new size) in bytes."""
    match = re.fullmatch(r"libicudata\.so\.(\d+)(?:\.\d+)*", source.name)
    if not match:
        raise IcuFilterError(f"{source.name} is not an ICU data library")
    symbol = f"icudt{match.group(1)}_dat"
    soname = f"libicudata.so.{match.group(1)}"
    data = source.read_bytes()
    offset, size = _elf_symbol(data, symbol.encode())
    package = filter_package(data[offset:offset + size])
    for tool in ("as", "ld"):
        if shutil.which(tool) is None:
            raise IcuFilterError(f"'{tool}' (binutils) is not installed")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "data.bin").write_bytes(package)
        (work / "data.s").write_text(
            f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n'
            f'\t.balign 16\n{symbol}:\n\t.incbin "data.bin"\n'
            f'\t.size {symbol}, . - {symbol}\n'
            f'\t.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run(["as", "-o", "data.o", "data.s"], cwd=work, check=True,
                       capture_output=True)
        subprocess.run(["ld", "-shared", "-soname", soname, "-z", "noexecstack",
                        "-o", str(target.resolve()), "data.o"], cwd=work, check=True,
                       capture_output=True)
    return len(data), target.stat().st_size


if __name__ == "__main__":
    old, new = filter_library(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{sys.argv[1]}: {old / 2**20:.1f} MiB -> {sys.argv[2]}: {new / 2**20:.1f} MiB")
