"""The longest UI-thread stall during a full install run of the wizard (budget ≤ 100 ms).

A child process (offscreen Qt, temporary home with a Firefox profile and Chromium's NSS
database made by certutil) drives the real wizard through the install flow — start,
add the ERCOT root zip and the .pfx, review, password, where, confirm, install, done,
undo, after the same after-first-paint work as `gridcert-wizard` and a second for
reading the start page — while a 5 ms QTimer probe records the largest gap between its
ticks: any work done on the UI thread (or a worker holding the GIL) shows up as a gap.
The median over runs is held to the budget; the worst run is reported beside it.
BENCH_WIZARD_DEBUG=1 prints each stall and, via faulthandler, the stacks that caused it.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import PYTHON, Row

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 100.0
RUNS = 5


def run() -> list[Row]:
    if shutil.which("certutil") is None:
        print("bench_wizard: certutil missing (libnss3-tools); skipped", file=sys.stderr)
        return []
    stalls: list[float] = []
    for _ in range(RUNS):
        done = subprocess.run([PYTHON, "-m", "benchmarks.bench_wizard", "--probe"], cwd=ROOT,
                              env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            print(f"bench_wizard: probe failed:\n{done.stderr}", file=sys.stderr)
            return []
        stalls.append(float(json.loads(done.stdout.strip().splitlines()[-1])["max_gap_ms"]))
    # Like every figure in the table, the budgeted one is a median (of each run's longest
    # stall); the worst run is shown beside it, since two cores shared with certutil and
    # the reader child make single runs noisy.
    typical = statistics.median(stalls)
    worst = max(stalls)
    return [
        Row(f"wizard: longest UI-thread stall, full install + undo (median of {RUNS})",
            typical, "ms", budget=f"≤ {BUDGET_MS:.0f} ms", within=typical <= BUDGET_MS),
        Row(f"wizard: longest UI-thread stall, worst of {RUNS} runs", worst, "ms"),
    ]


def _probe() -> int:
    """Child process: drive the wizard, print {"max_gap_ms": ...}."""
    with tempfile.TemporaryDirectory(prefix="gridcert-bench-") as tmp:
        base = Path(tmp)
        home = base / "home"
        home.mkdir()
        for key, value in {
            "HOME": home, "XDG_CONFIG_HOME": home / ".config",
            "XDG_DATA_HOME": home / ".local" / "share", "XDG_CACHE_HOME": home / ".cache",
            "XDG_STATE_HOME": home / ".local" / "state",
            "GRIDCERT_DATA_DIR": home / "gridcert-data", "GRIDCERT_LINUX_ROOT": base / "root",
        }.items():
            os.environ[key] = str(value)
        sys.path.insert(0, str(ROOT))
        from PySide6.QtCore import QElapsedTimer, QTimer
        from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit

        from app.gui import navigation as nav
        from app.gui.dialogs import Dialogs
        from app.gui.wizard import GridCertWizard
        from tests.gui.scene import PASSWORD, build_desk

        certutil = shutil.which("certutil")
        assert certutil is not None
        desk = build_desk(home, base / "Downloads", certutil)
        app = QApplication.instance() or QApplication(["bench"])

        class Answers(Dialogs):
            def open_files(self, parent: object) -> list[str]:  # type: ignore[override]
                return [str(desk.zip_path), str(desk.pfx_path)]

            def confirm(self, *args: object) -> bool:  # type: ignore[override]
                return True

        wizard = GridCertWizard(dialogs=Answers())
        wizard.show()

        clock = QElapsedTimer()
        gaps = {"max": 0.0, "last": 0.0, "on": False}

        debug = bool(os.environ.get("BENCH_WIZARD_DEBUG"))
        if debug:
            import faulthandler

        def tick() -> None:
            if debug and gaps["on"]:
                # Dumps every thread's stack (from C, without the GIL) if the next tick
                # is late: that names what held the UI thread.
                faulthandler.dump_traceback_later(0.09, exit=False)
            now = clock.nsecsElapsed() / 1e6
            if gaps["on"]:
                gap = now - gaps["last"] - 5.0
                gaps["max"] = max(gaps["max"], gap)
                if gap > 40 and os.environ.get("BENCH_WIZARD_DEBUG"):
                    print(f"stall {gap:.0f} ms on {wizard.current_page_id()}", file=sys.stderr)
            gaps["last"] = now

        probe = QTimer()
        probe.setInterval(5)
        probe.timeout.connect(tick)

        def wait(condition: object, timeout: float = 120.0) -> None:
            end = time.monotonic() + timeout
            while not condition():  # type: ignore[operator]
                if time.monotonic() > end:
                    raise TimeoutError(f"stuck on {wizard.current_page_id()}")
                app.processEvents()
                time.sleep(0.001)

        def settle() -> None:
            wait(lambda: not wizard.state.busy)

        # Start measuring once the window is up (start-up has its own benchmark).
        clock.start()
        probe.start()
        wait(lambda: wizard.isVisible())
        gaps["on"] = True
        # What gridcert-wizard does once the window is up (log, icon, crash recovery,
        # warm-up), then about a second of a person reading the start page.
        from app.gui.main import _after_first_paint

        QTimer.singleShot(0, lambda: _after_first_paint(wizard))
        pause = time.monotonic() + 1.0
        wait(lambda: time.monotonic() > pause)
        # Each user action below is one event-loop callback, as a click would be.
        steps = [
            (lambda: wizard.start_job("install"), lambda: bool(wizard.state.files)),
            (wizard.next, lambda: wizard.current_page_id() == nav.REVIEW
             and wizard.state.read is not None),
            (wizard.next, lambda: wizard.current_page_id() == nav.PASSWORD),
        ]
        for action, until in steps:
            QTimer.singleShot(0, action)
            wait(until)
            settle()
        field = wizard.currentPage().findChild(QLineEdit, "password")
        QTimer.singleShot(0, lambda: field.setText(PASSWORD))
        QTimer.singleShot(0, wizard.next)
        wait(lambda: wizard.current_page_id() == nav.WHERE)
        settle()
        for box in wizard.currentPage().findChildren(QCheckBox):
            box.setChecked(box.text().startswith("Firefox") or "Chrom" in box.text())
        QTimer.singleShot(0, wizard.next)
        wait(lambda: wizard.current_page_id() == nav.CONFIRM and wizard.state.plan is not None)
        settle()
        QTimer.singleShot(0, wizard.next)
        wait(lambda: wizard.current_page_id() == nav.DONE)
        settle()
        undo = wizard.currentPage().findChild(object, "undo")
        QTimer.singleShot(0, undo.click)  # type: ignore[attr-defined]
        wait(lambda: not undo.isEnabled())  # type: ignore[attr-defined]
        settle()
        probe.stop()
        ok = bool(getattr(wizard.state.report, "ok", False))
        print(json.dumps({"max_gap_ms": round(max(gaps["max"], 0.0), 1), "installed": ok}))
        wizard.close()
        return 0 if ok else 1


if __name__ == "__main__":
    if "--probe" in sys.argv:
        sys.exit(_probe())
    for row in run():
        print(row)
