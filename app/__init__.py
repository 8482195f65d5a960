"""GridCert: gets grid-operator certificates where they must be, renews and moves them."""

from app.__version__ import VERSION as __version__

__all__ = ["__version__"]
