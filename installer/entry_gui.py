"""Frozen entry point of `GridCert` (windowed): the wizard, with the same options as
`gridcert-wizard` (`[FILE...] [--smoke]`), and the windowless runs of the same program that
app/gui/main.py handles before any window exists: `--check-notify` (the daily reminder's
scheduled task on Windows, app/actions/reminder.py), `--apply-handover FILE SHA256` (the
elevated run UAC starts for a change to all users' stores, app/actions/handover.py) and
`--read-child` (app/gui/readchild.py). Commands of the command line (`_apply-handover`,
`check`, ...) are refused, not opened as files: they belong to the console program beside
it (app/core/programs.py)."""

import sys

from app.gui.main import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
