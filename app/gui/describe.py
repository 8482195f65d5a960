"""Plain words for what the wizard shows: roles, validity, warnings, fingerprints.

No widgets, so the wording is tested without a display (dates are formatted with QtCore's
QLocale, which needs none: the person's own date format, "December 4, 2027" or
"4. Dezember 2027"; the ISO date stays available for details). The facts come from app.core
(CertificateItem, the catalog, the chain builder); this module only says them in words a
non-specialist understands ("your certificate", "the ERCOT root (production)").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QLocale

    from app.core.catalog import CatalogMatch, TrustBadge
    from app.core.model import CertificateItem
    from app.stores.base import StoredCertificate

EXPIRY_SOON_DAYS = 30


def file_label(source: str) -> str:
    """'instructions.pdf' for 'roots.zip!docs/instructions.pdf'; the file name otherwise."""
    if "!" in source:
        return PurePath(source.rsplit("!", 1)[1]).name
    return PurePath(source).name


def grouped_fingerprint(hex_digest: str, per_line: int = 0) -> str:
    """'AB:CD:…' as certificate viewers print it (easier to compare by eye); with
    `per_line`, a line break after that many bytes."""
    upper = hex_digest.upper()
    pairs = [upper[i:i + 2] for i in range(0, len(upper), 2)]
    if per_line <= 0:
        return ":".join(pairs)
    lines = [":".join(pairs[i:i + per_line]) for i in range(0, len(pairs), per_line)]
    return ":\n".join(lines)


def day(moment: dt.datetime | dt.date) -> str:
    """The ISO date (2027-12-04): for details, logs and anything a person may compare."""
    return moment.strftime("%Y-%m-%d")


#: The weekday and the punctuation that joins it to the rest of a long date format.
_WEEKDAY = re.compile(r"\s*dddd[,،]?\s*")


def date_format(locale: QLocale | None = None) -> str:
    """The locale's long date format without the weekday: 'MMMM d, yyyy' (en_US),
    'd. MMMM yyyy' (de_DE), 'd MMMM yyyy' (fr_FR). A month name cannot be misread the
    way 04/12/2027 can (April or December?)."""
    from PySide6.QtCore import QLocale

    chosen = locale if locale is not None else QLocale()
    long_format = chosen.dateFormat(QLocale.FormatType.LongFormat)
    trimmed = _WEEKDAY.sub(" ", long_format).strip(" ,")
    return trimmed or "yyyy-MM-dd"


def local_date(moment: dt.datetime | dt.date, locale: QLocale | None = None) -> str:
    """`moment`'s date in the person's own words: 'December 4, 2027' ('4. Dezember 2027'
    in German). The calendar date is the one `day()` gives, so both always agree."""
    from PySide6.QtCore import QDate

    chosen = locale
    if chosen is None:
        from PySide6.QtCore import QLocale

        chosen = QLocale()
    date = QDate(moment.year, moment.month, moment.day)
    return chosen.toString(date, date_format(chosen))


#: An ISO date standing on its own in a sentence ("expired on 2025-03-01."), not part of a
#: file name, a path or a timestamp ("backup 2026-12-07.pfx", "2026-12-07T10:00").
_ISO_DATE = re.compile(r"(?<![\w/\\.-])(\d{4})-(\d{2})-(\d{2})(?![\w/\\-]|\.\w|T\d)")


def localise_dates(text: str, locale: QLocale | None = None) -> str:
    """`text` with each ISO date said in the person's locale (local_date): the plan's and
    the engine's sentences carry ISO dates (they are also the CLI's), the pages do not."""
    def local(found: re.Match[str]) -> str:
        try:
            moment = dt.date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            return found[0]
        return local_date(moment, locale)

    return _ISO_DATE.sub(local, text)


def count_phrase(count: int, word: str, plural: str | None = None) -> str:
    """'1 certificate', '3 certificates'."""
    return f"{count} {word if count == 1 else (plural or word + 's')}"


#: Up to this many days a time is said in days ("expires in 45 days"); beyond it in months
#: or years, which is how people think of a certificate that runs for a year or more.
DAYS_SPOKEN_UP_TO = 60
#: From this many days on, years ("expires in 2 years"); below it, months.
YEARS_FROM_DAYS = 548  # about 18 months: "13 months" is more honest than "1 year"


def span_phrase(days: int) -> str:
    """A length of time as a person says it: '45 days', '5 months', '2 years'."""
    days = abs(days)
    if days <= DAYS_SPOKEN_UP_TO:
        return count_phrase(days, "day")
    if days < YEARS_FROM_DAYS:
        return count_phrase(max(2, round(days / 30.44)), "month")
    return count_phrase(round(days / 365.25), "year")


def days_phrase(days: int) -> str:
    """How long a certificate still works: 'expires in 2 years', 'expires in 5 months',
    'expires in 45 days' (days only within 60), 'expires today', 'expired 3 days ago'."""
    if days < 0:
        if days == -1:
            return "expired yesterday"
        return f"expired {span_phrase(days)} ago"
    if days == 0:
        return "expires today"
    if days == 1:
        return "expires tomorrow"
    return f"expires in {span_phrase(days)}"


def expiry_level(days: int) -> str:
    """'expired', 'soon' (under 30 days) or 'fine': the colour of the days-left cell."""
    if days < 0:
        return "expired"
    if days < EXPIRY_SOON_DAYS:
        return "soon"
    return "fine"


def _environment_words(environment: str) -> str:
    return "test" if environment == "test" else "production"


_THINGS = {"api-signing-key": "API public key", "issuing-ca": "issuing certificate",
           "device-root": "device root"}


def role_phrase(item: CertificateItem, match: CatalogMatch | TrustBadge | None = None) -> str:
    """What this certificate is, in words, as far as the catalog proves it: 'ERCOT root
    (production)' only for a pinned fingerprint; "named like ERCOT's root (production) — not
    verified" when only the name matches; "not ERCOT's root, though named like it" for a
    certificate that contradicts the entry whose name it has; 'your certificate'. `match`
    is a CatalogMatch (pinned or name) or a TrustBadge (any of its four levels)."""
    entry = getattr(match, "entry", None)
    level = getattr(match, "level", None)
    if level is None and entry is not None:
        level = "pinned" if getattr(match, "pinned", False) else "name"
    if entry is not None and level == "mismatch":
        # It only borrows the operator's name: the words must not lend it more.
        return f"not {entry.operator}'s {entry.kind}, though named like it"
    if entry is not None:
        operator = entry.operator
        env = _environment_words(entry.environment)
        thing = _THINGS.get(entry.purpose, "root")
        if level == "name":
            return f"named like {operator}'s {thing} ({env}) — not verified"
        return f"{operator} {thing} ({env})"
    if item.role == "root":
        return "root certificate (a certificate authority)"
    if item.role == "intermediate":
        return "intermediate certificate"
    if item.has_private_key:
        return "your certificate"
    return "a personal certificate (without its key)"


@dataclass
class ItemView:
    """What one Review row shows."""

    title: str                 # the name: 'Jane Smith', 'ERCOT CA'
    role: str                  # role_phrase
    issued_to: str
    issued_by: str
    valid_until: str           # 'May 26, 2027 (expires in 13 months)', the person's locale
    days_left: int
    sha256: str                # lowercase hex, as the JSON contract
    sha256_grouped: str
    source: str
    catalog_phrase: str | None = None
    warnings: list[str] = field(default_factory=list)
    valid_until_iso: str = ""  # '2027-05-26', for details
    until_date: str = ""       # 'May 26, 2027': the date alone, for sentences


def chain_gap(item: CertificateItem, pool: Sequence[CertificateItem],
              known_roots: Sequence[CertificateItem] = ()) -> str | None:
    """Who is missing above `item`, or None when its chain reaches a root."""
    if item.role == "root":
        return None
    try:
        from app.core.chain import find_chain
    except ImportError:  # the chain module is another part's; without it, say nothing
        return None
    chain = find_chain(item, [*pool, *known_roots])
    top = chain[-1] if chain else item
    if top.is_self_signed:
        return None
    return top.issuer_display_name


def describe_item(
    item: CertificateItem,
    pool: Sequence[CertificateItem],
    match: CatalogMatch | None = None,
    at: dt.datetime | None = None,
) -> ItemView:
    """The Review row of `item`; `pool` is every certificate read (for the chain check),
    `match` its CatalogMatch or None."""
    days = item.days_left(at)
    view = ItemView(
        title=item.display_name or item.subject or "(no name)",
        role=role_phrase(item, match),
        issued_to=item.display_name,
        issued_by=item.issuer_display_name if not item.is_self_issued else "itself (a root)",
        valid_until=f"{local_date(item.not_after)} ({days_phrase(days)})",
        valid_until_iso=day(item.not_after),
        until_date=local_date(item.not_after),
        days_left=days,
        sha256=item.sha256,
        sha256_grouped=grouped_fingerprint(item.sha256),
        source=item.source,
    )
    phrase = getattr(match, "phrase", None)
    if callable(phrase):
        view.catalog_phrase = str(phrase())
    view.warnings = warnings_for(item, pool, match, at)
    return view


def warnings_for(item: CertificateItem, pool: Sequence[CertificateItem],
                 match: CatalogMatch | None = None, at: dt.datetime | None = None) -> list[str]:
    """Warnings in words, most serious first."""
    out: list[str] = []
    now = at or dt.datetime.now(dt.UTC)
    days = item.days_left(now)
    if days < 0:
        out.append(f"Expired on {local_date(item.not_after)}: it no longer works and should not "
                   "be installed.")
    elif item.not_before > now.astimezone(dt.UTC):
        out.append(f"Not valid yet: it starts on {local_date(item.not_before)}.")
    elif days < EXPIRY_SOON_DAYS:
        out.append(f"Expires soon ({days_phrase(days)}): ask for a new one.")
    entry = getattr(match, "entry", None)
    if entry is not None:
        if entry.status == "end-of-life" or entry.end_of_life is not None:
            when = f" on {local_date(entry.end_of_life)}" if entry.end_of_life else ""
            out.append(f"End-of-life root: {entry.operator} retired it{when}. Install it "
                       "only if your operator still tells you to.")
        if entry.environment == "test":
            out.append(f"Test-environment root: only needed for {entry.operator}'s test "
                       "systems, not for the live market.")
        if not getattr(entry, "browser_trust", True):
            out.append("An API signing key: it belongs to your API client (Java keystore "
                       "or a PEM bundle), not to browsers.")
        if match is not None and not getattr(match, "pinned", True) and entry.sha256:
            out.append("Its fingerprint differs from the one GridCert knows for this name: "
                       "do not install it before checking with your operator.")
    if item.weak_signature:
        out.append(f"Weak signature ({(item.signature_hash or '').upper()}): browsers may "
                   "refuse it.")
    if item.weak_key:
        out.append(f"Weak key ({item.key_description}).")
    if item.role == "end-entity" and not item.has_private_key:
        out.append("Key missing: this file holds only the certificate, not its private "
                   "key, so it cannot sign you in. Use the .pfx file you were sent.")
    if item.role != "root":
        missing = chain_gap(item, pool)
        if missing:
            out.append(f"Chain incomplete: the certificate that issued it ('{missing}') is "
                       "not among these files.")
    return out


def other_member_phrase(member: str) -> str:
    zip_name = file_label(member.rsplit("!", 1)[0]) if "!" in member else ""
    inside = f" in {zip_name}" if zip_name else " in the zip"
    return f"Also{inside}: {file_label(member)} (not a certificate)"


# --- the Check view --------------------------------------------------------------


@dataclass
class InventoryRow:
    """One row of 'Check my certificates'."""

    name: str
    kind: str              # 'your certificate', 'ERCOT root (production)', ...
    target_id: str
    place: str             # the target's label
    valid_until: str       # in the person's locale: 'December 4, 2027'
    days_left: int
    level: str             # expiry_level
    sha256: str
    notes: list[str] = field(default_factory=list)
    valid_until_iso: str = ""  # '2027-12-04'
    #: A personal certificate or a grid operator's (catalog) certificate: shown by
    #: default; the hundreds of public roots a Java or system store holds are not.
    relevant: bool = True
    #: How far the catalog proves it is an operator's: 'pinned', 'name', 'mismatch', or
    #: None (on no operator's list). The Kind cell's colour and icon follow it.
    trust: str | None = None


def inventory_rows(entries: Iterable[StoredCertificate], labels: dict[str, str],
                   match: Callable[[CertificateItem], CatalogMatch | TrustBadge | None]
                   | None = None,
                   at: dt.datetime | None = None) -> list[InventoryRow]:
    """Rows for the Check view, flagging the expired and duplicate personal certificates
    that clutter a browser's certificate picker. `match(item)` gives a CatalogMatch or a
    TrustBadge (`Catalog.trust`, which also says when a certificate only borrows an
    operator's name)."""
    entries = list(entries)
    rows: list[InventoryRow] = []
    # Personal certificates per (place, name): more than one means the picker offers
    # several "Jane Smith" entries, and only the newest is worth keeping.
    newest: dict[tuple[str, str], dt.datetime] = {}
    counts: dict[tuple[str, str], int] = {}
    for entry in entries:
        if entry.item.role == "end-entity":
            key = (entry.target_id, entry.item.display_name)
            counts[key] = counts.get(key, 0) + 1
            if key not in newest or entry.item.not_after > newest[key]:
                newest[key] = entry.item.not_after
    for entry in entries:
        item = entry.item
        days = item.days_left(at)
        found = match(item) if match is not None else None
        kind = role_phrase(item, found)
        listed = getattr(found, "entry", None)
        trust = getattr(found, "level", None)
        if trust is None and listed is not None:
            trust = "pinned" if getattr(found, "pinned", False) else "name"
        if listed is None:
            trust = None
        if item.role == "end-entity":
            kind = "your certificate" if entry.has_private_key else "a personal certificate"
        notes: list[str] = []
        personal = item.role == "end-entity"
        key = (entry.target_id, item.display_name)
        duplicate = personal and counts.get(key, 0) > 1
        older = duplicate and item.not_after < newest[key]
        if days < 0 and older:
            notes.append("expired older copy: remove it")
        elif days < 0:
            notes.append("expired: clutters your browser's sign-in list" if personal
                         else "expired: can be removed")
        elif older:
            notes.append("older copy (a newer one is here)")
        elif duplicate:
            notes.append("newest copy: keep it")
        if trust == "mismatch" and listed is not None:
            notes.insert(0, f"not the certificate {listed.operator} publishes: remove it")
        rows.append(InventoryRow(
            name=item.display_name or item.subject,
            kind=kind,
            target_id=entry.target_id,
            place=labels.get(entry.target_id, entry.target_id),
            valid_until=local_date(item.not_after),
            valid_until_iso=day(item.not_after),
            days_left=days,
            level=expiry_level(days),
            sha256=item.sha256,
            notes=notes,
            relevant=personal or listed is not None,
            trust=trust,
        ))
    order = {"end-entity": 0, "intermediate": 2, "root": 1}
    by_sha = {e.item.sha256: e.item.role for e in entries}
    rows.sort(key=lambda r: (order.get(by_sha.get(r.sha256, ""), 3), r.name.lower(), r.place))
    return rows


def picker_sentence(name: str, nickname: str | None, by_nickname: bool,
                    by_name: bool) -> str:
    """What to choose when the browser asks which certificate to use. `name` is the
    name the certificate was issued to (what Chrome, Edge and Windows list), `nickname`
    the .pfx's friendly name (what Firefox lists); `by_nickname` / `by_name` say which
    kinds of places it went into."""
    start = ("What now: restart your browser and open your operator's site. When the "
             "browser asks which certificate to use, choose ")
    if not nickname or nickname == name or not by_nickname:
        return start + f"'{name}'."
    if not by_name:
        return start + f"'{nickname}'."
    return start + f"'{name}' (Firefox lists it as '{nickname}')."
