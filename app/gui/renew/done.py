"""Renew, last page: what was done and checked (or what stopped it), per way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QPlainTextEdit, QPushButton, QVBoxLayout

from app.gui.base import display_path, message_label, shorten_paths, show_message, text_label
from app.gui.renew.common import RenewPage, valid_until
from app.gui.renew.flow import DONE, MODE_NEW_FILE, MODE_REQUEST

if TYPE_CHECKING:
    from app.actions.renew import CompleteResult, ReplaceResult, RequestResult
    from app.gui.wizard import GridCertWizard


class DonePage(RenewPage):
    page_id = DONE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        layout = QVBoxLayout(self)
        self.summary = text_label("", "renew-summary", selectable=True)
        layout.addWidget(self.summary)
        self.details = QListWidget()
        self.details.setObjectName("renew-details")
        self.details.setAccessibleName(self.tr("What was done"))
        self.details.setWordWrap(True)
        self.details.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        layout.addWidget(self.details, 1)
        self.csr = QPlainTextEdit()
        self.csr.setObjectName("csr-text")
        self.csr.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.csr.setAccessibleName(self.tr("The certificate request"))
        self.csr.setReadOnly(True)
        layout.addWidget(self.csr, 1)
        row = QHBoxLayout()
        self.copy = QPushButton(self.tr("&Copy the request"))
        self.copy.setObjectName("copy-csr")
        self.copy.setAccessibleName(self.tr("Copy the request to the clipboard"))
        self.copy.clicked.connect(self._copy)
        row.addWidget(self.copy)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = message_label(name="renew-done-status")
        layout.addWidget(self.status)
        layout.addStretch(0)  # takes the room when the list is hidden

    def initializePage(self) -> None:
        r = self.r
        self.details.clear()
        self.details.setVisible(r.mode != MODE_REQUEST)
        self.csr.hide()
        self.copy.hide()
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
        if self.details.count() == 0:
            self.details.hide()
        self.focus_finish_soon()

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

    def _replace_done(self, result: ReplaceResult) -> None:
        ok = bool(getattr(result, "ok", False))
        install = result.install
        if install is not None and not install.ok:
            self.setTitle(self.tr("The new certificate was not installed"))
            self.setSubTitle(self.tr("Your current certificate is untouched."))
            self.summary.setText(shorten_paths(install.error or ""))
            return
        self.setTitle(self.tr("Your new certificate is installed") if ok else
                      self.tr("Your new certificate is installed; the old one was kept"))
        self.setSubTitle(self.tr("Restart your browsers so that they see the change."))
        self.summary.setText(self.tr("What GridCert checked:"))
        for sentence in install.verified if install is not None else []:
            self.details.addItem("✓ " + shorten_paths(sentence))
        removal = result.removal
        if removal is not None:
            for sentence in removal.verified:
                self.details.addItem("✓ " + shorten_paths(sentence))
        for note in result.notes:
            self.details.addItem("• " + shorten_paths(note))

    def _complete_done(self, result: CompleteResult) -> None:
        report = result.report
        if report is not None and not report.ok:
            self.setTitle(self.tr("The certificate was not installed"))
            self.setSubTitle(self.tr("The request stays here, so you can try again."))
            self.summary.setText(shorten_paths(report.error or ""))
            return
        self.setTitle(self.tr("Your renewed certificate is ready"))
        installed = report is not None
        self.setSubTitle(self.tr("It is paired with the key made on this computer. Restart "
                                 "your browsers so that they see it.") if installed else
                         self.tr("It is paired with the key made on this computer."))
        self.summary.setText(self.tr("‘{name}’, valid until {day}. What GridCert checked:")
                             .format(name=result.leaf.display_name,
                                     day=valid_until(result.leaf)))
        for sentence in report.verified if report is not None else []:
            self.details.addItem("✓ " + shorten_paths(sentence))
        if result.export is not None:
            self.details.addItem(self.tr("Saved to {path}").format(
                path=display_path(result.export.path)))
            for sentence in result.export.checked:
                self.details.addItem("✓ " + shorten_paths(sentence))
        for note in result.notes:
            self.details.addItem("• " + shorten_paths(note))
