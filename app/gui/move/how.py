"""Move, page 2 (*Where is it going?*): the destination (another computer, Java, an older
Windows or a Mac, a script), in plain words with the protection's technical detail behind
*Details*; the file's password and where it is saved.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.base import (
    display_path,
    message_label,
    password_field,
    show_message,
    text_label,
    typed_path,
)
from app.gui.dialogs import suggested_folder
from app.gui.move.common import MovePage
from app.gui.move.flow import DESTINATIONS, HOW, password_warning
from app.gui.widgets import DetailsLink, ResultRows

if TYPE_CHECKING:
    from app.gui.wizard import GridCertWizard


class HowPage(MovePage):
    page_id = HOW

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Where is it going?"))
        self.setSubTitle(self.tr("The answer decides how the file is protected, so that the "
                                 "other computer can open it."))
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(self.tr("The file will be opened on:"), "destination-heading"))
        self.group = QButtonGroup(self)
        self.destinations: dict[str, QRadioButton] = {}
        for value, words, _profile, _fmt, _detail in DESTINATIONS:
            button = QRadioButton(self.tr(words))
            button.setObjectName(f"dest-{value}")
            button.setAccessibleName(self.tr(words))
            self.group.addButton(button)
            layout.addWidget(button)
            self.destinations[value] = button
        self.destinations["modern"].setChecked(True)
        # The algorithms and the versions that read them: for whoever asks, not on the page.
        self.protection_detail = text_label("", "protection-detail", selectable=True)
        self.protection_link = DetailsLink(self.protection_detail,
                                           name="protection-details-link")
        layout.addWidget(self.protection_link)
        layout.addWidget(self.protection_detail)
        layout.addSpacing(8)
        layout.addWidget(text_label(self.tr("Protect it with:"), "password-heading"))
        self.pw_group = QButtonGroup(self)
        self.typed = QRadioButton(self.tr("&Type a password"))
        self.typed.setObjectName("password-typed")
        self.generate = QRadioButton(self.tr("&Make a passphrase for me (shown once: copy it "
                                             "or write it down)"))
        self.generate.setObjectName("password-generated")
        for button in (self.typed, self.generate):
            self.pw_group.addButton(button)
            layout.addWidget(button)
        form = QFormLayout()
        self.pw1 = password_field("move-password", self.tr("Password"))
        self.pw2 = password_field("move-password-again", self.tr("The password again"))
        for edit in (self.pw1, self.pw2):
            edit.textChanged.connect(self._changed)
        self.pw1_label = QLabel(self.tr("P&assword:"))  # w is Browse's
        self.pw1_label.setBuddy(self.pw1)
        self.pw2_label = QLabel(self.tr("A&gain:"))
        self.pw2_label.setBuddy(self.pw2)
        form.addRow(self.pw1_label, self.pw1)
        form.addRow(self.pw2_label, self.pw2)
        phrase_row = QHBoxLayout()
        self.phrase = QLineEdit()
        self.phrase.setObjectName("generated-passphrase")
        self.phrase.setAccessibleName(self.tr("Your new passphrase"))
        self.phrase.setReadOnly(True)
        self.copy = QPushButton(self.tr("&Copy"))
        self.copy.setObjectName("copy-passphrase")
        self.copy.setAccessibleName(self.tr("Copy the passphrase"))
        self.copy.clicked.connect(self._copy)
        phrase_row.addWidget(self.phrase, 1)
        phrase_row.addWidget(self.copy)
        self.phrase_label = QLabel(self.tr("Passphrase:"))
        form.addRow(self.phrase_label, phrase_row)
        layout.addLayout(form)
        self.strength = message_label(name="password-strength")
        layout.addWidget(self.strength)
        # Letters like ü or é that Java or an older Windows may read differently: said
        # while the password can still be changed (the detail behind Details).
        self.password_warning = ResultRows(name="password-warning")
        self.password_warning.hide()
        layout.addWidget(self.password_warning)
        self.remember = QCheckBox(self.tr("&Remember this password in the system keyring"))
        self.remember.setObjectName("remember-password")
        self.remember.toggled.connect(self._changed)
        layout.addWidget(self.remember)
        # Why it is greyed, in words (a tooltip is never seen by most people).
        self.remember_reason = message_label(name="remember-reason")
        self.remember_reason.setContentsMargins(24, 0, 0, 0)
        layout.addWidget(self.remember_reason)
        out_row = QHBoxLayout()
        self.out = QLineEdit()
        self.out.setObjectName("move-out")
        self.out.setAccessibleName(self.tr("Where to save the file"))
        self.out.textChanged.connect(self._changed)
        browse = QPushButton(self.tr("Bro&wse…"))
        browse.setObjectName("move-out-browse")
        browse.clicked.connect(self._browse)
        out_row.addWidget(QLabel(self.tr("Save as:")))
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        layout.addLayout(out_row)
        self.status = message_label(name="move-how-status")
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.typed.setChecked(True)
        # Connected last: the handlers read every widget above.
        for button in self.destinations.values():
            button.toggled.connect(self._changed)
        for button in (self.typed, self.generate):
            button.toggled.connect(self._mode_changed)
        self._mode_changed()

    def initializePage(self) -> None:
        self.run(lambda _p: _keyring(), self._keyring_known, lambda _m: None)
        self._suggest(fill_empty=True)

    def _keyring_known(self, available: bool) -> None:
        self.m.keyring = available
        self.remember.setEnabled(available)
        reason = None if available else self.tr(
            "No system keyring on this computer: GridCert cannot remember it.")
        if not available:
            self.remember.setChecked(False)
        self.remember.setToolTip(reason or "")
        self.remember.setAccessibleDescription(reason or "")
        show_message(self.remember_reason, reason, "info")

    def _suggest(self, fill_empty: bool = False) -> None:
        """A file name in the save box: a whole one when the page opens (`fill_empty`),
        later only the ending that follows the chosen format. A box the person emptied
        stays empty: they are about to type their own name."""
        chosen = self.m.chosen
        if chosen is None:
            return
        if not fill_empty and not self.out.text().strip():
            return
        folder = suggested_folder()
        safe = "".join(c for c in chosen.item.display_name if c.isalnum() or c in " -_.")
        suffix = ".pem" if self.m.fmt == "pem" else ".pfx"
        current = self.out.text().strip()
        if not current or Path(current).suffix in (".pfx", ".pem"):
            base = Path(current).with_suffix(suffix) if current else (
                folder / f"{safe.strip() or 'certificate'} {dt.date.today():%Y-%m-%d}{suffix}")
            self.out.setText(display_path(base))

    def _mode_changed(self, *_args: object) -> None:  # whatever the Qt signal carries
        generated = self.generate.isChecked()
        typed_widgets: list[QWidget] = [self.pw1, self.pw2, self.pw1_label, self.pw2_label]
        phrase_widgets: list[QWidget] = [self.phrase, self.copy, self.phrase_label]
        for widget in typed_widgets:
            widget.setVisible(not generated)
        for widget in phrase_widgets:
            widget.setVisible(generated)
        if generated and not self.phrase.text():
            from app.core.passphrase import generate_passphrase

            self.phrase.setText(generate_passphrase())
        self._changed()

    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.phrase.text())
            show_message(self.status, self.tr("The passphrase is on the clipboard."), "info")

    def _browse(self) -> None:
        filter_ = (self.tr("PEM files (*.pem)") if self.m.fmt == "pem"
                   else self.tr("Certificate with its key (*.pfx *.p12)"))
        path = self.pick_save_path(self.tr("Save the certificate"),
                                   typed_path(self.out.text()), filter_)
        if path:
            self.out.setText(display_path(path))

    def validatePage(self) -> bool:
        return self.may_write(self.m.out) and super().validatePage()

    def _changed(self, *_args: object) -> None:  # whatever the Qt signal carries
        for value, button in self.destinations.items():
            if button.isChecked():
                self.m.destination = value
        self.protection_detail.setText(self.m.destination_detail)
        self.m.generated = self.generate.isChecked()
        if self.m.generated:
            self.m.password = self.phrase.text()
            show_message(self.strength, None)
        else:
            same = self.pw1.text() == self.pw2.text()
            self.m.password = self.pw1.text() if same else ""
            if self.pw2.text() and not same:
                show_message(self.strength, self.tr("The two passwords are not the same."),
                             "warning")
            elif self.pw1.text():
                from app.core.passphrase import passphrase_entropy

                weak = passphrase_entropy(self.pw1.text(), separator="") < 50
                show_message(self.strength, self.tr(
                    "This password is short and easy to guess; a longer one, or a generated "
                    "passphrase, protects your key better.") if weak else None, "warning")
            else:
                show_message(self.strength, None)
        self._warn_password()
        self.m.remember = self.remember.isChecked()
        self._suggest()
        self.m.out = typed_path(self.out.text())
        self.refresh()


    def _warn_password(self) -> None:
        warning = password_warning(self.m.password or self.pw1.text(), self.m.destination,
                                   generated=self.m.generated)
        self.password_warning.clear()
        if warning is not None:
            self.password_warning.add_row("warning", warning.sentence, detail=warning.detail)
        self.password_warning.setVisible(warning is not None)


def _keyring() -> bool:
    from app.actions.secrets import keyring_available

    return keyring_available()
