"""Firefox profile discovery over a fake HOME, the lock, and the user.js adapter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.errors import StoreLockedError
from app.core.model import CertificateItem
from app.stores.chromium import ChromiumStore, chromium_db_dir, discover_chromium
from app.stores.firefox import (
    FIREFOX_BUSY,
    FirefoxOsTrust,
    FirefoxProfile,
    FirefoxProfileStore,
    discover_profiles,
    ensure_user_prefs,
    firefox_running,
    prefs_enabled,
    profile_roots,
    read_profiles_ini,
)
from tests.pki import make_root


def write_ini(root: Path, text: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "profiles.ini").write_text(text)


def make_profile(folder: Path, with_db: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if with_db:
        (folder / "cert9.db").write_bytes(b"")
        (folder / "key4.db").write_bytes(b"")
    return folder


@pytest.fixture
def home(isolated_home: Path) -> Path:
    return isolated_home


def test_classic_snap_flatpak_xdg_relative_and_absolute(home: Path, tmp_path: Path) -> None:
    classic = home / ".mozilla" / "firefox"
    write_ini(classic, """[Install4F96D1932A9F858E]
Default=abcd.default-release
Locked=1

[Profile1]
Name=work
IsRelative=1
Path=wxyz.work

[Profile0]
Name=default-release
IsRelative=1
Path=abcd.default-release

[Profile2]
Name=elsewhere
IsRelative=0
Path={absolute}

[General]
StartWithLastProfile=1
Version=2
""".format(absolute=tmp_path / "custom-profile"))
    make_profile(classic / "abcd.default-release")
    make_profile(classic / "wxyz.work")
    make_profile(tmp_path / "custom-profile")

    snap = home / "snap" / "firefox" / "common" / ".mozilla" / "firefox"
    write_ini(snap, "[Profile0]\nName=default\nIsRelative=1\nPath=s1.default\nDefault=1\n")
    make_profile(snap / "s1.default")

    flatpak = home / ".var" / "app" / "org.mozilla.firefox" / ".mozilla" / "firefox"
    write_ini(flatpak, "[Profile0]\nName=default\nIsRelative=1\nPath=f1.default\nDefault=1\n"
                       "[Profile1]\nName=gone\nIsRelative=1\nPath=missing.folder\n")
    make_profile(flatpak / "f1.default")

    xdg = home / ".config" / "mozilla" / "firefox"
    write_ini(xdg, "[Profile0]\nName=new\nIsRelative=1\nPath=x1.new\n")
    make_profile(xdg / "x1.new")

    found = discover_profiles("linux")
    labels = {p.label: p.path for p in found}
    assert labels == {
        "Firefox — profile 'default-release' (opens by default)":
            classic / "abcd.default-release",
        "Firefox — profile 'work'": classic / "wxyz.work",
        "Firefox — profile 'elsewhere'": tmp_path / "custom-profile",
        "Firefox — profile 'new'": xdg / "x1.new",
        "Firefox (snap) — profile 'default' (opens by default)": snap / "s1.default",
        "Firefox (flatpak) — profile 'default' (opens by default)": flatpak / "f1.default",
    }
    stores = [FirefoxProfileStore(p) for p in found]
    assert all(s.id == f"nss:{s.directory}" for s in stores)
    assert all(s.kind == "sql" for s in stores)


def test_same_folder_listed_twice_appears_once(home: Path) -> None:
    classic = home / ".mozilla" / "firefox"
    write_ini(classic, "[Profile0]\nName=a\nPath=p.a\nIsRelative=1\nDefault=1\n")
    make_profile(classic / "p.a")
    xdg = home / ".config" / "mozilla" / "firefox"
    write_ini(xdg, f"[Profile0]\nName=a\nPath={classic / 'p.a'}\nIsRelative=0\n")
    assert [p.path for p in discover_profiles("linux")] == [classic / "p.a"]


def test_broken_or_missing_ini(home: Path) -> None:
    assert discover_profiles("linux") == []
    classic = home / ".mozilla" / "firefox"
    write_ini(classic, "this is not [an ini\n\x00")
    assert read_profiles_ini(classic) == []


def test_windows_and_macos_roots(tmp_path: Path) -> None:
    env = {"APPDATA": str(tmp_path / "Roaming")}
    assert profile_roots("win32", tmp_path, env) == [(tmp_path / "Roaming" / "Mozilla" /
                                                      "Firefox", "")]
    mac = profile_roots("darwin", tmp_path, {})
    assert mac == [(tmp_path / "Library" / "Application Support" / "Firefox", "")]
    # On Windows profiles.ini uses forward slashes in relative paths.
    root = tmp_path / "Roaming" / "Mozilla" / "Firefox"
    write_ini(root, "[Profile0]\nName=default\nIsRelative=1\nPath=Profiles/q.default\n"
                    "Default=1\n")
    make_profile(root / "Profiles" / "q.default")
    assert [p.path for p in discover_profiles("win32", tmp_path, env)] == [
        root / "Profiles" / "q.default"]


def test_windows_microsoft_store_firefox(tmp_path: Path) -> None:
    """Firefox from the Microsoft Store (MSIX) keeps its profiles in the package's folder.

    Windows redirects a packaged app's writes to %APPDATA% into %LOCALAPPDATA%\\Packages\\
    <family name>\\LocalCache\\Roaming (Microsoft, "Understanding how packaged desktop apps
    run on Windows"); the fake tree below is what such a Firefox leaves there.
    """
    env = {"APPDATA": str(tmp_path / "Roaming"), "LOCALAPPDATA": str(tmp_path / "Local")}
    classic = tmp_path / "Roaming" / "Mozilla" / "Firefox"
    write_ini(classic, "[Profile0]\nName=default-release\nIsRelative=1\n"
                       "Path=Profiles/c.default-release\nDefault=1\n")
    make_profile(classic / "Profiles" / "c.default-release", with_db=False)
    package = tmp_path / "Local" / "Packages" / "Mozilla.Firefox_n80bbvh6b1yt2"
    store_root = package / "LocalCache" / "Roaming" / "Mozilla" / "Firefox"
    write_ini(store_root, "[Install308046B0AF4A39CB]\nDefault=Profiles/m.default-release\n\n"
                          "[Profile0]\nName=default-release\nIsRelative=1\n"
                          "Path=Profiles/m.default-release\n")
    make_profile(store_root / "Profiles" / "m.default-release", with_db=False)
    # Another package whose name merely starts alike is not Firefox.
    write_ini(tmp_path / "Local" / "Packages" / "Mozilla.Thunderbird_x" / "LocalCache" /
              "Roaming" / "Mozilla" / "Firefox", "[Profile0]\nPath=t\n")

    assert (store_root, "Microsoft Store") in profile_roots("win32", tmp_path, env)
    found = discover_profiles("win32", tmp_path, env)
    assert [p.path for p in found] == [classic / "Profiles" / "c.default-release",
                                       store_root / "Profiles" / "m.default-release"]
    assert found[1].default and found[1].label == \
        "Firefox (Microsoft Store) — profile 'default-release' (opens by default)"
    # No LOCALAPPDATA: the standard folder under the user's home.
    fallback = profile_roots("win32", tmp_path, {"APPDATA": env["APPDATA"]})
    assert fallback == [(classic, "")]  # no Packages folder under tmp_path/AppData/Local

    # On Windows the `firefox` target does not touch NSS: it turns on the two
    # preferences in every profile, the Store one included (DESIGN.md, Trust stores).
    trust = FirefoxOsTrust(found, record_file=tmp_path / "record.json")
    trust.add_anchor(CertificateItem(make_root("Store Root").cert, "r.pem"))
    for profile in found:
        assert prefs_enabled(profile.path)
        assert not (profile.path / "cert9.db").exists()


def test_windows_firefox_target_is_the_os_trust_adapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.stores import registry

    monkeypatch.setattr(registry, "_platform", lambda: "windows")
    (found,) = registry.resolve_targets(["firefox"])
    assert isinstance(found, FirefoxOsTrust)


def test_never_started_profile_gets_the_database_firefox_would_make(home: Path) -> None:
    """A profile created but never started has no cert9.db: reading it lists nothing and
    creates nothing; the first write makes an empty NSS database without a password (as
    Firefox does at its first start), which real certutil then reads with the root."""
    from tests.helpers import require_tool

    certutil = require_tool("certutil", "libnss3-tools")
    folder = make_profile(home / "p", with_db=False)
    store = FirefoxProfileStore(FirefoxProfile(folder, "fresh", False))
    assert not store.started
    assert store.available().usable
    assert store.list() == []
    assert not (folder / "cert9.db").exists()
    root = CertificateItem(make_root("Fresh Profile Root").cert, "r.pem")
    store.add_anchor(root)
    assert store.started and (folder / "cert9.db").exists() and (folder / "key4.db").exists()
    listing = subprocess.run([certutil, "-L", "-d", f"sql:{folder}"], capture_output=True,
                             text=True, check=True).stdout
    assert "Fresh Profile Root" in listing
    # No password: certutil opens the key database without asking (a database with a
    # password says "could not authenticate" when no terminal can give one).
    keys = subprocess.run([certutil, "-K", "-d", f"sql:{folder}"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, check=False)
    said = keys.stdout + keys.stderr
    assert "no keys found" in said and "authenticate" not in said
    assert [e.item.sha256 for e in store.list()] == [root.sha256]


def test_lock_of_a_running_firefox(home: Path) -> None:
    folder = make_profile(home / "p")
    assert not firefox_running(folder)
    # A Python child rather than `sleep`, which Windows lacks.
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        try:
            os.symlink(f"127.0.1.1:+{sleeper.pid}", folder / "lock")
        except OSError as error:  # Windows without the symlink privilege
            pytest.skip(f"cannot make Firefox's lock symlink here: {error}")
        assert firefox_running(folder)
        store = FirefoxProfileStore(FirefoxProfile(folder, "default", True))
        assert store.busy_reason() == FIREFOX_BUSY
        assert FIREFOX_BUSY == "Firefox is open; close it first, then try again."
        root = make_root("Any Root")
        with pytest.raises(StoreLockedError, match="Firefox is open"):
            store.add_anchor(CertificateItem(root.cert, "r.pem"))
    finally:
        sleeper.kill()
        sleeper.wait()
    # The process is gone: a lock left by a crash does not block (where /proc can tell;
    # elsewhere Firefox's profiles are not NSS targets, and a lock counts as busy).
    assert firefox_running(folder) is not Path("/proc").is_dir()


def test_user_js_prefs_keep_other_lines(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    folder.mkdir()
    original = (
        '// my settings\n'
        'user_pref("browser.startup.homepage", "https://example.com");\n'
        'user_pref("security.enterprise_roots.enabled", false);\n'
        'user_pref("privacy.donottrackheader.enabled", true);'
    )
    (folder / "user.js").write_text(original)
    assert not prefs_enabled(folder)
    assert ensure_user_prefs(folder) is True
    assert (folder / "user.js").read_text() == (
        '// my settings\n'
        'user_pref("browser.startup.homepage", "https://example.com");\n'
        'user_pref("security.enterprise_roots.enabled", true);\n'
        'user_pref("privacy.donottrackheader.enabled", true);\n'
        'user_pref("security.osclientcerts.autoload", true);\n'
    )
    assert prefs_enabled(folder)
    assert ensure_user_prefs(folder) is False  # already right: file untouched


def test_user_js_created_when_missing(tmp_path: Path) -> None:
    assert ensure_user_prefs(tmp_path) is True
    assert (tmp_path / "user.js").read_text() == (
        'user_pref("security.enterprise_roots.enabled", true);\n'
        'user_pref("security.osclientcerts.autoload", true);\n'
    )


def test_firefox_os_trust_store(tmp_path: Path) -> None:
    profiles = [FirefoxProfile(make_profile(tmp_path / name), name, name == "a")
                for name in ("a", "b")]
    (profiles[1].path / "user.js").write_text('user_pref("x", 1);\r\n')
    store = FirefoxOsTrust(profiles)
    assert store.id == "firefox" and store.available().usable
    assert any("system store" in note for note in store.notes())
    root = CertificateItem(make_root("Any Root").cert, "r.pem")
    assert not store.contains(root.sha256) and store.list() == []
    store.add_anchor(root)
    assert store.prefs_on()
    assert (profiles[1].path / "user.js").read_bytes() == (
        b'user_pref("x", 1);\r\n'
        b'user_pref("security.enterprise_roots.enabled", true);\r\n'
        b'user_pref("security.osclientcerts.autoload", true);\r\n'
    )
    # What was meant for Firefox is listed (for the install's read-back) ...
    assert [e.item.sha256 for e in store.list()] == [root.sha256]
    assert store.contains(root.sha256)
    # ... and forgotten on remove; the preferences stay on for the others.
    store.remove(root.sha256.upper())
    assert not store.contains(root.sha256)
    assert store.prefs_on()
    # A user who turns the preference off again: Firefox no longer sees the OS store.
    store.add_anchor(root)
    (profiles[0].path / "user.js").write_text(
        'user_pref("security.enterprise_roots.enabled", false);\n')
    assert not store.contains(root.sha256)
    assert not FirefoxOsTrust([]).available().usable


def test_chromium_paths(home: Path) -> None:
    modern = home / ".local" / "share" / "pki" / "nssdb"
    legacy = home / ".pki" / "nssdb"
    assert chromium_db_dir() == modern  # neither exists: the new place, created on use
    make_profile(legacy)
    assert chromium_db_dir() == legacy  # an existing old database is used
    make_profile(modern)
    assert chromium_db_dir() == modern
    stores = discover_chromium()
    assert [s.label for s in stores] == ["Chrome and Edge"]
    assert isinstance(stores[0], ChromiumStore) and stores[0].create
    snap = make_profile(home / "snap" / "chromium" / "current" / ".pki" / "nssdb")
    assert [s.directory for s in discover_chromium()] == [modern, snap]


def test_labels_name_the_profile_its_firefox_and_the_default(home: Path) -> None:
    """Release, ESR, Developer Edition and Nightly side by side (one profiles.ini, one
    [Install…] section per installed Firefox): each label names the profile and its
    Firefox, marks what each Firefox opens by default, and no two labels are equal."""
    classic = home / ".mozilla" / "firefox"
    write_ini(classic, """[Install4F96D1932A9F858E]
Default=r1.default-release

[Install46F492E0ACFF84D4]
Default=d1.dev-edition-default

[Profile0]
Name=default-release
IsRelative=1
Path=r1.default-release

[Profile1]
Name=dev-edition-default
IsRelative=1
Path=d1.dev-edition-default

[Profile2]
Name=default-esr
IsRelative=1
Path=e1.default-esr

[Profile3]
Name=default-nightly
IsRelative=1
Path=n1.default-nightly

[Profile4]
Name=default
IsRelative=1
Path=a1.default
""")
    for folder in ("r1.default-release", "d1.dev-edition-default", "e1.default-esr",
                   "n1.default-nightly", "a1.default"):
        make_profile(classic / folder)
    # The same profile name again in the newer XDG folder (another Firefox's profiles.ini).
    xdg = home / ".config" / "mozilla" / "firefox"
    write_ini(xdg, "[Profile0]\nName=default\nIsRelative=1\nPath=b2.default\n")
    make_profile(xdg / "b2.default")
    labels = [p.label for p in discover_profiles("linux")]
    assert labels == [
        "Firefox — profile 'default-release' (opens by default)",
        "Firefox Developer Edition — profile 'dev-edition-default' (opens by default)",
        "Firefox ESR — profile 'default-esr'",
        "Firefox Nightly — profile 'default-nightly'",
        "Firefox — profile 'default' — folder a1.default",
        "Firefox — profile 'default' — folder b2.default",
    ]
    assert len(set(labels)) == len(labels)


def test_same_folder_name_in_two_places_still_differs(home: Path) -> None:
    classic = home / ".mozilla" / "firefox"
    xdg = home / ".config" / "mozilla" / "firefox"
    for root in (classic, xdg):
        write_ini(root, "[Profile0]\nName=default\nIsRelative=1\nPath=same.default\n")
        make_profile(root / "same.default")
    labels = [p.label for p in discover_profiles("linux")]
    assert labels == [f"Firefox — profile 'default' — folder {classic / 'same.default'}",
                      f"Firefox — profile 'default' — folder {xdg / 'same.default'}"]
