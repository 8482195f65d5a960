"""Which class builds each wizard page, and which flows exist: the wizard reads this, the
flows fill it, and neither imports the other.

* A page is named by its navigation page id and found as `"module:Class"` (a string, so
  nothing is imported before the page is first built) or as a factory
  `(wizard) -> QWizardPage`. The install and check pages are in `PAGES` below; a flow
  package adds its own from its `register()` with `register_page(page_id, "module:Class")`.
* A flow that is not built into app.gui.navigation (renew, move) is a module listed in
  `FLOW_MODULES`, with a `register() -> None` that calls `navigation.register_flow(...)`
  and `register_page(...)`. The start page offers its button from that row before the
  module is imported (its title and description are the row's), and only when the
  module is there: no dead buttons. A module that fails to import or register is logged
  and its flow is not offered; the wizard goes on.
* `extend_page(page_id, "module:function")` adds something to a page built by another
  part (the renew part's daily-reminder switch on the Check page): the function is called
  with the page right after it is built.

Start-up stays lean: this module imports neither Qt nor any page module.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.gui import navigation

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWizardPage

    from app.gui.wizard import GridCertWizard

log = logging.getLogger("gridcert.gui")

PageFactory = Callable[["GridCertWizard"], "QWizardPage"]
PageExtension = Callable[["QWizardPage"], None]

#: Where the built-in flows' pages are ("module:Class"); imported when their job starts.
PAGES: dict[str, str] = {
    navigation.ADD_FILES: "app.gui.install.files:AddFilesPage",
    navigation.REVIEW: "app.gui.install.review:ReviewPage",
    navigation.PASSWORD: "app.gui.install.password:PasswordPage",
    navigation.WHERE: "app.gui.install.where:WherePage",
    navigation.CONFIRM: "app.gui.install.confirm:ConfirmPage",
    navigation.PROGRESS: "app.gui.install.progress:ProgressPage",
    navigation.DONE: "app.gui.install.done:DonePage",
    navigation.CHECK: "app.gui.check.certificates:CheckPage",
}


@dataclass(frozen=True)
class FlowModule:
    """A flow that registers itself: its job, its module, and the start page's button."""

    job: str
    module: str
    title: str  # untranslated, in navigation.TR_CONTEXT (the same words as the flow's own)
    description: str
    order: int


#: The flows whose modules register themselves (imported on the first job started).
FLOW_MODULES: tuple[FlowModule, ...] = (
    FlowModule(
        "renew", "app.gui.renew.flow",
        navigation.QT_TRANSLATE_NOOP("Flows", "Renew a certificate"),
        navigation.QT_TRANSLATE_NOOP(
            "Flows", "Install the new certificate file your operator sent (the old one "
            "is backed up), or make a certificate request and finish it when the "
            "answer comes."), 20),
    FlowModule(
        "move", "app.gui.move.flow",
        navigation.QT_TRANSLATE_NOOP("Flows", "Move a certificate to another computer"),
        navigation.QT_TRANSLATE_NOOP(
            "Flows", "Save your certificate with its key as a password-protected file "
            "that the other computer (or program) can open."), 30),
)

_pages: dict[str, str | PageFactory] = dict(PAGES)
_extensions: dict[str, list[str | PageExtension]] = {}
_flows_loaded = False
_modules_done: set[str] = set()


def register_page(page_id: str, where: str | PageFactory) -> None:
    """Say how to build the page `page_id`: `"module:Class"` or a factory(wizard)."""
    _pages[page_id] = where


def extend_page(page_id: str, extension: str | PageExtension) -> None:
    """Call `extension(page)` ("module:function" or a callable) on the page `page_id`
    each time it is built, after its own __init__. Registering it twice adds it once."""
    found = _extensions.setdefault(page_id, [])
    if extension not in found:
        found.append(extension)


def has_page(page_id: str) -> bool:
    return page_id in _pages


def _resolve(spec: str) -> object:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def build_page(page_id: str, wizard: GridCertWizard) -> QWizardPage:
    """A new page `page_id` for `wizard`, with the extensions registered for it."""
    where = _pages[page_id]
    factory = _resolve(where) if isinstance(where, str) else where
    assert callable(factory), f"{where!r} is not a page class or factory"
    page: QWizardPage = factory(wizard)
    for extension in _extensions.get(page_id, ()):
        try:
            extend = _resolve(extension) if isinstance(extension, str) else extension
            assert callable(extend)
            extend(page)
        except Exception:  # an add-on must not cost the page itself
            log.exception("could not extend page %s with %r", page_id, extension)
    return page


def page_modules() -> list[str]:
    """The modules of the pages registered as "module:Class", in order (for warm-up)."""
    found: list[str] = []
    for where in _pages.values():
        if isinstance(where, str):
            module = where.partition(":")[0]
            if module not in found:
                found.append(module)
    return found


def load_flow_module(name: str) -> None:
    """Import one flow module and call its `register()`, once; failures are logged."""
    if name in _modules_done:
        return
    _modules_done.add(name)
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            log.exception("could not load %s", name)
        return
    except Exception:  # a broken flow must not stop the wizard
        log.exception("could not load %s", name)
        return
    register = getattr(module, "register", None)
    if callable(register):
        try:
            register()
        except Exception:
            log.exception("could not register %s", name)


def load_flows() -> None:
    """Import every module of `FLOW_MODULES` once (a missing one is not an error)."""
    global _flows_loaded
    if _flows_loaded:
        return
    _flows_loaded = True
    for flow in FLOW_MODULES:
        load_flow_module(flow.module)


def flows_loaded() -> bool:
    return _flows_loaded


def offered_flows() -> list[navigation.Flow]:
    """Flows whose pages can all be built."""
    return [
        flow
        for flow in navigation.flows()
        if flow.pages and all(rule.page in _pages for rule in flow.pages)
    ]


def _module_present(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def start_page_jobs() -> list[tuple[str, str, str]]:
    """(job, title, description) for the start page: the flows that can be built now,
    and the flows of `FLOW_MODULES` whose module is there but not imported yet."""
    jobs = [(flow.order, flow.job, flow.title, flow.description) for flow in offered_flows()]
    known = {job for _order, job, _t, _d in jobs}
    if not _flows_loaded:
        for row in FLOW_MODULES:
            if row.job not in known and _module_present(row.module):
                jobs.append((row.order, row.job, row.title, row.description))
    return [(job, title, description) for _order, job, title, description in sorted(jobs)]


# *Test sign-in* (app/gui/signin/hooks.py): Install and Renew Done pages, Check page.
for _signin_page in (navigation.DONE, "renew-done", navigation.CHECK):
    extend_page(_signin_page, "app.gui.signin.hooks:add_test_sign_in")
