"""Move, *Ready to save* (the commit page): exactly what the file will be — which
certificate, the full chain it carries, its name and folder, and its protection — before
anything is written. Nothing on this computer changes in the Move flow.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWizard

from app.gui.base import folder_phrase, message_label, show_message
from app.gui.install.common import scroll_area
from app.gui.move.common import MovePage
from app.gui.move.flow import CONFIRM, MoveState, password_warning
from app.gui.renew.common import holder_phrase, valid_until
from app.gui.widgets import ResultRows

if TYPE_CHECKING:
    from app.core.model import CertificateItem
    from app.gui.wizard import GridCertWizard


class ConfirmPage(MovePage):
    page_id = CONFIRM

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Ready to save"))
        self.setSubTitle(self.tr("This is exactly the file GridCert will write. Nothing has "
                                 "been written yet, and nothing on this computer changes."))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Save"))
        layout = QVBoxLayout(self)
        self.status = message_label(name="move-confirm-status")
        layout.addWidget(self.status)
        self.rows = ResultRows(name="move-plan")
        self.rows.setAccessibleName(self.tr("What the file will hold"))
        layout.addWidget(scroll_area(self.rows, "move-plan-scroll"), 1)

    def initializePage(self) -> None:
        m = self.m
        m.chain = None
        self.rows.clear()
        self.refresh()
        show_message(self.status, self.tr("Building the certificate's chain…"), "info")
        self.run(lambda _p: full_chain(m), self._show,
                 lambda message: show_message(self.status, message))

    def _show(self, chain: list[CertificateItem]) -> None:
        m = self.m
        chosen = m.chosen
        assert chosen is not None  # navigation comes here only once one is chosen
        show_message(self.status, None)
        self.rows.clear()
        item = chosen.item
        source = (self.tr("copied from {places}").format(places=chosen.where)
                  if chosen.store is not None else
                  self.tr("taken from the file {name}").format(name=chosen.where))
        self.rows.add_row("info", self.tr(
            "Your certificate ‘{name}’ with its private key, {source}.").format(
            name=holder_phrase(item), source=source),
            detail=self.tr("Issued by {issuer}\nSHA-256 {sha}").format(
                issuer=item.issuer_display_name, sha=item.sha256))
        if chain:
            names = ", ".join(_ca_words(c) for c in chain)
            complete = chain[-1].is_self_signed
            self.rows.add_row(
                "info" if complete else "warning",
                (self.tr("With its full chain: {names}.") if complete else
                 self.tr("With the part of its chain GridCert has: {names}.")).format(
                    names=names),
                fix="" if complete else self.tr(
                    "GridCert found no root certificate for it on this computer: the other "
                    "computer needs your operator's root too."))
        else:
            self.rows.add_row("warning", self.tr(
                "Without a chain: GridCert found none of its CA certificates on this "
                "computer."), fix=self.tr("The other computer needs your operator's root "
                                          "certificates too."))
        folder, name = os.path.split(os.path.abspath(m.out))
        self.rows.add_row("info", self.tr("Saved as “{name}” in {folder}.").format(
            name=name, folder=folder_phrase(folder)),
            fix=self.tr("The file there is replaced.") if os.path.exists(m.out) else "")
        protection = (self.tr("the passphrase GridCert made (the one you copied)")
                      if m.generated else self.tr("the password you typed"))
        self.rows.add_row("info", self.tr(
            "Protected by {password}, for: {destination}.").format(
            password=protection, destination=self.tr(m.destination_words)),
            detail=m.destination_detail)
        warning = password_warning(m.password, m.destination, generated=m.generated)
        if warning is not None:
            self.rows.add_row("warning", warning.sentence, detail=warning.detail)
        if m.remember:
            self.rows.add_row("info", self.tr("The password is kept in the system keyring."))
        m.chain = chain
        self.refresh()


def _ca_words(item: CertificateItem) -> str:
    kind = "root" if item.is_self_signed else "intermediate"
    return f"{item.display_name} ({kind}, until {valid_until(item)})"


def full_chain(m: MoveState) -> list[CertificateItem]:
    """The CA certificates the file carries: what the source has, completed from every
    store found — the same whichever copy is exported (runs in a worker)."""
    from app.actions.export import complete_chain
    from app.core.chain import find_chain

    chosen = m.chosen
    assert chosen is not None
    leaf = chosen.item
    if chosen.store is None:
        known = list(find_chain(leaf, m.file_items or []))[1:]
        return complete_chain(leaf, known, m.stores)
    return complete_chain(leaf, [], [*chosen.stores, *m.stores])
