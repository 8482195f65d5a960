"""Frozen entry point of `GridCert` (windowed): the wizard, with the same options as
`gridcert-wizard` (`[FILE...] [--smoke]`)."""

import sys

from app.gui.main import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
