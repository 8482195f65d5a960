"""Frozen entry point of `gridcert` (console): the command line; with no arguments it
opens the wizard, exactly like the `gridcert` command installed from source."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
