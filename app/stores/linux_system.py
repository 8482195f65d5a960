"""The Linux system trust store (`linux-system`): an anchor folder plus a refresh command.

The distribution family is told by which anchor folder exists (not /etc/os-release,
which derivatives rename): Fedora/RHEL, Debian/Ubuntu, Arch/p11-kit, SUSE. GridCert
writes `gridcert-<cn>-<sha256[:12]>.crt` there and runs the family's refresh command,
which lives in /usr/sbin on most systems (not on a normal user's PATH).

`GRIDCERT_LINUX_ROOT` names a prefix (tests, image builders): the folder inside the
prefix is changed, and the refresh command is not run against the real system but
recorded in `<prefix>/refresh.log`, so that nothing outside the prefix changes.
This store serves programs that check servers (curl, Python, Java via p11-kit); it does
not hold personal certificates.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import os
import re
import shlex
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from app.core.errors import GridCertError, TargetError, ToolMissingError
from app.core.model import CertificateItem
from app.stores._tools import find_tool, run_tool
from app.stores.base import Availability, StoredCertificate, TrustStore


@dataclass(frozen=True)
class Family:
    """One way distributions keep their extra trust anchors."""

    key: str
    name: str
    anchors: str  # relative to the prefix
    refresh: tuple[str, ...]


# Probe order from mkcert/smallstep; the first folder that exists decides.
FAMILIES = (
    Family("fedora", "Fedora/RHEL", "etc/pki/ca-trust/source/anchors",
           ("update-ca-trust", "extract")),
    Family("debian", "Debian/Ubuntu", "usr/local/share/ca-certificates",
           ("update-ca-certificates",)),
    Family("arch", "Arch/p11-kit", "etc/ca-certificates/trust-source/anchors",
           ("trust", "extract-compat")),
    Family("suse", "SUSE", "etc/pki/trust/anchors", ("update-ca-certificates",)),
)

_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def linux_root() -> Path:
    """The prefix the system store lives under ('/' unless GRIDCERT_LINUX_ROOT says)."""
    return Path(os.environ.get("GRIDCERT_LINUX_ROOT") or "/")


def detect_family(prefix: Path) -> Family | None:
    for family in FAMILIES:
        if (prefix / family.anchors).is_dir():
            return family
    return None


def file_name(item: CertificateItem) -> str:
    """`gridcert-<cn-slug>-<sha256[:12]>.crt` (update-ca-certificates wants `.crt`)."""
    slug = re.sub(r"[^a-z0-9]+", "-", item.display_name.lower()).strip("-")[:40] or "cert"
    return f"gridcert-{slug}-{item.sha256[:12]}.crt"


def _is_root_user() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


class LinuxSystemStore(TrustStore):
    """The distribution's anchor folder under `prefix` (default: GRIDCERT_LINUX_ROOT or /)."""

    id = "linux-system"

    def __init__(self, prefix: str | os.PathLike[str] | None = None) -> None:
        self.prefix = Path(prefix) if prefix is not None else linux_root()
        self.family = detect_family(self.prefix)
        family = self.family.name if self.family else "Linux"
        self.label = f"This computer ({family} system store)"

    @property
    def prefixed(self) -> bool:
        return self.prefix.resolve() != Path("/")

    @property
    def anchor_dir(self) -> Path | None:
        return self.prefix / self.family.anchors if self.family else None

    def available(self) -> Availability:
        if self.family is None or self.anchor_dir is None:
            return Availability(
                False,
                "GridCert does not know where this Linux keeps the certificates the whole "
                "computer trusts (it knows Debian/Ubuntu, Fedora/RHEL, Arch and SUSE), so it "
                "cannot add certificates for all users here.",
                detail=(f"No anchor folder of a known Linux family under {self.prefix} "
                        f"(looked for {', '.join(f.anchors for f in FAMILIES)})."),
            )
        if self.prefixed:
            if not os.access(self.anchor_dir, os.W_OK):
                return Availability(False, f"GridCert cannot write to {self.anchor_dir}.")
            return Availability(True)
        if not _is_root_user():
            return Availability(
                False,
                "Adding certificates for the whole computer needs administrator rights; "
                "run GridCert with pkexec or as root.",
            )
        if find_tool(self.family.refresh[0]) is None:
            return Availability(
                False, f"The program '{self.family.refresh[0]}' that refreshes the system store "
                "is not installed."
            )
        return Availability(True)

    def notes(self) -> builtins.list[str]:
        notes = ["The system store is used by programs such as curl and Python; browsers "
                 "on Linux keep their own stores."]
        if not self.prefixed and not _is_root_user():
            notes.append("To change it, run the same command as administrator: "
                         "pkexec gridcert install ... --target linux-system")
        return notes

    # --- reading -------------------------------------------------------------------------
    def _files(self) -> builtins.list[Path]:
        folder = self.anchor_dir
        if folder is None or not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir()
                      if p.is_file() and p.suffix.lower() in (".crt", ".pem", ".cer"))

    def _read_file(self, path: Path) -> builtins.list[CertificateItem]:
        try:
            data = path.read_bytes()
        except OSError:
            return []
        certs: builtins.list[x509.Certificate] = []
        try:
            blocks = _PEM.findall(data)
            if blocks:
                certs = [x509.load_pem_x509_certificate(block) for block in blocks]
            else:
                certs = [x509.load_der_x509_certificate(data)]
        except ValueError:
            return []
        return [CertificateItem(cert, source=str(path)) for cert in certs]

    def list(self) -> builtins.list[StoredCertificate]:
        out = []
        for path in self._files():
            for item in self._read_file(path):
                out.append(StoredCertificate(
                    item=item, target_id=self.id, location=path.name, trusted=True,
                    extra={"file": str(path),
                           "written_by_gridcert": str(path.name.startswith("gridcert-")).lower()},
                ))
        return out

    # --- changing ------------------------------------------------------------------------
    def _require_usable(self) -> Path:
        state = self.available()
        if not state.usable or self.anchor_dir is None:
            raise TargetError(state.reason or f"{self.label} cannot be changed.",
                              state.detail)
        return self.anchor_dir

    def add_anchor(self, item: CertificateItem) -> None:
        self.add_many([item])

    def add_intermediate(self, item: CertificateItem) -> None:
        self.add_many([item])

    def add_many(self, items: Sequence[CertificateItem]) -> None:
        folder = self._require_usable()
        present = {entry.item.sha256 for entry in self.list()}
        written: builtins.list[Path] = []
        try:
            for item in items:
                if item.sha256 in present:
                    continue
                present.add(item.sha256)
                target = folder / file_name(item)
                _write_atomic(target, item.pem)
                written.append(target)
            if written:
                self.refresh()
                self._check_bundle(present={item.sha256 for item in items}, absent=set())
        except GridCertError:
            for path in written:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            raise

    def remove(self, sha256: str) -> None:
        sha256 = sha256.lower()
        if self.anchor_dir is None:
            return
        doomed = {Path(entry.extra["file"]) for entry in self.list()
                  if entry.item.sha256 == sha256}
        if not doomed:
            return
        self._require_usable()
        for path in doomed:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as error:
                raise TargetError(f"Could not remove {path}: {error.strerror}.") from error
        self.refresh()
        self._check_bundle(present=set(), absent={sha256})

    # --- what programs read ------------------------------------------------------------------
    def generated_bundle(self) -> Path | None:
        """The file programs read (Debian: /etc/ssl/certs/ca-certificates.crt), made by the
        refresh command from the anchor folder; None where GridCert does not check it."""
        if self.family is None or self.family.key != "debian":
            return None
        return self.prefix / "etc/ssl/certs/ca-certificates.crt"

    def _bundle_shas(self) -> set[str] | None:
        bundle = self.generated_bundle()
        if bundle is None or not bundle.is_file():
            return None
        return {item.sha256 for item in self._read_file(bundle)}

    def _check_bundle(self, present: set[str], absent: set[str]) -> None:
        """Read back the bundle programs read, not only the anchor folder.

        Debian's update-ca-certificates leaves a removed certificate in
        ca-certificates.crt when it removes the last local one (or with an empty
        ca-certificates.conf), and a killed run leaves the file as it was: then it runs
        again with --fresh, which rebuilds the file; still wrong is an error.
        """
        shas = self._bundle_shas()
        if shas is None or (present <= shas and not absent & shas):
            return
        self.refresh(fresh=True)
        shas = self._bundle_shas() or set()
        if absent & shas:
            # --fresh writes no file at all when no certificate is left (its
            # "#996005" guard): take the removed ones out of the generated file here.
            self._drop_from_bundle(absent)
            shas = self._bundle_shas() or set()
        if not present <= shas or absent & shas:
            raise TargetError(
                f"{self.generated_bundle()} (the file programs read) does not show the "
                f"change made in {self.anchor_dir} even after it was rebuilt."
            )

    def _drop_from_bundle(self, shas: set[str]) -> None:
        bundle = self.generated_bundle()
        if bundle is None:
            return
        try:
            data = bundle.read_bytes()
        except OSError:
            return
        kept = []
        for block in _PEM.findall(data):
            try:
                sha = CertificateItem(x509.load_pem_x509_certificate(block), "").sha256
            except ValueError:
                sha = ""
            if sha not in shas:
                kept.append(block + b"\n")
        _write_atomic(bundle, b"".join(kept))

    def contains(self, sha256: str) -> bool:
        shas = self._bundle_shas()
        return super().contains(sha256) or (shas is not None and sha256 in shas)

    def refresh(self, fresh: bool = False) -> None:
        """Run the family's refresh command (recorded, not run, under a prefix).
        `fresh`: Debian's --fresh, which rebuilds its bundle from nothing."""
        assert self.family is not None
        extra = ("--fresh",) if fresh and self.family.key == "debian" else ()
        command = (*self.family.refresh, *extra)
        if self.prefixed:
            relocated = self._relocated_refresh()
            if relocated:
                relocated = [*relocated, *extra]
            log = self.prefix / "refresh.log"
            stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(f"{stamp} {shlex.join(relocated or command)}\n")
            if relocated:
                run_tool(relocated, what=f"refresh {self.label}", timeout=300.0)
            return
        tool = find_tool(command[0])
        if tool is None:
            raise ToolMissingError(
                f"The program '{command[0]}' that refreshes the system store is not installed."
            )
        run_tool([tool, *command[1:]], what=f"refresh {self.label}", timeout=300.0)


    def _relocated_refresh(self) -> builtins.list[str] | None:
        """Debian's update-ca-certificates can work entirely inside a prefix; the others
        (update-ca-trust, trust extract-compat) cannot, so they are only recorded."""
        if self.family is None or self.family.key != "debian":
            return None
        tool = find_tool("update-ca-certificates")
        if tool is None:
            return None
        p = self.prefix
        folders = {
            "--certsdir": p / "usr/share/ca-certificates",
            "--localcertsdir": p / "usr/local/share/ca-certificates",
            "--etccertsdir": p / "etc/ssl/certs",
            "--hooksdir": p / "etc/ca-certificates/update.d",
        }
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        conf = p / "etc/ca-certificates.conf"
        if not conf.exists():
            conf.touch()
        args = [tool, "--certsconf", str(conf)]
        for option, folder in folders.items():
            args += [option, str(folder)]
        return args


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        fd, temp = tempfile.mkstemp(prefix=".gridcert-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, 0o644)  # every program on the machine must read anchors
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
    except OSError as error:
        raise TargetError(f"Could not write {path}: {error.strerror or error}.") from error
