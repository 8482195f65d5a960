"""Renew, request way (*Make a certificate request*): subject copied from a certificate or
typed, key kind, the key's passphrase and where the .csr is saved.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizard,
)

from app.gui import engine
from app.gui.base import display_path, message_label, show_message, text_label, typed_path
from app.gui.renew.common import NewPassphrase, RenewPage, valid_until
from app.gui.renew.flow import REQUEST

if TYPE_CHECKING:
    from app.core.model import CertificateItem
    from app.gui.wizard import GridCertWizard


KEY_CHOICES = (
    ("rsa2048", "RSA 2048 (what grid operators ask for)"),
    ("rsa3072", "RSA 3072"),
    ("rsa4096", "RSA 4096 (slower; for long-lived device certificates)"),
    ("ec-p256", "EC P-256 (only if your operator accepts it)"),
)


class RequestPage(RenewPage):
    page_id = REQUEST

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Make a certificate request"))
        self.setSubTitle(self.tr("Whose certificate is it? When you renew, the request copies "
                                 "your current certificate's name exactly."))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Make the request"))
        layout = QVBoxLayout(self)
        self.status = message_label(name="request-status")
        layout.addWidget(self.status)
        self.source_group = QButtonGroup(self)
        self.renew_mine = QRadioButton(self.tr("&Renew one of your certificates:"))
        self.renew_mine.setObjectName("request-like")
        self.renew_mine.setAccessibleName(self.tr("Renew one of your certificates"))
        self.mine = QComboBox()
        self.mine.setObjectName("request-like-choice")
        self.mine.setAccessibleName(self.tr("Certificate to renew"))
        self.typed = QRadioButton(self.tr("&Type the details (a new certificate):"))
        self.typed.setObjectName("request-typed")
        self.typed.setAccessibleName(self.tr("Type the details"))
        for button in (self.renew_mine, self.typed):
            self.source_group.addButton(button)
            button.toggled.connect(self._changed)
        layout.addWidget(self.renew_mine)
        layout.addWidget(self.mine)
        layout.addWidget(self.typed)
        self.form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for key, text in (("common_name", self.tr("&Name (CN), e.g. your name or the device:")),
                          ("organization", self.tr("&Organisation (O):")),
                          ("organizational_unit", self.tr("&Unit (OU):")),
                          ("locality", self.tr("&City (L):")),
                          ("state", self.tr("&State (ST):")),
                          ("country", self.tr("Countr&y (C), two letters:")),
                          ("email", self.tr("&E-mail:"))):
            edit = QLineEdit()
            edit.setObjectName(f"subject-{key}")
            edit.setAccessibleName(text.replace("&", "").rstrip(":"))
            edit.textChanged.connect(self._changed)
            self.form.addRow(text, edit)
            self.fields[key] = edit
        layout.addLayout(self.form)
        # The same form as the name fields, so that every label lines up in one column.
        options = self.form
        self.key = QComboBox()
        self.key.setObjectName("request-key")
        self.key.setAccessibleName(self.tr("Key type"))
        for kind, words in KEY_CHOICES:
            self.key.addItem(self.tr(words), kind)
        self.key.currentIndexChanged.connect(self._changed)
        key_label = QLabel(self.tr("&Key:"))
        key_label.setBuddy(self.key)
        options.addRow(key_label, self.key)
        save_row = QHBoxLayout()
        self.out = QLineEdit()
        self.out.setObjectName("request-out")
        self.out.setAccessibleName(self.tr("Where to save the request"))
        self.out.textChanged.connect(self._changed)
        browse = QPushButton(self.tr("Bro&wse…"))
        browse.setObjectName("request-browse")
        browse.clicked.connect(self._browse)
        save_row.addWidget(self.out, 1)
        save_row.addWidget(browse)
        # A label made here, not by addRow(text, layout): a layout cannot be a buddy, and
        # the label would show its "&" instead of underlining the letter.
        out_label = QLabel(self.tr("Save the request &as:"))
        out_label.setBuddy(self.out)
        options.addRow(out_label, save_row)
        self.key_pass = NewPassphrase(options, "key-passphrase",
                                      self.tr("&Passphrase for the new key:"),
                                      self.tr("Passphrase for the new key"), self._changed)
        self.key_note = text_label("", "key-note", selectable=True)
        layout.addWidget(self.key_note)
        layout.addStretch(1)
        self._mine: list[CertificateItem] = []

    def initializePage(self) -> None:
        if not self.out.text():
            from app.gui.dialogs import suggested_folder

            folder = suggested_folder()
            self.out.setText(display_path(
                folder / f"certificate-request-{dt.date.today():%Y-%m-%d}.csr"))
        self.key_pass.set_visible(False)
        self.run(lambda _p: _request_facts(), self._show,
                 lambda message: show_message(self.status, message))

    def _show(self, facts: tuple[list[CertificateItem], bool]) -> None:
        mine, keyring_ok = facts
        self.r.keyring = keyring_ok
        self._mine = mine
        self.mine.clear()
        for item in mine:
            self.mine.addItem(f"{item.display_name} — {item.issuer_display_name}, until "
                              f"{valid_until(item)}")
        self.renew_mine.setEnabled(bool(mine))
        self.mine.setEnabled(bool(mine))
        (self.renew_mine if mine else self.typed).setChecked(True)
        self.key_pass.set_visible(not keyring_ok)
        self.key_note.setText(self.tr(
            "The new private key is kept on this computer, encrypted; its passphrase is kept "
            "in your system's keyring.") if keyring_ok else self.tr(
            "This computer has no keyring GridCert can use: choose a passphrase for the new "
            "key and keep it — you need it when the certificate comes back."))
        self._changed()

    def _browse(self) -> None:
        path = self.pick_save_path(self.tr("Save the certificate request"),
                                   typed_path(self.out.text()),
                                   self.tr("Certificate request (*.csr)"))
        if path:
            self.out.setText(display_path(path))

    def validatePage(self) -> bool:
        return self.may_write(self.r.csr_out) and super().validatePage()

    def _changed(self, *_args: object) -> None:  # whatever the Qt signal carries
        typed = self.typed.isChecked()
        for edit in self.fields.values():
            edit.setEnabled(typed)
        self.mine.setEnabled(self.renew_mine.isChecked() and bool(self._mine))
        index = self.mine.currentIndex()
        self.r.like = (self._mine[index] if self.renew_mine.isChecked()
                       and 0 <= index < len(self._mine) else None)
        self.r.subject = self._subject() if typed else ""
        self.r.key_kind = str(self.key.currentData() or "rsa2048")
        self.r.csr_out = typed_path(self.out.text())
        self.r.key_passphrase = self.key_pass.value() if self.r.keyring is False else ""
        self.refresh()

    def _subject(self) -> str:
        from app.core.csr import SubjectForm
        from app.core.errors import GridCertError

        values = {key: edit.text() for key, edit in self.fields.items()}
        if not values["common_name"].strip():
            return ""
        try:
            return str(SubjectForm(**values).to_name().rfc4514_string())
        except GridCertError as error:
            show_message(self.status, str(error))
            return ""


def _request_facts() -> tuple[list[CertificateItem], bool]:
    from app.actions.secrets import keyring_available

    infos = engine.detect_targets()
    stores = [i.store for i in infos if i.usable and i.store.holds_identities]
    inventory = engine.list_certificates(stores)
    seen: dict[str, CertificateItem] = {}
    for entry in inventory.entries:
        if entry.has_private_key and not entry.item.is_ca:
            seen.setdefault(entry.item.sha256, entry.item)
    # Newest first: the one to renew is the one in use, not last year's leftover.
    mine = sorted(seen.values(), key=lambda item: item.not_after, reverse=True)
    return mine, keyring_available()
