"""Chrome, Chromium and Edge on Linux: the user's shared NSS database.

Since M146 Chromium keeps it in `~/.local/share/pki/nssdb` (XDG data folder); older
versions used `~/.pki/nssdb`, which newer ones still read when it is the one that
exists. When neither exists yet, GridCert creates the new one, which Chrome, Edge
and Chromium then use. The snap Chromium has its own database under `~/snap`.
On Windows and macOS these browsers use the OS store, so there is no target there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from app.stores.nss import NssStore

LABEL = "Chrome and Edge"


def _has_db(folder: Path) -> bool:
    return (folder / "cert9.db").exists() or (folder / "cert8.db").exists()


def chromium_db_dir(home: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The NSS folder Chrome/Edge use for this user (it may not exist yet)."""
    env = os.environ if env is None else env
    home = home or Path(env.get("HOME") or Path.home())
    data = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else home / ".local" / "share"
    modern = data / "pki" / "nssdb"
    legacy = home / ".pki" / "nssdb"
    if _has_db(modern) or not _has_db(legacy):
        return modern
    return legacy


class ChromiumStore(NssStore):
    """The Chrome/Edge/Chromium NSS database; created on first use."""

    def __init__(self, directory: str | os.PathLike[str] | None = None,
                 label: str = LABEL) -> None:
        super().__init__(directory or chromium_db_dir(), label, create=True)

    def notes(self) -> list[str]:
        # Chrome reads the database while it runs (SQLite allows both), but it may keep
        # what it read at start until it is restarted.
        return ["Restart Chrome or Edge afterwards if it is open."]


def discover_chromium(home: Path | None = None,
                      env: Mapping[str, str] | None = None) -> list[ChromiumStore]:
    """The shared database, plus the snap Chromium's when that is installed."""
    env = os.environ if env is None else env
    home = home or Path(env.get("HOME") or Path.home())
    stores = [ChromiumStore(chromium_db_dir(home, env))]
    snap = home / "snap" / "chromium" / "current" / ".pki" / "nssdb"
    if _has_db(snap):
        stores.append(ChromiumStore(snap, "Chromium (snap)"))
    return stores
