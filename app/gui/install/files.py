"""Install, page 1 (*Add the files you were sent*): the file list (drop or Browse), and where to
download an operator's root certificates (the catalog).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.gui import engine, navigation
from app.gui.base import FlowPage, display_path
from app.gui.worker import run_task

if TYPE_CHECKING:
    from app.core.catalog import Catalog
    from app.gui.wizard import GridCertWizard


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

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
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
        self._catalog: Catalog | None = None
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
        def done(cat: Catalog | None) -> None:
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
