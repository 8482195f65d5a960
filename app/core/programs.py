"""The names of GridCert's executables in the built bundle, per operating system.

The one place these names are defined: `installer/gridcert.spec` builds them,
`installer/build.sh` and the NSIS script install them (build.sh reads them from here with
`python -m app.core.programs`), and `app/` launches them (the UAC hand-over, the daily
reminder). A test checks that every program `app/` starts is one of these.

Why two names on Windows: `GridCert.exe` (windowed, the wizard) and `gridcert.exe`
(console) cannot share a folder on a case-insensitive file system, so the console program
is `gridcert.com`; cmd and PowerShell try `.com` before `.exe`, so typing `gridcert` runs
it. PyInstaller always writes `.exe`, so it is built as `gridcert-console.exe` and
renamed. On macOS the same clash inside `GridCert.app/Contents/MacOS` makes it
`gridcert-cli` (linked as `gridcert` by the installer).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Programs:
    """File names (inside the bundle folder) of the two executables on one OS."""

    gui: str  # the windowed wizard
    cli: str  # the console command line
    cli_build: str  # the name PyInstaller builds the CLI under (build.sh renames it to `cli`)


_WINDOWS = Programs(gui="GridCert.exe", cli="gridcert.com", cli_build="gridcert-console.exe")
_MACOS = Programs(gui="GridCert", cli="gridcert-cli", cli_build="gridcert-cli")
_LINUX = Programs(gui="GridCert", cli="gridcert", cli_build="gridcert")


def programs_for(platform: str | None = None) -> Programs:
    """The executable names for `platform` (a `sys.platform` value; this OS by default)."""
    name = sys.platform if platform is None else platform
    if name == "win32":
        return _WINDOWS
    if name == "darwin":
        return _MACOS
    return _LINUX


def stem(file_name: str) -> str:
    """`file_name` without a Windows `.exe`/`.com` suffix (what PyInstaller's `name=` takes)."""
    for suffix in (".exe", ".com"):
        if file_name.lower().endswith(suffix):
            return file_name[: -len(suffix)]
    return file_name


if __name__ == "__main__":  # pragma: no cover - used by installer/build.sh
    # `python -m app.core.programs [PLATFORM]` prints GUI, CLI and CLI_BUILD, one a line.
    chosen = programs_for(sys.argv[1] if len(sys.argv) > 1 else None)
    print(chosen.gui, chosen.cli, chosen.cli_build, sep="\n")
