"""Install, page 3 (*Type the password of your certificate*): a password row per locked
.pfx/.p12, with the Caps Lock hint; the files are read again with the typed passwords.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from app.gui import engine, navigation
from app.gui.base import FlowPage, message_label, show_message
from app.gui.describe import file_label
from app.gui.install.common import clear_layout
from app.gui.widgets import CapsLockWatcher

if TYPE_CHECKING:
    from app.core.reader import ReadResult
    from app.gui.wizard import GridCertWizard


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
        clear_layout(self.rows_box)
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

    def _checked(self, result: ReadResult) -> None:
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
