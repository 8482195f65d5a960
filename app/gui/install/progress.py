"""Install, page 6 (*Installing…*): runs the plan in a worker, one line per step, with Stop
(which rolls back); `RunFailed` stands for a run that raised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from app.gui import engine, navigation
from app.gui.base import FlowPage, text_label

if TYPE_CHECKING:
    from app.actions.apply import ApplyReport, CancelToken
    from app.actions.plan import Step
    from app.gui.wizard import GridCertWizard


class RunFailed:
    """What the Done page shows when apply itself raised (cancelled, a store refused)."""

    def __init__(self, message: str) -> None:
        self.ok = False
        self.error = message
        self.applied: list[Step] = []
        self.verified: list[str] = []
        self.failed: Step | None = None
        self.rolled_back = True
        self.journal_id: str | None = None


class ProgressPage(FlowPage):
    page_id = navigation.PROGRESS

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Installing…"))
        self.setSubTitle(self.tr("Please keep this window open. Each place is checked "
                                 "afterwards."))
        layout = QVBoxLayout(self)
        self.steps = QListWidget()
        self.steps.setObjectName("progress-steps")
        self.steps.setAccessibleName(self.tr("Steps"))
        self.steps.setWordWrap(True)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.steps, 1)
        self.bar = QProgressBar()
        self.bar.setObjectName("progress-bar")
        self.bar.setAccessibleName(self.tr("Progress"))
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        self.status = text_label("", name="progress-status")
        self.status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.cancel = QPushButton(self.tr("&Stop"))
        self.cancel.setObjectName("cancel-install")
        self.cancel.setAccessibleName(self.tr("Stop the installation and put everything back"))
        self.cancel.clicked.connect(self._cancel)
        row.addWidget(self.status, 1)
        row.addWidget(self.cancel)
        layout.addLayout(row)
        self.token: CancelToken | None = None
        self._titles: list[str] = []
        # A commit page (no way back into it); it moves on by itself, so plain "Next".
        self.setButtonText(wizard.WizardButton.CommitButton, self.tr("&Next >"))

    def initializePage(self) -> None:
        plan = self.state.plan
        self.state.report = None
        self._titles = [s.title for s in plan.steps if not s.skip] if plan is not None else []
        self.steps.clear()
        for title in self._titles:
            self.steps.addItem(QListWidgetItem("○ " + title))
        self.bar.setRange(0, max(1, len(self._titles)))
        self.bar.setValue(0)
        self.status.setText(self.tr("Starting…"))
        self.cancel.setEnabled(True)
        self.gc_wizard.button(self.gc_wizard.WizardButton.CancelButton).setEnabled(False)
        token = self.token = engine.new_cancel_token()

        def work(progress: engine.Progress) -> ApplyReport:
            assert plan is not None  # the Confirm page made it: navigation comes here after
            return engine.apply_plan(plan, progress, token)

        self.run(work, self._finished, self._failed, self._progress)

    def _progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self.status.setText(message)
        for index in range(self.steps.count()):
            item = self.steps.item(index)
            title = self._titles[index]
            if index < done:
                item.setText("✓ " + title)
            elif index == done and done < total:
                item.setText("→ " + title)

    def _cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
        self.cancel.setEnabled(False)
        self.status.setText(self.tr("Stopping… what was done is being put back."))

    def _finished(self, report: ApplyReport) -> None:
        self.state.report = report
        self._done()

    def _failed(self, message: str) -> None:
        self.state.report = RunFailed(message)
        self._done()

    def _done(self) -> None:
        self.cancel.setEnabled(False)
        self.gc_wizard.button(self.gc_wizard.WizardButton.CancelButton).setEnabled(True)
        # Nothing to decide here: show the outcome at once.
        self.advance_soon()
