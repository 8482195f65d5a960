"""The *Test sign-in* window: which address, Test, what happens, and what it means.

The person's certificate is read first (out of the store it was installed into, in memory,
through `app.actions.probe.identity_from_installed`; or the file just installed), in a
worker. Its operator and environment (production or test, from its chain) choose the
addresses offered: the catalog's endpoints with their purpose and whether the operator's
own pages confirm them, the person's and the deployment's own, and *Other address…* to
type one (which can be remembered, so that `gridcert check --probe` tests it too).

Test runs `app.actions.probe.probe` in a worker; its progress sentences are shown as they
come, Cancel sets its cancel Event (a late answer of a cancelled test is dropped). The
outcome: a chip, the diagnosis sentence and its fix in large type, then the checks as
✓/⚠/✗ rows; the technical details (server chain, CA list, alert, TLS version) behind
*Details*, and *Copy for support* puts the same text on the clipboard.

Keyboard: Enter = Test (the default button), Esc = Close (and cancels a running test).
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.base import message_label, show_message, text_label
from app.gui.widgets import DetailsLink, Level, ResultRow, ResultRows, StatusChip
from app.gui.worker import run_task

if TYPE_CHECKING:
    from app.actions.probe import ProbeIdentity, ProbeResult
    from app.core.endpoints import Endpoint
    from app.gui.worker import Progress

#: The probe's steps in order (with reading the certificate first), for the progress bar.
STEPS = ("identity", "dns", "tcp", "server", "sign-in", "done")
OTHER = "__other__"
#: How long each step may take, in seconds (the probe's own default).
DEFAULT_TIMEOUT = 10.0

_LEVELS: dict[str, Level] = {"ok": "ok", "warning": "warning", "error": "error",
                             "skipped": "info"}


@dataclass(frozen=True)
class SignInSubject:
    """Whose sign-in is tested: `load()` gives the identity (it runs in a worker, once);
    `name` and `where` are the words shown before it is read."""

    name: str
    where: str
    load: Callable[[], ProbeIdentity]


@dataclass
class _Loaded:
    identity: ProbeIdentity
    operator: str | None
    environment: str | None
    endpoints: list[Endpoint]
    note: str = ""


def endpoint_label(endpoint: Endpoint) -> str:
    """One line of the address list: what it is, its host, and whether it is confirmed."""
    tr = _tr
    mark = tr("verified") if endpoint.verified else tr("not confirmed")
    if endpoint.origin == "profile":
        mark = tr("from your organisation")
    elif endpoint.origin == "user":
        mark = tr("your own address")
    purpose = f" – {endpoint.purpose}" if endpoint.purpose and endpoint.purpose not in (
        endpoint.name) else ""
    return f"{endpoint.name}{purpose} · {endpoint.host} ({mark})"


def endpoint_note(endpoint: Endpoint) -> str:
    """The sentence under the address list about the chosen address."""
    tr = _tr
    if endpoint.origin == "profile":
        text = tr("This address was added by your organisation's deployment profile.")
    elif endpoint.origin == "user":
        text = tr("You added this address yourself.")
    elif endpoint.verified:
        text = tr("{operator}'s own pages name this address for signing in with a "
                  "certificate.").format(operator=endpoint.operator)
    else:
        text = tr("Not confirmed: {operator}'s pages name this host, but not that it asks "
                  "for your certificate. A refusal here may be the address, not your "
                  "certificate.").format(operator=endpoint.operator)
    if endpoint.network == "private-wan":
        text += " " + tr("It works only over your company's private network link to "
                         "{operator}.").format(operator=endpoint.operator or tr("the operator"))
    return text


def _tr(text: str) -> str:
    from PySide6.QtWidgets import QApplication

    return QApplication.translate("SignInDialog", text)


def _choose(endpoints: Sequence[Endpoint]) -> int:
    """Which address to start with: one the organisation or the person added for this
    operator and environment (they chose it on purpose), else the catalog's first (the
    internet one, verified first)."""
    for origin in ("profile", "user"):
        for index, endpoint in enumerate(endpoints):
            if endpoint.origin == origin:
                return index
    return 0


def _load(subject: SignInSubject, endpoints: Sequence[Endpoint] | None) -> _Loaded:
    """Read the identity and find its addresses (runs in a worker)."""
    from app.actions.probe import endpoints_for_certificate, identity_context, known_endpoints

    identity = subject.load()
    pool = list(endpoints) if endpoints is not None else known_endpoints()
    operator, environment = identity_context([identity.leaf, *identity.chain])
    found = endpoints_for_certificate(identity.leaf, identity.chain, pool)
    # The person's and the organisation's own addresses that name no operator (or
    # another spelling of it) are offered too: they were added to be tested.
    for endpoint in pool:
        if (endpoint.origin != "catalog" and endpoint.status == "active"
                and endpoint not in found and (not endpoint.operator or operator is None)):
            found.append(endpoint)
    return _Loaded(identity, operator, environment, found)


def sign_in_row(result: ProbeResult, timeout: float) -> ResultRow | None:
    """The step-by-step row of the sign-in itself (the facts; the verdict says why)."""
    tr = _tr
    if result.accepted or result.handshake_completed:
        status = (tr(" (the web server answered HTTP {status})").format(
            status=result.http_status) if result.http_status is not None else "")
        level: Level = "ok" if result.accepted else "warning"
        return ResultRow(level, tr("The handshake with your certificate completed") + status)
    if result.alert:
        return ResultRow("error", tr("The server refused the sign-in (TLS alert: {alert})")
                         .format(alert=result.alert))
    if result.timed_out:
        return ResultRow("error", tr("No answer within {seconds:g} seconds").format(
            seconds=timeout))
    if result.closed_by_server:
        return ResultRow("error", tr("The server closed the connection without a word"))
    return None


class SignInDialog(QDialog):
    """The sign-in test of one certificate. Object names (for tests and screen readers):
    signin-intro, signin-address, signin-address-note, signin-url, signin-remember,
    signin-input-error, signin-test, signin-cancel, signin-progress, signin-step,
    signin-chip, signin-sentence, signin-fix, signin-results, signin-details-link,
    signin-details, signin-copy, signin-status, signin-close."""

    def __init__(self, subject: SignInSubject, parent: QWidget | None = None, *,
                 endpoints: Sequence[Endpoint] | None = None,
                 timeout: float = DEFAULT_TIMEOUT,
                 trust_file: str | None = None) -> None:
        super().__init__(parent)
        self.subject = subject
        self.setObjectName("signin-dialog")
        self.setWindowTitle(self.tr("Test sign-in"))
        self.setModal(True)
        self._endpoints_given = list(endpoints) if endpoints is not None else None
        self.timeout = timeout
        self.trust_file = trust_file
        self.loaded: _Loaded | None = None
        self.probe_result: ProbeResult | None = None
        self._cancel: threading.Event | None = None
        self._run = 0  # a cancelled run's late answer carries an older number
        self.running = False
        self.resize(720, 640)

        layout = QVBoxLayout(self)
        self.intro = text_label(self.tr(
            "GridCert signs in to your grid operator with ‘{name}’ from {where}, the way "
            "your browser or program does, and tells you whether it works and why not. "
            "Nothing is changed.").format(name=subject.name, where=subject.where),
            "signin-intro")
        layout.addWidget(self.intro)

        self.address_label = QLabel(self.tr("&Address to test:"))
        layout.addWidget(self.address_label)
        self.address = QComboBox()
        self.address.setObjectName("signin-address")
        self.address.setAccessibleName(self.tr("Address to test"))
        self.address.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.address.setMinimumContentsLength(40)
        self.address.currentIndexChanged.connect(self._address_changed)
        self.address_label.setBuddy(self.address)
        layout.addWidget(self.address)
        self.address_note = text_label("", "signin-address-note")
        self.address_note.setEnabled(False)  # the palette's quiet text colour
        layout.addWidget(self.address_note)

        self.other = QWidget()
        other = QVBoxLayout(self.other)
        other.setContentsMargins(0, 0, 0, 0)
        self.url = QLineEdit()
        self.url.setObjectName("signin-url")
        self.url.setAccessibleName(self.tr("The address you sign in to"))
        self.url.setPlaceholderText(self.tr("https://the-address-you-sign-in-to.example/"))
        self.url.textEdited.connect(self._typed)
        other.addWidget(self.url)
        self.remember = QCheckBox(self.tr(
            "&Remember this address (the daily check tests it too)"))
        self.remember.setObjectName("signin-remember")
        other.addWidget(self.remember)
        self.other.hide()
        layout.addWidget(self.other)
        self.input_error = message_label(name="signin-input-error")
        layout.addWidget(self.input_error)

        run_row = QHBoxLayout()
        self.test = QPushButton(self.tr("&Test"))
        self.test.setObjectName("signin-test")
        self.test.setAccessibleName(self.tr("Test signing in"))
        self.test.setDefault(True)
        self.test.setAutoDefault(True)
        self.test.clicked.connect(self.start)
        self.cancel = QPushButton(self.tr("Cancel the test"))
        self.cancel.setObjectName("signin-cancel")
        self.cancel.setAutoDefault(False)
        self.cancel.clicked.connect(self.stop)
        self.cancel.hide()
        run_row.addWidget(self.test)
        run_row.addWidget(self.cancel)
        run_row.addStretch(1)
        layout.addLayout(run_row)

        self.progress = QProgressBar()
        self.progress.setObjectName("signin-progress")
        self.progress.setAccessibleName(self.tr("Progress"))
        self.progress.setRange(0, len(STEPS) - 1)
        self.progress.setTextVisible(False)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.step = text_label("", "signin-step", selectable=True)
        self.step.hide()
        layout.addWidget(self.step)

        self.chip = StatusChip(name="signin-chip")
        self.chip.hide()
        layout.addWidget(self.chip)
        self.sentence = text_label("", "signin-sentence", bold=True, selectable=True)
        font = self.sentence.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.sentence.setFont(font)
        self.sentence.hide()
        layout.addWidget(self.sentence)
        # Rich text for the bold "What to do:"; the fix itself is escaped (plain words).
        self.fix = text_label("", "signin-fix", rich=True, selectable=True)
        self.fix.hide()
        layout.addWidget(self.fix)
        self.results_label = text_label(self.tr("Step by step:"), "signin-results-label")
        self.results_label.hide()
        layout.addWidget(self.results_label)
        self.results = ResultRows(name="signin-results")
        layout.addWidget(self.results)

        self.details = QPlainTextEdit()
        self.details.setObjectName("signin-details")
        self.details.setAccessibleName(self.tr("Technical details"))
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.details_link = DetailsLink(self.details, name="signin-details-link")
        self.details_link.setAutoDefault(False)
        self.details_link.hide()
        layout.addWidget(self.details_link, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details, 1)
        layout.addStretch(0)
        self.status = message_label(name="signin-status")
        layout.addWidget(self.status)

        buttons = QHBoxLayout()
        self.copy = QPushButton(self.tr("Copy for &support"))
        self.copy.setObjectName("signin-copy")
        self.copy.setAccessibleName(self.tr("Copy the details for your help desk"))
        self.copy.setAutoDefault(False)
        self.copy.clicked.connect(self.copy_for_support)
        self.copy.hide()
        self.close_button = QPushButton(self.tr("&Close"))
        self.close_button.setObjectName("signin-close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.copy)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.test.setEnabled(False)
        self._read_identity()

    def tr(self, text: str) -> str:  # type: ignore[override]
        return _tr(text)

    # --- reading the certificate -------------------------------------------------------
    def _read_identity(self) -> None:
        self._busy(True, self.tr("Reading your certificate from {where}…").format(
            where=self.subject.where), 0)
        run = self._next_run()
        subject, given = self.subject, self._endpoints_given
        run_task(lambda _progress: _load(subject, given),
                 lambda loaded: self._identity_read(run, loaded),
                 lambda message: self._identity_failed(run, message), receiver=self)

    def _identity_read(self, run: int, loaded: _Loaded) -> None:
        if run != self._run:
            return
        self._busy(False)
        self.loaded = loaded
        self.address.blockSignals(True)
        self.address.clear()
        for endpoint in loaded.endpoints:
            self.address.addItem(endpoint_label(endpoint), endpoint.url)
            self.address.setItemData(self.address.count() - 1, endpoint.url,
                                     Qt.ItemDataRole.ToolTipRole)
        self.address.addItem(self.tr("Other address…"), OTHER)
        self.address.blockSignals(False)
        self.address.setCurrentIndex(_choose(loaded.endpoints) if loaded.endpoints else 0)
        self._address_changed()
        if loaded.operator is None:
            show_message(self.status, self.tr(
                "GridCert does not know which grid operator issued this certificate, so it "
                "cannot suggest an address: type the address you sign in to."), "info")
        elif not loaded.endpoints:
            show_message(self.status, self.tr(
                "GridCert knows no sign-in address of {operator} for this certificate: type "
                "the address you sign in to.").format(operator=loaded.operator), "info")
        self.test.setEnabled(True)
        (self.url if self.other.isVisible() else self.test).setFocus()

    def _identity_failed(self, run: int, message: str) -> None:
        if run != self._run:
            return
        self._busy(False)
        self.test.setEnabled(False)
        self.address.setEnabled(False)
        show_message(self.status, self.tr(
            "GridCert could not read your certificate, so it cannot test it: {error}").format(
                error=message))
        self.close_button.setFocus()

    # --- the address -------------------------------------------------------------------
    def chosen_endpoint(self) -> Endpoint | None:
        if self.loaded is None:
            return None
        index = self.address.currentIndex()
        return self.loaded.endpoints[index] if 0 <= index < len(self.loaded.endpoints) else None

    def _address_changed(self, _index: int = 0) -> None:
        other = self.address.currentData() == OTHER
        self.other.setVisible(other)
        show_message(self.input_error, None)
        endpoint = self.chosen_endpoint()
        self.address_note.setText(endpoint_note(endpoint) if endpoint is not None else
                                  self.tr("Type the address as your operator's "
                                          "documentation gives it, e.g. https://host/."))
        if other:
            self.url.setFocus()

    def _typed(self, _text: str) -> None:
        show_message(self.input_error, None)

    def chosen_url(self) -> str | None:
        """The address to test, normalised; None (and a sentence shown) when it is not one."""
        from app.core.endpoints import normalize_url
        from app.core.errors import GridCertError

        data = self.address.currentData()
        if data != OTHER:
            return str(data) if data else None
        text = self.url.text().strip()
        if not text:
            self._bad_input(self.tr("Type the address you sign in to, for example "
                                    "https://misapi.ercot.com/."))
            return None
        try:
            return normalize_url(text)
        except GridCertError as error:
            self._bad_input(str(error))
            return None

    def _bad_input(self, sentence: str) -> None:
        show_message(self.input_error, sentence)
        self.url.setFocus()
        self.url.selectAll()

    # --- the test ----------------------------------------------------------------------
    def start(self) -> None:
        if self.running or self.loaded is None:
            return
        url = self.chosen_url()
        if url is None:
            return
        if (self.address.currentData() == OTHER and self.remember.isChecked()
                and not self._remember(url)):
            return
        loaded = self.loaded
        self._clear_result()
        cancel = threading.Event()
        self._cancel = cancel
        run = self._next_run()
        self._busy(True, self.tr("Starting…"), 0)
        endpoints = self._endpoints_given
        timeout, trust_file = self.timeout, self.trust_file

        def work(progress: Progress) -> ProbeResult:
            from app.actions.probe import probe

            def step(name: str, sentence: str) -> None:
                progress(STEPS.index(name) if name in STEPS else 0, len(STEPS) - 1, sentence)

            return probe(url, loaded.identity, timeout=timeout, trust_file=trust_file,
                         progress=step, cancel=cancel, endpoints=endpoints)

        run_task(work, lambda result: self._finished(run, result),
                 lambda message: self._failed(run, message),
                 lambda done, _total, sentence: self._progress(run, done, sentence),
                 receiver=self)

    def _remember(self, url: str) -> bool:
        from app.actions.probe import remember_endpoint
        from app.core.errors import GridCertError

        loaded = self.loaded
        try:
            endpoint = remember_endpoint(
                url, operator=(loaded.operator or "") if loaded else "",
                environment=(loaded.environment or "production") if loaded else "production")
        except GridCertError as error:
            show_message(self.input_error, self.tr(
                "GridCert could not remember the address: {error}").format(error=error))
            return False
        if loaded is not None and endpoint.url not in [e.url for e in loaded.endpoints]:
            loaded.endpoints.append(endpoint)
            self.address.blockSignals(True)
            self.address.insertItem(len(loaded.endpoints) - 1, endpoint_label(endpoint),
                                    endpoint.url)
            self.address.setCurrentIndex(len(loaded.endpoints) - 1)
            self.address.blockSignals(False)
            self._address_changed()
        show_message(self.status, self.tr("Remembered: the daily check tests {url} too.")
                     .format(url=endpoint.url), "info")
        return True

    def stop(self) -> None:
        """Cancel the running test: the probe stops at its next step; its answer, if any
        still comes, is dropped."""
        if not self.running:
            return
        if self._cancel is not None:
            self._cancel.set()
        self._next_run()
        self._busy(False)
        self._show_verdict("info", self.tr("Cancelled"),
                           self.tr("The test was cancelled; nothing was changed."), "")
        self.test.setFocus()

    def _progress(self, run: int, done: int, sentence: str) -> None:
        if run != self._run:
            return
        self.progress.setValue(done)
        self.step.setText(sentence)

    def _finished(self, run: int, result: ProbeResult) -> None:
        if run != self._run:
            return
        self._busy(False)
        self.probe_result = result
        diagnosis = result.diagnosis
        level: Level = "ok" if result.accepted else "error"
        self._show_verdict(level, self.tr("Signed in") if result.accepted
                           else self.tr("Not signed in"), diagnosis.sentence,
                           "" if result.accepted and diagnosis.fix == "Nothing to fix."
                           else diagnosis.fix)
        # The last check is the verdict, shown above in large type; the steps end with
        # what the sign-in itself did instead.
        rows = [ResultRow(_LEVELS.get(c.status, "info"), c.text) for c in result.checks[:-1]]
        last = sign_in_row(result, self.timeout)
        if last is not None:
            rows.append(last)
        self.results.set_rows(rows)
        self.results_label.setVisible(bool(rows))
        self.details.setPlainText(result.details_text())
        self.details_link.show()
        self.copy.show()
        self.test.setText(self.tr("&Test again"))
        self.test.setFocus()

    def _failed(self, run: int, message: str) -> None:
        if run != self._run:
            return
        self._busy(False)
        self._show_verdict("error", self.tr("Not tested"), message, "")

    def _show_verdict(self, level: Level, word: str, sentence: str, fix: str) -> None:
        self.chip.set_status(level, word)
        self.chip.show()
        self.sentence.setText(sentence)
        self.sentence.show()
        self.fix.setText(self.tr("<b>What to do:</b> {fix}").format(fix=html.escape(fix))
                         if fix else "")
        self.fix.setAccessibleName(self.tr("What to do: {fix}").format(fix=fix) if fix else "")
        self.fix.setVisible(bool(fix))

    def _clear_result(self) -> None:
        self.probe_result = None
        for widget in (self.chip, self.sentence, self.fix, self.results_label,
                       self.details_link, self.copy):
            widget.hide()
        self.details_link.set_open(False)
        self.results.clear()
        self.details.clear()
        show_message(self.status, None)
        show_message(self.input_error, None)

    def _next_run(self) -> int:
        self._run += 1
        return self._run

    def _busy(self, busy: bool, sentence: str = "", step: int = 0) -> None:
        self.running = busy
        self.progress.setVisible(busy)
        self.step.setVisible(busy)
        self.cancel.setVisible(busy and self._cancel is not None)
        self.test.setEnabled(not busy and self.loaded is not None)
        self.address.setEnabled(not busy)
        self.other.setEnabled(not busy)
        if busy:
            self.progress.setValue(step)
            self.step.setText(sentence)
            if self.cancel.isVisible():
                self.cancel.setFocus()

    # --- support -----------------------------------------------------------------------
    def copy_for_support(self) -> None:
        if self.probe_result is None:
            return
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.probe_result.details_text())
        show_message(self.status, self.tr(
            "The details are on the clipboard: paste them into your message to the help "
            "desk. They hold no password and no private key."), "info")

    # --- closing -----------------------------------------------------------------------
    def reject(self) -> None:
        """Esc and Close: a running test is cancelled first."""
        if self.running:
            if self._cancel is not None:
                self._cancel.set()
            self._next_run()
            self._busy(False)
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running and self._cancel is not None:
            self._cancel.set()
            self._next_run()
        super().closeEvent(event)
