"""Read certificate files in a short-lived child process, so the wizard never freezes.

Opening a PKCS#12 file with pyca/cryptography holds Python's GIL for the whole key
derivation and decryption (130–300 ms for an AES-256 .pfx measured here): done in a
worker thread, that still stalls the UI thread. So the wizard runs `app.core.reader` in a
child (`gridcert-wizard --read-child`, the same executable, frozen or not), hands it the
paths and passwords on stdin (never argv), and gets the items back on stdout as JSON.

Private keys travel back as PKCS#8 DER through the pipe only: never a file, never argv.
If the child cannot run, the files are read in-process instead (slower for the UI, same
result).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.stores._tools import no_window_flags

if TYPE_CHECKING:
    from app.core.errors import GridCertError
    from app.core.reader import ReadResult

log = logging.getLogger("gridcert.gui")

FLAG = "--read-child"
TIMEOUT_S = 120


def child_command(*, frozen: bool | None = None, executable: str | None = None,
                  platform: str | None = None) -> list[str]:
    """How to start the wizard's program as a reader child, from source or from a bundle.

    A bundle's wizard may be running inside the command-line program (`gridcert` with no
    arguments opens it), which does not know FLAG (and on Windows would flash a console
    window): the child is always the bundle's windowed program (app.core.programs).
    `frozen`, `executable`, `platform` default to this process (tests simulate each OS)."""
    program = executable or sys.executable
    if getattr(sys, "frozen", False) if frozen is None else frozen:
        from app.core.programs import programs_for

        return [str(Path(program).parent / programs_for(platform).gui), FLAG]
    return [program, "-m", "app.gui.main", FLAG]


# --- child side ----------------------------------------------------------------------------


def serve() -> int:
    """Child: read {"paths": [...], "passwords": {...}} from stdin, print the result."""
    from cryptography.hazmat.primitives import serialization

    from app.core.reader import read_paths

    # A windowed (frozen) executable may start without sys.stdin/sys.stdout even though
    # the parent gave it pipes: then use the descriptors themselves.
    source = sys.stdin if sys.stdin is not None else os.fdopen(0, encoding="utf-8")
    sink = sys.stdout if sys.stdout is not None else os.fdopen(1, "w", encoding="utf-8")
    request = json.loads(source.read() or "{}")
    passwords: dict[str, str] = dict(request.get("passwords") or {})
    result = read_paths(list(request.get("paths") or []), passwords.get if passwords else None)
    items = []
    for item in result.items:
        key = None
        if item.private_key is not None:
            key = item.private_key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())
        items.append({
            "der": base64.b64encode(item.der).decode(),
            "source": item.source,
            "key": base64.b64encode(key).decode() if key is not None else None,
            "friendly_name": item.friendly_name,
            "container_id": item.container_id,
            "notes": list(item.notes),
        })
    problems = [{"source": p.source, "kind": type(p.error).__name__, "module":
                 type(p.error).__module__, "message": str(p.error)} for p in result.problems]
    json.dump({"items": items, "problems": problems, "other_members": result.other_members,
               "pkcs12_sources": result.pkcs12_sources}, sink)
    sink.flush()
    return 0


# --- parent side ---------------------------------------------------------------------------


def _error(kind: str, module: str, message: str) -> GridCertError:
    import importlib

    from app.core import errors

    cls = getattr(errors, kind, None)
    if cls is None and module.startswith("app."):
        try:
            cls = getattr(importlib.import_module(module), kind, None)
        except ImportError:
            cls = None
    if not (isinstance(cls, type) and issubclass(cls, errors.GridCertError)):
        cls = errors.BadInputError
    return cls(message)


def _decode(data: dict[str, Any]) -> ReadResult:  # Any: JSON from the child
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from app.core.model import CertificateItem
    from app.core.reader import ReadProblem, ReadResult

    result = ReadResult()
    for raw in data["items"]:
        # The child already loaded (and so checked) this key from the file; checking an RSA
        # key again costs ~120 ms with the GIL held, a visible freeze of the window.
        key = (serialization.load_der_private_key(base64.b64decode(raw["key"]), None,
                                                  unsafe_skip_rsa_key_validation=True)
               if raw.get("key") else None)
        result.items.append(CertificateItem(
            certificate=x509.load_der_x509_certificate(base64.b64decode(raw["der"])),
            source=raw["source"], private_key=key, friendly_name=raw.get("friendly_name"),
            container_id=raw.get("container_id"), notes=tuple(raw.get("notes") or ())))
    for raw in data["problems"]:
        result.problems.append(ReadProblem(raw["source"], _error(raw["kind"], raw["module"],
                                                                 raw["message"])))
    result.other_members.extend(data.get("other_members") or [])
    result.pkcs12_sources.extend(data.get("pkcs12_sources") or [])
    return result


def read_in_child(paths: Sequence[str], passwords: dict[str, str] | None = None) -> ReadResult:
    """`read_paths(paths, passwords.get)`, computed in a child process."""
    request = json.dumps({"paths": [os.fspath(p) for p in paths],
                          "passwords": dict(passwords or {})})
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the child never opens a window
    try:
        done = subprocess.run(child_command(), input=request, capture_output=True, text=True,
                              timeout=TIMEOUT_S, env=env, check=False,
                              creationflags=no_window_flags())
        if done.returncode == 0 and done.stdout.strip():
            return _decode(json.loads(done.stdout))
        log.warning("reader child failed (exit %s): %s", done.returncode, done.stderr[-2000:])
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as error:
        log.warning("reader child could not run: %s", error)
    from app.core.reader import read_paths

    lookup = dict(passwords or {})
    return read_paths(list(paths), lookup.get if lookup else None)
