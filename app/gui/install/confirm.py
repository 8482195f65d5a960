"""Install, page 5 (*Ready to install*, the commit page): the plan of steps, what blocks
it (an open Firefox) and its warnings, then Install.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.gui import engine, navigation
from app.gui.base import FlowPage, message_label, show_message
from app.gui.describe import count_phrase

if TYPE_CHECKING:
    from app.actions.plan import Plan
    from app.gui.wizard import GridCertWizard


class ConfirmPage(FlowPage):
    page_id = navigation.CONFIRM

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self._ready_title()
        layout = QVBoxLayout(self)
        self.status = message_label(name="confirm-status")
        layout.addWidget(self.status)
        self.steps = QListWidget()
        self.steps.setObjectName("plan-steps")
        self.steps.setAccessibleName(self.tr("Planned steps"))
        self.steps.setWordWrap(True)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.steps, 1)
        self.notes = message_label(name="plan-notes")
        layout.addWidget(self.notes)
        self.refused = message_label(name="plan-refused")
        layout.addWidget(self.refused)
        self.warnings = message_label(name="plan-warnings")
        layout.addWidget(self.warnings)
        row = QHBoxLayout()
        self.accept = QCheckBox(self.tr("Install &anyway"))
        self.accept.setObjectName("install-anyway")
        self.accept.setAccessibleName(self.tr("Install anyway, despite the warnings"))
        self.accept.toggled.connect(self._accepted)
        self.accept.hide()
        self.recheck = QPushButton(self.tr("Check a&gain"))
        self.recheck.setObjectName("recheck")
        self.recheck.setAccessibleName(self.tr("Check the stores again"))
        self.recheck.clicked.connect(self.initializePage)
        self.recheck.hide()
        row.addWidget(self.accept)
        row.addStretch(1)
        row.addWidget(self.recheck)
        layout.addLayout(row)

    def _ready_title(self) -> None:
        self.setTitle(self.tr("Ready to install"))
        self.setSubTitle(self.tr("This is exactly what GridCert will do. Nothing has changed "
                                 "yet; if any step fails, everything is put back."))

    def initializePage(self) -> None:
        self.setFinalPage(False)
        self._ready_title()
        self.steps.clear()
        for label in (self.notes, self.refused, self.warnings):
            show_message(label, None)
        self.accept.hide()
        self.recheck.hide()
        self.state.forget_plan()
        show_message(self.status, self.tr("Working out the steps…"), "info")
        items = self.state.chosen_items
        found = self.state.found_targets
        stores = [found[tid].store for tid in self.state.targets if tid in found]

        def work(_progress: engine.Progress) -> tuple[Plan, list[str]]:
            return engine.plan_install(items, stores), engine.busy_reasons(stores)

        self.run(work, self._show, self._failed)

    def _failed(self, message: str) -> None:
        show_message(self.status, message)
        self.refresh()

    def _show(self, outcome: tuple[Plan, list[str]]) -> None:
        plan, busy = outcome
        self.state.plan = plan
        self.state.blocked = list(busy)
        self.steps.clear()
        for step in plan.steps:
            mark = "—" if step.skip else "•"
            text = f"{mark} {step.title}"
            if step.skip:
                text += self.tr(" (already there; nothing to do)")
            else:
                text += f"\n      {step.reason[0].upper()}{step.reason[1:]}."
            item = QListWidgetItem(text)
            item.setToolTip(step.reason)
            self.steps.addItem(item)
        notes = [n for n in plan.notes if n not in busy]
        show_message(self.notes, "\n".join("ℹ " + n for n in notes), "info")
        if busy:
            self.recheck.show()
        show_message(self.refused, "\n".join("✖ " + r for r in plan.refused), "warning")
        if not self.state.plan_has_work:
            # The run ends here (navigation makes this the last page): say so, and let
            # Close be the way out rather than a greyed Install.
            if plan.refused:
                self.setTitle(self.tr("Nothing can be installed"))
                self.setSubTitle(self.tr("GridCert will not install what is in these files; "
                                         "the reason is below. Nothing was changed."))
                show_message(self.status, self.tr(
                    "Nothing to do. Press Close, or go Back to add other files."), "info")
            else:
                self.setTitle(self.tr("Already installed"))
                self.setSubTitle(self.tr("Everything in these files is already in the places "
                                         "you chose. Nothing needs to change."))
                show_message(self.status, self.tr(
                    "Nothing to do: everything is already where it should be. Press Close."),
                    "info")
            show_message(self.warnings, None)
            # QWizard works out Install-or-Close when the page opens; it must hear that
            # this page has become the last one.
            self.setFinalPage(True)
            self.refresh()
            return
        if plan.warnings:
            self.accept.show()
            self.accept.setChecked(False)
        # What blocks the install comes first and is not covered by "Install anyway":
        # installing into a Firefox that is open would only fail and be rolled back.
        lines = ["✖ " + b for b in busy] + ["⚠ " + w for w in plan.warnings]
        show_message(self.warnings, "\n".join(lines), "error")
        count = len([s for s in plan.steps if not s.skip])
        if busy:
            show_message(self.status, self.tr(
                "{steps}, but not yet: put right what is said below, then press Check "
                "again.").format(steps=count_phrase(count, "step")), "info")
        else:
            show_message(self.status, self.tr("{steps}. Press Install to go ahead.").format(
                steps=count_phrase(count, "step")), "info")
        self.refresh()

    def _accepted(self, accepted: bool) -> None:
        self.state.warnings_accepted = accepted
        self.refresh()
