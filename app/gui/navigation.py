"""The wizard's flows as plain data: which page follows which, and when a page is complete.

No Qt here, so the navigation is tested without a display (tests/unit/test_navigation.py).
A *flow* is one job of the start page ("install", "check", later "renew" and "move"): an
ordered list of page ids, each with a completeness predicate and an optional skip
predicate over one `WizardState`. Other parts add their flows with `register_flow`; the
Qt wizard (`app/gui/wizard.py`) asks this module for `next_page` / `is_complete` and
renders whatever it says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.actions.apply import ApplyReport
    from app.actions.plan import Plan
    from app.core.model import CertificateItem
    from app.core.reader import ReadResult
    from app.gui.engine import TargetInfo
    from app.gui.install.progress import RunFailed

# Plain classes, not dataclasses: this module loads before the first paint, and
# `dataclasses` (import + code generation) would add ~25 ms to start-up.

START = "start"

# Page ids of the install flow.
ADD_FILES = "add-files"
REVIEW = "review"
PASSWORD = "password"
WHERE = "where"
CONFIRM = "confirm"
PROGRESS = "progress"
DONE = "done"
# Page id of the check flow.
CHECK = "check"


class WizardState:
    """Everything the pages gather during one run. Values are app.core/app.actions objects
    (imported for type checking only, so that this module stays importable without them)."""

    def __init__(self, job: str | None = None, files: list[str] | None = None) -> None:
        self.job = job
        #: Files the user added, in the order added (paths as given).
        self.files: list[str] = list(files or [])
        #: True while a worker runs for the current page (Next is disabled meanwhile).
        self.busy = False
        #: The files have been read (ReadResult in `read`), for the current `files`.
        self.read: ReadResult | None = None
        #: SHA-256 of the certificates the person left out on the Review page (expired
        #: ones start out left out); `seen` those the page has shown, so that a default
        #: is set once and the person's own choice is kept when they come back.
        self.excluded: set[str] = set()
        self.seen: set[str] = set()
        #: PKCS#12 sources that need a password (found locked on the Review page).
        self.locked: list[str] = []
        #: Passwords typed on the Password page, kept in memory only, keyed by source.
        self.passwords: dict[str, str] = {}
        #: Sources whose typed password has been tried and opened the file.
        self.unlocked: set[str] = set()
        #: The stores the Where page found, by target id.
        self.found_targets: dict[str, TargetInfo] = {}
        #: Target ids ticked on the Where page.
        self.targets: list[str] = []
        #: The Plan shown on the Confirm page.
        self.plan: Plan | None = None
        #: The plan has warnings and the user ticked "Install anyway".
        self.warnings_accepted = False
        #: Why a chosen place cannot be changed right now ("Firefox is open…"): no
        #: "anyway" gets past these; the person puts them right and checks again.
        self.blocked: list[str] = []
        #: The ApplyReport once the Progress page has finished.
        self.report: ApplyReport | RunFailed | None = None
        #: Free room for flows added by other parts (renew, move).
        self.extra: dict[str, object] = {}

    def __repr__(self) -> str:
        # Never shows the passwords.
        return (f"WizardState(job={self.job!r}, files={self.files!r}, busy={self.busy}, "
                f"locked={self.locked!r}, targets={self.targets!r})")

    # --- derived facts the predicates use -------------------------------------
    @property
    def certificate_count(self) -> int:
        """Certificates read from the files and not left out on the Review page."""
        return len(self.chosen_items)

    @property
    def chosen_items(self) -> list[CertificateItem]:
        items = getattr(self.read, "items", None) or []
        return [item for item in items if getattr(item, "sha256", None) not in self.excluded]

    @property
    def needs_passwords(self) -> bool:
        return bool(self.locked)

    @property
    def plan_warnings(self) -> list[str]:
        return list(getattr(self.plan, "warnings", None) or [])

    @property
    def plan_has_work(self) -> bool:
        steps = getattr(self.plan, "steps", None) or []
        return any(not getattr(step, "skip", False) for step in steps)

    def forget_files_read(self) -> None:
        """The file list changed: everything derived from reading the files is stale."""
        self.read = None
        self.locked = []
        self.unlocked = set()
        self.plan = None
        self.warnings_accepted = False
        self.blocked = []

    def forget_plan(self) -> None:
        self.plan = None
        self.warnings_accepted = False
        self.blocked = []


Predicate = Callable[[WizardState], bool]

#: The Qt Linguist context of the flows' titles and descriptions. They are marked with
#: QT_TRANSLATE_NOOP below (pyside6-lupdate collects such calls) and translated where
#: they are shown (`translated(flow.title)` in app/gui/wizard.py), so this module stays
#: plain Python and the texts follow a language change at run time.
TR_CONTEXT = "Flows"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for translation in `context` without translating it here."""
    return text



def _always(_state: WizardState) -> bool:
    return True


def _never(_state: WizardState) -> bool:
    return False


class PageRule:
    """One page of a flow: complete (Next enabled) when `complete(state)`; not shown when
    `skip(state)`. `commit`: after this page the flow cannot go back (stores change)."""

    __slots__ = ("commit", "complete", "page", "skip")

    def __init__(self, page: str, complete: Predicate = _always, skip: Predicate = _never,
                 commit: bool = False) -> None:
        self.page = page
        self.complete = complete
        self.skip = skip
        self.commit = commit

    def __repr__(self) -> str:
        return f"PageRule({self.page!r}, commit={self.commit})"


class Flow:
    """One job offered on the start page: `title` is its button text ("Install
    certificates"), `description` one line under it for a non-specialist, `order` its
    position (lower first)."""

    __slots__ = ("description", "job", "order", "pages", "title")

    def __init__(self, job: str, title: str, description: str,
                 pages: tuple[PageRule, ...], order: int = 100) -> None:
        self.job = job
        self.title = title
        self.description = description
        self.pages = tuple(pages)
        self.order = order

    def __repr__(self) -> str:
        return f"Flow({self.job!r}, pages={[rule.page for rule in self.pages]})"

    def rule(self, page: str) -> PageRule:
        for rule in self.pages:
            if rule.page == page:
                return rule
        raise KeyError(f"page {page!r} is not part of the {self.job!r} flow")


_FLOWS: dict[str, Flow] = {}


def register_flow(flow: Flow) -> None:
    """Add (or replace) a flow. Page ids must be unique across flows, START excluded."""
    for other in _FLOWS.values():
        if other.job == flow.job:
            continue
        clash = {r.page for r in other.pages} & {r.page for r in flow.pages}
        if clash:
            raise ValueError(f"pages {sorted(clash)} already belong to the {other.job!r} flow")
    if any(rule.page == START for rule in flow.pages):
        raise ValueError("the start page belongs to no flow")
    _FLOWS[flow.job] = flow


def unregister_flow(job: str) -> None:
    _FLOWS.pop(job, None)


def flows() -> list[Flow]:
    """Registered flows in start-page order."""
    return sorted(_FLOWS.values(), key=lambda f: (f.order, f.job))


def get_flow(job: str) -> Flow:
    try:
        return _FLOWS[job]
    except KeyError:
        raise KeyError(f"no flow {job!r} is registered") from None


def flow_of_page(page: str) -> Flow | None:
    for flow in _FLOWS.values():
        if any(rule.page == page for rule in flow.pages):
            return flow
    return None


def visible_pages(state: WizardState) -> list[str]:
    """The pages the current job will show, in order (skipped ones left out)."""
    if state.job is None:
        return [START]
    flow = get_flow(state.job)
    return [START] + [rule.page for rule in flow.pages if not rule.skip(state)]


def next_page(state: WizardState, current: str) -> str | None:
    """The page after `current` for this state; None when `current` is the last one."""
    if current == START:
        if state.job is None:
            return None
        for rule in get_flow(state.job).pages:
            if not rule.skip(state):
                return rule.page
        return None
    flow = flow_of_page(current)
    if flow is None:
        raise KeyError(f"unknown page {current!r}")
    pages = flow.pages
    index = [rule.page for rule in pages].index(current)
    for rule in pages[index + 1:]:
        if not rule.skip(state):
            return rule.page
    return None


def is_complete(state: WizardState, page: str) -> bool:
    """Whether Next (or Finish) may be pressed on `page`."""
    if page == START:
        return state.job is not None and state.job in _FLOWS
    if state.busy:
        return False
    flow = flow_of_page(page)
    if flow is None:
        raise KeyError(f"unknown page {page!r}")
    return flow.rule(page).complete(state)


def is_commit(page: str) -> bool:
    flow = flow_of_page(page)
    return flow is not None and flow.rule(page).commit


def is_last(state: WizardState, page: str) -> bool:
    return page != START and next_page(state, page) is None


# --- the two flows this part delivers ---------------------------------------------


def _files_added(state: WizardState) -> bool:
    return bool(state.files)


def _review_complete(state: WizardState) -> bool:
    # Something to install: certificates read, or a locked .pfx that the next page opens.
    return state.read is not None and (state.certificate_count > 0 or bool(state.locked))


def _passwords_typed(state: WizardState) -> bool:
    return all(state.passwords.get(source) for source in state.locked)


def _no_locked_files(state: WizardState) -> bool:
    return not state.locked


def _targets_ticked(state: WizardState) -> bool:
    return bool(state.targets)


def _plan_accepted(state: WizardState) -> bool:
    if state.plan is None:
        return False
    if not state.plan_has_work:
        return True  # everything is in place already: Close is the way on
    if state.blocked:
        return False
    return not state.plan_warnings or state.warnings_accepted


def _nothing_to_do(state: WizardState) -> bool:
    """The plan found everything already in place: Confirm is the last page (Close)."""
    return state.plan is not None and not state.plan_has_work


def _applied(state: WizardState) -> bool:
    return state.report is not None


INSTALL_FLOW = Flow(
    job="install",
    title=QT_TRANSLATE_NOOP("Flows", "Install certificates"),
    description=QT_TRANSLATE_NOOP(
        "Flows", "Put the files you were sent (your .pfx, the operator's root .zip) "
        "where your browsers and this computer need them."),
    pages=(
        PageRule(ADD_FILES, _files_added),
        PageRule(REVIEW, _review_complete),
        PageRule(PASSWORD, _passwords_typed, skip=_no_locked_files),
        PageRule(WHERE, _targets_ticked),
        PageRule(CONFIRM, _plan_accepted, commit=True),
        # Also a commit page: Back from Done must never lead into Progress (a second run).
        PageRule(PROGRESS, _applied, skip=_nothing_to_do, commit=True),
        PageRule(DONE, skip=_nothing_to_do),
    ),
    order=10,
)

CHECK_FLOW = Flow(
    job="check",
    title=QT_TRANSLATE_NOOP("Flows", "Check my certificates"),
    description=QT_TRANSLATE_NOOP(
        "Flows", "See every certificate GridCert finds on this computer, when each one "
        "expires, and remove old ones."),
    pages=(PageRule(CHECK),),
    order=40,
)

register_flow(INSTALL_FLOW)
register_flow(CHECK_FLOW)
