"""`gridcert-wizard [FILE...] [--smoke]`: start the wizard (the `gridcert` command with no
arguments comes here too). Three windowless uses of the same program, handled before Qt is
touched: `--check-notify` (the daily reminder, see app/actions/reminder.py),
`--apply-handover FILE SHA256` (the UAC hand-over's elevated run, app/actions/handover.py;
hidden from --help) and `--read-child` (app/gui/readchild.py).

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


#: The wizard's own file-reading helper process (app/gui/readchild.py's FLAG).
READ_CHILD = "--read-child"
#: The daily reminder's windowless check (app/actions/reminder.py's WINDOWLESS_CHECK).
CHECK_NOTIFY = "--check-notify"
#: The elevated run of a UAC hand-over (app/actions/handover.py's WINDOWLESS_HANDOVER).
APPLY_HANDOVER = "--apply-handover"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gridcert-wizard",
        description="GridCert's wizard: install, check, renew and move your certificates.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="certificate files to start installing (.pfx, .zip, .pem, ...)")
    parser.add_argument("--smoke", action="store_true",
                        help="start, paint the first page, quit with status 0 (a start-up check)")
    parser.add_argument(CHECK_NOTIFY, dest="check_notify", action="store_true",
                        help="run `gridcert check --notify` without opening any window "
                        "(the daily reminder) and exit with its status")
    parser.add_argument(READ_CHILD, dest="read_child", action="store_true",
                        help=argparse.SUPPRESS)
    # FILE SHA256: what `gridcert _apply-handover FILE SHA256` takes (app/actions/handover.py
    # starts this program elevated with it on a frozen build).
    parser.add_argument(APPLY_HANDOVER, dest="apply_handover", nargs=2,
                        metavar=("FILE", "SHA256"), help=argparse.SUPPRESS)
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The wizard's arguments; exits with 2 (a usage error) for a command of the command
    line (`check`, `_apply-handover`, ...): the wizard would take it for files to open, and
    hand them to a wizard already running."""
    parser = build_parser()
    # Qt's own options (-platform, -style, ...) are left for QApplication.
    args, _qt_args = parser.parse_known_args(list(argv))
    first = args.files[0] if args.files else None
    if first is not None and not os.path.exists(first) and first in _cli_commands():
        parser.error(f"'{first}' is a command of gridcert (the command line), not a file "
                     "the wizard can open.")
    if args.check_notify and args.files:
        parser.error(f"{CHECK_NOTIFY} takes no files.")
    if args.apply_handover is not None and (args.files or args.check_notify or args.read_child
                                            or args.smoke):
        parser.error(f"{APPLY_HANDOVER} takes its FILE and SHA256 only.")
    return args


def _cli_commands() -> set[str]:
    # Asked of the command line's own parser (cheap: no command module is imported), so
    # a command added there is refused here too.
    from app.cli import build_parser as cli_parser

    for action in cli_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def _windowless_streams() -> None:
    """Give a windowed program the stdout/stderr it may lack: PyInstaller's windowed
    programs (and pythonw) start with sys.stdout and sys.stderr set to None, and writing to
    them would raise. Both go to the null device then; streams that exist are kept."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the run
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the run


def _check_notify() -> int:
    """`gridcert check --notify`, inside the windowed wizard program and before any window
    exists: the daily reminder on Windows runs this, so no console window flashes and the
    only thing seen is the notification (when something is due). Exits with check's code."""
    _windowless_streams()
    from app.cli import main as cli_main

    return cli_main(["check", "--notify"])


def _apply_handover(file: str, digest: str) -> int:
    """The elevated run of a UAC hand-over (`gridcert _apply-handover FILE SHA256`), inside
    the windowed wizard program: UAC starts `GridCert.exe --apply-handover FILE SHA256` (an
    .exe, whose "runas" verb Windows registers; a GUI-subsystem program, so no console
    window). It writes its result next to FILE, as the command line's run does; its exit
    code is the run's."""
    _windowless_streams()
    from app.actions.handover_run import run_handover

    return run_handover(file, digest)


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
    args = parse_args(arguments)
    # These run before anything of Qt exists: no window, no single-instance hand-off.
    if args.apply_handover is not None:
        return _apply_handover(*args.apply_handover)
    if args.read_child:
        # The wizard's own file-reading helper process (see app/gui/readchild.py).
        from app.gui.readchild import serve

        return serve()
    if args.check_notify:
        return _check_notify()

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
    from app.gui.collector import MainThreadCollector

    collector = MainThreadCollector(app)  # before any worker thread can start
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

    if args.smoke:
        wizard.ask_before_closing = False  # app.quit below closes it: nothing to ask
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
    from app.gui import stop_signals

    signals = None if args.smoke else stop_signals.install(wizard)

    code = app.exec()
    collector.stop()
    instance.release()
    if signals is not None:
        signals.uninstall()
        if signals.received is not None:
            return stop_signals.EXIT_CANCELLED
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

    _stamp_first_paint()  # also tells a test that the window (and its signal watch) is up
    set_icon = getattr(wizard, "set_icon", None)
    if callable(set_icon):
        set_icon()

    def told(sentence: object) -> None:
        if sentence:
            dialogs = getattr(wizard, "dialogs", None)
            if dialogs is not None:
                dialogs.inform(wizard, "GridCert", str(sentence))

    # The native handle is read here, on the UI thread; it is handed to the actions in
    # the worker below (importing them here would make the window wait), before the
    # recovery, which may itself hand a rollback to an elevated run.
    owner = _native_handle(wizard)

    def background() -> None:
        def work(_progress: object) -> object:
            if owner is not None:
                engine.set_owner_window(owner)
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


def _native_handle(window: object) -> int | None:
    """The window's native handle (an HWND on Windows), for the UAC prompt's owner."""
    win_id = getattr(window, "winId", None)
    if not callable(win_id):
        return None
    try:
        return int(win_id())
    except (TypeError, ValueError, RuntimeError):
        return None


if __name__ == "__main__":
    sys.exit(main())
