"""The install flow's pages: Add files → Review → Password → Where → Confirm → Progress → Done.

Each page gathers input into the run's `WizardState`, calls app.actions/app.core through
`app.gui.engine` in a worker, and shows what came back. Which page follows which, and
when Next is allowed, is decided by `app.gui.navigation`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import engine, navigation
from app.gui.base import (
    FlowPage,
    display_path,
    message_label,
    shorten_paths,
    show_message,
    text_label,
)
from app.gui.describe import (
    ItemView,
    count_phrase,
    describe_item,
    file_label,
    grouped_fingerprint,
    other_member_phrase,
    picker_sentence,
)
from app.gui.worker import run_task

if TYPE_CHECKING:
    from app.gui.wizard import GridCertWizard


def register() -> None:
    from app.gui.wizard import register_page

    for page in (AddFilesPage, ReviewPage, PasswordPage, WherePage, ConfirmPage,
                 ProgressPage, DonePage):
        register_page(page.page_id, page)


def _scroll(inner: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    area.setAccessibleName(name.replace("-", " "))
    # Not a Tab stop of its own (an invisible one, after Cancel): Tab goes to the controls
    # inside it, and the area scrolls to show whichever has the focus.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


def _clear(layout: QVBoxLayout | QGridLayout) -> None:
    while layout.count():
        child = layout.takeAt(0)
        widget = child.widget() if child is not None else None
        if widget is not None:
            widget.deleteLater()




# --- Add files ---------------------------------------------------------------------------


class FileList(QListWidget):
    """The list of added files; files dropped on it are handed to the page."""

    def __init__(self, page: AddFilesPage) -> None:
        super().__init__()
        self.page = page
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.page.dropEvent(event)


class AddFilesPage(FlowPage):
    page_id = navigation.ADD_FILES

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Add the files you were sent"))
        self.setSubTitle(self.tr(
            "Your own certificate is a .pfx or .p12 file (you also got a password for it). "
            "Your operator's root certificates usually come as a .zip. Drop the files here "
            "or choose Browse."))
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)

        self.files = FileList(self)
        self.files.setObjectName("file-list")
        self.files.setAccessibleName(self.tr("Files to install"))
        self.files.setAccessibleDescription(self.tr("Drop certificate files here"))
        self.files.setMinimumHeight(120)
        self.files.itemSelectionChanged.connect(self._selection_changed)
        self.empty_hint = QLabel(self.tr("No files yet: drop them here, or choose Browse…"))
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setEnabled(False)

        buttons = QHBoxLayout()
        self.browse = QPushButton(self.tr("Bro&wse…"))  # B is Back's
        self.browse.setObjectName("browse")
        self.browse.setAccessibleName(self.tr("Browse for certificate files"))
        self.browse.clicked.connect(self.browse_files)
        self.remove = QPushButton(self.tr("&Remove from list"))
        self.remove.setObjectName("remove-file")
        self.remove.setAccessibleName(self.tr("Remove the selected files from the list"))
        self.remove.setEnabled(False)
        self.remove.clicked.connect(self.remove_selected)
        buttons.addWidget(self.browse)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)

        layout.addWidget(self.files, 2)
        layout.addWidget(self.empty_hint)
        layout.addLayout(buttons)

        # Where to get an operator's roots: the catalog, loaded when the page opens.
        self.catalog_box = QGroupBox(self.tr("Don't have your operator's root certificates?"))
        self.catalog_box.setObjectName("catalog-box")
        box = QGridLayout(self.catalog_box)
        operator_label = QLabel(self.tr("&Operator:"))
        self.operator = QComboBox()
        self.operator.setObjectName("operator")
        self.operator.setAccessibleName(self.tr("Grid operator"))
        operator_label.setBuddy(self.operator)
        self.operator.currentIndexChanged.connect(self._show_catalog)
        self.catalog_text = QLabel()
        self.catalog_text.setObjectName("catalog-roots")
        self.catalog_text.setAccessibleName(self.tr("The operator's root certificates"))
        self.catalog_text.setWordWrap(True)
        self.catalog_text.setTextFormat(Qt.TextFormat.RichText)
        self.catalog_text.setOpenExternalLinks(False)
        self.catalog_text.linkActivated.connect(self.dialogs.open_url)
        self.catalog_text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction)
        box.addWidget(operator_label, 0, 0)
        box.addWidget(self.operator, 0, 1)
        box.setColumnStretch(2, 1)
        box.addWidget(self.catalog_text, 1, 0, 1, 3)
        self.catalog_box.hide()
        layout.addWidget(self.catalog_box)
        self._catalog: Any = None
        self.show_files()

    # The page takes dropped files anywhere on it.
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    def job_started(self) -> None:
        # Most people arrive here to pick their files: open the picker straight away
        # (cancelling it leaves them on this page, where they can also drop files).
        if not self.state.files:
            QTimer.singleShot(0, self.browse_files)

    def initializePage(self) -> None:
        self.show_files()
        if self._catalog is None:
            self._load_catalog()

    def browse_files(self) -> None:
        if self.gc_wizard.currentPage() is not self:
            return
        paths = self.dialogs.open_files(self)
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        changed = False
        for path in paths:
            if path and path not in self.state.files:
                self.state.files.append(path)
                changed = True
        if changed:
            self.state.forget_files_read()
        self.show_files()

    def remove_selected(self) -> None:
        chosen = {item.data(Qt.ItemDataRole.UserRole) for item in self.files.selectedItems()}
        if not chosen:
            return
        self.state.files = [p for p in self.state.files if p not in chosen]
        self.state.forget_files_read()
        self.show_files()

    def show_files(self) -> None:
        self.files.clear()
        for path in self.state.files:
            item = QListWidgetItem(self.tr("{name}   (in {folder})").format(
                name=Path(path).name, folder=display_path(Path(path).parent)))
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.files.addItem(item)
        self.empty_hint.setVisible(not self.state.files)
        self._selection_changed()
        self.refresh()

    def _selection_changed(self) -> None:
        self.remove.setEnabled(bool(self.files.selectedItems()))

    # --- catalog --------------------------------------------------------------------
    def _load_catalog(self) -> None:
        def done(cat: Any) -> None:
            self._catalog = cat
            if cat is None or not cat.entries:
                return
            self.operator.blockSignals(True)
            self.operator.clear()
            for name in cat.operators():
                self.operator.addItem(name)
            # The operator the added files are named after ("ERCOT_CA_….zip"), if any.
            names = " ".join(Path(path).name.upper() for path in self.state.files)
            for index, name in enumerate(cat.operators()):
                if name.upper() in names:
                    self.operator.setCurrentIndex(index)
                    break
            self.operator.blockSignals(False)
            self.catalog_box.show()
            self._show_catalog()

        # Loading is quick, but it is file I/O: keep it off the UI thread anyway. It does
        # not make the page busy: Next need not wait for it.
        run_task(lambda _progress: engine.catalog(), done, lambda _msg: None, receiver=self)

    def _show_catalog(self) -> None:
        cat = self._catalog
        operator = self.operator.currentText()
        if cat is None or not operator:
            return
        lines = []
        for entry in cat.for_operator(operator):
            if not entry.browser_trust or entry.status != "active":
                continue
            env = self.tr("test") if entry.environment == "test" else self.tr("production")
            name = html.escape(entry.name)
            link = (f' — <a href="{html.escape(entry.download_url)}">'
                    f'{html.escape(self.tr("download page"))}</a>') if entry.download_url else ""
            lines.append(f"• <b>{name}</b> ({env}){link}")
        if not lines:
            self.catalog_text.setText(self.tr("GridCert knows no roots for this operator."))
            return
        self.catalog_text.setText(
            "<br>".join(lines)
            + "<br><small>" + html.escape(self.tr(
                "Download the .zip from the operator's page, then add it here.")) + "</small>")


# --- Review -----------------------------------------------------------------------------


class CertificateCard(QFrame):
    """One certificate on the Review page."""

    def __init__(self, view: ItemView, copy: Any, chosen: bool,
                 choose: Any) -> None:
        super().__init__()
        self.view = view
        self.setObjectName("certificate-card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{view.title}: {view.role}")
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        heading = text_label(f"{view.title} — {view.role}", bold=True, name="card-title")
        grid.addWidget(heading, 0, 0, 1, 2)
        # No mnemonic: every card has one of these, and a letter must be unique on a page.
        self.include = QCheckBox(self.tr("Install this"))
        self.include.setObjectName("include-certificate")
        self.include.setAccessibleName(self.tr("Install {name}, valid until {until}").format(
            name=view.title, until=view.valid_until))
        self.include.setChecked(chosen)
        self.include.toggled.connect(lambda on: choose(view.sha256, on))
        grid.addWidget(self.include, 0, 2, Qt.AlignmentFlag.AlignRight)
        rows = [("Issued to:", view.issued_to), ("Issued by:", view.issued_by),
                ("Valid until:", view.valid_until), ("From file:", file_label(view.source))]
        if view.catalog_phrase:
            rows.insert(0, ("Recognised:", view.catalog_phrase[0].upper()
                            + view.catalog_phrase[1:]))
        for row, (name, value) in enumerate(rows, start=1):
            key = QLabel(self.tr(name))
            key.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(key, row, 0)
            grid.addWidget(text_label(value, selectable=True), row, 1, 1, 2)
        row = len(rows) + 1
        grid.addWidget(QLabel(self.tr("SHA-256:")), row, 0,
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        fingerprint = text_label(grouped_fingerprint(view.sha256, 16), selectable=True,
                             name="fingerprint")
        fingerprint.setWordWrap(False)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        mono.setPointSizeF(max(7.0, fingerprint.font().pointSizeF() * 0.9))
        fingerprint.setFont(mono)
        grid.addWidget(fingerprint, row, 1)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setObjectName("copy-fingerprint")
        self.copy_button.setAccessibleName(self.tr("Copy the SHA-256 fingerprint of ")
                                           + view.title)
        self.copy_button.clicked.connect(lambda: copy(view.sha256_grouped))
        grid.addWidget(self.copy_button, row, 2, Qt.AlignmentFlag.AlignTop)
        for warning in view.warnings:
            row += 1
            label = message_label(name="certificate-warning")
            show_message(label, "⚠ " + warning, "warning")
            grid.addWidget(label, row, 0, 1, 3)


class ReviewPage(FlowPage):
    page_id = navigation.REVIEW

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Check what is in these files"))
        self.setSubTitle(self.tr(
            "Compare the roots' fingerprints with your operator's web page if you can. "
            "Nothing is installed yet."))
        layout = QVBoxLayout(self)
        self.status = message_label(name="review-status")
        layout.addWidget(self.status)
        inner = QWidget()
        self.cards = QVBoxLayout(inner)
        self.cards.setContentsMargins(0, 0, 0, 0)
        area = _scroll(inner, "review-list")
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(area, 1)
        self.views: list[ItemView] = []

    def initializePage(self) -> None:
        _clear(self.cards)
        self.views = []
        show_message(self.status, self.tr("Reading the files…"), "info")
        files = list(self.state.files)

        def work(_progress: Any) -> Any:
            # Read without the typed passwords: which files are locked must not change
            # when the person goes back and forth.
            result = engine.read_files(files)
            cat = engine.catalog()
            views = [describe_item(item, result.items, engine.catalog_match(cat, item))
                     for item in result.items]
            return result, views

        self.run(work, self._show, self._failed)

    def _failed(self, message: str) -> None:
        show_message(self.status, message)

    def _show(self, outcome: Any) -> None:
        result, views = outcome
        self.state.read = result
        self.state.locked = [p.source for p in result.problems if p.needs_password]
        self.views = views
        _clear(self.cards)
        for view in views:
            if view.sha256 not in self.state.seen:
                # An expired certificate no longer works: left out unless the person
                # ticks it (then the Confirm page asks them to install it anyway).
                self.state.seen.add(view.sha256)
                if view.days_left < 0:
                    self.state.excluded.add(view.sha256)
            chosen = view.sha256 not in self.state.excluded
            self.cards.addWidget(CertificateCard(view, self._copy, chosen, self._choose))
        for source in self.state.locked:
            card = QFrame()
            card.setObjectName("locked-card")
            card.setFrameShape(QFrame.Shape.StyledPanel)
            box = QVBoxLayout(card)
            box.addWidget(text_label(
                self.tr("{name} — your certificate, locked with a password").format(
                    name=file_label(source)), bold=True, name="locked-title"))
            box.addWidget(text_label(self.tr(
                "You will type its password on the next page; then GridCert opens it.")))
            self.cards.addWidget(card)
        for problem in result.problems:
            if problem.needs_password:
                continue
            label = message_label(name="file-problem")
            show_message(label, "✖ " + problem.message + self.tr(" It will be left out."))
            self.cards.addWidget(label)
        for member in result.other_members:
            self.cards.addWidget(text_label(other_member_phrase(member), name="other-member"))
        self.cards.addStretch(1)
        if views or self.state.locked:
            self._summarise()
        else:
            show_message(self.status, self.tr(
                "Nothing to install: none of these files holds a certificate. Go Back and "
                "add the files you were sent."))
        self.refresh()

    def _summarise(self) -> None:
        parts = []
        if self.views:
            parts.append(count_phrase(len(self.views), "certificate"))
        if self.state.locked:
            parts.append(self.tr("{what} locked with a password").format(
                what=count_phrase(len(self.state.locked), "file")))
        summary = self.tr("Found {what}.").format(what=self.tr(" and ").join(parts))
        left_out = [v for v in self.views if v.sha256 in self.state.excluded]
        if left_out:
            summary += " " + self.tr(
                "{what} left out: tick 'Install this' on its card to install it after "
                "all.").format(what=count_phrase(len(left_out), "certificate"))
            if len(left_out) == len(self.views) and not self.state.locked:
                summary += " " + self.tr("Tick at least one to go on.")
        show_message(self.status, summary, "info")

    def _choose(self, sha256: str, chosen: bool) -> None:
        if chosen:
            self.state.excluded.discard(sha256)
        else:
            self.state.excluded.add(sha256)
        self.state.forget_plan()
        self._summarise()
        self.refresh()

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        show_message(self.status, self.tr("Fingerprint copied."), "info")


# --- Password ---------------------------------------------------------------------------


class CapsLockWatcher(QObject):
    """Guesses Caps Lock from typed letters (Qt has no portable query): an upper-case
    letter without Shift, or a lower-case one with Shift, means it is on."""

    def __init__(self, field: QLineEdit, hint: QLabel) -> None:
        super().__init__(field)
        self.hint = hint
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            text = event.text()
            if len(text) == 1 and text.isalpha() and text.upper() != text.lower():
                shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.hint.setVisible(text.isupper() != shift)
        return False


class PasswordRow(QWidget):
    def __init__(self, source: str, page: PasswordPage) -> None:
        super().__init__()
        self.source = source
        name = file_label(source)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 8)
        label = QLabel(self.tr("Password for {name}:").format(name=name))
        label.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setObjectName("password")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(self.tr("Password for {name}").format(name=name))
        self.field.setText(page.state.passwords.get(source, ""))
        self.field.textChanged.connect(lambda text: page.password_typed(source, text))
        label.setBuddy(self.field)
        self.toggle = QToolButton()
        self.toggle.setObjectName("show-password")
        self.toggle.setText(self.tr("Show"))
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(self.tr("Show the password"))
        self.toggle.toggled.connect(self._toggle)
        self.caps = QLabel(self.tr("Caps Lock seems to be on."))
        self.caps.setObjectName("caps-lock-hint")
        self.caps.hide()
        CapsLockWatcher(self.field, self.caps)
        self.error = message_label(name="password-error")
        grid.addWidget(label, 0, 0, 1, 2)
        grid.addWidget(self.field, 1, 0)
        grid.addWidget(self.toggle, 1, 1)
        grid.addWidget(self.caps, 2, 0, 1, 2)
        grid.addWidget(self.error, 3, 0, 1, 2)

    def _toggle(self, shown: bool) -> None:
        self.field.setEchoMode(QLineEdit.EchoMode.Normal if shown
                               else QLineEdit.EchoMode.Password)
        self.toggle.setText(self.tr("Hide") if shown else self.tr("Show"))
        self.toggle.setAccessibleName("Hide the password" if shown else "Show the password")


class PasswordPage(FlowPage):
    page_id = navigation.PASSWORD

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Type the password of your certificate"))
        self.setSubTitle(self.tr(
            "It is the password that came with the .pfx file (often in a separate email or "
            "shown once when you downloaded it). GridCert keeps it only while it runs."))
        layout = QVBoxLayout(self)
        self.rows_box = QVBoxLayout()
        layout.addLayout(self.rows_box)
        self.status = message_label(name="password-status")
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.rows: list[PasswordRow] = []

    def initializePage(self) -> None:
        _clear(self.rows_box)
        self.rows = [PasswordRow(source, self) for source in self.state.locked]
        for row in self.rows:
            self.rows_box.addWidget(row)
        show_message(self.status, None)
        if self.rows:
            QTimer.singleShot(0, self.rows[0].field.setFocus)

    def cleanupPage(self) -> None:
        # Going back: forget what the files gave with the password (Review re-reads).
        self.state.unlocked = set()

    def password_typed(self, source: str, text: str) -> None:
        self.state.passwords[source] = text
        self.state.unlocked.discard(source)
        self.refresh()

    def needs_background_validation(self) -> bool:
        return True

    def start_validation(self) -> None:
        for row in self.rows:
            show_message(row.error, None)
        show_message(self.status, self.tr("Opening the files…"), "info")
        files = list(self.state.files)
        passwords = {s: self.state.passwords.get(s, "") for s in self.state.locked}
        self.run(lambda _p: engine.read_files(files, passwords), self._checked, self._failed)

    def _failed(self, message: str) -> None:
        show_message(self.status, message)

    def _checked(self, result: Any) -> None:
        still = {p.source: p for p in result.problems if p.needs_password}
        wrong = [row for row in self.rows if row.source in still]
        if wrong:
            show_message(self.status, None)
            for row in wrong:
                show_message(row.error, still[row.source].message + " " + self.tr(
                    "Check the password (it is case-sensitive) and try again."))
                row.field.selectAll()
            wrong[0].field.setFocus()
            return
        show_message(self.status, None)
        self.state.read = result
        self.state.unlocked = set(self.state.locked)
        self.state.forget_plan()
        self.validation_passed()


# --- Where ------------------------------------------------------------------------------


class WherePage(FlowPage):
    page_id = navigation.WHERE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Where should they go?"))
        self.setSubTitle(self.tr(
            "GridCert found these places on this computer. The usual ones are ticked."))
        layout = QVBoxLayout(self)
        self.status = message_label(name="where-status")
        layout.addWidget(self.status)
        inner = QWidget()
        self.list_box = QVBoxLayout(inner)
        self.list_box.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_scroll(inner, "target-list"), 1)
        self.boxes: dict[str, QCheckBox] = {}
        self.infos: dict[str, engine.TargetInfo] = {}
        self._loaded = False

    def initializePage(self) -> None:
        if self._loaded:
            return
        show_message(self.status, self.tr("Looking for browsers and certificate stores…"),
                     "info")
        self.run(lambda _p: engine.detect_targets(), self._show, self._failed)

    def _failed(self, message: str) -> None:
        show_message(self.status, message)

    def _show(self, infos: list[engine.TargetInfo]) -> None:
        self._loaded = True
        _clear(self.list_box)
        self.boxes = {}
        self.infos = {info.id: info for info in infos}
        self.state.extra["targets"] = self.infos
        chosen: list[str] = []
        for info in infos:
            box = QCheckBox(info.label)
            box.setObjectName(f"target:{info.id}")
            box.setAccessibleName(info.label)
            box.setEnabled(info.usable)
            box.setChecked(info.default and info.usable)
            if info.default and info.usable:
                chosen.append(info.id)
            box.toggled.connect(self._toggled)
            self.list_box.addWidget(box)
            self.boxes[info.id] = box
            detail = info.reason if not info.usable else info.busy
            if detail:
                label = message_label(name="target-detail")
                show_message(label, detail, "info" if not info.usable else "warning")
                label.setContentsMargins(24, 0, 0, 4)
                if not info.usable:
                    label.setEnabled(False)
                box.setAccessibleDescription(detail)
                self.list_box.addWidget(label)
        self.list_box.addStretch(1)
        self.state.targets = chosen
        self.state.forget_plan()
        if not infos:
            show_message(self.status, self.tr(
                "GridCert found no certificate store it can use on this computer."))
        else:
            show_message(self.status, None)
        self.refresh()

    def _toggled(self) -> None:
        self.state.targets = [tid for tid, box in self.boxes.items() if box.isChecked()]
        self.state.forget_plan()
        self.refresh()


# --- Confirm ----------------------------------------------------------------------------


class ConfirmPage(FlowPage):
    page_id = navigation.CONFIRM

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self._ready_title()
        layout = QVBoxLayout(self)
        self.status = message_label(name="confirm-status")
        layout.addWidget(self.status)
        self.steps = QListWidget()
        self.steps.setObjectName("plan-steps")
        self.steps.setAccessibleName(self.tr("Planned steps"))
        self.steps.setWordWrap(True)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.steps, 1)
        self.notes = message_label(name="plan-notes")
        layout.addWidget(self.notes)
        self.refused = message_label(name="plan-refused")
        layout.addWidget(self.refused)
        self.warnings = message_label(name="plan-warnings")
        layout.addWidget(self.warnings)
        row = QHBoxLayout()
        self.accept = QCheckBox(self.tr("Install &anyway"))
        self.accept.setObjectName("install-anyway")
        self.accept.setAccessibleName(self.tr("Install anyway, despite the warnings"))
        self.accept.toggled.connect(self._accepted)
        self.accept.hide()
        self.recheck = QPushButton(self.tr("Check a&gain"))
        self.recheck.setObjectName("recheck")
        self.recheck.setAccessibleName(self.tr("Check the stores again"))
        self.recheck.clicked.connect(self.initializePage)
        self.recheck.hide()
        row.addWidget(self.accept)
        row.addStretch(1)
        row.addWidget(self.recheck)
        layout.addLayout(row)

    def _ready_title(self) -> None:
        self.setTitle(self.tr("Ready to install"))
        self.setSubTitle(self.tr("This is exactly what GridCert will do. Nothing has changed "
                                 "yet; if any step fails, everything is put back."))

    def initializePage(self) -> None:
        self.setFinalPage(False)
        self._ready_title()
        self.steps.clear()
        for label in (self.notes, self.refused, self.warnings):
            show_message(label, None)
        self.accept.hide()
        self.recheck.hide()
        self.state.forget_plan()
        show_message(self.status, self.tr("Working out the steps…"), "info")
        items = self.state.chosen_items
        found: dict[str, engine.TargetInfo] = self.state.extra.get("targets", {})
        stores = [found[tid].store for tid in self.state.targets if tid in found]

        def work(_progress: Any) -> Any:
            return engine.plan_install(items, stores), engine.busy_reasons(stores)

        self.run(work, self._show, self._failed)

    def _failed(self, message: str) -> None:
        show_message(self.status, message)
        self.refresh()

    def _show(self, outcome: Any) -> None:
        plan, busy = outcome
        self.state.plan = plan
        self.state.blocked = list(busy)
        self.steps.clear()
        for step in plan.steps:
            mark = "—" if step.skip else "•"
            text = f"{mark} {step.title}"
            if step.skip:
                text += self.tr(" (already there; nothing to do)")
            else:
                text += f"\n      {step.reason[0].upper()}{step.reason[1:]}."
            item = QListWidgetItem(text)
            item.setToolTip(step.reason)
            self.steps.addItem(item)
        notes = [n for n in plan.notes if n not in busy]
        show_message(self.notes, "\n".join("ℹ " + n for n in notes), "info")
        if busy:
            self.recheck.show()
        show_message(self.refused, "\n".join("✖ " + r for r in plan.refused), "warning")
        if not self.state.plan_has_work:
            # The run ends here (navigation makes this the last page): say so, and let
            # Close be the way out rather than a greyed Install.
            if plan.refused:
                self.setTitle(self.tr("Nothing can be installed"))
                self.setSubTitle(self.tr("GridCert will not install what is in these files; "
                                         "the reason is below. Nothing was changed."))
                show_message(self.status, self.tr(
                    "Nothing to do. Press Close, or go Back to add other files."), "info")
            else:
                self.setTitle(self.tr("Already installed"))
                self.setSubTitle(self.tr("Everything in these files is already in the places "
                                         "you chose. Nothing needs to change."))
                show_message(self.status, self.tr(
                    "Nothing to do: everything is already where it should be. Press Close."),
                    "info")
            show_message(self.warnings, None)
            # QWizard works out Install-or-Close when the page opens; it must hear that
            # this page has become the last one.
            self.setFinalPage(True)
            self.refresh()
            return
        if plan.warnings:
            self.accept.show()
            self.accept.setChecked(False)
        # What blocks the install comes first and is not covered by "Install anyway":
        # installing into a Firefox that is open would only fail and be rolled back.
        lines = ["✖ " + b for b in busy] + ["⚠ " + w for w in plan.warnings]
        show_message(self.warnings, "\n".join(lines), "error")
        count = len([s for s in plan.steps if not s.skip])
        if busy:
            show_message(self.status, self.tr(
                "{steps}, but not yet: put right what is said below, then press Check "
                "again.").format(steps=count_phrase(count, "step")), "info")
        else:
            show_message(self.status, self.tr("{steps}. Press Install to go ahead.").format(
                steps=count_phrase(count, "step")), "info")
        self.refresh()

    def _accepted(self, accepted: bool) -> None:
        self.state.warnings_accepted = accepted
        self.refresh()


# --- Progress ---------------------------------------------------------------------------


class RunFailed:
    """What the Done page shows when apply itself raised (cancelled, a store refused)."""

    def __init__(self, message: str) -> None:
        self.ok = False
        self.error = message
        self.applied: list[Any] = []
        self.verified: list[str] = []
        self.failed = None
        self.rolled_back = True
        self.journal_id = None


class ProgressPage(FlowPage):
    page_id = navigation.PROGRESS

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Installing…"))
        self.setSubTitle(self.tr("Please keep this window open. Each place is checked "
                                 "afterwards."))
        layout = QVBoxLayout(self)
        self.steps = QListWidget()
        self.steps.setObjectName("progress-steps")
        self.steps.setAccessibleName(self.tr("Steps"))
        self.steps.setWordWrap(True)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.steps, 1)
        self.bar = QProgressBar()
        self.bar.setObjectName("progress-bar")
        self.bar.setAccessibleName(self.tr("Progress"))
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        self.status = text_label("", name="progress-status")
        self.status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.cancel = QPushButton(self.tr("&Stop"))
        self.cancel.setObjectName("cancel-install")
        self.cancel.setAccessibleName(self.tr("Stop the installation and put everything back"))
        self.cancel.clicked.connect(self._cancel)
        row.addWidget(self.status, 1)
        row.addWidget(self.cancel)
        layout.addLayout(row)
        self.token: Any = None
        self._titles: list[str] = []
        # A commit page (no way back into it); it moves on by itself, so plain "Next".
        self.setButtonText(wizard.WizardButton.CommitButton, self.tr("&Next >"))

    def initializePage(self) -> None:
        plan = self.state.plan
        self.state.report = None
        self._titles = [s.title for s in plan.steps if not s.skip] if plan is not None else []
        self.steps.clear()
        for title in self._titles:
            self.steps.addItem(QListWidgetItem("○ " + title))
        self.bar.setRange(0, max(1, len(self._titles)))
        self.bar.setValue(0)
        self.status.setText(self.tr("Starting…"))
        self.cancel.setEnabled(True)
        self.gc_wizard.button(self.gc_wizard.WizardButton.CancelButton).setEnabled(False)
        token = self.token = engine.new_cancel_token()
        self.run(lambda progress: engine.apply_plan(plan, progress, token),
                 self._finished, self._failed, self._progress)

    def _progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self.status.setText(message)
        for index in range(self.steps.count()):
            item = self.steps.item(index)
            title = self._titles[index]
            if index < done:
                item.setText("✓ " + title)
            elif index == done and done < total:
                item.setText("→ " + title)

    def _cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
        self.cancel.setEnabled(False)
        self.status.setText(self.tr("Stopping… what was done is being put back."))

    def _finished(self, report: Any) -> None:
        self.state.report = report
        self._done()

    def _failed(self, message: str) -> None:
        self.state.report = RunFailed(message)
        self._done()

    def _done(self) -> None:
        self.cancel.setEnabled(False)
        self.gc_wizard.button(self.gc_wizard.WizardButton.CancelButton).setEnabled(True)
        # Nothing to decide here: show the outcome at once.
        self.advance_soon()


# --- Done -------------------------------------------------------------------------------


def applied_steps_left(report: Any) -> bool:
    """Whether a failed run left changes behind (putting them back failed too)."""
    return bool(getattr(report, "applied", None)) and not getattr(report, "rolled_back", False)


class DonePage(FlowPage):
    page_id = navigation.DONE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        layout = QVBoxLayout(self)
        self.summary = text_label("", name="done-summary")
        layout.addWidget(self.summary)
        self.details = QListWidget()
        self.details.setObjectName("done-details")
        self.details.setAccessibleName(self.tr("What was checked"))
        self.details.setWordWrap(True)
        self.details.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.details, 1)
        self.next_steps = text_label("", name="done-next-steps")
        layout.addWidget(self.next_steps)
        self.status = message_label(name="done-status")
        layout.addWidget(self.status)
        # Takes the room when the list is hidden (the list's stretch wins otherwise).
        layout.addStretch(0)
        row = QHBoxLayout()
        self.undo = QPushButton(self.tr("&Undo this installation"))
        self.undo.setObjectName("undo")
        self.undo.setAccessibleName(self.tr("Undo this installation"))
        self.undo.clicked.connect(self._undo)
        self.open_log = QPushButton(self.tr("Open the &log"))
        self.open_log.setObjectName("open-log")
        self.open_log.setAccessibleName(self.tr("Open GridCert's log file"))
        self.open_log.clicked.connect(self._open_log)
        self.backup = QPushButton(self.tr("&Save a backup of your certificate…"))
        self.backup.setObjectName("save-backup")
        self.backup.setAccessibleName(self.tr("Save a backup of your certificate"))
        self.backup.clicked.connect(self._backup)
        self.retry = QPushButton(self.tr("Try &again"))
        self.retry.setObjectName("try-again")
        self.retry.setAccessibleName(self.tr("Try the same installation again"))
        self.retry.clicked.connect(self._try_again)
        row.addWidget(self.retry)
        row.addWidget(self.undo)
        row.addWidget(self.backup)
        row.addStretch(1)
        row.addWidget(self.open_log)
        layout.addLayout(row)

    def initializePage(self) -> None:
        report = self.state.report
        self.details.clear()
        show_message(self.status, None)
        ok = bool(getattr(report, "ok", False))
        if ok:
            self.setTitle(self.tr("Done: your certificates are installed"))
            self.setSubTitle(self.tr("GridCert checked each place afterwards. Restart your "
                                     "browsers so that they see the change."))
            self.summary.setText(self.tr("What GridCert found when it checked:"))
            for sentence in getattr(report, "verified", []) or []:
                self.details.addItem("✓ " + shorten_paths(sentence))
            self.next_steps.setText(self._picker_sentence())
        else:
            self.next_steps.setText("")
            if applied_steps_left(report):
                # Putting things back failed too: never claim the stores are untouched.
                self.setTitle(self.tr("The installation stopped partway"))
                self.setSubTitle(self.tr("Some changes could not be put back; the message "
                                         "below says what to do."))
            else:
                self.setTitle(self.tr("Nothing was installed"))
                self.setSubTitle(self.tr("Your browsers and this computer are as they were "
                                         "before."))
                self.next_steps.setText(self.tr(
                    "What now: nothing needs cleaning up. Put right what the message says, then "
                    "press Try again (your files and password are still here). The log has "
                    "the details."))
            error = getattr(report, "error", None) or self.tr("The installation did not run.")
            failed = getattr(report, "failed", None)
            where = f" ({failed.title})" if failed is not None else ""
            text = self.tr("It stopped{where}: {error}").format(where=where, error=error)
            if getattr(report, "rolled_back", False):
                text += " " + self.tr("The steps already done were undone.")
            self.summary.setText(shorten_paths(text))
            for step in getattr(report, "applied", []) or []:
                self.details.addItem("↺ " + self.tr("Undone: ") + step.title)
        self.focus_finish_soon()
        applied = bool(getattr(report, "applied", None))
        # An empty white box says nothing; the summary above it says enough then.
        self.details.setVisible(self.details.count() > 0)
        self.undo.setVisible(ok and applied)
        self.undo.setEnabled(True)
        # Everything was put back: the same plan can simply run again once the cause is
        # put right (Firefox closed, disk space freed), without retyping anything.
        self.retry.setVisible(not ok and self.state.plan is not None
                              and (not applied_steps_left(report)))
        self.retry.setEnabled(True)
        self.backup.setVisible(ok and self._identity() is not None
                               and engine.export_available())

    def _try_again(self) -> None:
        plan = self.state.plan
        if plan is None:
            return
        self.retry.setEnabled(False)
        show_message(self.status, self.tr("Installing again…"), "info")

        def work(progress: Any) -> Any:
            # apply_plan itself refuses a place that is busy (Firefox still open) with
            # its sentence, before changing anything.
            return engine.apply_plan(plan, progress, engine.new_cancel_token())

        def finished(report: Any) -> None:
            self.state.report = report
            self.initializePage()

        def failed(message: str) -> None:
            finished(RunFailed(message))

        self.run(work, finished, failed)

    def _picker_sentence(self) -> str:
        """Which name to pick in the browser's certificate list: the one each browser
        that received the certificate shows."""
        plan = self.state.plan
        steps = [s for s in getattr(plan, "steps", []) or []
                 if s.kind == "import-identity" and s.item is not None]
        if not steps:
            return ""
        identity = getattr(steps[0], "identity", None)
        nickname = getattr(identity, "friendly_name", None)
        by_nickname = [engine.lists_by_nickname(plan, s.target_id) for s in steps]
        return picker_sentence(steps[0].item.display_name, nickname, any(by_nickname),
                               not all(by_nickname))

    def _identity(self) -> Any:
        plan = self.state.plan
        for step in getattr(plan, "steps", []) or []:
            if step.kind == "import-identity":
                return step
        return None

    def _undo(self) -> None:
        if not self.dialogs.confirm(self, self.tr("Undo"), self.tr(
                "Remove what this installation added, from every place?"),
                self.tr("&Undo")):
            return
        show_message(self.status, self.tr("Undoing…"), "info")
        self.run(lambda progress: engine.undo_last(progress), self._undone, self._undo_failed)

    def _undone(self, report: Any) -> None:
        if getattr(report, "ok", False):
            self.undo.setEnabled(False)
            self.setTitle(self.tr("Undone"))
            self.setSubTitle(self.tr("Everything this installation added has been removed."))
            self.summary.setText(self.tr("What GridCert took back, and checked:"))
            self.details.clear()
            for sentence in getattr(report, "verified", []) or []:
                self.details.addItem("✓ " + shorten_paths(sentence))
            self.details.setVisible(self.details.count() > 0)
            # The advice about choosing the certificate in the browser no longer holds,
            # nor does a backup of a certificate that is gone.
            self.next_steps.setText(self.tr(
                "Nothing else to do: you can close GridCert, or open it again to install "
                "other files."))
            self.backup.hide()
            self.undo.hide()
            self.focus_finish_soon()
            show_message(self.status, self.tr("The installation was undone."), "info")
        else:
            show_message(self.status, getattr(report, "error", None)
                         or self.tr("Undo did not complete."))

    def _undo_failed(self, message: str) -> None:
        show_message(self.status, message)

    def _open_log(self) -> None:
        path = engine.log_file()
        if not path or not self.dialogs.open_url(path):
            show_message(self.status, self.tr("The log could not be opened{where}.").format(
                where=f" ({path})" if path else ""))

    def _backup(self) -> None:
        # Wired to the renew part's export action once it exists (the button is hidden
        # until then, see initializePage).
        from app.gui.backup_hook import save_backup

        save_backup(self)
