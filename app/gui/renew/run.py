"""Renew, *Working…*: runs the chosen way (`app.actions.renew`) in a worker and moves on.
A run that changes stores has Install's Stop (app.gui.run_control): the same question,
and what was done is put back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QVBoxLayout, QWizard

from app.gui.base import text_label
from app.gui.renew.common import RenewPage
from app.gui.renew.flow import MODE_COMPLETE, MODE_NEW_FILE, MODE_REQUEST, RUN, RenewState
from app.gui.run_control import RunStopper

if TYPE_CHECKING:
    from app.actions.apply import CancelToken
    from app.actions.renew import CompleteResult, ReplaceResult, RequestResult
    from app.core.csr import KeyKind
    from app.gui.wizard import GridCertWizard
    from app.gui.worker import Progress


class RunPage(RenewPage):
    page_id = RUN

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Working…"))
        self.setSubTitle(self.tr("Please keep this window open."))
        layout = QVBoxLayout(self)
        self.bar = QProgressBar()
        self.bar.setObjectName("renew-progress")
        self.bar.setAccessibleName(self.tr("Progress"))
        self.bar.setRange(0, 0)
        layout.addWidget(self.bar)
        self.status = text_label("", "renew-progress-status", selectable=True)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        self.stopper = RunStopper(self, self.status, name="cancel-renew")
        row.addWidget(self.stopper.button)
        layout.addLayout(row)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Next >"))

    def initializePage(self) -> None:
        r = self.r
        r.result = None
        r.error = None
        self.bar.setRange(0, 0)
        self.status.setText(self.tr("Starting…"))
        changes_stores = r.mode == MODE_NEW_FILE or (r.mode == MODE_COMPLETE
                                                    and r.complete_install)
        token = self.stopper.start() if changes_stores else None
        if token is None:
            self.stopper.not_stoppable()
        self.run(lambda progress: _do(r, progress, token), self._finished, self._failed,
                 self._progress)

    # The wizard asks these when the window is closed during the run.
    def can_stop(self) -> bool:
        return self.stopper.can_stop()

    def stop_run(self, ask: bool = True) -> bool:
        return self.stopper.stop(ask=ask)

    def _progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self.status.setText(message)

    def _finished(self, result: RequestResult | ReplaceResult | CompleteResult) -> None:
        self.stopper.finished()
        self.r.result = result
        self.advance_soon()

    def _failed(self, message: str) -> None:
        self.stopper.finished()
        self.r.error = message
        self.advance_soon()


def _do(r: RenewState, progress: Progress, cancel: CancelToken | None = None,
        ) -> RequestResult | ReplaceResult | CompleteResult:
    """The one action the choices lead to (runs in a worker)."""
    stores = [r.stores[t] for t in r.targets if t in r.stores]
    if r.mode == MODE_NEW_FILE:
        from app.actions.renew import replace_identity

        return replace_identity(r.new_items, stores, old_sha256s=[o.sha256 for o in r.old_found],
                                remove=r.remove_old,
                                backup_passphrase_text=(r.backup_passphrase
                                                        if r.keyring is False else None),
                                progress=progress, cancel=cancel, allow_older=r.allow_older)
    if r.mode == MODE_REQUEST:
        from app.actions.renew import make_request

        kind = cast("KeyKind", r.key_kind)  # one of KEY_CHOICES
        return make_request(r.subject or None, like=r.like, key_kind=kind, out=r.csr_out,
                            key_passphrase=r.key_passphrase or None)
    from app.actions.renew import complete

    key_passphrase = r.key_passphrase or None
    if r.complete_install:
        return complete([r.issued], install_to=stores, key_passphrase=key_passphrase,
                        progress=progress, cancel=cancel)
    return complete([r.issued], export_to=r.export_out, export_password=r.export_password,
                    key_passphrase=key_passphrase)
