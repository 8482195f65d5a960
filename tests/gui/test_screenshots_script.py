"""`make screenshots` keeps working: the script drives every flow to the end, makes every
picture it lists in the light and the dark scheme, and removes pictures it no longer
makes."""

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
    (out / "dark").mkdir(parents=True)
    (out / "dark" / "check-reminder.png").write_bytes(b"an old picture")
    (out / "01-start.png").write_bytes(b"a picture from before the schemes' folders")
    (out / "signin-accepted.png").write_bytes(b"scripts/screenshots_signin.py's picture")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), str(out)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert [path.name for path in out.glob("*.png")] == ["signin-accepted.png"]
    from PySide6.QtGui import QImage

    for scheme in ("light", "dark"):
        made = {path.stem for path in (out / scheme).glob("*.png")}
        assert made == set(screenshots.SHOTS), scheme
        for name in screenshots.SHOTS:
            assert (out / scheme / f"{name}.png").read_bytes().startswith(b"\x89PNG"), name
        # README.md shows these by name.
        assert {"01-start", "03-review", "06-confirm", "08-done", "09-check"} <= made
        # The dark pictures are dark: the window's background (a bottom corner).
        picture = QImage(str(out / scheme / "01-start.png"))
        corner = picture.pixelColor(4, picture.height() - 4)
        assert (corner.lightness() < 128) is (scheme == "dark"), scheme


def test_only_its_own_old_pictures_are_removed_from_the_top_folder(tmp_path: Path) -> None:
    """`make screenshots` runs screenshots.py, then screenshots_signin.py, into the same
    folder: the first must not delete the sign-in pictures README.md shows."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import screenshots
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    for name in ("01-start", "09-check", "signin-accepted", "signin-refused"):
        (tmp_path / f"{name}.png").write_bytes(b"\x89PNG")
    assert [p.name for p in screenshots.stale_top_level(tmp_path)] == ["01-start.png",
                                                                       "09-check.png"]
