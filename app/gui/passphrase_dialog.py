"""A small window that asks for a new passphrase, typed twice.

Used where GridCert must encrypt something and has no keyring to keep a generated
passphrase in (the backup kept before a personal certificate is removed). Typing it twice
catches a typo that would otherwise lock the person out of their own backup.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


def tr(text: str) -> str:
    return QApplication.translate("NewPassphraseDialog", text)


class NewPassphraseDialog(QDialog):
    """Two password fields and a Show toggle; OK only when both say the same."""

    def __init__(self, parent: QWidget | None, title: str, text: str, accept_text: str) -> None:
        super().__init__(parent)
        self.setObjectName("new-passphrase-dialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        explanation = QLabel(text)
        explanation.setWordWrap(True)
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(explanation)
        form = QFormLayout()
        self.first = self._field("passphrase", tr("Passphrase"))
        self.second = self._field("passphrase-again", tr("Passphrase again"))
        form.addRow(tr("&Passphrase:"), self.first)
        form.addRow(tr("&Again:"), self.second)
        layout.addLayout(form)
        self.show_text = QCheckBox(tr("&Show the passphrase"))
        self.show_text.setObjectName("show-passphrase")
        self.show_text.toggled.connect(self._show)
        layout.addWidget(self.show_text)
        self.hint = QLabel()
        self.hint.setObjectName("passphrase-hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("accept-passphrase")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        # Enter means the primary button, also after Tab has passed over Cancel (Esc and
        # Space still press Cancel).
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Only now that the button is inside this dialog does the dialog remember it as
        # its default; set earlier, QDialog made the first button in the focus chain
        # (Cancel) the default when shown, and Enter pressed Cancel.
        self.ok.setDefault(True)
        self.first.textChanged.connect(self._check)
        self.second.textChanged.connect(self._check)
        self._check()

    def _field(self, name: str, accessible: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setAccessibleName(accessible)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def _show(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def _check(self) -> None:
        first, second = self.first.text(), self.second.text()
        same = bool(first) and first == second
        self.ok.setEnabled(same)
        if not first:
            self.hint.setText(tr("Type a passphrase you will remember, then type it again."))
        elif second and not same:
            self.hint.setText(tr("The two passphrases are not the same yet."))
        elif len(first) < 8:
            self.hint.setText(tr("A longer passphrase (a few words) protects the key better."))
        else:
            self.hint.setText("")

    def passphrase(self) -> str:
        return self.first.text()
