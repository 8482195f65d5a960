"""`make screenshots` keeps working: the script drives every flow to the end, makes every
picture it lists, and removes pictures it no longer makes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import require_tool

ROOT = Path(__file__).resolve().parents[2]


def test_screenshots_script_renders_every_page(tmp_path: Path) -> None:
    require_tool("certutil", "libnss3-tools")
    require_tool("pk12util", "libnss3-tools")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import screenshots
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    out = tmp_path / "shots"
    out.mkdir()
    (out / "check-reminder.png").write_bytes(b"an old picture")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), str(out)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    made = {path.stem for path in out.glob("*.png")}
    assert made == set(screenshots.SHOTS)
    for name in screenshots.SHOTS:
        assert (out / f"{name}.png").read_bytes().startswith(b"\x89PNG"), name
    # README.md shows these by name.
    assert {"01-start", "03-review", "06-confirm", "08-done", "09-check"} <= made
