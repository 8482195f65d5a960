"""`gridcert inspect PATH... [--password-env VAR | --password-stdin] [--json]`.

Reads every file (`app.core.reader`) and shows what it holds: a short table (role in
plain words, name, valid until and days left, key, SHA-256, source), the catalog match
and warnings below it, problems on stderr. A .pfx that opens with no password or the
empty password is read without asking; only one that needs a password makes GridCert
prompt, and only on a terminal (two more tries after a wrong one).

JSON (`--json`): exactly `{"items": [certificate...], "errors": [{"source", "message"}]}`;
each certificate's `catalog` object (null when on no operator's list) carries `match`
("pinned" | "name" | null) and `mismatch` (the sentence when the certificate has an
operator's name but differs from what the operator states, else null).
Exit codes: 0 everything was read; 3 any problem (the items read are still printed);
2 a `--password-env` variable that is not set.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from app.cli.output import emit_json, out, password_from, table
from app.core.errors import EXIT_BAD_INPUT, EXIT_OK, PasswordRequiredError, WrongPasswordError
from app.core.logsetup import log_action
from app.core.model import CertificateItem, certificate_json, now_utc
from app.core.password_help import wrong_password_sentence
from app.core.reader import ReadResult, read_paths

_TRIES = 3
_HASH_WORDS = {"sha1": "SHA-1", "md5": "MD5", "md2": "MD2", "md4": "MD4"}


class _Passwords:
    """The password lookup given to the reader: one given password, or a prompt per file."""

    def __init__(self, given: str | None, interactive: bool) -> None:
        self.given = given
        self.interactive = interactive
        self.typed: dict[str, str] = {}

    def __call__(self, source: str) -> str | None:
        if self.given is not None:
            return self.given
        if not self.interactive:
            return None
        if source not in self.typed:
            name = _display_source(source, ())
            typed = password_from(None, False, f"Password for ‘{name}’: ")
            if typed is None:
                return None
            self.typed[source] = typed
        return self.typed[source]

    def forget(self, source: str) -> None:
        self.typed.pop(source, None)


def _display_source(source: str, paths: Sequence[str]) -> str:
    """`source` with the path the user typed shortened to its file name."""
    for path in paths:
        if source == path or source.startswith(path + "!"):
            return os.path.basename(path.rstrip("/\\")) + source[len(path) :]
    return os.path.basename(source.split("!", 1)[0]) + (
        "!" + source.split("!", 1)[1] if "!" in source else ""
    )


def _operator_of(source: str) -> str | None:
    """The operator a file most likely comes from, by its name (ERCOT's are
    '<13-digit DUNS>$<USERNAME>.pfx'); None when nothing says."""
    import re

    name = os.path.basename(source.split("!", 1)[0])
    if re.match(r"^\d{9,13}\$", name) or "ercot" in name.lower():
        return "ERCOT"
    if "caiso" in name.lower():
        return "CAISO"
    return None


def read_with_passwords(
    paths: Sequence[str], password_env: str | None, password_stdin: bool
) -> ReadResult:
    """Read `paths`; on a terminal, ask for a .pfx password when needed, retrying wrong ones."""
    given = (
        password_from(password_env, password_stdin, None)
        if (password_env or password_stdin)
        else None
    )
    interactive = given is None and sys.stdin.isatty()
    passwords = _Passwords(given, interactive)
    result = read_paths(list(paths), passwords)
    attempts: dict[str, int] = {}
    for _ in range(_TRIES - 1):
        wrong = [
            problem.source
            for problem in result.problems
            if isinstance(problem.error, WrongPasswordError) and problem.source in passwords.typed
        ]
        if not wrong:
            break
        for source in wrong:
            attempts[source] = attempts.get(source, 0) + 1
            # From the second wrong password in a row, say where the password comes from.
            sys.stderr.write(wrong_password_sentence(
                _display_source(source, paths), attempts[source], _operator_of(source)) + "\n")
            passwords.forget(source)
        result = read_paths(list(paths), passwords)
    return result


def _catalog_json(items: Sequence[CertificateItem]) -> tuple[list[Any], list[str]]:
    """The catalog object of each item, and the notes a person should read about them.

    Each root, and each certificate with an operator's name, gets its trust badge's words
    (`app.core.catalog.TrustBadge`: verified, name matches only, not the operator's,
    unknown root) — the same sentence the wizard shows.
    """
    from app.core.catalog import load_catalog

    catalog = load_catalog()
    objects: list[Any] = []
    notes: list[str] = []
    for item in items:
        badge = catalog.trust(item)
        objects.append(badge.json())
        name = f"‘{item.display_name}’"
        if badge.entry is not None or item.role == "root":
            note = f"{name} — {badge.title}. {badge.sentence}"
            if badge.level in ("name", "mismatch") and badge.entry is not None:
                note += f" {badge.entry.operator}'s page: {badge.link}"
            notes.append(note)
        if badge.match is not None and badge.entry is not None:
            status = badge.entry.status_sentence()
            if status:
                notes.append(f"{status[0].upper()}{status[1:]}.")
        # A root's self-signature is never checked by anyone (trust in a root is by
        # fingerprint), so a SHA-1 self-signature is not worth a warning.
        if item.weak_signature and item.role != "root":
            algorithm = _HASH_WORDS.get(item.signature_hash or "", item.signature_hash)
            notes.append(f"{name} is signed with {algorithm}, which is weak.")
        if item.weak_key:
            notes.append(f"{name} has a weak key ({item.key_description}).")
    # The same root often comes twice (in the .pfx and in the zip): say each thing once.
    return objects, list(dict.fromkeys(notes))


def _role_words(item: CertificateItem) -> str:
    if item.role == "root":
        return "root CA"
    if item.role == "intermediate":
        return "intermediate CA"
    return "your certificate + key" if item.has_private_key else "certificate"


def _validity(item: CertificateItem) -> str:
    now = now_utc()
    until = f"{item.not_after:%Y-%m-%d}"
    if now < item.not_before:
        return f"{until} (not valid before {item.not_before:%Y-%m-%d})"
    days = item.days_left(now)
    if days < 0:
        return f"{until} (EXPIRED {-days} days ago)"
    return f"{until} ({days} day{'s' if days != 1 else ''} left)"


def _print_human(result: ReadResult, paths: Sequence[str], notes: list[str]) -> None:
    items = result.items
    if items:
        rows = [
            [
                _role_words(item),
                item.display_name,
                _validity(item),
                item.key_description,
                item.sha256,
                _display_source(item.source, paths),
            ]
            for item in items
        ]
        out(table(rows, ["Role", "Name", "Valid until", "Key", "SHA-256", "Source"]))
        for note in notes:
            out(f"- {note}")
    if result.other_members:
        names = ", ".join(f"‘{_display_source(s, paths)}’" for s in result.other_members)
        out(f"Not certificates (left aside): {names}.")
    count = len(items)
    sources = len({item.source for item in items})
    summary = f"{count} certificate{'s' if count != 1 else ''} read"
    if count:
        summary += f" from {sources} file{'s' if sources != 1 else ''}"
    problems = len(result.problems)
    out(summary + (f"; {problems} problem{'s' if problems != 1 else ''}:" if problems else "."))


def _print_problems(result: ReadResult, hint: bool) -> None:
    for problem in result.problems:
        sys.stderr.write(f"gridcert: {problem.message}\n")
    if hint and any(isinstance(p.error, PasswordRequiredError) for p in result.problems):
        sys.stderr.write(
            "gridcert: give the password with --password-env VAR or --password-stdin "
            "(or run on a terminal to be asked).\n"
        )


def run(args: argparse.Namespace) -> int:
    paths = [str(path) for path in args.paths]
    result = read_with_passwords(paths, args.password_env, args.password_stdin)
    catalogs, notes = _catalog_json(result.items)
    interactive = not (args.password_env or args.password_stdin) and sys.stdin.isatty()
    if args.json:
        emit_json(
            {
                "items": [
                    certificate_json(item, match)
                    for item, match in zip(result.items, catalogs, strict=True)
                ],
                "errors": [
                    {"source": problem.source, "message": problem.message}
                    for problem in result.problems
                ],
            }
        )
        for note in notes:
            out(f"- {note}", json_mode=True)
    else:
        _print_human(result, paths, notes)
        sys.stdout.flush()
    _print_problems(result, hint=not interactive)
    log_action(
        "inspect",
        "problems" if result.problems else "ok",
        files=str(len(paths)),
        certificates=str(len(result.items)),
        problems=str(len(result.problems)),
    )
    return EXIT_BAD_INPUT if result.problems else EXIT_OK
