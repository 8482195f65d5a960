"""SIGTERM and SIGHUP end the wizard the way closing its window does, without a question.

A logout, a closed terminal or a deployment tool that gave up sends them. Dying at once
would leave a half-made change for the next start to roll back, with a store tool perhaps
still writing. So the signal counts as the window's close button: a run that changes
stores is stopped and what it did is put back, the window says that it finishes safely,
and GridCert quits once the stores are consistent (exit code 5, "cancelled", as the CLI).

Qt's event loop runs in C, so a Python signal handler would only run at the next Python
call. `signal.set_wakeup_fd` writes the signal's number to a socket at once, and a
QSocketNotifier on the other end brings it into the event loop. Windows sends no SIGTERM
to a windowed program (it ends a session with window messages, which Qt turns into a
close), so this is POSIX only.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QSocketNotifier

EXIT_CANCELLED = 5


class StopSignals(QObject):
    """Turns SIGTERM/SIGHUP into `close()` on the window; `received` is the first one."""

    def __init__(self, close: Callable[[], object]) -> None:
        super().__init__()
        self.received: int | None = None
        self._close = close
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._wanted: list[int] = [signal.SIGTERM]
        if sys.platform != "win32":
            self._wanted.append(signal.SIGHUP)
        # A Python-level handler must exist for the wakeup byte to be written; the work
        # is done in `_woken`, inside the event loop.
        self._previous = {n: signal.signal(n, _ignore) for n in self._wanted}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read,
                                         self)
        self._notifier.activated.connect(self._woken)

    def _woken(self) -> None:
        try:
            data = self._reader.recv(64)
        except OSError:
            return
        numbers = [n for n in data if n in self._wanted]
        if not numbers or self.received is not None:
            return
        self.received = numbers[0]
        self._close()

    def uninstall(self) -> None:
        """Put back the handlers and wakeup descriptor that were there before."""
        self._notifier.setEnabled(False)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        for end in (self._reader, self._writer):
            with contextlib.suppress(OSError):
                end.close()


def _ignore(signum: int, frame: object) -> None:
    """The byte on the wakeup socket is what counts."""


class Closable(Protocol):
    ask_before_closing: bool

    def close(self) -> bool: ...


def install(window: Closable) -> StopSignals | None:
    """Watch SIGTERM/SIGHUP for `window` (a GridCertWizard); None where there are none."""
    if sys.platform == "win32":
        return None

    def close() -> None:
        # No question: nobody may be there to answer it (a logout, a script).
        window.ask_before_closing = False
        window.close()

    return StopSignals(close)
