"""Renewing a certificate: by a certificate request (CSR), or with a new .pfx from the operator.

**Request → complete.** `make_request` makes a new key and a CSR (subject copied exactly from
the certificate being renewed, or typed). The key waits under `data_dir()/pending/` as an
encrypted PKCS#8 file (0600) beside a small JSON of public facts; its passphrase is generated
and kept in the keyring, or supplied by the person where no keyring works — never written in
clear. `complete` pairs an issued certificate (PEM, DER, or a PKCS#7 in any order) with its
pending key by comparing public keys, builds the chain, installs it (the same journalled
transaction as `install`) and/or exports it, and removes the pending key only when all of
that worked.

**A new .pfx received** (ERCOT: one a year). `replace_identity` installs the new identity
alongside the old one and verifies it (one transaction); only then is the old one removed,
in a second transaction whose journal first saves it to an encrypted backup. A crash between
the two leaves both; a crash inside the removal is rolled back from the backup — so the
old certificate is never lost: both, or old only, or new only after a completed removal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets as random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509

from app.actions.backup import backup_passphrase, list_backups
from app.actions.files import refuse_existing, write_file
from app.actions.secrets import delete_secret, keyring_available, load_secret, store_secret
from app.core.csr import (
    DEFAULT_KEY,
    KeyKind,
    build_csr,
    csr_like,
    csr_pem,
    generate_key,
    instructions,
    parse_subject,
)
from app.core.errors import (
    BadInputError,
    GridCertError,
    KeyringUnavailableError,
    PasswordRequiredError,
    RefusedError,
    TargetError,
)
from app.core.freshness import Freshness, compare_with_installed, same_holder
from app.core.logsetup import log_quietly
from app.core.model import CertificateItem, certificate_json, iso_z, now_utc, public_key_bytes
from app.core.names import names_match
from app.core.p12 import Profile, decrypt_private_key, encrypt_private_key
from app.core.passphrase import generate_passphrase
from app.core.paths import data_dir
from app.stores.base import TrustStore

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

    from app.actions.apply import ApplyReport, CancelToken, ProgressCallback
    from app.actions.export import ExportResult
    from app.actions.plan import Plan

NOT_OURS = "This certificate does not belong to any request made on this computer."

#: Test hook: `os._exit` between installing the new identity and removing the old one.
CRASH_BETWEEN_ENV = "GRIDCERT_TEST_CRASH_BETWEEN"


def pending_dir() -> Path:
    """`data_dir()/pending`, owner-only."""
    path = data_dir() / "pending"
    path.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)
    return path


def _spki_sha256(public_der: bytes) -> str:
    return hashlib.sha256(public_der).hexdigest()


def _secret_name(request_id: str) -> str:
    return f"pending-key:{request_id}"


@dataclass(frozen=True)
class PendingRequest:
    """A request made on this computer whose certificate has not come back yet."""

    id: str
    subject: str
    key_kind: str
    created: dt.datetime
    public_key_sha256: str
    csr_path: str | None = None
    like_sha256: str | None = None
    passphrase_in_keyring: bool = True

    @property
    def key_path(self) -> Path:
        return pending_dir() / f"{self.id}.key"

    @property
    def meta_path(self) -> Path:
        return pending_dir() / f"{self.id}.json"

    def age_days(self, moment: dt.datetime | None = None) -> int:
        return ((moment or now_utc()) - self.created).days

    def age_text(self, moment: dt.datetime | None = None) -> str:
        days = self.age_days(moment)
        if days <= 0:
            return "today"
        return f"{days} day{'s' if days != 1 else ''} ago"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "key": self.key_kind,
            "created": iso_z(self.created),
            "age_days": self.age_days(),
            "public_key_sha256": self.public_key_sha256,
            "csr": self.csr_path,
            "renews": self.like_sha256,
            "passphrase_in_keyring": self.passphrase_in_keyring,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PendingRequest:
        return cls(
            id=str(data["id"]),
            subject=str(data["subject"]),
            key_kind=str(data["key"]),
            created=dt.datetime.fromisoformat(str(data["created"]).replace("Z", "+00:00")),
            public_key_sha256=str(data["public_key_sha256"]),
            csr_path=data.get("csr"),
            like_sha256=data.get("renews"),
            passphrase_in_keyring=bool(data.get("passphrase_in_keyring", True)),
        )


@dataclass
class RequestResult:
    pending: PendingRequest
    csr: x509.CertificateSigningRequest
    csr_path: Path
    instructions: str

    def to_json(self) -> dict[str, Any]:
        return {
            "request": self.pending.to_json(),
            "csr_path": str(self.csr_path),
            "csr_pem": csr_pem(self.csr).decode("ascii"),
            "instructions": self.instructions,
        }


def _write_new(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Create `path` with `data` (never overwriting), flushed to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def make_request(
    subject: x509.Name | str | None = None,
    *,
    like: CertificateItem | None = None,
    key_kind: KeyKind = DEFAULT_KEY,
    out: str | os.PathLike[str],
    key_passphrase: str | None = None,
    overwrite: bool = True,
) -> RequestResult:
    """Make a key and a CSR; keep the key encrypted under the data folder; write the CSR.

    `like`: the certificate being renewed (its subject is copied exactly, its SAN and key
    usages carried over). Otherwise `subject` (a Name, or an RFC 4514 string). Without
    `key_passphrase` one is generated and kept in the keyring; no keyring →
    `KeyringUnavailableError` before anything is written. `overwrite=False` (the CLI): an
    existing `out` is refused before any key is made, and never replaced. One line in
    GridCert's log says which request was made and where the CSR went (or why not).
    """
    try:
        result = _make_request(subject, like=like, key_kind=key_kind, out=out,
                               key_passphrase=key_passphrase, overwrite=overwrite)
    except GridCertError as error:
        fields = {"csr": os.fspath(out), "key_kind": key_kind, "error": str(error)}
        if like is not None:
            fields["renews"] = like.sha256
        log_quietly("request", "failed", **fields)
        raise
    pending = result.pending
    fields = {"request": pending.id, "subject": pending.subject, "key_kind": pending.key_kind,
              "csr": str(result.csr_path)}
    if pending.like_sha256:
        fields["renews"] = pending.like_sha256
    log_quietly("request", "ok", **fields)
    return result


def _make_request(
    subject: x509.Name | str | None,
    *,
    like: CertificateItem | None,
    key_kind: KeyKind,
    out: str | os.PathLike[str],
    key_passphrase: str | None,
    overwrite: bool,
) -> RequestResult:
    if like is None and subject is None:
        raise BadInputError("Say whose certificate this is: a subject, or a certificate to renew.")
    name = parse_subject(subject) if isinstance(subject, str) else subject
    out_path = Path(out)
    if not out_path.parent.is_dir():
        raise BadInputError(
            f"The folder {out_path.parent} does not exist; choose where to save the request."
        )
    if not overwrite:
        refuse_existing(out_path)
    request_id = now_utc().strftime("%Y%m%dT%H%M%SZ") + "-" + random.token_hex(4)
    passphrase = key_passphrase
    in_keyring = False
    if not passphrase:
        if not keyring_available():
            raise KeyringUnavailableError(
                "No system keyring is available to keep the new key's passphrase; give one "
                "with --key-password-env (and keep it: it is needed to complete the request)."
            )
        passphrase = generate_passphrase()
        in_keyring = True
    key = generate_key(key_kind)
    if like is not None:
        request = csr_like(like.certificate, key)
    else:
        assert name is not None  # checked above
        request = build_csr(key, name)
    if in_keyring and not store_secret(_secret_name(request_id), passphrase):
        raise KeyringUnavailableError(
            "The system keyring is locked or refused to keep the new key's passphrase; unlock "
            "it, or give a passphrase with --key-password-env."
        )
    pending = PendingRequest(
        id=request_id,
        subject=request.subject.rfc4514_string(),
        key_kind=key_kind,
        created=now_utc().replace(microsecond=0),
        public_key_sha256=_spki_sha256(public_key_bytes(key.public_key())),
        csr_path=str(out_path.resolve()),
        like_sha256=like.sha256 if like is not None else None,
        passphrase_in_keyring=in_keyring,
    )
    try:
        pending_dir()
        _write_new(pending.key_path, encrypt_private_key(key, passphrase))
        _write_new(pending.meta_path, json.dumps(pending.to_json(), indent=2).encode("utf-8"))
        _write_csr(out_path, csr_pem(request), replace=overwrite)
    except BaseException:
        discard_pending(pending)
        raise
    return RequestResult(pending, request, out_path, instructions(request, str(out_path)))


def _write_csr(path: Path, data: bytes, *, replace: bool = True) -> None:
    """The CSR, atomically; 0644: it holds no secret and goes to the operator by e-mail."""
    write_file(path, data, mode=0o644, replace=replace)


def list_pending() -> list[PendingRequest]:
    """Every pending request, oldest first (a damaged record is skipped, not fatal)."""
    folder = data_dir() / "pending"
    if not folder.is_dir():
        return []
    found: list[PendingRequest] = []
    for meta in folder.glob("*.json"):
        try:
            pending = PendingRequest.from_json(json.loads(meta.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if pending.key_path.is_file():
            found.append(pending)
    return sorted(found, key=lambda p: (p.created, p.id))


def discard_pending(pending: PendingRequest) -> None:
    """Forget a pending request: its key file, its record and its keyring entry."""
    pending.key_path.unlink(missing_ok=True)
    pending.meta_path.unlink(missing_ok=True)
    if pending.passphrase_in_keyring:
        delete_secret(_secret_name(pending.id))


def load_pending_key(pending: PendingRequest, passphrase: str | None = None) -> PrivateKeyTypes:
    """Open the pending key with `passphrase`, else the one in the keyring."""
    secret = passphrase or (load_secret(_secret_name(pending.id))
                            if pending.passphrase_in_keyring else None)
    if not secret:
        if pending.passphrase_in_keyring:
            raise PasswordRequiredError(
                f"The passphrase of the request for {pending.subject} is kept in the system "
                "keyring, which cannot be read now; unlock it, or give the passphrase with "
                "--key-password-env."
            )
        raise PasswordRequiredError(
            f"The request for {pending.subject} needs its key's passphrase "
            "(--key-password-env)."
        )
    return decrypt_private_key(
        pending.key_path.read_bytes(), secret, f"of the request for {pending.subject}"
    )


# --- complete ----------------------------------------------------------------------------


@dataclass
class CompleteResult:
    leaf: CertificateItem
    chain: list[CertificateItem]
    pending: PendingRequest
    plan: Plan | None = None
    report: ApplyReport | None = None
    export: ExportResult | None = None
    pending_removed: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report is None or self.report.ok

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "certificate": certificate_json(self.leaf, None),
            "chain": [certificate_json(c, None) for c in self.chain],
            "request": self.pending.to_json(),
            "plan": self.plan.to_json() if self.plan is not None else None,
            "install": self.report.to_json() if self.report is not None else None,
            "export": self.export.to_json() if self.export is not None else None,
            "pending_removed": self.pending_removed,
            "notes": list(self.notes),
        }


def pair_issued(
    items: Sequence[CertificateItem], pending: Sequence[PendingRequest] | None = None
) -> tuple[CertificateItem, PendingRequest]:
    """The issued certificate among `items` whose public key is a pending request's."""
    requests = list(pending) if pending is not None else list_pending()
    by_key = {p.public_key_sha256: p for p in requests}
    matches = [
        (item, by_key[_spki_sha256(item.public_key_der)])
        for item in items
        if _spki_sha256(item.public_key_der) in by_key
    ]
    if not matches:
        names = ", ".join(sorted({f"'{i.display_name}'" for i in items if not i.is_ca})) or (
            "no personal certificate"
        )
        raise BadInputError(f"{NOT_OURS} (The file holds {names}.)")
    # The newest certificate for the key wins (an operator may have re-issued it).
    matches.sort(key=lambda pair: pair[0].not_after, reverse=True)
    return matches[0]


def _ca_pool(targets: Sequence[TrustStore]) -> list[CertificateItem]:
    pool: list[CertificateItem] = []
    for store in targets:
        with contextlib.suppress(GridCertError, OSError):
            if store.available().usable:
                pool.extend(e.item for e in store.list() if e.item.is_ca)
    return pool


def complete(
    issued: Sequence[str | os.PathLike[str]],
    *,
    install_to: Sequence[TrustStore] = (),
    export_to: str | os.PathLike[str] | None = None,
    export_password: str | None = None,
    profile: Profile = "modern",
    key_passphrase: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    overwrite: bool = True,
) -> CompleteResult:
    """Pair the issued certificate with its pending key, then install and/or export it.

    The pending key is removed only when everything asked for worked; with neither an
    install nor an export the pairing is only reported and the key stays pending.
    `overwrite=False` (the CLI): an existing `export_to` is refused before anything is
    installed, and never replaced. One line in GridCert's log says which certificate was
    completed, where it went and how it ended (install and export log their own lines too).
    """
    issued_names = ", ".join(os.fspath(i) for i in issued)
    try:
        outcome = _complete(issued, install_to=install_to, export_to=export_to,
                            export_password=export_password, profile=profile,
                            key_passphrase=key_passphrase, progress=progress, cancel=cancel,
                            overwrite=overwrite)
    except GridCertError as error:
        fields = {"issued": issued_names, "error": str(error)}
        if export_to is not None:
            fields["export"] = os.fspath(export_to)
        log_quietly("complete", "failed", **fields)
        raise
    fields = {"issued": issued_names, "request": outcome.pending.id,
              "sha256": outcome.leaf.sha256, "subject": outcome.leaf.subject,
              "installed_to": ", ".join(s.id for s in install_to) or "-",
              "export": str(outcome.export.path) if outcome.export is not None else "-"}
    if outcome.report is not None and not outcome.report.ok:
        fields["error"] = outcome.report.error or "the install failed"
        log_quietly("complete", "failed", **fields)
    else:
        fields["pending"] = "removed" if outcome.pending_removed else "kept"
        log_quietly("complete", "ok", **fields)
    return outcome


def _complete(
    issued: Sequence[str | os.PathLike[str]],
    *,
    install_to: Sequence[TrustStore],
    export_to: str | os.PathLike[str] | None,
    export_password: str | None,
    profile: Profile,
    key_passphrase: str | None,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    overwrite: bool,
) -> CompleteResult:
    from app.core.chain import find_chain
    from app.core.reader import read_paths

    if export_to is not None and not overwrite:
        refuse_existing(export_to)
    result = read_paths(list(issued))
    if not result.items:
        for problem in result.problems:
            raise problem.error
        raise BadInputError("The issued file holds no certificate.")
    leaf, pending = pair_issued(result.items)
    key = load_pending_key(pending, key_passphrase)
    leaf = CertificateItem(leaf.certificate, leaf.source, key, leaf.friendly_name,
                           leaf.container_id)
    if not leaf.matches_key(key):  # the record and the key file disagree: never guess
        raise BadInputError(f"The pending key of the request for {pending.subject} is damaged.")
    pool = [*result.items, *_ca_pool(install_to)]
    chain = list(find_chain(leaf, pool))[1:]
    outcome = CompleteResult(leaf, chain, pending)
    if not names_match(leaf.certificate.subject, parse_subject(pending.subject)):
        outcome.notes.append(
            f"The operator issued the certificate to {leaf.subject}, not to the requested "
            f"{pending.subject}."
        )
    if install_to:
        from app.actions.install import apply_plan, plan_install

        outcome.plan = plan_install([leaf, *chain], install_to)
        if outcome.plan.refused and not outcome.plan.active_steps:
            raise BadInputError(" ".join(outcome.plan.refused))
        outcome.report = apply_plan(outcome.plan, progress, cancel)
        if not outcome.report.ok:
            outcome.notes.append("The request stays pending, so you can try again.")
            return outcome
    if export_to is not None:
        from app.actions.export import write_export

        if not export_password:
            raise PasswordRequiredError("The exported .pfx needs a password (--password-env).")
        outcome.export = write_export(leaf, chain, export_to, export_password,
                                      profile=profile, source=str(leaf.source),
                                      overwrite=overwrite)
    if install_to or export_to is not None:
        discard_pending(pending)
        outcome.pending_removed = True
    else:
        outcome.notes.append(
            "Nothing was installed or exported, so the request stays pending; use --install "
            "and/or --export."
        )
    return outcome


# --- a new .pfx received -----------------------------------------------------------------


@dataclass
class ReplaceResult:
    new: CertificateItem
    old: list[CertificateItem]
    install: ApplyReport | None = None
    removal: ApplyReport | None = None
    backups: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.install is None or self.install.ok) and (
            self.removal is None or self.removal.ok)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "new": certificate_json(self.new, None),
            "old": [certificate_json(o, None) for o in self.old],
            "install": self.install.to_json() if self.install is not None else None,
            "removal": self.removal.to_json() if self.removal is not None else None,
            "backups": [str(p) for p in self.backups],
            "notes": list(self.notes),
        }


def find_replaced(new: CertificateItem, targets: Sequence[TrustStore]) -> list[CertificateItem]:
    """Older personal certificates in `targets` that `new` renews: same subject and issuer
    name, a key beside them, and an earlier expiry."""
    found: dict[str, CertificateItem] = {}
    for item in _personal_certificates(targets):
        if (not item.is_ca and item.sha256 != new.sha256
                and names_match(item.certificate.subject, new.certificate.subject)
                and names_match(item.certificate.issuer, new.certificate.issuer)
                and item.not_after < new.not_after):
            found.setdefault(item.sha256, item)
    return list(found.values())


def _personal_certificates(targets: Sequence[TrustStore]) -> Iterator[CertificateItem]:
    """Every certificate with its key beside it in the stores of `targets` that hold
    identities; a store that cannot be read now is skipped."""
    for store in targets:
        if not store.holds_identities:
            continue
        try:
            if not store.available().usable:
                continue
            entries = store.list()
        except GridCertError:
            continue
        yield from (entry.item for entry in entries if entry.has_private_key)


def installed_identities(
    new: CertificateItem, targets: Sequence[TrustStore]
) -> list[CertificateItem]:
    """The personal certificates (with their keys) of the same person as `new` — same
    subject or same key — in `targets`, each once; stores that cannot be read are skipped."""
    found: dict[str, CertificateItem] = {}
    for item in _personal_certificates(targets):
        if same_holder(item, new):
            found.setdefault(item.sha256, item)
    return list(found.values())


def new_identity(new_items: Sequence[CertificateItem]) -> CertificateItem:
    """The one personal certificate with its key in a new .pfx (BadInputError otherwise)."""
    keyed = [i for i in new_items if i.private_key is not None and not i.is_ca]
    if len({i.sha256 for i in keyed}) != 1:
        raise BadInputError(
            "The new certificate file must hold exactly one personal certificate with its "
            "private key (a .pfx as the operator sends it)."
        )
    return keyed[0]


def check_freshness(
    new_items: Sequence[CertificateItem], targets: Sequence[TrustStore]
) -> Freshness:
    """Is the new .pfx's certificate newer than the one installed in `targets`, equal,
    older, or expired? (`Freshness.acceptable`, `.sentence`: what the wizard shows before
    Renew goes on.)"""
    new = new_identity(new_items)
    return compare_with_installed(new, installed_identities(new, targets))


def install_new(
    items: Sequence[CertificateItem],
    targets: Sequence[TrustStore],
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> tuple[Plan, ApplyReport]:
    """Step 1 of an ERCOT-style renewal: the new identity goes in beside the old one."""
    from app.actions.install import apply_plan, plan_install

    plan = plan_install(items, targets)
    if plan.refused and not plan.active_steps and not plan.steps:
        raise BadInputError(" ".join(plan.refused))
    return plan, apply_plan(plan, progress, cancel)


def remove_old(
    old_sha256s: Sequence[str],
    targets: Sequence[TrustStore],
    passphrase: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> tuple[ApplyReport, list[Path]]:
    """Step 2: remove the old identities; each is saved to an encrypted backup first (by the
    journal of the removal), so `undo` or a crash recovery can put it back."""
    from app.actions.install import apply_plan, plan_remove

    backup_passphrase(passphrase)  # fail early, before anything changes, when there is none
    before = set(list_backups())
    plan = plan_remove(old_sha256s, targets)
    report = apply_plan(plan, progress, cancel)
    made = [p for p in list_backups() if p not in before]
    return report, made


def replace_identity(
    new_items: Sequence[CertificateItem],
    targets: Sequence[TrustStore],
    *,
    old_sha256s: Sequence[str] | None = None,
    remove: bool = True,
    backup_passphrase_text: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    allow_older: bool = False,
) -> ReplaceResult:
    """Install the new .pfx's identity beside the old one, verify, then remove the old one
    (backed up first). `old_sha256s` None → found by subject and issuer in `targets`.

    A file that is expired, or not newer than the certificate already installed for the
    same person, is refused (`RefusedError`, nothing changed) unless `allow_older`: the
    person said explicitly that this file is the one they want."""
    new = new_identity(new_items)
    if not targets:
        raise BadInputError("Choose at least one place to install the new certificate.")
    freshness = compare_with_installed(new, installed_identities(new, targets))
    if not freshness.acceptable and not allow_older:
        raise RefusedError(
            f"{freshness.sentence} Nothing was changed; to install it all the same, say "
            "that this is the file you want.")
    old = find_replaced(new, targets)
    if old_sha256s is not None:
        wanted = set(old_sha256s)
        old = [o for o in old if o.sha256 in wanted]
    if remove and old:
        # Without a passphrase for the backup the old one could not be removed safely: say so
        # before the new one goes in, not half-way.
        backup_passphrase(backup_passphrase_text)
    outcome = ReplaceResult(new, old)
    _plan, outcome.install = install_new(new_items, targets, progress, cancel)
    if not outcome.install.ok:
        outcome.notes.append("The old certificate was left as it was.")
        return outcome
    if not remove or not old:
        if not old:
            outcome.notes.append("No older certificate for the same person was found.")
        return outcome
    if cancel is not None and cancel.cancelled:
        outcome.notes.append("Cancelled: the new certificate is installed, the old one kept.")
        return outcome
    if os.environ.get(CRASH_BETWEEN_ENV) == "1":
        os._exit(71)  # test hook: a crash after the new one is in, before the old one goes
    outcome.removal, outcome.backups = remove_old(
        [o.sha256 for o in old], targets, backup_passphrase_text, progress, cancel)
    if not outcome.removal.ok:
        outcome.notes.append(
            "The new certificate is installed; the old one could not be removed and was kept"
            + (f": {outcome.removal.error}" if outcome.removal.error else ".")
        )
    elif outcome.backups:
        outcome.notes.append(
            "The old certificate was saved to an encrypted backup: "
            + ", ".join(str(p) for p in outcome.backups)
        )
    return outcome


def verify_installed(new: CertificateItem, targets: Sequence[TrustStore]) -> None:
    """Raise `TargetError` when a target that should hold `new` does not."""
    for store in targets:
        if store.holds_identities and not store.contains(new.sha256):
            raise TargetError(f"{store.label} does not show the new certificate.")
