"""Keyring and backups against a real Secret Service (run under scripts/with-keyring.sh),
plus the paths where no backend exists or the keyring refuses."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail

from app.actions import backup, secrets
from app.core.errors import BadInputError, KeyringUnavailableError
from tests.helpers import ON_CI, require_tool

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_remembered_passphrase() -> Iterator[None]:
    backup.forget_session_passphrase()
    yield
    backup.forget_session_passphrase()


def _secret_service_works() -> bool:
    backend = keyring.get_keyring()
    return "SecretService" in type(backend).__module__ or "SecretService" in repr(backend)


@pytest.fixture
def real_keyring() -> Iterator[None]:
    """The real Secret Service; skipped here without one, a failure on CI."""
    keyring.core.init_backend()
    if not _secret_service_works():
        message = f"no Secret Service (use scripts/with-keyring.sh): {keyring.get_keyring()!r}"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    yield


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


class LockedKeyring(keyring.backend.KeyringBackend):
    """Behaves like a Secret Service whose collection stays locked (the user declined)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


# Defining a backend registers it with keyring's auto-selection; take it out again so the
# real Secret Service (not a chainer including this stand-in) stays the default.
keyring.backend.KeyringBackend._classes.discard(LockedKeyring)  # type: ignore[attr-defined]


@pytest.fixture
def locked_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())
    yield
    keyring.set_keyring(previous)


def test_real_secret_service_round_trip(real_keyring: None) -> None:
    name = f"test-{uuid.uuid4().hex}"
    assert secrets.keyring_available()
    assert secrets.store_secret(name, "correct horse battery staple")
    assert secrets.load_secret(name) == "correct horse battery staple"
    # The secret is really in the Secret Service, read back through keyring's own API.
    assert keyring.get_password(secrets.SERVICE, name) == "correct horse battery staple"
    secrets.delete_secret(name)
    assert secrets.load_secret(name) is None
    secrets.delete_secret(name)  # deleting what is absent is not an error


def test_backup_passphrase_generated_once_and_kept(real_keyring: None) -> None:
    secrets.delete_secret(backup.BACKUP_SECRET_NAME)
    first = backup.backup_passphrase()
    assert len(first) >= 32
    assert backup.backup_passphrase() == first
    assert keyring.get_password(secrets.SERVICE, backup.BACKUP_SECRET_NAME) == first
    assert backup.backup_passphrase("typed by the user") == "typed by the user"
    secrets.delete_secret(backup.BACKUP_SECRET_NAME)


def test_no_backend_means_no_storage_and_no_plaintext(no_keyring: None, tmp_path: Path) -> None:
    assert not secrets.keyring_available()
    assert secrets.store_secret("x", "s3cret-value") is False
    assert secrets.load_secret("x") is None
    secrets.delete_secret("x")
    with pytest.raises(KeyringUnavailableError) as info:
        backup.backup_passphrase()
    assert "passphrase" in str(info.value)
    assert backup.backup_passphrase("supplied") == "supplied"
    # Nothing containing the secret was written anywhere under HOME or the data dir.
    home = Path(os.environ["HOME"])
    for path in home.rglob("*"):
        if path.is_file():
            assert b"s3cret-value" not in path.read_bytes(), path


def test_locked_keyring_is_reported_not_raised(locked_keyring: None) -> None:
    assert secrets.keyring_available()
    assert secrets.store_secret("x", "value") is False
    assert secrets.load_secret("x") is None
    secrets.delete_secret("x")
    with pytest.raises(KeyringUnavailableError) as info:
        backup.backup_passphrase()
    assert "locked" in str(info.value)


def test_fail_backend_selected_by_environment() -> None:
    """PYTHON_KEYRING_BACKEND=fail, as a user without any keyring would have it."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    code = (
        "from app.actions import secrets, backup\n"
        "from app.core.errors import KeyringUnavailableError\n"
        "print(secrets.keyring_available(), secrets.store_secret('n', 'v'), "
        "secrets.load_secret('n'))\n"
        "try:\n    backup.backup_passphrase()\nexcept KeyringUnavailableError as e:\n"
        "    print('unavailable:', e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "False False None"
    assert lines[1].startswith("unavailable: No system keyring")


def test_save_backup_is_private_and_unique() -> None:
    first = backup.save_backup(b"\x30\x82encrypted-pkcs12", "ERCOT client / 2025", ".p12")
    second = backup.save_backup(b"\x30\x82encrypted-pkcs12", "ERCOT client / 2025", ".p12")
    assert first != second
    assert first.parent == Path(os.environ["GRIDCERT_DATA_DIR"]) / "backups"
    assert first.suffix == ".p12" and "/" not in first.name[len("YYYYmmddTHHMMSSZ-") :]
    if os.name == "posix":
        assert stat.S_IMODE(first.stat().st_mode) == 0o600
        assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
    assert first.read_bytes() == b"\x30\x82encrypted-pkcs12"
    assert backup.list_backups() == [first, second]


def test_save_backup_refuses_clear_keys_and_empty() -> None:
    with pytest.raises(BadInputError, match="unencrypted private key"):
        backup.save_backup(
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "old", ".pem"
        )
    with pytest.raises(BadInputError, match="empty"):
        backup.save_backup(b"", "old", ".p12")
    assert backup.list_backups() == []
    ok = backup.save_backup(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n", "old", "pem")
    assert ok.suffix == ".pem"


def test_really_locked_secret_service() -> None:
    """A real gnome-keyring whose collection is locked, in its own private D-Bus session
    (so the suite's keyring stays unlocked): nothing is stored, nothing raises."""
    require_tool("dbus-run-session", "dbus")
    require_tool("gnome-keyring-daemon", "gnome-keyring")
    code = (
        "import secretstorage\n"
        "from app.actions import secrets, backup\n"
        "from app.core.errors import KeyringUnavailableError\n"
        "bus = secretstorage.dbus_init()\n"
        "secretstorage.get_default_collection(bus).lock()\n"
        "print(secrets.keyring_available(), secrets.store_secret('n', 'v'), "
        "secrets.load_secret('n'))\n"
        "try:\n    backup.backup_passphrase()\nexcept KeyringUnavailableError as e:\n"
        "    print('unavailable:', e)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GRIDCERT_IN_KEYRING_SESSION"}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "with-keyring.sh"), sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "True False None"
    assert "locked" in lines[1]


def test_supplied_backup_passphrase_is_remembered_in_memory_only(no_keyring: None) -> None:
    backup.forget_session_passphrase()
    with pytest.raises(KeyringUnavailableError):
        backup.backup_passphrase()
    assert backup.backup_passphrase("typed once") == "typed once"
    # Later calls in the same process (the journal's backup-before-remove) get it too.
    assert backup.backup_passphrase() == "typed once"
    backup.forget_session_passphrase()
    with pytest.raises(KeyringUnavailableError):
        backup.backup_passphrase()
