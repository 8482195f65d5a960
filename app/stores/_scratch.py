"""GridCert's one private folder for temporary key material.

A one-time PKCS#12 for pk12util or keytool, the 0600 files holding the passwords that
open them, and the memory copy of an NSS database (its key4.db holds private keys) all
live in one folder of GridCert's own, mode 0700: on Linux in /dev/shm (a tmpfs, so a key
never reaches a disk, and the NSS batch runs at memory speed), elsewhere in the data
folder. Each use has a sub-folder named after the process that made it, removed in
`finally`; what a crash left (kill -9 gives no `finally`) is removed by `sweep`, which
the next GridCert's recovery runs: any sub-folder whose process is gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from app.core.paths import data_dir

_MEMORY = "/dev/shm"


def scratch_root() -> Path:
    """The private folder (created 0700 on first use; one per data folder)."""
    data = data_dir()
    if sys.platform == "linux" and os.path.isdir(_MEMORY) and os.access(_MEMORY, os.W_OK):
        # One per data folder, so that two GridCert set-ups (or tests) never sweep each
        # other's; the name says whose it is without saying where that folder is.
        tag = hashlib.sha256(str(data.resolve()).encode()).hexdigest()[:16]
        root = Path(_MEMORY) / f"gridcert-{os.getuid()}-{tag}"
        if _private(root):
            return root
    root = data / "scratch"
    if not _private(root):
        raise OSError(f"GridCert's private folder {root} is not private; remove it.")
    return root


def _private(folder: Path) -> bool:
    """Make `folder` (0700), or check that the one there is ours, private, not a link."""
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        return _checked(folder)
    except OSError:
        return False
    if _checked(folder):
        return True
    with contextlib.suppress(OSError):  # made here but unusable: leave nothing behind
        folder.rmdir()
    return False


def _checked(folder: Path) -> bool:
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if sys.platform == "win32":
        return True  # the data folder's ACL is the user's own
    if info.st_uid != os.getuid():
        return False
    if info.st_mode & 0o077:
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)
        return not (folder.lstat().st_mode & 0o077)
    return True


@contextlib.contextmanager
def private_dir(purpose: str) -> Iterator[Path]:
    """A new 0700 sub-folder of the scratch root for one use, removed afterwards."""
    name = f"{os.getpid()}-{purpose}-{secrets.token_hex(6)}"
    for _attempt in range(3):
        root = scratch_root()
        folder = root / name
        try:
            folder.mkdir(mode=0o700)
            break
        except FileNotFoundError:
            continue  # another GridCert removed the emptied root just now: make it again
    else:
        folder.mkdir(mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        # An empty root goes too: /dev/shm keeps no folder per data folder ever used.
        with contextlib.suppress(OSError):
            root.rmdir()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        from app.stores._win32_job import process_alive

        return process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether it exists (POSIX)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep() -> int:
    """Remove what processes that are gone left in the scratch root; how many folders."""
    try:
        root = scratch_root()
    except OSError:
        return 0
    removed = 0
    for entry in root.iterdir():
        head = entry.name.split("-", 1)[0]
        if not head.isdigit() or _alive(int(head)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
        removed += 1
    with contextlib.suppress(OSError):  # nothing left in it: no folder stays in /dev/shm
        root.rmdir()
    return removed
