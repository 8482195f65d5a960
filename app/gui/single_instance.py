"""One wizard per user: a second launch hands its files to the first and brings it forward.

Deliberately without QtNetwork (so the bundle can leave it out): the first instance holds
a `QLockFile` in GridCert's data folder and watches an `inbox` folder with
`QFileSystemWatcher`. A second launch that cannot take the lock writes one small JSON
request (the files it was given) into the inbox, atomically, and exits. QLockFile notices
a lock left by a crashed process (its pid is gone) and takes it over.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QLockFile, QObject, QTimer, Signal


def instance_dir() -> Path:
    """Per user: GRIDCERT_DATA_DIR/instance when set (tests, admins), else Qt's app-data
    folder (the same place platformdirs gives, without importing it before the first
    paint)."""
    override = os.environ.get("GRIDCERT_DATA_DIR")
    if override:
        base = Path(override)
    else:
        from PySide6.QtCore import QStandardPaths  # ~9 ms of enum set-up: only when needed

        location = QStandardPaths.StandardLocation.AppLocalDataLocation
        base = Path(QStandardPaths.writableLocation(location) or Path.home() / ".gridcert")
    folder = base / "instance"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class SingleInstance(QObject):
    """`primary` tells whether this process owns the wizard; `request` fires (on the
    primary) with the files of each later launch (an empty list: just come forward)."""

    request = Signal(list)

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self.folder = folder or instance_dir()
        self.inbox = self.folder / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.lock = QLockFile(str(self.folder / "wizard.lock"))
        self.lock.setStaleLockTime(0)  # only a dead pid makes a lock stale, never its age
        self.primary = self.lock.tryLock(0)
        self.watcher: QFileSystemWatcher | None = None
        if self.primary:
            # Requests left from a launch that raced with the previous instance's exit.
            for leftover in self.inbox.glob("*.json"):
                leftover.unlink(missing_ok=True)
            self.watcher = QFileSystemWatcher([str(self.inbox)], self)
            self.watcher.directoryChanged.connect(lambda _path: self._drain())

    def hand_over(self, files: list[str]) -> None:
        """Secondary: give `files` (absolute paths) to the primary instance."""
        import json  # only a second launch or a hand-over needs it: not before the paint

        payload = json.dumps({"files": [os.path.abspath(f) for f in files]})
        name = os.urandom(12).hex()
        temporary = self.inbox / f".{name}.tmp"
        temporary.write_text(payload, encoding="utf-8")
        # Rename is atomic: the primary never reads a half-written request.
        temporary.replace(self.inbox / f"{name}.json")

    def _drain(self) -> None:
        import json

        for request in sorted(self.inbox.glob("*.json"), key=lambda p: p.stat().st_mtime):
            try:
                data = json.loads(request.read_text(encoding="utf-8"))
                files = [str(f) for f in data.get("files", []) if isinstance(f, str)]
            except (OSError, ValueError, AttributeError):
                files = []
            request.unlink(missing_ok=True)
            # Emitted after returning to the event loop: the watcher is not re-entered.
            QTimer.singleShot(0, lambda files=files: self.request.emit(files))

    def release(self) -> None:
        if self.primary:
            self.lock.unlock()
            self.primary = False


def connect(instance: SingleInstance, handler: Callable[[list[str]], None]) -> None:
    instance.request.connect(handler)
