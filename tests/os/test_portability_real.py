"""What the unit tests model for Windows, checked on a real one (and the lock everywhere).

tests/unit/test_portability.py and test_cli_output_encoding.py run on Linux against
models of Microsoft's documented behaviour; these run the real thing on the CI runners.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.stores import _tools
from tests.pki import make_root

REPO = Path(__file__).resolve().parents[2]
windows_only = pytest.mark.skipif(sys.platform != "win32", reason="needs Windows")

_HOLDER = """
import sys, time
from app.actions.lock import changes_lock
with changes_lock(wait=0):
    print("held", flush=True)
    time.sleep(120)
"""


def test_the_changes_lock_is_held_across_processes_and_dies_with_its_holder() -> None:
    """Windows: msvcrt.locking (LockFile) from another process refuses at once, and the OS
    drops the lock when the holder is killed. Elsewhere the same with flock."""
    from app.actions.lock import changes_lock, lock_path
    from app.core.errors import StoreLockedError

    lock_path().parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER], cwd=REPO, text=True,
                              stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreLockedError), changes_lock(wait=0.3):
            pass
    finally:
        holder.kill()
        holder.wait()
    # LockFile: the OS removes a dead process's locks, "the time it takes ... depends upon
    # available system resources": allow a few seconds.
    deadline = time.monotonic() + 10
    while True:
        try:
            with changes_lock(wait=0.5):
                break
        except StoreLockedError:
            if time.monotonic() > deadline:
                raise


@windows_only
def test_no_window_flags_is_windows_create_no_window() -> None:
    assert _tools.no_window_flags() == subprocess.CREATE_NO_WINDOW == 0x08000000
    done = _tools.run_tool(["cmd", "/c", "echo", "ok"], what="run cmd")
    assert done.stdout.strip() == b"ok"


@windows_only
def test_json_through_a_pipe_is_utf8_with_the_real_code_page(tmp_path: Path) -> None:
    """A pipe gets the ANSI code page (cp1252 on the runner); --json must still be UTF-8."""
    root = make_root("Müller 山田 Root CA").write(tmp_path / "root.pem")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "PYTHONIOENCODING")}
    done = subprocess.run([sys.executable, "-m", "app", "inspect", str(root), "--json"],
                          cwd=REPO, env=env, capture_output=True, check=False, timeout=120)
    assert b"Traceback" not in done.stderr and done.returncode == 0, done.stderr
    (item,) = json.loads(done.stdout.decode("utf-8"))["items"]
    assert "Müller 山田 Root CA" in item["subject"]


@windows_only
def test_microsofts_certutil_is_never_taken_for_nss() -> None:
    from app.stores.nss import nss_tool

    found = nss_tool("certutil")
    system_root = os.environ.get("SYSTEMROOT", r"C:\Windows").lower()
    assert found is None or not found.lower().startswith(system_root)
