"""Shared helpers of the CLI: JSON on stdout, text on stderr, passwords, tables."""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from app.core.errors import PasswordRequiredError, UsageError


def configure_streams() -> None:
    """Human text the console cannot encode becomes escapes (`\\u5c71`), never a traceback.

    A redirected stdout on Windows (an Intune detection script, `> out.txt`) is encoded
    with the ANSI code page, e.g. cp1252, which has no "山". Python's default for stdout
    is errors="strict"; stderr already uses "backslashreplace". PYTHONUTF8 is not
    something an admin's machine can be expected to set.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a closed or odd stream
                reconfigure(errors="backslashreplace")
    # Names come from files and archives: an escape sequence in a zip member's name must
    # not drive the person's terminal. Every human line is shown with control characters
    # escaped (JSON escapes them itself, and goes to stdout's bytes, not through this).
    if not isinstance(sys.stdout, _Escaping):
        sys.stdout = _Escaping(sys.stdout)
    if not isinstance(sys.stderr, _Escaping):
        sys.stderr = _Escaping(sys.stderr)


def printable(text: str) -> str:
    """`text` with control characters (C0 but newline and tab, DEL, C1) as `\\xNN`, and
    bytes that were not UTF-8 (a file name's surrogate escapes) as `\\xNN` too."""
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
            out.append(f"\\x{code - 0xDC00:02x}")
        elif (code < 0x20 and char not in "\n\t") or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


class _Escaping:
    """A text stream that writes `printable` text to the stream it wraps."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _valid_text(value: Any) -> Any:
    """The document with every string `printable` where it holds undecodable bytes."""
    if isinstance(value, str):
        return printable(value) if any(0xD800 <= ord(c) <= 0xDFFF for c in value) else value
    if isinstance(value, dict):
        return {_valid_text(k): _valid_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_valid_text(v) for v in value]
    return value


def emit_json(document: Any) -> None:
    """Print the one JSON document of a `--json` run on stdout, always as UTF-8 bytes.

    JSON is UTF-8 (RFC 8259 §8.1) whatever the console code page: the bytes go straight
    to stdout's binary buffer, so a script reading them as UTF-8 gets the right names.
    """
    # A file name that is not UTF-8 (Linux allows any bytes) arrives with surrogate
    # escapes, which UTF-8 cannot encode: they are shown as \xNN, so the document is
    # always valid UTF-8.
    text = json.dumps(_valid_text(document), indent=2, ensure_ascii=False) + "\n"
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream put in place by a caller (tests, embedding)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    sys.stdout.flush()  # anything written as text before goes out first
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def say(text: str = "") -> None:
    """Human text: on stderr when --json owns stdout, else on stdout (callers decide)."""
    sys.stderr.write(text + "\n")


#: Set by `app.cli.main` from `--verbose`: print technical details behind messages.
VERBOSE = False


def details(detail: str | None) -> None:
    """With --verbose, the technical text behind the message just printed (stderr)."""
    if detail and VERBOSE:
        sys.stderr.write(f"gridcert: details: {detail}\n")


def out(text: str = "", *, json_mode: bool = False) -> None:
    """Human-readable output: stdout normally, stderr when stdout carries JSON."""
    stream = sys.stderr if json_mode else sys.stdout
    stream.write(text + "\n")


_stdin_cache: str | None = None


def _read_stdin_line() -> str:
    """One line of standard input as the password, decoded as UTF-8 whatever the console
    code page: on Windows a piped stdin decodes with the ANSI code page (cp1252), which
    turns a UTF-8 "Pässwort" (what PowerShell 7 and most scripts send) into "PÃ¤sswort"
    and so into a "wrong password". A leading BOM is dropped; bytes that are not UTF-8
    are read in the console's encoding (cmd's `echo` sends the OEM code page)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text-only stdin (a test's StringIO): already decoded
        raw_text = sys.stdin.readline()
    else:
        raw = buffer.readline()
        from app.stores._tools import console_encoding  # only when a password is piped

        try:
            raw_text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raw_text = raw.decode(console_encoding(), "replace")
    return raw_text.rstrip("\n").removesuffix("\r")


def password_from(
    env_var: str | None, use_stdin: bool, prompt: str | None, *, confirm: bool = False
) -> str | None:
    """The password from --password-env / --password-stdin, or a prompt on a terminal.

    Returns None when no source was given and there is no terminal to ask on (the caller
    then reports that a password is needed). Standard input is read once per process.
    """
    global _stdin_cache
    if env_var:
        if env_var not in os.environ:
            raise UsageError(f"The environment variable {env_var} is not set.")
        return os.environ[env_var]
    if use_stdin:
        if _stdin_cache is None:
            _stdin_cache = _read_stdin_line()
        return _stdin_cache
    if prompt is None or not sys.stdin.isatty():
        return None
    first = getpass.getpass(prompt)
    if confirm:
        second = getpass.getpass("Type it again: ")
        if first != second:
            raise PasswordRequiredError("The two passwords are not the same.")
    return first


def table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    """A plain left-aligned text table."""
    widths = [len(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    lines = ["  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines)


def confirm(question: str, assume_yes: bool) -> bool:
    """Ask a yes/no question on a terminal; without a terminal only --yes says yes."""
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        return False
    answer = input(f"{question} [y/N] ").strip().lower()
    return answer in ("y", "yes")
