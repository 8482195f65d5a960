"""Remembering passphrases in the operating system's keyring, never anywhere else.

Thin wrapper over `keyring` (Windows Credential Manager, macOS Keychain, Secret Service).
`keyring` is imported lazily so the CLI starts fast and a broken backend cannot break
import of the app. When no usable backend exists (the `fail`/`null` backends, a locked or
unreachable Secret Service), `store_secret` returns False and `load_secret` returns None:
the caller then asks the person for the passphrase. There is deliberately no plain-text
fallback (DESIGN.md "Secrets").
"""

from __future__ import annotations

import logging
from typing import Any

SERVICE = "GridCert"

_log = logging.getLogger(__name__)

# Backends that exist only to say "no keyring here"; storing into them fails or loses data.
_UNUSABLE_BACKENDS = ("keyring.backends.fail", "keyring.backends.null")


def _backend() -> Any | None:
    """The active keyring backend, or None when there is no usable one."""
    try:
        import keyring
    except Exception:  # pragma: no cover - keyring is a dependency, but stay robust
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    # A chainer with nothing behind it, or the fail/null backends, cannot keep secrets.
    module = type(backend).__module__
    if module.startswith(_UNUSABLE_BACKENDS):
        return None
    if module.startswith("keyring.backends.chainer"):
        backends = getattr(backend, "backends", [])
        if not backends:
            return None
    try:
        priority = float(getattr(backend, "priority", 1))
    except Exception:
        priority = 1.0
    if priority <= 0 and not module.startswith("keyring.backends.chainer"):
        return None
    return backend


def keyring_available() -> bool:
    """True when a real keyring backend is configured (it may still be locked)."""
    return _backend() is not None


def store_secret(name: str, secret: str) -> bool:
    """Keep `secret` under `name`; False when no usable backend (nothing is written anywhere)."""
    backend = _backend()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, name, secret)
    except Exception as exc:  # KeyringLocked, PasswordSetError, D-Bus errors...
        # Log the kind of failure only: never the secret.
        _log.info("keyring refused to store %r: %s", name, type(exc).__name__)
        return False
    return True


def load_secret(name: str) -> str | None:
    """The secret kept under `name`, or None when absent or the keyring is unusable/locked."""
    backend = _backend()
    if backend is None:
        return None
    try:
        value = backend.get_password(SERVICE, name)
    except Exception as exc:
        _log.info("keyring could not read %r: %s", name, type(exc).__name__)
        return None
    return value if isinstance(value, str) else None


def delete_secret(name: str) -> None:
    """Forget the secret under `name`; silently nothing when it is absent or no keyring."""
    backend = _backend()
    if backend is None:
        return
    try:
        backend.delete_password(SERVICE, name)
    except Exception as exc:  # PasswordDeleteError when absent: that is fine
        _log.debug("keyring delete of %r: %s", name, type(exc).__name__)
