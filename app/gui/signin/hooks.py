"""The *Test sign-in* buttons on pages that belong to other parts of the wizard.

`add_test_sign_in(page)` is registered with `app.gui.registry.extend_page` for the Install
Done page, the Renew Done page and the Check page; it looks at which page it got and adds
its button there without editing that page's module:

* Install Done: beside *Save a backup*, shown after an installation that put a personal
  certificate somewhere. The identity is read back from the store it was installed into
  (that copy is what the browser will use); if that store cannot give it back, the file
  just installed is used, and the window says so.
* Renew Done: the same, for the new certificate (a new file installed, or the answer to
  a request installed or saved as a file).
* Check page: a footer button, enabled when the selection is one certificate of yours
  (with its private key); the identity is read from the store of the selected row.

The button's state follows the page: it is re-read whenever the page is shown and
whenever the page's background work ends (an Undo hides it again).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QWidget,
    QWizardPage,
)

from app.gui import navigation

if TYPE_CHECKING:
    from app.actions.probe import ProbeIdentity
    from app.core.model import CertificateItem
    from app.gui.describe import InventoryRow
    from app.gui.renew.flow import RenewState
    from app.gui.signin.panel import SignInDialog, SignInSubject
    from app.stores.base import TrustStore

log = logging.getLogger("gridcert.gui")

RENEW_DONE = "renew-done"  # app.gui.renew.flow.DONE (not imported: that flow may be absent)
#: The Check page's row kind for a personal certificate with its private key
#: (app.gui.describe.inventory_rows).
YOUR_CERTIFICATE = "your certificate"
#: The pages this module extends (registered in app.gui.registry).
PAGE_IDS = (navigation.DONE, RENEW_DONE, navigation.CHECK)


def _tr(text: str) -> str:
    from PySide6.QtWidgets import QApplication

    return QApplication.translate("SignIn", text)


def add_test_sign_in(page: QWizardPage) -> None:
    """The `extend_page` entry point for every page in `PAGE_IDS`."""
    page_id = page.objectName()
    if page_id == navigation.CHECK:
        _CheckButton(page)
    elif page_id == navigation.DONE:
        _DoneButton(page, _install_subject, "backup")
    elif page_id == RENEW_DONE:
        _DoneButton(page, _renew_subject, "copy")


def open_panel(page: QWizardPage, subject: SignInSubject) -> SignInDialog:
    """Open the sign-in window for `subject` over `page` (kept as `page.signin_dialog`)."""
    from app.gui.signin.panel import SignInDialog

    old = getattr(page, "signin_dialog", None)
    if old is not None:
        old.close()
        old.deleteLater()
    dialog = SignInDialog(subject, page.window())
    page.signin_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def _button() -> QPushButton:
    button = QPushButton(_tr("&Test sign-in…"))
    button.setObjectName("test-sign-in")
    button.setAccessibleName(_tr("Test signing in to your grid operator with this "
                                 "certificate"))
    button.setToolTip(_tr("Signs in to your grid operator with this certificate and says "
                          "whether it works, and why not."))
    return button


def _row_of(page: QWidget, widget: QWidget | None) -> QBoxLayout | None:
    """The box layout of `page` that holds `widget` (its row of buttons)."""
    if widget is None:
        return None
    top = page.layout()
    stack: list[QLayout] = [top] if top is not None else []
    while stack:
        layout = stack.pop()
        if layout.indexOf(widget) >= 0 and isinstance(layout, QBoxLayout):
            return layout
        for index in range(layout.count()):
            item = layout.itemAt(index)
            child = item.layout() if item is not None else None
            if child is not None:
                stack.append(child)
    return None


class _Watcher(QObject):
    """Calls `update` when the page is shown and after its background work ends."""

    def __init__(self, page: QWizardPage, update: Callable[[], None]) -> None:
        super().__init__(page)
        self.update = update
        page.installEventFilter(self)
        # FlowPage.set_busy emits completeChanged before the page's own callback runs:
        # look one event-loop turn later, when the page has shown the outcome.
        page.completeChanged.connect(lambda: QTimer.singleShot(0, self._later))

    def _later(self) -> None:
        with contextlib.suppress(RuntimeError):  # the page went away meanwhile
            self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.update()
        return False


# --- Done pages ------------------------------------------------------------------------


SubjectFinder = Callable[[QWizardPage], "SignInSubject | None"]


class _DoneButton(QObject):
    def __init__(self, page: QWizardPage, find: SubjectFinder, beside: str) -> None:
        super().__init__(page)
        self.page = page
        self.find = find
        self.button = _button()
        self.button.clicked.connect(self.open)
        self.button.hide()
        neighbour = getattr(page, beside, None)
        row = _row_of(page, neighbour)
        if row is not None and neighbour is not None:
            row.insertWidget(row.indexOf(neighbour) + 1, self.button)
        else:
            layout = page.layout()
            line = QHBoxLayout()
            line.addWidget(self.button)
            line.addStretch(1)
            if isinstance(layout, QBoxLayout):
                layout.addLayout(line)
        self.watcher = _Watcher(page, self.update)

    def update(self) -> None:
        subject = None
        try:
            subject = self.find(self.page)
        except Exception:  # a page's state this module did not foresee: no button
            log.exception("Test sign-in: could not read the page's outcome")
        self.button.setVisible(subject is not None)

    def open(self) -> None:
        subject = self.find(self.page)
        if subject is not None:
            open_panel(self.page, subject)


def _from_store_or_file(sha256: str, stores: Sequence[TrustStore],
                        fallback: ProbeIdentity | None) -> Callable[[], ProbeIdentity]:
    """Read the identity back from the first of `stores` that holds it (in memory); if none
    can give it back, the identity of the file just installed (when there is one)."""

    def load() -> ProbeIdentity:
        from dataclasses import replace

        from app.actions.probe import identity_from_installed
        from app.core.errors import GridCertError

        try:
            return identity_from_installed(sha256, stores)
        except GridCertError as error:
            if fallback is None:
                raise
            log.info("Test sign-in uses the installed file: %s", error)
            return replace(fallback, source=fallback.source or "the installed file")

    return load


def _probe_identity(leaf: CertificateItem | None, chain: Sequence[CertificateItem],
                    source: str) -> ProbeIdentity | None:
    from app.actions.probe import ProbeIdentity

    if leaf is None or leaf.private_key is None:
        return None
    return ProbeIdentity(leaf, tuple(c for c in chain if c.sha256 != leaf.sha256), source)


def _places(labels: Sequence[str]) -> str:
    names = list(dict.fromkeys(labels))
    if len(names) <= 1:
        return names[0] if names else _tr("this computer")
    return ", ".join(names[:-1]) + _tr(" and ") + names[-1]


def _install_subject(page: QWizardPage) -> SignInSubject | None:
    """After a successful install with a personal certificate (not undone)."""
    from app.gui.signin.panel import SignInSubject

    state: navigation.WizardState = page.state  # type: ignore[attr-defined]
    report = state.report
    plan = state.plan
    undo = getattr(page, "undo", None)
    if not getattr(report, "ok", False) or plan is None:
        return None
    if undo is not None and not undo.isEnabled():
        return None  # undone: the certificate is gone again
    steps = [s for s in plan.steps if s.kind == "import-identity" and s.item is not None]
    if not steps:
        return None
    leaf = steps[0].item
    assert leaf is not None
    mine = [s for s in steps if s.sha256 == leaf.sha256]
    stores = [plan.targets[s.target_id] for s in mine if s.target_id in plan.targets]
    identity = steps[0].identity
    fallback = _probe_identity(getattr(identity, "leaf", None) or leaf,
                               list(getattr(identity, "chain", []) or []), leaf.source)
    return SignInSubject(leaf.display_name, _places([s.target_label for s in mine]),
                         _from_store_or_file(leaf.sha256, stores, fallback))


def _renew_subject(page: QWizardPage) -> SignInSubject | None:
    """After a renewal that installed (or saved) the new certificate."""
    from app.actions.renew import CompleteResult, ReplaceResult
    from app.gui.signin.panel import SignInSubject

    # The Renew Done page's `r` (app.gui.renew.common.RenewPage); not imported, so that
    # this module works without the renew flow.
    r: RenewState | None = getattr(page, "r", None)
    if r is None or r.error is not None or r.result is None:
        return None
    undo = getattr(page, "undo", None)
    if isinstance(undo, QWidget) and not undo.isEnabled():
        return None  # undone: the new certificate is gone again
    result = r.result
    stores = [r.stores[t] for t in r.targets if t in r.stores]
    labels = [s.label or s.id for s in stores]
    if r.mode == "new-file" and isinstance(result, ReplaceResult):
        if result.install is None or not result.install.ok:
            return None
        leaf = r.new_leaf or result.new
        chain = [i for i in r.new_items if i.is_ca]
        fallback = _probe_identity(leaf, chain, r.new_file)
        return SignInSubject(leaf.display_name, _places(labels),
                             _from_store_or_file(leaf.sha256, stores, fallback))
    if r.mode == "complete" and isinstance(result, CompleteResult):
        report, export, leaf = result.report, result.export, result.leaf
        if report is not None and report.ok:
            fallback = _probe_identity(leaf, result.chain, "")
            return SignInSubject(leaf.display_name, _places(labels),
                                 _from_store_or_file(leaf.sha256, stores, fallback))
        if report is None and export is not None:
            identity = _probe_identity(leaf, result.chain, str(export.path))
            if identity is None:
                return None
            from app.gui.base import display_path

            return SignInSubject(leaf.display_name, display_path(export.path),
                                 lambda: identity)
    return None


# --- Check page ------------------------------------------------------------------------


class _CheckButton(QObject):
    def __init__(self, page: QWizardPage) -> None:
        super().__init__(page)
        self.page = page
        self.button = _button()
        self.button.setEnabled(False)
        self.button.clicked.connect(self.open)
        add = getattr(page, "add_footer_widget", None)
        row = QWidget()
        row.setObjectName("test-sign-in-row")
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.button)
        line.addStretch(1)
        if callable(add):
            add(row)
        else:
            layout = page.layout()
            if isinstance(layout, QBoxLayout):
                layout.addWidget(row)
        table = getattr(page, "table", None)
        if table is not None:
            table.itemSelectionChanged.connect(self.update)
        self.watcher = _Watcher(page, self.update)

    def selected(self) -> InventoryRow | None:
        """The selected row of one personal certificate with its key, else None."""
        rows: list[InventoryRow] = getattr(self.page, "selected_rows", lambda: [])()
        mine = [r for r in rows if r.kind == YOUR_CERTIFICATE and r.target_id in
                getattr(self.page, "stores", {})]
        if not mine or len({r.sha256 for r in mine}) != 1 or len(mine) != len(rows):
            return None
        return mine[0]

    def update(self) -> None:
        busy = bool(getattr(self.page, "busy", False))
        self.button.setEnabled(self.selected() is not None and not busy)

    def open(self) -> None:
        from app.gui.signin.panel import SignInSubject

        row = self.selected()
        if row is None:
            return
        store: TrustStore = self.page.stores[row.target_id]  # type: ignore[attr-defined]
        sha256 = row.sha256

        def load() -> ProbeIdentity:
            from app.actions.probe import identity_from_installed

            return identity_from_installed(sha256, [store])

        open_panel(self.page, SignInSubject(row.name, row.place, load))
