"""The few questions the wizard asks through separate windows, behind one small object.

Pages never call QFileDialog/QMessageBox/QDesktopServices directly: they ask
`wizard.dialogs`, which tests replace with an object that answers on their behalf
(pytest-qt's advice for modal dialogs).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

CERTIFICATE_FILTER = "Certificate files (*.pfx *.p12 *.cer *.crt *.pem *.der *.p7b *.p7c *.zip)"
ALL_FILES_FILTER = "All files (*)"


def tr(text: str) -> str:
    # The empty context is where Qt Linguist (pyside6-lupdate) files module-level tr().
    return QApplication.translate("", text)


def first_folder(candidates: list[str]) -> str:
    """The first of `candidates` that is an existing folder ("" if none): where a file
    picker opens."""
    for folder in candidates:
        if folder and os.path.isdir(folder):
            return folder
    return ""


def downloads_folder() -> str:
    """The platform's Downloads folder (Windows' known folder, XDG's on Linux)."""
    from PySide6.QtCore import QStandardPaths

    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)


def suggested_folder() -> Path:
    """Where GridCert suggests saving a file it makes: the Documents folder, else the
    Desktop, else the home folder (a bare home folder is where people look last)."""
    from PySide6.QtCore import QStandardPaths

    home = Path.home()
    candidates: list[str] = []
    for location, usual in ((QStandardPaths.StandardLocation.DocumentsLocation, "Documents"),
                            (QStandardPaths.StandardLocation.DesktopLocation, "Desktop")):
        # The platform's own name for it (localised, or moved by XDG user-dirs) first.
        found = QStandardPaths.writableLocation(location)
        if found and Path(found) != home:
            candidates.append(found)
        candidates.append(str(home / usual))
    folder = first_folder(candidates)
    return Path(folder) if folder else home


class Dialogs:
    """The real dialogs. Tests subclass this and override the methods they need."""

    def __init__(self) -> None:
        #: The folder files were last picked from in this run: the picker opens there again.
        self.last_folder = ""

    def open_files(self, parent: QWidget | None) -> list[str]:
        """Files picked by the user (empty when cancelled). The picker opens where the
        files most likely are: the folder of the last pick, else Downloads (where a mail
        attachment or the operator's zip lands), else the home folder — never the
        program's own folder, which is the process's working directory when started
        from a shortcut."""
        from PySide6.QtWidgets import QFileDialog  # its enums cost ~1 ms: not at start

        start = first_folder([self.last_folder, downloads_folder(), os.path.expanduser("~")])
        files, _ = QFileDialog.getOpenFileNames(
            parent,
            tr("Choose the certificate files you were sent"),
            start,
            ";;".join((tr(CERTIFICATE_FILTER), tr(ALL_FILES_FILTER))),
        )
        if files:
            self.last_folder = os.path.dirname(files[0])
        return list(files)

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filter_: str) -> str:
        """A path to write to ("" when cancelled)."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_)
        return str(path)

    def confirm(self, parent: QWidget | None, title: str, text: str, yes: str) -> bool:
        from PySide6.QtWidgets import QMessageBox  # ~10 ms of enum set-up: not at start

        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        accept.setObjectName("confirm-yes")
        box.addButton(QMessageBox.StandardButton.Cancel)
        # Enter presses the button the question is about (everywhere in GridCert); Esc
        # is Cancel. Every such step can be undone or is asked about again.
        box.setDefaultButton(accept)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is accept

    def ask_new_passphrase(self, parent: QWidget | None, title: str, text: str,
                           yes: str) -> str | None:
        """A new passphrase typed twice (None when cancelled)."""
        from app.gui.passphrase_dialog import NewPassphraseDialog

        dialog = NewPassphraseDialog(parent, title, text, yes)
        if dialog.exec() != NewPassphraseDialog.DialogCode.Accepted:
            return None
        return dialog.passphrase()

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(parent, title, text)

    def show_log(self, parent: QWidget | None, path: str) -> QWidget:
        """GridCert's log in its own window (not modal: it can stay open beside the
        wizard); returned so that it stays alive and tests can read it."""
        from app.gui.logview import LogDialog

        dialog = LogDialog(Path(path), parent)
        dialog.show()
        dialog.activateWindow()
        return dialog

    def open_url(self, url: str) -> bool:
        """Open a web page with the system's default program (never the log: show_log)."""
        from PySide6.QtCore import QUrl  # imported late: start-up time
        from PySide6.QtGui import QDesktopServices

        qurl = QUrl(url) if "://" in url else QUrl.fromLocalFile(url)
        return bool(QDesktopServices.openUrl(qurl))
