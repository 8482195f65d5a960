"""Renew, page 1 (*Renew a certificate*): new file, certificate request, or the answer to a
request made here (offered only when one is waiting).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout

from app.gui.base import text_label
from app.gui.renew.common import RenewPage
from app.gui.renew.flow import HOW, MODE_COMPLETE, MODE_NEW_FILE, MODE_REQUEST

if TYPE_CHECKING:
    from app.actions.renew import PendingRequest
    from app.gui.wizard import GridCertWizard


class HowPage(RenewPage):
    page_id = HOW

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Renew a certificate"))
        self.setSubTitle(self.tr("What do you have?"))
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        choices = (
            (MODE_NEW_FILE, self.tr("I received a new certificate &file (.pfx or .p12) from my "
                                    "grid operator"),
             self.tr("The usual ERCOT renewal. GridCert installs the new one next to the old "
                     "one, checks it, then removes the old one after saving a backup.")),
            (MODE_REQUEST, self.tr("I need to make a certificate &request (CSR)"),
             self.tr("For CAISO device certificates (RIG, DPG, ICCP) and operators that ask "
                     "for a request. The new private key stays on this computer.")),
            (MODE_COMPLETE, self.tr("I received the certificate for a request made &here"),
             self.tr("GridCert pairs it with the key it kept, then installs it or saves it "
                     "as a .pfx.")),
        )
        self.buttons: dict[str, QRadioButton] = {}
        for mode, text, detail in choices:
            button = QRadioButton(text)
            button.setObjectName(f"mode-{mode}")
            button.setAccessibleName(text.replace("&", ""))
            button.setAccessibleDescription(detail)
            self.group.addButton(button)
            button.toggled.connect(lambda on, m=mode: self._chosen(m, on))
            layout.addWidget(button)
            hint = text_label(detail, f"mode-{mode}-detail", selectable=True)
            hint.setContentsMargins(24, 0, 0, 8)
            layout.addWidget(hint)
            self.buttons[mode] = button
        self.pending = text_label("", "pending-requests", selectable=True)
        layout.addWidget(self.pending)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.run(lambda _p: _pending_requests(), self._show_pending, lambda _m: None)

    def _show_pending(self, pending: list[PendingRequest]) -> None:
        if not pending:
            self.pending.setText(self.tr("No certificate request made here is waiting."))
            self.buttons[MODE_COMPLETE].setEnabled(False)
            return
        self.buttons[MODE_COMPLETE].setEnabled(True)
        lines = [self.tr("Requests made here that are waiting for their certificate:")]
        for item in pending:
            lines.append(f"  • {item.subject} — {item.key_kind}, {item.age_text()}")
        self.pending.setText("\n".join(lines))

    def _chosen(self, mode: str, on: bool) -> None:
        if on:
            self.r.mode = mode
            self.r.result = None
            self.r.error = None
            self.refresh()


def _pending_requests() -> list[PendingRequest]:
    from app.actions.renew import list_pending

    return list_pending()
