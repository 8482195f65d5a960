"""Firefox: finding every profile, and making Firefox see the certificates.

On Linux every profile has its own NSS database, so each profile becomes an
`NssStore` (id `nss:<profile dir>`). Profiles are read from every `profiles.ini`
Firefox may use: classic `~/.mozilla/firefox`, snap, flatpak and the newer XDG folder
(Windows: `%APPDATA%\\Mozilla\\Firefox`, and the Microsoft Store package's own folder);
`Path=` may be relative (`IsRelative=1`) or absolute. A running Firefox holds its
profile's `lock`; changing the database under it would be lost or corrupt it, so the
store reports itself busy.

On Windows and macOS Firefox reads the operating system's store when two preferences
are on; the `firefox` target (`FirefoxOsTrust`) makes sure each profile's `user.js`
sets them, keeping every other line of the file.
"""

from __future__ import annotations

import builtins
import configparser
import contextlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography import x509

from app.core.errors import TargetError
from app.core.model import CertificateItem
from app.core.paths import data_dir
from app.stores.base import Availability, Identity, StoredCertificate, TrustStore
from app.stores.nss import NssStore

FIREFOX_BUSY = "Firefox is open; close it first, then try again."

#: The preferences that make Firefox on Windows/macOS use the OS store.
OS_TRUST_PREFS = (
    "security.enterprise_roots.enabled",
    "security.osclientcerts.autoload",
)


#: Which Firefox a profile belongs to, from the name Firefox gives its dedicated
#: profiles (Firefox ≥ 67: "default-release", "default-esr", "dev-edition-default",
#: "default-nightly"; the folder is "<random>.<that name>").
_CHANNELS = (
    ("dev-edition-default", "Developer Edition"),
    ("default-nightly", "Nightly"),
    ("default-esr", "ESR"),
    ("default-beta", "Beta"),
)


def firefox_channel(name: str, folder: str = "") -> str:
    """'Developer Edition', 'Nightly', 'ESR', 'Beta', or '' (release, or not known)."""
    for text in (name, folder.rsplit(".", 1)[-1] if "." in folder else ""):
        lowered = text.strip().lower()
        for marker, channel in _CHANNELS:
            if lowered == marker or lowered.endswith(marker):
                return channel
    return ""


@dataclass(frozen=True)
class FirefoxProfile:
    """One profile listed in a `profiles.ini`.

    `default`: the profile this Firefox opens by default ([Install…] Default=, or
    Default=1 before Firefox 67). `distinct`: what tells this profile apart when another
    one found on the machine would otherwise have the same label (its folder).
    """

    path: Path
    name: str
    default: bool
    flavour: str = ""  # "", "snap", "flatpak" or "Microsoft Store"
    distinct: str = ""

    @property
    def channel(self) -> str:
        return firefox_channel(self.name, self.path.name)

    @property
    def application(self) -> str:
        """'Firefox', 'Firefox Developer Edition', 'Firefox ESR (snap)', ..."""
        app = f"Firefox {self.channel}" if self.channel else "Firefox"
        return f"{app} ({self.flavour})" if self.flavour else app

    @property
    def label(self) -> str:
        """'Firefox — profile 'default-release' (opens by default)': the profile's own name,
        which Firefox it belongs to, and whether that Firefox opens it by default."""
        text = f"{self.application} — profile '{self.name}'"
        if self.default:
            text += " (opens by default)"
        if self.distinct:
            text += f" — {self.distinct}"
        return text


def profile_roots(
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> list[tuple[Path, str]]:
    """Folders that may hold a `profiles.ini`, with their flavour ('', 'snap', 'flatpak',
    'Microsoft Store')."""
    platform = platform or sys.platform
    env = os.environ if env is None else env
    home = home or Path(env.get("HOME") or Path.home())
    if platform.startswith("win"):
        appdata = env.get("APPDATA")
        base = Path(appdata) if appdata else home / "AppData" / "Roaming"
        roots = [(base / "Mozilla" / "Firefox", "")]
        # Firefox from the Microsoft Store is an MSIX package: Windows redirects its
        # writes to %APPDATA% into the package's own folder, %LOCALAPPDATA%\Packages\
        # <family name>\LocalCache\Roaming ("Understanding how packaged desktop apps run
        # on Windows", learn.microsoft.com/windows/msix/desktop/desktop-to-uwp-behind-the-
        # scenes, "AppData"). The family name is Mozilla.Firefox_<publisher hash>.
        local = env.get("LOCALAPPDATA")
        packages = (Path(local) if local else home / "AppData" / "Local") / "Packages"
        with contextlib.suppress(OSError):
            for package in sorted(packages.glob("Mozilla.Firefox_*")):
                roots.append((package / "LocalCache" / "Roaming" / "Mozilla" / "Firefox",
                              "Microsoft Store"))
        return roots
    if platform == "darwin":
        return [(home / "Library" / "Application Support" / "Firefox", "")]
    config = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
    roots = [
        (home / ".mozilla" / "firefox", ""),
        (config / "mozilla" / "firefox", ""),
        (home / "snap" / "firefox" / "common" / ".mozilla" / "firefox", "snap"),
        (home / ".var" / "app" / "org.mozilla.firefox" / ".mozilla" / "firefox", "flatpak"),
    ]
    if config != home / ".config":
        roots.insert(2, (home / ".config" / "mozilla" / "firefox", ""))
    return roots


def read_profiles_ini(root: Path, flavour: str = "") -> list[FirefoxProfile]:
    """The profiles a `profiles.ini` in `root` lists (missing or broken file: none)."""
    ini = root / "profiles.ini"
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        with open(ini, encoding="utf-8", errors="replace") as handle:
            parser.read_file(handle)
    except (OSError, configparser.Error):
        return []
    # Firefox ≥ 67 marks each installation's default in [Install...] sections; older
    # ones use Default=1 in the profile's section.
    install_defaults = {
        parser.get(section, "Default", fallback="").strip()
        for section in parser.sections()
        if section.startswith("Install")
    } - {""}
    profiles: list[FirefoxProfile] = []
    for section in parser.sections():
        if not section.startswith("Profile"):
            continue
        raw_path = parser.get(section, "Path", fallback="").strip()
        if not raw_path:
            continue
        relative = parser.get(section, "IsRelative", fallback="1").strip() != "0"
        path = (root / raw_path) if relative else Path(raw_path)
        default = (
            raw_path in install_defaults
            if install_defaults
            else parser.get(section, "Default", fallback="0").strip() == "1"
        )
        name = parser.get(section, "Name", fallback="").strip() or path.name
        profiles.append(FirefoxProfile(path.absolute(), name, default, flavour))
    return profiles


def discover_profiles(
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> list[FirefoxProfile]:
    """Every Firefox profile on this machine, each folder once, in a stable order."""
    seen: set[str] = set()
    found: list[FirefoxProfile] = []
    for root, flavour in profile_roots(platform, home, env):
        for profile in read_profiles_ini(root, flavour):
            key = os.path.realpath(profile.path)
            if key in seen or not profile.path.is_dir():
                continue
            seen.add(key)
            found.append(profile)
    return _distinct_labels(found)


def _distinct_labels(profiles: list[FirefoxProfile]) -> list[FirefoxProfile]:
    """Two profiles never read the same: a repeated label gets the profile's folder name,
    and if even that repeats, the full folder."""
    for full in (False, True):
        counts: dict[str, int] = {}
        for profile in profiles:
            counts[profile.label] = counts.get(profile.label, 0) + 1
        if all(count == 1 for count in counts.values()):
            break
        profiles = [
            replace(p, distinct=f"folder {p.path if full else p.path.name}")
            if counts[p.label] > 1 else p
            for p in profiles
        ]
    return profiles


def firefox_running(profile_dir: Path) -> bool:
    """True when a Firefox holds this profile.

    On Linux/macOS Firefox keeps a `lock` symlink pointing at "host:+pid" while it
    runs; a crash leaves it behind, so a lock whose process is gone on this machine is
    not counted. Windows: `parent.lock` cannot be deleted while Firefox runs.
    """
    lock = profile_dir / "lock"
    if os.path.islink(lock):
        target = os.readlink(lock)
        match = re.fullmatch(r"(?P<host>.*):\+(?P<pid>\d+)", target)
        if match and Path("/proc").is_dir():
            # A lock left by a crash names a process that is gone.
            return Path("/proc", match["pid"]).exists()
        return True
    if lock.exists():
        return True
    parent_lock = profile_dir / "parent.lock"
    if sys.platform.startswith("win") and parent_lock.exists():
        try:
            os.remove(parent_lock)
        except OSError:
            return True
    return False


class FirefoxProfileStore(NssStore):
    """A Firefox profile's NSS database (Linux), busy while Firefox runs.

    A profile that was created but never started has no cert9.db yet: GridCert makes it
    the way Firefox would (an empty NSS database without a password, `certutil -N
    --empty-password`) when it first writes there; reading it lists nothing.
    """

    def __init__(self, profile: FirefoxProfile) -> None:
        super().__init__(profile.path, profile.label, create=True, busy_message=FIREFOX_BUSY)
        self.profile = profile

    @property
    def started(self) -> bool:
        """False for a profile Firefox never opened (no certificate database yet)."""
        return self.kind is not None

    def busy_reason(self) -> str | None:
        return FIREFOX_BUSY if firefox_running(self.directory) else None

    def notes(self) -> builtins.list[str]:
        return ["Firefox must be closed while its certificates change."]


# --- Windows and macOS: Firefox reads the OS store ----------------------------------------

_PREF_LINE = re.compile(r'^\s*user_pref\(\s*"(?P<name>[^"]+)"\s*,\s*(?P<value>[^)]*)\)\s*;?\s*$')


def ensure_user_prefs(profile_dir: Path, prefs: Sequence[str] = OS_TRUST_PREFS) -> bool:
    """Make `user.js` in `profile_dir` set each pref to true; True when the file changed.

    Lines that set other preferences, comments and their order stay as they were; a
    line that sets one of `prefs` to something else is replaced in place.
    """
    user_js = profile_dir / "user.js"
    try:
        original = ""
        if user_js.exists():
            # newline="" keeps Windows line endings as they are.
            with open(user_js, encoding="utf-8", newline="") as handle:
                original = handle.read()
    except OSError as error:
        raise TargetError(f"Could not read {user_js}: {error.strerror}.") from error
    newline = "\r\n" if "\r\n" in original else "\n"
    lines = original.splitlines(keepends=True)
    done: set[str] = set()
    out: list[str] = []
    for line in lines:
        match = _PREF_LINE.match(line.rstrip("\r\n"))
        if match and match["name"] in prefs:
            if match["name"] in done:
                continue  # a later duplicate would override ours
            done.add(match["name"])
            wanted = f'user_pref("{match["name"]}", true);'
            ending = line[len(line.rstrip("\r\n")):] or newline
            out.append(wanted + ending if match["value"].strip() != "true" else line)
            continue
        out.append(line)
    missing = [name for name in prefs if name not in done]
    if missing:
        if out and not out[-1].endswith(("\n", "\r")):
            out[-1] += newline
        out.extend(f'user_pref("{name}", true);{newline}' for name in missing)
    text = "".join(out)
    if text == original:
        return False
    _atomic_write(user_js, text)
    return True


def prefs_enabled(profile_dir: Path, prefs: Sequence[str] = OS_TRUST_PREFS) -> bool:
    """True when `user.js` sets every pref in `prefs` to true."""
    try:
        text = (profile_dir / "user.js").read_text(encoding="utf-8")
    except OSError:
        return False
    values: dict[str, str] = {}
    for line in text.splitlines():
        match = _PREF_LINE.match(line)
        if match:
            values.setdefault(match["name"], match["value"].strip())
    return all(values.get(name) == "true" for name in prefs)


def _atomic_write(path: Path, text: str) -> None:
    try:
        fd, temp = tempfile.mkstemp(prefix=".user.js.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            if path.exists():
                os.chmod(temp, path.stat().st_mode & 0o777)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
    except OSError as error:
        raise TargetError(f"Could not write {path}: {error.strerror or error}.") from error


class FirefoxOsTrust(TrustStore):
    """The `firefox` target on Windows/macOS: every profile told to read the OS store.

    The certificates themselves go to the OS store (its own target). Adding here turns
    Firefox's preferences on and records, in GridCert's data folder, which certificates
    were meant for Firefox; `list()` shows those while the preferences are on. That
    keeps add → verify → undo consistent for the transaction: remove forgets the
    certificate (the OS store step removes the certificate itself); the preferences stay
    on, since other certificates may rely on them.
    """

    id = "firefox"
    label = "Firefox"
    holds_identities = True

    def __init__(self, profiles: Sequence[FirefoxProfile] | None = None,
                 record_file: Path | None = None) -> None:
        self._profiles = builtins.list(profiles) if profiles is not None else None
        self._record_file = record_file

    @property
    def profiles(self) -> builtins.list[FirefoxProfile]:
        if self._profiles is None:
            self._profiles = discover_profiles()
        return self._profiles

    @property
    def record_file(self) -> Path:
        return self._record_file or data_dir() / "firefox-os-trust.json"

    def available(self) -> Availability:
        if not self.profiles:
            return Availability(False, "No Firefox profile was found for this user.")
        return Availability(True)

    def busy_reason(self) -> str | None:
        # user.js is read at start: a running Firefox picks the change up next time,
        # so it need not be closed.
        return None

    def notes(self) -> builtins.list[str]:
        return [
            "Firefox reads certificates from the system store; GridCert turns that on in "
            "each Firefox profile (user.js). Restart Firefox afterwards."
        ]

    def enable_os_trust(self) -> builtins.list[Path]:
        """Turn the prefs on in every profile; the profiles whose user.js changed."""
        if not self.profiles:
            raise TargetError("No Firefox profile was found for this user.")
        return [p.path for p in self.profiles if ensure_user_prefs(p.path)]

    def prefs_on(self) -> bool:
        return bool(self.profiles) and all(prefs_enabled(p.path) for p in self.profiles)

    # --- the record of what was meant for Firefox -------------------------------------------
    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.record_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _save(self, records: dict[str, str]) -> None:
        self.record_file.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.record_file, json.dumps(records, indent=1, sort_keys=True) + "\n")

    def _record(self, items: Sequence[CertificateItem]) -> None:
        self.enable_os_trust()
        records = self._load()
        for item in items:
            records[item.sha256] = item.pem.decode("ascii")
        self._save(records)

    def list(self) -> builtins.list[StoredCertificate]:
        if not self.prefs_on():
            return []
        out = []
        for pem in self._load().values():
            try:
                cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
            except ValueError:
                continue
            item = CertificateItem(cert, source=self.id)
            out.append(StoredCertificate(item=item, target_id=self.id,
                                         location="system store (read by Firefox)",
                                         trusted=item.role == "root",
                                         extra={"via": "system store"}))
        return out

    def add_anchor(self, item: CertificateItem) -> None:
        self._record([item])

    def add_intermediate(self, item: CertificateItem) -> None:
        self._record([item])

    def add_many(self, items: Sequence[CertificateItem]) -> None:
        self._record(items)

    def import_identity(self, identity: Identity) -> None:
        self._record([identity.leaf])

    def remove(self, sha256: str) -> None:
        records = self._load()
        if records.pop(sha256.lower(), None) is not None:
            self._save(records)
