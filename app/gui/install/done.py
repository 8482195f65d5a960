"""Install, last page: what GridCert found when it checked each place (✓ rows), or what
stopped it (a ✗ row, its technical detail behind *Details*); the next step naming the
certificate as the browser lists it; Undo, Try again, Save a backup and Open the log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.gui import engine, navigation
from app.gui.base import FlowPage, message_label, shorten_paths, show_message, text_label, tr
from app.gui.describe import local_date, picker_sentence
from app.gui.install.common import scroll_area
from app.gui.install.progress import RunFailed
from app.gui.widgets import ResultRow, ResultRows

if TYPE_CHECKING:
    from collections.abc import Sequence

    from app.actions.apply import ApplyReport
    from app.actions.plan import Step
    from app.core.model import CertificateItem
    from app.gui.wizard import GridCertWizard


def applied_steps_left(report: ApplyReport | RunFailed | None) -> bool:
    """Whether a failed run left changes behind (putting them back failed too)."""

    return bool(getattr(report, "applied", None)) and not getattr(report, "rolled_back", False)


def browser_label(item: CertificateItem) -> str:
    """The certificate as a browser's "which certificate?" list tells it apart: its name,
    its organisation and its end date in the person's locale ('Jane Smith — Sample Energy
    LLC — until December 4, 2027', as Renew and Move say it), so that an older copy with the
    same name is not picked by mistake."""
    from cryptography.x509.oid import NameOID

    parts = [item.display_name]
    organisations = item.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    organisation = str(organisations[0].value).strip() if organisations else ""
    if organisation and organisation != item.display_name:
        parts.append(organisation)
    parts.append(tr("DonePage", "until {date}").format(date=local_date(item.not_after)))
    return " — ".join(parts)


def _what(step: Step) -> str:
    """What a step put somewhere, in a few words: "your certificate 'Jane Smith'"."""
    name = step.item.display_name if step.item is not None else step.title
    if step.kind == "import-identity":
        return tr("DonePage", "your certificate ‘{name}’").format(name=name)
    if step.kind == "add-intermediate":
        return tr("DonePage", "the intermediate certificate ‘{name}’").format(name=name)
    return tr("DonePage", "the root ‘{name}’").format(name=name)


def checked_rows(verified: Sequence[str], applied: Sequence[Step],
                 verb: str = "") -> list[ResultRow]:
    """One ✓ row per place GridCert read back ("Firefox — …: 2 certificates present"),
    with what went there under it."""
    rows = []
    for sentence in verified:
        label = sentence.split(": ", 1)[0]
        names = [_what(s) for s in applied if s.target_label == label]
        fix = ""
        if names and verb:
            fix = verb.format(what=", ".join(dict.fromkeys(names)))
        rows.append(ResultRow("ok", shorten_paths(sentence), fix))
    return rows


class DonePage(FlowPage):
    page_id = navigation.DONE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        layout = QVBoxLayout(self)
        self.summary = text_label("", name="done-summary")
        layout.addWidget(self.summary)
        inner = QWidget()
        box = QVBoxLayout(inner)
        box.setContentsMargins(0, 0, 0, 0)
        self.details = ResultRows(name="done-details")
        self.details.setAccessibleName(self.tr("What was checked"))
        box.addWidget(self.details)
        box.addStretch(1)
        self.details_area = scroll_area(inner, "done-details-area")
        layout.addWidget(self.details_area, 1)
        self.next_steps = text_label("", name="done-next-steps")
        layout.addWidget(self.next_steps)
        self.status = message_label(name="done-status")
        layout.addWidget(self.status)
        # Takes the room when the list is hidden (the list's stretch wins otherwise).
        layout.addStretch(0)
        row = QHBoxLayout()
        self.undo = QPushButton(self.tr("&Undo this installation"))
        self.undo.setObjectName("undo")
        self.undo.setAccessibleName(self.tr("Undo this installation"))
        self.undo.clicked.connect(self._undo)
        self.open_log = QPushButton(self.tr("Open the &log"))
        self.open_log.setObjectName("open-log")
        self.open_log.setAccessibleName(self.tr("Show GridCert's log"))
        self.open_log.clicked.connect(self._open_log)
        self.backup = QPushButton(self.tr("&Save a backup of your certificate…"))
        self.backup.setObjectName("save-backup")
        self.backup.setAccessibleName(self.tr("Save a backup of your certificate"))
        self.backup.clicked.connect(self._backup)
        self.retry = QPushButton(self.tr("Try &again"))
        self.retry.setObjectName("try-again")
        self.retry.setAccessibleName(self.tr("Try the same installation again"))
        self.retry.clicked.connect(self._try_again)
        row.addWidget(self.retry)
        row.addWidget(self.undo)
        row.addWidget(self.backup)
        row.addStretch(1)
        row.addWidget(self.open_log)
        layout.addLayout(row)

    def initializePage(self) -> None:
        report = self.state.report
        self.details.clear()
        self.summary.show()
        show_message(self.status, None)
        ok = bool(getattr(report, "ok", False))
        if ok:
            self.setTitle(self.tr("Done: your certificates are installed"))
            self.setSubTitle(self.tr("GridCert checked each place afterwards. Restart your "
                                     "browsers so that they see the change."))
            self.summary.setText(self.tr("What GridCert found when it checked:"))
            self.details.set_rows(checked_rows(
                getattr(report, "verified", []) or [], getattr(report, "applied", []) or [],
                self.tr("Installed there: {what}.")))
            self.next_steps.setText(self._picker_sentence())
        else:
            self.next_steps.setText("")
            if applied_steps_left(report):
                # Putting things back failed too: never claim the stores are untouched.
                self.setTitle(self.tr("The installation stopped partway"))
                self.setSubTitle(self.tr("Some changes could not be put back; the message "
                                         "below says what to do."))
            else:
                self.setTitle(self.tr("Nothing was installed"))
                self.setSubTitle(self.tr("Your browsers and this computer are as they were "
                                         "before."))
                self.next_steps.setText(self.tr(
                    "What now: nothing needs cleaning up. Put right what the message says, then "
                    "press Try again (your files and password are still here). The log has "
                    "the details."))
            error = getattr(report, "error", None) or self.tr("The installation did not run.")
            failed = getattr(report, "failed", None)
            where = f" ({failed.title})" if failed is not None else ""
            text = self.tr("It stopped{where}: {error}").format(where=where, error=error)
            rolled_back = bool(getattr(report, "rolled_back", False))
            self.summary.setText(self.tr("What happened:"))
            self.details.add_row(
                "error", shorten_paths(text),
                self.tr("The steps already done were undone.") if rolled_back else "",
                shorten_paths(getattr(report, "error_detail", None) or ""))
            for step in getattr(report, "applied", []) or []:
                if rolled_back:
                    self.details.add_row("info", self.tr("Undone: {step}").format(
                        step=step.title))
                else:
                    self.details.add_row("warning", self.tr("Still in place: {step}").format(
                        step=step.title))
        self.focus_finish_soon()
        applied = bool(getattr(report, "applied", None))
        # An empty box says nothing; the summary above it says enough then.
        self.details_area.setVisible(self.details.count() > 0)
        self.undo.setVisible(ok and applied)
        self.undo.setEnabled(True)
        # Everything was put back: the same plan can simply run again once the cause is
        # put right (Firefox closed, disk space freed), without retyping anything.
        self.retry.setVisible(not ok and self.state.plan is not None
                              and (not applied_steps_left(report)))
        self.retry.setEnabled(True)
        self.backup.setVisible(ok and self._identity() is not None
                               and engine.export_available())

    def _try_again(self) -> None:
        plan = self.state.plan
        if plan is None:
            return
        self.retry.setEnabled(False)
        show_message(self.status, self.tr("Installing again…"), "info")

        def work(progress: engine.Progress) -> ApplyReport:
            # apply_plan itself refuses a place that is busy (Firefox still open) with
            # its sentence, before changing anything.
            return engine.apply_plan(plan, progress, engine.new_cancel_token())

        def finished(report: ApplyReport | RunFailed) -> None:
            self.state.report = report
            self.initializePage()

        def failed(message: str) -> None:
            finished(RunFailed(message))

        self.run(work, finished, failed)

    def _picker_sentence(self) -> str:
        """Which name to pick in the browser's certificate list: the one each browser
        that received the certificate shows."""
        plan = self.state.plan
        steps = [s for s in getattr(plan, "steps", []) or []
                 if s.kind == "import-identity" and s.item is not None]
        if not steps or steps[0].item is None:
            return ""
        identity = getattr(steps[0], "identity", None)
        nickname = getattr(identity, "friendly_name", None)
        by_nickname = [engine.lists_by_nickname(plan, s.target_id) for s in steps]
        # Chrome, Edge and Windows list the name (with the organisation and dates that
        # tell copies apart); Firefox lists the .pfx's nickname.
        return picker_sentence(browser_label(steps[0].item), nickname, any(by_nickname),
                               not all(by_nickname))

    def _identity(self) -> Step | None:
        plan = self.state.plan
        for step in plan.steps if plan is not None else []:
            if step.kind == "import-identity":
                return step
        return None

    def _undo(self) -> None:
        if not self.dialogs.confirm(self, self.tr("Undo"), self.tr(
                "Remove what this installation added, from every place?"),
                self.tr("&Undo")):
            return
        show_message(self.status, self.tr("Undoing…"), "info")
        self.run(lambda progress: engine.undo_last(progress), self._undone, self._undo_failed)

    def _undone(self, report: ApplyReport) -> None:
        if getattr(report, "ok", False):
            self.undo.setEnabled(False)
            self.setTitle(self.tr("Undone"))
            self.setSubTitle(self.tr("Everything this installation added has been removed."))
            self.summary.setText(self.tr("What GridCert took back, and checked:"))
            self.details.set_rows(checked_rows(getattr(report, "verified", []) or [],
                                               getattr(report, "applied", []) or []))
            self.details_area.setVisible(self.details.count() > 0)
            # The advice about choosing the certificate in the browser no longer holds,
            # nor does a backup of a certificate that is gone.
            self.next_steps.setText(self.tr(
                "Nothing else to do: you can close GridCert, or open it again to install "
                "other files."))
            self.backup.hide()
            self.undo.hide()
            self.focus_finish_soon()
            show_message(self.status, self.tr("The installation was undone."), "info")
        else:
            self.details.clear()
            self.details.add_row("error", shorten_paths(
                getattr(report, "error", None) or self.tr("Undo did not complete.")),
                detail=shorten_paths(getattr(report, "error_detail", None) or ""))
            self.details_area.show()
            show_message(self.status, self.tr("The undo did not complete: see above."))

    def _undo_failed(self, message: str) -> None:
        show_message(self.status, message)

    def _open_log(self) -> None:
        # In GridCert's own window (app.gui.logview), never a browser.
        path = engine.log_file()
        if not path:
            show_message(self.status, self.tr("GridCert has no log on this computer."))
            return
        self.log_window = self.dialogs.show_log(self, path)

    def _backup(self) -> None:
        # Wired to the renew part's export action once it exists (the button is hidden
        # until then, see initializePage).
        from app.gui.backup_hook import save_backup

        save_backup(self)
