"""Deciding what goes where: `plan_install` and `plan_remove` build a `Plan` of plain steps.

Nothing changes here: a plan is what `--dry-run` prints and the wizard's confirm page
shows. Roots go to trusted-root stores, intermediates to intermediate stores, a person's
certificate with its key (and its chain) to stores that hold identities. The catalog's
API signing keys never go into browser or OS root stores. Certificates are identified by
SHA-256 only; the same certificate given twice is installed once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from app.core.errors import GridCertError, UsageError
from app.core.freshness import compare_with_installed
from app.core.model import CertificateItem, certificate_json, now_utc
from app.stores.base import Identity, StoredCertificate, TrustStore

if TYPE_CHECKING:
    from app.core.catalog import Catalog, CatalogMatch, TrustBadge

StepKind = Literal["add-root", "add-intermediate", "import-identity", "remove"]

#: Target id prefixes of the places an API signing key may go (never a browser/OS store).
API_KEY_TARGET_PREFIXES = ("bundle:", "java:")

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Step:
    """One change to one store, in words a person understands."""

    kind: StepKind
    target_id: str
    target_label: str
    sha256: str
    title: str
    reason: str
    skip: bool = False
    # Payload for apply (not part of the JSON): what to add, or what is being removed.
    item: CertificateItem | None = field(default=None, compare=False, repr=False)
    identity: Identity | None = field(default=None, compare=False, repr=False)
    stored: StoredCertificate | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "target": self.target_id,
            "target_label": self.target_label,
            "sha256": self.sha256,
            "title": self.title,
            "reason": self.reason,
            "skip": self.skip,
        }


@dataclass
class Plan:
    """The ordered steps of one change, and what the person must know or accept first."""

    steps: list[Step] = field(default_factory=list)
    #: Need --yes / an explicit OK: end-of-life or test roots, expired or weak certificates.
    warnings: list[str] = field(default_factory=list)
    #: Good to know: Windows' root dialog, close Firefox, elevation, API keys kept apart.
    notes: list[str] = field(default_factory=list)
    #: What will not be done, and why.
    refused: list[str] = field(default_factory=list)
    #: "install" or "remove" (written to the journal).
    action: str = "install"
    #: The stores the steps use, by target id (not part of the JSON).
    targets: dict[str, TrustStore] = field(default_factory=dict, repr=False)
    #: The distinct certificates the plan is about, and their catalog objects by sha256.
    items: list[CertificateItem] = field(default_factory=list, repr=False)
    catalog: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def active_steps(self) -> list[Step]:
        return [step for step in self.steps if not step.skip]

    @property
    def nothing_to_do(self) -> bool:
        return not self.active_steps

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "steps": [step.to_json() for step in self.steps],
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "refused": list(self.refused),
            "certificates": [
                certificate_json(item, self.catalog.get(item.sha256)) for item in self.items
            ],
        }


# --- helpers -----------------------------------------------------------------------------


def _load_catalog() -> Catalog | None:
    try:
        from app.core.catalog import load_catalog
    except ImportError:  # the catalog module is optional for the engine
        return None
    return load_catalog()


def _match(catalog: Catalog | None, item: CertificateItem) -> CatalogMatch | None:
    return catalog.match(item) if catalog is not None else None


def _quoted(text: str) -> str:
    return f"‘{text}’"


def _name(item: CertificateItem, match: CatalogMatch | None) -> str:
    """'the ERCOT CA root' for catalog roots, else the certificate's own short name."""
    if match is not None:
        name = match.entry.name
        if match.entry.purpose in ("client-root", "device-root") and "root" not in name.lower():
            name += " root"
        return f"the {name}"
    return _quoted(item.display_name)


def _distinct_labels(items: Sequence[CertificateItem],
                     matches: dict[str, CatalogMatch | None]) -> dict[str, str]:
    """Each certificate's name for the plan, by SHA-256. Two certificates of one name
    (last year's root and this year's) get their end dates added, so that no two steps
    read the same."""
    names = {item.sha256: _name(item, matches.get(item.sha256)) for item in items}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    return {item.sha256: (f"{names[item.sha256]} (valid until {_day(item)})"
                          if counts[names[item.sha256]] > 1 else names[item.sha256])
            for item in items}


def _day(item: CertificateItem) -> str:
    return item.not_after.date().isoformat()


def dedupe(items: Sequence[CertificateItem]) -> list[CertificateItem]:
    """Each certificate once (by SHA-256), in first-seen order; a copy with a key wins."""
    chosen: dict[str, CertificateItem] = {}
    for item in items:
        known = chosen.get(item.sha256)
        if known is None or (known.private_key is None and item.private_key is not None):
            chosen[item.sha256] = item
    return list(chosen.values())


def normalize_sha256(text: str) -> str:
    """Lower-case hex without separators; anything else is a usage error."""
    cleaned = re.sub(r"[\s:]", "", text).lower()
    if not _HEX64.match(cleaned):
        raise UsageError(
            f"'{text}' is not a SHA-256 fingerprint (64 hexadecimal digits); "
            "'gridcert list' shows them."
        )
    return cleaned


class _Presence:
    """What each target already holds, read once per target while planning."""

    def __init__(self) -> None:
        self._known: dict[str, list[StoredCertificate] | None] = {}

    def entries(self, store: TrustStore) -> list[StoredCertificate]:
        if store.id not in self._known:
            try:
                usable = store.available().usable
                self._known[store.id] = list(store.list()) if usable else None
            except GridCertError:
                self._known[store.id] = None  # apply's pre-flight reports the store
        return self._known[store.id] or []

    def holds(self, store: TrustStore, sha256: str) -> bool:
        return any(entry.item.sha256 == sha256 for entry in self.entries(store))

    def identities(self, store: TrustStore) -> list[CertificateItem]:
        return [entry.item for entry in self.entries(store) if entry.has_private_key]


def _target_notes(plan: Plan, used: Sequence[TrustStore]) -> None:
    for store in used:
        try:
            availability = store.available()
        except GridCertError as error:
            plan.notes.append(f"{store.label}: {error}")
            continue
        if not availability.usable:
            plan.notes.append(
                f"{store.label} cannot be used: {availability.reason or 'not available'}"
            )
            continue
        busy = store.busy_reason()
        if busy:
            plan.notes.append(busy)
        for note in store.notes():
            if note not in plan.notes:
                plan.notes.append(note)


# --- install -----------------------------------------------------------------------------


def _warnings_for(item: CertificateItem, match: CatalogMatch | None,
                  badge: TrustBadge | None = None) -> list[str]:
    out: list[str] = []
    name = _name(item, match)
    if badge is not None and badge.level == "mismatch" and badge.entry is not None:
        # It borrows an operator's name but contradicts what the operator states: the
        # person must read why before it goes anywhere (an impostor or a wrong file).
        out.append(f"{_quoted(item.display_name)}: {badge.sentence} "
                   f"{badge.entry.operator}'s page: {badge.link}")
    if match is not None:
        entry = match.entry
        if entry.status == "end-of-life" or entry.end_of_life is not None:
            when = f" on {entry.end_of_life.isoformat()}" if entry.end_of_life else ""
            out.append(
                f"{name[0].upper()}{name[1:]} reached its end of life{when}; "
                "install it only if something still needs it."
            )
        elif entry.status == "expired":
            out.append(f"{name[0].upper()}{name[1:]} is marked expired by its operator.")
        if entry.environment == "test":
            out.append(
                f"{name[0].upper()}{name[1:]} is for {entry.operator}'s test environment; "
                "install it only if you work with the test system."
            )
    if item.days_left() < 0:
        out.append(f"{_quoted(item.display_name)} expired on {_day(item)}.")
    elif item.not_before > now_utc():
        out.append(
            f"{_quoted(item.display_name)} is not valid before "
            f"{item.not_before.date().isoformat()}."
        )
    if item.weak_signature:
        out.append(
            f"{_quoted(item.display_name)} is signed with {(item.signature_hash or '').upper()}, "
            "which is no longer considered safe."
        )
    if item.weak_key:
        out.append(f"{_quoted(item.display_name)} has a short key ({item.key_description}).")
    return out


def plan_install(items: Sequence[CertificateItem], targets: Sequence[TrustStore]) -> Plan:
    """The steps that put `items` into `targets`. Raises `PinMismatchError` when a
    certificate claims a catalog name but has a different pinned fingerprint."""
    plan = Plan(action="install")
    catalog = _load_catalog()
    distinct = dedupe(items)
    plan.items = distinct
    matches: dict[str, CatalogMatch | None] = {}
    badges: dict[str, TrustBadge] = {}
    for item in distinct:
        if catalog is not None:
            catalog.check_pin(item)
            badges[item.sha256] = catalog.trust(item)
        match = _match(catalog, item)
        matches[item.sha256] = match
        if match is not None:
            plan.catalog[item.sha256] = match.json()
    for store in targets:
        plan.targets.setdefault(store.id, store)
    stores = list(plan.targets.values())
    presence = _Presence()
    used: dict[str, TrustStore] = {}
    roots: list[Step] = []
    intermediates: list[Step] = []
    identities: list[Step] = []
    warned: set[str] = set()
    stale: set[str] = set()

    def add(bucket: list[Step], kind: StepKind, item: CertificateItem, store: TrustStore,
            title: str, reason: str, identity: Identity | None = None) -> None:
        present = presence.holds(store, item.sha256)
        if present:
            reason = "already there; nothing to do"
        elif identity is None and (elsewhere := _already_present_reason(store, item)):
            # Windows already trusts it for every user (LocalMachine, Group Policy): adding
            # it again would only bring up a second Security Warning.
            present, reason = True, elsewhere
        bucket.append(Step(kind, store.id, store.label, item.sha256, title, reason,
                           skip=present, item=item, identity=identity))
        used[store.id] = store
        if not present and item.sha256 not in warned:
            warned.add(item.sha256)
            plan.warnings.extend(_warnings_for(item, matches[item.sha256],
                                               badges.get(item.sha256)))
        if not present and identity is not None and item.sha256 not in stale:
            freshness = compare_with_installed(item, presence.identities(store))
            if freshness.verdict in ("older", "equal"):
                # Re-installing last year's .pfx after a renewal: the browser would offer
                # both, and the older one fails at the operator's site.
                stale.add(item.sha256)
                plan.warnings.append(
                    f"{_quoted(item.display_name)} in {store.label}: {freshness.sentence}")

    labels = _distinct_labels(distinct, matches)
    for item in distinct:
        match = matches[item.sha256]
        label = labels[item.sha256]
        if match is not None and not match.entry.browser_trust:
            # ERCOT's API public keys verify signed API responses; a browser or OS store
            # would trust them for TLS, which is wrong and dangerous.
            api_stores = [s for s in stores if s.id.startswith(API_KEY_TARGET_PREFIXES)]
            skipped = [s.label for s in stores if s not in api_stores]
            why = ("API public keys verify the operator's signed API responses; they belong "
                   "in an API client's trust bundle or Java keystore, never in a browser or "
                   "system root store")
            if skipped:
                plan.notes.append(f"{label[0].upper()}{label[1:]} was not planned for "
                                  f"{', '.join(skipped)}: {why}.")
            if not api_stores:
                plan.refused.append(f"{label[0].upper()}{label[1:]} needs a trust bundle "
                                    f"(bundle:FILE) or a Java keystore (java:FILE) target: {why}.")
            for store in api_stores:
                add(roots, "add-root", item, store,
                    f"Add {label} to {store.label}", f"{why}.")
            continue
        if item.private_key is not None and not item.is_ca:
            chain = tuple(c for c in _chain(item, distinct) if c.sha256 != item.sha256)
            identity = Identity(leaf=item, chain=chain, friendly_name=item.friendly_name)
            id_stores = [s for s in stores if s.holds_identities and _identities_wanted(s)]
            for store in stores:
                if store.holds_identities and not _identities_wanted(store):
                    plan.notes.append(
                        f"Your certificate {_quoted(item.display_name)} was not planned for "
                        f"{store.label}: {_audience(store)}; name it with '--target "
                        f"{store.id}' to put it there all the same.")
            if not id_stores:
                plan.refused.append(
                    f"{_quoted(item.display_name)} (your certificate with its private key) "
                    "needs a store that holds personal certificates, and none of the chosen "
                    "targets does."
                )
            for store in id_stores:
                audience = _audience(store)
                add(identities, "import-identity", item, store,
                    f"Import your certificate {_quoted(item.display_name)} with its private "
                    f"key into {store.label}",
                    f"you asked for it there; {audience}" if audience else
                    "your certificate and its key are what sign you in to the operator's "
                    "systems", identity)
            continue
        if not item.is_ca:
            if item.is_self_signed:
                plan.refused.append(
                    f"{_quoted(item.display_name)} is not a certificate authority (its basic "
                    "constraints do not allow it to issue certificates), so it cannot be "
                    "trusted as a root; it can only be an end-entity certificate."
                )
            else:
                plan.refused.append(
                    f"{_quoted(item.display_name)} is someone's certificate without its "
                    "private key; there is nothing to install."
                )
            continue
        ca_stores = [s for s in stores if s.holds_roots]
        if not ca_stores:
            plan.refused.append(
                f"{label[0].upper()}{label[1:]} is a CA certificate, and none of the chosen "
                "targets holds CA certificates."
            )
        for store in ca_stores:
            if item.role == "root":
                what = label if match is not None else f"the root {label}"
                add(roots, "add-root", item, store, f"Add {what} to {store.label}",
                    # The label starts with a capital ("This computer (...)"), and the
                    # title already names the place: the reason need not repeat it.
                    "once the root is trusted there, the certificates issued under it "
                    "are accepted")
            else:
                add(intermediates, "add-intermediate", item, store,
                    f"Add the intermediate certificate {label} to {store.label}",
                    "it links certificates to their root, so the chain can be checked")
    # Roots before intermediates before identities: a store never holds a certificate
    # whose issuer it lacks, and a rollback (in reverse) removes identities first.
    plan.steps = roots + intermediates + identities
    _target_notes(plan, [s for s in used.values() if any(
        st.target_id == s.id and not st.skip for st in plan.steps)])
    return plan


def _identities_wanted(store: TrustStore) -> bool:
    """False for a store that takes personal certificates only when named (windows-machine
    found here rather than asked for: its keys serve administrators and services only)."""
    return bool(getattr(store, "identities_wanted", True))


def _audience(store: TrustStore) -> str | None:
    """Who can use a personal certificate in `store`, when the store says it is not you."""
    probe = getattr(store, "identity_audience", None)
    text = probe() if callable(probe) else None
    return str(text) if text else None


def _already_present_reason(store: TrustStore, item: CertificateItem) -> str | None:
    """A store's own reason why `item` needs no step there although its list lacks it
    (Windows: already trusted for all users of this computer)."""
    probe = getattr(store, "already_present_reason", None)
    if not callable(probe):
        return None
    try:
        reason = probe(item)
    except GridCertError:
        return None  # apply's pre-flight reports a store that cannot be read
    return str(reason) if reason else None


def _chain(leaf: CertificateItem, pool: Sequence[CertificateItem]) -> tuple[CertificateItem, ...]:
    try:
        from app.core.chain import find_chain
    except ImportError:
        return ()
    return find_chain(leaf, pool)


# --- remove ------------------------------------------------------------------------------


def plan_remove(sha256s: Sequence[str], targets: Sequence[TrustStore]) -> Plan:
    """The steps that remove the certificates with these fingerprints from `targets`."""
    plan = Plan(action="remove")
    wanted = list(dict.fromkeys(normalize_sha256(text) for text in sha256s))
    found: set[str] = set()
    catalog = _load_catalog()
    items: dict[str, CertificateItem] = {}
    used: list[TrustStore] = []
    for store in targets:
        plan.targets.setdefault(store.id, store)
        try:
            availability = store.available()
            if not availability.usable:
                plan.notes.append(
                    f"{store.label} cannot be used: {availability.reason or 'not available'}"
                )
                continue
            entries = store.list()
        except GridCertError as error:
            plan.notes.append(f"{store.label} could not be read: {error}")
            continue
        for entry in entries:
            sha = entry.item.sha256
            if sha not in wanted:
                continue
            found.add(sha)
            items.setdefault(sha, entry.item)
            match = _match(catalog, entry.item)
            if match is not None:
                plan.catalog[sha] = match.json()
            keyed = entry.has_private_key
            what = (f"your certificate {_quoted(entry.item.display_name)} and its private key"
                    if keyed else _name(entry.item, match))
            plan.steps.append(Step(
                "remove", store.id, store.label, sha, f"Remove {what} from {store.label}",
                "you asked to remove it; a copy is kept so that 'undo' can put it back",
                item=entry.item, stored=entry))
            if store not in used:
                used.append(store)
    for sha in wanted:
        if sha not in found:
            plan.refused.append(
                f"No certificate with SHA-256 {sha[:16]}… is in the chosen stores."
            )
    plan.items = list(items.values())
    # Identities first, then intermediates, then roots: the reverse of installing.
    order = {"end-entity": 0, "intermediate": 1, "root": 2}
    plan.steps.sort(key=lambda s: order[s.item.role] if s.item is not None else 0)
    _target_notes(plan, used)
    return plan
