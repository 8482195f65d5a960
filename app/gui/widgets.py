"""Small visual building blocks shared by the pages of every flow.

`CapsLockWatcher` shows a "Caps Lock seems to be on" hint under a password field.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit


class CapsLockWatcher(QObject):
    """Guesses Caps Lock from typed letters (Qt has no portable query): an upper-case
    letter without Shift, or a lower-case one with Shift, means it is on."""

    def __init__(self, field: QLineEdit, hint: QLabel) -> None:
        super().__init__(field)
        self.hint = hint
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            text = event.text()
            if len(text) == 1 and text.isalpha() and text.upper() != text.lower():
                shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.hint.setVisible(text.isupper() != shift)
        return False
