"""The daily reminder's windowless check, run as the scheduler runs it on Windows.

`GridCert.exe --check-notify` is the wizard's program doing `gridcert check --notify`
before any window or QApplication exists. Here the same entry (app.gui.main) runs in a
child process with no display at all: the wizard would abort there (Qt needs a display),
the check must not. It exits with the check's own code and, with nothing due, never
imports Qt's widgets (the only thing it may ever show is the notification).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = ("import sys, json; from {module} import main; rc = main({args!r}); "
         "print(json.dumps({{'rc': rc, 'widgets': 'PySide6.QtWidgets' in sys.modules}}))")


def run(module: str, args: list[str]) -> tuple[dict[str, object], subprocess.CompletedProcess[str]]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    # cwd "/": a scheduled task does not start in the source tree (PYTHONPATH finds app).
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", PROBE.format(module=module, args=args)],
                          cwd="/", env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    lines = done.stdout.strip().splitlines()
    assert lines, f"no report (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(lines[-1]), done


def test_check_notify_runs_the_check_without_any_window() -> None:
    windowless, done = run("app.gui.main", ["--check-notify"])
    command_line, _ = run("app.cli", ["check", "--notify"])
    assert windowless["rc"] == command_line["rc"], done.stderr
    assert windowless["rc"] in (0, 4, 10, 11)
    assert windowless["widgets"] is False  # nothing due here, so nothing shown at all
    assert "Traceback" not in done.stderr


def test_check_notify_survives_a_windowed_program_without_stdout_or_stderr() -> None:
    # PyInstaller's windowed programs start with sys.stdout and sys.stderr set to None.
    code = ("import sys; sys.stdout = None; sys.stderr = None; "
            "from app.gui.main import main; rc = main(['--check-notify']); "
            "open(sys.argv[1], 'w').write(str(rc))")
    out = Path(os.environ["HOME"]) / "rc.txt"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert int(out.read_text()) in (0, 4, 10, 11)
