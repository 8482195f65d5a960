"""The one place GridCert's version number is defined (packaging, --version, About box)."""

VERSION = "0.1.0"
