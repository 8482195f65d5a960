"""Install, page 6 (*Installing…*): runs the plan in a worker, one line per step, with Stop
(app.gui.run_control: asks, then rolls back); `RunFailed` stands for a run that raised or
was stopped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
)

from app.core.errors import EXIT_CANCELLED
from app.gui import engine, navigation
from app.gui.base import FlowPage, text_label
from app.gui.run_control import RunStopper

if TYPE_CHECKING:
    from app.actions.apply import ApplyReport
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

    @classmethod
    def stopped(cls, report: ApplyReport, put_back: list[Step]) -> RunFailed:
        """A run stopped with Stop and rolled back: `applied` lists what was put back
        (the report itself keeps none once rolled back), for the Done page."""
        failed = cls(report.error or "Cancelled before the change was complete.")
        failed.applied = list(put_back)
        failed.failed = report.failed
        failed.journal_id = report.journal_id
        return failed


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
        self.stopper = RunStopper(self, self.status, name="cancel-install")
        self.cancel = self.stopper.button
        row.addWidget(self.status, 1)
        row.addWidget(self.cancel)
        layout.addLayout(row)
        self._titles: list[str] = []
        self._steps: list[Step] = []
        #: The furthest step index the run has reported starting (its group was done
        #: before a Stop is honoured, so it is among what is put back).
        self._reached = -1
        # A commit page (no way back into it); it moves on by itself, so plain "Next".
        self.setButtonText(wizard.WizardButton.CommitButton, self.tr("&Next >"))

    def initializePage(self) -> None:
        plan = self.state.plan
        self.state.report = None
        self._steps = [s for s in plan.steps if not s.skip] if plan is not None else []
        self._titles = [s.title for s in self._steps]
        self._reached = -1
        self.steps.clear()
        for title in self._titles:
            self.steps.addItem(QListWidgetItem("○ " + title))
        self.bar.setRange(0, max(1, len(self._titles)))
        self.bar.setValue(0)
        self.status.setText(self.tr("Starting…"))
        token = self.stopper.start()

        def work(progress: engine.Progress) -> ApplyReport:
            assert plan is not None  # the Confirm page made it: navigation comes here after
            return engine.apply_plan(plan, progress, token)

        self.run(work, self._finished, self._failed, self._progress)

    def _progress(self, done: int, total: int, message: str) -> None:
        self._reached = max(self._reached, done)
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

    # The wizard asks these when the window is closed during the run.
    def can_stop(self) -> bool:
        return self.stopper.can_stop()

    def stop_run(self, ask: bool = True) -> bool:
        return self.stopper.stop(ask=ask)

    def _finished(self, report: ApplyReport) -> None:
        if (not report.ok and report.exit_code == EXIT_CANCELLED and report.rolled_back
                and self.stopper.stopping()):
            self.state.report = RunFailed.stopped(report, self._put_back())
        else:
            self.state.report = report
        self._done()

    def _put_back(self) -> list[Step]:
        """The steps done before Stop was honoured: every step up to the last one the run
        reported starting, and the rest of that step's batch (CA certificates added to
        one store in one go); all of them were rolled back."""
        if self._reached < 0:
            return []
        last = min(self._reached, len(self._steps) - 1)
        done = self._steps[:last + 1]
        batch = ("add-root", "add-intermediate")
        for step in self._steps[last + 1:]:
            if (step.kind in batch and done[-1].kind in batch
                    and step.target_id == done[-1].target_id):
                done.append(step)
            else:
                break
        return done

    def _failed(self, message: str) -> None:
        self.state.report = RunFailed(message)
        self._done()

    def _done(self) -> None:
        self.stopper.finished()
        # Nothing to decide here: show the outcome at once.
        self.advance_soon()
