"""installer/windows/gridcert.nsi compiles with the real makensis, against a bundle
laid out like `dist/GridCert/`, with Linux or Windows executable names, and its optional
signing hook signs both the uninstaller and the installer."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import require_tool

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "installer" / "windows" / "gridcert.nsi"


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
    makensis: str, bundle: Path, out: Path, *defines: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [makensis, "-V2", "-WX", "-DVERSION=1.2.3rc1", "-DVERSION_QUAD=1.2.3.0",
         f"-DBUNDLE_DIR={bundle}", f"-DOUTFILE={out}", *defines, str(SCRIPT)],
        capture_output=True, text=True, timeout=300,
    )


@pytest.mark.parametrize(
    ("gui", "cli"), [("GridCert", "gridcert"), ("GridCert.exe", "gridcert.com")]
)
def test_compiles_against_bundle_layout(tmp_path: Path, gui: str, cli: str) -> None:
    makensis = require_tool("makensis", "nsis")
    bundle = fake_bundle(tmp_path, gui, cli)
    out = tmp_path / "GridCert-1.2.3rc1-Setup.exe"
    result = compile_script(makensis, bundle, out, f"-DGUI_EXE={gui}", f"-DCLI_EXE={cli}")
    assert result.returncode == 0, result.stdout + result.stderr
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
    result = compile_script(makensis, bundle, out)
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
    result = compile_script(makensis, bundle, out, "-DGUI_EXE=GridCert", "-DCLI_EXE=gridcert",
                            f"-DSIGN_COMMAND={signer}")
    assert result.returncode == 0, result.stdout + result.stderr
    signed = log.read_text().split()
    assert len(signed) == 2  # the uninstaller (a temporary file), then the installer
    assert signed[-1] == str(out)
