"""Install, page 5 (*Ready to install*, the commit page): the plan as rows — one per step
(→ to do, ℹ already there; ✓ is for results only, on the Done page), then what blocks it
(✗ an open Firefox), what will not be done (✗) and its warnings (⚠, each needing *Install
anyway*) — then Install. Dates are said in the person's locale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import engine, navigation
from app.gui.base import FlowPage, message_label, show_message, tr
from app.gui.describe import count_phrase, localise_dates
from app.gui.install.common import scroll_area
from app.gui.widgets import ResultRow, ResultRows

if TYPE_CHECKING:
    from app.actions.plan import Plan, Step
    from app.gui.wizard import GridCertWizard


def _sentence(text: str) -> str:
    """'already in the store' → 'Already in the store.' (ISO dates in the person's locale)"""
    text = localise_dates(text.strip())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def plan_rows(plan: Plan) -> list[ResultRow]:
    """The steps of `plan` as rows: what will be done (→ "to do", with its reason under
    it; not ✓, which would read as done already), and what is there already (ℹ)."""
    rows = []
    for step in plan.steps:
        if step.skip:
            rows.append(_done_already(step))
            continue
        # The reason says why the step is there.
        rows.append(ResultRow("todo", localise_dates(step.title), _sentence(step.reason)))
    return rows


#: How the plan's step titles begin and join the place (app/actions/plan.py).
_VERBS = (("Add ", " to "), ("Import ", " into "))
ALREADY_THERE = "already there; nothing to do"


def _done_already(step: Step) -> ResultRow:
    """A step with nothing to do, said as what is so ("The ERCOT CA root is already in
    Firefox — default profile: nothing to do."), not with the plan's verb ("Add the ERCOT
    CA root…" followed by "Already there")."""
    what = ""
    for verb, joint in _VERBS:
        tail = joint + step.target_label
        if step.title.startswith(verb) and step.title.endswith(tail):
            what = localise_dates(step.title[len(verb):-len(tail)])
            break
    if not what:  # a title of another shape: keep it, and say why nothing happens
        return ResultRow("info", localise_dates(step.title), _sentence(step.reason))
    what = what[0].upper() + what[1:]
    if step.reason.strip().lower().rstrip(".") == ALREADY_THERE:
        return ResultRow("info", tr("ConfirmPage", "{what} is already in {place}: nothing "
                                    "to do.").format(what=what, place=step.target_label))
    # Another reason nothing is needed (Windows already trusts it for every user).
    return ResultRow("info", tr("ConfirmPage", "{what}: nothing to do in {place}.").format(
        what=what, place=step.target_label), _sentence(step.reason))


class ConfirmPage(FlowPage):
    page_id = navigation.CONFIRM

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self._ready_title()
        layout = QVBoxLayout(self)
        self.status = message_label(name="confirm-status")
        layout.addWidget(self.status)
        inner = QWidget()
        box = QVBoxLayout(inner)
        box.setContentsMargins(0, 0, 0, 0)
        # What stops or needs accepting comes first: it is what the person must act on.
        self.warnings = ResultRows(name="plan-warnings")
        self.warnings.setAccessibleName(self.tr("What needs your attention"))
        box.addWidget(self.warnings)
        self.refused = ResultRows(name="plan-refused")
        self.refused.setAccessibleName(self.tr("What will not be installed"))
        box.addWidget(self.refused)
        self.steps = ResultRows(name="plan-steps")
        self.steps.setAccessibleName(self.tr("Planned steps"))
        box.addWidget(self.steps)
        self.notes = ResultRows(name="plan-notes")
        self.notes.setAccessibleName(self.tr("Good to know"))
        box.addWidget(self.notes)
        box.addStretch(1)
        layout.addWidget(scroll_area(inner, "plan"), 1)
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

    def _clear(self) -> None:
        for rows in (self.steps, self.notes, self.refused, self.warnings):
            rows.clear()

    def initializePage(self) -> None:
        self.setFinalPage(False)
        self._ready_title()
        self._clear()
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
        self._clear()
        self.steps.set_rows(plan_rows(plan))
        self.notes.set_rows(ResultRow("info", _sentence(n)) for n in plan.notes
                            if n not in busy)
        if busy:
            self.recheck.show()
        self.refused.set_rows(
            ResultRow("error", _sentence(r), self.tr("It will not be installed."))
            for r in plan.refused)
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
            # QWizard works out Install-or-Close when the page opens; it must hear that
            # this page has become the last one.
            self.setFinalPage(True)
            self.refresh()
            return
        # What blocks the install comes first and is not covered by "Install anyway":
        # installing into a Firefox that is open would only fail and be rolled back.
        for reason in busy:
            self.warnings.add_row("error", _sentence(reason), self.tr(
                "Put this right, then press Check again."))
        for warning in plan.warnings:
            self.warnings.add_row("warning", _sentence(warning), self.tr(
                "Tick 'Install anyway' below if you still want to install."))
        if plan.warnings:
            self.accept.show()
            self.accept.setChecked(False)
        count = len([s for s in plan.steps if not s.skip])
        if busy:
            show_message(self.status, self.tr(
                "{steps}, but not yet: put right what is said below, then press Check "
                "again.").format(steps=count_phrase(count, "step")), "info")
        elif plan.warnings:
            show_message(self.status, self.tr(
                "{steps}. Read the warnings below first: Install needs 'Install anyway' "
                "ticked.").format(steps=count_phrase(count, "step")), "info")
        else:
            show_message(self.status, self.tr("{steps}. Press Install to go ahead.").format(
                steps=count_phrase(count, "step")), "info")
        self.refresh()

    def _accepted(self, accepted: bool) -> None:
        self.state.warnings_accepted = accepted
        self.refresh()
