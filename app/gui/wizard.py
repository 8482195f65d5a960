"""The GridCert window: one QWizard whose pages and order come from app.gui.navigation,
and whose pages are built from what app.gui.registry says (this module imports no page
module, and no page module imports this one).

A flow shows on the start page only when every one of its pages is registered, or its
module (registry.FLOW_MODULES) is there: no dead buttons.

Start-up stays lean: before the first paint nothing but the start page is built, and
neither the pages' modules nor QtGui's classes are imported (PySide6 creates their Python
enums on first import, ~50 ms). Flow modules are imported when the first job starts.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCommandLinkButton,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.gui import navigation, registry, steps, style
from app.gui.base import FlowPage
from app.gui.dialogs import Dialogs
from app.gui.focus import JobButton

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QResizeEvent, QShowEvent

    from app.gui.stepper import StepIndicator

log = logging.getLogger("gridcert.gui")


def tr(text: str) -> str:
    # The empty context is where Qt Linguist (pyside6-lupdate) files module-level tr().
    return QApplication.translate("", text)


class StartPage(QWizardPage):
    """The four jobs as big buttons; one click starts a job. Dropping files starts Install."""

    page_id = navigation.START

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__()
        self.gc_wizard = wizard
        self.setObjectName(self.page_id)
        self.setTitle(tr("What would you like to do?"))
        self.setSubTitle(
            tr("GridCert puts the certificates your grid operator sent you where your "
               "browsers and this computer need them.")
        )
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        self.buttons: dict[str, QCommandLinkButton] = {}
        mnemonics = {"install": tr("&Install certificates"),
                     "renew": tr("&Renew a certificate"),
                     "move": tr("&Move a certificate to another computer"),
                     "check": tr("&Check my certificates")}
        for job, untranslated, about in registry.start_page_jobs():
            title = QApplication.translate(navigation.TR_CONTEXT, untranslated)
            description = QApplication.translate(navigation.TR_CONTEXT, about)
            # Draws a focus ring when Tab reaches it (Fusion draws none on these).
            button = JobButton(mnemonics.get(job, title), description)
            button.setObjectName(f"job-{job}")
            button.setAccessibleName(title)
            button.setAccessibleDescription(description)
            button.clicked.connect(lambda _=False, job=job: wizard.start_job(job))
            layout.addWidget(button)
            self.buttons[job] = button
        layout.addSpacing(12)
        need = QLabel(tr(
            "<b>To install, have ready:</b><ul style='margin-left:-20px'>"
            "<li>your certificate file (<i>.pfx</i> or <i>.p12</i>) and its password, "
            "from your grid operator's emails;</li>"
            "<li>your operator's root certificates (a <i>.zip</i>); GridCert shows where "
            "to download them if you don't have them.</li></ul>"))
        need.setObjectName("what-you-need")
        need.setWordWrap(True)
        layout.addWidget(need)
        self.problem = QLabel()
        self.problem.setObjectName("start-problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        layout.addStretch(1)
        hint = QLabel(tr("Tip: you can also open a .pfx or .zip with GridCert, or drop it "
                         "on this window."))
        hint.setWordWrap(True)
        hint.setEnabled(False)  # the palette's quiet text colour
        layout.addWidget(hint)
        self._arrows_for: object = None

    def paint_arrows(self, light_too: bool = False) -> None:
        """The job buttons' arrows in the palette's link colour: on a dark palette at
        once (the style's own arrow is a fixed dark picture there); on a light one only
        with `light_too` (Fusion's black triangle; after the first paint, since painting
        costs it ~25 ms). Native styles keep their own arrow on a light palette. Again on
        a palette or screen change."""
        dark = style.is_dark(self.palette())
        if not dark and not light_too and self._arrows_for is None:
            return
        from PySide6.QtCore import QSize

        key = (self.palette().cacheKey(), self.devicePixelRatioF(), self.font().key())
        if key == self._arrows_for:
            return
        self._arrows_for = key
        icon = style.arrow_icon(self)
        side = round(self.fontMetrics().height() * 1.25)
        for button in self.buttons.values():
            button.setIcon(icon)
            button.setIconSize(QSize(side, side))

    def showEvent(self, event: QShowEvent) -> None:
        self.paint_arrows()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.paint_arrows()

    def isComplete(self) -> bool:
        return navigation.is_complete(self.gc_wizard.state, self.page_id)

    def nextId(self) -> int:
        if self.gc_wizard.state.job is None:
            # No job yet: still "not the last page", so QWizard shows a (disabled) Next
            # and Cancel rather than a Finish button.
            flows = registry.offered_flows()
            if flows:
                return self.gc_wizard.page_number(flows[0].pages[0].page)
        return self.gc_wizard.next_id_for(self.page_id)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.gc_wizard.open_files(files)


class GridCertWizard(QWizard):
    """The window. `state` is the run's WizardState; `dialogs` answers modal questions."""

    busy_changed = Signal(bool)

    def __init__(self, files: Sequence[str] = (), dialogs: Dialogs | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = navigation.WizardState()
        self.dialogs = dialogs or Dialogs()
        #: Files handed over while work ran; opened when it has finished.
        self._waiting_files: list[str] = []
        self.busy_changed.connect(self._open_waiting_files)
        self.setObjectName("gridcert-wizard")
        self.setWindowTitle(tr("GridCert"))
        self.setMinimumSize(760, 540)
        self.resize(860, 620)
        self._set_up_look()
        # One setOptions: each setOption(flag, on) costs PySide ~2 ms of flag handling.
        # NoDefaultButton off (macOS's style turns it on): Enter means Next everywhere.
        options = QWizard.WizardOption
        self.setOptions((self.options() & ~options.NoDefaultButton)
                        | options.NoBackButtonOnStartPage | options.NoCancelButtonOnLastPage)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("< &Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("&Close"))
        self.setButtonText(QWizard.WizardButton.CommitButton, tr("&Install"))
        for which, name in ((QWizard.WizardButton.NextButton, "Next"),
                            (QWizard.WizardButton.BackButton, "Back"),
                            (QWizard.WizardButton.FinishButton, "Close"),
                            (QWizard.WizardButton.CommitButton, "Install"),
                            (QWizard.WizardButton.CancelButton, "Cancel")):
            self.button(which).setAccessibleName(name)
        self._ids: dict[str, int] = {}
        self._names: dict[int, str] = {}
        self._busy_cursor = False
        #: Closing was asked for while work ran: the window closes when it has ended.
        self._closing = False
        #: Leaving without asking again (the question was asked before the wait).
        self._leaving = False
        self.closing_note: QLabel | None = None
        #: Esc / close ask before throwing work away (off for `--smoke`, which quits the
        #: application by itself; Qt closes the windows first).
        self.ask_before_closing = True
        self._add_page(navigation.START, StartPage(self))
        # Every page gets its number now; the page itself is built when its job starts.
        for flow in registry.offered_flows():
            for rule in flow.pages:
                self._ids.setdefault(rule.page, len(self._ids))
                self._names[self._ids[rule.page]] = rule.page
        self.setStartId(self._ids[navigation.START])
        # Enter means the page's primary button (Next, Install, Save) wherever the focus
        # is; a focused push button on a page is pressed with Space.
        self.currentIdChanged.connect(lambda _id: self._enter_means_next())
        if files:
            self.open_files(list(files))

    # --- pages and ids ---------------------------------------------------------
    def _add_page(self, page_id: str, page: QWizardPage) -> None:
        number = self._ids.setdefault(page_id, len(self._ids))
        self._names[number] = page_id
        self.setPage(number, page)
        # What a page learns can change the steps (a locked .pfx adds Password).
        page.completeChanged.connect(self._page_changed)

    def _page_changed(self) -> None:
        if self.sender() is self.currentPage():
            self.update_look()

    def build_flow(self, job: str) -> None:
        """Build the pages of `job` that do not exist yet."""
        for rule in navigation.get_flow(job).pages:
            number = self._ids.setdefault(rule.page, len(self._ids))
            self._names[number] = rule.page
            if self.page(number) is None:
                page = registry.build_page(rule.page, self)
                page.setCommitPage(rule.commit)
                self._add_page(rule.page, page)

    def page_number(self, page_id: str) -> int:
        return self._ids[page_id]

    def page_by_name(self, page_id: str) -> QWizardPage:
        flow = navigation.flow_of_page(page_id)
        if flow is not None and self.page(self._ids.get(page_id, -1)) is None:
            self.build_flow(flow.job)
        page = self.page(self._ids[page_id])
        assert page is not None
        return page

    def current_page_id(self) -> str:
        return self._names.get(self.currentId(), "")

    def next_id_for(self, page_id: str) -> int:
        following = navigation.next_page(self.state, page_id)
        return self._ids.get(following, -1) if following else -1

    # --- jobs ------------------------------------------------------------------
    def start_job(self, job: str) -> None:
        """The start page's buttons: remember the job and go to its first page."""
        registry.load_flows()
        try:
            navigation.get_flow(job)
        except KeyError:
            start = self.page_by_name(navigation.START)
            assert isinstance(start, StartPage)
            start.problem.setText(tr("This part of GridCert could not be loaded; the log "
                                     "has the details."))
            start.problem.show()
            return
        self.build_flow(job)
        if self.state.job != job:
            self.state = _fresh_state(self.state, job)
        self.page_by_name(navigation.START).completeChanged.emit()
        if self.currentId() != self._ids[navigation.START]:
            self.restart()
        self.next()
        page = self.currentPage()
        if isinstance(page, FlowPage):
            page.job_started()

    def open_files(self, files: Sequence[str]) -> None:
        """Files given on the command line, handed over by a second launch, or dropped on
        the start page: start (or join) the install flow with them. Nothing the person
        is in the middle of is thrown away unasked: an install under way takes the files
        into its list; another job is only left when they say so; files that arrive
        while work runs wait until it has finished."""
        if not files:
            return
        if self.state.busy:
            self._waiting_files.extend(f for f in files if f not in self._waiting_files)
            return
        registry.load_flows()
        self.build_flow("install")
        job, page = self.state.job, self.current_page_id()
        if job == "install" and page in (navigation.REVIEW, navigation.PASSWORD,
                                         navigation.WHERE, navigation.CONFIRM):
            # Back to the file list (typed passwords stay): the new files join the others.
            while self.current_page_id() != navigation.ADD_FILES:
                self.back()
        elif job == "install" and page in (navigation.ADD_FILES, navigation.START):
            pass
        else:
            unfinished = job is not None and not navigation.is_last(self.state, page)
            if unfinished and not self.dialogs.confirm(self, tr("Open a file"), tr(
                    "Install {names}? What you are doing now will be left unfinished.").format(
                        names=", ".join(os.path.basename(f) for f in files)), tr("&Install")):
                return
            self.state = navigation.WizardState(job="install")
            self.restart()
        for path in files:
            if path not in self.state.files:
                self.state.files.append(path)
        self.state.forget_files_read()
        if self.current_page_id() == navigation.START:
            self.next()
        page_widget = self.page_by_name(navigation.ADD_FILES)
        refresh = getattr(page_widget, "show_files", None)
        if callable(refresh):
            refresh()

    def _open_waiting_files(self, busy: bool) -> None:
        if not busy and self._waiting_files:
            files, self._waiting_files = self._waiting_files, []
            self.open_files(files)

    def warm_up(self, then: Callable[[], object] | None = None) -> None:
        """After the first paint: import and build what the first click needs, one small
        piece per event-loop turn, so that neither start-up nor that click waits for it
        and no single piece holds the window for long. `then` runs when all is done
        (background work started earlier would compete for the GIL and import locks)."""
        from PySide6.QtCore import QTimer

        def steps() -> Iterator[Callable[[], object]]:
            # PySide6 builds each module's/namespace's Python enums on first import;
            # these are the big ones, each its own turn.
            yield lambda: importlib.import_module("PySide6.QtCore").Qt
            yield lambda: importlib.import_module("PySide6.QtGui").QGuiApplication
            for module in registry.page_modules():
                yield functools.partial(importlib.import_module, module)
            for flow_module in registry.FLOW_MODULES:
                yield functools.partial(registry.load_flow_module, flow_module.module)
            yield registry.load_flows
            for flow in registry.offered_flows():
                for rule in flow.pages:
                    yield functools.partial(self.page_by_name, rule.page)

        pending = steps()

        def next_step() -> None:
            step = next(pending, None)
            if step is None:
                if then is not None:
                    then()
                return
            try:
                step()
            except Exception:  # warming up is an optimisation; the click does it anyway
                log.exception("warm-up step failed")
            QTimer.singleShot(1, next_step)

        QTimer.singleShot(1, next_step)

    def bring_forward(self) -> None:
        self.show()
        from PySide6.QtCore import Qt  # not at the top: see app/gui/worker.py _connect

        if self.windowState() & Qt.WindowState.WindowMinimized:
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    # --- busy ------------------------------------------------------------------
    def set_busy_cursor(self, busy: bool) -> None:
        if busy == self._busy_cursor:
            return
        self._busy_cursor = busy
        self.button(QWizard.WizardButton.BackButton).setEnabled(not busy)
        if busy:
            from PySide6.QtCore import Qt  # not at the top: see app/gui/worker.py _connect

            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()
        self.busy_changed.emit(busy)

    def _enter_means_next(self) -> None:
        """A QPushButton inside a dialog presses itself on Enter when it has the focus
        ("auto-default"): on a page that made Enter open the file picker again instead of
        going on. The start page's job buttons keep it (Enter starts the focused job)."""
        from PySide6.QtWidgets import QPushButton

        page = self.currentPage()
        if page is None:
            return
        for button in page.findChildren(QPushButton):
            if isinstance(button, QCommandLinkButton):
                continue
            button.setAutoDefault(False)
            if button.isDefault():  # made so when it had the focus as an auto-default
                button.setDefault(False)

    # --- leaving -------------------------------------------------------------------
    # Esc, the Cancel button and the window's close button all come to `reject` (QDialog's
    # closeEvent calls it): one rule for all three.
    def has_unsaved_work(self) -> bool:
        """Whether closing now throws away files or passwords the person entered. Never
        on the start page or a last page (what was done is done, and the page says so)."""
        page = self.current_page_id()
        if self.state.job is None or page == navigation.START:
            return False
        if navigation.is_last(self.state, page):
            return False
        if work_entered(self.state):
            return True
        flow = navigation.flow_of_page(page)
        pages = [self.page(self._ids[r.page]) for r in flow.pages if r.page in self._ids] \
            if flow is not None else [self.currentPage()]
        # A path or name typed into a field of this job's pages is work too.
        return any(edit.isModified() and edit.text()
                   for widget in pages if widget is not None
                   for edit in widget.findChildren(QLineEdit))

    def reject(self) -> None:
        if self.state.busy:
            self.close_when_finished()
            return
        if self._leaving:
            super().reject()
            return
        if self.ask_before_closing and self.has_unsaved_work() and not self.dialogs.confirm(
                self, tr("Close GridCert?"),
                tr("Close GridCert? The files and passwords you entered are not kept, and "
                   "nothing will be installed or changed."), tr("&Close GridCert")):
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.state.busy:
            event.ignore()
            self.close_when_finished()
            return
        super().closeEvent(event)

    def close_when_finished(self) -> None:
        """Closing while work runs: a run that changes stores is stopped the way its Stop
        button does (asked the same way; what was done is put back); the window says that
        it finishes safely and closes by itself once the work has ended. Closing at once
        would leave a half-made change for the next start to roll back."""
        if self._closing:
            return
        page = self.currentPage()
        stop = getattr(page, "stop_run", None)
        if callable(stop) and getattr(page, "can_stop", lambda: False)():
            if not stop(ask=self.ask_before_closing):
                return  # they chose to let it finish; the window stays
        elif self.ask_before_closing and self.has_unsaved_work() and not self.dialogs.confirm(
                self, tr("Close GridCert?"),
                tr("Close GridCert when this step has finished? The files and passwords "
                   "you entered are not kept."), tr("&Close GridCert")):
            return
        self._closing = True
        self._show_closing_note()
        self.busy_changed.connect(self._close_if_idle)
        self._close_if_idle(self.state.busy)

    def _show_closing_note(self) -> None:
        from PySide6.QtCore import Qt

        note = self.closing_note
        if note is None:
            note = self.closing_note = QLabel(self)
            note.setObjectName("closing-note")
            note.setWordWrap(True)
            note.setAutoFillBackground(True)
            note.setTextFormat(Qt.TextFormat.PlainText)
        text = tr("Finishing safely — GridCert will close when the stores are consistent.")
        note.setText(text)
        note.setAccessibleName(text)
        self.setWindowTitle(tr("GridCert — finishing safely"))
        self._place_closing_note()
        note.show()
        note.raise_()

    def _place_closing_note(self) -> None:
        """Over the left of the button row, where Back and Cancel are (both do nothing
        now), so that it is seen whatever page is up."""
        note = self.closing_note
        if note is None:
            return
        buttons = [self.button(b) for b in (QWizard.WizardButton.NextButton,
                                            QWizard.WizardButton.CommitButton,
                                            QWizard.WizardButton.FinishButton)]
        shown = [b for b in buttons if b.isVisible()] or [self.button(
            QWizard.WizardButton.NextButton)]
        right = min(b.geometry().left() for b in shown) - 12
        row = shown[0].geometry()
        height = max(row.height(), note.heightForWidth(max(right - 12, 1)))
        note.setGeometry(12, row.bottom() - height + 1, max(right - 12, 1), height)
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            self.button(which).setEnabled(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._closing:
            self._place_closing_note()

    def _close_if_idle(self, busy: bool) -> None:
        if busy or not self._closing:
            return
        from PySide6.QtCore import QTimer

        # One turn later: the page that reported may start its next step (the outcome
        # page) or more work; close only when nothing runs.
        def close() -> None:
            if self.state.busy or not self._closing:
                return
            self._leaving = True
            log.info("closed after the work under way had finished")
            self.reject()

        QTimer.singleShot(0, close)

    # --- look: header band, step indicator, icon ------------------------------------
    def _set_up_look(self) -> None:
        """QWizard's ModernStyle on every platform: its header band (the page's title and
        subtitle on the palette's Base colour, GridCert's icon on the right) is the one
        place every page names itself. (Aero on Windows would drop the band and the icon,
        and its Vista chrome does not follow a dark palette; MacStyle has no band.) The
        steps of the job run down the side (built when the first job starts: its module
        costs start-up time); the palette follows the system's scheme from `set_icon`."""
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self._stepper: StepIndicator | None = None
        self.currentIdChanged.connect(lambda _id: self.update_look())
        self._logo_ratio = 0.0

    @property
    def stepper(self) -> StepIndicator:
        """The step indicator at the side of the window."""
        if self._stepper is None:
            from app.gui.stepper import StepIndicator

            self._stepper = StepIndicator()
            self._stepper.hide()
            self.setSideWidget(self._stepper)
        return self._stepper

    def update_look(self) -> None:
        """The header's fonts, the logo and the step indicator for the current page."""
        style.style_header(self)
        self._update_logo()
        page_id = self.current_page_id()
        found = steps.steps_for(self.state, page_id)
        heading = ""
        if self.state.job is not None:
            try:
                untranslated = navigation.get_flow(self.state.job).title
                heading = QApplication.translate(navigation.TR_CONTEXT, untranslated)
            except KeyError:
                heading = ""
        if found.shown or self._stepper is not None:
            self.stepper.show_for(found, heading)

    def step_summary(self) -> str:
        """'Step 3 of 5: Where' ("" where no steps are shown)."""
        shown = self._stepper is not None and self._stepper.isVisible()
        return self.stepper.summary() if shown else ""

    def _update_logo(self) -> None:
        ratio = self.devicePixelRatioF()
        if ratio != self._logo_ratio:
            self._logo_ratio = ratio
            self.setPixmap(QWizard.WizardPixmap.LogoPixmap, style.logo_pixmap(self))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kind = event.type()
        if kind in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._logo_ratio = 0.0
            self.update_look()
        elif (kind in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
              and self._stepper is not None):
            self._stepper.update()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange:
            self._update_logo()  # moved to a screen of another scale: a sharp icon
        return super().event(event)

    def set_icon(self) -> None:
        """After the first paint: the window icon (all sizes, for high-DPI), and the
        palette of the system's colour scheme followed from now on (asking for the scheme
        builds PySide's Qt enums, ~40 ms the first paint need not wait for), and on
        Fusion the start page's arrows in the link colour."""
        app = style.current_app()
        if app is not None:
            style.follow_color_scheme(app)
        icon = style.app_icon()
        if not icon.isNull():
            self.setWindowIcon(icon)
        start = self.page(self._ids[navigation.START])
        if isinstance(start, StartPage) and self.style().name().lower() == "fusion":
            start.paint_arrows(light_too=True)


#: Fields of a flow's state (WizardState.extra) that hold what the person entered.
_WORK_FIELDS = re.compile(r"file|password|passphrase|issued")


def work_entered(state: navigation.WizardState) -> bool:
    """Files added or passwords typed in this run (the install's own fields, and the
    fields of other flows' states named for a file, password or passphrase)."""
    if state.files or any(state.passwords.values()):
        return True
    for value in state.extra.values():
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                if _WORK_FIELDS.search(field.name) and getattr(value, field.name):
                    return True
    return False


def _fresh_state(old: navigation.WizardState, job: str) -> navigation.WizardState:
    state = navigation.WizardState(job=job)
    if job == "install":
        state.files = list(old.files)
    return state


class PaintWatcher(QObject):
    """Tells when a widget has been painted (for `--smoke` and the start-up benchmark)."""

    painted = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.seen = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            self.painted.emit()
        return False
