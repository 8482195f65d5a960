"""Java keystores (`java:<keystore>`): a JRE's `cacerts` or any keystore, via `keytool`.

Java programs (including API clients of the grid operators) trust what is in their
JRE's `cacerts` (password `changeit` unless changed) or in a keystore they are pointed
at. The keystore password reaches keytool through `-storepass:file` with a 0600 file,
never argv. Many certificates go in with one keytool run (`-importkeystore` from a
one-time PKCS#12 truststore), since each keytool start costs a JVM start.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from glob import glob
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from app.core.errors import GridCertError, NotExportableError, TargetError
from app.core.model import CertificateItem
from app.core.p12 import read_pkcs12, write_pkcs12
from app.stores._scratch import private_dir
from app.stores._tools import find_tool, require_tool, run_tool, secret_file
from app.stores.base import (
    Availability,
    ExportProfile,
    Identity,
    StoredCertificate,
    TrustStore,
)

JAVA_PACKAGE = "a Java runtime (Debian: openjdk-17-jre-headless)"
DEFAULT_PASSWORD = "changeit"

# keytool is short-lived: the C1 compiler and the serial collector halve its start-up
# (measured here: 0.85 s -> 0.42 s CPU per run).
_JVM_FAST = ("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")

_ALIAS = re.compile(r"^Alias name: (?P<alias>.*)$", re.MULTILINE)
_TYPE = re.compile(r"^Entry type: (?P<type>\S+)", re.MULTILINE)
_PEM = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def _java_home_of(keystore: Path) -> Path | None:
    """The JRE/JDK folder a `.../lib/security/cacerts` belongs to."""
    parts = keystore.parts
    if len(parts) >= 4 and parts[-3:] == ("lib", "security", "cacerts"):
        home = keystore.parents[2]
        return home.parent if home.name == "jre" else home
    return None


def describe_java(home: Path) -> str:
    """'Java (JDK 17)' from the `release` file (or the folder name)."""
    version = None
    with contextlib.suppress(OSError):
        text = (home / "release").read_text(encoding="utf-8", errors="replace")
        match = re.search(r'^JAVA_VERSION="?(?P<v>[^"\n]+)"?', text, re.MULTILINE)
        if match:
            version = match["v"]
    if version is None:
        match = re.search(r"(?:jdk|jre|java)[-_]?(?:1\.)?(\d+)", home.name, re.IGNORECASE)
        version = match.group(1) if match else None
    if version:
        major = version.split(".")[1] if version.startswith("1.") else version.split(".")[0]
    kind = "JDK" if (home / "bin" / "javac").exists() or (home / "bin" / "javac.exe").exists() \
        else "JRE"
    return f"Java ({kind} {major})" if version else f"Java ({home.name})"


def java_homes(platform: str | None = None, env: Mapping[str, str] | None = None) -> list[Path]:
    """JRE/JDK folders: JAVA_HOME first, then the usual install folders of each OS."""
    platform = platform or sys.platform
    env = os.environ if env is None else env
    patterns: list[str] = []
    if platform.startswith("win"):
        for base in {env.get("ProgramFiles", r"C:\Program Files"),
                     env.get("ProgramW6432", r"C:\Program Files")}:
            patterns += [os.path.join(base, vendor, "*") for vendor in
                         ("Java", "Eclipse Adoptium", "Microsoft", "Zulu", "Amazon Corretto")]
    elif platform == "darwin":
        patterns += ["/Library/Java/JavaVirtualMachines/*/Contents/Home",
                     os.path.expanduser("~/Library/Java/JavaVirtualMachines/*/Contents/Home")]
    else:
        patterns += ["/usr/lib/jvm/*", "/usr/java/*", "/opt/java/*", "/opt/jdk*"]
    homes: list[Path] = []
    if env.get("JAVA_HOME"):
        homes.append(Path(env["JAVA_HOME"]))
    for pattern in patterns:
        homes.extend(Path(p) for p in sorted(glob(pattern)))
    return homes


def cacerts_of(home: Path) -> Path | None:
    for candidate in (home / "lib" / "security" / "cacerts",
                      home / "jre" / "lib" / "security" / "cacerts"):
        if candidate.exists():
            return candidate
    return None


def discover_java_keystores(platform: str | None = None,
                            env: Mapping[str, str] | None = None,
                            homes: Sequence[Path] | None = None) -> list[JavaKeystore]:
    """One store per distinct `cacerts` file (Debian's JREs all share /etc/ssl/certs/java)."""
    by_file: dict[str, tuple[Path, builtins.list[str], str | None]] = {}
    windows = (platform or sys.platform).startswith("win")
    for home in (java_homes(platform, env) if homes is None else homes):
        home = home.resolve()
        cacerts = cacerts_of(home)
        if cacerts is None:
            continue
        keytool = home / "bin" / ("keytool.exe" if windows else "keytool")
        label = describe_java(home)
        real = os.path.realpath(cacerts)
        if real in by_file:
            labels = by_file[real][1]
            if label not in labels:
                labels.append(label)
            continue
        by_file[real] = (cacerts, [label], str(keytool) if keytool.exists() else None)
    stores = []
    for cacerts, labels, keytool_path in by_file.values():
        label = labels[0] if len(labels) == 1 else (
            "Java (" + ", ".join(x.removeprefix("Java (").removesuffix(")") for x in labels) + ")"
        )
        stores.append(JavaKeystore(cacerts, label=label, keytool=keytool_path))
    return stores


class JavaKeystore(TrustStore):
    """The keystore at `path` (created on first add when missing; PKCS#12 then)."""

    holds_identities = True
    # keytool works on a copy that is renamed into place (`_changing`).
    changes_atomically = True

    def __init__(self, path: str | os.PathLike[str], password: str = DEFAULT_PASSWORD,
                 label: str | None = None, keytool: str | None = None) -> None:
        self.path = Path(path).expanduser().absolute()
        self.id = f"java:{self.path}"
        home = _java_home_of(self.path)
        self.label = label or (describe_java(home) if home else f"Java keystore {self.path.name}")
        self._password = password
        self._keytool = keytool
        #: path -> (its stat signature, its entries) as keytool last listed them.
        self._listed: dict[str, tuple[tuple[int, int, int] | None,
                                      tuple[tuple[str, str, bytes], ...]]] = {}
        # A JRE's cacerts is every Java program's trust list: personal keys do not
        # belong there, only in a keystore of their own.
        self.holds_identities = home is None

    def lock_path(self) -> Path | None:
        return self.path.parent / f".{self.path.name}.gridcert-lock"

    def _tool(self) -> str:
        if self._keytool and os.access(self._keytool, os.X_OK):
            return self._keytool
        return require_tool("keytool", JAVA_PACKAGE)

    def available(self) -> Availability:
        if not (self._keytool or find_tool("keytool")):
            return Availability(False, f"keytool is not installed; install {JAVA_PACKAGE}.")
        refusal = self.write_refusal()
        if refusal is not None:
            return Availability(False, refusal)
        return Availability(True)

    def write_refusal(self) -> str | None:
        """Why GridCert cannot change this keystore, found out by trying; None when it can.

        `os.access` is not enough: on Windows it looks only at the read-only attribute and
        ignores ACLs (CPython's `os.access` there reads GetFileAttributesW), so the cacerts
        of a JRE under Program Files "looks writable" to a standard user and keytool then
        fails half-way. Opening the keystore for appending asks the OS for write access
        and changes nothing (no byte is written); a missing keystore is probed by
        creating and deleting a file beside it.
        """
        try:
            if self.path.exists():
                with open(self.path, "ab"):
                    pass
            else:
                fd, probe = tempfile.mkstemp(prefix=".gridcert-probe-", dir=self.path.parent)
                os.close(fd)
                os.unlink(probe)
        except PermissionError:
            return self._admin_sentence()
        except OSError as error:
            if error.errno == errno.EROFS:
                return f"The Java keystore {self.path} is on a read-only disk; GridCert " \
                       "cannot change it."
            return f"GridCert cannot create the keystore {self.path}."
        return None

    def _admin_sentence(self) -> str:
        return (f"Changing the Java keystore {self.path} needs administrator rights; run "
                "GridCert as an administrator, or choose a keystore of your own.")

    # --- running keytool -------------------------------------------------------------------
    @contextlib.contextmanager
    def _storepass(self) -> Iterator[str]:
        with secret_file(self._password) as path:
            yield path

    def _run(self, *args: str, what: str, keystore: Path | None = None) -> str:
        with self._storepass() as pwfile:
            try:
                done = run_tool([self._tool(), *_JVM_FAST, *args, "-keystore",
                                 str(keystore or self.path), "-storepass:file", pwfile],
                                what=what)
            except GridCertError as error:
                raise self._explain(error) from error
        return done.stdout.decode("utf-8", "replace")

    def _explain(self, error: GridCertError) -> GridCertError:
        text = str(error).lower()
        if "password was incorrect" in text or "password verification failed" in text:
            return TargetError(f"The password of the Java keystore {self.path} is wrong.")
        if "access is denied" in text or "permission denied" in text:
            return TargetError(self._admin_sentence())
        return error

    # --- reading -------------------------------------------------------------------------
    def entries(self, keystore: Path | None = None) -> builtins.list[tuple[str, str, bytes]]:
        """(alias, entry type, DER of its certificate) for every entry (of `keystore`, a
        copy being changed, when given)."""
        path = keystore or self.path
        if not path.exists():
            return []
        signature = _signature(path)
        cached = self._listed.get(str(path))
        if cached is not None and cached[0] == signature:
            # Each keytool run is a JVM start (~0.4 s): a file that has not changed since
            # it was last listed (same inode, size and time) is not listed again.
            return builtins.list(cached[1])
        text = self._run("-list", "-rfc", what=f"list {self.label}", keystore=path)
        out = []
        starts = [m for m in _ALIAS.finditer(text)]
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
            section = text[match.end():end]
            kind = _TYPE.search(section)
            pem = _PEM.search(section)
            if pem is None:
                continue
            cert = x509.load_pem_x509_certificate(pem.group(0).encode())
            out.append((match["alias"].strip(), kind["type"] if kind else "",
                        cert.public_bytes(serialization.Encoding.DER)))
        if signature is not None and keystore is None:
            self._listed[str(path)] = (signature, tuple(out))
        elif signature is not None:
            # The copy being changed: once renamed into place it *is* the keystore (the
            # rename keeps its inode, size and time), so its listing serves for it.
            self._listed[str(self.path)] = (signature, tuple(out))
        return out

    def list(self) -> builtins.list[StoredCertificate]:
        stored = []
        for alias, kind, der in self.entries():
            item = CertificateItem(x509.load_der_x509_certificate(der), source=self.id,
                                   friendly_name=alias)
            stored.append(StoredCertificate(
                item=item, target_id=self.id, location=alias,
                trusted=kind == "trustedCertEntry",
                extra={"alias": alias, "entry_type": kind},
                key_in_store=kind == "PrivateKeyEntry",
            ))
        return stored

    # --- changing ------------------------------------------------------------------------
    @contextlib.contextmanager
    def _changing(self, before: Iterable[str],
                  removed: frozenset[str] = frozenset()) -> Iterator[Path]:
        """The path keytool must change: a copy beside the keystore, put in place only
        once keytool has finished and the copy reads back with every entry it had
        (`before`, fingerprints just read; less the `removed` ones).

        keytool rewrites a keystore in place: killed or out of disk space half-way, it
        leaves a cut file and the person's own key entries are gone. The copy lives in
        the same folder so that `os.replace` is atomic; the original is untouched until
        then.
        """
        folder = self.path.parent
        work = folder / f".{self.path.name}.gridcert-{secrets.token_hex(6)}.tmp"
        existed = self.path.exists()
        try:
            try:
                if existed:
                    shutil.copy2(self.path, work)
            except OSError as error:
                raise TargetError(
                    f"GridCert cannot change the Java keystore {self.path} safely: there is "
                    f"no room for a copy beside it ({error.strerror or error})."
                ) from error
            yield work
            if not work.exists():
                return  # keytool had nothing to do
            after = {hashlib.sha256(der).hexdigest() for _, _, der in self.entries(work)}
            lost = set(before) - after - removed
            if lost:
                raise TargetError(
                    f"keytool lost {len(lost)} entries of the Java keystore {self.path} while "
                    "changing it; the keystore was left as it was."
                )
            try:
                with open(work, "rb") as handle:
                    os.fsync(handle.fileno())
                if existed:
                    shutil.copymode(self.path, work)
                    if sys.platform != "win32":  # Windows: the folder's ACL is inherited
                        with contextlib.suppress(OSError):
                            stat = self.path.stat()
                            os.chown(work, stat.st_uid, stat.st_gid)
                os.replace(work, self.path)
            except OSError as error:
                raise TargetError(
                    f"Could not put the changed Java keystore {self.path} in place "
                    f"({error.strerror or error}); it was left as it was."
                ) from error
            _fsync_folder(folder)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(work)

    def add_anchor(self, item: CertificateItem) -> None:
        self.add_many([item])

    def add_intermediate(self, item: CertificateItem) -> None:
        self.add_many([item])

    def _aliases(self) -> tuple[dict[str, str], set[str]]:
        entries = self.entries()
        by_sha = {hashlib.sha256(der).hexdigest(): alias for alias, _, der in entries}
        return by_sha, {alias.lower() for alias, _, _ in entries}

    @staticmethod
    def _unique_alias(wanted: str, taken: set[str]) -> str:
        # JKS folds aliases to lower case; compare that way for both formats.
        base = "".join(ch for ch in wanted if ch.isprintable()).strip() or "gridcert"
        alias, number = base, 2
        while alias.lower() in taken:
            alias = f"{base} #{number}"
            number += 1
        taken.add(alias.lower())
        return alias

    def add_many(self, items: Sequence[CertificateItem]) -> None:
        by_sha, taken = self._aliases()
        present = set(by_sha)
        todo: builtins.list[tuple[str, CertificateItem]] = []
        for item in items:
            if item.sha256 in by_sha:
                continue
            by_sha[item.sha256] = ""
            todo.append((self._unique_alias(item.display_name, taken), item))
        if not todo:
            return
        if len(todo) == 1:
            alias, item = todo[0]
            with private_dir("java") as work:
                pem = Path(work) / "cert.pem"
                pem.write_bytes(item.pem)
                with self._changing(present) as copy:
                    self._run("-importcert", "-noprompt", "-trustcacerts", "-alias", alias,
                              "-file", str(pem), what=f"add {item.display_name} to {self.label}",
                              keystore=copy)
            return
        one_time = secrets.token_urlsafe(24)
        blob = pkcs12.serialize_java_truststore(
            [pkcs12.PKCS12Certificate(item.certificate, alias.encode()) for alias, item in todo],
            serialization.BestAvailableEncryption(one_time.encode()),
        )
        self._import_p12(blob, one_time, present,
                         what=f"add {len(todo)} certificates to {self.label}")

    def _import_p12(self, blob: bytes, one_time: str, present: Iterable[str],
                    what: str) -> None:
        with self._changing(present) as copy:
            self._import_p12_into(copy, blob, one_time, what)

    def _import_p12_into(self, dest: Path, blob: bytes, one_time: str, what: str) -> None:
        with private_dir("java") as work:
            p12 = Path(work) / "in.p12"
            fd = os.open(p12, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            with secret_file(one_time, work) as src_pw, self._storepass() as dest_pw:
                try:
                    run_tool([self._tool(), *_JVM_FAST, "-importkeystore", "-noprompt",
                              "-srckeystore", str(p12), "-srcstoretype", "PKCS12",
                              "-srcstorepass:file", src_pw,
                              "-destkeystore", str(dest), "-deststorepass:file", dest_pw],
                             what=what)
                except GridCertError as error:
                    raise self._explain(error) from error

    def import_identity(self, identity: Identity) -> None:
        leaf = identity.leaf
        by_sha, taken = self._aliases()
        if leaf.sha256 in by_sha:
            return
        alias = self._unique_alias(identity.friendly_name or leaf.display_name, taken)
        # A PKCS#12 keystore's key password is its store password, so the key entry is
        # protected like the rest of the keystore.
        assert leaf.private_key is not None
        blob = pkcs12.serialize_key_and_certificates(
            alias.encode(), leaf.private_key,  # type: ignore[arg-type]
            leaf.certificate, [ca.certificate for ca in identity.chain] or None,
            serialization.BestAvailableEncryption(self._password.encode()),
        )
        self._import_p12(blob, self._password, set(by_sha),
                         what=f"import {leaf.display_name} into {self.label}")

    def export_identity(self, sha256: str, password: str, profile: ExportProfile) -> bytes:
        """A key entry as PKCS#12 in `profile` (its key password is the store password)."""
        sha256 = sha256.lower()
        found = next(((alias, kind) for alias, kind, der in self.entries()
                      if hashlib.sha256(der).hexdigest() == sha256), None)
        if found is None:
            raise TargetError(f"{self.label} has no certificate with fingerprint {sha256}.")
        alias, kind = found
        if kind != "PrivateKeyEntry":
            raise NotExportableError(f"'{alias}' in {self.label} has no private key to export.")
        one_time = secrets.token_urlsafe(24)
        with private_dir("java") as work:
            out = Path(work) / "out.p12"
            with self._storepass() as src_pw, secret_file(one_time, work) as dest_pw:
                try:
                    run_tool([self._tool(), *_JVM_FAST, "-importkeystore", "-noprompt",
                              "-srckeystore", str(self.path), "-srcstorepass:file", src_pw,
                              "-srcalias", alias, "-destkeystore", str(out),
                              "-deststoretype", "PKCS12", "-deststorepass:file", dest_pw],
                             what=f"export '{alias}' from {self.label}")
                except GridCertError as error:
                    raise self._explain(error) from error
            data = out.read_bytes()
        items = read_pkcs12(data, one_time, f"{self.label}: {alias}")
        leaf, chain = items[0], items[1:]
        return write_pkcs12(leaf, chain, password, profile, friendly_name=alias)

    def remove(self, sha256: str) -> None:
        sha256 = sha256.lower()
        entries = self.entries()
        aliases = [alias for alias, _, der in entries if hashlib.sha256(der).hexdigest() == sha256]
        if not aliases:
            return
        present = {hashlib.sha256(der).hexdigest() for _, _, der in entries}
        with self._changing(present, removed=frozenset({sha256})) as copy:
            for alias in aliases:
                self._run("-delete", "-alias", alias,
                          what=f"remove '{alias}' from {self.label}", keystore=copy)


def _signature(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, modification time in ns): changes whenever keytool rewrites the file
    (on Windows st_ino is the NTFS file id)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows cannot open a folder this way)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
