"""The few questions the wizard asks through separate windows, behind one small object.

Pages never call QFileDialog/QMessageBox/QDesktopServices directly: they ask
`wizard.dialogs`, which tests replace with an object that answers on their behalf
(pytest-qt's advice for modal dialogs).
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

CERTIFICATE_FILTER = "Certificate files (*.pfx *.p12 *.cer *.crt *.pem *.der *.p7b *.p7c *.zip)"
ALL_FILES_FILTER = "All files (*)"


def tr(text: str) -> str:
    # The empty context is where Qt Linguist (pyside6-lupdate) files module-level tr().
    return QApplication.translate("", text)


class Dialogs:
    """The real dialogs. Tests subclass this and override the methods they need."""

    def open_files(self, parent: QWidget | None) -> list[str]:
        """Files picked by the user (empty when cancelled)."""
        files, _ = QFileDialog.getOpenFileNames(
            parent,
            tr("Choose the certificate files you were sent"),
            "",
            ";;".join((tr(CERTIFICATE_FILTER), tr(ALL_FILES_FILTER))),
        )
        return list(files)

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filter_: str) -> str:
        """A path to write to ("" when cancelled)."""
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_)
        return str(path)

    def confirm(self, parent: QWidget | None, title: str, text: str, yes: str) -> bool:
        from PySide6.QtWidgets import QMessageBox  # ~10 ms of enum set-up: not at start

        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is accept

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(parent, title, text)

    def open_url(self, url: str) -> bool:
        """Open a web page or a local file (the log) with the system's default program."""
        from PySide6.QtCore import QUrl  # imported late: start-up time
        from PySide6.QtGui import QDesktopServices

        qurl = QUrl(url) if "://" in url else QUrl.fromLocalFile(url)
        return bool(QDesktopServices.openUrl(qurl))
