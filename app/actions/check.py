"""What expires when: `gridcert check` and the wizard's *Check my certificates*.

Looked at: the person's own certificates (those with a private key) in every target, the
CA certificates that issued them, every certificate that the catalog recognises (operator
roots, issuing CAs, API public keys) and everything in a PEM trust bundle; not the hundreds
of public roots an OS ships, which are the OS vendor's business. Added from the catalog: the
operators' API public keys that rotate each February/March (counted when that operator's
certificates are in use here), and end-of-life roots that are still installed.

Exit codes (DESIGN.md): 0 nothing due, 10 something expires within N days, 11 something has
expired (or is an end-of-life root still installed), 4 nothing due in what could be read but a
target could not be read (a corrupt NSS database or Java keystore, a bundle that is a folder):
"nothing expires" would be a claim about a store nobody looked into. 10/11 win over 4 (the
admin must hear about expiry first); the unreadable targets are reported either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from app.core.errors import (
    EXIT_EXPIRED,
    EXIT_EXPIRING,
    EXIT_OK,
    EXIT_TARGET_FAILED,
    GridCertError,
)
from app.core.model import CertificateItem, certificate_json, iso_z, now_utc, utc
from app.core.names import common_name, names_match
from app.stores.base import StoredCertificate, TrustStore

if TYPE_CHECKING:
    from app.core.catalog import Catalog, CatalogEntry

Status = Literal["expired", "end-of-life", "expiring", "ok"]
Kind = Literal["certificate", "api-key"]

_SEVERITY: dict[str, int] = {"expired": 0, "end-of-life": 1, "expiring": 2, "ok": 3}


@dataclass(frozen=True)
class DueItem:
    """One thing with a date: a certificate in a store, or a catalog API key."""

    kind: Kind
    status: Status
    name: str
    sentence: str
    not_after: dt.datetime | None
    days_left: int | None
    counts: bool = True  # False: shown for information, not in the exit code
    target_id: str | None = None
    target_label: str | None = None
    item: CertificateItem | None = None
    catalog: dict[str, Any] | None = None
    has_private_key: bool = False

    def to_json(self) -> dict[str, Any]:
        certificate = None
        if self.item is not None:
            certificate = certificate_json(self.item, self.catalog)
            certificate["has_private_key"] = self.has_private_key
        return {
            "kind": self.kind,
            "status": self.status,
            "name": self.name,
            "sentence": self.sentence,
            "not_after": iso_z(self.not_after) if self.not_after is not None else None,
            "days_left": self.days_left,
            "counts": self.counts,
            "target": self.target_id,
            "target_label": self.target_label,
            "certificate": certificate,
            "catalog": self.catalog,
        }


@dataclass
class CheckReport:
    days: int
    at: dt.datetime
    items: list[DueItem] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)

    @property
    def due(self) -> list[DueItem]:
        """What needs attention (and counts), most urgent first."""
        return [i for i in self.items if i.counts and i.status != "ok"]

    @property
    def exit_code(self) -> int:
        statuses = {i.status for i in self.due}
        if statuses & {"expired", "end-of-life"}:
            return EXIT_EXPIRED
        if "expiring" in statuses:
            return EXIT_EXPIRING
        if self.problems:
            return EXIT_TARGET_FAILED
        return EXIT_OK

    def problem_sentences(self) -> list[str]:
        """One sentence per target that could not be read: which, and why."""
        return [f"{target} could not be checked: {message}"
                for target, message in self.problems.items()]

    def summary(self) -> str:
        due = self.due
        unread = ""
        if self.problems:
            count = len(self.problems)
            unread = (f" {count} target{'s' if count != 1 else ''} could not be read, so "
                      f"{'they were' if count != 1 else 'it was'} not checked.")
        if not due:
            if unread:
                return (f"Nothing expires within {self.days} days in the targets that could "
                        "be read." + unread)
            return f"Nothing expires within {self.days} days."
        expired = sum(1 for i in due if i.status in ("expired", "end-of-life"))
        soon = len(due) - expired
        parts = []
        if expired:
            parts.append(f"{expired} expired or at end of life")
        if soon:
            parts.append(f"{soon} expiring within {self.days} days")
        return "Needs attention: " + ", ".join(parts) + "." + unread

    def to_json(self) -> dict[str, Any]:
        return {
            "checked_at": iso_z(self.at),
            "days": self.days,
            "exit_code": self.exit_code,
            "summary": self.summary(),
            "items": [i.to_json() for i in self.items],
            "problems": [{"target": k, "message": v} for k, v in self.problems.items()],
            "notes": list(self.notes),
            "pending_requests": list(self.pending),
        }


def _status(not_after: dt.datetime, at: dt.datetime, days: int) -> tuple[Status, int]:
    left = (not_after - at).days
    if not_after < at:
        return "expired", left
    if not_after <= at + dt.timedelta(days=days):
        return "expiring", left
    return "ok", left


def _load_catalog() -> Catalog | None:
    try:
        from app.core.catalog import load_catalog

        return load_catalog()
    except (ImportError, GridCertError):
        return None


def _certificate_sentence(name: str, status: Status, day: str, left: int, where: str) -> str:
    if status == "expired":
        return f"{name} in {where} expired on {day}."
    if status == "expiring":
        when = "today" if left <= 0 else f"in {left} day{'s' if left != 1 else ''}"
        return f"{name} in {where} expires {when} ({day})."
    return f"{name} in {where} is valid until {day}."


def _entries(targets: Sequence[TrustStore], report: CheckReport) -> list[StoredCertificate]:
    from app.actions.inventory import list_certificates

    inventory = list_certificates(targets)
    report.problems.update(inventory.problems)
    return inventory.entries


def check(
    targets: Sequence[TrustStore],
    days: int = 30,
    at: dt.datetime | None = None,
    catalog: Catalog | None = None,
) -> CheckReport:
    """Everything that expires within `days` (or has expired) across `targets` + the catalog."""
    moment = utc(at) if at is not None else now_utc()
    report = CheckReport(days=days, at=moment)
    cat = catalog if catalog is not None else _load_catalog()
    entries = _entries(targets, report)
    identities = [e for e in entries if e.has_private_key and not e.item.is_ca]
    issuers = [e.item.certificate.issuer for e in identities]
    operators_in_use: set[str] = set()
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        item = entry.item
        match = cat.match(item) if cat is not None else None
        keyed = entry.has_private_key and not item.is_ca
        relevant = (
            keyed
            or match is not None
            or entry.target_id.startswith("bundle:")
            or (item.is_ca and any(names_match(item.certificate.subject, i) for i in issuers))
        )
        if not relevant or (entry.target_id, item.sha256) in seen:
            continue
        seen.add((entry.target_id, item.sha256))
        if match is not None:
            operators_in_use.add(match.entry.operator)
        label = next((s.label for s in targets if s.id == entry.target_id), entry.target_id)
        name = (f"Your certificate '{item.display_name}'" if keyed
                else (match.entry.title[0].upper() + match.entry.title[1:]) if match is not None
                else f"'{item.display_name}'")
        status, left = _status(item.not_after, moment, days)
        day = item.not_after.date().isoformat()
        sentence = _certificate_sentence(name, status, day, left, label)
        if match is not None and match.entry.status == "end-of-life" and status != "expired":
            status = "end-of-life"
            sentence = (f"{name} in {label} has reached its end of life; remove it once "
                        "nothing needs it, and replace certificates that chain to it.")
        if keyed and status in ("expired", "expiring"):
            sentence += (f" Renew it: the new .pfx from your operator, or "
                         f"'gridcert request --like {item.sha256}'.")
        report.items.append(DueItem(
            "certificate", status, name, sentence, item.not_after, left,
            target_id=entry.target_id, target_label=label, item=item,
            catalog=match.json() if match is not None else None, has_private_key=keyed,
        ))
    if cat is not None:
        # A person's certificate issued by an operator's CA (by name) puts that operator in use
        # even when the CA itself is not installed here.
        issuer_cns = {(common_name(i) or "").casefold() for i in issuers}
        for catalog_entry in cat.entries:
            if catalog_entry.subject_cn and catalog_entry.subject_cn.casefold() in issuer_cns:
                operators_in_use.add(catalog_entry.operator)
        _api_keys(cat, report, moment, days, operators_in_use)
    _pending(report, moment)
    report.items.sort(key=_order)
    _log_check(report, targets)
    return report


def _log_check(report: CheckReport, targets: Sequence[TrustStore]) -> None:
    """One log line: what was looked at and the verdict (the exit code's word)."""
    from app.core.logsetup import log_quietly

    code = report.exit_code
    outcome = ("expired" if code == EXIT_EXPIRED else "expiring" if code == EXIT_EXPIRING
               else "unreadable" if code == EXIT_TARGET_FAILED else "ok")
    due = report.due
    fields = {"days": str(report.days), "targets": ", ".join(t.id for t in targets) or "-",
              "due": str(len(due)), "exit_code": str(code)}
    if due:
        # The most urgent few, by fingerprint where there is a certificate.
        fields["first_due"] = "; ".join(
            f"{i.status} {i.item.sha256 if i.item is not None else i.name}" for i in due[:3])
    if report.problems:
        fields["problems"] = "; ".join(f"{t}: {m}" for t, m in report.problems.items())
    log_quietly("check", outcome, **fields)


def _order(item: DueItem) -> tuple[int, int, str]:
    left = item.days_left if item.days_left is not None else 1 << 30
    return (_SEVERITY[item.status], left, item.name)


def _series(entry: CatalogEntry) -> tuple[str, str, str]:
    return (entry.operator, entry.environment, entry.subject_cn or entry.id)


def _api_keys(cat: Catalog, report: CheckReport, at: dt.datetime, days: int,
              in_use: set[str]) -> None:
    """The newest key of each API-key series: due soon (counted where the operator is in
    use) or already past (the catalog is older than the operator's page: a note)."""
    newest: dict[tuple[str, str, str], CatalogEntry] = {}
    for entry in cat.entries:
        if entry.purpose != "api-signing-key" or entry.valid_to is None:
            continue
        key = _series(entry)
        current = newest.get(key)
        if current is None or (current.valid_to is not None and entry.valid_to > current.valid_to):
            newest[key] = entry
    installed = {i.catalog["id"] for i in report.items if i.catalog}
    for entry in newest.values():
        assert entry.valid_to is not None
        end = dt.datetime.combine(entry.valid_to, dt.time(23, 59, 59), tzinfo=dt.UTC)
        status, left = _status(end, at, days)
        title = entry.title[0].upper() + entry.title[1:]
        if status == "ok":
            continue
        if entry.id in installed:
            continue  # already reported where it is installed
        if status == "expired":
            # The catalog is older than the operator's page; worth a line only to someone
            # who uses that operator.
            if entry.operator in in_use:
                report.notes.append(
                    f"{title} expired on {entry.valid_to.isoformat()}; {entry.operator} "
                    f"publishes a new one every year — get it from {entry.download_url} and "
                    "install it into your API client's trust bundle or keystore."
                )
            continue
        report.items.append(DueItem(
            "api-key", status, title,
            f"{title} expires on {entry.valid_to.isoformat()}; {entry.operator} publishes its "
            f"successor about a month before (EWS keys each February/March) at "
            f"{entry.download_url} — install it into your API client's trust bundle or "
            "keystore before then.",
            end, left, counts=entry.operator in in_use,
            catalog={"id": entry.id, "name": entry.name, "operator": entry.operator,
                     "environment": entry.environment},
        ))


def _pending(report: CheckReport, at: dt.datetime) -> None:
    from app.actions.renew import list_pending

    for pending in list_pending():
        report.pending.append(pending.to_json())
        age = pending.age_days(at)
        if age >= 30:
            report.notes.append(
                f"The certificate request for {pending.subject} was made {age} days ago and "
                "has not been completed; ask your operator where it is."
            )
