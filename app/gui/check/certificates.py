"""'Check my certificates': everything GridCert finds in every store, with Remove and Undo.

The table comes from `list_certificates` over the detected stores; days left are
coloured (expired / under 30 days / fine) and the expired or duplicate personal
certificates that clutter a browser's certificate picker are flagged. Remove goes through
`plan_remove` + `apply_plan`, the same journalled transaction as an install, so Undo
puts the certificates back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QKeyEvent, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui import engine, navigation
from app.gui.base import FlowPage, message_label, show_message
from app.gui.check.installed import installed_by_gridcert
from app.gui.describe import InventoryRow, count_phrase, days_phrase, inventory_rows
from app.gui.widgets import Level, StatusChip, level_colour, level_icon

if TYPE_CHECKING:
    from app.actions.apply import ApplyReport
    from app.actions.inventory import Inventory
    from app.actions.plan import Plan
    from app.gui.wizard import GridCertWizard
    from app.stores.base import TrustStore

_N = navigation.QT_TRANSLATE_NOOP  # the headers are translated in CheckPage's context
COLUMNS = (_N("CheckPage", "Certificate"), _N("CheckPage", "Kind"), _N("CheckPage", "Where"),
           _N("CheckPage", "Expires"), _N("CheckPage", "Time left"), _N("CheckPage", "Note"))
WHERE_COLUMN = 2
NOTE_COLUMN = 5
# The columns whose content can be long (a public root's name, what it is, the days an old
# copy has been expired) get at most this share of the table's width: past it their text
# wraps, is cut with "…" and is whole in the tooltip. What these leave is shared by Where
# and Note, so that at the smallest window (760 px) every column is on screen.
CAPPED_COLUMNS = {0: 0.25, 1: 0.19, 4: 0.13}
STRETCH_SHARE = 0.32  # what Where and Note keep between them, at least


INSTALLED_NOTE = _N("CheckPage", "installed by GridCert")
#: The expiry levels of describe.expiry_level as the status chips' levels.
CHIP_LEVELS: dict[str, Level] = {"expired": "error", "soon": "warning", "fine": "ok"}
#: The Kind cell of a certificate that has an operator's name but is not proven to be the
#: operator's: a caution (name only) or an error (it contradicts the entry), never the
#: plain look of the genuine one.
TRUST_LEVELS: dict[str, Level] = {"name": "warning", "mismatch": "error"}
KIND_COLUMN = 1
TIME_COLUMN = 4


def mark_installed(rows: list[InventoryRow], installed: set[tuple[str, str]]) -> None:
    """Rows of certificates GridCert put there itself are shown by default and say so."""
    for row in rows:
        if (row.sha256, row.target_id) in installed:
            row.relevant = True
            row.notes.insert(0, QApplication.translate("CheckPage", INSTALLED_NOTE))


def removal_lines(rows: list[InventoryRow]) -> list[str]:
    """One line per chosen row for the Remove question, with what tells copies apart: the
    place, the end date and (when even those agree) the fingerprint's start."""
    def line(row: InventoryRow, sha: bool) -> str:
        text = QApplication.translate("CheckPage", "• {name} — {place}: {kind}, valid until "
                                      "{day} ({left})").format(
            name=row.name, place=row.place, kind=row.kind, day=row.valid_until,
            left=days_phrase(row.days_left))
        return text + (f", SHA-256 {row.sha256[:12]}…" if sha else "")

    plain = [line(row, False) for row in rows]
    return [line(row, plain.count(text) > 1) for row, text in zip(rows, plain, strict=True)]


def _chip(row: InventoryRow) -> QWidget:
    """The Time left cell: a status chip (colour, word and a tooltip), left-aligned."""
    holder = QWidget()
    holder.setObjectName("expiry-cell")
    lay = QHBoxLayout(holder)
    lay.setContentsMargins(4, 2, 4, 2)
    chip = StatusChip(CHIP_LEVELS.get(row.level, "info"), days_phrase(row.days_left),
                      name="expiry-chip")
    chip.setToolTip(f"{row.valid_until}: {days_phrase(row.days_left)}")
    lay.addWidget(chip)
    lay.addStretch(1)
    return holder


class ChipCellDelegate(QStyledItemDelegate):
    """The Time left cells: the row's background and selection, never the item's text
    (the chip over the cell shows it). A transparent foreground is not enough: a
    selected row draws its text in the palette's highlighted-text colour, which doubled
    the chip's words into an unreadable smear. The size still comes from the text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        shown.text = ""
        widget = shown.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, shown, painter, widget)


def _is_delete(event: QKeyEvent) -> bool:
    """The key that deletes a selection: Delete, or Backspace (the Mac's delete key)."""
    plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                  Qt.KeyboardModifier.KeypadModifier)
    return (event.matches(QKeySequence.StandardKey.Delete)
            or (plain and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)))


class CheckPage(FlowPage):
    page_id = navigation.CHECK

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Your certificates on this computer"))
        self.setSubTitle(self.tr(
            "Everything GridCert finds in your browsers and certificate stores. Expired and "
            "duplicate certificates clutter the list your browser shows when you sign in: "
            "select them and press Remove (a backup is kept; Undo brings them back)."))
        layout = QVBoxLayout(self)
        self.status = message_label(name="check-status")
        layout.addWidget(self.status)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("inventory")
        self.table.setAccessibleName(self.tr("Certificates found"))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab leaves the table (to Remove, Undo, …); the arrow keys move inside it.
        self.table.setTabKeyNavigation(False)
        # Long place names and notes wrap inside their column rather than being cut off.
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setItemDelegateForColumn(TIME_COLUMN, ChipCellDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Capped columns are sized by `_fit_columns` (and can be dragged wider); place and
        # note share the room the others leave; rows grow to show what wraps.
        for column in CAPPED_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHERE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.sectionResized.connect(lambda *_a: self.table.resizeRowsToContents())
        # The viewport's width changes with the window and when the vertical scroll bar
        # comes or goes: the caps follow it (once per event-loop turn).
        self._fit_pending = False
        self.table.viewport().installEventFilter(self)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        # Delete (and Backspace, macOS's delete key) in the table: the Remove button's
        # question and removal, for the selected rows (see eventFilter).
        self.table.installEventFilter(self)
        layout.addWidget(self.table, 1)
        self.show_all = QCheckBox(self.tr(
            "Show &all certificates (also the public roots built into Java and this system)"))
        self.show_all.setObjectName("show-all")
        self.show_all.setAccessibleName(self.tr("Show all certificates"))
        self.show_all.toggled.connect(self._fill_table)
        layout.addWidget(self.show_all)
        self.footer = QVBoxLayout()
        layout.addLayout(self.footer)
        row = QHBoxLayout()
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setObjectName("refresh")
        self.refresh_button.setAccessibleName(self.tr("Look again"))
        self.refresh_button.clicked.connect(self.load)
        self.remove_button = QPushButton(self.tr("Re&move selected…"))
        self.remove_button.setObjectName("remove")
        self.remove_button.setAccessibleName(self.tr("Remove the selected certificates"))
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self._remove)
        self.undo_button = QPushButton(self.tr("&Undo the removal"))
        self.undo_button.setObjectName("undo-remove")
        self.undo_button.setAccessibleName(self.tr("Undo the removal"))
        self.undo_button.hide()
        self.undo_button.clicked.connect(self._undo)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        row.addWidget(self.undo_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.rows: list[InventoryRow] = []
        self.stores: dict[str, TrustStore] = {}
        self.labels: dict[str, str] = {}
        self.problems: dict[str, str] = {}

    def add_footer_widget(self, widget: QWidget) -> None:
        """For other parts (the renew helper's daily-reminder toggle)."""
        self.footer.addWidget(widget)

    def initializePage(self) -> None:
        self.load()

    def load(self) -> None:
        if self.busy:
            return
        show_message(self.status,
                     self.tr("Looking through your browsers and certificate stores…"), "info")

        def work(_progress: engine.Progress) -> tuple[
                list[engine.TargetInfo], Inventory, list[InventoryRow]]:
            infos = engine.detect_targets()
            stores = [info.store for info in infos if info.usable]
            inventory = engine.list_certificates(stores)
            cat = engine.catalog()
            labels = {info.id: info.label for info in infos}
            rows = inventory_rows(inventory.entries, labels,
                                  lambda item: engine.catalog_trust(cat, item))
            mark_installed(rows, installed_by_gridcert())
            return infos, inventory, rows

        self.run(work, self._show, self._failed)

    def _failed(self, message: str) -> None:
        show_message(self.status, message)

    def _show(self, outcome: tuple[list[engine.TargetInfo], Inventory, list[InventoryRow]],
              ) -> None:
        infos, inventory, rows = outcome
        self.stores = {info.id: info.store for info in infos if info.usable}
        self.labels = {info.id: info.label for info in infos}
        self.problems = dict(getattr(inventory, "problems", {}) or {})
        self.rows = rows
        self._fill_table()

    def _fill_table(self) -> None:
        everything = self.show_all.isChecked()
        shown = [(index, row) for index, row in enumerate(self.rows)
                 if everything or row.relevant]
        self.table.clearContents()
        self.table.setRowCount(0)  # also drops the chips of the rows shown before
        self.table.setRowCount(len(shown))
        for line, (index, row) in enumerate(shown):
            days = QTableWidgetItem(days_phrase(row.days_left))
            # The text stays in the item (copy, screen readers, the column's width); the
            # chip over it shows it, so the item's own drawing is transparent.
            days.setForeground(QBrush(QColor(0, 0, 0, 0)))
            cells = [QTableWidgetItem(row.name), QTableWidgetItem(row.kind),
                     QTableWidgetItem(row.place), QTableWidgetItem(row.valid_until), days,
                     QTableWidgetItem("; ".join(row.notes))]
            # The whole text is one hover away when a capped column cuts it short.
            cells[0].setToolTip(f"{row.name}\nSHA-256 {row.sha256}")
            cells[0].setData(Qt.ItemDataRole.UserRole, index)
            for column in (1, WHERE_COLUMN, 4, NOTE_COLUMN):
                cells[column].setToolTip(cells[column].text())
            caution = TRUST_LEVELS.get(row.trust or "")
            if caution is not None:
                kind = cells[KIND_COLUMN]
                kind.setIcon(level_icon(caution, self.style()))
                kind.setForeground(QBrush(level_colour(caution, self.table.palette())))
                kind.setData(Qt.ItemDataRole.UserRole, caution)
            for column, cell in enumerate(cells):
                self.table.setItem(line, column, cell)
            self.table.setCellWidget(line, TIME_COLUMN, _chip(row))
        self._fit_columns()
        self.table.resizeRowsToContents()
        rows = [row for _index, row in shown]
        expired = sum(1 for r in rows if r.level == "expired")
        soon = sum(1 for r in rows if r.level == "soon")
        if everything:
            text = self.tr("{what} in all.").format(
                what=count_phrase(len(rows), "certificate"))
        else:
            text = self.tr("{what} of yours and your grid operators'.").format(
                what=count_phrase(len(rows), "certificate"))
            hidden = len(self.rows) - len(rows)
            if hidden:
                text += " " + (self.tr("1 other public root is not shown.") if hidden == 1 else
                               self.tr("{n} other public roots are not shown.").format(n=hidden))
        if expired:
            text += " " + self.tr("{n} expired.").format(n=expired)
        if soon:
            text += " " + (self.tr("1 expires within 30 days.") if soon == 1 else
                           self.tr("{n} expire within 30 days.").format(n=soon))
        for target, sentence in self.problems.items():
            text += f"\n{self.labels.get(target, target)}: {sentence}"
        show_message(self.status, text, "warning" if expired or self.problems else "info")
        if self.table.hasFocus():  # it had the focus before the rows came
            self._select_first_if_none()
        self._selection_changed()

    def _select_first_if_none(self) -> None:
        """The table has the focus, rows and no selection: select the first row (and make
        it current), so that what Delete and Enter act on is what the table shows."""
        if self.table.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
            self.table.scrollToTop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and _is_delete(event)):
            self._remove_by_key()
            return True
        if (watched is self.table and event.type() == QEvent.Type.FocusIn
                and isinstance(event, QFocusEvent)
                and event.reason() != Qt.FocusReason.MouseFocusReason):
            # A click selects the row clicked; any other way in shows where it is.
            self._select_first_if_none()
        if (watched is self.table.viewport() and event.type() == QEvent.Type.Resize
                and not self._fit_pending):
            self._fit_pending = True
            QTimer.singleShot(0, self._fit_columns)
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Give each capped column the width its content wants, but no more than its
        share of the viewport (plus what Where and Note can spare of their third), so
        that nothing needs sideways scrolling."""
        self._fit_pending = False
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        if room <= 0:
            return
        sized = [c for c in range(len(COLUMNS))
                 if c not in CAPPED_COLUMNS and c not in (WHERE_COLUMN, NOTE_COLUMN)]
        free = room - sum(header.sectionSize(c) for c in sized) - int(room * STRETCH_SHARE)
        wanted = {c: max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c))
                  for c in CAPPED_COLUMNS}
        widths = {c: min(wanted[c], int(room * share)) for c, share in CAPPED_COLUMNS.items()}
        spare = free - sum(widths.values())
        for column in CAPPED_COLUMNS:  # the name first: it is what people look for
            extra = max(0, min(spare, wanted[column] - widths[column]))
            widths[column] += extra
            spare -= extra
        for column, width in widths.items():
            width = max(header.minimumSectionSize(), width)
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def selected_rows(self) -> list[InventoryRow]:
        lines = sorted({index.row() for index in self.table.selectedIndexes()})
        out = []
        for line in lines:
            cell = self.table.item(line, 0)
            if cell is not None:
                out.append(self.rows[int(cell.data(Qt.ItemDataRole.UserRole))])
        return out

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.selected_rows()) and not self.busy)

    def _remove_by_key(self) -> None:
        if self.remove_button.isEnabled():
            self._remove()

    def _remove(self) -> None:
        chosen = self.selected_rows()
        if not chosen:
            return
        names = "\n".join(removal_lines(chosen))
        if not self.dialogs.confirm(self, self.tr("Remove certificates"), self.tr(
                "Remove these certificates?\n\n{names}\n\nGridCert keeps a backup, and Undo "
                "puts them back.").format(names=names), self.tr("&Remove")):
            return
        sha256s = list(dict.fromkeys(r.sha256 for r in chosen))
        stores = [self.stores[tid] for tid in dict.fromkeys(r.target_id for r in chosen)
                  if tid in self.stores]
        show_message(self.status, self.tr("Removing…"), "info")
        # Only the chosen places: the same certificate elsewhere stays.
        wanted = {(r.sha256, r.target_id) for r in chosen}

        def plan_work(_progress: engine.Progress) -> tuple[Plan, str | None]:
            plan = engine.plan_remove(sha256s, stores)
            plan.steps = [s for s in plan.steps if (s.sha256, s.target_id) in wanted]
            return plan, engine.backup_passphrase_missing(plan)

        self.run(plan_work, self._planned, self._failed)

    def _planned(self, outcome: tuple[Plan, str | None]) -> None:
        plan, missing = outcome
        passphrase = None
        if missing:
            # No keyring to keep a generated passphrase: the person chooses one, or
            # nothing is removed (a personal certificate is never removed unbacked).
            passphrase = self.dialogs.ask_new_passphrase(
                self, self.tr("A passphrase for the backup"), self.tr(
                    "GridCert keeps an encrypted backup of every personal certificate it "
                    "removes, so that Undo can bring it back. This computer has no keyring "
                    "to keep the backup's passphrase in, so please choose one and keep it "
                    "safe: it opens the backup later."), self.tr("&Remove"))
            if not passphrase:
                show_message(self.status, self.tr(
                    "Nothing was removed: the backup needs a passphrase."), "info")
                return

        def apply_work(progress: engine.Progress) -> ApplyReport:
            if passphrase:
                engine.use_backup_passphrase(passphrase)
            return engine.apply_plan(plan, progress, engine.new_cancel_token())

        self.run(apply_work, self._removed, self._failed)

    def _removed(self, report: ApplyReport) -> None:
        if getattr(report, "ok", False):
            self.undo_button.show()
            self.load()
        else:
            show_message(self.status, getattr(report, "error", None)
                         or self.tr("Nothing was removed."),
                         detail=getattr(report, "error_detail", None))

    def _undo(self) -> None:
        self.run(lambda progress: engine.undo_last(progress), self._undone, self._failed)

    def _undone(self, report: ApplyReport) -> None:
        self.undo_button.hide()
        if getattr(report, "ok", False):
            self.load()
        else:
            show_message(self.status, getattr(report, "error", None)
                         or self.tr("Undo did not complete."),
                         detail=getattr(report, "error_detail", None))
