"""'Save a backup of your certificate' on the Done page.

The export action belongs to the renew part (`app.actions.export`); until it exists the
Done page hides the button (no dead buttons), and this module is never called.
"""

from __future__ import annotations

from typing import Any


def save_backup(page: Any) -> None:
    from app.gui.base import show_message

    show_message(page.status, "Saving a backup is not available in this version.")
