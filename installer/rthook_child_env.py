"""PyInstaller runtime hook: child processes get the user's library path, not the bundle's.

On Linux the bootloader starts the frozen program with LD_LIBRARY_PATH pointing into the
bundle (the old value, if any, saved as LD_LIBRARY_PATH_ORIG). The dynamic loader has read
it by the time Python runs, so this process keeps finding its own libraries; but every
child would inherit it, and the system tools GridCert drives (certutil, pk12util, keytool,
update-ca-certificates, security, ...) would then load the bundle's libsqlite3, libz or
libstdc++ instead of their own distribution's, which breaks them on other distributions.
A frozen GridCert child (the wizard's reader) sets the path again through its own
bootloader.
"""

import os
import sys

if sys.platform.startswith("linux") and getattr(sys, "frozen", False):
    _original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if _original is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = _original
