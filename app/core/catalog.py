"""The catalog of certificates the grid operators publish, and matching certificates to it.

The data lives in `resources/catalog/*.toml`, one file per operator (adding an operator
or a yearly API key is a data change, not a code change). Each entry says what a
certificate is for (client root, issuing CA, API signing key, device root), where the
operator publishes it, its validity window and, once known, its pinned SHA-256.

Matching is deliberately modest, and said in three levels (`Catalog.trust` → `TrustBadge`):
**pinned** — the fingerprint pinned in the catalog matches ("verified"); **name** — the
subject CN (and validity window) match but nothing proves the certificate is the
operator's ("compare its fingerprint with ERCOT's page"); **unknown** — not on any
operator's list. A certificate that borrows an entry's name while its fingerprint, key,
validity or kind differs from what the entry states is a **mismatch**: flagged, never
styled as the operator's (`Catalog.match` returns None for it). One that carries a pinned
entry's name but not its fingerprint is an error (`check_pin`) that stops an install.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from app.core.errors import BadInputError, PinMismatchError, UsageError
from app.core.model import CertificateItem, now_utc
from app.core.names import common_name
from app.core.paths import resource_path

OPERATORS_DIR = ("catalog",)
ENVIRONMENTS = ("production", "test")
PURPOSES = ("client-root", "issuing-ca", "api-signing-key", "device-root")
STATUSES = ("active", "expired", "end-of-life")

_PURPOSE_WORDS = {
    "client-root": "root",
    "issuing-ca": "issuing CA",
    "api-signing-key": "API signing key",
    "device-root": "device root",
}

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")


def _fold_cn(value: str) -> str:
    """Case-, width-, dash- and whitespace-insensitive form of a common name."""
    value = unicodedata.normalize("NFKC", value).translate(_DASHES)
    return " ".join(value.split()).casefold()


def normalize_fingerprint(value: str) -> str:
    """'AB:CD:…' or 'ab cd …' → 'abcd…' (the JSON contract's form)."""
    return re.sub(r"[\s:]", "", value).lower()


@dataclass(frozen=True)
class CatalogEntry:
    """One certificate an operator publishes."""

    id: str
    name: str
    operator: str
    environment: str
    purpose: str
    download_url: str
    subject_cn: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    sha256: str | None
    status: str
    end_of_life: dt.date | None
    notes: str
    #: The key size in bits the operator states ("Production 2048 Client Root
    #: Certificate"), or None when not published.
    key_bits: int | None = None

    @property
    def browser_trust(self) -> bool:
        """False for API signing keys: they never go into browser or OS root stores."""
        return self.purpose != "api-signing-key"

    @property
    def kind(self) -> str:
        """'root', 'issuing CA', 'API signing key', 'device root'."""
        return _PURPOSE_WORDS[self.purpose]

    @property
    def title(self) -> str:
        """'the ERCOT CA (production) root'."""
        return f"the {self.name} ({self.environment}) {self.kind}"

    def status_sentence(self) -> str | None:
        """A warning for a non-active entry ('end of life since 2024-11-01'), else None."""
        if self.status == "end-of-life":
            since = f" since {self.end_of_life.isoformat()}" if self.end_of_life else ""
            return f"{self.title} has reached its end of life{since}"
        if self.status == "expired":
            until = f" on {self.valid_to.isoformat()}" if self.valid_to else ""
            return f"{self.title} expired{until}"
        return None

    def window_overlaps(self, item: CertificateItem) -> bool:
        """True when the certificate's validity overlaps this entry's window (or none is known)."""
        start = item.not_before.date()
        end = item.not_after.date()
        if self.valid_from is not None and end < self.valid_from:
            return False
        return not (self.valid_to is not None and start > self.valid_to)

    def window_distance(self, item: CertificateItem) -> int:
        """Days between the certificate's validity and this entry's window (0 = same dates)."""
        distance = 0
        if self.valid_from is not None:
            distance += abs((item.not_before.date() - self.valid_from).days)
        if self.valid_to is not None:
            distance += abs((item.not_after.date() - self.valid_to).days)
        return distance

    def name_matches(self, item: CertificateItem) -> bool:
        if not self.subject_cn:
            return False
        cn = common_name(item.certificate.subject)
        return cn is not None and _fold_cn(cn) == _fold_cn(self.subject_cn)


@dataclass(frozen=True)
class CatalogMatch:
    """A certificate recognised as a catalog entry; `pinned` when the fingerprint proves it."""

    entry: CatalogEntry
    pinned: bool

    def json(self) -> dict[str, Any]:
        """The `catalog` object of the CLI's certificate JSON."""
        return {
            "id": self.entry.id,
            "name": self.entry.name,
            "operator": self.entry.operator,
            "environment": self.entry.environment,
            "match": "pinned" if self.pinned else "name",
            "mismatch": None,
        }


TrustLevel = Literal["pinned", "name", "mismatch", "unknown"]

#: A badge's short title, per level (the GUI's card title; the CLI's note prefix).
TRUST_TITLES: dict[TrustLevel, str] = {
    "pinned": "Verified",
    "name": "Name matches only",
    "mismatch": "Not the operator's certificate",
    "unknown": "Unknown",
}

# How far from a published validity date a certificate's own date may be (a day either
# way: operators print local dates, certificates carry UTC times).
_DATE_SLACK = dt.timedelta(days=1)


def _differences(
    entry: CatalogEntry, item: CertificateItem
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What in `item` contradicts what `entry` states: (plain words, technical details)."""
    words: list[str] = []
    details: list[str] = []
    operator = entry.operator
    if entry.sha256 and entry.sha256 != item.sha256:
        words.append(f"its fingerprint is not the one {operator} published")
        details.append(f"SHA-256 {item.sha256}, catalog entry '{entry.id}' pins {entry.sha256}")
    if entry.purpose in ("client-root", "device-root") and item.role != "root":
        words.append("it is not a root certificate, and the real one is")
        details.append(f"role {item.role}; catalog entry '{entry.id}' is a {entry.purpose}")
    elif entry.purpose == "issuing-ca" and not item.is_ca:
        words.append("it cannot issue certificates, and the real one does")
        details.append(f"not a CA; catalog entry '{entry.id}' is an {entry.purpose}")
    if entry.key_bits is not None and _key_bits(item) != entry.key_bits:
        words.append(f"its key is not the {entry.key_bits}-bit key {operator} states")
        details.append(f"key {item.key_description}; catalog entry '{entry.id}' states "
                       f"{entry.key_bits} bits")
    if entry.purpose != "api-signing-key":
        start, end = item.not_before.date(), item.not_after.date()
        off_start = entry.valid_from is not None and abs(start - entry.valid_from) > _DATE_SLACK
        off_end = entry.valid_to is not None and abs(end - entry.valid_to) > _DATE_SLACK
        if off_start or off_end:
            published = (f"{entry.valid_from.isoformat() if entry.valid_from else '…'} to "
                         f"{entry.valid_to.isoformat() if entry.valid_to else '…'}")
            words.append(f"its dates ({start.isoformat()} to {end.isoformat()}) are not the "
                         f"{published} {operator} published")
            details.append(f"validity {start.isoformat()}..{end.isoformat()}; catalog entry "
                           f"'{entry.id}' states {published}")
    return tuple(words), tuple(details)


def _key_bits(item: CertificateItem) -> int | None:
    """The public key's size in bits for RSA/DSA keys; None for other kinds (an EC key is
    never 'a 2048-bit key')."""
    kind, _, size = item.key_description.partition(" ")
    if kind in ("RSA", "DSA") and size.isdigit():
        return int(size)
    return None


@dataclass(frozen=True)
class TrustBadge:
    """How far a certificate is known to be an operator's, in one of four levels:

    - `pinned`: the catalog pins its fingerprint and it matches (verified);
    - `name`: its name (and dates) match an entry that pins nothing, so only a comparison
      of the fingerprint with the operator's page (`link`) can prove it;
    - `mismatch`: it has an entry's name, but something the entry states (fingerprint,
      key size, validity, kind) differs — an impostor or a wrong file;
    - `unknown`: on no operator's list.

    `sentence` is the one sentence the CLI and the GUI both say; `detail` the technical
    facts behind it (for a Details link, `--verbose`, JSON).
    """

    level: TrustLevel
    role: str
    entry: CatalogEntry | None = None
    differences: tuple[str, ...] = ()
    technical: tuple[str, ...] = ()

    @property
    def match(self) -> Literal["pinned", "name"] | None:
        """The JSON contract's `catalog.match`: "pinned", "name", or None."""
        if self.level == "pinned":
            return "pinned"
        if self.level == "name":
            return "name"
        return None

    @property
    def title(self) -> str:
        """'Verified', 'Name matches only', 'Not the operator's certificate', 'Unknown root'."""
        if self.level == "mismatch" and self.entry is not None:
            return f"Not {self.entry.operator}'s certificate"
        if self.level == "unknown":
            return "Unknown root" if self.role == "root" else "Not on an operator's list"
        return TRUST_TITLES[self.level]

    @property
    def link(self) -> str | None:
        """The operator's page to compare the fingerprint with (or to download again)."""
        return self.entry.download_url if self.entry is not None else None

    @property
    def sentence(self) -> str:
        """What a person is told about this certificate, in plain words."""
        entry = self.entry
        if self.level == "pinned" and entry is not None:
            return (f"This is {entry.title}: its fingerprint matches the one GridCert "
                    f"has on record from {entry.operator}.")
        if self.level == "name" and entry is not None:
            return (f"This has the name of {entry.title}, but nothing on record proves it "
                    f"is {entry.operator}'s: compare its SHA-256 fingerprint with "
                    f"{entry.operator}'s page before you install it.")
        if self.level == "mismatch" and entry is not None:
            return (f"This has the name of {entry.title}, but {_and(self.differences)}: it "
                    f"is not the certificate {entry.operator} publishes. Do not install it; "
                    f"get the file again from {entry.operator}'s page.")
        if self.role == "root":
            return ("This root is not on your operator's list: install it only if your "
                    "administrator told you to.")
        return "This certificate is not on your operator's list."

    @property
    def detail(self) -> str | None:
        """The technical facts behind the sentence (entry id, fingerprints, dates)."""
        if self.entry is None:
            return None
        facts = [f"catalog entry '{self.entry.id}' ({self.entry.download_url})"]
        facts.extend(self.technical)
        return "; ".join(facts)

    def json(self) -> dict[str, Any] | None:
        """The `catalog` object of the CLI's certificate JSON (null for an unknown one):
        the four historic fields, plus `match` ("pinned" | "name" | null) and `mismatch`
        (the sentence, when the certificate contradicts the entry whose name it has)."""
        if self.entry is None:
            return None
        return {
            "id": self.entry.id,
            "name": self.entry.name,
            "operator": self.entry.operator,
            "environment": self.entry.environment,
            "match": self.match,
            "mismatch": self.sentence if self.level == "mismatch" else None,
        }


def _and(parts: tuple[str, ...]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


class Catalog:
    """The loaded catalog: lookups and matching."""

    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self.entries: tuple[CatalogEntry, ...] = tuple(entries)
        self._by_id = {entry.id: entry for entry in self.entries}
        self._by_pin = {entry.sha256: entry for entry in self.entries if entry.sha256}

    def match(self, item: CertificateItem) -> CatalogMatch | None:
        """The entry `item` is (pinned fingerprint) or looks like (subject CN + window and
        nothing it states contradicted); None for an unknown certificate or a mismatch."""
        badge = self.trust(item)
        if badge.entry is None or badge.match is None:
            return None
        return CatalogMatch(badge.entry, badge.match == "pinned")

    def trust(self, item: CertificateItem) -> TrustBadge:
        """How far `item` is known to be an operator's certificate (see TrustBadge)."""
        pinned = self._by_pin.get(item.sha256)
        if pinned is not None:
            return TrustBadge("pinned", item.role, pinned)
        candidates: list[tuple[CatalogEntry, tuple[str, ...], tuple[str, ...]]] = []
        for entry in self.entries:
            if not entry.name_matches(item):
                continue
            if entry.purpose == "api-signing-key" and not entry.sha256 and \
                    not entry.window_overlaps(item):
                # Yearly API keys share a name: one outside every published window is
                # next year's key, not yet in the catalog — unknown, not an impostor.
                continue
            words, details = _differences(entry, item)
            candidates.append((entry, words, details))
        if not candidates:
            return TrustBadge("unknown", item.role)
        # Yearly keys share a name and overlap by a month: the closest window wins; a
        # clean likeness wins over a contradicted one.
        candidates.sort(key=lambda c: (len(c[1]), c[0].window_distance(item)))
        entry, words, details = candidates[0]
        if words:
            return TrustBadge("mismatch", item.role, entry, words, details)
        return TrustBadge("name", item.role, entry)

    def check_pin(self, item: CertificateItem) -> None:
        """Raise PinMismatchError if `item` has a pinned entry's name but not its fingerprint."""
        if item.sha256 in self._by_pin:
            return
        for entry in self.entries:
            if entry.sha256 and entry.name_matches(item) and entry.window_overlaps(item):
                raise PinMismatchError(
                    f"'{item.display_name}' from {item.source} has the name of "
                    f"{entry.title}, but its SHA-256 fingerprint {item.sha256} is not the "
                    f"published {entry.sha256}; it was not installed — get the file again "
                    f"from {entry.operator}'s page ({entry.download_url})."
                )

    def by_id(self, id: str) -> CatalogEntry:
        try:
            return self._by_id[id]
        except KeyError:
            raise UsageError(f"There is no catalog entry '{id}'.") from None

    def operators(self) -> list[str]:
        """Operator names in catalog order, each once."""
        return list(dict.fromkeys(entry.operator for entry in self.entries))

    def for_operator(self, operator: str) -> list[CatalogEntry]:
        wanted = operator.casefold()
        return [entry for entry in self.entries if entry.operator.casefold() == wanted]


# --- loading ---------------------------------------------------------------------------


def _date(value: object, where: str, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise BadInputError(f"The catalog file {where} has '{field}' = {value!r}, not a date.")


def _text(raw: Mapping[str, Any], field: str, where: str, *, required: bool = True) -> str:
    value = raw.get(field, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadInputError(f"The catalog file {where} lacks a text '{field}'.")
    return value.strip()


def _choice(raw: Mapping[str, Any], field: str, allowed: tuple[str, ...], where: str) -> str:
    value = _text(raw, field, where)
    if value not in allowed:
        raise BadInputError(
            f"The catalog file {where} has '{field}' = '{value}'; "
            f"expected one of {', '.join(allowed)}."
        )
    return value


def _key_bits_field(raw: Mapping[str, Any], where: str) -> int | None:
    value = raw.get("key_bits")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise BadInputError(f"The catalog file {where} has 'key_bits' = {value!r}, "
                            "not a key size in bits.")
    return value


def _entry(raw: Mapping[str, Any], operator: str, where: str, today: dt.date) -> CatalogEntry:
    entry_id = _text(raw, "id", where)
    where = f"{where} (entry '{entry_id}')"
    pin = normalize_fingerprint(_text(raw, "sha256", where, required=False))
    if pin and not _HEX64.match(pin):
        raise BadInputError(
            f"The catalog file {where} has a sha256 that is not 64 hex digits."
        )
    valid_from = _date(raw.get("valid_from"), where, "valid_from")
    valid_to = _date(raw.get("valid_to"), where, "valid_to")
    end_of_life = _date(raw.get("end_of_life"), where, "end_of_life")
    status = _choice(raw, "status", STATUSES, where) if "status" in raw else "active"
    # The dates decide too: a past end of life or validity end overrides "active".
    if status == "end-of-life" or (end_of_life is not None and end_of_life <= today):
        status = "end-of-life"
    elif valid_to is not None and valid_to < today:
        status = "expired"
    return CatalogEntry(
        id=entry_id,
        name=_text(raw, "name", where),
        operator=_text(raw, "operator", where, required=False) or operator,
        environment=_choice(raw, "environment", ENVIRONMENTS, where),
        purpose=_choice(raw, "purpose", PURPOSES, where),
        download_url=_text(raw, "download_url", where),
        subject_cn=_text(raw, "subject_cn", where, required=False),
        valid_from=valid_from,
        valid_to=valid_to,
        sha256=pin or None,
        status=status,
        end_of_life=end_of_life,
        notes=_text(raw, "notes", where, required=False),
        key_bits=_key_bits_field(raw, where),
    )


def load_catalog_from(folder: Path, today: dt.date | None = None) -> Catalog:
    """Read every `*.toml` in `folder` (sorted by name); errors name the file and entry."""
    day = today or now_utc().date()
    entries: list[CatalogEntry] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise BadInputError(f"The catalog file {path} cannot be read: {error}.") from None
        operator = _text(data, "operator", str(path))
        raw_entries = data.get("entry", [])
        if not isinstance(raw_entries, list):
            raise BadInputError(f"The catalog file {path} has no [[entry]] tables.")
        for raw in raw_entries:
            if not isinstance(raw, dict):
                raise BadInputError(f"The catalog file {path} has an entry that is not a table.")
            entry = _entry(raw, operator, str(path), day)
            if entry.id in seen:
                raise BadInputError(f"The catalog file {path} repeats the entry id '{entry.id}'.")
            seen.add(entry.id)
            entries.append(entry)
    return Catalog(entries)


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The bundled catalog (`resources/catalog/*.toml`), read once per process."""
    return load_catalog_from(resource_path(*OPERATORS_DIR))
