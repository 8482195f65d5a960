"""The transaction journal: one JSON-lines file per applied plan, under data_dir()/journal.

A record is appended (and fsync'ed) before and after every step, so that after a crash
the next GridCert knows exactly which steps may have happened and can undo them. A
record holds what undoing needs — the target id, the certificate's PEM (public), for a
removed identity the path of its encrypted backup — and never a password or a key.

Record types, in the order they appear:
  begin, step-start, [step-update,] step-done, …, verified, committed   (a successful apply)
  rollback-start, rollback-step, …, rolled-back                (a failed or crashed one)
  undo-start, undo-step, …, undone | undo-failed                (a later `undo`)
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from app.core.errors import DataFolderError
from app.core.paths import data_dir

State = Literal["open", "committed", "rolled-back", "rollback-failed", "undoing", "undone",
                "undo-failed"]


def journal_dir() -> Path:
    path = data_dir() / "journal"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataFolderError.about(data_dir(), error) from error
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)
    return path


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Journal:
    """One journal file. Appends are durable (flush + fsync) before the call returns."""

    path: Path
    #: Records that could not be written (a full or read-only disk): kept here so that the
    #: rollback that follows at once still knows every step that started.
    unwritten: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.path.stem

    @classmethod
    def create(cls, action: str, **fields: Any) -> Journal:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        folder = journal_dir()
        for counter in range(1000):
            path = folder / f"{stamp}-{os.getpid()}-{counter}.jsonl"
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            except OSError as error:
                raise DataFolderError.about(data_dir(), error) from error
            os.close(fd)
            journal = cls(path)
            journal.write({"type": "begin", "action": action, "time": now_text(), **fields})
            return journal
        raise OSError(f"no free journal file name in {folder}")

    def write(self, record: dict[str, Any]) -> None:
        self.write_many([record])

    def write_many(self, records: list[dict[str, Any]]) -> None:
        """Append records with one fsync (a batch of 150 roots is one step for the disk)."""
        text = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                       for r in records)
        if self.unwritten:
            # Once a record is missing, later ones would tell a wrong story on disk.
            self.unwritten.extend(records)
            raise DataFolderError(f"GridCert could not write its journal {self.path}.")
        try:
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            self.unwritten.extend(records)
            raise DataFolderError(
                f"GridCert could not write its journal in {self.path.parent} "
                f"({error.strerror or error}); the change was stopped and undone."
            ) from error

    def records(self) -> list[dict[str, Any]]:
        """Every complete record; a line torn by a crash mid-write is ignored."""
        out: list[dict[str, Any]] = []
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return out
        for line in text.splitlines():
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict) and "type" in record:
                    out.append(record)
        out.extend(self.unwritten)
        return out

    @property
    def begin(self) -> dict[str, Any]:
        for record in self.records():
            if record["type"] == "begin":
                return record
        return {}

    def state(self) -> State:
        state: State = "open"
        for record in self.records():
            kind = record["type"]
            if kind == "committed":
                state = "committed"
            elif kind == "rolled-back":
                state = "rolled-back"
            elif kind == "rollback-failed":
                state = "rollback-failed"
            elif kind == "undo-start":
                state = "undoing"
            elif kind == "undone":
                state = "undone"
            elif kind == "undo-failed":
                state = "undo-failed"
        return state

    def started_steps(self) -> list[dict[str, Any]]:
        """step-start records in order (each may or may not have finished).

        A later "step-update" record for the same index adds to (or replaces fields of)
        its step-start: a step handed over to an elevated run learns what that run did
        (its undo records) only after it has finished.
        """
        started: list[dict[str, Any]] = []
        by_index: dict[int, dict[str, Any]] = {}
        for record in self.records():
            if record["type"] == "step-start":
                copy = dict(record)
                started.append(copy)
                by_index[int(record["index"])] = copy
            elif record["type"] == "step-update" and int(record["index"]) in by_index:
                by_index[int(record["index"])].update(
                    {k: v for k, v in record.items() if k not in ("type", "index", "time")})
        return started

    def done_indexes(self) -> set[int]:
        return {int(r["index"]) for r in self.records() if r["type"] == "step-done"}

    def reverted_indexes(self, kind: str) -> set[int]:
        """Indexes already reverted by a rollback ("rollback-step") or an undo ("undo-step")."""
        return {int(r["index"]) for r in self.records() if r["type"] == kind}


def all_journals() -> list[Journal]:
    """Every journal, oldest first (names start with a UTC time stamp)."""
    return [Journal(path) for path in sorted(journal_dir().glob("*.jsonl"))]
