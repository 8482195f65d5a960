"""One GridCert at a time changes certificates: a file lock per data folder.

`apply_plan`, `undo_last` and `recover_interrupted` hold this lock for their whole run, so
an uncommitted journal found by whoever holds the lock was left by a process that died
(a live writer would still hold the lock). A second GridCert waits a little, then says so.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from app.core.errors import DataFolderError, StoreLockedError
from app.core.paths import data_dir
from app.stores._tools import held_by_tools, try_lock_file, unlock_file

LOCK_NAME = "gridcert.lock"
BUSY_SENTENCE = "Another GridCert is changing certificates; try again when it has finished."
#: Seconds a second GridCert waits for the first one; GRIDCERT_LOCK_TIMEOUT overrides it.
DEFAULT_WAIT = 15.0


def lock_path() -> Path:
    return data_dir() / LOCK_NAME


def _wait_seconds(wait: float | None) -> float:
    if wait is not None:
        return max(0.0, wait)
    raw = os.environ.get("GRIDCERT_LOCK_TIMEOUT")
    if raw:
        with contextlib.suppress(ValueError):
            return max(0.0, float(raw))
    return DEFAULT_WAIT


def _try_lock(handle: IO[bytes]) -> bool:
    # flock on POSIX, msvcrt.locking on Windows: both end with the process (see _tools).
    return try_lock_file(handle.fileno())


def _unlock(handle: IO[bytes]) -> None:
    unlock_file(handle.fileno())


@contextlib.contextmanager
def changes_lock(wait: float | None = None) -> Iterator[None]:
    """Hold the data folder's lock; waits up to `wait` seconds, then `StoreLockedError`.

    The lock is released by the OS when the process dies, so a crash never leaves a
    stale lock behind (unlike a lock *file* whose mere existence is the lock).
    """
    path = lock_path()
    try:
        handle = open(path, "a+b")  # noqa: SIM115 - held for the life of the context
    except OSError as error:
        raise DataFolderError.about(path.parent, error) from error
    try:
        deadline = time.monotonic() + _wait_seconds(wait)
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise StoreLockedError(BUSY_SENTENCE)
            time.sleep(0.1)
        try:
            with contextlib.suppress(OSError):  # the pid is a courtesy; a full disk is not
                handle.seek(0)                 # a reason to refuse the lock
                handle.truncate()
                handle.write(f"{os.getpid()}\n".encode())
                handle.flush()
            # Store tools inherit the locked file: a tool still running after this
            # process was killed keeps the lock until it has ended too.
            with held_by_tools(handle.fileno()):
                yield
        finally:
            _unlock(handle)
    finally:
        handle.close()
