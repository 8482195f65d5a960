"""SIGTERM and SIGHUP (a logout, a closed terminal, a deployment tool) end the wizard like
its close button, without a question: a run that changes stores is stopped and put back,
and GridCert quits once the stores are consistent, with exit code 5 as the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.gui import engine, stop_signals
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.scene import Desk, nss_has
from tests.gui.test_keyboard_stop_and_close import SENTENCE, Pause, _closing_note, _to_progress

pytestmark = [
    pytest.mark.qt_log_ignore("propagateSizeHints"),
    pytest.mark.skipif(sys.platform == "win32", reason="Windows sends no SIGTERM/SIGHUP"),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def paused_install(monkeypatch: pytest.MonkeyPatch) -> Iterator[Pause]:
    """The install run waits after its first step until the test lets it go on."""
    pause = Pause(engine.apply_plan)
    monkeypatch.setattr(engine, "apply_plan", pause)
    yield pause
    pause.go_on.set()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_the_install_puts_back_and_closes_without_asking(
        driver: Driver, desk: Desk, answers: Answers, certutil: str,
        paused_install: Pause, number: int) -> None:
    wizard = driver.wizard
    _to_progress(driver, answers, desk, paused_install)
    asked = list(answers.asked)
    watch = stop_signals.install(wizard)
    assert watch is not None
    try:
        os.kill(os.getpid(), number)
        driver.qtbot.waitUntil(lambda: watch.received == number, timeout=10000)
        note = _closing_note(driver)
        assert note is not None and note.isVisible() and note.text() == SENTENCE
        assert answers.asked == asked  # nobody may be there to answer a question
        assert wizard.isVisible() and wizard.state.busy  # not gone in mid-change
        paused_install.go_on.set()
        driver.qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=60000)
    finally:
        watch.uninstall()
    for db in (desk.firefox_db, desk.chromium_db):  # rolled back: as before
        assert not nss_has(certutil, db, desk.root.sha256)
        assert not nss_has(certutil, db, desk.leaf.sha256)


def test_the_real_wizard_quits_with_exit_5_on_sigterm_even_with_work_entered(
        isolated_home: Path, tmp_path: Path) -> None:
    """`gridcert-wizard FILE` opened on a file (work that would make Close ask): SIGTERM
    closes it without a question and the exit code says it was cancelled."""
    root = pki.make_root("ERCOT CA", org="ERCOT").write(tmp_path / "ERCOT CA.cer")
    stamp = tmp_path / "painted"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GRIDCERT_PAINT_STAMP=str(stamp))
    run = subprocess.Popen([sys.executable, "-m", "app.gui.main", str(root)], cwd=ROOT,
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        deadline = time.monotonic() + 60
        while not stamp.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stamp.exists(), run.stderr.read() if run.poll() is not None else "no paint"
        run.send_signal(signal.SIGTERM)
        _out, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == stop_signals.EXIT_CANCELLED, err
    assert "Traceback" not in err
