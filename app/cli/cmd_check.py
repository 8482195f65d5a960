"""`gridcert check [--days N] [--target ID]... [--probe [--timeout S]] [--notify]
[--reminder on|off|status] [--json]`.

Exit 0 nothing due, 10 something expires within N days, 11 something has expired, 4 nothing
due but a target could not be read (each such target and why is said on stderr, and listed
under `problems` in the JSON; 10/11 still win, the problems are still said). `--probe` adds
the sign-in test of each installed certificate (`app/actions/probe.py`, JSON `probes`): 6
when one failed and nothing expires (10/11 win over 6, 6 over 4). With
`--notify` a desktop notification (a Qt system-tray message) is shown only when something is
due; Qt is imported only then, so the daily run stays light.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

from app.actions.check import CheckReport, check
from app.actions.probe import DEFAULT_TIMEOUT, EXIT_PROBE_FAILED, ProbeResult, probe_for_check
from app.actions.reminder import reminder_off, reminder_on, reminder_status
from app.cli.cmd_install import pick_targets, say_recovered
from app.cli.output import emit_json, out, table
from app.core.errors import EXIT_EXPIRED, EXIT_EXPIRING, EXIT_OK, UsageError
from app.stores._tools import no_window_flags
from app.stores.base import TrustStore

# A failure under --json is reported as {"ok": false, "error", "exit_code"} by app.cli.main.
JSON_ERROR_DOCUMENT = True


def run(args: argparse.Namespace) -> int:
    json_mode: bool = args.json
    if args.reminder:
        if args.reminder == "on":
            status = reminder_on()
        elif args.reminder == "off":
            status = reminder_off()
        else:
            status = reminder_status()
        if json_mode:
            emit_json(status.to_json())
        else:
            out(status.detail)
            for path in status.files:
                out(f"  {path}")
        return EXIT_OK
    if args.days < 0:
        raise UsageError("--days takes a number of days, 0 or more.")
    say_recovered(json_mode)
    targets = pick_targets(args.target)
    report = check(targets, args.days)
    probes = _probes(args, targets)
    if json_mode:
        document = report.to_json()
        if probes is not None:
            document["probes"] = [result.to_json() for result in probes]
            document["exit_code"] = _exit_code(report, probes)
        emit_json(document)
    else:
        _print(report)
        if probes is not None:
            _print_probes(probes)
    # On stderr in both modes: a script's log keeps it, and --json's stdout stays one document.
    for sentence in report.problem_sentences():
        sys.stderr.write(f"gridcert: {sentence}\n")
    if args.notify and report.due:
        notify(report)
    return _exit_code(report, probes)


def _probes(args: argparse.Namespace, targets: list[TrustStore]) -> list[ProbeResult] | None:
    """`--probe`: the sign-in tests (None without it)."""
    if not getattr(args, "probe", False):
        if getattr(args, "timeout", None) is not None:
            raise UsageError("--timeout goes with --probe.")
        return None
    timeout = args.timeout if args.timeout is not None else DEFAULT_TIMEOUT
    if not timeout > 0:
        raise UsageError("--timeout takes a number of seconds, more than 0.")
    return probe_for_check(targets, timeout=timeout)


def _exit_code(report: CheckReport, probes: list[ProbeResult] | None) -> int:
    """Expiry first (10/11), then a failed sign-in test (6), then unreadable targets (4)."""
    code = report.exit_code
    if code in (EXIT_EXPIRED, EXIT_EXPIRING):
        return code
    if probes and any(not result.accepted for result in probes):
        return EXIT_PROBE_FAILED
    return code


def _print_probes(probes: list[ProbeResult]) -> None:
    if not probes:
        out("Sign-in tests: no installed certificate has an endpoint to test (add your own "
            "with 'gridcert probe URL --remember').")
        return
    out("Sign-in tests:")
    for result in probes:
        mark = "✓" if result.accepted else "✗"
        who = f" with '{result.identity.subject}'" if result.identity else ""
        out(f"{mark} {result.url}{who}: {result.diagnosis.sentence}")
        if not result.accepted:
            out(f"  Fix: {result.diagnosis.fix}")


def _print(report: CheckReport) -> None:
    rows = []
    for item in report.items:
        rows.append([
            item.status.upper() if item.status != "ok" else "ok",
            item.name,
            item.target_label or "(catalog)",
            item.not_after.date().isoformat() if item.not_after else "",
            str(item.days_left) if item.days_left is not None else "",
        ])
    if rows:
        out(table(rows, ["STATUS", "WHAT", "WHERE", "EXPIRES", "DAYS"]))
    for item in report.due:
        out(f"! {item.sentence}")
    for note in report.notes:
        out(f"- {note}")
    out(report.summary())


def notify(report: CheckReport) -> bool:
    """A desktop notification about what is due: Qt's tray message, else notify-send."""
    title = "GridCert: certificates need attention"
    due = report.due
    body = due[0].sentence + (f" (and {len(due) - 1} more)" if len(due) > 1 else "")
    try:
        if _qt_tray_message(title, body):
            return True
    except Exception as error:  # a broken display must not turn the check into a failure
        out(f"(No desktop notification: {error})", json_mode=True)
    sender = shutil.which("notify-send")
    if sender:
        done = subprocess.run([sender, "--app-name=GridCert", title, body], check=False,
                              capture_output=True, timeout=15,
                              creationflags=no_window_flags())
        if done.returncode == 0:
            return True
    out("(No desktop notification could be shown; see the list above.)", json_mode=True)
    return False


def _has_display() -> bool:
    """Whether Qt can open a window here: without a display, QApplication aborts the
    process on Linux (e.g. a timer firing outside a desktop session)."""
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _qt_tray_message(title: str, body: str) -> bool:
    if not _has_display():
        return False
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from app.core.paths import resource_path

    app = QApplication.instance() or QApplication([])
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return False
    tray = QSystemTrayIcon(QIcon(str(resource_path("icons", "app", "gridcert-64.png"))))
    tray.setToolTip("GridCert")
    tray.show()
    tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Warning, 10_000)
    # Keep the process (and so the message) alive while it is shown.
    QTimer.singleShot(10_500, app.quit)
    app.exec()
    tray.hide()
    return True
