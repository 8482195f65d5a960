"""The *Renew a certificate* flow without Qt: its page ids, what its pages gather
(`RenewState`, kept in `WizardState.extra["renew"]`), the rules of which page follows
which (`RENEW_FLOW`), and `register()`, which tells app.gui.registry where each page is.

Three ways, chosen on the first page in plain words:

* **I received a new certificate file** (ERCOT: one a year): open the new .pfx (one that is
  expired or not newer than the installed one goes on only with *Use it anyway*), choose
  where it goes (the places that hold the old one are ticked), see on *Ready to renew*
  exactly what will change, then GridCert installs it beside the old one, checks it, and
  removes the old one after saving it to an encrypted backup
  (`app.actions.renew.replace_identity`); Done offers *Undo this renewal*.
* **Make a certificate request**: from one of your certificates (subject copied exactly) or
  typed in a form; the request is saved as a file, copied to the clipboard, and explained
  (`make_request`).
* **I received the certificate for my request**: the issued file is paired with the key
  made here, then installed or saved as a .pfx (`complete`).

Pages only gather input and show results; the work runs in workers (`FlowPage.run`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.gui import navigation, registry

if TYPE_CHECKING:
    from app.actions.plan import Plan
    from app.actions.renew import (
        CompleteResult,
        PendingRequest,
        ReplaceResult,
        RequestResult,
    )
    from app.core.freshness import Freshness
    from app.core.model import CertificateItem
    from app.stores.base import TrustStore

HOW = "renew-how"
NEW_FILE = "renew-new-file"
WHERE = "renew-where"
CONFIRM = "renew-confirm"
REQUEST = "renew-request"
COMPLETE = "renew-complete"
RUN = "renew-run"
DONE = "renew-done"
MODE_NEW_FILE = "new-file"
MODE_REQUEST = "request"
MODE_COMPLETE = "complete"


@dataclass
class RenewPlan:
    """What the Confirm page worked out: the install plan (new-file way) and, per old
    certificate to be removed, the chosen stores that hold it."""

    plan: Plan | None = None
    removals: list[tuple[CertificateItem, list[str]]] = field(default_factory=list)
    #: Old certificates left in places that were not chosen (they are not touched).
    kept: list[tuple[CertificateItem, list[str]]] = field(default_factory=list)
    #: The operator whose root is in the chain ('ERCOT'), for the Done page's next step.
    operator: str | None = None

    @property
    def can_go_ahead(self) -> bool:
        return self.plan is None or not (self.plan.refused and not self.plan.active_steps)


@dataclass
class RenewState:
    """What the renew pages gather (kept in `WizardState.extra["renew"]`)."""

    mode: str | None = None
    # new file
    new_file: str = ""
    new_password: str = ""
    new_items: list[CertificateItem] = field(default_factory=list)
    new_leaf: CertificateItem | None = None
    #: How the new file compares with what is installed (None until it was read); a file
    #: that is not newer goes on only when the person ticks "Use it anyway" (allow_older).
    freshness: Freshness | None = None
    allow_older: bool = False
    # where (new file, or complete → install)
    targets: list[str] = field(default_factory=list)
    stores: dict[str, TrustStore] = field(default_factory=dict)
    remove_old: bool = True
    old_found: list[CertificateItem] = field(default_factory=list)
    keyring: bool | None = None
    backup_passphrase: str = ""
    # confirm: the plan shown (what will change), worked out before anything does
    planned: RenewPlan | None = None
    # request
    like: CertificateItem | None = None
    subject: str = ""
    key_kind: str = "rsa2048"
    csr_out: str = ""
    key_passphrase: str = ""
    # complete
    issued: str = ""
    paired: tuple[CertificateItem, PendingRequest] | None = None
    complete_install: bool = True
    needs_key_passphrase: bool = False
    export_out: str = ""
    export_password: str = ""
    # outcome
    # RequestResult, ReplaceResult or CompleteResult, as `mode` says.
    result: RequestResult | ReplaceResult | CompleteResult | None = None
    error: str | None = None


def renew_state(state: navigation.WizardState) -> RenewState:
    found = state.extra.get("renew")
    if not isinstance(found, RenewState):
        found = RenewState()
        state.extra["renew"] = found
    return found


def _mode_chosen(state: navigation.WizardState) -> bool:
    return renew_state(state).mode is not None


def _not_mode(mode: str) -> navigation.Predicate:
    return lambda state: renew_state(state).mode != mode


def _new_file_ready(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    stale = r.freshness is not None and not r.freshness.acceptable
    return bool(r.new_file) and (not stale or r.allow_older)


def _skip_where(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    return not (r.mode == MODE_NEW_FILE or (r.mode == MODE_COMPLETE and r.complete_install))


def _where_ready(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    if not r.targets:
        return False
    needs_backup = (r.mode == MODE_NEW_FILE and r.remove_old and bool(r.old_found)
                    and r.keyring is False)
    return not needs_backup or bool(r.backup_passphrase)


def _planned(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    return r.planned is not None and r.planned.can_go_ahead


def _request_ready(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    if not r.csr_out or not (r.like is not None or r.subject.strip()):
        return False
    return r.keyring is not False or bool(r.key_passphrase)


def _complete_ready(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    if not r.issued or (r.needs_key_passphrase and not r.key_passphrase):
        return False
    if r.complete_install:
        return True
    return bool(r.export_out and r.export_password)


def _ran(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    return r.result is not None or r.error is not None


RENEW_FLOW = navigation.Flow(
    job="renew",
    title=navigation.QT_TRANSLATE_NOOP("Flows", "Renew a certificate"),
    description=navigation.QT_TRANSLATE_NOOP(
        "Flows", "Install the new certificate file your operator sent (the old one is "
        "backed up), or make a certificate request and finish it when the answer comes."),
    pages=(
        navigation.PageRule(HOW, _mode_chosen),
        navigation.PageRule(NEW_FILE, _new_file_ready, skip=_not_mode(MODE_NEW_FILE)),
        navigation.PageRule(REQUEST, _request_ready, skip=_not_mode(MODE_REQUEST), commit=True),
        navigation.PageRule(COMPLETE, _complete_ready, skip=_not_mode(MODE_COMPLETE)),
        navigation.PageRule(WHERE, _where_ready, skip=_skip_where),
        # What will change, said before anything does (as Install's Confirm page).
        navigation.PageRule(CONFIRM, _planned, skip=_skip_where, commit=True),
        # A commit page: once the work has run, Back cannot lead to running it again.
        navigation.PageRule(RUN, _ran, commit=True),
        navigation.PageRule(DONE),
    ),
    order=20,
)


#: Where each page is; imported when the flow starts (so this module stays free of Qt).
PAGES = {
    HOW: "app.gui.renew.how:HowPage",
    NEW_FILE: "app.gui.renew.new_file:NewFilePage",
    REQUEST: "app.gui.renew.request:RequestPage",
    COMPLETE: "app.gui.renew.complete:CompletePage",
    WHERE: "app.gui.renew.where:WherePage",
    CONFIRM: "app.gui.renew.confirm:ConfirmPage",
    RUN: "app.gui.renew.run:RunPage",
    DONE: "app.gui.renew.done:DonePage",
}


def register() -> None:
    """Offer the flow, say where its pages are, and add the daily-reminder switch to the
    Check page (the wizard imports this module when the first job starts)."""
    navigation.register_flow(RENEW_FLOW)
    for page_id, where in PAGES.items():
        registry.register_page(page_id, where)
    registry.extend_page(navigation.CHECK, "app.gui.renew.reminder:add_reminder_switch")
