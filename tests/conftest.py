"""Suite-wide set-up: offscreen Qt, an isolated HOME and data folder for every test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test gets its own HOME, XDG folders and GRIDCERT_DATA_DIR: nothing real is touched."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("GRIDCERT_DATA_DIR", str(home / "gridcert-data"))
    monkeypatch.setenv("GRIDCERT_LINUX_ROOT", str(home / "linux-root"))
    # A backup passphrase typed in one test must not be remembered into the next one.
    from app.actions.backup import forget_session_passphrase

    forget_session_passphrase()
    return home
