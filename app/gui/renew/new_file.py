"""Renew, new-file way (*Your new certificate file*): open the new .pfx/.p12 with its
password (Caps Lock hint) and say which certificate it renews. A file that is expired, or
not newer than the certificate already installed (last year's .pfx picked again), is
said to be that in a sentence, and goes on only when the person ticks *Use it anyway*
(off by default); the very certificate already installed is simply refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from app.gui import engine
from app.gui.base import display_path, message_label, password_field, show_message, text_label
from app.gui.describe import localise_dates
from app.gui.renew.common import RenewPage, valid_until
from app.gui.renew.flow import NEW_FILE
from app.gui.widgets import CapsLockWatcher

if TYPE_CHECKING:
    from app.core.freshness import Freshness
    from app.core.model import CertificateItem
    from app.core.reader import ReadResult
    from app.gui.wizard import GridCertWizard


class NewFilePage(RenewPage):
    page_id = NEW_FILE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Your new certificate file"))
        self.setSubTitle(self.tr("Choose the .pfx your operator sent, and type the password "
                                 "that came with it."))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_label = text_label(self.tr("No file chosen yet."), "new-file", selectable=True)
        browse = QPushButton(self.tr("&Choose the file…"))
        browse.setObjectName("browse-new")
        browse.setAccessibleName(self.tr("Choose the new certificate file"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.file_label, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        form = QFormLayout()
        self.password = password_field("new-password", self.tr("Password of the new file"))
        self.password.textChanged.connect(self._typed)
        form.addRow(self.tr("&Password:"), self.password)
        layout.addLayout(form)
        # The same Caps Lock hint as the install flow's Password page.
        self.caps = QLabel(self.tr("Caps Lock seems to be on."))
        self.caps.setObjectName("caps-lock-hint")
        self.caps.hide()
        CapsLockWatcher(self.password, self.caps)
        layout.addWidget(self.caps)
        self.status = message_label(name="new-file-status")
        layout.addWidget(self.status)
        self.anyway = QCheckBox(self.tr("&Use it anyway: this is the file I want to install"))
        self.anyway.setObjectName("use-anyway")
        self.anyway.setAccessibleName(self.tr("Use this file anyway, although it is not newer"))
        self.anyway.hide()
        self.anyway.toggled.connect(self._anyway)
        layout.addWidget(self.anyway)
        #: The file read, kept while the person decides about "Use it anyway".
        self._read_file: tuple[ReadResult, CertificateItem] | None = None
        self.found = text_label("", "new-certificate", selectable=True)
        layout.addWidget(self.found)
        layout.addStretch(1)

    def _browse(self) -> None:
        files = self.dialogs.open_files(self)
        if files:
            self.r.new_file = files[0]
            self._forget()
            self.file_label.setText(display_path(files[0]))
            self.file_label.setToolTip(files[0])
            self.refresh()

    def _typed(self, text: str) -> None:
        self.r.new_password = text
        self._forget()

    def _forget(self) -> None:
        """Another file or password: what was read and decided about the last one goes."""
        self.r.new_leaf = None
        self.r.freshness = None
        self.r.allow_older = False
        self._read_file = None
        self.anyway.blockSignals(True)
        self.anyway.setChecked(False)
        self.anyway.blockSignals(False)
        self.anyway.hide()
        self.refresh()

    def _anyway(self, ticked: bool) -> None:
        self.r.allow_older = ticked
        if ticked and self._read_file is not None:
            result, leaf = self._read_file
            self._accept(result, leaf)
        else:
            self.r.new_leaf = None
            self.found.setText("")
        self.refresh()

    def needs_background_validation(self) -> bool:
        return self.r.new_leaf is None

    def start_validation(self) -> None:
        show_message(self.status, self.tr("Opening the file…"), "info")
        path, password = self.r.new_file, self.r.new_password
        passwords = {path: password} if password else None
        self.run(lambda _p: _read_new_file(path, passwords), self._read,
                 lambda message: show_message(self.status, message))

    def _read(self, found: tuple[ReadResult, Freshness | None]) -> None:
        result, freshness = found
        keyed = [i for i in result.items if i.private_key is not None and not i.is_ca]
        if not keyed:
            problem = next((p.message for p in result.problems), None)
            show_message(self.status, problem or self.tr(
                "This file holds no certificate with its private key; the new file from your "
                "operator is a .pfx or .p12."))
            return
        leaf = keyed[0]
        self.r.freshness = freshness
        installed = freshness.installed if freshness is not None else None
        if installed is not None and installed.sha256 == leaf.sha256:
            # Last year's file chosen again: it would "renew" nothing, and the next page
            # would say that no older certificate was found.
            self.found.setText("")
            show_message(self.status, self.tr(
                "This is the certificate you already have (valid until {day}). Choose the new "
                "file your operator sent.").format(day=valid_until(leaf)))
            self.refresh()
            return
        if freshness is not None and not freshness.acceptable:
            # Expired, older or no newer than the installed one: said, and only an explicit
            # tick lets it go on (renew.replace_identity refuses it otherwise too).
            self._read_file = (result, leaf)
            self.found.setText("")
            # The engine's sentence carries ISO dates (it is the CLI's too).
            show_message(self.status, localise_dates(freshness.sentence), "warning")
            self.anyway.show()
            self.refresh()
            return
        show_message(self.status, None)
        self._accept(result, leaf)
        self.validation_passed()

    def _accept(self, result: ReadResult, leaf: CertificateItem) -> None:
        self.r.new_items = list(result.items)
        self.r.new_leaf = leaf
        self.found.setText(self.tr("Your new certificate: {name}, valid until {day}.").format(
            name=leaf.display_name, day=valid_until(leaf)))


def _read_new_file(path: str,
                   passwords: dict[str, str] | None) -> tuple[ReadResult, Freshness | None]:
    """The new file read, and how its certificate compares with the ones of the same
    person installed in this computer's stores (runs in a worker)."""
    from app.actions.renew import check_freshness
    from app.core.errors import GridCertError

    result = engine.read_files([path], passwords)
    keyed = [i for i in result.items if i.private_key is not None and not i.is_ca]
    if not keyed:
        return result, None
    stores = [info.store for info in engine.detect_targets()
              if info.usable and info.store.holds_identities]
    try:
        return result, check_freshness(result.items, stores)
    except GridCertError:
        return result, None  # more than one identity: the run says so in its sentence
