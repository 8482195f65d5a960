"""The install/remove/undo use cases, as one import for the CLI and the GUI.

Planning lives in `plan.py`, the transaction in `apply.py` (journal in `journal.py`,
the lock in `lock.py`); this module is the stable public face agreed in api.md.
"""

from __future__ import annotations

from app.actions.apply import (
    ApplyReport,
    CancelToken,
    ProgressCallback,
    apply_plan,
    last_change,
    last_change_uses_backup,
    recover_interrupted,
    undo_last,
)
from app.actions.plan import Plan, Step, StepKind, dedupe, plan_install, plan_remove

__all__ = [
    "ApplyReport",
    "CancelToken",
    "Plan",
    "ProgressCallback",
    "Step",
    "StepKind",
    "apply_plan",
    "dedupe",
    "last_change",
    "last_change_uses_backup",
    "plan_install",
    "plan_remove",
    "recover_interrupted",
    "undo_last",
]
