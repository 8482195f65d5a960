"""`app.actions.files.write_file`: atomic, mode set from the first byte, and an existing file
is never replaced unless asked — even one that appears after the early check."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from app.actions import files
from app.actions.files import refuse_existing, write_file
from app.core.errors import BadInputError

KEEP = b"keep me\n"


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_new_file_has_the_mode_and_no_leftovers(tmp_path: Path) -> None:
    write_file(tmp_path / "key.pfx", b"secret blob")
    write_file(tmp_path / "req.csr", b"public", mode=0o644)
    assert (tmp_path / "key.pfx").read_bytes() == b"secret blob"
    assert stat.S_IMODE((tmp_path / "key.pfx").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "req.csr").stat().st_mode) == 0o644
    assert _names(tmp_path) == ["key.pfx", "req.csr"]


def test_existing_file_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "jane.pfx"
    path.write_bytes(KEEP)
    with pytest.raises(BadInputError) as caught:
        write_file(path, b"new")
    assert str(caught.value) == (
        f"{path} already exists; choose another name or move it away first."
    )
    assert path.read_bytes() == KEEP and _names(tmp_path) == ["jane.pfx"]


def test_a_file_appearing_after_the_check_is_still_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The early check passed, then someone created the file: publishing must still refuse
    (the hard link fails atomically; os.replace would have clobbered it)."""
    path = tmp_path / "late.pfx"
    real_mkstemp = tempfile.mkstemp

    def mkstemp_then_race(prefix: str, suffix: str, dir: Path) -> tuple[int, str]:
        result = real_mkstemp(prefix=prefix, suffix=suffix, dir=dir)
        path.write_bytes(KEEP)  # another program wins the name meanwhile
        return result

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_then_race)
    with pytest.raises(BadInputError, match="already exists"):
        write_file(path, b"new")
    assert path.read_bytes() == KEEP and _names(tmp_path) == ["late.pfx"]


def test_without_hard_links_an_existing_file_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(_src: str, _dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    write_file(tmp_path / "new.pfx", b"blob")
    assert (tmp_path / "new.pfx").read_bytes() == b"blob"
    assert stat.S_IMODE((tmp_path / "new.pfx").stat().st_mode) == 0o600
    monkeypatch.setattr(files, "refuse_existing", lambda _path: None)
    with pytest.raises(BadInputError, match="already exists"):
        write_file(tmp_path / "new.pfx", b"other")
    assert (tmp_path / "new.pfx").read_bytes() == b"blob" and _names(tmp_path) == ["new.pfx"]


def test_replace_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "agreed.pfx"
    path.write_bytes(KEEP)
    write_file(path, b"new", replace=True)
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _names(tmp_path) == ["agreed.pfx"]


def test_refuse_existing_counts_folders_and_dangling_links(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling")
    for name in ("folder", "dangling"):
        with pytest.raises(BadInputError, match="already exists"):
            refuse_existing(tmp_path / name)
    refuse_existing(tmp_path / "free.pfx")  # no error for a free name
    assert not (tmp_path / "nowhere").exists()


def test_missing_folder_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="does not exist; choose where to save"):
        write_file(tmp_path / "no" / "x.pfx", b"x")
