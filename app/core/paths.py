"""Where GridCert keeps its own files, and where its bundled resources are.

`GRIDCERT_DATA_DIR` overrides the data folder (journal, backups, pending requests) so
tests and admins can point it elsewhere. Resources are found the same way from source
and from a PyInstaller bundle (`sys._MEIPASS`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "GridCert"


def data_dir() -> Path:
    """The folder for the journal, backups and pending requests (created on demand)."""
    override = os.environ.get("GRIDCERT_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        from app.core.errors import DataFolderError

        raise DataFolderError.about(path, error) from error
    return path


def log_dir() -> Path:
    """The folder of GridCert's rotating log (inside the data dir when that is overridden)."""
    override = os.environ.get("GRIDCERT_DATA_DIR")
    path = Path(override) / "logs" if override else Path(platformdirs.user_log_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The `resources/` folder, from a source checkout or from a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A file under `resources/` (catalog, icons, style, translations)."""
    return resources_dir().joinpath(*parts)
