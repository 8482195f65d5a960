"""'Save a backup of your certificate' on the Done page.

Uses the renew part's export action (`app.actions.export.write_export`): the certificate
that was just installed, with its key and chain, is written to a .pfx the person chooses,
protected with the same password as the .pfx they typed, then read back and checked.
The Done page hides the button when that action is missing (no dead buttons).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from app.gui.base import folder_phrase, show_message

if TYPE_CHECKING:
    from app.actions.export import ExportResult
    from app.gui.install.done import DonePage
    from app.gui.worker import Progress


def _suggested_path(name: str) -> str:
    folder = Path.home() / "Documents"
    if not folder.is_dir():
        folder = Path.home()
    safe = "".join(c for c in name if c.isalnum() or c in " -_.").strip() or "certificate"
    return str(folder / f"{safe} backup {dt.date.today():%Y-%m-%d}.pfx")


def save_backup(page: DonePage) -> None:
    step = page._identity()
    identity = getattr(step, "identity", None)
    if identity is None:
        return
    leaf = identity.leaf
    password = page.state.passwords.get(leaf.source, "")
    if not password:
        show_message(page.status, QApplication.translate(
            "DonePage", "Your .pfx had no password, and a backup needs one: use 'Move a "
            "certificate to another computer' to save it with a new password."))
        return
    path = page.dialogs.save_file(
        page, QApplication.translate("DonePage", "Save a backup of your certificate"),
        _suggested_path(leaf.display_name),
        QApplication.translate("DonePage", "Certificate with its key (*.pfx)"))
    if not path:
        return
    show_message(page.status,
                 QApplication.translate("DonePage", "Saving and checking the backup…"), "info")

    def work(_progress: Progress) -> ExportResult:
        from app.actions.export import write_export

        return write_export(leaf, list(identity.chain), path, password,
                            friendly_name=identity.friendly_name or leaf.display_name,
                            source=leaf.source)

    def saved(result: ExportResult) -> None:
        # Named, with its folder apart: a whole path wraps anywhere in a sentence.
        saved_as = Path(result.path)
        show_message(page.status, QApplication.translate(
            "DonePage", "Backup saved as ‘{name}’ in {folder}, protected with the same "
            "password as the .pfx you were sent. Keep it somewhere safe.").format(
                name=saved_as.name, folder=folder_phrase(saved_as.parent)), "info")

    page.run(work, saved, lambda message: show_message(page.status, message))
