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
    """Write the file (runs in a worker): from the first store copy that can give its key
    (a copy that cannot, e.g. a non-exportable Windows key, passes to the next), with the
    full chain completed from every store found; or from the .pfx that was opened, with the
    chain the Confirm page showed."""
    from app.actions.export import export_from_store, write_export
    from app.core.errors import NotExportableError

    chosen = m.chosen
    assert chosen is not None
    profile = m.profile
    fmt = m.fmt
    if chosen.store is not None:
        copies = [chosen.store, *(s for s in chosen.stores if s is not chosen.store)]
        for index, store in enumerate(copies):
            try:
                return export_from_store(store, chosen.item.sha256, m.out, m.password,
                                         profile=profile, fmt=fmt,
                                         remember_password=m.remember,
                                         chain_stores=m.stores)
            except NotExportableError:
                if index == len(copies) - 1:
                    raise
    # The chain the Confirm page showed: the file's own, completed from the stores.
    chain = m.chain if m.chain is not None else [
        i for i in (m.file_items or []) if i.sha256 != chosen.item.sha256]
    return write_export(chosen.item, chain, m.out, m.password, profile=profile, fmt=fmt,
                        remember_password=m.remember, source=chosen.item.source)
