"""Install, page 1 (*Add the files you were sent*): a drop zone (dashed border, an icon,
*Choose files…*), the list of files added, and where to download an operator's root
certificates (the catalog) while no root file is among them. The operator shown follows
the files: adding `ERCOT_CA_….zip` shows ERCOT.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QEnterEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.gui import engine, navigation
from app.gui.base import FlowPage, display_path
from app.gui.style import blend, contrast_ratio
from app.gui.worker import run_task

#: Files that carry root certificates (an operator's .zip, a single .cer/.crt/.pem...):
#: once one is added, "Don't have your operator's root certificates?" is not asked.
ROOT_SUFFIXES = (".zip", ".cer", ".crt", ".pem", ".der", ".p7b", ".p7c")

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


class DropZone(QWidget):
    """Where files are dropped: a dashed, rounded border around an icon, a sentence and
    a *Choose files…* button (the keyboard's way in: Tab to it, or its mnemonic). The
    border and the fill take the palette's highlight while the pointer is over it or
    files are dragged over it. Big while no file is added; one compact row after."""

    def __init__(self, page: AddFilesPage, choose: QPushButton) -> None:
        super().__init__()
        self.page = page
        self.setObjectName("drop-zone")
        self.setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(page.tr("Drop zone: drop your certificate files here"))
        self.choose = choose
        self.setFocusProxy(choose)
        self._hover = False
        self._dragging = False
        self._compact = False
        self.icon = QLabel()
        self.icon.setObjectName("drop-icon")
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline = QLabel(page.tr("Drop your .pfx and .zip files here"))
        self.headline.setObjectName("drop-headline")
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setWeight(font.Weight.DemiBold)
        self.headline.setFont(font)
        self.hint = QLabel(page.tr("or choose them from a folder"))
        self.hint.setObjectName("drop-hint")
        self.hint.setEnabled(False)  # the palette's quiet text colour
        for label in (self.headline, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        self.texts = QVBoxLayout()
        self.texts.setSpacing(2)
        self.texts.addWidget(self.headline)
        self.texts.addWidget(self.hint)
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.addStretch(1)
        self.box.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignCenter)
        self.box.addLayout(self.texts)
        self.box.addWidget(choose, 0, Qt.AlignmentFlag.AlignCenter)
        self.box.addStretch(1)
        self.set_compact(False)

    # --- look ------------------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        """One row (icon, sentence, button) once files are in the list; a tall zone
        before."""
        self._compact = compact
        line = self.fontMetrics().height()
        self.box.setDirection(QBoxLayout.Direction.LeftToRight if compact
                              else QBoxLayout.Direction.TopToBottom)
        align = Qt.AlignmentFlag.AlignLeft if compact else Qt.AlignmentFlag.AlignCenter
        for label in (self.headline, self.hint):
            label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
            label.setWordWrap(not compact)
        # Compact: icon and sentence on the left, the button on the right.
        # Tall: everything centred (the stretches before and after take the room).
        self.box.setStretch(0, 0 if compact else 1)
        self.box.setStretch(2, 1 if compact else 0)
        self.box.setStretch(4, 0 if compact else 1)
        self.headline.setText(self.page.tr("Drop more files here") if compact
                              else self.page.tr("Drop your .pfx and .zip files here"))
        margin = round(line * (0.7 if compact else 1.2))
        self.box.setContentsMargins(margin, margin, margin, margin)
        self.box.setSpacing(round(line * (0.8 if compact else 0.6)))
        self.setSizePolicy(QSizePolicy.Policy.Preferred,
                           QSizePolicy.Policy.Fixed if compact else QSizePolicy.Policy.Expanding)
        self._paint_icon()

    def _paint_icon(self) -> None:
        side = round(self.fontMetrics().height() * (2.0 if self._compact else 3.2))
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton)
        self.icon.setPixmap(icon.pixmap(QSize(side, side), self.devicePixelRatioF()))

    def is_compact(self) -> bool:
        return self._compact

    def highlighted(self) -> bool:
        return self._hover or self._dragging

    def set_dragging(self, dragging: bool) -> None:
        if dragging != self._dragging:
            self._dragging = dragging
            self.update()

    def colours(self) -> dict[str, QColor]:
        """The border and fill for the current state, from the palette."""
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        if self.highlighted():
            fill = blend(accent, base, 0.12)
            # The highlight, or the link colour where the highlight is too close to the
            # fill (a mid blue on a dark Base): whichever stands out more.
            link = palette.color(QPalette.ColorRole.Link)
            border = max((accent, link), key=lambda colour: contrast_ratio(colour, fill))
            return {"border": border, "fill": fill}
        return {"border": blend(text, base, 0.55), "fill": base}

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = self.colours()
        line = self.fontMetrics().height()
        width = max(1.0, line / 9)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(colours["border"], width, Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([4.0, 3.0])
        painter.setPen(pen)
        painter.setBrush(colours["fill"])
        inset = width / 2 + 0.5
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset),
                                line * 0.5, line * 0.5)
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange,
                            QEvent.Type.PaletteChange) and hasattr(self, "icon"):
            self._paint_icon()  # the style's icon, sized for the font

    # --- pointer and keyboard --------------------------------------------------------
    def enterEvent(self, event: QEnterEvent) -> None:
        self._hover = True
        self.update()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = False
        self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.choose.click()  # a click anywhere in the zone chooses files
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Space chooses files; Enter is left to the wizard (Next), also when it comes up
        # from the Choose files… button inside the zone.
        if event.key() == Qt.Key.Key_Space:
            self.choose.click()
            return
        super().keyPressEvent(event)

    # --- drops -----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
            self.set_dragging(True)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.set_dragging(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self.set_dragging(False)
        self.page.dropEvent(event)


class AddFilesPage(FlowPage):
    page_id = navigation.ADD_FILES

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Add the files you were sent"))
        self.setSubTitle(self.tr(
            "Your own certificate is a .pfx or .p12 file (you also got a password for it). "
            "Your operator's root certificates usually come as a .zip."))
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)

        self.files = FileList(self)
        self.files.setObjectName("file-list")
        self.files.setAccessibleName(self.tr("Files to install"))
        self.files.setAccessibleDescription(self.tr("Drop certificate files here"))
        self.files.setMinimumHeight(self.fontMetrics().height() * 5)
        self.files.itemSelectionChanged.connect(self._selection_changed)

        self.browse = QPushButton(self.tr("Choose &files…"))
        self.browse.setObjectName("browse")
        self.browse.setAccessibleName(self.tr("Choose certificate files"))
        self.browse.setDefault(False)
        self.browse.setAutoDefault(False)  # Enter stays the wizard's Next
        self.browse.clicked.connect(self.browse_files)
        self.drop_zone = DropZone(self, self.browse)

        self.remove = QPushButton(self.tr("&Remove from list"))
        self.remove.setObjectName("remove-file")
        self.remove.setAccessibleName(self.tr("Remove the selected files from the list"))
        self.remove.setEnabled(False)
        self.remove.clicked.connect(self.remove_selected)
        self.list_buttons = QWidget()
        buttons = QHBoxLayout(self.list_buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)

        layout.addWidget(self.drop_zone, 2)
        layout.addWidget(self.files, 3)
        layout.addWidget(self.list_buttons)

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

    # The page takes dropped files anywhere on it; the drop zone lights up meanwhile.
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
            self.drop_zone.set_dragging(True)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.drop_zone.set_dragging(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self.drop_zone.set_dragging(False)
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
        self.follow_operator(paths)

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
            item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
            self.files.addItem(item)
        has_files = bool(self.state.files)
        self.files.setVisible(has_files)
        self.list_buttons.setVisible(has_files)
        self.drop_zone.set_compact(has_files)
        self._show_catalog_box()
        self._selection_changed()
        self.refresh()

    def has_root_file(self) -> bool:
        """A file of root certificates is among those added (by its kind of file)."""
        return any(Path(path).suffix.lower() in ROOT_SUFFIXES for path in self.state.files)

    def _show_catalog_box(self) -> None:
        # Asked only while the roots are still missing, and once the catalog is loaded.
        wanted = (self._catalog is not None and bool(self._catalog.entries)
                  and not self.has_root_file())
        self.catalog_box.setVisible(wanted)

    def follow_operator(self, paths: list[str] | None = None) -> None:
        """Show the operator the files are named after ("ERCOT_CA_….zip" → ERCOT), the
        newest file first: a file just added wins over one added before."""
        cat = self._catalog
        if cat is None or not cat.entries:
            return
        operators = cat.operators()
        for path in reversed(paths if paths is not None else self.state.files):
            name = Path(path).name.upper()
            found = next((index for index, operator in enumerate(operators)
                          if operator.upper() in name), None)
            if found is not None:
                self.operator.setCurrentIndex(found)  # its signal refreshes the roots
                return

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
            self.operator.blockSignals(False)
            self.follow_operator()  # the operator the added files are named after
            self._show_catalog_box()
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
