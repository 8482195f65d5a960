"""`gridcert-wizard [FILE...] [--smoke]`: start the wizard (the `gridcert` command with no
arguments comes here too).

Start-up stays lean: only QtCore/QtWidgets and the wizard shell are imported before the
first page is painted (not even QtGui's classes, nor platformdirs). The catalog, the
stores, keyring and cryptography are imported by the pages' workers when first needed.
`--smoke` takes exactly this path, waits
until the first page has been painted, and quits with 0 (start-up checks and the
benchmark use it).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger("gridcert.gui")

SMOKE_TIMEOUT_MS = 20000


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="gridcert-wizard",
        description="GridCert's wizard: install, check, renew and move your certificates.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="certificate files to start installing (.pfx, .zip, .pem, ...)")
    parser.add_argument("--smoke", action="store_true",
                        help="start, paint the first page, quit with status 0 (a start-up check)")
    # Qt's own options (-platform, -style, ...) are left for QApplication.
    args, _qt_args = parser.parse_known_args(list(argv))
    return args


def _install_translations(app: object) -> list[object]:
    """Qt's own strings (dialog buttons, ...) and GridCert's, for the system locale."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    translators: list[object] = []
    locale = QLocale.system()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    folders = [("qtbase", qt_dir)]
    ours = _translations_dir()
    if any(name.endswith(".qm") for name in _listdir(ours)):
        folders.append(("gridcert", ours))
    for name, folder in folders:
        translator = QTranslator(app)  # type: ignore[arg-type]
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)  # type: ignore[attr-defined]
            translators.append(translator)
    return translators


def _translations_dir() -> str:
    # resources/translations, found as app.core.paths.resources_dir() does; not imported
    # from there because that module pulls in platformdirs before the first paint.
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent.parent
    return str(root / "resources" / "translations")


def _listdir(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["--read-child"]:
        # The wizard's own file-reading helper process (see app/gui/readchild.py).
        from app.gui.readchild import serve

        return serve()
    args = _parse(arguments)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.__version__ import VERSION

    # QApplication, not QCoreApplication: importing the latter costs ~8 ms of enum set-up.
    QApplication.setOrganizationName("GridCert")
    QApplication.setApplicationName("GridCert")
    QApplication.setApplicationVersion(VERSION)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "gridcert"])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName("GridCert")
    app.setDesktopFileName("gridcert")
    _install_translations(app)

    from app.gui.single_instance import SingleInstance

    instance = SingleInstance()
    if not instance.primary and not args.smoke:
        # Another wizard is open: it takes the files (or just comes forward).
        instance.hand_over(args.files)
        return 0

    from app.gui import navigation
    from app.gui.wizard import GridCertWizard, PaintWatcher

    wizard = GridCertWizard(files=args.files)

    def handed_over(files: list[str]) -> None:
        if files:
            wizard.open_files(files)
        wizard.bring_forward()

    instance.request.connect(handed_over)
    outcome = {"code": 0}

    wizard.show()
    if args.smoke:
        # The first page itself must have been painted, not just the window frame. It is
        # the page the wizard opened on (with files given: not the start page); painting
        # happens only once the event loop runs, so watching from here misses nothing.
        watcher = PaintWatcher(wizard.currentPage() or wizard.page_by_name(navigation.START))

        def painted() -> None:
            _stamp_first_paint()
            QTimer.singleShot(0, app.quit)

        def too_slow() -> None:
            sys.stderr.write("gridcert-wizard: the first page was not painted in time\n")
            outcome["code"] = 1
            app.quit()

        watcher.painted.connect(painted)
        QTimer.singleShot(SMOKE_TIMEOUT_MS, too_slow)
    else:
        QTimer.singleShot(0, lambda: _after_first_paint(wizard))

    code = app.exec()
    instance.release()
    if args.smoke:
        return outcome["code"] if watcher.seen or outcome["code"] else 1
    return int(code)


def _stamp_first_paint() -> None:
    """For the start-up benchmark: the moment the first page was painted (Unix time),
    written to the file GRIDCERT_PAINT_STAMP names, so that it measures start to first
    page and not also the tear-down after it (benchmarks/bench_startup.py)."""
    stamp = os.environ.get("GRIDCERT_PAINT_STAMP")
    if stamp:
        import time

        with contextlib.suppress(OSError):
            Path(stamp).write_text(repr(time.time()), encoding="ascii")


def _after_first_paint(wizard: object) -> None:
    """Once the window is up: icon, the warm-up of the pages, then logging and finishing a
    rollback a crash left behind (in a worker, after the warm-up: both import modules,
    and doing it at once would make the window wait)."""
    from app.gui import engine
    from app.gui.worker import run_task

    set_icon = getattr(wizard, "set_icon", None)
    if callable(set_icon):
        set_icon()

    def told(sentence: object) -> None:
        if sentence:
            dialogs = getattr(wizard, "dialogs", None)
            if dialogs is not None:
                dialogs.inform(wizard, "GridCert", str(sentence))

    def background() -> None:
        def work(_progress: object) -> object:
            # The wizard runs without its log file if that cannot be set up.
            with contextlib.suppress(Exception):
                engine.log_file()
            return engine.recover_interrupted()

        run_task(work, told, lambda message: told(message),
                 receiver=wizard)  # type: ignore[arg-type]

    warm_up = getattr(wizard, "warm_up", None)
    if callable(warm_up):
        warm_up(then=background)
    else:
        background()


if __name__ == "__main__":
    sys.exit(main())
