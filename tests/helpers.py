"""Test helpers shared by every suite: real tools that must be there on CI."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Debian keeps some tools in sbin, which a normal PATH may lack.
_SBIN = ("/usr/sbin", "/sbin", "/usr/local/sbin")


def tool_path(name: str) -> str | None:
    if sys.platform == "win32" and name == "certutil":
        # Windows' own System32\certutil.exe is another program: NSS's is the one beside
        # pk12util, as the NSS store itself decides (so the Windows runner skips).
        from app.stores.nss import nss_tool

        return nss_tool(name)
    found = shutil.which(name)
    if found:
        return found
    for folder in _SBIN:
        candidate = os.path.join(folder, name)
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def require_tool(name: str, package: str) -> str:
    """The tool's path; a missing tool skips the test here and fails it on CI (CI=true)."""
    path = tool_path(name)
    if path is None:
        message = f"'{name}' is not installed (Debian package {package})"
        if ON_CI:
            pytest.fail(f"{message}; CI must install it")
        pytest.skip(message)
    return path
