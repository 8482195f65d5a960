"""Fixtures of the integration tests; the plain helpers behind them are in cliutil.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import require_tool
from tests.integration.cliutil import new_nssdb


@pytest.fixture
def nssdb(tmp_path: Path) -> Path:
    """A new, empty real NSS database (certutil -N) in the test's folder; pk12util (same
    package) is required too, since identities go in and out through it."""
    require_tool("pk12util", "libnss3-tools")
    return new_nssdb(tmp_path / "nssdb")
