"""The catalog of certificates the grid operators publish, and matching certificates to it.

The data lives in `resources/catalog/*.toml`, one file per operator (adding an operator
or a yearly API key is a data change, not a code change). Each entry says what a
certificate is for (client root, issuing CA, API signing key, device root), where the
operator publishes it, its validity window and, once known, its pinned SHA-256.

Matching is deliberately modest: with a pinned fingerprint a match is a fact ("is the
ERCOT CA"); without one it is a likeness by subject CN and validity window ("looks like
the ERCOT CA — compare its fingerprint with ERCOT's page"), never "verified". A
certificate that carries a pinned entry's name but not its fingerprint is an error
(`check_pin`) that stops an install.
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
from typing import Any

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
        }

    def phrase(self) -> str:
        """What the user is told: a likeness unless the fingerprint is pinned."""
        if self.pinned:
            return f"is {self.entry.title} (fingerprint verified)"
        return (
            f"looks like {self.entry.title} — compare its fingerprint with "
            f"{self.entry.operator}'s page"
        )


class Catalog:
    """The loaded catalog: lookups and matching."""

    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self.entries: tuple[CatalogEntry, ...] = tuple(entries)
        self._by_id = {entry.id: entry for entry in self.entries}
        self._by_pin = {entry.sha256: entry for entry in self.entries if entry.sha256}

    def match(self, item: CertificateItem) -> CatalogMatch | None:
        """The entry `item` is (pinned fingerprint) or looks like (subject CN + window)."""
        pinned = self._by_pin.get(item.sha256)
        if pinned is not None:
            return CatalogMatch(pinned, True)
        candidates = [
            entry
            for entry in self.entries
            # A pinned entry with another fingerprint is not this certificate
            # (check_pin reports that case as an error).
            if not entry.sha256 and entry.name_matches(item) and entry.window_overlaps(item)
        ]
        if not candidates:
            return None
        # Yearly keys share a name and overlap by a month: the closest window wins.
        best = min(candidates, key=lambda entry: entry.window_distance(item))
        return CatalogMatch(best, False)

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
