"""Crash consistency (issue 12): GridCert killed — the whole process tree, SIGKILL — at every
step boundary and at the moment each external tool starts; then the next GridCert's
recovery. Every store, read back with its own tool (certutil, keytool, the bundle's
bytes), is then as it was before or as it is after a complete run — never in between —
and no temporary key material (one-time PKCS#12 files, password files, NSS database
copies) is left anywhere.

The pause at each tool start is GridCert's own test hook (GRIDCERT_TEST_TOOL_HOOK): it
appends a line to a file and waits on a FIFO, so the test kills at exactly that moment.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.stores._scratch import scratch_root
from app.stores._tools import TOOL_HOOK_ENV
from tests.helpers import require_tool
from tests.integration.cliutil import REPO, gridcert, new_nssdb
from tests.integration.test_install_cli import PASSWORD, nss_state
from tests.integration.test_transaction import keytool_entries
from tests.pki import make_pki, make_root, pfx_bytes

#: Enough roots for the NSS batch on a memory copy (nss.FAST_PATH_MIN).
ROOTS = 9


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_tool("certutil", "libnss3-tools")
    require_tool("pk12util", "libnss3-tools")
    require_tool("keytool", "openjdk-17-jre-headless")


class Scene:
    """The stores of one scenario and the files that go into them. "nss": an NSS database,
    enough roots for its batch on a memory copy, and a .pfx (pk12util). "java": a Java
    keystore and a PEM bundle, one root and the .pfx (keytool). Two small scenarios rather
    than one big one: a kill at tool start N replays the N-1 before it."""

    def __init__(self, folder: Path, kind: str) -> None:
        self.folder, self.kind = folder, kind
        folder.mkdir(parents=True, exist_ok=True)
        pki = make_pki("Crash")
        extra = ROOTS - 1 if kind == "nss" else 0
        self.roots = folder / "roots.pem"
        self.roots.write_bytes(pki.root.pem + b"".join(make_root(f"Crash Extra {n}").pem
                                                       for n in range(extra)))
        self.pfx = folder / "jane.pfx"
        self.pfx.write_bytes(pfx_bytes(pki.leaf, PASSWORD, [pki.intermediate, pki.root]))
        self.own = make_root("Own Root").write(folder / "own.pem")
        self.fresh()

    def fresh(self) -> None:
        """The stores as the person had them, each with something of their own."""
        stamp = time.monotonic_ns()
        own = self.own
        if self.kind == "nss":
            self.db = new_nssdb(self.folder / f"db-{stamp}")
            subprocess.run(["certutil", "-A", "-d", f"sql:{self.db}", "-n", "own", "-t",
                            "C,,", "-i", str(own)], check=True, capture_output=True)
            return
        self.keystore = self.folder / f"ks-{stamp}.p12"
        subprocess.run(["keytool", "-importcert", "-noprompt", "-keystore", str(self.keystore),
                        "-storepass:env", "KS", "-alias", "own", "-file", str(own)],
                       check=True, capture_output=True, env={**os.environ, "KS": "changeit"})
        self.bundle = self.folder / f"bundle-{stamp}.pem"
        self.bundle.write_bytes(b"# my bundle\n" + own.read_bytes())

    @property
    def targets(self) -> list[str]:
        if self.kind == "nss":
            return ["--target", f"nss:{self.db}"]
        return ["--target", f"java:{self.keystore}", "--target", f"bundle:{self.bundle}"]

    def install_args(self) -> list[str]:
        return ["install", str(self.roots), str(self.pfx), *self.targets,
                "--password-env", "PW", "--yes"]

    def state(self) -> tuple[object, ...]:
        if self.kind == "nss":
            return nss_state(self.db)
        return keytool_entries(self.keystore), self.bundle.read_bytes()


def _key_material(tmp: Path) -> list[Path]:
    """Every file under GridCert's scratch folder and the test's TMPDIR."""
    return sorted(p for folder in (scratch_root(), tmp) for p in folder.rglob("*")
                  if p.is_file())


def _wait_lines(hook: Path, count: int, process: subprocess.Popen[bytes]) -> bool:
    """True once `hook` has `count` lines; False when the process ended first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        text = hook.read_text() if hook.exists() else ""
        if text.count("\n") >= count:
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.02)
    raise AssertionError(f"no tool start number {count} within two minutes")


def _run_and_kill_at_tool(scene: Scene, env: dict[str, str], hook: Path,
                          number: int) -> tuple[bool, list[Path]]:
    """Run the install; kill its process group as tool start `number` begins.
    (killed, the key material present at that moment)."""
    gate = Path(f"{hook}.gate")
    hook.unlink(missing_ok=True)
    os.mkfifo(gate)
    process = subprocess.Popen([sys.executable, "-m", "app", *scene.install_args()], cwd=REPO,
                               env={**env, TOOL_HOOK_ENV: str(hook)}, start_new_session=True,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        for seen in range(1, number + 1):
            if not _wait_lines(hook, seen, process):
                return False, []
            if seen < number:
                with open(gate, "wb"):
                    pass  # the paused GridCert reads end-of-file and goes on
        present = _key_material(Path(env["TMPDIR"]))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True, present
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        gate.unlink()


def _recover(scene: Scene, env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "app", "list", *scene.targets], cwd=REPO,
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("kind", ["nss", "java"])
def test_killed_at_every_tool_start_and_step_boundary(tmp_path: Path, kind: str) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "PW": PASSWORD, "TMPDIR": str(tmp)}
    scene = Scene(tmp_path / "scene", kind)
    before = scene.state()
    finished = gridcert(*scene.install_args(), env=env)
    assert finished.returncode == 0, finished.stderr
    after = scene.state()
    assert after != before
    scene.fresh()
    assert scene.state() == before

    hook = tmp_path / "tools.log"
    killed_with_keys = 0
    number = 0
    while True:
        number += 1
        killed, present = _run_and_kill_at_tool(scene, env, hook, number)
        if not killed:
            break  # the run finished before tool start `number`: every start was tried
        inside = scratch_root()
        assert all(inside in p.parents for p in present), present  # none in TMPDIR
        if any(p.suffix in (".p12", ".pw") or p.name == "key4.db" for p in present):
            killed_with_keys += 1
        _recover(scene, env)
        state = scene.state()
        assert state in (before, after), f"killed at tool start {number}: stores in between"
        assert _key_material(tmp) == [], f"key material left after tool start {number}"
        if state == after:
            scene.fresh()
    assert number > 4 and killed_with_keys >= 1

    for step in range(1, ROOTS + 4):  # past the last step, the run completes and it ends
        crashed = gridcert(*scene.install_args(),
                           env={**env, "GRIDCERT_TEST_CRASH_AFTER_STEP": str(step)})
        _recover(scene, env)
        state = scene.state()
        assert state in (before, after), f"crashed after step {step}: stores in between"
        assert _key_material(tmp) == []
        if crashed.returncode == 0:
            break
        if state == after:
            scene.fresh()
