"""Which stores this machine has, and turning target ids into store objects.

`discover_targets()` lists every store found here, usable or not (an unusable one
carries its reason, so the wizard can show it greyed with the sentence).
`resolve_targets()` maps command-line ids (DESIGN.md's store table) to stores.
`default_targets()` picks the ones ticked by default: the browsers and the user's own
OS store; Linux's system store when usable; Windows' and macOS's machine-wide stores and
Java never (they are asked for: a personal certificate in LocalMachine\\My is usable only
by administrators and services, so `windows-machine` must be named to get one).
Platform modules are imported only on their platform, so nothing here fails on import.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from app.core.errors import TargetError, UsageError
from app.stores.base import TrustStore
from app.stores.bundle import PemBundle
from app.stores.chromium import ChromiumStore, discover_chromium
from app.stores.firefox import FirefoxOsTrust, FirefoxProfileStore, discover_profiles
from app.stores.java import DEFAULT_PASSWORD, JavaKeystore, discover_java_keystores
from app.stores.linux_system import LinuxSystemStore
from app.stores.nss import NssStore

FIXED_IDS = ("windows-user", "windows-machine", "macos-login", "macos-system",
             "linux-system", "firefox", "chromium")
PREFIXED_IDS = ("nss:", "java:", "bundle:")


def _platform() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def _windows_store(scope: Literal["user", "machine"], explicit: bool = False) -> TrustStore:
    """`explicit`: named by the person (`--target`, a profile), not just found here."""
    try:
        from app.stores.windows import WindowsStore
    except ImportError as error:
        raise UsageError(f"The Windows stores are not available in this build ({error}).") \
            from error
    store: TrustStore = WindowsStore(scope, explicit=explicit)
    return store


def _mac_store(scope: Literal["login", "system"]) -> TrustStore:
    try:
        from app.stores.macos import MacKeychainStore
    except ImportError as error:
        raise UsageError(f"The macOS keychains are not available in this build ({error}).") \
            from error
    store: TrustStore = MacKeychainStore(scope)
    return store


def _firefox_linux() -> list[TrustStore]:
    return [FirefoxProfileStore(profile) for profile in discover_profiles()]


def discover_targets() -> list[TrustStore]:
    """Every store found on this machine (usable or not), in the order to show them."""
    platform = _platform()
    stores: list[TrustStore] = []
    if platform == "windows":
        stores += [_windows_store("user"), _windows_store("machine"), FirefoxOsTrust()]
    elif platform == "macos":
        stores += [_mac_store("login"), _mac_store("system"), FirefoxOsTrust()]
    else:
        stores += _firefox_linux()
        stores += discover_chromium()
        stores.append(LinuxSystemStore())
    stores += discover_java_keystores()
    return stores


def _same_dir(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _nss_target(directory: str) -> TrustStore:
    """An `nss:` id; a known Firefox profile or Chromium folder keeps its label and rules."""
    path = Path(directory).expanduser()
    if _platform() == "linux":
        for store in [*_firefox_linux(), *discover_chromium()]:
            if isinstance(store, NssStore) and _same_dir(store.directory, path):
                return store
    return NssStore(path)


def resolve_targets(ids: Sequence[str],
                    passwords: Mapping[str, str] | None = None) -> list[TrustStore]:
    """Stores for command-line target ids, each once, in the order given.

    `passwords` maps a `java:` id to its keystore password (default 'changeit').
    """
    passwords = passwords or {}
    platform = _platform()
    out: list[TrustStore] = []
    for raw in ids:
        target = raw.strip()
        found: list[TrustStore]
        if target in ("windows-user", "windows-machine"):
            found = [_windows_store("user" if target == "windows-user" else "machine",
                                    explicit=True)]
        elif target in ("macos-login", "macos-system"):
            found = [_mac_store("login" if target == "macos-login" else "system")]
        elif target == "linux-system":
            found = [LinuxSystemStore()]
        elif target == "firefox":
            if platform == "linux":
                found = _firefox_linux()
                if not found:
                    raise TargetError("No Firefox profile was found for this user.")
            else:
                found = [FirefoxOsTrust()]
        elif target == "chromium":
            if platform != "linux":
                raise UsageError(
                    "Chrome and Edge use the system store here; choose "
                    + ("'windows-user'." if platform == "windows" else "'macos-login'.")
                )
            found = list(discover_chromium())
        elif target == "java":
            found = list(discover_java_keystores())
            if not found:
                raise TargetError("No Java runtime with a 'cacerts' keystore was found.")
        elif target.startswith("nss:") and len(target) > 4:
            found = [_nss_target(target[4:])]
        elif target.startswith("java:") and len(target) > 5:
            path = Path(target[5:]).expanduser().absolute()
            found = [JavaKeystore(path, passwords.get(f"java:{path}",
                                                      passwords.get(target, DEFAULT_PASSWORD)))]
        elif target.startswith("bundle:") and len(target) > 7:
            found = [PemBundle(target[7:])]
        else:
            raise UsageError(f"Unknown target '{raw}'; see 'gridcert targets'.")
        for store in found:
            if all(store.id != seen.id for seen in out):
                out.append(store)
    return out


def default_targets(stores: Sequence[TrustStore]) -> list[TrustStore]:
    """The stores ticked by default: browsers and the user's OS store, when usable."""
    chosen = []
    for store in stores:
        # Never windows-machine / macos-system: see the module's docstring.
        ticked = (
            isinstance(store, FirefoxProfileStore | FirefoxOsTrust | ChromiumStore)
            or store.id in ("windows-user", "macos-login", "linux-system")
        )
        if (isinstance(store, FirefoxProfileStore) and not store.started
                and not store.profile.default):
            # A profile nobody ever opened is probably not where the person browses.
            ticked = False
        if ticked and store.available().usable:
            chosen.append(store)
    return chosen
