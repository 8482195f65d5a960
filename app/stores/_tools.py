"""Running the external programs stores need (certutil, pk12util, keytool, security).

Passwords never go on a command line: `secret_file` writes them to a private 0600 file
that is deleted as soon as the tool has run. Tool failures become `TargetError` with a
sentence that names the tool and what it said.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from app.core.errors import TargetError, ToolMissingError

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
