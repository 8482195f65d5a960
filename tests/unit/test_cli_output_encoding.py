"""`--json` is UTF-8 whatever the console's code page; human text never crashes on it.

On Windows, a redirected stdout (an Intune detection script, `gridcert ... > out.json`,
a pipe into PowerShell) gets the ANSI code page (cp1252 in the US and Western Europe):
Python then encodes with it, and a name such as "山田" raises UnicodeEncodeError. The child
runs here with PYTHONIOENCODING=cp1252 and PYTHONUTF8=0, which gives Python exactly that
stdout; PYTHONUTF8 is not relied upon (admins' machines do not set it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pki import make_pki, make_root, pfx_bytes

REPO = Path(__file__).resolve().parents[2]
NAME = "Müller 山田 Root CA"


def _gridcert(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0",
           "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=env,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=120,
                          check=False)


@pytest.fixture
def named_root(tmp_path: Path) -> Path:
    return make_root(NAME).write(tmp_path / "müller-root.pem")


def test_json_is_utf8_on_a_cp1252_stdout(named_root: Path) -> None:
    done = _gridcert("inspect", str(named_root), "--json")
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout.decode("utf-8"))  # strict: UTF-8, nothing else
    (item,) = document["items"]
    assert NAME in item["subject"]
    assert item["source"].endswith("müller-root.pem")


def test_human_text_falls_back_to_escapes(named_root: Path) -> None:
    done = _gridcert("inspect", str(named_root))
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("cp1252")  # what the console code page can show
    assert "Müller" in text  # ü exists in cp1252
    assert "\\u5c71\\u7530" in text  # 山田 does not: escaped, not a crash


def test_error_sentences_on_a_cp1252_stderr(tmp_path: Path) -> None:
    missing = tmp_path / "山田.pfx"
    done = _gridcert("inspect", str(missing), "--json")
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    json.loads(done.stdout.decode("utf-8"))
    assert done.returncode == 3


@pytest.mark.parametrize("sent", [
    "Pässwört-1".encode(),  # PowerShell 7, Python, most scripts: UTF-8
    "\ufeffPässwört-1\r\n".encode(),  # UTF-8 with a BOM and a CRLF line end
])
def test_password_stdin_is_read_as_utf8_whatever_the_code_page(tmp_path: Path,
                                                               sent: bytes) -> None:
    # With a cp1252 stdin (Windows' ANSI code page for a pipe), the UTF-8 bytes of "ä"
    # used to arrive as "Ã¤": the right password was refused as wrong.
    pki = make_pki("ERCOT Test")
    pfx = tmp_path / "0123456789012$JSMITH.pfx"
    pfx.write_bytes(pfx_bytes(pki.leaf, "Pässwört-1", [pki.root]))
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0",
           "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "app", "inspect", str(pfx), "--json",
                           "--password-stdin"], cwd=REPO, env=env, input=sent,
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    document = json.loads(done.stdout.decode("utf-8"))
    assert document["errors"] == []
    assert any(item["has_private_key"] for item in document["items"])


def test_password_stdin_that_is_not_utf8_is_read_in_the_console_code_page(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # cmd's `echo Pässwort| gridcert ... --password-stdin` sends the console's OEM code
    # page (cp850 in Western Europe), which Python knows as "oem" on Windows only: modelled
    # here by registering "oem" as cp850.
    import codecs
    import io

    from app.cli import output

    def oem(name: str) -> codecs.CodecInfo | None:
        return codecs.lookup("cp850") if name == "oem" else None

    codecs.register(oem)
    try:
        sent = io.TextIOWrapper(io.BytesIO("Pässwort\r\n".encode("cp850")), encoding="cp1252")
        monkeypatch.setattr(sys, "stdin", sent)
        monkeypatch.setattr(output, "_stdin_cache", None)
        assert output.password_from(None, True, None) == "Pässwort"
    finally:
        codecs.unregister(oem)  # also empties the codec cache
