"""Writing the files a person asked for (an export, a CSR) without ever losing one.

A new file is written whole into a private temporary file in the same folder (created
O_EXCL with mode 0600 by `tempfile.mkstemp`, so nothing else can open it half-written or
swap it for a link), flushed, given its final mode, and only then published under its
name. Publishing never replaces what is there unless the caller says so: a hard link
fails atomically when the name exists (the same guarantee as O_EXCL, but for a complete
file), so an existing file is refused even when it appears between the caller's check
and the write. `refuse_existing` is the early check the commands make before doing
anything at all (no key generated, nothing installed, no password asked).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from app.core.errors import BadInputError


def exists_sentence(path: str | os.PathLike[str]) -> str:
    """The one sentence for a name that is taken (nothing was changed)."""
    return f"{os.fspath(path)} already exists; choose another name or move it away first."


def refuse_existing(path: str | os.PathLike[str]) -> None:
    """`BadInputError` (exit 3) when `path` exists, as a file, folder or (dangling) link."""
    if os.path.lexists(path):
        raise BadInputError(exists_sentence(path))


def _publish_new(temp: str, path: Path) -> None:
    """Give the complete `temp` the name `path`; FileExistsError when the name is taken."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (FAT, some network shares). Windows' rename already refuses
        # an existing name; elsewhere a last check narrows the window as far as possible.
        if os.name != "nt" and os.path.lexists(path):
            raise FileExistsError(path) from None
        os.rename(temp, path)
        return
    os.unlink(temp)


def write_file(
    path: str | os.PathLike[str], data: bytes, *, mode: int = 0o600, replace: bool = False
) -> None:
    """Write `data` to `path` atomically with `mode` (0600 for anything holding a key).

    `replace=False` (default): an existing `path` is never touched — `BadInputError` with
    the "already exists" sentence. `replace=True`: it is replaced in one rename (for a
    destination the person already agreed to overwrite, e.g. in a Save dialog).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise BadInputError(f"The folder {folder} does not exist; choose where to save the file.")
    if not replace:
        refuse_existing(target)
    try:
        fd, temp = tempfile.mkstemp(prefix=".gridcert-", suffix=".part", dir=folder)
    except OSError as error:
        raise BadInputError(f"{target} could not be written: {error.strerror or error}.") from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if replace:
            os.replace(temp, target)
        else:
            _publish_new(temp, target)
    except FileExistsError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise BadInputError(exists_sentence(target)) from None
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise BadInputError(f"{target} could not be written: {error.strerror or error}.") from error
