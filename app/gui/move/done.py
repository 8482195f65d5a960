"""Move, last page: where the file was saved and what was checked in it, or what stopped it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QListWidget, QVBoxLayout

from app.gui.base import display_path, shorten_paths, text_label
from app.gui.move.common import MovePage
from app.gui.move.flow import DONE

if TYPE_CHECKING:
    from app.gui.wizard import GridCertWizard


class DonePage(MovePage):
    page_id = DONE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        layout = QVBoxLayout(self)
        self.summary = text_label("", "move-summary", selectable=True)
        layout.addWidget(self.summary)
        self.details = QListWidget()
        self.details.setObjectName("move-details")
        self.details.setAccessibleName(self.tr("What was checked"))
        self.details.setWordWrap(True)
        self.details.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        layout.addWidget(self.details, 1)
        self.next_steps = text_label("", "move-next-steps", selectable=True)
        layout.addWidget(self.next_steps)
        layout.addStretch(0)  # takes the room when the list is hidden

    def initializePage(self) -> None:
        m = self.m
        self.details.clear()
        self.focus_finish_soon()
        if m.error is not None:
            self.setTitle(self.tr("The file was not saved"))
            self.setSubTitle(self.tr("Nothing on this computer was changed."))
            self.summary.setText(shorten_paths(m.error))
            self.next_steps.setText("")
            self.details.hide()
            return
        self.details.show()
        result = m.result
        assert result is not None  # the Run page stored it: navigation comes here after
        self.setTitle(self.tr("Your certificate is ready to move"))
        self.setSubTitle(self.tr("GridCert opened the file again and checked it."))
        self.summary.setText(self.tr("Saved to {path}").format(path=display_path(result.path)))
        for sentence in result.checked:
            self.details.addItem("✓ " + shorten_paths(sentence))
        if result.password_remembered:
            self.details.addItem("✓ " + self.tr("The password is kept in the system keyring."))
        pem = result.format == "pem"
        self.next_steps.setText(self.tr(
            "Copy the file to the other computer and open it there (double-click on Windows "
            "and macOS, or run GridCert there). Send the password separately, never in the "
            "same e-mail as the file.") if not pem else self.tr(
            "Point your script at this file; it needs the passphrase to open the key."))
