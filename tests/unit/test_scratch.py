"""GridCert's private folder for temporary key material: private, and swept after a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.stores import _scratch


def test_private_dir_is_0700_inside_the_root_and_removed_after() -> None:
    with _scratch.private_dir("p12") as folder:
        assert folder.parent == _scratch.scratch_root()
        if sys.platform != "win32":
            assert folder.stat().st_mode & 0o777 == 0o700
            assert folder.parent.stat().st_mode & 0o777 == 0o700
        (folder / "identity.p12").write_bytes(b"key material")
    assert not folder.exists()


def test_sweep_removes_what_dead_processes_left_and_keeps_live_ones() -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    root = _scratch.scratch_root()
    left = root / f"{dead.stdout.strip()}-p12-abc"
    left.mkdir()
    (left / "identity.p12").write_bytes(b"key")
    mine = root / f"{os.getpid()}-p12-def"
    mine.mkdir()
    try:
        assert _scratch.sweep() == 1
        assert not left.exists() and mine.exists()
    finally:
        mine.rmdir()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX ownership")
def test_a_root_that_is_not_private_is_not_used(tmp_path: Path) -> None:
    link = tmp_path / "elsewhere"
    link.symlink_to(tmp_path)
    assert not _scratch._private(link)
