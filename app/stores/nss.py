"""One NSS certificate database (Firefox profile on Linux, Chromium's nssdb, any `nss:<dir>`).

Everything goes through NSS's own tools, `certutil` and `pk12util`, so that the
database stays in a state Firefox and Chrome accept. Roots get trust `C,,`,
intermediates `,,`; identities go in with `pk12util -i` from a one-time PKCS#12 that
lives in a private folder for the few milliseconds the tool needs it. Passwords reach
the tools only through 0600 files, never argv.

Speed: many certificates go in with one `certutil -B` (batch) process. When nothing
else has the database open, that batch runs on a copy in a memory folder (tmpfs) and
the files are copied back and renamed into place: SQLite's per-object commit to disk is
what makes NSS slow, not process start (see TESTING.md, "NSS speed").
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import os
import re
import secrets
import shutil
import sqlite3
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, pkcs12

from app.core.errors import (
    GridCertError,
    NotExportableError,
    StoreLockedError,
    TargetError,
    ToolMissingError,
)
from app.core.model import CertificateItem
from app.core.p12 import read_pkcs12, write_pkcs12
from app.core.paths import data_dir
from app.stores._scratch import private_dir
from app.stores._tools import (
    find_tool,
    lock_file,
    run_tool,
    secret_file,
    unlock_file,
)
from app.stores.base import (
    Availability,
    ExportProfile,
    Identity,
    StoredCertificate,
    TrustStore,
)

NSS_PACKAGE = "libnss3-tools (Debian/Ubuntu), nss-tools (Fedora/RHEL) or mozilla-nss-tools (SUSE)"
ROOT_TRUST = "C,,"
#: A root that a personal certificate chains to: also trusted to issue client certificates.
CLIENT_ROOT_TRUST = "CT,,"
INTERMEDIATE_TRUST = ",,"
#: Below this many certificates a batch is not worth a database copy.
FAST_PATH_MIN = 8

_LIST_LINE = re.compile(r"^(?P<nick>.*\S)\s+(?P<trust>[A-Za-z]*,[A-Za-z]*,[A-Za-z]*)\s*$")
_KEY_LINE = re.compile(r"^<\s*\d+>\s+\S+\s+(?P<id>[0-9a-fA-F]+)\s+(?P<nick>.*\S)\s*$")
_PEM_BLOCK = re.compile(
    rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL
)
_CKO_CERTIFICATE = b"\x00\x00\x00\x01"


@dataclass(frozen=True)
class NssEntry:
    """One certificate as `certutil -L` shows it."""

    nickname: str
    trust: str
    der: bytes

    @property
    def has_key(self) -> bool:
        # NSS derives the `u` flag from a private key matching the certificate.
        return "u" in self.trust

    @property
    def key_id(self) -> str | None:
        """NSS's CKA_ID for this certificate and its key (hex), as `certutil -K` shows it.

        The softoken derives it from the public key: SHA-1 of the RSA modulus, or of the
        EC public point. None for other key types.
        """
        try:
            key = x509.load_der_x509_certificate(self.der).public_key()
        except ValueError:
            return None
        if isinstance(key, rsa.RSAPublicKey):
            modulus = key.public_numbers().n
            raw = modulus.to_bytes((modulus.bit_length() + 7) // 8, "big")
        elif isinstance(key, ec.EllipticCurvePublicKey):
            raw = key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        else:
            return None
        return hashlib.sha1(raw).hexdigest()

    def selector(self, shared: bool) -> str:
        """What `-n` of certutil/pk12util must say to reach exactly this certificate.

        NSS gives every certificate of one subject the same nickname (a renewed
        certificate shares it with last year's). Then the nickname is ambiguous and a
        PKCS#11 URI naming the key id picks the one certificate.
        """
        key_id = self.key_id
        if not shared or key_id is None:
            return self.nickname
        encoded = "".join(f"%{key_id[i:i + 2]}" for i in range(0, len(key_id), 2))
        return f"pkcs11:id={encoded};type=cert"


def nss_tool(name: str) -> str | None:
    """The full path of NSS's `certutil` or `pk12util`, else None.

    On Windows the `certutil` found on PATH is normally Microsoft's own
    (%SystemRoot%\\System32\\certutil.exe), a different program with other options. NSS
    ships certutil and pk12util side by side and Microsoft has no pk12util, so there
    NSS's certutil is taken only from the folder that holds pk12util.
    """
    if sys.platform == "win32" and name == "certutil":
        pk12util = find_tool("pk12util")
        if pk12util is None:
            return None
        beside = Path(pk12util).with_name("certutil.exe")
        return str(beside) if beside.is_file() else None
    return find_tool(name)


def _nss_package() -> str:
    if sys.platform == "win32":
        return "Mozilla's NSS tools (certutil.exe and pk12util.exe in one folder on PATH)"
    return NSS_PACKAGE


def require_nss_tool(name: str) -> str:
    """Like `nss_tool`, but a missing tool is a `ToolMissingError` naming what to install."""
    path = nss_tool(name)
    if path is None:
        raise ToolMissingError(
            f"The program '{name}' is not installed; install {_nss_package()}.")
    return path


def _tool_env() -> dict[str, str]:
    env = dict(os.environ)
    # Unset, NSS times the file system at every open to choose a cache mode; "yes" makes
    # batch writes ~3x slower (measured: 150 roots, 0.8 s with "no", 2.0 s with "yes").
    env.setdefault("NSS_SDB_USE_CACHE", "no")
    return env


def _clean_nickname(text: str) -> str:
    # certutil's batch parser splits on quotes; control characters are never useful.
    cleaned = "".join(ch for ch in text if ch.isprintable() and ch not in "\"\\")
    return cleaned.strip() or "GridCert certificate"


class NssStore(TrustStore):
    """The NSS database in `directory` (`sql:` for cert9.db, `dbm:` for legacy cert8.db).

    `create=True` makes an empty database when none exists (Chromium's folder on a
    machine where Chrome never ran). `password` is the database password, if it has one.
    `lock_file` is a file whose presence means a program (Firefox) has it open.
    """

    holds_identities = True

    def __init__(
        self,
        directory: str | os.PathLike[str],
        label: str | None = None,
        *,
        create: bool = False,
        password: str | None = None,
        lock_files: Sequence[str] = (),
        busy_message: str | None = None,
    ) -> None:
        self.directory = Path(directory).expanduser().absolute()
        self.id = f"nss:{self.directory}"
        self.label = label or f"NSS database {self.directory}"
        self.create = create
        self._password = password
        self._lock_files = tuple(lock_files)
        self._busy_message = busy_message or (
            f"Another program has {self.label} open; close it first, then try again."
        )
        self._listing: tuple[tuple[object, ...], tuple[NssEntry, ...]] | None = None

    # --- where ----------------------------------------------------------------------
    @property
    def kind(self) -> str | None:
        """'sql' or 'dbm' for an existing database, None when there is none yet."""
        if (self.directory / "cert9.db").exists():
            return "sql"
        if (self.directory / "cert8.db").exists():
            return "dbm"
        return None

    @property
    def db_arg(self) -> str:
        return f"{self.kind or 'sql'}:{self.directory}"

    def available(self) -> Availability:
        if nss_tool("certutil") is None or nss_tool("pk12util") is None:
            return Availability(
                False, f"The NSS tools are not installed; install {_nss_package()}.")
        if self.kind is None and not self.create:
            return Availability(False, f"There is no NSS database in {self.directory}.")
        if self.kind is None:
            parent = self._existing_parent()
            if not os.access(parent, os.W_OK):
                return Availability(
                    False, f"GridCert cannot create a database in {self.directory}."
                )
            return Availability(True)
        if not os.access(self.directory, os.W_OK) or not all(
            os.access(path, os.W_OK) for path in self._db_files()
        ):
            return Availability(False, f"The NSS database in {self.directory} is read-only.")
        return Availability(True)

    def lock_path(self) -> Path | None:
        # Not the data folder's locks/nss-*.lock (`_gridcert_lock`, taken inside this one
        # by each change): a second lock of the same file in one process would deadlock.
        return self.directory / ".gridcert.lock"

    def busy_reason(self) -> str | None:
        for name in self._lock_files:
            # Firefox's `lock` is a dangling symlink while it runs; lexists sees it.
            if os.path.lexists(self.directory / name):
                return self._busy_message
        return None

    def notes(self) -> list[str]:
        if self._lock_files:
            return ["Firefox must be closed while its certificates change."]
        return []

    def _existing_parent(self) -> Path:
        node = self.directory
        while not node.exists() and node != node.parent:
            node = node.parent
        return node

    def _db_files(self) -> list[Path]:
        names = ("cert9.db", "key4.db") if self.kind == "sql" else ("cert8.db", "key3.db")
        return [self.directory / name for name in names if (self.directory / name).exists()]

    # --- running the tools ---------------------------------------------------------------
    @contextlib.contextmanager
    def _password_file(self) -> Iterator[str]:
        with secret_file(self._password or "") as path:
            yield path

    def _certutil(self, *args: str, what: str, db: str | None = None,
                  ok_codes: Sequence[int] = (0,)) -> str:
        tool = require_nss_tool("certutil")
        if db is None:
            self._settle()
        with self._password_file() as pwfile:
            try:
                completed = run_tool(
                    [tool, *args, "-d", db or self.db_arg, "-f", pwfile],
                    what=what, env=_tool_env(), ok_codes=ok_codes,
                )
            except GridCertError as error:
                raise self._explain(error) from error
        return completed.stdout.decode("utf-8", "replace")

    def _explain(self, error: GridCertError) -> GridCertError:
        text = str(error)
        if "READ_ONLY" in text or "read-only" in text.lower():
            return TargetError(
                f"The NSS database in {self.directory} is read-only; GridCert cannot change it."
            )
        if "BAD_DATABASE" in text or "bad database" in text.lower():
            return TargetError(f"There is no usable NSS database in {self.directory}.")
        if "BAD_PASSWORD" in text or "authenticate" in text.lower():
            return TargetError(
                f"The NSS database in {self.directory} has a password that GridCert was not given."
            )
        return error

    def ensure_database(self) -> None:
        """Create the database when `create` allows it; else say there is none."""
        if self.kind is not None:
            return
        if not self.create:
            raise TargetError(f"There is no NSS database in {self.directory}.")
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        tool = require_nss_tool("certutil")
        run_tool([tool, "-N", "-d", f"sql:{self.directory}", "--empty-password"],
                 what=f"create an NSS database in {self.directory}", env=_tool_env())

    def _check_usable(self) -> None:
        self.ensure_database()
        busy = self.busy_reason()
        if busy:
            raise StoreLockedError(busy)

    # --- reading -------------------------------------------------------------------------
    def entries(self) -> list[NssEntry]:
        """Every certificate with its nickname and trust flags.

        The last listing is kept with the database's state (`_state`) and given again
        while that state is unchanged: one install reads the database to plan, again
        under the lock, and again to add, and each certutil -L costs a process and a
        pass over every object. Any commit since (ours, another program's) changes
        the state, so a read-back after a change is always certutil's own.
        """
        if self.kind is None:
            if self.create:
                return []
            raise TargetError(f"There is no NSS database in {self.directory}.")
        state = _state(self.directory) if self.kind == "sql" else None
        if state is not None and self._listing is not None and self._listing[0] == state:
            return builtins.list(self._listing[1])
        out = self._entries_uncached()
        # Kept only when nothing committed while certutil read (the state is the same
        # after as before), so the listing is the content that state names.
        if state is not None and _state(self.directory) == state:
            self._listing = (state, tuple(out))
        else:
            self._listing = None
        return out

    def _entries_uncached(self) -> list[NssEntry]:
        listing = self._certutil("-L", what=f"list {self.label}")
        rows: list[tuple[str, str]] = []
        for line in listing.splitlines()[3:]:
            match = _LIST_LINE.match(line)
            if match:
                rows.append((match["nick"], match["trust"]))
        ders = self._ders_from_sqlite() if self.kind == "sql" else {}
        # certutil prints a nickname once per certificate carrying it (a renewed CA with
        # the same subject shares its predecessor's nickname).
        trusts: dict[str, list[str]] = {}
        for nickname, trust in rows:
            trusts.setdefault(nickname, []).append(trust)
        out: list[NssEntry] = []
        for nickname, flags in trusts.items():
            blobs = ders.get(nickname) or self._ders_from_certutil(nickname)
            if len(blobs) != len(flags):
                blobs = self._ders_from_certutil(nickname)
            for index, der in enumerate(blobs):
                out.append(NssEntry(nickname, flags[min(index, len(flags) - 1)], der))
        return out

    def _ders_from_sqlite(self) -> dict[str, list[bytes]]:
        """Certificates by nickname, read straight from cert9.db (read-only).

        One `certutil -L -a -n` per nickname costs ~10 ms each, seconds for a full
        Firefox store; cert9.db keeps public objects in clear (CKA_LABEL = a3, CKA_VALUE
        = a11). Any nickname this misses is fetched with certutil instead.
        """
        found: dict[str, list[bytes]] = {}
        uri = (self.directory / "cert9.db").as_uri() + "?mode=ro"
        try:
            connection = sqlite3.connect(uri, uri=True, timeout=2.0)
        except sqlite3.Error:
            return found
        try:
            rows = connection.execute("SELECT a0, a3, a11 FROM nssPublic").fetchall()
        except sqlite3.Error:
            return found
        finally:
            connection.close()
        for kind, label, value in rows:
            if kind != _CKO_CERTIFICATE or not isinstance(label, bytes | str) or not value:
                continue
            nickname = label.decode("utf-8", "replace") if isinstance(label, bytes) else label
            found.setdefault(nickname, []).append(bytes(value))
        return found

    def _ders_from_certutil(self, nickname: str) -> list[bytes]:
        text = self._certutil("-L", "-a", "-n", nickname,
                              what=f"read '{nickname}' from {self.label}")
        blobs = []
        for block in _PEM_BLOCK.findall(text.encode()):
            cert = x509.load_pem_x509_certificate(block)
            blobs.append(cert.public_bytes(serialization.Encoding.DER))
        return blobs

    def list(self) -> list[StoredCertificate]:
        stored = []
        for entry in self.entries():
            try:
                cert = x509.load_der_x509_certificate(entry.der)
            except ValueError:
                continue  # NSS accepted something pyca cannot parse; nothing to show
            item = CertificateItem(cert, source=self.id, friendly_name=entry.nickname)
            stored.append(
                StoredCertificate(
                    item=item,
                    target_id=self.id,
                    location=entry.nickname,
                    trusted="C" in entry.trust.split(",")[0],
                    extra={"nickname": entry.nickname, "trust": entry.trust},
                    key_in_store=entry.has_key,
                )
            )
        return stored

    def _settle(self) -> None:
        """Let SQLite roll back what a killed writer left half-done.

        A certutil or pk12util killed mid-write leaves a "hot" rollback journal
        (cert9.db-journal). SQLite undoes it at the next read-write open, but certutil -L
        opens read-only and then fails ("bad database"): the listing, and with it a
        recovery, would stall for ever. A read-write open here replays it. A live writer
        holds its lock, so its journal is not hot and nothing is touched.
        """
        if self.kind != "sql":
            return
        for name in ("cert9.db", "key4.db"):
            path = self.directory / name
            if not any(os.path.exists(f"{path}{tail}") for tail in ("-journal", "-wal")):
                continue
            with contextlib.suppress(sqlite3.Error):
                connection = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=5.0)
                try:
                    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
                finally:
                    connection.close()

    def key_ids(self) -> set[str]:
        """CKA_IDs (hex, lower case) of every private key in the database (`certutil -K`)."""
        if self.kind is None:
            return set()
        text = self._certutil("-K", what=f"list the keys in {self.label}", ok_codes=(0, 255))
        return {match["id"].lower() for match in map(_KEY_LINE.match,
                                                     (line.strip() for line in text.splitlines()))
                if match}

    def key_present(self, item: CertificateItem) -> bool | None:
        key_id = NssEntry("", "", item.certificate.public_bytes(Encoding.DER)).key_id
        return None if key_id is None else key_id in self.key_ids()

    def remove_orphan_key(self, item: CertificateItem) -> None:
        """Delete the private key of `item` when no certificate in the database uses it
        (what a pk12util killed between the key and the certificate leaves)."""
        key_id = NssEntry("", "", item.certificate.public_bytes(Encoding.DER)).key_id
        if key_id is None or key_id not in self.key_ids():
            return
        if any(entry.key_id == key_id for entry in self.entries()):
            return
        self._certutil("-F", "-k", key_id,
                       what=f"remove the left-over private key of {item.display_name} "
                            f"from {self.label}")

    def key_nicknames(self) -> builtins.list[str]:
        """Nicknames of the certificates whose private key is in the database (`certutil -K`)."""
        if self.kind is None:
            return []
        text = self._certutil("-K", what=f"list the keys in {self.label}", ok_codes=(0, 255))
        names = []
        for line in text.splitlines():
            match = _KEY_LINE.match(line.strip())
            if match:
                names.append(match["nick"])
        return names

    def _nicknames_by_sha256(self, entries: Sequence[NssEntry]) -> dict[str, str]:
        out: dict[str, str] = {}
        for entry in entries:
            sha = hashlib.sha256(entry.der).hexdigest()
            out.setdefault(sha, entry.nickname)
        return out

    def _unique_nickname(self, wanted: str, taken: set[str]) -> str:
        base = _clean_nickname(wanted)
        nickname, number = base, 2
        while nickname in taken:
            nickname = f"{base} #{number}"
            number += 1
        taken.add(nickname)
        return nickname

    # --- changing -------------------------------------------------------------------------
    def add_anchor(self, item: CertificateItem) -> None:
        self.add_many_with_trust([(item, ROOT_TRUST)])

    def add_intermediate(self, item: CertificateItem) -> None:
        self.add_many_with_trust([(item, INTERMEDIATE_TRUST)])

    def add_many(self, items: Sequence[CertificateItem]) -> None:
        self.add_many_with_trust(
            [(item, ROOT_TRUST if item.role == "root" else INTERMEDIATE_TRUST) for item in items]
        )

    def add_many_with_trust(self, pairs: Sequence[tuple[CertificateItem, str]]) -> None:
        """Add certificates with the given trust in one certutil process.

        A certificate already present keeps its nickname and gets the new trust.
        """
        self._check_usable()
        with self._gridcert_lock():
            entries = self.entries()
            present = self._nicknames_by_sha256(entries)
            current = {hashlib.sha256(e.der).hexdigest(): e.trust for e in entries}
            taken = {entry.nickname for entry in entries}
            with private_dir("nss") as work:
                lines: list[str] = []
                seen: set[str] = set()
                for index, (item, trust) in enumerate(pairs):
                    if item.sha256 in seen:
                        continue
                    seen.add(item.sha256)
                    if item.sha256 in present:
                        nick = present[item.sha256]
                        old = current[item.sha256]
                        merged = merge_trust(old, trust)
                        if merged != _settable(old):
                            lines.append(f'-M -n "{nick}" -t "{merged}"')
                        continue
                    nick = self._unique_nickname(item.display_name, taken)
                    pem = Path(work) / f"{index}.pem"
                    pem.write_bytes(item.pem)
                    lines.append(f'-A -n "{nick}" -t "{trust}" -i "{pem}"')
                if not lines:
                    return
                if len(lines) == 1:
                    self._run_single(lines[0], work)
                else:
                    self._run_batch(lines, work)

    def _run_single(self, line: str, work: str | Path) -> None:
        self._run_batch([line], work, allow_fast=False)

    def _run_batch(self, lines: Sequence[str], work: str | Path, allow_fast: bool = True) -> None:
        batch = Path(work) / "batch.txt"
        batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
        what = f"add certificates to {self.label}"
        if allow_fast and len(lines) >= FAST_PATH_MIN and self._fast_path_safe():
            self._batch_on_copy(batch, what)
        else:
            self._certutil("-B", "-i", str(batch), what=what)

    # --- the fast path ---------------------------------------------------------------------
    def _fast_path_safe(self) -> bool:
        """True when no other process can see the database change under it."""
        if self.kind != "sql" or self.busy_reason() is not None:
            return False
        # A leftover SQLite journal means an interrupted writer: let NSS recover it in place.
        if any((self.directory / f"{name}-journal").exists() or
               (self.directory / f"{name}-wal").exists() for name in ("cert9.db", "key4.db")):
            return False
        return not _open_by_another_process([self.directory / "cert9.db",
                                             self.directory / "key4.db"])

    def _batch_on_copy(self, batch: Path, what: str) -> None:
        # GridCert's private folder is in /dev/shm on Linux: the batch runs at memory
        # speed, the copy of key4.db never reaches a disk, and a crash's leftovers are
        # removed by the next start's recovery.
        self._settle()
        with private_dir("nssdb") as copy_dir:
            names = [n for n in ("cert9.db", "key4.db") if (self.directory / n).exists()]
            counters = _snapshot(self.directory, Path(copy_dir), names)
            with contextlib.suppress(FileNotFoundError):
                shutil.copy2(self.directory / "pkcs11.txt", Path(copy_dir) / "pkcs11.txt")
            before = {name: _digest(Path(copy_dir) / name) for name in names}
            # The copy only (never the person's database) runs in WAL mode: NSS opens a
            # connection per transaction, and a rollback journal made, synced and removed
            # three times per certificate is ~30% of the batch. Back in rollback-journal
            # mode before anything reads it: every row is then in the file itself.
            _journal_mode(Path(copy_dir), names, "wal")
            try:
                self._certutil("-B", "-i", str(batch), what=what, db=f"sql:{copy_dir}")
            finally:
                _journal_mode(Path(copy_dir), names, "delete")
            changed = [n for n in names if _digest(Path(copy_dir) / n) != before[n]]
            if changed and not self._write_back(Path(copy_dir), changed, counters):
                # Another program changed the database after the copy was taken: never
                # overwrite what was not read. The batch runs again on the database.
                self._certutil("-B", "-i", str(batch), what=what)

    def _write_back(self, copy_dir: Path, names: Sequence[str],
                    counters: dict[str, bytes]) -> bool:
        """Put the changed copies' rows into the database, in one SQLite transaction that
        first checks nothing changed since the copy; False (nothing written) if it did.

        Rows, not files: the database keeps its inode, so a program that has it open
        keeps seeing one database, and SQLite's own journal makes the write all or
        nothing (a full disk or a crash leaves it as it was). BEGIN IMMEDIATE holds
        SQLite's write lock from the check to the commit, so no other writer can slip in.
        """
        # The first database is the connection's main one: with two files, SQLite then
        # commits both or neither (a "super-journal"), even across a crash.
        aliases = ["main", *(f"o{n}" for n in range(1, len(names)))]
        with contextlib.ExitStack() as stack:
            # Opened before SQLite and closed after it: on POSIX, closing any descriptor
            # of a file drops every lock this process holds on it, SQLite's included.
            handles = [stack.enter_context(open(self.directory / name, "rb"))
                       for name in names]
            return self._write_back_locked(copy_dir, names, counters, aliases, handles)

    def _write_back_locked(self, copy_dir: Path, names: Sequence[str],
                           counters: dict[str, bytes], aliases: Sequence[str],
                           handles: Sequence[IO[bytes]]) -> bool:
        try:
            connection = sqlite3.connect(f"{(self.directory / names[0]).as_uri()}?mode=rw",
                                         uri=True, timeout=30.0, isolation_level=None)
        except sqlite3.Error as error:
            raise TargetError(f"Could not open the NSS database in {self.directory}: "
                              f"{error}.") from error
        try:
            for number, name in enumerate(names):
                if number:
                    connection.execute(f"ATTACH DATABASE ? AS {aliases[number]}",
                                       (f"{(self.directory / name).as_uri()}?mode=rw",))
                connection.execute(f"ATTACH DATABASE ? AS c{number}",
                                   (f"{(copy_dir / name).as_uri()}?mode=ro",))
            connection.execute("BEGIN IMMEDIATE")
            # BEGIN IMMEDIATE took the write lock of every attached database.
            for name, handle in zip(names, handles, strict=True):
                handle.seek(24)
                if handle.read(4) != counters[name]:
                    connection.execute("ROLLBACK")
                    return False
            for number, _name in enumerate(names):
                tables = [row[0] for row in connection.execute(
                    f"SELECT name FROM c{number}.sqlite_master WHERE type = 'table'")]
                for table in tables:
                    quoted = '"' + table.replace('"', '""') + '"'
                    target = f"{aliases[number]}.{quoted}"
                    connection.execute(f"DELETE FROM {target}")
                    connection.execute(f"INSERT INTO {target} SELECT * FROM c{number}.{quoted}")
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise TargetError(
                f"Could not write the NSS database in {self.directory} ({error}); it was "
                "left as it was."
            ) from error
        finally:
            connection.close()
        return True

    @contextlib.contextmanager
    def _gridcert_lock(self) -> Iterator[None]:
        """Serialise GridCert processes that change this database."""
        folder = data_dir() / "locks"
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(str(self.directory).encode()).hexdigest()[:24]
        with open(folder / f"nss-{digest}.lock", "w", encoding="utf-8") as handle:
            # flock on POSIX, a msvcrt byte lock on Windows (an `nss:<dir>` target can
            # exist there too); either way it ends with the process.
            lock_file(handle.fileno())
            try:
                yield
            finally:
                unlock_file(handle.fileno())

    # --- identities -------------------------------------------------------------------------
    def import_identity(self, identity: Identity) -> None:
        self._check_usable()
        leaf = identity.leaf
        with self._gridcert_lock():
            entries = self.entries()
            taken = {entry.nickname for entry in entries}
            present = self._nicknames_by_sha256(entries)
            nickname = present.get(leaf.sha256) or self._unique_nickname(
                identity.friendly_name or leaf.display_name, taken
            )
            # pk12util names CA certificates "CN - O" unless the file names them: give
            # them the same readable, unique nicknames as add_anchor would.
            cas = [
                pkcs12.PKCS12Certificate(
                    ca.certificate,
                    (present.get(ca.sha256) or self._unique_nickname(ca.display_name, taken))
                    .encode(),
                )
                for ca in identity.chain
            ]
            one_time = secrets.token_urlsafe(24)
            assert leaf.private_key is not None  # Identity guarantees it
            blob = pkcs12.serialize_key_and_certificates(
                nickname.encode(),
                leaf.private_key,  # type: ignore[arg-type]
                leaf.certificate,
                cas or None,
                serialization.BestAvailableEncryption(one_time.encode()),
            )
            tool = require_nss_tool("pk12util")
            with private_dir("p12") as private:
                p12 = Path(private) / "identity.p12"
                fd = os.open(p12, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(blob)
                with secret_file(one_time, private) as p12_pw, self._password_file() as db_pw:
                    try:
                        run_tool([tool, "-i", str(p12), "-d", self.db_arg, "-w", p12_pw,
                                  "-k", db_pw],
                                 what=f"import {leaf.display_name} into {self.label}",
                                 env=_tool_env())
                    except GridCertError as error:
                        raise self._explain(error) from error
        after = {hashlib.sha256(e.der).hexdigest(): e for e in self.entries()}
        imported = after.get(leaf.sha256)
        if imported is None or imported.nickname not in self.key_nicknames():
            raise TargetError(
                f"{self.label} did not keep the private key of {leaf.display_name} after import."
            )
        # pk12util adds CA certificates untrusted. The root above the identity gets
        # `CT,,`: NSS validates a client certificate (usage SSL client, as vfychain and
        # Firefox's certificate viewer do) only up to a root trusted to issue client
        # certificates (T); C alone covers servers.
        pairs: dict[str, tuple[CertificateItem, str]] = {}
        for ca in identity.chain:
            pairs[ca.sha256] = (ca, CLIENT_ROOT_TRUST if ca.role == "root"
                                else INTERMEDIATE_TRUST)
        anchor = self._stored_root_of(leaf)
        if anchor is not None and anchor.sha256 not in pairs:
            pairs[anchor.sha256] = (anchor, CLIENT_ROOT_TRUST)
        if pairs:
            self.add_many_with_trust(builtins.list(pairs.values()))

    def _stored_root_of(self, leaf: CertificateItem) -> CertificateItem | None:
        """The trusted root in this database that `leaf` chains up to, if any."""
        stored = [entry.item for entry in self.list() if entry.trusted or entry.role != "root"]
        node, seen = leaf, {leaf.sha256}
        for _ in range(8):
            issuer = next((c for c in stored if c.sha256 not in seen and c.is_ca
                           and c.certificate.subject == node.certificate.issuer
                           and _signed_by(node, c)), None)
            if issuer is None:
                return None
            if issuer.role == "root":
                return issuer
            seen.add(issuer.sha256)
            node = issuer
        return None

    def export_identity(self, sha256: str, password: str, profile: ExportProfile) -> bytes:
        """The identity as a PKCS#12 in `profile`, encrypted with `password`.

        pk12util writes it first with a one-time password into a private folder; it is
        then read and re-encrypted in the requested profile, so no clear key touches disk.
        """
        sha256 = sha256.lower()
        entry = next((e for e in self.entries() if hashlib.sha256(e.der).hexdigest() == sha256),
                     None)
        if entry is None:
            raise TargetError(f"{self.label} has no certificate with fingerprint {sha256}.")
        if not entry.has_key:
            raise NotExportableError(
                f"'{entry.nickname}' in {self.label} has no private key there to export."
            )
        entries = self.entries()
        shared = sum(1 for e in entries if e.nickname == entry.nickname) > 1
        if shared and not self._key_unique(entry, entries):
            raise NotExportableError(
                f"'{entry.nickname}' in {self.label} shares its key with another certificate "
                "of the same name; export it with the browser's certificate manager."
            )
        tool = require_nss_tool("pk12util")
        one_time = secrets.token_urlsafe(24)
        with private_dir("p12") as private:
            out = Path(private) / "export.p12"
            with secret_file(one_time, private) as p12_pw, self._password_file() as db_pw:
                try:
                    run_tool([tool, "-o", str(out), "-n", entry.selector(shared), "-d", self.db_arg,
                              "-w", p12_pw, "-k", db_pw],
                             what=f"export '{entry.nickname}' from {self.label}", env=_tool_env())
                except GridCertError as error:
                    raise self._explain(error) from error
            data = out.read_bytes()
        with warnings.catch_warnings():
            # pk12util writes BER (indefinite lengths), which pyca reads with a warning.
            warnings.filterwarnings("ignore", message="PKCS#12 bundle could not be parsed")
            items = read_pkcs12(data, one_time, f"{self.label}: {entry.nickname}")
        leaf = next((i for i in items if i.sha256 == sha256 and i.has_private_key), None)
        if leaf is None:
            raise NotExportableError(
                f"{self.label} exported another certificate under '{entry.nickname}'; "
                "export it with the browser's certificate manager."
            )
        chain = [i for i in items if i.sha256 != sha256]
        return write_pkcs12(leaf, chain, password, profile, friendly_name=entry.nickname)

    def remove(self, sha256: str) -> None:
        sha256 = sha256.lower()
        if self.kind is None:
            return
        busy = self.busy_reason()
        if busy:
            raise StoreLockedError(busy)
        with self._gridcert_lock():
            entries = self.entries()
            targets = [e for e in entries if hashlib.sha256(e.der).hexdigest() == sha256]
            for entry in targets:
                siblings = [e for e in entries if e.nickname == entry.nickname and e is not entry]
                if siblings:
                    self._remove_shared_nickname(entry, siblings)
                elif entry.has_key:
                    self._certutil("-F", "-n", entry.nickname,
                                   what=f"remove '{entry.nickname}' and its key from {self.label}")
                else:
                    self._certutil("-D", "-n", entry.nickname,
                                   what=f"remove '{entry.nickname}' from {self.label}")

    @staticmethod
    def _key_unique(entry: NssEntry, entries: Sequence[NssEntry]) -> bool:
        """True when no other certificate in the database has the same key id."""
        key_id = entry.key_id
        return key_id is not None and not any(
            other.der != entry.der and other.key_id == key_id for other in entries
        )

    def _remove_shared_nickname(self, entry: NssEntry, siblings: Sequence[NssEntry]) -> None:
        """Remove one of several certificates that share a nickname.

        A certificate whose key id is its own is addressed by PKCS#11 URI (its key is
        deleted too when it has one). Otherwise certutil can only delete by nickname: all
        are deleted and the others put back with their trust, which is possible only for
        certificates without keys.
        """
        if self._key_unique(entry, [entry, *siblings]):
            what = f"remove '{entry.nickname}' from {self.label}"
            self._certutil("-D", "-n", entry.selector(True), what=what)
            if entry.has_key and entry.key_id is not None:
                self._certutil("-F", "-k", entry.key_id, what=f"{what} (its private key)")
            return
        if entry.has_key or any(s.has_key for s in siblings):
            raise TargetError(
                f"'{entry.nickname}' in {self.label} names several certificates with keys; "
                "remove it with the browser's certificate manager."
            )
        for _ in range(len(siblings) + 1):
            self._certutil("-D", "-n", entry.nickname, what=f"remove '{entry.nickname}'",
                           ok_codes=(0, 255))
        with private_dir("nss") as work:
            lines = []
            for index, sibling in enumerate(siblings):
                pem = Path(work) / f"{index}.der"
                pem.write_bytes(sibling.der)
                lines.append(f'-A -n "{sibling.nickname}" -t "{sibling.trust}" -i "{pem}"')
            self._run_batch(lines, work, allow_fast=False)


def _settable(trust: str) -> str:
    """Trust flags without `u` (NSS derives it from the key; certutil cannot set it)."""
    return ",".join("".join(f for f in field if f != "u") for field in trust.split(","))


def merge_trust(existing: str, wanted: str) -> str:
    """Trust for a certificate already present: adding never takes trust away.

    Each of the three fields (SSL, S/MIME, code signing) keeps its flags and gains the
    wanted ones; an explicit distrust (`p`) gives way when trust is asked for.
    """
    old_fields = [*_settable(existing).split(","), "", "", ""][:3]
    new_fields = [*wanted.split(","), "", "", ""][:3]
    merged = []
    for old, new in zip(old_fields, new_fields, strict=True):
        flags = [f for f in old if not (f == "p" and new)]
        flags += [f for f in new if f not in flags]
        merged.append("".join(flags))
    return ",".join(merged)


def _signed_by(child: CertificateItem, issuer: CertificateItem) -> bool:
    try:
        child.certificate.verify_directly_issued_by(issuer.certificate)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _copy_owner(original: Path, replacement: Path) -> None:
    """Give `replacement` the owner and group of `original` where that means anything.

    On POSIX a database changed by root (sudo) must stay its user's. Windows has no
    uid/gid (`os.chown` does not exist there); a file made in the folder inherits the
    folder's ACL, which is what the original had too.
    """
    if sys.platform == "win32":
        return
    else:
        with contextlib.suppress(PermissionError):
            stat = original.stat()
            os.chown(replacement, stat.st_uid, stat.st_gid)


def _snapshot(directory: Path, copy_dir: Path, names: Sequence[str]) -> dict[str, bytes]:
    """Copy the database files while holding SQLite's read lock (no writer can commit
    half-way through the copy); each file's change counter (header bytes 24-27, changed
    by every commit in rollback-journal mode, NSS's mode) at that moment."""
    counters: dict[str, bytes] = {}
    for name in names:
        source = directory / name
        try:
            # Our descriptor outlives SQLite's connection (see `_write_back`).
            with open(source, "rb") as handle:
                connection = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True,
                                             timeout=30.0, isolation_level=None)
                try:
                    connection.execute("BEGIN")
                    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    data = handle.read()
                    connection.execute("COMMIT")
                finally:
                    connection.close()
            (copy_dir / name).write_bytes(data)
        except (sqlite3.Error, OSError) as error:
            raise TargetError(f"Could not copy the NSS database in {directory}: "
                              f"{getattr(error, 'strerror', None) or error}.") from error
        counters[name] = data[24:28]
    return counters


def _state(directory: Path) -> tuple[object, ...] | None:
    """What names the committed content of the database in `directory`, or None when
    it cannot be known.

    In SQLite's rollback-journal mode (NSS's) every commit changes the file change
    counter (header bytes 24-27); SQLite itself trusts it to decide whether its page
    cache is still valid. Read under SQLite's shared lock, so no commit is half-way,
    for cert9.db and key4.db (the `u` flag comes from the keys), with each file's
    identity, size and modification time. None in WAL mode (commits go to the -wal file
    and leave the counter alone), with a journal left by a killed writer, or when the
    lock cannot be had at once: then the database is simply listed again.
    """
    parts: list[object] = []
    for name in ("cert9.db", "key4.db"):
        path = directory / name
        if any(os.path.lexists(f"{path}{tail}") for tail in ("-journal", "-wal")):
            return None
        try:
            # Our descriptor outlives SQLite's connection (see `_write_back`).
            with open(path, "rb") as handle:
                connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True,
                                             timeout=0.0, isolation_level=None)
                try:
                    connection.execute("BEGIN")
                    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    header = handle.read(100)
                    info = os.fstat(handle.fileno())
                    connection.execute("COMMIT")
                finally:
                    connection.close()
        except (sqlite3.Error, OSError):
            return None
        if len(header) < 100 or header[18] != 1 or header[19] != 1:
            return None  # not a rollback-journal mode database (WAL is 2)
        parts.append((name, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns,
                      header[24:28]))
    return tuple(parts)


def _digest(path: Path) -> bytes:
    # Without the 100-byte file header: a journal-mode switch rewrites its version and
    # size fields, while any change of a row changes a page after it.
    return hashlib.sha256(path.read_bytes()[100:]).digest()


def _journal_mode(directory: Path, names: Sequence[str], mode: str) -> None:
    """Switch the private copy's files to SQLite journal `mode` ("wal" or "delete").

    Leaving WAL checkpoints every row into the file and removes the -wal/-shm files;
    that failing is an error (the write-back must read the whole copy), entering WAL
    failing only costs speed.
    """
    for name in names:
        try:
            connection = sqlite3.connect((directory / name).as_uri() + "?mode=rw", uri=True,
                                         timeout=30.0, isolation_level=None)
            try:
                got = connection.execute(f"PRAGMA journal_mode={mode}").fetchone()
            finally:
                connection.close()
        except sqlite3.Error as error:
            if mode == "wal":
                continue
            raise TargetError(f"Could not read the working copy of the NSS database in "
                              f"{directory}: {error}.") from error
        if mode != "wal" and (not got or str(got[0]).lower() != mode):
            raise TargetError(f"Could not read the working copy of the NSS database in "
                              f"{directory} (journal mode {got[0] if got else '?'}).")


def _open_by_another_process(paths: Sequence[Path]) -> bool:
    """True when a process (Chrome, Firefox, another tool) has one of `paths` open.

    Linux only (/proc); elsewhere, and for processes we may not inspect, we cannot
    know, and report False only when /proc is there to ask.
    """
    if not os.path.isdir("/proc"):
        return True
    wanted = {str(p.resolve()) for p in paths if p.exists()}
    me = str(os.getpid())
    # Plain strings and os.scandir/listdir: a desktop has a few hundred processes and
    # thousands of descriptors, and pathlib objects made this scan ~1.6x slower.
    with os.scandir("/proc") as processes:
        for process in processes:
            name = process.name
            if not name.isdigit() or name == me:
                continue
            fd_dir = f"/proc/{name}/fd/"
            try:
                fds = os.listdir(fd_dir)
            except OSError:
                continue
            for fd in fds:
                try:
                    if os.readlink(fd_dir + fd) in wanted:
                        return True
                except OSError:
                    continue
    return False
