"""The Windows certificate stores (`windows-user`, `windows-machine`) through crypt32.

The decisions live here; the API calls live in `_win32` (a thin ctypes layer that this
class receives as `api`, so the logic is tested on Linux against an in-memory fake):

* which system store a certificate goes to: roots → `Root`, intermediates → `CA`, a
  personal certificate with its key → `My` (a test can map every role to its own store);
* matching by SHA-256 computed from each certificate's DER, never by serial or name;
* a personal certificate is imported through `PFXImportCertStore` with an exportable,
  persisted key (never `PKCS12_NO_PERSIST_KEY`), and removing it deletes its private key
  only when no other certificate in the target still points at the same key;
* Windows error codes become sentences (5 → administrator rights, a declined dialog →
  `CancelledError`, a non-exportable key → ask the operator for a new certificate).

Adding to CurrentUser\\Root makes Windows show its own "Security Warning" dialog, which
cannot and must not be bypassed: `notes()` says so before it appears. Without a desktop
(a service, SYSTEM, a remote session) that dialog cannot appear and the add fails at once
with the same code as a "No": `interactive_desktop()` tells the two apart. The machine
stores need elevation: `needs_elevation()` tells the caller to re-run GridCert through
`relaunch_elevated()` (UAC) with the plan, instead of failing on "access denied".

A CA certificate that Windows already trusts for every user (anywhere in the LocalMachine
system store: its own, the third-party roots of AuthRoot, smart-card roots, or pushed by
Group Policy / Active Directory) is not added again: `already_present_reason()` lets the
planner say so, and adds use CERT_STORE_ADD_USE_EXISTING (REPLACE_EXISTING is refused with
"access denied" for a policy-pushed root). Listing and removal read only the user's own
registry store, so a policy root is never offered for removal.

A personal certificate goes into LocalMachine\\My only when asked for by name
(`--target windows-machine`): its key is then usable by administrators and services only,
and Chrome and Edge choose client certificates from CurrentUser\\My.
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import secrets
from collections.abc import Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any, Literal, Protocol

from cryptography import x509

from app.core.chain import find_chain
from app.core.errors import (
    BadInputError,
    CancelledError,
    GridCertError,
    NotExportableError,
    TargetError,
    WrongPasswordError,
)
from app.core.model import CertificateItem, Role
from app.core.p12 import read_pkcs12, write_pkcs12
from app.stores import _win32
from app.stores._win32 import CertEntry, KeyProvInfo, WinApiError, WindowsOnlyError
from app.stores.base import (
    Availability,
    ExportProfile,
    Identity,
    StoredCertificate,
    TrustStore,
)

Scope = Literal["user", "machine"]

#: The system store each role goes to (Microsoft's names).
DEFAULT_STORE_NAMES: Mapping[Role, str] = {
    "root": "Root",
    "intermediate": "CA",
    "end-entity": "My",
}

LABELS: Mapping[Scope, str] = {
    "user": "Windows (this user)",
    "machine": "Windows (all users of this computer)",
}

_LOCATIONS: Mapping[Scope, int] = {
    "user": _win32.CERT_SYSTEM_STORE_CURRENT_USER,
    "machine": _win32.CERT_SYSTEM_STORE_LOCAL_MACHINE,
}

# Where a CA certificate can already be, for every user, without being in this scope's own
# registry store. "System Store Locations" (learn.microsoft.com/windows/win32/seccrypto/
# system-store-locations) lists each system store's physical stores: LocalMachine\Root
# merges .Default, .AuthRoot (third-party roots), .GroupPolicy, .Enterprise and .SmartCard;
# LocalMachine\CA .Default, .GroupPolicy and .Enterprise; CurrentUser\Root merges
# .Default, .LocalMachine and .SmartCard (no .GroupPolicy); CurrentUser\CA .Default,
# .GroupPolicy and .LocalMachine. So: the policy locations are read first, for the wording
# "set by your organisation"; then the LocalMachine system store through the system
# provider (read-only), which merges every LocalMachine physical store, for the rest.
_ALL_USERS = "for all users of this computer"
_BY_POLICY = "for all users of this computer (set by your organisation)"
_FOR_YOU_BY_POLICY = "for you by your organisation"
_POLICY_LOCATIONS: Mapping[Scope, tuple[tuple[int, str], ...]] = {
    "user": (
        (_win32.CERT_SYSTEM_STORE_LOCAL_MACHINE_GROUP_POLICY, _BY_POLICY),
        (_win32.CERT_SYSTEM_STORE_LOCAL_MACHINE_ENTERPRISE, _BY_POLICY),
        (_win32.CERT_SYSTEM_STORE_CURRENT_USER_GROUP_POLICY, _FOR_YOU_BY_POLICY),
    ),
    "machine": (
        (_win32.CERT_SYSTEM_STORE_LOCAL_MACHINE_GROUP_POLICY, _BY_POLICY),
        (_win32.CERT_SYSTEM_STORE_LOCAL_MACHINE_ENTERPRISE, _BY_POLICY),
    ),
}
# The system stores without a .GroupPolicy physical store at CurrentUser (the user's policy
# store is not part of them).
_NO_USER_POLICY = {"root", "my"}

_ACCESS_DENIED = {_win32.ERROR_ACCESS_DENIED, _win32.E_ACCESSDENIED}
_CANCELLED = {
    _win32.ERROR_CANCELLED,
    _win32.HRESULT_ERROR_CANCELLED,
    _win32.SCARD_W_CANCELLED_BY_USER,
}
_WRONG_PASSWORD = {_win32.ERROR_INVALID_PASSWORD, _win32.HRESULT_INVALID_PASSWORD}
_NO_STORE = {_win32.ERROR_FILE_NOT_FOUND, _win32.ERROR_PATH_NOT_FOUND}
# What PFXExportCertStoreEx reports for a key that was imported as not exportable (CSP:
# NTE_BAD_KEY_STATE / NTE_BAD_KEY, CNG: NTE_PERM / NTE_NOT_SUPPORTED).
_NOT_EXPORTABLE = {
    _win32.NTE_BAD_KEY_STATE,
    _win32.NTE_BAD_KEY,
    _win32.NTE_PERM,
    _win32.NTE_NOT_SUPPORTED,
}
# The key is already gone: deleting it again is not a failure.
_KEY_GONE = {_win32.NTE_BAD_KEYSET, _win32.NTE_NO_KEY, 0x80090011}  # 0x80090011: NTE_NOT_FOUND
_NO_DESKTOP = (
    "Windows must ask you to confirm each new root certificate for this user, and this "
    "session has no desktop to show that question on (a service, a scheduled task or a "
    "remote session); run GridCert in your own Windows session, or install for all users "
    "of this computer instead (the installer with /ALLUSERS, or 'gridcert install --target "
    "windows-machine' as administrator)."
)

_NO_DESKTOP_TO_REMOVE = (
    "Windows must ask you to confirm removing a root certificate for this user, and this "
    "session has no desktop to show that question on (a service, a scheduled task or a "
    "remote session); run GridCert in your own Windows session."
)

_MACHINE_IDENTITY_AUDIENCE = (
    "there, only administrators and services of this computer can use its private key, and "
    "Chrome and Edge do not offer it: they choose your certificate from Windows (this user)"
)

_NEW_CERTIFICATE = (
    "ask your operator (ERCOT or CAISO) for a new certificate for the other computer, "
    "or export it from the original .pfx file if you still have it."
)


class Win32Api(Protocol):
    """The functions of `_win32` that the store uses (a fake implements them in tests)."""

    def available(self) -> bool: ...
    def open_store(self, location: int, name: str, *, read_only: bool = False,
                   registry_only: bool = False) -> int: ...
    def close_store(self, store: int) -> None: ...
    def enum_certificates(self, store: int) -> list[CertEntry]: ...
    def add_encoded_certificate(self, store: int, der: bytes, *,
                                disposition: int = ...) -> None: ...
    def pfx_import(self, pfx: bytes, password: str, flags: int) -> int: ...
    def copy_certificate(self, source: int, sha1: bytes, destination: int, *,
                         disposition: int = ...) -> None: ...
    def delete_certificate(self, store: int, sha1: bytes) -> bool: ...
    def delete_cng_key(self, provider: str, container: str, machine: bool) -> None: ...
    def delete_csp_key(self, provider: str, container: str, provider_type: int,
                       machine: bool) -> None: ...
    def pfx_export(self, store: int, sha1: bytes, chain_der: Sequence[bytes],
                   password: str) -> bytes: ...
    def is_admin(self) -> bool: ...
    def interactive_desktop(self) -> bool: ...
    def run_elevated(self, argv: Sequence[str], *, owner: int | None = None) -> int: ...


def sha1_of(der: bytes) -> bytes:
    """The Windows thumbprint (SHA-1 of the DER) — used only to address a context."""
    return hashlib.sha1(der, usedforsecurity=False).digest()


def sha256_of(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def key_identity(key: KeyProvInfo) -> tuple[str, str, int, bool]:
    """What makes two certificates point at the *same* private key."""
    machine = bool(key.flags & _win32.CRYPT_MACHINE_KEYSET)
    return (key.provider.lower(), key.container, key.provider_type, machine)


def relaunch_elevated(argv: Sequence[str], api: Win32Api | ModuleType = _win32, *,
                      owner: int | None = None) -> int:
    """Run `argv` (normally `gridcert ...` with the plan handed over) with administrator
    rights through UAC, wait for it and return its exit code. `owner`: the window handle
    of the wizard, so that the UAC prompt belongs to it."""
    try:
        return api.run_elevated(argv, owner=owner)
    except WinApiError as error:
        if error.code in _CANCELLED:
            raise CancelledError(
                "You declined Windows' request for administrator rights, so nothing was "
                "changed for all users of this computer."
            ) from error
        raise TargetError(
            f"Could not start GridCert with administrator rights: Windows said "
            f"\"{error.text}\"."
        ) from error


class WindowsStore(TrustStore):
    """The CurrentUser or LocalMachine system stores (Root, CA, My) of this computer."""

    holds_identities = True
    holds_roots = True

    def __init__(
        self,
        scope: Scope = "user",
        store_names: Mapping[Role, str] | None = None,
        api: Win32Api | ModuleType | None = None,
        *,
        explicit: bool = False,
    ) -> None:
        if scope not in _LOCATIONS:
            raise ValueError(f"unknown Windows store scope {scope!r}")
        self.scope: Scope = scope
        self.id = f"windows-{scope}"
        self.label = LABELS[scope]
        self._names: dict[Role, str] = {**DEFAULT_STORE_NAMES, **(store_names or {})}
        self._api: Any = api if api is not None else _win32
        self._location = _LOCATIONS[scope]
        #: Whether the planner may put personal certificates here: always for the user's
        #: own store; for the machine's only when it was named (`--target windows-machine`).
        self.identities_wanted = scope == "user" or explicit
        # Certificates this object tried to add and that Windows refused before anything
        # changed: undoing that step must not fail on (or ask about) what is not there.
        self._refused: set[str] = set()

    # --- decisions ---------------------------------------------------------------------
    def store_for(self, role: Role) -> str:
        """The system store a certificate of this role belongs in."""
        return self._names[role]

    def store_names(self) -> builtins.list[str]:
        """Every store this target uses, each once, in Root, CA, My order."""
        seen: builtins.list[str] = []
        roles: tuple[Role, ...] = ("root", "intermediate", "end-entity")
        for role in roles:
            name = self._names[role]
            if name not in seen:
                seen.append(name)
        return seen

    def _root_dialog_expected(self) -> bool:
        return self.scope == "user" and self._names["root"].lower() == "root"

    def _has_desktop(self) -> bool:
        """Whether Windows can show its dialogs to someone here (unknown counts as yes:
        never blame a missing desktop without evidence)."""
        probe = getattr(self._api, "interactive_desktop", None)
        if not callable(probe) or not self._api.available():
            return True
        try:
            return bool(probe())
        except (WinApiError, WindowsOnlyError, OSError):
            return True

    def identity_audience(self) -> str | None:
        """Who can use a personal certificate put here, when that is not simply "you"."""
        return _MACHINE_IDENTITY_AUDIENCE if self.scope == "machine" else None

    def already_present_reason(self, item: CertificateItem) -> str | None:
        """Why a CA certificate needs no step here: Windows already has it for every user
        of this computer (LocalMachine, or pushed by Group Policy / Active Directory).
        None when it must be added (or is not a CA certificate)."""
        if not item.is_ca:
            return None
        where = self._held_elsewhere(item.sha256, "root" if item.role == "root"
                                     else "intermediate")
        if where is None:
            return None
        trusted = "trusted" if item.role == "root" else "there"
        return f"already {trusted} {where}; nothing to do"

    def _held_elsewhere(self, sha256: str, role: Role) -> str | None:
        return self._elsewhere_index(role).get(sha256)

    def _elsewhere_index(self, role: Role) -> dict[str, str]:
        """SHA-256 → who put it there, for what Windows already has in this role's system
        store for every user (or by policy), outside this scope's own registry store."""
        name = self._names[role]
        found: dict[str, str] = {}
        for location, who in _POLICY_LOCATIONS[self.scope]:
            if location == _win32.CERT_SYSTEM_STORE_CURRENT_USER_GROUP_POLICY \
                    and name.lower() in _NO_USER_POLICY:
                continue
            self._index(found, name, who, location=location)
        # Everything LocalMachine's system store merges (.Default, .AuthRoot, .SmartCard and
        # the policy stores already read): what this computer trusts for all users.
        self._index(found, name, _ALL_USERS, location=_win32.CERT_SYSTEM_STORE_LOCAL_MACHINE,
                    registry_only=False)
        if self.scope == "machine":
            # That is this scope's own system store: its own registry store is not "else".
            try:
                own = {sha256_of(entry.der) for entry in self._entries(name)}
            except GridCertError:
                own = set()
            found = {sha: who for sha, who in found.items()
                     if sha not in own or who != _ALL_USERS}
        return found

    def _index(self, found: dict[str, str], name: str, who: str, *, location: int,
               registry_only: bool = True) -> None:
        try:
            entries = self._entries(name, location=location, registry_only=registry_only)
        except GridCertError:
            return  # a store we cannot read just is not counted
        for entry in entries:
            found.setdefault(sha256_of(entry.der), who)

    def needs_elevation(self) -> bool:
        """True when changes here need a second, elevated run of GridCert (UAC)."""
        if self.scope != "machine" or not self._api.available():
            return False
        return not self._api.is_admin()

    # --- protocol ----------------------------------------------------------------------
    def available(self) -> Availability:
        if not self._api.available():
            return Availability(False, "The Windows certificate stores exist only on Windows.")
        return Availability(True)

    def notes(self) -> builtins.list[str]:
        notes: builtins.list[str] = []
        if self._root_dialog_expected():
            if self._has_desktop():
                notes.append(
                    "Windows will show its own \"Security Warning\" for each new root "
                    "certificate (and asks again to remove one); choose Yes to go ahead."
                )
            else:
                notes.append(f"New root certificates cannot be added here: {_NO_DESKTOP}")
        if self.needs_elevation():
            notes.append(
                "Changing the certificates of all users of this computer needs administrator "
                "rights; Windows will ask for permission."
            )
        return notes

    def list(self) -> builtins.list[StoredCertificate]:
        found: builtins.list[StoredCertificate] = []
        for name in self.store_names():
            for entry in self._entries(name):
                item = self._item(entry, name)
                if item is None:
                    continue
                found.append(
                    StoredCertificate(
                        item=item,
                        target_id=self.id,
                        location=name,
                        trusted=name == self._names["root"],
                        extra={"sha1": sha1_of(entry.der).hex()},
                        key_in_store=entry.key is not None,
                    )
                )
        return found

    def contains(self, sha256: str) -> bool:
        wanted = sha256.lower()
        return any(
            sha256_of(entry.der) == wanted
            for name in self.store_names()
            for entry in self._entries(name)
        )

    def add_anchor(self, item: CertificateItem) -> None:
        self._add_to(self._names["root"], [item])

    def add_intermediate(self, item: CertificateItem) -> None:
        self._add_to(self._names["intermediate"], [item])

    def add_many(self, items: Sequence[CertificateItem]) -> None:
        """Add CA certificates, opening each store once."""
        by_store: dict[str, builtins.list[CertificateItem]] = {}
        for item in items:
            role: Role = "root" if item.role == "root" else "intermediate"
            by_store.setdefault(self._names[role], []).append(item)
        groups = list(by_store.items())
        for index, (name, group) in enumerate(groups):
            try:
                self._add_to(name, group)  # marks its own failed and untried items
            except GridCertError:
                # The groups never reached changed nothing either.
                self._refused.update(item.sha256 for _, later in groups[index + 1:]
                                     for item in later)
                raise

    def import_identity(self, identity: Identity) -> None:
        """PFXImportCertStore → leaf into My, intermediates into CA, roots into Root.

        Intermediates and roots already present (here, or for all users of this computer)
        are left alone: no second root dialog, no "access denied" on a policy root.
        If anything fails, what this call added is taken out again, including the key
        that PFXImportCertStore persisted.
        """
        leaf = identity.leaf
        everything = [leaf.sha256, *(c.sha256 for c in identity.chain)]
        try:
            mine = self._find(leaf.sha256, names=[self._names["end-entity"]])
        except GridCertError:
            self._refused.update(everything)  # not even readable: nothing was changed
            raise
        if mine is not None and mine[1].key is not None:
            return  # already installed with its key: a no-op
        # The PKCS#12 is made in memory with a throwaway password and handed straight to
        # crypt32: it never touches the disk. "compatible" (3DES/SHA-1) so that every
        # Windows release can read it.
        password = secrets.token_urlsafe(24)
        pfx = write_pkcs12(leaf, identity.chain, password, "compatible",
                           friendly_name=identity.friendly_name)
        # Exportable (so it can move to another computer later) and persisted in the user's
        # (or the machine's) key store. Without PKCS12_PREFER_CNG_KSP, RSA keys go to the
        # classic CryptoAPI provider, which older market tools still need.
        machine = self.scope == "machine"
        keyset = _win32.CRYPT_MACHINE_KEYSET if machine else _win32.CRYPT_USER_KEYSET
        flags = _win32.CRYPT_EXPORTABLE | keyset
        roles = {item.sha256: item.role for item in identity.chain}
        what = f"import your certificate '{leaf.display_name}' into {self.label}"
        added: builtins.list[tuple[str, bytes]] = []
        try:
            temp = self._call(what, self._api.pfx_import, pfx, password, flags)
        except GridCertError:
            self._refused.update(everything)
            raise
        try:
            entries = self._call(what, self._api.enum_certificates, temp)
            try:
                placements = self._placements(entries, leaf.sha256, roles)
                # The leaf goes last: if a root dialog is declined, no personal
                # certificate is left pointing at a key.
                for name, entry in placements:
                    is_leaf = sha256_of(entry.der) == leaf.sha256
                    # The leaf replaces a copy without its key; CA certificates keep an
                    # existing copy (a policy-pushed one cannot be replaced).
                    disposition = (_win32.CERT_STORE_ADD_REPLACE_EXISTING if is_leaf
                                   else _win32.CERT_STORE_ADD_USE_EXISTING)
                    root_dialog = (not is_leaf and name == self._names["root"]
                                   and self._root_dialog_expected())
                    with self._opened(name, what) as store:
                        self._call(what, self._api.copy_certificate, temp, entry.sha1, store,
                                   disposition=disposition, root_dialog=root_dialog)
                    added.append((name, entry.sha1))
                self._refused.difference_update(sha256_of(e.der) for e in entries)
            except GridCertError:
                if not added:
                    self._refused.update(sha256_of(entry.der) for entry in entries)
                self._undo_import(added, entries)
                raise
        finally:
            self._api.close_store(temp)

    def remove(self, sha256: str) -> None:
        """Remove from every store of this target; the key goes when nothing else uses it."""
        wanted = sha256.lower()
        if wanted in self._refused:
            return  # its add failed before anything changed: nothing to take out
        everything = {name: self._entries(name) for name in self.store_names()}
        removed_keys: dict[tuple[str, str, int, bool], KeyProvInfo] = {}
        for name, entries in everything.items():
            for entry in entries:
                if sha256_of(entry.der) != wanted:
                    continue
                what = f"remove '{self._display(entry)}' from {self.label} ({name})"
                # The registry store, as in `_entries`: the system store of CurrentUser\Root
                # would also offer the machine's copy of the same certificate.
                # Windows asks again before a root leaves CurrentUser\\Root: without a
                # desktop that fails like a "No", which must not read as one.
                root_dialog = self._root_dialog_expected() and name == self._names["root"]
                with self._opened(name, what, registry_only=True) as store:
                    self._call(what, self._api.delete_certificate, store, sha1_of(entry.der),
                               root_dialog=root_dialog, removal=True)
                if entry.key is not None:
                    removed_keys[key_identity(entry.key)] = entry.key
        # The certificate goes first, then the key: if deleting the certificate fails,
        # nothing has been lost.
        for key in removed_keys.values():
            if self.key_still_used(key, everything, excluding=wanted):
                continue
            self._delete_key(key, f"delete the private key of the removed certificate from "
                                  f"{self.label}")

    def export_identity(self, sha256: str, password: str, profile: ExportProfile) -> bytes:
        """A PKCS#12 of the personal certificate, its key and the chain found in CA/Root."""
        name = self._names["end-entity"]
        found = self._find(sha256.lower(), names=[name])
        if found is None:
            raise BadInputError(
                f"No personal certificate with fingerprint {sha256.lower()} is in "
                f"{self.label}."
            )
        _, entry = found
        display = self._display(entry)
        if entry.key is None:
            raise NotExportableError(
                f"'{display}' in {self.label} has no private key on this computer, so it "
                f"cannot be moved; {_NEW_CERTIFICATE}"
            )
        chain = self._chain_for(entry)
        what = f"export '{display}' from {self.label}"
        # Windows writes the file in its default encryption with a throwaway password;
        # GridCert then re-encrypts it with the user's password in the chosen profile. So
        # the user's password never reaches Windows, "modern" is AES-256/PBKDF2 with its
        # 100 000 iterations on every Windows (Windows' own PBES2 export needs 10 1709 /
        # Server 2019), the friendly name is kept, and the file is read back before anyone
        # relies on it.
        one_time = secrets.token_urlsafe(24)
        blob = self._windows_export(name, entry, chain, one_time, display, what)
        try:
            items = read_pkcs12(blob, one_time,
                                f"the export of '{display}' from {self.label}")
        except BadInputError as error:
            # Without REPORT_NO_PRIVATE_KEY (which would refuse the chain's CA certificates)
            # Windows leaves out a key it cannot reach instead of failing: say so plainly.
            raise NotExportableError(
                f"Windows exported '{display}' from {self.label} without its private key, "
                f"so it cannot be moved; {_NEW_CERTIFICATE}"
            ) from error
        leaf = items[0]
        if leaf.sha256 != sha256.lower():
            raise TargetError(
                f"Could not {what}: Windows exported a different certificate's key."
            )
        return write_pkcs12(leaf, items[1:], password, profile,
                            friendly_name=entry.friendly_name or leaf.friendly_name)

    def _windows_export(self, name: str, entry: CertEntry,
                        chain: Sequence[CertificateItem], one_time: str, display: str,
                        what: str) -> bytes:
        """PFXExportCertStoreEx (EXPORT_PRIVATE_KEYS) in Windows' default encryption."""
        try:
            with self._opened(name, what, read_only=True, registry_only=True) as store:
                return bytes(self._api.pfx_export(store, sha1_of(entry.der),
                                                  [c.der for c in chain], one_time))
        except WinApiError as error:
            if error.code in _NOT_EXPORTABLE or error.code == _win32.NTE_NO_KEY:
                raise NotExportableError(
                    f"The private key of '{display}' in {self.label} was installed as "
                    f"not exportable, so Windows will not let it be copied; "
                    f"{_NEW_CERTIFICATE}"
                ) from error
            raise self.explain(error, what) from error
        except WindowsOnlyError as error:
            raise self._not_here() from error

    # --- the key rule ------------------------------------------------------------------
    @staticmethod
    def key_still_used(key: KeyProvInfo, everything: Mapping[str, Sequence[CertEntry]],
                       excluding: str) -> bool:
        """True when a certificate other than `excluding` (SHA-256) points at `key`."""
        ident = key_identity(key)
        return any(
            entry.key is not None
            and key_identity(entry.key) == ident
            and sha256_of(entry.der) != excluding
            for entries in everything.values()
            for entry in entries
        )

    def _delete_key(self, key: KeyProvInfo, what: str) -> None:
        machine = bool(key.flags & _win32.CRYPT_MACHINE_KEYSET)
        try:
            if key.provider_type == 0:
                self._api.delete_cng_key(key.provider, key.container, machine)
            else:
                self._api.delete_csp_key(key.provider, key.container, key.provider_type,
                                         machine)
        except WinApiError as error:
            if error.code in _KEY_GONE:
                return
            raise self.explain(error, what) from error
        except WindowsOnlyError as error:
            raise self._not_here() from error

    # --- error sentences ---------------------------------------------------------------
    def explain(self, error: WinApiError, what: str, *, root_dialog: bool = False,
                removal: bool = False) -> GridCertError:
        """One sentence for a failed Windows call while trying to `what`. `root_dialog`:
        the call would have shown Windows' confirmation for a user root (`removal`: the
        one for taking it out)."""
        code = error.code
        if root_dialog and (code in _CANCELLED or code in _ACCESS_DENIED) \
                and not self._has_desktop():
            # Not a "No": there was nobody to ask (no visible window station).
            why = _NO_DESKTOP_TO_REMOVE if removal else _NO_DESKTOP
            return TargetError(f"Could not {what}: {why}")
        if code in _CANCELLED:
            return CancelledError(
                f"You declined Windows' confirmation, so GridCert did not {what}."
            )
        if code in _ACCESS_DENIED and self.scope == "user":
            # The user's own stores need no administrator: a refusal here is a policy.
            return TargetError(
                f"Could not {what}: Windows refused access to your own certificate store "
                "(a policy of your organisation may forbid changes there); ask your IT "
                "department."
            )
        if code in _ACCESS_DENIED:
            return TargetError(
                f"Could not {what}: this needs administrator rights; let GridCert ask "
                "Windows for permission, or run it as administrator."
            )
        if code in _WRONG_PASSWORD:
            return WrongPasswordError(
                f"Could not {what}: Windows did not accept the password (or the file is "
                "damaged)."
            )
        if code in _NO_STORE:
            return TargetError(f"Could not {what}: that certificate store does not exist.")
        return TargetError(f"Could not {what}: Windows said \"{error.text}\" (0x{code:08X}).")

    def _not_here(self) -> TargetError:
        return TargetError(f"{self.label} can only be changed on Windows.")

    def _call(self, what: str, function: Any, *args: Any, root_dialog: bool = False,
              removal: bool = False, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except WinApiError as error:
            raise self.explain(error, what, root_dialog=root_dialog,
                               removal=removal) from error
        except WindowsOnlyError as error:
            raise self._not_here() from error

    # --- helpers -----------------------------------------------------------------------
    @contextlib.contextmanager
    def _opened(self, name: str, what: str, read_only: bool = False,
                registry_only: bool = False) -> Iterator[int]:
        store = self._call(what, self._api.open_store, self._location, name,
                           read_only=read_only, registry_only=registry_only)
        try:
            yield store
        finally:
            self._api.close_store(store)

    def _entries(self, name: str, location: int | None = None, *,
                 registry_only: bool = True) -> builtins.list[CertEntry]:
        """The certificates of one store of this location only (not the inherited machine
        roots that CurrentUser\\Root also shows); a store that does not exist is empty.
        `location`: another system store location to read instead (a policy store);
        `registry_only=False`: that system store with all its physical stores."""
        what = f"read {self.label} ({name})"
        try:
            store = self._api.open_store(self._location if location is None else location,
                                         name, read_only=True, registry_only=registry_only)
        except WinApiError as error:
            if error.code in _NO_STORE:
                return []
            raise self.explain(error, what) from error
        except WindowsOnlyError as error:
            raise self._not_here() from error
        try:
            return list(self._call(what, self._api.enum_certificates, store))
        finally:
            self._api.close_store(store)

    def _find(self, sha256: str, names: Sequence[str] | None = None
              ) -> tuple[str, CertEntry] | None:
        for name in names or self.store_names():
            for entry in self._entries(name):
                if sha256_of(entry.der) == sha256:
                    return name, entry
        return None

    def _item(self, entry: CertEntry, name: str) -> CertificateItem | None:
        try:
            certificate = x509.load_der_x509_certificate(entry.der)
        except ValueError:
            return None  # a damaged entry Windows keeps; not ours to judge here
        return CertificateItem(certificate=certificate, source=f"{self.id}:{name}",
                               friendly_name=entry.friendly_name)

    def _display(self, entry: CertEntry) -> str:
        item = self._item(entry, "")
        if item is None:
            return entry.friendly_name or sha256_of(entry.der)
        return entry.friendly_name or item.display_name

    def _add_to(self, name: str, items: Sequence[CertificateItem]) -> None:
        # What Windows already has for every user is not added again (no Security Warning
        # for a root the machine or a policy already trusts).
        elsewhere: dict[Role, dict[str, str]] = {}

        def inherited(item: CertificateItem) -> bool:
            role: Role = "root" if item.role == "root" else "intermediate"
            if role not in elsewhere:
                elsewhere[role] = self._elsewhere_index(role)
            return item.is_ca and item.sha256 in elsewhere[role]

        items = [item for item in items if not inherited(item)]
        if not items:
            return
        what = (f"add '{items[0].display_name}' to {self.label} ({name})" if len(items) == 1
                else f"add {len(items)} certificates to {self.label} ({name})")
        root_dialog = name == self._names["root"] and self._root_dialog_expected()
        pending = {item.sha256 for item in items}
        try:
            with self._opened(name, what) as store:
                for item in items:
                    self._call(f"add '{item.display_name}' to {self.label} ({name})",
                               self._api.add_encoded_certificate, store, item.der,
                               disposition=_win32.CERT_STORE_ADD_USE_EXISTING,
                               root_dialog=root_dialog)
                    pending.discard(item.sha256)
                    self._refused.discard(item.sha256)
        except GridCertError:
            self._refused.update(pending)  # the failed one and those never tried
            raise

    def _placements(self, entries: Sequence[CertEntry], leaf_sha256: str,
                    roles: Mapping[str, Role]) -> builtins.list[tuple[str, CertEntry]]:
        """Where each certificate of an imported PKCS#12 goes (leaf last); certificates
        already in their store are skipped."""
        chain: builtins.list[tuple[str, CertEntry]] = []
        leaf: builtins.list[tuple[str, CertEntry]] = []
        for entry in entries:
            digest = sha256_of(entry.der)
            if digest == leaf_sha256:
                leaf.append((self._names["end-entity"], entry))
                continue
            role = roles.get(digest)
            if role is None:
                item = self._item(entry, "")
                role = item.role if item is not None else "end-entity"
            if role == "end-entity":
                continue  # a stray personal certificate without its key: not ours to add
            name = self._names[role]
            if self._find(digest, names=[name]) is None \
                    and self._held_elsewhere(digest, role) is None:
                chain.append((name, entry))
        if not leaf:
            raise BadInputError(
                "Windows did not find your certificate in the file made for it; nothing "
                "was installed."
            )
        return chain + leaf

    def _undo_import(self, added: Sequence[tuple[str, bytes]], entries: Sequence[CertEntry]
                     ) -> None:
        """Best-effort: take out what an interrupted import added, and its persisted key."""
        for name, sha1 in reversed(added):
            with (contextlib.suppress(GridCertError, WinApiError),
                  self._opened(name, "undo the import", registry_only=True) as store):
                self._api.delete_certificate(store, sha1)
        for entry in entries:
            if entry.key is not None:
                with contextlib.suppress(GridCertError, WinApiError):
                    self._delete_key(entry.key, "delete the key of the cancelled import")

    def _chain_for(self, entry: CertEntry) -> tuple[CertificateItem, ...]:
        leaf = self._item(entry, self._names["end-entity"])
        if leaf is None:
            return ()
        pool: builtins.list[CertificateItem] = []
        for name in self.store_names():
            for other in self._entries(name):
                item = self._item(other, name)
                if item is not None and item.is_ca:
                    pool.append(item)
        return find_chain(leaf, pool)[1:]
