"""Locks on the stores themselves, held for a whole transaction (apply, rollback, undo).

The data folder's lock (`lock.py`) serialises GridCerts that share a data folder. Two
runs with different data folders (two users' sessions, an admin's script with its own
GRIDCERT_DATA_DIR) can still change one keystore or bundle: each also takes the lock of a
file beside every store it changes (`TrustStore.lock_path`), in one order (by path), so
two runs never deadlock. Like the data folder's lock it ends with the process and is
inherited by the store tools it starts.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator

from app.actions.lock import _wait_seconds
from app.core.errors import StoreLockedError
from app.stores._tools import held_by_tools, try_lock_file, unlock_file
from app.stores.base import TrustStore


@contextlib.contextmanager
def stores_locked(stores: Iterable[TrustStore], wait: float | None = None) -> Iterator[None]:
    """Hold the lock beside each store; `StoreLockedError` naming the store when another
    GridCert keeps one longer than `wait` seconds (GRIDCERT_LOCK_TIMEOUT, else 15)."""
    wanted: dict[str, TrustStore] = {}
    for store in stores:
        path = store.lock_path()
        if path is not None:
            wanted.setdefault(str(path), store)
    with contextlib.ExitStack() as stack:
        deadline = time.monotonic() + _wait_seconds(wait)
        for name in sorted(wanted):
            fd = _acquire(name, wanted[name], deadline)
            if fd is None:
                continue
            stack.callback(_release, name, fd)
            stack.enter_context(held_by_tools(fd))
        yield


def _acquire(name: str, store: TrustStore, deadline: float) -> int | None:
    """The locked descriptor of the lock file `name`; None when no file can be made there
    (a missing or read-only folder: GridCert cannot change that store either, and says so
    at its step)."""
    while True:
        try:
            fd = os.open(name, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None
        if try_lock_file(fd):
            # The holder before us removes the file when it lets go (`_release`): a lock
            # on a file no longer at that path protects nothing; open it again.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(name))
            except OSError:
                same = False
            if same:
                return fd
            unlock_file(fd)
        os.close(fd)
        if time.monotonic() >= deadline:
            raise StoreLockedError(f"Another GridCert is changing {store.label}; try again "
                                   "when it has finished.")
        time.sleep(0.1)


def _release(name: str, fd: int) -> None:
    # Removed while still locked, so that no lock file is left beside the person's
    # keystore or bundle; whoever waits on the old file sees it gone and opens anew.
    # (Windows cannot remove an open file; it stays there, empty.)
    with contextlib.suppress(OSError):
        os.unlink(name)
    with contextlib.suppress(OSError):
        unlock_file(fd)
    os.close(fd)
