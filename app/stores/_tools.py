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

import codecs
import contextlib
import errno
import locale
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from app.core.errors import TargetError, ToolMissingError
from app.stores._scratch import private_dir

#: Microsoft's documented value of CREATE_NO_WINDOW ("Process Creation Flags",
#: https://learn.microsoft.com/windows/win32/procthread/process-creation-flags): "The process
#: is a console application that is being run without a console window." Written out so that
#: the value can be checked on any OS; on Windows it equals `subprocess.CREATE_NO_WINDOW`.
CREATE_NO_WINDOW = 0x08000000


def console_encoding() -> str:
    """The encoding console text is in: on Windows the OEM code page, which console
    programs (schtasks) write their messages in and cmd's `echo` sends down a pipe
    (Python's "oem" codec exists only on Windows); elsewhere the locale's."""
    try:
        return codecs.lookup("oem").name
    except LookupError:
        return locale.getpreferredencoding(False)


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
def secret_file(secret: str, directory: str | os.PathLike[str] | None = None) -> Iterator[str]:
    """A private (0600) file holding `secret` plus a newline, removed on exit; in
    `directory`, else in a folder of its own inside GridCert's private scratch folder
    (where the next start's recovery removes it if a crash left it)."""
    with contextlib.ExitStack() as stack:
        folder = directory if directory is not None else stack.enter_context(
            private_dir("pw"))
        with _secret_file_in(secret, str(folder)) as path:
            yield path


@contextlib.contextmanager
def _secret_file_in(secret: str, directory: str) -> Iterator[str]:
    fd, path = tempfile.mkstemp(prefix="gridcert-", suffix=".pw", dir=directory)
    try:
        # mkstemp already creates the file 0600 (owner only) on POSIX.
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secret + "\n")
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


#: File descriptors every tool inherits: the changes lock's (see `held_by_tools`).
_INHERITED_FDS: set[int] = set()


@contextlib.contextmanager
def held_by_tools(fd: int) -> Iterator[None]:
    """While inside, every tool started by `run_tool` inherits `fd` (POSIX).

    The changes lock is a `flock` on an open file: a child holding the same open file
    keeps the lock until it too has ended. A tool still writing after GridCert was
    killed thus keeps the next GridCert from "recovering" the store under it.
    """
    _INHERITED_FDS.add(fd)
    try:
        yield
    finally:
        _INHERITED_FDS.discard(fd)


_PDEATHSIG: Any = None


def _prctl() -> Any:
    """libc's prctl, looked up in the parent: a child of a threaded process (the GUI's
    workers) must not dlopen between fork and exec."""
    global _PDEATHSIG
    if _PDEATHSIG is None and sys.platform == "linux":
        import ctypes

        _PDEATHSIG = ctypes.CDLL(None, use_errno=True).prctl
    return _PDEATHSIG


def _die_with_parent(prctl: Any, parent: int) -> None:  # in the child, before exec
    if sys.platform == "linux":
        import signal

        pr_set_pdeathsig = 1
        prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)


def _child_options() -> dict[str, Any]:
    """Popen options so that a tool never outlives GridCert (and keeps its lock)."""
    options: dict[str, Any] = {}
    if sys.platform == "win32":
        return options  # a Job object instead: see `_win32_job.contain` after start
    if _INHERITED_FDS:
        options["pass_fds"] = tuple(sorted(_INHERITED_FDS))
    if sys.platform == "linux":
        # The kernel sends SIGKILL to the tool when GridCert dies (kill -9 included).
        prctl, parent = _prctl(), os.getpid()
        options["preexec_fn"] = lambda: _die_with_parent(prctl, parent)
    return options


def run_tool(
    args: Sequence[str],
    *,
    what: str,
    input_bytes: bytes | None = None,
    timeout: float = 120.0,
    env: dict[str, str] | None = None,
    ok_codes: Sequence[int] = (0,),
) -> subprocess.CompletedProcess[bytes]:
    """Run a store tool; a failure raises `TargetError` saying `what` failed and why.

    The tool dies with GridCert: Linux `PR_SET_PDEATHSIG`, a Job object on Windows; and
    when GridCert stops waiting for any reason (a timeout, Cancel, SIGTERM turned into
    KeyboardInterrupt) the tool is killed and reaped before the exception goes on.
    """
    _test_hook(args)
    try:
        process = subprocess.Popen(
            list(args),
            stdin=subprocess.PIPE if input_bytes is not None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            creationflags=no_window_flags(),
            **_child_options(),
        )
    except FileNotFoundError as error:
        raise ToolMissingError(f"Could not {what}: the program '{args[0]}' is missing.") from error
    with process:
        if sys.platform == "win32":
            from app.stores._win32_job import contain

            contain(int(process._handle))  # type: ignore[attr-defined]
        try:
            stdout, stderr = process.communicate(input_bytes, timeout=timeout)
        except subprocess.TimeoutExpired as error:
            process.kill()
            process.communicate()
            tool = Path(args[0]).name
            raise TargetError(f"Could not {what}: '{tool}' did not finish in time.") from error
        except BaseException:
            process.kill()
            process.wait()
            raise
    completed = subprocess.CompletedProcess(list(args), process.returncode, stdout, stderr)
    if completed.returncode not in ok_codes:
        said = (completed.stderr or completed.stdout).decode("utf-8", "replace").strip()
        said = said.splitlines()[-1] if said else f"exit status {completed.returncode}"
        raise TargetError(f"Could not {what}: {Path(args[0]).name} said \"{said}\".")
    return completed


#: Test hook: a file to append "<pid> <tool>" to as each tool is about to start, and a
#: FIFO to wait on before it starts (kill tests stop GridCert exactly there).
TOOL_HOOK_ENV = "GRIDCERT_TEST_TOOL_HOOK"


def _test_hook(args: Sequence[str]) -> None:
    hook = os.environ.get(TOOL_HOOK_ENV)
    if not hook:
        return
    with open(hook, "a", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()} {Path(args[0]).name} {' '.join(args[1:3])}\n")
    gate = hook + ".gate"
    if os.path.exists(gate):
        with open(gate, "rb") as fifo:  # blocks until the test opens it for writing
            fifo.read(1)
