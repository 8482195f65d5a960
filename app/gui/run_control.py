"""One Stop for every run that changes the stores (Install's *Installing…*, Renew's
*Working…*): the same button word, the same question, the same outcome — the run is
cancelled before its commit point and what it had done is put back (the journal's
rollback), and the Done page says so.

The wizard's own Cancel is disabled while such a run works (one way to stop, not two);
closing the window asks the same question (app.gui.wizard `close_when_finished` calls
`stop`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWizard

from app.gui import engine

if TYPE_CHECKING:
    from app.actions.apply import CancelToken
    from app.gui.base import FlowPage


def tr(text: str) -> str:
    return QApplication.translate("RunStopper", text)


class RunStopper:
    """The Stop button of a page whose run changes stores, and its cancel token."""

    def __init__(self, page: FlowPage, status: QLabel, *, name: str) -> None:
        self.page = page
        self.status = status
        self.button = QPushButton(tr("&Stop"))
        self.button.setObjectName(name)
        self.button.setAccessibleName(tr("Stop and put back what was done"))
        self.button.clicked.connect(self._clicked)
        self.token: CancelToken | None = None

    def start(self) -> CancelToken:
        """A run begins: a fresh token, Stop enabled, the wizard's Cancel disabled."""
        self.token = engine.new_cancel_token()
        self.button.setEnabled(True)
        self.button.show()
        self._wizard_cancel(False)
        return self.token

    def not_stoppable(self) -> None:
        """A run that changes no store (a request, a file saved): nothing to stop; closing
        waits for it."""
        self.token = None
        self.button.hide()

    def can_stop(self) -> bool:
        return (self.token is not None and not self.token.cancelled
                and self.page.busy and self.button.isVisible())

    def stopping(self) -> bool:
        return self.token is not None and self.token.cancelled

    def stop(self, ask: bool = True) -> bool:
        """Ask (unless `ask` is False), then cancel: True when the run is being stopped."""
        if self.stopping():
            return True
        if not self.can_stop():
            return False
        if ask and not self.page.dialogs.confirm(
                self.page, tr("Stop?"),
                tr("Stop now? What has been done so far is put back, so that your browsers "
                   "and this computer are as they were before."), tr("&Stop")):
            return False
        if not self.can_stop():
            # The run ended while the question was up (its Done page is shown now):
            # nothing can be put back any more, so saying "Stop" must not close the
            # window as if it had been; the person sees what was done (and its Undo).
            return False
        assert self.token is not None
        self.token.cancel()
        self.button.setEnabled(False)
        self.status.setText(tr("Stopping… what was done is being put back."))
        return True

    def finished(self) -> None:
        """The run has reported (done, failed or stopped)."""
        self.button.setEnabled(False)
        self._wizard_cancel(True)

    def _clicked(self) -> None:
        self.stop(ask=True)

    def _wizard_cancel(self, enabled: bool) -> None:
        self.page.gc_wizard.button(QWizard.WizardButton.CancelButton).setEnabled(enabled)
