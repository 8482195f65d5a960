"""Install, page 3 (*Type the password of your certificate*): a password row per locked
.pfx/.p12, with the Caps Lock hint; the files are read again with the typed passwords.

From the second wrong password in a row for a file, the message adds where the password
comes from (`app.core.password_help`). Once a file opens, what it holds is shown as the
Review page's cards (validity, trust badge, *Install this*); when something inside is left
out by default — an expired personal certificate — the page stays so the person sees it
and may tick it, and Next goes on from there.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import engine, navigation
from app.gui.base import FlowPage, message_label, show_message, text_label
from app.gui.describe import file_label
from app.gui.install.common import clear_layout, scroll_area
from app.gui.install.review import CertificateCard, Described, describe_all, set_default_choice
from app.gui.widgets import CapsLockWatcher

if TYPE_CHECKING:
    from app.core.catalog import TrustBadge
    from app.core.reader import ReadResult
    from app.gui.describe import ItemView
    from app.gui.wizard import GridCertWizard


def operator_of(source: str, described: Described | None = None) -> str | None:
    """The operator a locked file most likely comes from: by its name (ERCOT's are
    '<DUNS>$<USERNAME>.pfx'), else by an operator's root among the other files."""
    name = os.path.basename(source.split("!", 1)[0])
    if re.match(r"^\d{9,13}\$", name) or "ercot" in name.lower():
        return "ERCOT"
    if "caiso" in name.lower():
        return "CAISO"
    if described is not None:
        for badge in described[2].values():
            if badge is not None and badge.entry is not None and badge.level != "mismatch":
                return badge.entry.operator
    return None


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
        inner = QWidget()
        self.cards = QVBoxLayout(inner)
        self.cards.setContentsMargins(0, 0, 0, 0)
        self.opened = scroll_area(inner, "unlocked-list")
        self.opened.hide()
        layout.addWidget(self.opened, 1)
        self.stretch = QWidget()
        layout.addWidget(self.stretch, 1)
        self.rows: list[PasswordRow] = []
        #: Wrong passwords in a row, per file (the help comes from the second).
        self.attempts: dict[str, int] = {}

    def initializePage(self) -> None:
        clear_layout(self.rows_box)
        self.rows = [PasswordRow(source, self) for source in self.state.locked]
        for row in self.rows:
            self.rows_box.addWidget(row)
        show_message(self.status, None)
        self._show_opened([])
        if self.rows:
            QTimer.singleShot(0, self.rows[0].field.setFocus)

    def cleanupPage(self) -> None:
        # Going back: forget what the files gave with the password (Review re-reads).
        self.state.unlocked = set()

    def password_typed(self, source: str, text: str) -> None:
        self.state.passwords[source] = text
        if source in self.state.unlocked:
            # Another password for a file already open: it is opened again, and what it
            # showed no longer holds.
            self.state.unlocked.discard(source)
            self._show_opened([])
            show_message(self.status, None)
        self.refresh()

    def isComplete(self) -> bool:
        if not super().isComplete():
            return False
        # Everything opened and everything left out: nothing would be installed.
        opened = set(self.state.locked) <= self.state.unlocked
        return not opened or self.state.certificate_count > 0

    def needs_background_validation(self) -> bool:
        # Files already opened (the page stayed to show what is inside): Next goes on.
        return not set(self.state.locked) <= self.state.unlocked

    def start_validation(self) -> None:
        for row in self.rows:
            show_message(row.error, None)
        show_message(self.status, self.tr("Opening the files…"), "info")
        files = list(self.state.files)
        passwords = {s: self.state.passwords.get(s, "") for s in self.state.locked}
        self.run(lambda _p: describe_all(engine.read_files(files, passwords)), self._checked,
                 self._failed)

    def _failed(self, message: str) -> None:
        show_message(self.status, message)

    def _wrong_sentence(self, source: str, message: str, wrong_password: bool,
                        described: Described) -> str:
        if not wrong_password:
            return message
        attempts = self.attempts[source] = self.attempts.get(source, 0) + 1
        from app.core.password_help import HELP_AFTER, wrong_password_sentence

        if attempts < HELP_AFTER:
            return message + " " + self.tr(
                "Check the password (it is case-sensitive) and try again.")
        return wrong_password_sentence(file_label(source), attempts,
                                       operator_of(source, described))

    def _checked(self, described: Described) -> None:
        from app.core.errors import WrongPasswordError

        result: ReadResult = described[0]
        still = {p.source: p for p in result.problems if p.needs_password}
        wrong = [row for row in self.rows if row.source in still]
        for row in self.rows:
            if row.source not in still:
                self.attempts.pop(row.source, None)  # it opened: the count starts again
        if wrong:
            show_message(self.status, None)
            for row in wrong:
                problem = still[row.source]
                show_message(row.error, self._wrong_sentence(
                    row.source, problem.message, isinstance(problem.error, WrongPasswordError),
                    described))
                row.field.selectAll()
            wrong[0].field.setFocus()
            return
        show_message(self.status, None)
        self.state.read = result
        self.state.unlocked = set(self.state.locked)
        self.state.forget_plan()
        _result, views, badges, issuers = described
        locked = set(self.state.locked)
        # Only what the passwords opened (the rest was on the Review page), and only the
        # first time: coming back keeps the person's own choice, and does not stop again.
        opened = [v for v in views if v.source in locked and v.sha256 not in self.state.seen]
        for view in opened:
            set_default_choice(self.state, view, badges.get(view.sha256), issuers)
        self._show_opened(opened, badges)
        left_out = [v for v in opened if v.sha256 in self.state.excluded]
        if not left_out:
            self.validation_passed()
            return
        # Something inside is left out (an expired certificate): stay, so that the person
        # sees it here — where the tick is — rather than first on the Confirm page.
        expired = [v for v in left_out if v.days_left < 0]
        if expired:
            text = self.tr(
                "Opened. {name} expired on {date}: it no longer signs you in, so it is left "
                "out. Ask your operator for a new certificate; to install this one anyway, "
                "tick 'Install this' on its card.").format(
                    name=expired[0].title, date=expired[0].until_date)
        else:
            text = (self.tr("Opened. 1 certificate left out: tick 'Install this' on its "
                            "card to install it after all.") if len(left_out) == 1 else
                    self.tr("Opened. {n} certificates left out: tick 'Install this' on "
                            "their cards to install them after all.").format(
                                n=len(left_out)))
        if self.state.certificate_count == 0:
            text += " " + self.tr("Tick at least one to go on.")
        else:
            text += " " + self.tr("Press Next to go on.")
        show_message(self.status, text, "warning")
        self.refresh()

    def _show_opened(self, views: list[ItemView],
                     badges: dict[str, TrustBadge | None] | None = None) -> None:
        """The cards of what the opened files hold (none: the list is hidden)."""
        clear_layout(self.cards)
        for view in views:
            chosen = view.sha256 not in self.state.excluded
            self.cards.addWidget(CertificateCard(
                view, QGuiApplication.clipboard().setText, chosen, self._choose,
                (badges or {}).get(view.sha256), self._open_link))
        if views:
            self.cards.insertWidget(0, text_label(self.tr("What the file holds:"), bold=True,
                                                  name="unlocked-title"))
            self.cards.addStretch(1)
        self.opened.setVisible(bool(views))
        self.stretch.setVisible(not views)

    def _choose(self, sha256: str, chosen: bool) -> None:
        if chosen:
            self.state.excluded.discard(sha256)
        else:
            self.state.excluded.add(sha256)
        self.state.forget_plan()
        self.refresh()

    def _open_link(self, url: str) -> None:
        self.dialogs.open_url(url)
