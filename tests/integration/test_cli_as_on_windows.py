"""The `gridcert` command line run as on Windows, where crypt32 says no in every way it can.

A child interpreter simulates Windows (tests/unit/test_platform_simulation.py: win32
platform, no POSIX-only modules, `app.stores._win32` on the documented fake of
tests/fakes/win32.py). Whatever crypt32 answers, a person or a script reading the output
must get one sentence on stderr, a documented exit code (DESIGN.md) and, with --json, one
valid JSON document on stdout — never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import EXIT_CANCELLED, EXIT_OK, EXIT_TARGET_FAILED
from tests.pki import make_pki, pfx_bytes
from tests.unit.test_platform_simulation import run_simulated

PASSWORD = "Secret 1"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    pki = make_pki("ERCOT Test")
    pfx = tmp_path / "0123456789012$JSMITH.pfx"
    pfx.write_bytes(pfx_bytes(pki.leaf, PASSWORD, [pki.intermediate, pki.root]))
    return {"pfx": str(pfx), "root": str(pki.root.write(tmp_path / "ercot-root.crt"))}


def _run(commands: list[list[str]], **win32: Any) -> list[dict[str, Any]]:
    report = run_simulated("win32", commands, walk=False, win32=win32,
                           env={"PW": PASSWORD})
    runs: list[dict[str, Any]] = report["runs"]
    return runs


def _sentences(stderr: str) -> list[str]:
    """The lines GridCert says as errors ('gridcert: ...')."""
    return [line for line in stderr.splitlines() if line.startswith("gridcert: ")]


def _assert_clean(run: dict[str, Any], code: int) -> dict[str, Any]:
    assert "Traceback" not in run["stderr"], run["stderr"]
    assert run["code"] == code, (run["argv"], run["code"], run["stderr"])
    document: dict[str, Any] = json.loads(run["stdout"])  # one document, nothing else
    if code != EXIT_OK:
        (sentence,) = _sentences(run["stderr"])
        assert sentence.rstrip().endswith(".") and "0x" not in sentence
    return document


def test_every_crypt32_call_denied(files: dict[str, str]) -> None:
    user = ["--target", "windows-user"]
    runs = _run([
        ["targets", "--json"],
        ["list", "--json", *user],
        ["check", "--json", *user],
        ["install", "--dry-run", "--json", *user, "--password-env", "PW", files["pfx"]],
        ["install", "--yes", "--json", *user, "--password-env", "PW", files["pfx"]],
    ], fail_crypt32=True)
    targets, listed, checked, dry, real = runs

    ids = [t["id"] for t in _assert_clean(targets, EXIT_OK)["targets"]]
    assert ids[:2] == ["windows-user", "windows-machine"]

    # `list` reports a store it cannot read among its "problems" and exits 0 (app/cli's
    # current contract); `check` exits 4 for it (README).
    problems = _assert_clean(listed, EXIT_OK)["problems"]
    assert [p["target"] for p in problems] == ["windows-user"]
    assert "refused access to your own certificate store" in problems[0]["message"]
    _assert_clean(checked, EXIT_TARGET_FAILED)
    assert "refused access to your own certificate store" in checked["stderr"]

    plan = _assert_clean(dry, EXIT_OK)["plan"]
    assert {s["kind"] for s in plan["steps"]} == {"add-root", "add-intermediate",
                                                  "import-identity"}

    result = _assert_clean(real, EXIT_TARGET_FAILED)
    assert result["ok"] is False
    (sentence,) = _sentences(real["stderr"])
    assert "refused access to your own certificate store" in sentence
    # Nothing changed, so nothing had to be undone: no "undoing failed too".
    assert "Undoing" not in real["stderr"] + real["stdout"]
    assert "try again when it next starts" not in real["stderr"] + real["stdout"]


def test_a_declined_security_warning_is_exit_5(files: dict[str, str]) -> None:
    (run,) = _run([["install", "--yes", "--json", "--target", "windows-user", files["root"]]],
                  root_dialog="decline")
    result = _assert_clean(run, EXIT_CANCELLED)
    assert result["ok"] is False
    (sentence,) = _sentences(run["stderr"])
    assert "You declined Windows' confirmation" in sentence


def test_no_desktop_says_where_to_run_it(files: dict[str, str]) -> None:
    (dry, run) = _run([
        ["install", "--dry-run", "--json", "--target", "windows-user", files["root"]],
        ["install", "--yes", "--json", "--target", "windows-user", files["root"]],
    ], desktop=False)
    plan = _assert_clean(dry, EXIT_OK)["plan"]
    assert any("no desktop" in note for note in plan["notes"])
    result = _assert_clean(run, EXIT_TARGET_FAILED)
    assert result["ok"] is False
    (sentence,) = _sentences(run["stderr"])
    assert "no desktop" in sentence and "your own Windows session" in sentence
    assert "/ALLUSERS" in sentence and "--target windows-machine" in sentence
    assert "declined" not in sentence
