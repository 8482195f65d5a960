"""What every wizard page shares: its id, the run's state, busy/error display, and
"validate in the background, then move on".

Pages are thin: they gather input into `self.state`, call app.actions/app.core through
`self.run(...)` (a worker), and show the result. Completeness comes from
`app.gui.navigation`, not from the page.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.gui import navigation
from app.gui.worker import Progress, Task, run_task

if TYPE_CHECKING:
    from app.gui.dialogs import Dialogs
    from app.gui.wizard import GridCertWizard

T = TypeVar("T")

def tr(context: str, text: str) -> str:
    return QApplication.translate(context, text)


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as a person reads it: `~/Downloads/x.pfx` under the home folder (the full
    home path is noise, and on a shared screen it shows the account name); other paths as
    they are. Editable path fields keep the full path."""
    text = os.fspath(path)
    home = os.path.expanduser("~")
    if home and home not in ("/", "~") and os.path.isabs(text):
        if text == home:
            return "~"
        prefix = home.rstrip(os.sep) + os.sep
        if text.startswith(prefix):
            return "~" + os.sep + text[len(prefix):]
    return text


def folder_phrase(folder: str | os.PathLike[str]) -> str:
    """A folder in words for a question: "your home folder", "the folder “Documents” in
    your home folder", "the folder /srv/certs" — never "~", which means nothing to most
    people."""
    full = os.path.abspath(os.fspath(folder))
    home = os.path.abspath(os.path.expanduser("~"))
    if home not in ("/", "~"):
        if full == home:
            return tr("", "your home folder")
        prefix = home.rstrip(os.sep) + os.sep
        if full.startswith(prefix):
            return tr("", "the folder “{name}” in your home folder").format(
                name=full[len(prefix):])
    return tr("", "the folder {path}").format(path=full)


def typed_path(text: str) -> str:
    """What a path field means: `~/…` (as GridCert fills it in) is the home folder."""
    text = text.strip()
    return os.path.expanduser(text) if text else ""


def shorten_paths(text: str) -> str:
    """Every home-folder path inside a sentence written as `~/…` (sentences from the
    actions name the files they wrote in full)."""
    home = os.path.expanduser("~")
    if not home or home in ("/", "~"):
        return text
    return text.replace(home.rstrip(os.sep) + os.sep, "~" + os.sep)


def message_label(parent: QWidget | None = None, name: str = "message") -> QLabel:
    """A wrapping label for sentences (errors, notes); hidden until it has text."""
    from PySide6.QtCore import Qt  # not at the top: see app/gui/worker.py _connect

    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    label.setAccessibleName(name.replace("-", " "))
    label.hide()
    return label


def text_label(text: str = "", name: str | None = None, *, rich: bool = False,
               bold: bool = False, selectable: bool = False) -> QLabel:
    """A wrapping label for a sentence or a value; `selectable` when a person may want to
    copy it (a name, a path, a fingerprint). Plain text unless `rich`, so that a file or
    certificate name can never inject markup."""
    from PySide6.QtCore import Qt

    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
        label.setAccessibleName(name.replace("-", " "))
    return label


def password_field(name: str, accessible: str) -> QLineEdit:
    """A line edit that shows dots, named for tests and screen readers."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible)
    return edit


def show_message(label: QLabel, text: str | None, kind: str = "error",
                 detail: str | None = None) -> None:
    """Show `text` in `label` ("" / None hides it). `kind`: error, warning, info.

    The technical words behind a sentence — `detail`, or the `detail` a failure's
    sentence carries (app.gui.worker.Sentence, from GridCertError.detail) — go behind a
    *Details* link under the label, never into the sentence itself."""
    detail = detail or getattr(text, "detail", None) or None
    if not text:
        label.clear()
        label.hide()
        _set_detail(label, None)
        return
    from PySide6.QtGui import QPalette

    from app.gui.widgets import level_colour

    # Colours from the palette (dark mode stays readable); no style sheet, which would
    # also take the palette's focus and selection colours away from the label.
    if kind in ("error", "warning"):
        palette = QPalette(label.palette())
        palette.setColor(QPalette.ColorRole.WindowText,
                         level_colour("error" if kind == "error" else "warning", palette))
        label.setPalette(palette)
    else:
        label.setPalette(QPalette())  # what the page's palette says
    text = shorten_paths(str(text))
    label.setText(text)
    label.setAccessibleDescription(text)
    label.show()
    _set_detail(label, shorten_paths(detail) if detail else None)


def _layout_slot(widget: QWidget) -> tuple[QBoxLayout, int] | None:
    """The box layout holding `widget` and its index there (None if it is in none)."""
    parent = widget.parentWidget()
    top = parent.layout() if parent is not None else None

    def search(layout: QLayout) -> tuple[QBoxLayout, int] | None:
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is None:
                continue
            if item.widget() is widget:
                return (layout, index) if isinstance(layout, QBoxLayout) else None
            inner = item.layout()
            if inner is not None:
                found = search(inner)
                if found is not None:
                    return found
        return None

    return search(top) if top is not None else None


def _set_detail(label: QLabel, detail: str | None) -> None:
    """The Details link and its text under `label` (made the first time one is needed)."""
    parent = label.parentWidget()
    holder = (parent.findChild(QWidget, f"{label.objectName()}-details")
              if parent is not None and label.objectName() else None)
    if holder is None and detail:
        holder = _details_holder(label)
    if holder is None:
        label.setToolTip(detail or "")  # not in a box layout: the detail is one hover away
        return
    from app.gui.widgets import DetailsLink

    link = holder.findChild(DetailsLink)
    shown = holder.findChild(QLabel, f"{label.objectName()}-detail")
    assert link is not None and shown is not None
    shown.setText(detail or "")
    link.set_open(False)
    holder.setVisible(bool(detail))


def _details_holder(label: QLabel) -> QWidget | None:
    if not label.objectName() or label.parentWidget() is None or _layout_slot(label) is None:
        return None
    from PySide6.QtCore import Qt

    from app.gui.widgets import DetailsLink

    slot = _layout_slot(label)
    assert slot is not None
    layout, index = slot
    holder = QWidget(label.parentWidget())
    holder.setObjectName(f"{label.objectName()}-details")
    inner = QVBoxLayout(holder)
    inner.setContentsMargins(0, 0, 0, 0)
    shown = QLabel()
    shown.setObjectName(f"{label.objectName()}-detail")
    shown.setWordWrap(True)
    shown.setTextFormat(Qt.TextFormat.PlainText)
    shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    shown.setAccessibleName(tr("", "Technical details"))
    link = DetailsLink(shown, name=f"{label.objectName()}-details-link")
    inner.addWidget(link)
    inner.addWidget(shown)
    layout.insertWidget(index + 1, holder)
    holder.hide()
    return holder


class FlowPage(QWizardPage):
    """A page of a flow; `page_id` is its navigation id."""

    page_id: str = ""

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__()
        self.gc_wizard = wizard
        self.setObjectName(self.page_id)
        self._validated = False
        self._task: Task | None = None
        #: Files the person agreed to replace (in a Save dialog, which asks itself, or
        #: when asked by `may_write`).
        self._replace_agreed: set[str] = set()

    # --- shared state -------------------------------------------------------------
    @property
    def state(self) -> navigation.WizardState:
        return self.gc_wizard.state

    @property
    def dialogs(self) -> Dialogs:
        return self.gc_wizard.dialogs

    def tr(self, text: str) -> str:  # type: ignore[override]
        return QApplication.translate(type(self).__name__, text)

    # --- QWizardPage hooks --------------------------------------------------------
    def isComplete(self) -> bool:
        return navigation.is_complete(self.state, self.page_id)

    def nextId(self) -> int:
        return self.gc_wizard.next_id_for(self.page_id)

    def focus_finish_soon(self) -> None:
        """On a last page: put the focus on Close (after QWizard has placed it on the
        page's first control, where a read-only list would look like a selected row)."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QWizard

        def focus() -> None:
            if self.gc_wizard.currentPage() is self:
                self.gc_wizard.button(QWizard.WizardButton.FinishButton).setFocus()

        QTimer.singleShot(0, focus)

    def job_started(self) -> None:
        """Called when the start page's button led here (the first page of a job)."""

    def refresh(self) -> None:
        """Something in the state changed: let QWizard re-ask isComplete()."""
        self.completeChanged.emit()

    # --- files the page writes ----------------------------------------------------
    def pick_save_path(self, title: str, suggested: str, filter_: str) -> str:
        """A path from the Save dialog ("" when cancelled); the dialog has asked about
        replacing an existing file already."""
        path = self.dialogs.save_file(self, title, suggested, filter_)
        if path:
            self._replace_agreed.add(os.path.abspath(path))
        return path

    def may_write(self, path: str) -> bool:
        """Whether the page may write `path`: it does not exist yet, or the person agrees
        to replace it (a typed name must never silently replace a file)."""
        full = os.path.abspath(path) if path else ""
        folder = os.path.dirname(full)
        if path and not os.path.isdir(folder):
            # Said here, where a folder can still be chosen, not after the work has run.
            self.dialogs.inform(self, tr("", "No such folder"), tr(
                "", "GridCert cannot find {folder}; choose where to save the file.").format(
                    folder=folder_phrase(folder)))
            return False
        if not path or not os.path.exists(path):
            return True
        if full in self._replace_agreed:
            return True
        if os.path.isdir(path):
            return True  # the action says in a sentence that a folder is not a file
        if not self.dialogs.confirm(self, tr("", "Replace the file?"), tr("",
                "There is already a file called “{name}” in {folder}. Replace it?").format(
                    name=os.path.basename(path), folder=folder_phrase(os.path.dirname(full))),
                tr("", "&Replace")):
            return False
        self._replace_agreed.add(full)
        return True

    # --- background work ----------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.state.busy

    def set_busy(self, busy: bool) -> None:
        self.state.busy = busy
        self.gc_wizard.set_busy_cursor(busy)
        self.refresh()

    def run(
        self,
        fn: Callable[[Progress], T],
        on_finished: Callable[[T], None],
        on_failed: Callable[[str], None],
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> Task:
        """Run `fn` in the background with the page marked busy until it reports."""
        self.set_busy(True)

        def finished(result: T) -> None:
            self._task = None
            self.set_busy(False)
            on_finished(result)

        def failed(message: str) -> None:
            self._task = None
            self.set_busy(False)
            on_failed(message)

        self._task = run_task(fn, finished, failed, on_progress, receiver=self)
        return self._task

    def advance_soon(self) -> None:
        """A page that only shows work going on: once its work has reported, go on to
        the outcome by itself (there is nothing to decide here). Deferred one turn so
        that QWizard has seen the page become complete."""
        from PySide6.QtCore import QTimer

        self.refresh()
        QTimer.singleShot(0, self._advance)

    def _advance(self) -> None:
        if self.gc_wizard.currentPage() is self and self.isComplete():
            self.gc_wizard.next()

    # --- "check in the background, then go on" ------------------------------------
    def validatePage(self) -> bool:
        if self._validated:
            self._validated = False
            return True
        if self.busy:
            return False
        if not self.needs_background_validation():
            return True
        self.start_validation()
        return False

    def needs_background_validation(self) -> bool:
        return False

    def start_validation(self) -> None:
        """Start the check; call `self.validation_passed()` when it succeeds."""

    def validation_passed(self) -> None:
        self._validated = True
        self.gc_wizard.next()
