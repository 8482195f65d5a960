"""installer/windows/gridcert.nsi compiles with the real makensis (through
installer/windows/makensis.sh, as installer/build.sh does), against a bundle laid out like
`dist/GridCert/`, with Linux or Windows executable names from app/core/programs.py, and its
optional signing hook signs both the uninstaller and the installer. Running it:
tests/integration/test_installer_wine.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import require_tool

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "installer" / "windows" / "gridcert.nsi"
MAKENSIS_SH = ROOT / "installer" / "windows" / "makensis.sh"


def fake_bundle(folder: Path, gui: str, cli: str) -> Path:
    """A bundle with the real layout: two executables and _internal/ with resources."""
    bundle = folder / "GridCert"
    (bundle / "_internal" / "resources" / "catalog").mkdir(parents=True)
    (bundle / gui).write_bytes(b"MZ gui placeholder")
    (bundle / cli).write_bytes(b"MZ cli placeholder")
    (bundle / "_internal" / "python311.dll").write_bytes(b"placeholder")
    (bundle / "_internal" / "resources" / "catalog" / "ercot.toml").write_text("# placeholder\n")
    return bundle


def compile_script(
    makensis: str, bundle: Path, out: Path, platform: str = "win32", sign: str = ""
) -> subprocess.CompletedProcess[str]:
    assert makensis
    env = {**os.environ, "PYTHON": sys.executable, "GRIDCERT_NSIS_VERSION": "1.2.3rc1",
           "GRIDCERT_NSIS_PROGRAMS": platform, "GRIDCERT_SIGN_COMMAND": sign}
    return subprocess.run(
        ["bash", str(MAKENSIS_SH), str(bundle), str(out), "-V4"],
        capture_output=True, text=True, timeout=300, env=env,
    )


@pytest.mark.parametrize(
    ("platform", "gui", "cli"),
    [("linux", "GridCert", "gridcert"), ("win32", "GridCert.exe", "gridcert.com")],
)
def test_compiles_against_bundle_layout(tmp_path: Path, platform: str, gui: str,
                                        cli: str) -> None:
    makensis = require_tool("makensis", "nsis")
    bundle = fake_bundle(tmp_path, gui, cli)
    out = tmp_path / "GridCert-1.2.3rc1-Setup.exe"
    result = compile_script(makensis, bundle, out, platform)
    assert result.returncode == 0, result.stdout + result.stderr
    # The names came from app/core/programs.py, through makensis.sh.
    assert f'"-DGUI_EXE={gui}" "-DCLI_EXE={cli}"' in result.stdout
    data = out.read_bytes()
    assert data[:2] == b"MZ"
    assert b"Nullsoft" in data or b"NullsoftInst" in data


def test_missing_executable_fails_the_build(tmp_path: Path) -> None:
    """A bundle without the CLI must not produce an installer (what CI relies on)."""
    makensis = require_tool("makensis", "nsis")
    # Windows names: makensis matches file names without regard to case, as Windows does,
    # so with the Linux names "gridcert" would still find "GridCert".
    bundle = fake_bundle(tmp_path, "GridCert.exe", "gridcert.com")
    (bundle / "gridcert.com").unlink()
    out = tmp_path / "GridCert-Setup.exe"
    result = compile_script(makensis, bundle, out, "win32")
    assert result.returncode != 0
    assert not out.exists()


def test_signing_hook_signs_uninstaller_and_installer(tmp_path: Path) -> None:
    makensis = require_tool("makensis", "nsis")
    bundle = fake_bundle(tmp_path, "GridCert", "gridcert")
    log = tmp_path / "signed.log"
    signer = tmp_path / "fake-signtool.sh"
    signer.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\n')
    signer.chmod(0o755)
    out = tmp_path / "GridCert-Setup.exe"
    result = compile_script(makensis, bundle, out, "linux", sign=str(signer))
    assert result.returncode == 0, result.stdout + result.stderr
    signed = log.read_text().split()
    assert len(signed) == 2  # the uninstaller (a temporary file), then the installer
    assert signed[-1] == str(out)


def test_no_second_copy_of_the_names() -> None:
    """The scripts take the executable names and the reminder task's name as defines
    (installer/windows/makensis.sh reads them from app/): no copy of them in the scripts."""
    for script in ("gridcert.nsi", "uninstall.nsi", "common.nsh"):
        text = (ROOT / "installer" / "windows" / script).read_text(encoding="utf-8")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(";"))
        for name in ("GridCert.exe", "gridcert.com", "gridcert-console", "Daily certificate"):
            assert name not in code, (script, name)


def test_script_refuses_to_build_without_the_names(tmp_path: Path) -> None:
    makensis = require_tool("makensis", "nsis")
    bundle = fake_bundle(tmp_path, "GridCert.exe", "gridcert.com")
    result = subprocess.run(
        [makensis, "-V2", "-DVERSION=1.0.0", f"-DBUNDLE_DIR={bundle}",
         f"-DOUTFILE={tmp_path / 'x.exe'}", str(SCRIPT)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "app/core/programs.py" in result.stdout + result.stderr
