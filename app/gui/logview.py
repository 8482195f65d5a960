"""GridCert's log in a window of its own, in sentences, with *Copy for support*.

*Open the log* used to hand the log file to the system's default program, which on Linux
was a web browser (and that created a Firefox profile). Here each record of the file
(app.core.logsetup: `2025-05-02T14:03:11Z INFO gridcert: action=install outcome=committed
journal=… steps=3`) becomes one line a person reads — local time, then what happened
("14:03 — An installation finished and was checked (3 steps).") — and *Copy for support*
puts the whole log, exactly as written, on the clipboard under a header naming GridCert's
version and the operating system, for an email to whoever helps.
"""

from __future__ import annotations

import datetime as dt
import platform
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.logsetup import BACKUP_COUNT

_RECORD = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) ([A-Z]+) (\S+): (.*)$")
# key=value, the value bare or in double quotes with \\ and \" escapes (logsetup._quote).
_FIELD = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)')


def tr(text: str) -> str:
    return QApplication.translate("LogDialog", text)


# What each action is, and what each outcome means, in words (logsetup writes them).
_ACTIONS = {
    "install": "An installation",
    "remove": "A removal",
    "undo": "Undo",
    "recover": "Finishing an interrupted change at start-up",
    "check": "The expiry check",
    "export": "Saving a certificate to a file",
    "request": "A certificate request",
    "complete": "Completing a certificate request",
    "inspect": "Looking into files",
    "verify": "Checking a certificate chain",
    "probe": "A sign-in test",
}
_OUTCOMES = {
    "committed": "finished and was checked",
    "ok": "finished",
    "done": "finished",
    "success": "finished",
    "valid": "found it valid",
    "invalid": "found it not valid",
    "skipped": "was skipped",
    "cancelled": "was stopped; what it had done was put back",
    "rolled-back": "stopped on a problem; what it had done was put back",
    "refused": "did not start",
    "failed": "did not work",
    "expired": "found an expired certificate",
    "expiring": "found a certificate that expires soon",
    "unreadable": "could not read a place",
    "problems": "found problems",
    # The sign-in test's outcomes (app.core.diagnosis), as the Test sign-in window says them.
    "accepted": "signed in",
    "server-untrusted": "stopped: the server's certificate is not trusted",
    "not-asked": "found that the server did not ask for a certificate",
    "wrong-ca": "found that the server wants a certificate from another authority",
    "rejected": "was refused by the server",
    "revoked": "was refused: the certificate is revoked",
    "certificate-expired": "was refused: the certificate has expired",
    "certificate-not-yet-valid": "was refused: the certificate is not valid yet",
    "no-certificate": "found no certificate to sign in with",
    "dns-failed": "could not find the server's name",
    "tcp-failed": "could not connect",
    "tcp-timeout": "got no answer from the server",
    "timeout": "got no answer from the server",
    "closed": "was cut off by the server",
    "handshake-failure": "was refused during the secure connection",
    "alert": "was refused by the server",
}
# Fields worth saying, in this order, with their words; the rest stay in the raw log.
_DETAILS = (
    ("subject", "for {}"),
    ("steps", "{} steps"),
    ("certificates", "{} certificates"),
    ("files", "{} files"),
    ("due", "{} due"),
    ("out", "to {}"),
    ("url", "at {}"),
    ("csr", "saved as {}"),
    ("export", "saved as {}"),
)


@dataclass(frozen=True)
class LogLine:
    """One record: when (UTC), how serious, and the sentence."""

    moment: dt.datetime
    level: str
    sentence: str

    @property
    def problem(self) -> bool:
        return self.level in ("WARNING", "ERROR", "CRITICAL")


def parse_fields(text: str) -> dict[str, str]:
    """`action=install outcome="rolled back" …` as a dict (quotes and escapes undone)."""
    fields: dict[str, str] = {}
    for name, value in _FIELD.findall(text):
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        fields[name] = value
    return fields


def sentence_for(message: str, level: str) -> str:
    """The sentence for one record's message: an action line in words, any other line
    as it was written (a problem marked as one)."""
    fields = parse_fields(message) if message.startswith("action=") else {}
    action = fields.get("action")
    if not action or "outcome" not in fields:
        text = message[:1].upper() + message[1:]
        if level in ("WARNING", "ERROR", "CRITICAL"):
            return tr("Problem: {text}").format(text=text)
        return text
    what = _ACTIONS.get(action, action.capitalize())
    outcome = fields["outcome"]
    said = _OUTCOMES.get(outcome, outcome.replace("-", " "))
    text = f"{what} {said}"
    details = [pattern.format(fields[name]) for name, pattern in _DETAILS
               if fields.get(name) not in (None, "", "-")]
    if details:
        text += f" ({', '.join(details)})"
    error = fields.get("error")
    if error:
        text += f": {error}"
    return text.rstrip(".") + "."


def parse_record(raw: str) -> LogLine | None:
    """One line of the log file as a LogLine (None for a line that is not a record)."""
    found = _RECORD.match(raw.strip())
    if found is None:
        return None
    stamp, level, _logger, message = found.groups()
    moment = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    return LogLine(moment, level, sentence_for(message, level))


def log_files(path: Path) -> list[Path]:
    """The log and its rotated copies that exist, oldest first."""
    older = [path.with_name(f"{path.name}.{n}") for n in range(BACKUP_COUNT, 0, -1)]
    return [p for p in [*older, path] if p.is_file()]


def read_raw(path: Path) -> list[str]:
    """Every line of the log (its rotated copies first), as written."""
    lines: list[str] = []
    for part in log_files(path):
        try:
            lines.extend(part.read_text(encoding="utf-8", errors="replace").splitlines())
        except OSError:
            continue
    return lines


def local_time(moment: dt.datetime) -> str:
    """The moment in this computer's time zone, written the way its locale writes dates."""
    from PySide6.QtCore import QDateTime, QLocale

    when = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    return QLocale().toString(when, QLocale.FormatType.ShortFormat)


def readable(raw_lines: list[str], when: Callable[[dt.datetime], str] = local_time) -> list[str]:
    """The records as lines a person reads: "time — sentence"."""
    out: list[str] = []
    for raw in raw_lines:
        record = parse_record(raw)
        if record is not None:
            out.append(f"{when(record.moment)} — {record.sentence}")
    return out


def support_header(path: Path) -> str:
    """What whoever helps needs to know first: the version, the system, the file."""
    from PySide6 import __version__ as pyside_version

    from app.__version__ import VERSION

    system = f"{platform.system()} {platform.release()} ({platform.machine()})"
    return "\n".join((
        f"GridCert {VERSION}",
        f"System: {system}; {platform.platform()}",
        f"Python {platform.python_version()}, PySide6 {pyside_version}",
        f"Log file: {path}",
    ))


def support_text(path: Path) -> str:
    """The header, then the whole log as written (nothing secret is ever in it)."""
    raw = read_raw(path)
    return support_header(path) + "\n\n" + ("\n".join(raw) if raw else "(the log is empty)")


class LogDialog(QDialog):
    """The log, one sentence per line, newest at the bottom; Copy for support; Close."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setObjectName("log-dialog")
        self.setWindowTitle(tr("GridCert's log"))
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("What GridCert did on this computer, newest last. Passwords and "
                          "keys are never written here."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.text = QPlainTextEdit()
        self.text.setObjectName("log-text")
        self.text.setAccessibleName(tr("The log"))
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # Read-only text is still reached with Tab and read with the arrow keys.
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        self.status = QLabel()
        self.status.setObjectName("log-status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.copy = buttons.addButton(tr("&Copy for support"),
                                      QDialogButtonBox.ButtonRole.ActionRole)
        self.copy.setObjectName("copy-log")
        self.copy.setAccessibleName(tr("Copy the whole log for support"))
        self.copy.setAutoDefault(False)
        self.copy.clicked.connect(self.copy_for_support)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("close-log")
        buttons.rejected.connect(self.reject)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        # Set once inside the dialog (see app.gui.passphrase_dialog): Enter closes.
        self.close_button.setDefault(True)
        self.load()

    def load(self) -> None:
        lines = readable(read_raw(self.path))
        self.text.setPlainText("\n".join(lines) if lines else tr(
            "The log is empty: GridCert has not changed anything on this computer yet."))
        self.text.moveCursor(self.text.textCursor().MoveOperation.End)

    def copy_for_support(self) -> None:
        clipboard = QApplication.clipboard()
        clipboard.setText(support_text(self.path))
        self.status.setText(tr("The whole log is on the clipboard: paste it into your "
                               "email to whoever helps you."))
