"""`gridcert _apply-handover FILE SHA256` (hidden): the elevated second run.

Started by `apply_plan` through UAC when steps need administrator rights; applies (or
reverts) what the hand-over file holds and writes the result next to it. Prints nothing
a person needs: the first run reports.
"""

from __future__ import annotations

import argparse

from app.actions.handover_run import run_handover


def run(args: argparse.Namespace) -> int:
    return run_handover(args.file, args.sha256)
