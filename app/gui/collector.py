"""Python's garbage collector runs in the Qt (main) thread only.

The wizard does slow work (reading files, installing) in worker threads. Python collects
garbage in whichever thread happens to allocate when a threshold is crossed; if that is a
worker and the garbage holds Qt objects of the main thread (a closed page's widgets, a
finished task's signals), Qt destroys them from the wrong thread and the process crashes
(a segmentation fault was seen during a module import in a worker). So automatic
collection is switched off and a timer in the main thread collects instead, with the same
generation thresholds Python would use.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class MainThreadCollector(QObject):
    """While it runs, garbage is collected only here, in the thread that made it."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(interval_ms)

    def collect_due(self) -> int:
        """Collect the oldest generation whose threshold is crossed (as Python would);
        the number of unreachable objects found."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        generation = -1
        for index in range(3):
            if thresholds[index] and counts[index] > thresholds[index]:
                generation = index
            else:
                break
        return gc.collect(generation) if generation >= 0 else 0

    def stop(self) -> None:
        """Back to Python's own collection (as it was before)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
