"""Render every page of the install flow and the Check view into PNGs: `make screenshots`.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py docs/screenshots

Realistic data, all generated in a temporary home folder (never the real one): the
"ERCOT CA" root zip with its instructions PDF, Jane Smith's (Example Power LLC)
`0123456789012$JSMITH.pfx`, a Firefox profile and Chromium's database made with
certutil. The install really runs (into those temporary databases); the Progress page is
caught mid-run by holding the worker at its first step until the grab is taken.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _isolate(base: Path) -> Path:
    """Point every place GridCert looks at into `base` (before anything is imported)."""
    home = base / "home"
    home.mkdir()
    os.environ["HOME"] = str(home)
    os.environ["XDG_CONFIG_HOME"] = str(home / ".config")
    os.environ["XDG_DATA_HOME"] = str(home / ".local" / "share")
    os.environ["XDG_CACHE_HOME"] = str(home / ".cache")
    os.environ["XDG_STATE_HOME"] = str(home / ".local" / "state")
    os.environ["GRIDCERT_DATA_DIR"] = str(home / "gridcert-data")
    os.environ["GRIDCERT_LINUX_ROOT"] = str(base / "linux-root")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return home


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: screenshots.py OUTDIR\n")
        return 2
    out = Path(argv[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    certutil = shutil.which("certutil")
    if certutil is None:
        sys.stderr.write("screenshots.py: certutil is needed (Debian package libnss3-tools)\n")
        return 1
    with tempfile.TemporaryDirectory(prefix="gridcert-shots-") as tmp:
        home = _isolate(Path(tmp))
        return _render(out, home, Path(tmp) / "Downloads", certutil)


def _render(out: Path, home: Path, downloads: Path, certutil: str) -> int:
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QWidget

    from app.gui import engine
    from app.gui import navigation as nav
    from app.gui.dialogs import Dialogs
    from app.gui.wizard import GridCertWizard
    from tests import pki
    from tests.gui.scene import PASSWORD, build_desk

    desk = build_desk(home, downloads, certutil)
    # Jane's certificate from last year, already in Firefox and expired: the Check view
    # flags it as clutter in the browser's certificate list.
    import datetime as dt

    old = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC",
                        not_before=pki.NOW - dt.timedelta(days=400),
                        not_after=pki.NOW - dt.timedelta(days=35))
    old_pem = downloads / "old.pem"
    old.write(old_pem)
    subprocess.run([certutil, "-A", "-d", f"sql:{desk.firefox_db}", "-n", "Jane Smith 2025",
                    "-t", ",,", "-i", str(old_pem)], check=True, capture_output=True)
    old_pem.unlink()

    app = QApplication.instance() or QApplication(["gridcert-screenshots"])
    QCoreApplication.setApplicationName("GridCert")

    class Answers(Dialogs):
        def open_files(self, parent: QWidget | None) -> list[str]:
            return [str(desk.zip_path), str(desk.pfx_path)]

        def confirm(self, parent: QWidget | None, title: str, text: str, yes: str) -> bool:
            return True

        def inform(self, parent: QWidget | None, title: str, text: str) -> None:
            pass

    def wait(condition: Callable[[], bool], timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError("the wizard did not get there in time")
            app.processEvents()
            time.sleep(0.01)
        for _ in range(5):
            app.processEvents()

    shots: list[Path] = []

    def grab(wizard: GridCertWizard, name: str) -> None:
        wait(lambda: not wizard.state.busy)
        path = out / f"{len(shots) + 1:02d}-{name}.png"
        wizard.grab().save(str(path))
        shots.append(path)
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)

    wizard = GridCertWizard(dialogs=Answers())
    wizard.resize(860, 640)
    wizard.show()
    wait(lambda: wizard.isVisible())
    grab(wizard, "start")

    wizard.start_job("install")
    wait(lambda: bool(wizard.state.files))
    box = wizard.currentPage().findChild(QWidget, "catalog-box")
    wait(lambda: box is not None and box.isVisible(), timeout=10)
    grab(wizard, "add-files")

    wizard.next()
    wait(lambda: wizard.current_page_id() == nav.REVIEW and wizard.state.read is not None)
    grab(wizard, "review")

    wizard.next()
    wait(lambda: wizard.current_page_id() == nav.PASSWORD)
    field = wizard.currentPage().findChild(QLineEdit, "password")
    assert field is not None
    field.setText("jx7-pq2m-wt9z")  # typed with Caps Lock confusion: the wrong password
    wizard.next()
    wait(lambda: not wizard.state.busy)
    grab(wizard, "password-wrong")
    field.setText(PASSWORD)
    wizard.next()
    wait(lambda: wizard.current_page_id() == nav.WHERE and not wizard.state.busy)
    for box in wizard.currentPage().findChildren(QCheckBox):
        if box.text().startswith("Linux"):
            box.setChecked(False)  # the system store needs administrator rights
    grab(wizard, "where")

    wizard.next()
    wait(lambda: wizard.current_page_id() == nav.CONFIRM and wizard.state.plan is not None)
    grab(wizard, "confirm")

    # Hold the install at its first step so the Progress page can be seen mid-run.
    release = threading.Event()
    real_apply = engine.apply_plan

    def held_apply(plan: object, progress: Callable[[int, int, str], None] | None,
                   cancel: object) -> object:
        def slowed(done: int, total: int, message: str) -> None:
            if progress is not None:
                progress(done, total, message)
            if done >= 1 and not release.is_set():
                release.wait(30)

        return real_apply(plan, slowed, cancel)

    engine.apply_plan = held_apply  # type: ignore[assignment]
    try:
        wizard.next()
        page = wizard.currentPage()
        bar = page.findChild(QWidget, "progress-bar")
        wait(lambda: bar is not None and bar.value() >= 1)  # type: ignore[attr-defined]
        for _ in range(20):
            app.processEvents()
        path = out / f"{len(shots) + 1:02d}-progress.png"
        wizard.grab().save(str(path))
        shots.append(path)
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    finally:
        release.set()
        engine.apply_plan = real_apply  # type: ignore[assignment]
    wait(lambda: wizard.current_page_id() == nav.DONE)
    grab(wizard, "done")

    wizard.restart()
    wizard.start_job("check")
    wait(lambda: wizard.current_page_id() == nav.CHECK and not wizard.state.busy)
    table = wizard.currentPage().findChild(QWidget, "inventory")
    if table is not None:
        table.setFocus(Qt.FocusReason.OtherFocusReason)
    grab(wizard, "check")
    wizard.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
