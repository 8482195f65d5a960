"""The wizard's one door to app.actions and app.core, imported lazily.

Nothing heavy (cryptography, store adapters, the catalog) is imported before the first
page has been painted: every function here imports what it needs when it is called,
which is always inside a worker. Keeping the calls in one module also tells a reader at
a glance which use cases the GUI relies on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.actions.apply import ApplyReport, CancelToken
    from app.actions.inventory import Inventory
    from app.actions.plan import Plan
    from app.core.catalog import Catalog, CatalogMatch, TrustBadge
    from app.core.model import CertificateItem
    from app.core.reader import ReadResult
    from app.stores.base import TrustStore

Progress = Callable[[int, int, str], None]


def read_files(paths: Sequence[str], passwords: dict[str, str] | None = None) -> ReadResult:
    """Read the files in a child process: opening a .pfx holds the GIL long enough to
    freeze the window if done in a thread (see app/gui/readchild.py)."""
    from app.gui.readchild import read_in_child

    return read_in_child(paths, passwords)


def catalog() -> Catalog | None:
    """The catalog, or None while that part is missing or its data cannot be read."""
    try:
        from app.core.catalog import load_catalog
    except ImportError:
        return None
    try:
        return load_catalog()
    except Exception:
        import logging

        logging.getLogger("gridcert.gui").exception("catalog could not be loaded")
        return None


def catalog_match(cat: Catalog | None, item: CertificateItem) -> CatalogMatch | None:
    if cat is None:
        return None
    try:
        return cat.match(item)
    except Exception:
        return None


def catalog_trust(cat: Catalog | None, item: CertificateItem) -> TrustBadge | None:
    """`Catalog.trust`: pinned, name only, mismatch (an impostor) or unknown; None without
    a catalog."""
    if cat is None:
        return None
    try:
        return cat.trust(item)
    except Exception:
        return None


@dataclass
class TargetInfo:
    """One detected store as the Where page shows it."""

    store: TrustStore
    id: str
    label: str
    usable: bool
    reason: str | None
    busy: str | None
    notes: list[str] = field(default_factory=list)
    default: bool = False


def detect_targets() -> list[TargetInfo]:
    from app.actions.targets import default_targets, discover_targets
    from app.core.errors import GridCertError

    stores = discover_targets()
    defaults = {store.id for store in default_targets(stores)}
    infos: list[TargetInfo] = []
    for store in stores:
        try:
            availability = store.available()
            usable, reason = availability.usable, availability.reason
        except GridCertError as error:
            usable, reason = False, str(error)
        busy = store.busy_reason() if usable else None
        infos.append(TargetInfo(store, store.id, store.label, usable, reason, busy,
                                list(store.notes()), store.id in defaults and usable))
    return infos


def plan_install(items: Sequence[CertificateItem], stores: Sequence[TrustStore]) -> Plan:
    from app.actions.install import plan_install as plan

    return plan(items, stores)


def busy_reasons(stores: Sequence[TrustStore]) -> list[str]:
    """Why any of these places cannot be changed right now (a browser that must be
    closed first), looked at afresh each time: the person may have closed it since."""
    reasons: list[str] = []
    for store in stores:
        reason = store.busy_reason()
        if reason and reason not in reasons:
            reasons.append(reason)
    return reasons


def plan_remove(sha256s: Sequence[str], stores: Sequence[TrustStore]) -> Plan:
    from app.actions.install import plan_remove as plan

    return plan(sha256s, stores)


def lists_by_nickname(plan: Plan | None, target_id: str) -> bool:
    """Whether the browser behind this target names a personal certificate by its
    nickname (the .pfx's friendly name) when it asks which one to use: Firefox does;
    Chrome, Edge and Windows show the name it was issued to."""
    from app.stores.firefox import FirefoxProfileStore

    store = (getattr(plan, "targets", None) or {}).get(target_id)
    return isinstance(store, FirefoxProfileStore)


def new_cancel_token() -> CancelToken:
    from app.actions.install import CancelToken

    return CancelToken()


def set_owner_window(owner: int | None) -> None:
    """The wizard's main window (its native handle), which Windows' administrator-permission
    prompt is to belong to whenever a change is handed to an elevated run: without it the
    prompt may open behind the wizard. Called from a worker (it imports the actions)."""
    from app.actions.handover import set_owner_window as set_owner

    set_owner(owner)


def apply_plan(plan: Plan, progress: Progress | None, cancel: CancelToken | None) -> ApplyReport:
    from app.actions.install import apply_plan as apply

    return apply(plan, progress, cancel)


def backup_passphrase_missing(plan: Plan | None) -> str | None:
    """When `plan` removes a personal certificate (GridCert keeps an encrypted backup
    first) and no passphrase for that backup is at hand — no keyring, none typed in this
    run — the sentence saying so; None when the plan can go ahead."""
    keyed = any(
        step.kind == "remove" and (
            getattr(step.stored, "has_private_key", False)
            or getattr(step.item, "has_private_key", False))
        for step in getattr(plan, "steps", []))
    if not keyed:
        return None
    from app.actions.backup import backup_passphrase
    from app.core.errors import KeyringUnavailableError

    try:
        backup_passphrase()
    except KeyringUnavailableError as error:
        return str(error)
    return None


def use_backup_passphrase(passphrase: str) -> None:
    """The passphrase the person typed for backups, kept in memory for this run."""
    from app.actions.backup import backup_passphrase

    backup_passphrase(passphrase)


def undo_last(progress: Progress | None = None) -> ApplyReport:
    from app.actions.install import undo_last as undo

    return undo(progress)


def recover_interrupted() -> str | None:
    try:
        from app.actions.install import recover_interrupted as recover
    except ImportError:
        return None
    return recover()


def list_certificates(stores: Sequence[TrustStore]) -> Inventory:
    from app.actions.inventory import list_certificates as listing

    return listing(stores)


def log_file() -> str | None:
    """GridCert's log file (set up on first use), or None when logging is not available."""
    try:
        from app.core.logsetup import configure_logging
    except ImportError:
        return None
    return str(configure_logging())


def export_available() -> bool:
    """Whether the renew part's export action exists (else its button stays hidden)."""
    import importlib.util

    try:
        return importlib.util.find_spec("app.actions.export") is not None
    except (ImportError, ValueError):
        return False
