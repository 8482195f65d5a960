"""Handing changes that need administrator rights to a second, elevated GridCert run.

`windows-machine` (LocalMachine) can only be changed by an elevated process. Rather than
fail on "access denied", `apply_plan` gives the steps of every store whose
`needs_elevation()` is true to this module, which:

1. writes a hand-over file in a private folder (`data_dir()/handover/`, 0700; the file
   0600, created exclusively): the steps (kind, target id, sha256, title), the
   certificates as PEM and each identity as a PKCS#12 encrypted with a one-time random
   password kept in the same file — the protection the design allows for NSS password
   files (a private file of the same user, deleted right after);
2. starts the elevated run through the elevator (UAC "runas" on Windows): in a frozen
   build the bundle's windowed wizard program, `GridCert.exe --apply-handover FILE SHA256`
   (app.core.programs; app/gui/main.py handles the option before anything of Qt), run
   from source `python -c ... _apply-handover FILE SHA256` (the command line's hidden
   command); the SHA-256 of the file on the command line means a file swapped after the
   person said Yes is refused by the elevated run;
3. the elevated run (`run_handover`, in handover_run.py: it drives the transaction of
   apply.py, which itself hands over through this module, so it cannot live here without
   an import cycle) reads and deletes the file, applies the steps as its own transaction
   (private journal next to the file, read-back verification, rollback on failure), and
   writes a result file: what it did, in the journal records `undo` needs (which may name
   an encrypted backup it made);
4. the parent reads and deletes the result and journals the whole hand-over as one step,
   so rolling it back or undoing it hands a "revert" over the same way.

A declined UAC prompt raises `CancelledError` (exit 5): the parent rolls back its own
steps. The elevated run never recovers other journals or takes the data folder's lock:
the parent holds that lock for it, and its own journal is still open.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from app.core.errors import (
    EXIT_OK,
    EXIT_TARGET_FAILED,
    BadInputError,
    CancelledError,
    GridCertError,
    TargetError,
)
from app.core.paths import data_dir
from app.core.programs import programs_for
from app.stores.base import Identity, TrustStore

#: argv → exit code of the elevated run; raises CancelledError when the person declines.
Elevator = Callable[[Sequence[str]], int]
Mode = Literal["apply", "revert"]

#: The hidden sub-command of the command line the elevated run is started with from source.
COMMAND = "_apply-handover"
#: The hidden option of the windowed wizard program a frozen build's elevated run is
#: started with (app/gui/main.py's APPLY_HANDOVER).
WINDOWLESS_HANDOVER = "--apply-handover"
FORMAT = 1

#: Replaced by tests (a plain subprocess); None means UAC through app.stores.windows.
ELEVATOR: Elevator | None = None


# --- who needs it -----------------------------------------------------------------------------


def needs_elevation(store: TrustStore) -> bool:
    """Whether changes to `store` must go through an elevated run (only stores that say so)."""
    probe = getattr(store, "needs_elevation", None)
    if not callable(probe):
        return False
    try:
        return bool(probe())
    except GridCertError:
        return False  # the store's own pre-flight reports what is wrong with it


def elevated_labels(stores: Sequence[TrustStore]) -> list[str]:
    """The labels of the stores among `stores` that need administrator rights, each once."""
    labels: list[str] = []
    for store in stores:
        if needs_elevation(store) and store.label not in labels:
            labels.append(store.label)
    return labels


def elevated_labels_for_ids(target_ids: Sequence[str]) -> list[str]:
    """Like `elevated_labels`, for target ids (as a journal names them); unknown ids skipped."""
    from app.actions.targets import resolve_targets

    stores: list[TrustStore] = []
    for target_id in dict.fromkeys(target_ids):
        with contextlib.suppress(GridCertError):
            stores.extend(resolve_targets([target_id]))
    return elevated_labels(stores)


def permission_sentence(labels: Sequence[str]) -> str:
    """What the CLI says just before the UAC prompt appears."""
    where = ", ".join(labels)
    return (f"Windows will ask for administrator permission to change {where}; "
            "choose Yes to go ahead (No changes nothing).")


# --- the files ----------------------------------------------------------------------------------


def handover_dir() -> Path:
    """The private folder (0700) that holds hand-over files for the few seconds they live."""
    path = data_dir() / "handover"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)
    return path


def result_path(path: Path) -> Path:
    return path.with_name(path.stem + ".result.json")


def journal_path(path: Path) -> Path:
    return path.with_name(path.stem + ".journal.jsonl")


def write_private(path: Path, data: bytes) -> None:
    """Create `path` exclusively with mode 0600 and write `data` durably."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_file(path: Path) -> None:
    """Delete `path`; one that is gone already is fine."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _step_json(step: Any, password: str) -> dict[str, Any]:
    """One step as the hand-over file carries it (Step from app.actions.plan)."""
    entry: dict[str, Any] = {
        "kind": step.kind, "target": step.target_id, "target_label": step.target_label,
        "sha256": step.sha256, "title": step.title, "reason": step.reason,
    }
    if step.item is not None:
        entry["pem"] = step.item.pem.decode("ascii")
    if step.identity is not None:
        from app.core.p12 import write_pkcs12

        identity: Identity = step.identity
        blob = write_pkcs12(identity.leaf, identity.chain, password, "modern",
                            identity.friendly_name)
        entry["pkcs12"] = base64.b64encode(blob).decode("ascii")
        entry["friendly_name"] = identity.friendly_name
    return entry


def write_handover(mode: Mode, *, action: str = "install", steps: Sequence[Any] = (),
                   records: Sequence[dict[str, Any]] = ()) -> tuple[Path, str]:
    """Write a hand-over file; (its path, the SHA-256 of its bytes)."""
    password = secrets.token_urlsafe(32)
    needs_password = any(getattr(step, "identity", None) is not None for step in steps)
    document: dict[str, Any] = {
        "format": FORMAT,
        "mode": mode,
        "action": action,
        "steps": [_step_json(step, password) for step in steps],
        "records": list(records),
        # One-time, random, only for the PKCS#12 blobs above; never a person's password.
        "password": password if needs_password else None,
    }
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    folder = handover_dir()
    while True:
        path = folder / f"{secrets.token_hex(12)}.json"
        try:
            write_private(path, data)
        except FileExistsError:
            continue
        return path, hashlib.sha256(data).hexdigest()


@dataclass
class HandOver:
    """A hand-over file as the elevated run reads it."""

    mode: Mode
    action: str
    steps: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    password: str | None = None


def read_handover(path: Path, digest: str) -> HandOver:
    """Read (and delete) a hand-over file, refusing one whose bytes are not `digest`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInputError(f"The hand-over file {path} cannot be read: {error}.") from error
    finally:
        remove_file(path)  # the one-time password lives no longer than needed
    if not secrets.compare_digest(hashlib.sha256(data).hexdigest(), digest.lower()):
        raise BadInputError(f"The hand-over file {path} was changed after GridCert wrote it; "
                            "nothing was done.")
    try:
        document = json.loads(data.decode("utf-8"))
        if document.get("format") != FORMAT or document.get("mode") not in ("apply", "revert"):
            raise ValueError("unknown format")
        return HandOver(mode=document["mode"], action=str(document.get("action", "install")),
                        steps=list(document.get("steps", [])),
                        records=list(document.get("records", [])),
                        password=document.get("password"))
    except (ValueError, TypeError, AttributeError, UnicodeDecodeError) as error:
        raise BadInputError(f"The hand-over file {path} is not one GridCert wrote.") from error


# --- the parent's side ------------------------------------------------------------------------


#: The main window of the wizard, when there is one (see `set_owner_window`).
_owner_window: int | None = None


def set_owner_window(owner: int | None) -> None:
    """The window (a Windows HWND) that the permission prompt belongs to, for every
    hand-over this process makes from now on; None: no window (the command line).

    Without an owner, UAC's prompt may open behind the wizard, or only blink in the task
    bar, and the person waits for a window they cannot see."""
    global _owner_window
    _owner_window = owner


def _default_elevator(argv: Sequence[str], owner: int | None = None) -> int:
    from app.stores import windows

    return windows.relaunch_elevated(argv, owner=owner)


def elevated_argv(path: Path, digest: str, *, frozen: bool | None = None,
                  executable: str | None = None, platform: str | None = None) -> list[str]:
    """The command line of the elevated run: the bundle's windowed wizard program with
    its hidden `--apply-handover`, or this Python with the source tree.

    Why the windowed program and not the command line's (gridcert.com on Windows):
    ShellExecuteExW's "runas" verb is registered for the `exefile` class, and nobody could
    confirm it is for `comfile`; without it every LocalMachine change and its rollback
    would fail with ERROR_NO_ASSOCIATION. GridCert.exe is an .exe, and a GUI-subsystem
    program: no console window opens at all.

    `frozen`, `executable`, `platform` default to this process (`sys.frozen`,
    `sys.executable`, `sys.platform`); tests pass them to simulate each OS's bundle.
    Raises TargetError when a frozen build lacks its windowed program.
    """
    if getattr(sys, "frozen", False) if frozen is None else frozen:
        gui = Path(executable or sys.executable).parent / programs_for(platform).gui
        if not gui.is_file():
            raise TargetError(
                f"GridCert's program {gui} is missing, so the change for all users of this "
                "computer cannot be made; reinstall GridCert.")
        return [str(gui), WINDOWLESS_HANDOVER, str(path), digest]
    # An elevated process starts in system32 and gets a fresh environment, so `-m app`
    # would not find the package: put this source tree on sys.path explicitly.
    root = str(Path(__file__).resolve().parents[2])
    code = (f"import sys; sys.path.insert(0, {root!r}); from app.cli import main; "
            "sys.exit(main())")
    return [executable or sys.executable, "-c", code, COMMAND, str(path), digest]


@dataclass
class HandOverResult:
    """What the elevated run reported (or that it reported nothing)."""

    ok: bool
    exit_code: int
    error: str | None = None
    #: The title of the step the elevated run failed at.
    failed: str | None = None
    #: The elevated run undid its own steps (or never started): nothing of it is left.
    clean: bool = False
    records: list[dict[str, Any]] = field(default_factory=list)
    verified: list[str] = field(default_factory=list)


def hand_over(mode: Mode, *, action: str = "install", steps: Sequence[Any] = (),
              records: Sequence[dict[str, Any]] = (),
              owner: int | None = None) -> HandOverResult:
    """Run the steps (mode "apply") or revert the records (mode "revert") elevated.

    `owner`: the window the permission prompt belongs to (default: `set_owner_window`'s).
    Raises CancelledError when the person declines the permission prompt (nothing ran).
    """
    path, digest = write_handover(mode, action=action, steps=steps, records=records)
    result = result_path(path)
    window = owner if owner is not None else _owner_window
    try:
        try:
            argv = elevated_argv(path, digest)
            code = (ELEVATOR(argv) if ELEVATOR is not None
                    else _default_elevator(argv, window))
        except CancelledError:
            raise
        except GridCertError as error:
            return HandOverResult(ok=False, exit_code=error.exit_code, error=str(error),
                                  clean=True)
        try:
            document = json.loads(result.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return HandOverResult(
                ok=False, exit_code=EXIT_TARGET_FAILED,
                error=(f"The administrator run of GridCert ended (exit code {code}) without "
                       "saying what it did."))
        return HandOverResult(
            ok=bool(document.get("ok")) and code == EXIT_OK,
            exit_code=int(document.get("exit_code", code)),
            error=document.get("error"),
            failed=document.get("failed"),
            clean=bool(document.get("clean")),
            records=list(document.get("records", [])),
            verified=list(document.get("verified", [])))
    finally:
        # Declined, crashed or done: neither file outlives this call.
        remove_file(path)
        remove_file(result)
        remove_file(journal_path(path))
