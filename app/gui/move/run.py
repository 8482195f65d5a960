"""Move, *Saving and checking…*: writes the file (`app.actions.export`) in a worker and
moves on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QProgressBar, QVBoxLayout, QWizard

from app.gui.move.common import MovePage
from app.gui.move.flow import RUN, MoveState

if TYPE_CHECKING:
    from app.actions.export import ExportResult
    from app.gui.wizard import GridCertWizard


class RunPage(MovePage):
    page_id = RUN

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Saving and checking…"))
        self.setSubTitle(self.tr("GridCert writes the file, then opens it again to make sure "
                                 "it is right."))
        layout = QVBoxLayout(self)
        self.bar = QProgressBar()
        self.bar.setObjectName("move-progress")
        self.bar.setRange(0, 0)
        layout.addWidget(self.bar)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Next >"))

    def initializePage(self) -> None:
        m = self.m
        m.result = None
        m.error = None
        self.run(lambda _p: _export(m), self._finished, self._failed)

    def _finished(self, result: ExportResult) -> None:
        self.m.result = result
        self.advance_soon()

    def _failed(self, message: str) -> None:
        self.m.error = message
        self.advance_soon()


def _export(m: MoveState) -> ExportResult:
    from app.actions.export import export_from_store, write_export

    chosen = m.chosen
    assert chosen is not None
    profile = m.profile
    fmt = m.fmt
    if chosen.store is not None:
        return export_from_store(chosen.store, chosen.item.sha256, m.out, m.password,
                                 profile=profile, fmt=fmt, remember_password=m.remember)
    # The chain the Confirm page showed: the file's own, completed from the stores.
    chain = m.chain if m.chain is not None else [
        i for i in (m.file_items or []) if i.sha256 != chosen.item.sha256]
    return write_export(chosen.item, chain, m.out, m.password, profile=profile, fmt=fmt,
                        remember_password=m.remember, source=chosen.item.source)
