"""Move, page 1 (*Which certificate do you want to move?*): the certificates with a key
found in the stores, or a .pfx/.p12 file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import engine
from app.gui.base import display_path, message_label, password_field, show_message, text_label
from app.gui.describe import local_date
from app.gui.move.common import MovePage
from app.gui.move.flow import WHAT, Choice

if TYPE_CHECKING:
    from app.core.reader import ReadResult
    from app.gui.wizard import GridCertWizard
    from app.stores.base import TrustStore


class WhatPage(MovePage):
    page_id = WHAT

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Which certificate do you want to move?"))
        self.setSubTitle(self.tr("Your certificates that have their private key on this "
                                 "computer. Or open a .pfx file."))
        layout = QVBoxLayout(self)
        self.status = message_label(name="move-what-status")
        layout.addWidget(self.status)
        self.list = QListWidget()
        self.list.setObjectName("move-choices")
        self.list.setAccessibleName(self.tr("Your certificates"))
        self.list.currentRowChanged.connect(self._picked)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        browse = QPushButton(self.tr("Open a .pfx &file instead…"))
        browse.setObjectName("move-browse")
        browse.setAccessibleName(self.tr("Open a certificate file"))
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        row.addStretch(1)
        layout.addLayout(row)
        self.file_box = QWidget()
        form = QFormLayout(self.file_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.file_label = text_label("", "move-file", selectable=True)
        self.file_password = password_field("move-file-password",
                                             self.tr("Password of the file"))
        self.file_password.returnPressed.connect(self._open_file)
        open_button = QPushButton(self.tr("O&pen"))
        open_button.setObjectName("move-open-file")
        open_button.clicked.connect(self._open_file)
        pw_row = QHBoxLayout()
        pw_row.addWidget(self.file_password, 1)
        pw_row.addWidget(open_button)
        form.addRow(self.tr("File:"), self.file_label)
        # A label with a buddy: addRow(text, layout) would show the "&" literally.
        password_label = QLabel(self.tr("Pass&word:"))
        password_label.setBuddy(self.file_password)
        form.addRow(password_label, pw_row)
        self.file_box.hide()
        layout.addWidget(self.file_box)
        self._path = ""

    def initializePage(self) -> None:
        if self.m.choices is not None:
            return
        show_message(self.status, self.tr("Looking for your certificates…"), "info")
        self.run(lambda _p: _choices(), self._found,
                 lambda message: show_message(self.status, message))

    def _found(self, found: tuple[list[Choice], list[TrustStore]]) -> None:
        choices, stores = found
        self.m.stores = stores
        self._show(choices)

    def _show(self, choices: list[Choice]) -> None:
        self.m.choices = choices
        self.list.clear()
        for choice in choices:
            item = choice.item
            where = (self.tr("in {places}").format(places=choice.where)
                     if choice.store is not None else choice.where)
            text = (f"{item.display_name} — {item.issuer_display_name}, valid until "
                    f"{local_date(item.not_after)} ({where})")
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            self.list.addItem(entry)
        if choices:
            show_message(self.status, None)
            self.list.setCurrentRow(0)
        else:
            show_message(self.status, self.tr(
                "GridCert found no certificate with its private key on this computer. Open "
                "the .pfx file you were sent instead."), "info")

    def _picked(self, row: int) -> None:
        choices = self.m.choices or []
        if 0 <= row < len(choices):
            self.m.chosen = choices[row]
            self.refresh()

    def _browse(self) -> None:
        files = self.dialogs.open_files(self)
        if not files:
            return
        self._path = files[0]
        self.file_label.setText(display_path(self._path))
        self.file_label.setToolTip(self._path)
        self.file_box.show()
        self.file_password.setFocus()

    def _open_file(self) -> None:
        path, password = self._path, self.file_password.text()
        if not path:
            return
        show_message(self.status, self.tr("Opening the file…"), "info")
        passwords = {path: password} if password else None
        self.run(lambda _p: engine.read_files([path], passwords), self._opened,
                 lambda message: show_message(self.status, message))

    def _opened(self, result: ReadResult) -> None:
        keyed = [i for i in result.items if i.private_key is not None and not i.is_ca]
        if not keyed:
            problem = next((p.message for p in result.problems), None)
            show_message(self.status, problem or self.tr(
                "This file holds no private key, so there is nothing to move: move the .pfx "
                "your operator sent, or ask them for a new certificate."))
            return
        from app.core.chain import find_chain

        leaf = keyed[0]
        self.m.file_items = list(find_chain(leaf, result.items))
        choice = Choice(leaf, None, Path(self._path).name)
        self.m.choices = [*(self.m.choices or []), choice]
        self._show(self.m.choices)
        self.list.setCurrentRow(len(self.m.choices) - 1)


def _choices() -> tuple[list[Choice], list[TrustStore]]:
    """One choice per certificate with a key — however many stores hold a copy of it —
    saying where it is; and every usable store (the chain is completed from all of them)."""
    from app.actions.inventory import by_certificate

    infos = engine.detect_targets()
    usable = [i.store for i in infos if i.usable]
    stores = [s for s in usable if s.holds_identities]
    inventory = engine.list_certificates(stores)
    labels = {i.id: i.label for i in infos}
    by_id = {s.id: s for s in stores}
    found: list[Choice] = []
    for row in by_certificate(inventory.entries):
        if row.item.is_ca or not row.has_private_key:
            continue
        holders = [by_id[c.target_id] for c in row.with_key if c.target_id in by_id]
        places = [labels.get(s.id, s.id) for s in holders]
        found.append(Choice(row.item, holders[0] if holders else None, ", ".join(places),
                            places=places, stores=holders))
    # Newest first: the certificate in use, not last year's leftover, is the likely one.
    found.sort(key=lambda choice: choice.item.not_after, reverse=True)
    return found, usable
