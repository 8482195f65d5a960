"""A stand-in for shell32.dll's ShellExecuteExW as Windows answers it when the person
clicks "No" on the UAC prompt: it returns FALSE with the last error ERROR_CANCELLED
(1223). Used by tests/integration/test_installer_wine.py: Wine has no UAC, so its own
ShellExecuteExW never fails that way.

The uninstaller is a 32-bit NSIS program and this machine's mingw-w64 builds only 64-bit
code, so the DLL is written here byte by byte: a 32-bit PE DLL with no imports and one
export, ShellExecuteExW(SHELLEXECUTEINFOW *), whose code is

    mov dword ptr fs:[0x34], 1223   ; TEB.LastErrorValue = ERROR_CANCELLED (SetLastError)
    xor eax, eax                    ; return FALSE
    ret 4                           ; stdcall, one pointer argument

It changes nothing else and starts nothing.
"""

from __future__ import annotations

import struct
from pathlib import Path

ERROR_CANCELLED = 1223
DLL_NAME = "gcuacno.dll"

_BASE = 0x6A000000
_TEXT_RVA = 0x1000
_FILE_ALIGN = 0x200
_DLLMAIN = b"\xb8\x01\x00\x00\x00\xc2\x0c\x00"  # mov eax, 1; ret 12
_SHELLEXECUTEEXW = (b"\x64\xc7\x05\x34\x00\x00\x00" + struct.pack("<I", ERROR_CANCELLED)
                    + b"\x31\xc0" + b"\xc2\x04\x00")


def dll_bytes() -> bytes:
    text = bytearray(_FILE_ALIGN)
    text[0:len(_DLLMAIN)] = _DLLMAIN
    function_rva = _TEXT_RVA + 0x10
    text[0x10:0x10 + len(_SHELLEXECUTEEXW)] = _SHELLEXECUTEEXW
    # The export directory and its tables.
    export = 0x100
    functions, names, ordinals = export + 40, export + 44, export + 48
    dll_name, function_name = export + 52, export + 52 + 16
    struct.pack_into("<IIHHIIIIIII", text, export, 0, 0, 0, 0, _TEXT_RVA + dll_name, 1, 1, 1,
                     _TEXT_RVA + functions, _TEXT_RVA + names, _TEXT_RVA + ordinals)
    struct.pack_into("<I", text, functions, function_rva)
    struct.pack_into("<I", text, names, _TEXT_RVA + function_name)
    struct.pack_into("<H", text, ordinals, 0)
    text[dll_name:dll_name + len(DLL_NAME) + 1] = DLL_NAME.encode() + b"\0"
    text[function_name:function_name + 16] = b"ShellExecuteExW\0"
    export_size = function_name + 16 - export

    headers = bytearray(_FILE_ALIGN)
    headers[0:2] = b"MZ"
    struct.pack_into("<I", headers, 0x3C, 0x40)
    headers[0x40:0x44] = b"PE\0\0"
    # COFF: i386, one section, PE32 optional header; executable, 32-bit, DLL, no relocations.
    struct.pack_into("<HHIIIHH", headers, 0x44, 0x14C, 1, 0, 0, 0, 0xE0, 0x2103)
    optional = struct.pack(
        "<HBBIIIIIIIIIHHHHHHIIIIHHIIIIII",
        0x10B, 2, 0, _FILE_ALIGN, 0, 0, _TEXT_RVA, _TEXT_RVA, _TEXT_RVA + _FILE_ALIGN,
        _BASE, 0x1000, _FILE_ALIGN, 4, 0, 0, 0, 4, 0, 0, 0x2000, _FILE_ALIGN, 0,
        2, 0, 0x100000, 0x1000, 0x100000, 0x1000, 0, 16)
    directories = struct.pack("<II", _TEXT_RVA + export, export_size) + b"\0" * 8 * 15
    headers[0x58:0x58 + 0xE0] = optional + directories
    section = struct.pack("<8sIIIIIIHHI", b".text", _FILE_ALIGN, _TEXT_RVA, _FILE_ALIGN,
                          _FILE_ALIGN, 0, 0, 0, 0, 0x60000020)
    headers[0x138:0x138 + 40] = section
    return bytes(headers + text)


def write_dll(path: Path) -> Path:
    path.write_bytes(dll_bytes())
    return path
