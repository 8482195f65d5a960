"""Move, last page: the file saved (its name, *Show in folder*), the certificate's end
date, what was checked in the file, and the one next step on the other computer — or what
stopped it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from app.gui.base import (
    display_path,
    folder_phrase,
    message_label,
    shorten_paths,
    show_message,
    text_label,
)
from app.gui.install.common import scroll_area
from app.gui.move.common import MovePage
from app.gui.move.flow import DONE
from app.gui.renew.common import holder_phrase, valid_until
from app.gui.widgets import ResultRows

if TYPE_CHECKING:
    from app.gui.wizard import GridCertWizard


class DonePage(MovePage):
    page_id = DONE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        layout = QVBoxLayout(self)
        self.summary = text_label("", "move-summary", selectable=True)
        layout.addWidget(self.summary)
        self.rows = ResultRows(name="move-results")
        self.rows.setAccessibleName(self.tr("What was checked"))
        self.rows_area = scroll_area(self.rows, "move-results-scroll")
        layout.addWidget(self.rows_area, 1)
        self.next_steps = text_label("", "move-next-steps", selectable=True)
        layout.addWidget(self.next_steps)
        row = QHBoxLayout()
        self.show_folder = QPushButton(self.tr("Show in &folder"))
        self.show_folder.setObjectName("show-in-folder")
        self.show_folder.setAccessibleName(self.tr("Show the saved file in its folder"))
        self.show_folder.clicked.connect(self._show_folder)
        row.addWidget(self.show_folder)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = message_label(name="move-done-status")
        layout.addWidget(self.status)
        layout.addStretch(0)  # takes the room when the list is hidden

    def initializePage(self) -> None:
        m = self.m
        self.rows.clear()
        show_message(self.status, None)
        self.focus_finish_soon()
        if m.error is not None:
            self.setTitle(self.tr("The file was not saved"))
            self.setSubTitle(self.tr("Nothing on this computer was changed."))
            self.summary.setText(shorten_paths(m.error))
            self.next_steps.setText("")
            self.rows_area.hide()
            self.show_folder.hide()
            return
        result = m.result
        assert result is not None  # the Run page stored it: navigation comes here after
        self.rows_area.show()
        self.show_folder.show()
        self.setTitle(self.tr("Your certificate is ready to move"))
        self.setSubTitle(self.tr("GridCert opened the file again and checked it."))
        self.summary.setText(self.tr("Saved as “{name}” in {folder}.").format(
            name=result.path.name, folder=folder_phrase(result.path.parent)))
        self.rows.add_row("ok", self.tr("The certificate in the file ({name}) is valid until "
                                        "{day}.").format(name=result.leaf.display_name,
                                                         day=valid_until(result.leaf)))
        detail = result.detail  # the algorithms: behind Details, not in the sentences
        for sentence in result.checked:
            self.rows.add_row("ok", shorten_paths(sentence), detail=detail)
            detail = ""  # once, under the first sentence
        if result.password_remembered:
            self.rows.add_row("ok", self.tr("The password is kept in the system keyring."))
        pem = result.format == "pem"
        if m.destination == "java":
            self.next_steps.setText(self.tr(
                "What now: copy the file to the other computer and give it to the Java "
                "program as a PKCS12 keystore (keytool reads it too). Send the password "
                "separately, never in the same e-mail as the file."))
            return
        self.next_steps.setText(self.tr(
            "What now: copy the file to the other computer and open it there (double-click "
            "on Windows and macOS, or run GridCert there). Send the password separately, "
            "never in the same e-mail as the file. Then, when the browser there asks which "
            "certificate to use, choose ‘{choice}’.").format(
            choice=holder_phrase(result.leaf)) if not pem else self.tr(
            "What now: point your script at this file; it needs the passphrase to open the "
            "key."))

    def _show_folder(self) -> None:
        result = self.m.result
        if result is None:
            return
        folder = result.path.parent
        if not self.dialogs.open_url(str(folder)):
            show_message(self.status, self.tr("The folder could not be opened ({folder}).")
                         .format(folder=display_path(folder)))
