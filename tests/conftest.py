"""Suite-wide set-up: offscreen Qt, an isolated HOME and data folder for every test."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
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
    yield home
    # GridCert's private scratch folder lives in /dev/shm on Linux, one per data folder:
    # do not leave one behind per test.
    from app.stores._scratch import scratch_root

    with contextlib.suppress(OSError):
        root = scratch_root()
        if not root.is_relative_to(home):
            shutil.rmtree(root, ignore_errors=True)
