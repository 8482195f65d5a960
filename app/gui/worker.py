"""Runs long work (reading files, scanning stores, installing) off the UI thread.

`run_task(fn, ...)` puts `fn(progress)` on Qt's global thread pool and reports back on
the UI thread through signals: `progress(done, total, message)`, `finished(result)` and
`failed(sentence)`. A `GridCertError` becomes its own sentence; anything else is logged
with its traceback and becomes a short sentence pointing at the log, never a traceback
dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("gridcert.gui")

Progress = Callable[[int, int, str], None]
T = TypeVar("T")
# What a task returns travels through a Qt signal typed `object`: `Any` from there on, and
# run_task's TypeVar ties a task's callback to its function again.
TaskFunction = Callable[[Progress], Any]


class Sentence(str):
    """A failure's sentence for the person, carrying the technical words behind it
    (`GridCertError.detail`: a tool's message, the exact condition) for a *Details* link.
    Still a plain `str` to every `on_failed(message: str)`; `show_message` finds the
    detail on it."""

    detail: str | None

    def __new__(cls, text: str, detail: str | None = None) -> Sentence:
        made = super().__new__(cls, text)
        made.detail = detail or None
        return made


class TaskSignals(QObject):
    """Signals of one task; they are delivered on the thread that owns this object (the UI)."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)  # a Sentence (a str with its detail)
    done = Signal()  # after finished or failed, always


class Task(QRunnable):
    """One call of `fn` on the thread pool."""

    def __init__(self, fn: TaskFunction) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps the reference (see _RUNNING)
        self.fn = fn
        self.signals = TaskSignals()

    def run(self) -> None:
        from app.core.errors import GridCertError

        try:
            result = self.fn(self._progress)
        except GridCertError as error:
            log.info("task failed: %s", error)
            self._emit("failed", Sentence(str(error), getattr(error, "detail", None)))
        except Exception as error:
            log.exception("unexpected error in a background task")
            self._emit(
                "failed",
                Sentence(f"Something unexpected went wrong ({type(error).__name__}: {error}). "
                         "Nothing more was changed; the log has the details.",
                         f"{type(error).__module__}.{type(error).__qualname__}: {error}"),
            )
        else:
            self._emit("finished", result)
        self._emit("done")

    def _progress(self, done: int, total: int, message: str) -> None:
        self._emit("progress", done, total, message)

    def _emit(self, name: str, *args: Any) -> None:  # Qt signal payloads
        # The window may have closed (and Qt deleted the signals' object) while this ran,
        # e.g. when GridCert quits during a read: then there is nobody left to tell.
        if not shiboken6.isValid(self.signals):
            return
        try:
            getattr(self.signals, name).emit(*args)
        except RuntimeError:
            log.debug("task reported %s after its window closed", name)


# Tasks stay referenced until they report, so Python does not collect them mid-run.
_RUNNING: set[Task] = set()


def run_task(
    fn: Callable[[Progress], T],
    on_finished: Callable[[T], None] | None = None,
    on_failed: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    receiver: QObject | None = None,
) -> Task:
    """Start `fn(progress)` in the background; callbacks run on the UI thread.

    `receiver` (usually the page) scopes the connections: if it is destroyed first, the
    callbacks are not called.
    """
    task = Task(fn)
    signals = task.signals
    if on_progress is not None:
        _connect(signals.progress, on_progress, receiver)
    if on_finished is not None:
        _connect(signals.finished, on_finished, receiver)
    if on_failed is not None:
        _connect(signals.failed, on_failed, receiver)
    signals.done.connect(lambda: _RUNNING.discard(task))
    _RUNNING.add(task)
    QThreadPool.globalInstance().start(task)
    return task


# `signal` is a PySide6 SignalInstance, whose stubs do not give connect() a usable type.
def _connect(signal: Any, slot: Callable[..., None], receiver: QObject | None) -> None:
    # Imported here, not at the top: PySide6 builds the Qt namespace's ~100 enums on its
    # first import (25-70 ms), which must not happen before the first paint.
    from PySide6.QtCore import Qt

    if receiver is None:
        signal.connect(slot, Qt.ConnectionType.QueuedConnection)
        return

    def guarded(*args: Any) -> None:  # whatever the signal carries
        # The page may have been closed while the task ran: then nobody is told.
        if shiboken6.isValid(receiver):
            slot(*args)

    signal.connect(guarded, Qt.ConnectionType.QueuedConnection)


def running_tasks() -> int:
    """How many tasks have not reported yet (tests and the close button use it)."""
    return len(_RUNNING)


def wait_for_tasks(msecs: int = 30000) -> bool:
    """Block until the pool is idle (used when quitting, never during normal work)."""
    return QThreadPool.globalInstance().waitForDone(msecs)
