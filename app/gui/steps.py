"""Which step of its job a page is, for the step indicator ("Files → Password → Where →
Confirm → Done"). Plain data over app.gui.navigation, no Qt: tested without a display.

A step groups one or more pages (Install's Files step is the Add files and Review pages;
its Done step is Progress and Done). The steps shown are those of the pages the job will
show for the current state (a skipped page's step is left out: Password appears once a
locked .pfx has been found). A page this table does not know (a page another part adds
later) is named from its id when that says what it is (`…-confirm` is Confirm), and
otherwise belongs to the step before it, so a new page never breaks the indicator.
"""

from __future__ import annotations

from app.gui import navigation


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for translation in `context` (translated where it is shown)."""
    return text


#: The Qt Linguist context of the step names.
TR_CONTEXT = "Steps"

FILES = QT_TRANSLATE_NOOP("Steps", "Files")
PASSWORD = QT_TRANSLATE_NOOP("Steps", "Password")
WHERE = QT_TRANSLATE_NOOP("Steps", "Where")
CONFIRM = QT_TRANSLATE_NOOP("Steps", "Confirm")
DONE = QT_TRANSLATE_NOOP("Steps", "Done")
CHOOSE = QT_TRANSLATE_NOOP("Steps", "Choose")
NEW_FILE = QT_TRANSLATE_NOOP("Steps", "New file")
REQUEST = QT_TRANSLATE_NOOP("Steps", "Request")
ANSWER = QT_TRANSLATE_NOOP("Steps", "Answer")
CERTIFICATE = QT_TRANSLATE_NOOP("Steps", "Certificate")
HOW = QT_TRANSLATE_NOOP("Steps", "How")
CHECK = QT_TRANSLATE_NOOP("Steps", "Check")

#: Page id -> step name. Pages of the renew and move flows are named by their ids here
#: (not imported: those flows load later, and this module must not wait for them).
STEP_OF_PAGE: dict[str, str] = {
    navigation.ADD_FILES: FILES,
    navigation.REVIEW: FILES,
    navigation.PASSWORD: PASSWORD,
    navigation.WHERE: WHERE,
    navigation.CONFIRM: CONFIRM,
    navigation.PROGRESS: DONE,
    navigation.DONE: DONE,
    navigation.CHECK: CHECK,
    "renew-how": CHOOSE,
    "renew-new-file": NEW_FILE,
    "renew-request": REQUEST,
    "renew-complete": ANSWER,
    "renew-where": WHERE,
    "renew-run": DONE,
    "renew-done": DONE,
    "move-what": CERTIFICATE,
    "move-how": HOW,
    "move-run": DONE,
    "move-done": DONE,
}

#: How an unknown page's id ends -> its step.
_BY_SUFFIX = (("-confirm", CONFIRM), ("-where", WHERE), ("-run", DONE), ("-progress", DONE),
              ("-done", DONE), ("-password", PASSWORD))


def step_of(page_id: str) -> str | None:
    """The step `page_id` belongs to; None when neither the table nor its id says."""
    if page_id in STEP_OF_PAGE:
        return STEP_OF_PAGE[page_id]
    for suffix, step in _BY_SUFFIX:
        if page_id.endswith(suffix):
            return step
    return None


class Steps:
    """The steps of the current job (`names`, in order) and where the person is
    (`current`, an index into `names`; -1 on the start page)."""

    __slots__ = ("current", "names")

    def __init__(self, names: list[str], current: int) -> None:
        self.names = names
        self.current = current

    def __repr__(self) -> str:
        return f"Steps({self.names!r}, current={self.current})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Steps) and other.names == self.names
                and other.current == self.current)

    __hash__ = None  # type: ignore[assignment]

    @property
    def shown(self) -> bool:
        """Worth an indicator: a job with two steps or more (Check is one page)."""
        return self.current >= 0 and len(self.names) >= 2


def _expects_password(state: navigation.WizardState) -> bool:
    """Install, files not read yet: a .pfx/.p12 among them will almost surely ask for its
    password, so the Password step is shown from the start rather than appearing later."""
    return state.read is None and any(
        path.lower().endswith((".pfx", ".p12")) for path in state.files)


def steps_for(state: navigation.WizardState, page_id: str) -> Steps:
    """The steps of `state.job` as the job will show them now, and `page_id`'s step."""
    if page_id == navigation.START or state.job is None:
        return Steps([], -1)
    try:
        pages = navigation.visible_pages(state)[1:]
        every = [rule.page for rule in navigation.get_flow(state.job).pages]
    except KeyError:
        return Steps([], -1)
    if (state.job == "install" and navigation.PASSWORD not in pages
            and _expects_password(state)):
        pages = [page for page in every if page in pages or page == navigation.PASSWORD]
    names: list[str] = []
    current = -1
    for page in pages:
        step = step_of(page) or (names[-1] if names else None)
        if step is None:
            continue
        if step not in names:  # a step is listed once, however many pages it has
            names.append(step)
        if page == page_id:
            current = names.index(step)
    if current < 0:
        # A page the job skips now (or one shown before its rule says so): its own step.
        step = step_of(page_id)
        if step in names:
            current = names.index(step)
    return Steps(names, current)
