"""Running the external programs stores need (certutil, pk12util, keytool, security).

Passwords never go on a command line: `secret_file` writes them to a private 0600 file
that is deleted as soon as the tool has run. Tool failures become `TargetError` with a
sentence that names the tool and what it said.

Also the two things every layer above needs to run the same on Windows, macOS and
Linux: `no_window_flags()` (no console window flashes up when the wizard starts a
program) and an exclusive file lock (`try_lock_file`, `lock_file`, `unlock_file`) that
the OS drops when the process dies.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from app.core.errors import TargetError, ToolMissingError

#: Microsoft's documented value of CREATE_NO_WINDOW ("Process Creation Flags",
#: https://learn.microsoft.com/windows/win32/procthread/process-creation-flags): "The process
#: is a console application that is being run without a console window." Written out so that
#: the value can be checked on any OS; on Windows it equals `subprocess.CREATE_NO_WINDOW`.
CREATE_NO_WINDOW = 0x08000000


def no_window_flags() -> int:
    """The `creationflags` for every child process GridCert starts.

    The wizard (`GridCert.exe`) is a windowed program without a console; Windows gives
    each console program it starts (certutil.exe, schtasks, keytool, the CLI) a console
    window of its own that flashes up unless the process is created with
    CREATE_NO_WINDOW. Elsewhere there is no such flag: 0 changes nothing.
    """
    if sys.platform == "win32":
        return CREATE_NO_WINDOW
    return 0


# --- an exclusive lock on an open file, released by the OS when the process dies -----------
# Windows: msvcrt.locking on the file's first byte. It calls LockFile, whose locks the OS
# removes when the handle is closed or the process ends ("LockFile function",
# https://learn.microsoft.com/windows/win32/api/fileapi/nf-fileapi-lockfile); "_locking"
# (https://learn.microsoft.com/cpp/c-runtime-library/reference/locking) locks from the
# file pointer, so the pointer is put at 0 first, and _LK_NBLCK fails at once instead of
# retrying. Locking a byte past the end of an empty file is allowed (LockFile, Remarks).
# POSIX: flock on the whole file, which also ends with the process.
_LOCK_POLL_SECONDS = 0.05


def try_lock_file(fd: int) -> bool:
    """Take an exclusive lock on the open file `fd`; False at once when another holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:
            return False  # EACCES: another handle holds the byte
        except OSError as error:
            if error.errno == errno.EDEADLOCK:  # what _locking reports for a held region
                return False
            raise
        return True
    else:
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def lock_file(fd: int) -> None:
    """Wait as long as it takes for the exclusive lock on the open file `fd`."""
    if sys.platform == "win32":
        # _LK_LOCK gives up after ten one-second retries; waiting here has no limit, like
        # flock, and a short poll keeps the wait responsive.
        while not try_lock_file(fd):
            time.sleep(_LOCK_POLL_SECONDS)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def unlock_file(fd: int) -> None:
    """Release the lock `try_lock_file`/`lock_file` took on `fd`."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):  # closing the handle releases it anyway
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


# Distributions put admin tools in sbin folders that a normal user's PATH lacks.
_EXTRA_DIRS = ("/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/local/bin", "/usr/bin")


def find_tool(name: str, extra_dirs: Sequence[str] = ()) -> str | None:
    """The full path of `name` on PATH or in the usual admin folders, else None."""
    found = shutil.which(name)
    if found:
        return found
    for folder in (*extra_dirs, *_EXTRA_DIRS):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def require_tool(name: str, package_hint: str, extra_dirs: Sequence[str] = ()) -> str:
    """Like `find_tool`, but a missing tool is a `ToolMissingError` naming the package."""
    path = find_tool(name, extra_dirs)
    if path is None:
        raise ToolMissingError(f"The program '{name}' is not installed; install {package_hint}.")
    return path


@contextlib.contextmanager
def secret_file(secret: str, directory: str | None = None) -> Iterator[str]:
    """A private (0600) file holding `secret` plus a newline, removed on exit."""
    fd, path = tempfile.mkstemp(prefix="gridcert-", suffix=".pw", dir=directory)
    try:
        # mkstemp already creates the file 0600 (owner only) on POSIX.
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secret + "\n")
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def run_tool(
    args: Sequence[str],
    *,
    what: str,
    input_bytes: bytes | None = None,
    timeout: float = 120.0,
    env: dict[str, str] | None = None,
    ok_codes: Sequence[int] = (0,),
) -> subprocess.CompletedProcess[bytes]:
    """Run a store tool; a failure raises `TargetError` saying `what` failed and why."""
    try:
        completed = subprocess.run(
            list(args),
            input=input_bytes,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
            creationflags=no_window_flags(),
        )
    except FileNotFoundError as error:
        raise ToolMissingError(f"Could not {what}: the program '{args[0]}' is missing.") from error
    except subprocess.TimeoutExpired as error:
        tool = Path(args[0]).name
        raise TargetError(f"Could not {what}: '{tool}' did not finish in time.") from error
    if completed.returncode not in ok_codes:
        said = (completed.stderr or completed.stdout).decode("utf-8", "replace").strip()
        said = said.splitlines()[-1] if said else f"exit status {completed.returncode}"
        raise TargetError(f"Could not {what}: {Path(args[0]).name} said \"{said}\".")
    return completed
