"""The start-up baseline: a bare PySide6 QWizard that shows one page and quits.

It quits the way `gridcert-wizard --smoke` does — once the first page has really been
painted, not merely shown — so the two start-up times compare like with like.
Run: `QT_QPA_PLATFORM=offscreen python benchmarks/bare_wizard.py`.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWizard, QWizardPage


class _FirstPaint(QObject):
    """Quits the application after the watched widget's first paint event."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            stamp = os.environ.get("GRIDCERT_PAINT_STAMP")
            if stamp:  # as gridcert-wizard --smoke does: the moment of the first paint
                with open(stamp, "w", encoding="ascii") as handle:
                    handle.write(repr(time.time()))
            QTimer.singleShot(0, self._app.quit)
        return False


def main() -> int:
    app = QApplication(sys.argv)
    wizard = QWizard()
    wizard.setWindowTitle("Bare wizard")
    page = QWizardPage()
    page.setTitle("What would you like to do?")
    layout = QVBoxLayout(page)
    layout.addWidget(QLabel("One page, then quit."))
    wizard.addPage(page)
    watcher = _FirstPaint(app)
    page.installEventFilter(watcher)
    QTimer.singleShot(20000, lambda: app.exit(1))  # never hang a benchmark run
    wizard.show()
    code = app.exec()
    return code if watcher.seen else 1


if __name__ == "__main__":
    sys.exit(main())
