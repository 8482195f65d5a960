"""The target registry: what is discovered, how ids resolve, what is ticked by default."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.errors import EXIT_USAGE, TargetError, UsageError
from app.stores import registry
from app.stores.bundle import PemBundle
from app.stores.chromium import ChromiumStore
from app.stores.firefox import FirefoxOsTrust, FirefoxProfileStore
from app.stores.java import JavaKeystore
from app.stores.linux_system import LinuxSystemStore
from app.stores.nss import NssStore
from app.stores.registry import default_targets, discover_targets, resolve_targets
from tests.helpers import require_tool


def firefox_profile(home: Path, name: str = "abcd.default-release", with_db: bool = True) -> Path:
    root = home / ".mozilla" / "firefox"
    root.mkdir(parents=True, exist_ok=True)
    ini = root / "profiles.ini"
    sections = ini.read_text() if ini.exists() else ""
    index = sections.count("[Profile")
    default = "Default=1\n" if index == 0 else ""
    ini.write_text(sections + f"[Profile{index}]\nName={name}\nIsRelative=1\nPath={name}\n"
                   f"{default}\n")
    folder = root / name
    folder.mkdir()
    if with_db:
        (folder / "cert9.db").write_bytes(b"")
        (folder / "key4.db").write_bytes(b"")
    return folder


@pytest.fixture
def home(isolated_home: Path) -> Path:
    require_tool("certutil", "libnss3-tools")
    return isolated_home


@pytest.fixture
def linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_platform", lambda: "linux")


def test_linux_discovery_and_defaults(home: Path, linux: None) -> None:
    usable = firefox_profile(home)
    unstarted = firefox_profile(home, "never.started", with_db=False)
    (Path(os.environ["GRIDCERT_LINUX_ROOT"]) / "etc/pki/ca-trust/source/anchors").mkdir(
        parents=True)

    found = discover_targets()
    ids = [store.id for store in found]
    assert ids[:4] == [f"nss:{usable}", f"nss:{unstarted}",
                       f"nss:{home / '.local/share/pki/nssdb'}", "linux-system"]
    assert all(isinstance(s, JavaKeystore) for s in found[4:])
    labels = [store.label for store in found[:4]]
    assert labels == ["Firefox — profile 'abcd.default-release' (opens by default)",
                      "Firefox — profile 'never.started'",
                      "Chrome and Edge", "This computer (Fedora/RHEL system store)"]

    ticked = [store.id for store in default_targets(found)]
    # Usable browsers and the (prefixed, so usable) system store; never Java; not the
    # profile Firefox never opened.
    assert ticked == [f"nss:{usable}", f"nss:{home / '.local/share/pki/nssdb'}", "linux-system"]


def test_linux_system_not_ticked_when_unusable(home: Path, linux: None) -> None:
    stores = discover_targets()  # the prefix has no anchor folder of any family
    system = next(s for s in stores if s.id == "linux-system")
    assert not system.available().usable
    assert "linux-system" not in [s.id for s in default_targets(stores)]


def test_resolve_each_kind_of_id(home: Path, linux: None, tmp_path: Path) -> None:
    profile = firefox_profile(home)
    stores = resolve_targets([
        "firefox", "chromium", "linux-system", f"nss:{tmp_path / 'db'}",
        f"java:{tmp_path / 'k.p12'}", f"bundle:{tmp_path / 'api.pem'}",
    ])
    kinds = [type(s) for s in stores]
    assert kinds == [FirefoxProfileStore, ChromiumStore, LinuxSystemStore, NssStore,
                     JavaKeystore, PemBundle]
    assert stores[0].id == f"nss:{profile}"
    assert stores[3].id == f"nss:{tmp_path / 'db'}"
    assert stores[4].id == f"java:{tmp_path / 'k.p12'}"
    assert stores[5].id == f"bundle:{tmp_path / 'api.pem'}"


def test_nss_id_of_a_known_profile_keeps_its_rules(home: Path, linux: None) -> None:
    profile = firefox_profile(home)
    (store,) = resolve_targets([f"nss:{profile}"])
    assert isinstance(store, FirefoxProfileStore)
    assert store.label == "Firefox — profile 'abcd.default-release' (opens by default)"
    (chromium,) = resolve_targets([f"nss:{home / '.local/share/pki/nssdb'}"])
    assert isinstance(chromium, ChromiumStore)


def test_each_store_once(home: Path, linux: None, tmp_path: Path) -> None:
    profile = firefox_profile(home)
    stores = resolve_targets(["firefox", f"nss:{profile}", "firefox",
                              f"bundle:{tmp_path / 'a.pem'}", f"bundle:{tmp_path / 'a.pem'}"])
    assert [s.id for s in stores] == [f"nss:{profile}", f"bundle:{tmp_path / 'a.pem'}"]


def test_unknown_ids_are_usage_errors(home: Path) -> None:
    for bad in ("iexplore", "nss:", "java:", "bundle:", "FIREFOX", ""):
        with pytest.raises(UsageError) as caught:
            resolve_targets([bad])
        assert str(caught.value) == f"Unknown target '{bad}'; see 'gridcert targets'."
        assert caught.value.exit_code == EXIT_USAGE


def test_firefox_without_profiles(home: Path, linux: None) -> None:
    with pytest.raises(TargetError, match="No Firefox profile"):
        resolve_targets(["firefox"])


def test_java_keystore_password(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "k.jks"
    (store,) = resolve_targets([f"java:{path}"], passwords={f"java:{path}": "other-pw"})
    assert isinstance(store, JavaKeystore) and store._password == "other-pw"
    (default,) = resolve_targets([f"java:{path}"])
    assert isinstance(default, JavaKeystore) and default._password == "changeit"


def test_windows_layout(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_platform", lambda: "windows")
    stores = discover_targets()
    assert [s.id for s in stores[:3]] == ["windows-user", "windows-machine", "firefox"]
    assert isinstance(stores[2], FirefoxOsTrust)
    assert [s.id for s in resolve_targets(["windows-user", "firefox"])] == [
        "windows-user", "firefox"]
    with pytest.raises(UsageError, match="windows-user"):
        resolve_targets(["chromium"])
    # Not on Windows really: its stores say so and are not ticked.
    assert "windows-user" not in [s.id for s in default_targets(stores)]


def test_macos_layout(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("app.stores.macos")
    monkeypatch.setattr(registry, "_platform", lambda: "macos")
    stores = discover_targets()
    assert [s.id for s in stores[:3]] == ["macos-login", "macos-system", "firefox"]
    with pytest.raises(UsageError, match="macos-login"):
        resolve_targets(["chromium"])
