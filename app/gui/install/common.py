"""Layout helpers the install pages share: a scroll area for a page's list, and emptying a layout.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QScrollArea, QVBoxLayout, QWidget


def scroll_area(inner: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    area.setAccessibleName(name.replace("-", " "))
    # Not a Tab stop of its own (an invisible one, after Cancel): Tab goes to the controls
    # inside it, and the area scrolls to show whichever has the focus.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


def clear_layout(layout: QVBoxLayout | QGridLayout) -> None:
    while layout.count():
        child = layout.takeAt(0)
        widget = child.widget() if child is not None else None
        if widget is not None:
            widget.deleteLater()
