"""Renew, last page: what was done and checked (or what stopped it), per way. After an
install: the new certificate's end date, the old one's backup by name (its file behind
*Show in folder*), the one next step (which certificate to choose in the browser), and
*Undo this renewal*, which puts the old certificate back and takes the new one out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout

from app.gui.base import display_path, message_label, shorten_paths, show_message, text_label
from app.gui.install.common import scroll_area
from app.gui.renew.common import RenewPage, backup_name, holder_phrase, next_step, valid_until
from app.gui.renew.flow import DONE, MODE_NEW_FILE, MODE_REQUEST
from app.gui.widgets import ResultRows

if TYPE_CHECKING:
    from pathlib import Path

    from app.actions.apply import ApplyReport
    from app.actions.renew import CompleteResult, ReplaceResult, RequestResult
    from app.core.model import CertificateItem
    from app.gui.wizard import GridCertWizard
    from app.gui.worker import Progress
    from app.stores.base import TrustStore


class DonePage(RenewPage):
    page_id = DONE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        layout = QVBoxLayout(self)
        self.summary = text_label("", "renew-summary", selectable=True)
        layout.addWidget(self.summary)
        self.rows = ResultRows(name="renew-results")
        self.rows.setAccessibleName(self.tr("What was done"))
        self.rows_area = scroll_area(self.rows, "renew-results-scroll")
        layout.addWidget(self.rows_area, 1)
        self.csr = QPlainTextEdit()
        self.csr.setObjectName("csr-text")
        self.csr.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.csr.setAccessibleName(self.tr("The certificate request"))
        self.csr.setReadOnly(True)
        layout.addWidget(self.csr, 1)
        self.next_steps = text_label("", "renew-next-step", selectable=True)
        layout.addWidget(self.next_steps)
        row = QHBoxLayout()
        self.copy = QPushButton(self.tr("&Copy the request"))
        self.copy.setObjectName("copy-csr")
        self.copy.setAccessibleName(self.tr("Copy the request to the clipboard"))
        self.copy.clicked.connect(self._copy)
        self.undo = QPushButton(self.tr("&Undo this renewal"))
        self.undo.setObjectName("undo-renewal")
        self.undo.setAccessibleName(self.tr("Undo this renewal"))
        self.undo.clicked.connect(self._undo)
        self.show_backup = QPushButton(self.tr("Show the backup in its &folder"))
        self.show_backup.setObjectName("show-backup")
        self.show_backup.setAccessibleName(self.tr("Show the backup of the old certificate "
                                                   "in its folder"))
        self.show_backup.clicked.connect(self._show_backup)
        row.addWidget(self.copy)
        row.addWidget(self.undo)
        row.addWidget(self.show_backup)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = message_label(name="renew-done-status")
        layout.addWidget(self.status)
        layout.addStretch(0)  # takes the room when the list is hidden

    def initializePage(self) -> None:
        r = self.r
        self.rows.clear()
        self.csr.hide()
        self.copy.hide()
        self.undo.hide()
        self.undo.setEnabled(True)
        self.show_backup.hide()
        self.next_steps.setText("")
        show_message(self.status, None)
        if r.error is not None:
            self.setTitle(self.tr("That did not work"))
            self.setSubTitle(self.tr("Nothing was lost: your certificates are as they were."))
            self.summary.setText(shorten_paths(r.error))
        elif r.mode == MODE_REQUEST:
            # The mode decides which action ran (app.gui.renew.run._do), so its result.
            self._request_done(cast("RequestResult", r.result))
        elif r.mode == MODE_NEW_FILE:
            self._replace_done(cast("ReplaceResult", r.result))
        else:
            self._complete_done(cast("CompleteResult", r.result))
        self.rows_area.setVisible(self.rows.count() > 0)
        self.next_steps.setVisible(bool(self.next_steps.text()))
        self.focus_finish_soon()

    # --- request ------------------------------------------------------------------
    def _request_done(self, result: RequestResult) -> None:
        from app.core.csr import csr_pem

        self.setTitle(self.tr("Your certificate request is ready"))
        self.setSubTitle(self.tr("It is saved and copied to the clipboard."))
        self.summary.setText(shorten_paths(result.instructions))
        self.csr.setPlainText(csr_pem(result.csr).decode("ascii"))
        self.csr.show()
        self.copy.show()
        self._copy()

    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.csr.toPlainText())
            show_message(self.status, self.tr("The request is on the clipboard."), "info")

    # --- a new .pfx installed -----------------------------------------------------
    def _replace_done(self, result: ReplaceResult) -> None:
        install = result.install
        if install is not None and not install.ok:
            self.setTitle(self.tr("The new certificate was not installed"))
            self.setSubTitle(self.tr("Your current certificate is untouched."))
            self.summary.setText(shorten_paths(install.error or ""))
            return
        ok = result.ok
        self.setTitle(self.tr("Your new certificate is installed") if ok else
                      self.tr("Your new certificate is installed; the old one was kept"))
        self.setSubTitle(self.tr("GridCert checked each place afterwards."))
        self._new_certificate_rows(result.new)
        for sentence in install.verified if install is not None else []:
            self.rows.add_row("ok", shorten_paths(sentence))
        removal = result.removal
        if removal is not None:
            for sentence in removal.verified:
                self.rows.add_row("ok", shorten_paths(sentence))
        if result.backups:
            self._backup_rows(result.old, result.backups)
        for note in result.notes:
            if result.backups and note.startswith("The old certificate was saved to"):
                continue  # said by name above, with the files behind Details
            self.rows.add_row("warning" if "could not" in note else "info",
                              shorten_paths(note))
        self.next_steps.setText(next_step(result.new, self._operator()))
        self.undo.setVisible(bool(self._journals()))

    def _new_certificate_rows(self, leaf: CertificateItem) -> None:
        self.summary.setText(self.tr("Your new certificate: ‘{name}’.").format(
            name=holder_phrase(leaf)))
        self.rows.add_row("ok", self.tr("Your new certificate is valid until {day}.").format(
            day=valid_until(leaf)))

    def _backup_rows(self, old: list[CertificateItem], files: list[Path]) -> None:
        detail = "\n".join(display_path(str(f)) for f in files)
        for item in old or []:
            self.rows.add_row(
                "ok", self.tr("Your old certificate is kept as “{backup}”.").format(
                    backup=backup_name(item)),
                fix=self.tr("It is encrypted; Undo puts it back."), detail=detail)
        self.show_backup.show()

    def _operator(self) -> str | None:
        planned = self.r.planned
        return planned.operator if planned is not None else None

    # --- a request's answer -------------------------------------------------------
    def _complete_done(self, result: CompleteResult) -> None:
        report = result.report
        if report is not None and not report.ok:
            self.setTitle(self.tr("The certificate was not installed"))
            self.setSubTitle(self.tr("The request stays here, so you can try again."))
            self.summary.setText(shorten_paths(report.error or ""))
            return
        self.setTitle(self.tr("Your renewed certificate is ready"))
        installed = report is not None
        self.setSubTitle(self.tr("It is paired with the key made on this computer. GridCert "
                                 "checked each place afterwards.") if installed else
                         self.tr("It is paired with the key made on this computer."))
        self._new_certificate_rows(result.leaf)
        for sentence in report.verified if report is not None else []:
            self.rows.add_row("ok", shorten_paths(sentence))
        if result.export is not None:
            self.rows.add_row("ok", self.tr("Saved as {name}.").format(
                name=result.export.path.name),
                detail=display_path(result.export.path))
            for sentence in result.export.checked:
                self.rows.add_row("ok", shorten_paths(sentence))
        for note in result.notes:
            self.rows.add_row("info", shorten_paths(note))
        if installed:
            from app.gui.renew.common import operator_of

            self.next_steps.setText(next_step(result.leaf, operator_of(result.chain)))
            self.undo.setVisible(bool(self._journals()))

    # --- undo ---------------------------------------------------------------------
    def _journals(self) -> list[str]:
        """The changes this renewal made, newest first (undo takes them back in turn)."""
        result = self.r.result
        reports: list[ApplyReport | None] = []
        if self.r.mode == MODE_NEW_FILE:
            replaced = cast("ReplaceResult", result)
            reports = [replaced.removal, replaced.install]
        elif result is not None:
            reports = [cast("CompleteResult", result).report]
        return [rep.journal_id for rep in reports
                if rep is not None and rep.ok and rep.applied and rep.journal_id]

    def _undo(self) -> None:
        if not self.dialogs.confirm(self, self.tr("Undo"), self.tr(
                "Put your old certificate back and take the new one out, in every place?")
                if self.r.mode == MODE_NEW_FILE else self.tr(
                "Take the renewed certificate out of every place it was installed in?"),
                self.tr("&Undo")):
            return
        show_message(self.status, self.tr("Undoing…"), "info")
        journals = self._journals()
        stores = list(self.r.stores.values())
        self.run(lambda progress: _undo(journals, stores, progress), self._undone,
                 lambda message: show_message(self.status, message))

    def _undone(self, reports: list[ApplyReport]) -> None:
        failed = next((rep for rep in reports if not rep.ok), None)
        if failed is not None:
            show_message(self.status, failed.error or self.tr("Undo did not complete."))
            return
        self.undo.setEnabled(False)
        self.undo.hide()
        self.show_backup.hide()
        self.setTitle(self.tr("Undone"))
        self.setSubTitle(self.tr("Your certificates are as they were before this renewal."))
        self.summary.setText(self.tr("What GridCert took back, and checked:"))
        self.rows.clear()
        for report in reports:
            for sentence in report.verified:
                self.rows.add_row("ok", shorten_paths(sentence))
        self.rows_area.setVisible(self.rows.count() > 0)
        self.next_steps.setText(self.tr(
            "Nothing else to do: your old certificate is in use again. Start again with the "
            "right file when you have it."))
        self.next_steps.show()
        show_message(self.status, self.tr("The renewal was undone."), "info")
        self.focus_finish_soon()

    def _show_backup(self) -> None:
        from app.core.paths import data_dir

        folder = data_dir() / "backups"
        if not self.dialogs.open_url(str(folder)):
            show_message(self.status, self.tr("The folder could not be opened ({folder}).")
                         .format(folder=display_path(folder)))


def _undo(journals: list[str], stores: list[TrustStore],
          progress: Progress) -> list[ApplyReport]:
    """Undo this renewal's changes, newest first, only while each is still the last change
    made (something changed since → said, and nothing more is undone). Runs in a worker."""
    from app.actions.apply import last_change, undo_last
    from app.core.errors import RefusedError

    reports: list[ApplyReport] = []
    for journal in journals:
        last = last_change()
        if last is None or last.get("id") != journal:
            raise RefusedError(
                "Something else was changed after this renewal, so GridCert will not undo it "
                "from here; use Check my certificates to see what is installed.")
        report = undo_last(progress, stores=stores)
        reports.append(report)
        if not report.ok:
            break
    return reports
