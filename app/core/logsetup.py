"""GridCert's log: one rotating file, one line per action, never a secret.

The file lives in `paths.log_dir()` (the platform's user log folder, or
`$GRIDCERT_DATA_DIR/logs`); the wizard's *Open log* button and support requests use it.
It rotates at 1 MB and keeps 5 old files. Every record passes a filter that removes
private-key PEM blocks and `password=…`-style values, so a careless caller still cannot
write a secret; `log_action` additionally drops any field whose name says it is secret.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import time
from pathlib import Path

from app.core.paths import log_dir

LOGGER_NAME = "gridcert"
LOG_FILE = "gridcert.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5

REDACTED = "[redacted]"
# Outcomes logged at INFO; anything else (failed, refused, invalid, ...) at WARNING.
_CALM_OUTCOMES = frozenset({"ok", "done", "success", "skipped", "valid", "committed"})

# Field names that carry secrets (password, passphrase, pin, secret, token, private key...).
_SECRET_FIELD = re.compile(r"pass|secret|token|credential|private|\bpin\b|^pin$|key_?pem", re.I)
_PEM_KEY = re.compile(
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)",
    re.S,
)
_INLINE_SECRET = re.compile(
    r"(?i)\b(password|passwd|passphrase|pwd|secret|token)(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|\S+)"
)


def scrub(text: str) -> str:
    """`text` without private-key PEM blocks or `password=value`-style secrets."""
    text = _PEM_KEY.sub("[private key removed]", text)
    return _INLINE_SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


class _ScrubFilter(logging.Filter):
    """Rewrites each record's final message through `scrub` before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = scrub(record.getMessage())
        record.msg = message.replace("\r", " ").replace("\n", " | ")
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks can quote arguments; keep only a scrubbed one-line summary.
            error = record.exc_info[1]
            record.msg += f" ({type(error).__name__}: {scrub(str(error))})"
            record.exc_info = None
            record.exc_text = None
        return True


class _UtcFormatter(logging.Formatter):
    """Timestamps in UTC with a `Z`, like the rest of GridCert's output."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))


class _QuietRotatingHandler(logging.handlers.RotatingFileHandler):
    """A rotating file that never disturbs the user when it cannot write or rotate.

    The default prints a traceback to stderr (another GridCert holding the file open on
    Windows makes rollover fail), which would break `--json` output and frighten people;
    a lost log line is the lesser harm.
    """

    def handleError(self, record: logging.LogRecord) -> None:
        return None


def _our_handler(logger: logging.Logger) -> logging.handlers.RotatingFileHandler | None:
    for handler in logger.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and getattr(
            handler, "_gridcert", False
        ):
            return handler
    return None


def configure_logging() -> Path:
    """Attach the rotating file to the `gridcert` logger; returns the file's path.

    Idempotent: a second call with the same log folder changes nothing; when the folder
    has changed (GRIDCERT_DATA_DIR set anew, as tests do) the file handler moves there.
    """
    path = log_dir() / LOG_FILE
    logger = logging.getLogger(LOGGER_NAME)
    existing = _our_handler(logger)
    if existing is not None:
        if Path(existing.baseFilename) == path.resolve():
            return path
        logger.removeHandler(existing)
        existing.close()
    handler = _QuietRotatingHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler._gridcert = True  # type: ignore[attr-defined]
    handler.setFormatter(_UtcFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_ScrubFilter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    path.chmod(0o600)
    return path


def _quote(value: str) -> str:
    value = " ".join(str(value).split())  # one line, whatever the caller passed
    if value == "" or any(ch in value for ch in ' "='):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def log_action(action: str, outcome: str, **fields: str) -> None:
    """Write one line `action=… outcome=… key=value …` to the log (configured on demand).

    Fields whose name suggests a secret (password, passphrase, token, private key, ...)
    are written as `[redacted]`; values are folded onto one line.
    """
    logger = logging.getLogger(LOGGER_NAME)
    configure_logging()  # idempotent; follows GRIDCERT_DATA_DIR if it changed
    parts = [f"action={_quote(action)}", f"outcome={_quote(outcome)}"]
    for name, value in fields.items():
        shown = REDACTED if _SECRET_FIELD.search(name) else _quote(str(value))
        parts.append(f"{name}={shown}")
    level = logging.INFO if outcome in _CALM_OUTCOMES else logging.WARNING
    logger.log(level, " ".join(parts))


def log_quietly(action: str, outcome: str, **fields: str) -> None:
    """`log_action` for the use cases (export, request, complete, check): the line must never
    turn a done export into a failure, so an unwritable log folder or a full disk only
    loses the line (the same choice `_QuietRotatingHandler` makes for rotation)."""
    try:
        log_action(action, outcome, **fields)
    except Exception:  # whatever went wrong, it is only the log
        return
