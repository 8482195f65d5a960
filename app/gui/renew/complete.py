"""Renew, answer way (*The certificate for your request*): the issued file is paired with
the key kept here, then installed or saved as a password-protected .pfx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from app.gui import engine
from app.gui.base import (
    display_path,
    message_label,
    password_field,
    show_message,
    text_label,
    typed_path,
)
from app.gui.renew.common import NewPassphrase, RenewPage
from app.gui.renew.flow import COMPLETE

if TYPE_CHECKING:
    from app.actions.renew import PendingRequest
    from app.core.model import CertificateItem
    from app.gui.wizard import GridCertWizard


class CompletePage(RenewPage):
    page_id = COMPLETE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("The certificate for your request"))
        self.setSubTitle(self.tr("Choose the file your operator sent back (.cer, .crt, .pem "
                                 "or .p7b)."))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_label = text_label(self.tr("No file chosen yet."), "issued-file", selectable=True)
        browse = QPushButton(self.tr("&Choose the file…"))
        browse.setObjectName("browse-issued")
        browse.setAccessibleName(self.tr("Choose the issued certificate"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.file_label, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.status = message_label(name="complete-status")
        layout.addWidget(self.status)
        self.group = QButtonGroup(self)
        self.install = QRadioButton(self.tr("&Install it on this computer"))
        self.install.setObjectName("complete-install")
        self.install.setChecked(True)
        self.save = QRadioButton(self.tr("Sa&ve it with its key as a .pfx (for a device or "
                                         "another computer)"))
        self.save.setObjectName("complete-save")
        for button in (self.install, self.save):
            self.group.addButton(button)
            button.toggled.connect(self._changed)
            layout.addWidget(button)
        self.save_box = QWidget()
        form = QFormLayout(self.save_box)
        out_row = QHBoxLayout()
        self.out = QLineEdit()
        self.out.setObjectName("complete-out")
        self.out.setAccessibleName(self.tr("Where to save the .pfx"))
        self.out.textChanged.connect(self._changed)
        out_browse = QPushButton(self.tr("Bro&wse…"))
        out_browse.clicked.connect(self._browse_out)
        out_row.addWidget(self.out, 1)
        out_row.addWidget(out_browse)
        form.addRow(self.tr("Save as:"), out_row)
        self.export_password = NewPassphrase(form, "complete-password", self.tr("&Password:"),
                                             self.tr("Password for the .pfx"), self._changed,
                                             password=True)
        layout.addWidget(self.save_box)
        self.save_box.hide()
        self.key_box = QWidget()
        key_form = QFormLayout(self.key_box)
        key_form.setContentsMargins(0, 0, 0, 0)
        self.key_pass = password_field("complete-key-passphrase",
                                        self.tr("Passphrase of the request's key"))
        self.key_pass.textChanged.connect(self._changed)
        key_form.addRow(self.tr("Passphrase you chose for the &request:"), self.key_pass)
        self.key_box.hide()
        layout.addWidget(self.key_box)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Save"))

    def _browse(self) -> None:
        files = self.dialogs.open_files(self)
        if files:
            self.r.issued = files[0]
            self.r.paired = None
            self.r.needs_key_passphrase = False
            self.key_box.hide()
            self.file_label.setText(display_path(files[0]))
            self.file_label.setToolTip(files[0])
            self._changed()

    def _browse_out(self) -> None:
        path = self.pick_save_path(self.tr("Save the certificate with its key"),
                                   typed_path(self.out.text()),
                                   self.tr("Certificate with its key (*.pfx)"))
        if path:
            self.out.setText(display_path(path))

    def validatePage(self) -> bool:
        if not self.r.complete_install and not self.may_write(self.r.export_out):
            return False
        return super().validatePage()

    def _changed(self, *_args: object) -> None:  # whatever the Qt signal carries
        self.r.complete_install = self.install.isChecked()
        self.save_box.setVisible(not self.r.complete_install)
        # Saving is the last question: then this page commits (its button says Save).
        self.setCommitPage(not self.r.complete_install)
        self.r.export_out = typed_path(self.out.text())
        self.r.export_password = self.export_password.value()
        self.r.key_passphrase = self.key_pass.text()
        if self.r.paired is None:
            show_message(self.status, None)
        self.refresh()

    def needs_background_validation(self) -> bool:
        return self.r.paired is None

    def start_validation(self) -> None:
        show_message(self.status, self.tr("Looking for the request it answers…"), "info")
        path = self.r.issued
        self.run(lambda _p: _pair(path), self._paired,
                 lambda message: show_message(self.status, message))

    def _paired(self, found: tuple[CertificateItem, PendingRequest]) -> None:
        leaf, pending = found
        self.r.paired = found
        show_message(self.status, self.tr(
            "‘{name}’ answers the request made {age} ({subject}).").format(
            name=leaf.display_name, age=pending.age_text(), subject=pending.subject), "info")
        if not pending.passphrase_in_keyring and not self.r.key_passphrase:
            # The key's passphrase was typed when the request was made: ask for it again.
            self.r.needs_key_passphrase = True
            self.key_box.show()
            self.key_pass.setFocus()
            self.refresh()
            return
        self.validation_passed()


def _pair(path: str) -> tuple[CertificateItem, PendingRequest]:
    from app.actions.renew import pair_issued

    result = engine.read_files([path])
    if not result.items:
        for problem in result.problems:
            raise problem.error
    return pair_issued(result.items)
