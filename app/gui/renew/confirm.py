"""Renew, *Ready to renew* (the commit page of the install ways): exactly what will change
— which places get the new certificate, which old certificate is removed from where, the
named backup kept first — before anything does. Nothing is changed on this page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWizard

from app.gui import engine
from app.gui.base import display_path, message_label, show_message
from app.gui.describe import localise_dates
from app.gui.install.common import scroll_area
from app.gui.renew.common import RenewPage, backup_name, holder_phrase, operator_of, valid_until
from app.gui.renew.flow import CONFIRM, MODE_NEW_FILE, RenewPlan, RenewState
from app.gui.widgets import ResultRows

if TYPE_CHECKING:
    from app.core.model import CertificateItem
    from app.gui.wizard import GridCertWizard
    from app.stores.base import TrustStore


class ConfirmPage(RenewPage):
    page_id = CONFIRM

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Ready to renew"))
        self.setSubTitle(self.tr("This is exactly what GridCert will do. Nothing has changed "
                                 "yet; if a step fails, what was done is put back."))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Install"))
        layout = QVBoxLayout(self)
        self.status = message_label(name="renew-confirm-status")
        layout.addWidget(self.status)
        self.rows = ResultRows(name="renew-plan")
        self.rows.setAccessibleName(self.tr("What will change"))
        layout.addWidget(scroll_area(self.rows, "renew-plan-scroll"), 1)

    def initializePage(self) -> None:
        r = self.r
        r.planned = None
        self.rows.clear()
        self.refresh()
        show_message(self.status, self.tr("Working out what will change…"), "info")
        stores = [r.stores[t] for t in r.targets if t in r.stores]
        self.run(lambda _p: _work_out(r, stores), self._show,
                 lambda message: show_message(self.status, message))

    def _show(self, planned: RenewPlan) -> None:
        r = self.r
        show_message(self.status, None)
        self.rows.clear()
        leaf = r.new_leaf if r.mode == MODE_NEW_FILE else (
            r.paired[0] if r.paired is not None else None)
        labels = {sid: store.label for sid, store in r.stores.items()}
        plan = planned.plan
        for target in r.targets:
            label = labels.get(target, target)
            steps = [s for s in plan.steps if s.target_id == target] if plan else []
            cas = [s for s in steps if s.kind != "import-identity" and not s.skip]
            sentence = self.tr("{place} gets your new certificate ‘{name}’.").format(
                place=label, name=holder_phrase(leaf)) if leaf is not None else label
            if cas:
                sentence += " " + (self.tr("With it, 1 certificate of its chain.")
                                   if len(cas) == 1 else
                                   self.tr("With it, {n} certificates of its chain.").format(
                                       n=len(cas)))
            detail = "\n".join(s.title + (self.tr(" (already there)") if s.skip else "")
                               for s in steps)
            self.rows.add_row("info", sentence, detail=detail)
        for old, places in planned.removals:
            where = ", ".join(labels.get(p, p) for p in places)
            protected = (self.tr("the passphrase you typed") if r.keyring is False
                         else self.tr("a passphrase kept in your system keyring"))
            self.rows.add_row(
                "info",
                self.tr("Your old certificate ({name}, until {day}) is removed from {where}.")
                .format(name=old.display_name, day=valid_until(old), where=where),
                fix=self.tr("First it is saved as “{backup}”, encrypted with {how}; Undo "
                            "on the last page puts it back.").format(
                    backup=backup_name(old), how=protected),
                detail=self.tr("Backups folder: {folder}").format(folder=_backups_folder()))
        for old, places in planned.kept:
            where = ", ".join(labels.get(p, p) for p in places)
            self.rows.add_row("info", self.tr(
                "Your old certificate ({name}, until {day}) stays in {where}.").format(
                name=old.display_name, day=valid_until(old), where=where))
        freshness = r.freshness
        if r.mode == MODE_NEW_FILE and r.allow_older and freshness is not None \
                and not freshness.acceptable:
            # The engine's sentences carry ISO dates (they are the CLI's too).
            self.rows.add_row("warning", localise_dates(freshness.sentence), fix=self.tr(
                "You chose to install it anyway."))
        if plan is not None:
            for warning in plan.warnings:
                self.rows.add_row("warning", localise_dates(warning))
            for refused in plan.refused:
                self.rows.add_row("error", localise_dates(refused))
        r.planned = planned
        if not planned.can_go_ahead:
            show_message(self.status, self.tr(
                "GridCert cannot install this certificate; the reason is below. Nothing was "
                "changed."))
        self.refresh()


def _backups_folder() -> str:
    from app.core.paths import data_dir

    return display_path(data_dir() / "backups")


def _work_out(r: RenewState, stores: list[TrustStore]) -> RenewPlan:
    """The plan the Run page will carry out (runs in a worker; reads, changes nothing)."""
    from app.actions.renew import find_replaced

    if r.mode != MODE_NEW_FILE:
        chain = [r.paired[0]] if r.paired is not None else []
        return RenewPlan(None, operator=operator_of(chain))
    planned = RenewPlan(engine.plan_install(r.new_items, stores),
                        operator=operator_of(r.new_items))
    chosen = {store.id for store in stores}
    wanted = {o.sha256 for o in r.old_found}
    holders: dict[str, tuple[CertificateItem, list[str]]] = {}
    leaf = r.new_leaf
    if leaf is None:
        return planned
    for store in r.stores.values():
        for old in find_replaced(leaf, [store]):
            if old.sha256 in wanted:
                holders.setdefault(old.sha256, (old, []))[1].append(store.id)
    for old, places in holders.values():
        removed = [p for p in places if p in chosen] if r.remove_old else []
        if removed:
            planned.removals.append((old, removed))
        left = [p for p in places if p not in removed]
        if left:
            planned.kept.append((old, left))
    return planned
