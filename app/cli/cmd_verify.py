"""`gridcert verify LEAF [--chain PATH]... [--anchor PATH]... [--at YYYY-MM-DD] [--json]`.

Reads the files, builds the path from the leaf to a trusted root and validates it
(`app.core.chain`). Without `--anchor`, the self-signed roots among the files given are
the trusted roots, and the human output says so. `--at` checks validity at noon UTC of
that day (a whole-day question has no better instant; noon keeps both neighbours' dates
out of it in every time zone of the operators' markets).

JSON (`--json`): exactly `{"valid", "path", "reason"}`, also when no verdict can be given
(`valid` false, `path` empty, `reason` the sentence also printed on stderr). Exit codes:
0 valid, 1 invalid, 2 a bad `--at`, 3 an input that cannot be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from app.cli.output import emit_json, out, table
from app.core.catalog import load_catalog
from app.core.chain import ChainResult, build_and_validate
from app.core.errors import EXIT_INVALID, EXIT_OK, BadInputError, GridCertError, UsageError
from app.core.logsetup import log_action
from app.core.model import CertificateItem, now_utc, utc
from app.core.reader import ReadResult, read_paths

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def json_error_document(error: GridCertError) -> dict[str, Any]:
    """What `verify --json` prints when it cannot give a verdict (an unreadable LEAF,
    --chain or --anchor file, a bad --at): the contract's verify shape, so a script reading
    `valid` never meets an empty output. app.cli.main calls it; the exit code stays the
    error's own (3 bad input, 2 usage)."""
    return {"valid": False, "path": [], "reason": str(error)}


def parse_at(value: str | None) -> dt.datetime | None:
    """`--at YYYY-MM-DD` as noon UTC of that day; UsageError (exit 2) when malformed."""
    if value is None:
        return None
    text = value.strip()
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--at wants a date written YYYY-MM-DD, not '{value}'.") from None
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def _read(paths: Sequence[str]) -> ReadResult:
    """Read `paths`; any problem is fatal here (exit 3), its sentence names the file."""
    result = read_paths(list(paths))
    if result.problems:
        raise BadInputError(" ".join(problem.message for problem in result.problems))
    return result


def _pick_leaf(items: list[CertificateItem], path: str) -> CertificateItem:
    """The certificate to verify from LEAF: the one with a key, else the first end-entity."""
    if not items:
        raise BadInputError(f"{path} holds no certificate.")
    for item in items:
        if item.has_private_key:
            return item
    for item in items:
        if item.role == "end-entity":
            return item
    return items[0]


def _role_words(item: CertificateItem, index: int, anchors: set[str]) -> str:
    if index == 0:
        words = "certificate checked" if item.role == "end-entity" else f"{item.role} checked"
    else:
        words = item.role
    if item.sha256 in anchors:
        words += " (trusted)"
    return words


def _notes(path: Sequence[CertificateItem]) -> list[str]:
    notes: list[str] = []
    catalog = load_catalog()
    for item in path:
        name = f"'{item.display_name}'"
        if item.weak_signature:
            notes.append(f"{name} is signed with {item.signature_hash} (weak)")
        if item.weak_key:
            notes.append(f"{name} has a weak key ({item.key_description})")
        # The trust badge's words, as `inspect` and the wizard say them: an operator's
        # name on a certificate that contradicts the entry is flagged, never "looks like".
        badge = catalog.trust(item)
        if badge.entry is not None:
            note = f"{name} — {badge.title}. {badge.sentence}"
            if badge.level in ("name", "mismatch"):
                note += f" {badge.entry.operator}'s page: {badge.link}"
            notes.append(note.rstrip("."))
        if badge.match is not None and badge.entry is not None:
            status = badge.entry.status_sentence()
            if status:
                notes.append(f"{status}")
    return notes


def _print_human(
    result: ChainResult,
    leaf_path: str,
    at: dt.datetime | None,
    anchors: list[CertificateItem],
    anchors_from_files: bool,
) -> None:
    when = f"on {at:%Y-%m-%d} (12:00 UTC)" if at is not None else f"now ({now_utc():%Y-%m-%d})"
    anchor_fps = {item.sha256 for item in anchors}
    if anchors_from_files:
        if anchors:
            names = ", ".join(f"'{item.display_name}'" for item in anchors)
            out(f"No --anchor given: trusting the self-signed root(s) found in the files: {names}.")
        else:
            out("No --anchor given, and no self-signed root among the other files: "
                "nothing is trusted. Give the operator's root with --anchor.")
    out(f"Chain of {leaf_path}, checked {when}:")
    rows = [
        [
            str(index + 1),
            item.display_name,
            _role_words(item, index, anchor_fps),
            utc(item.not_after).strftime("%Y-%m-%d"),
            item.sha256,
        ]
        for index, item in enumerate(result.path)
    ]
    out(table(rows, ["#", "NAME", "ROLE", "VALID UNTIL", "SHA-256"]))
    for note in _notes(result.path):
        out(f"Note: {note}.")
    if result.valid:
        top = result.path[-1]
        if len(result.path) == 1:
            out(f"Valid: '{top.display_name}' is itself a trusted root.")
        else:
            out(f"Valid: '{result.path[0].display_name}' chains to the trusted root "
                f"'{top.display_name}'.")
    else:
        out(f"Not valid: {result.reason}.")
    out(f"Not checked: {', '.join(result.not_checked)}.")


def run(args: argparse.Namespace) -> int:
    at = parse_at(args.at)
    leaf_read = _read([args.leaf])
    leaf = _pick_leaf(leaf_read.items, args.leaf)
    pool = [item for item in leaf_read.items if item is not leaf]
    pool += _read(args.chain).items if args.chain else []
    anchors_from_files = not args.anchor
    if anchors_from_files:
        # The leaf itself is not taken as its own anchor: that would prove nothing.
        seen: set[str] = set()
        anchors = []
        for item in pool:
            if item.sha256 != leaf.sha256 and item.role == "root" and item.sha256 not in seen:
                seen.add(item.sha256)
                anchors.append(item)
    else:
        anchors = _read(args.anchor).items
        if not anchors:
            raise BadInputError(
                f"The --anchor file(s) {', '.join(args.anchor)} hold no certificate."
            )
    result = build_and_validate(leaf, pool, anchors, at)
    try:
        fields = {"leaf": args.leaf, "sha256": leaf.sha256}
        if result.reason:
            fields["reason"] = result.reason
        log_action("verify", "valid" if result.valid else "invalid", **fields)
    except OSError:
        pass  # an unwritable log folder must not change the verdict
    if args.json:
        emit_json(result.json())
    else:
        _print_human(result, args.leaf, at, anchors, anchors_from_files)
    return EXIT_OK if result.valid else EXIT_INVALID
