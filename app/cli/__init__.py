"""`gridcert`: the command-line face over app.actions (thin: parse, call, print).

The sub-commands, their options, JSON fields and exit codes are a public contract
(DESIGN.md, "Command line"); admins script against them. Each sub-command's handler
lives in its own module (`app/cli/cmd_<name>.py`) exposing `run(args) -> int`, imported
only when that command runs so that `gridcert --help` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

from app.__version__ import VERSION
from app.core.errors import EXIT_USAGE, GridCertError

_PASSWORD_HELP = "read the .pfx password from this environment variable"


class _Parser(argparse.ArgumentParser):
    """argparse that exits with the contract's usage code (2) and a plain sentence."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        # argparse lists every sub-command on a mistyped one, the hidden one included.
        message = re.sub(r",? ?'?_apply-handover'?", "", message)
        sys.stderr.write(f"gridcert: {message}\n")
        raise SystemExit(EXIT_USAGE)


def _add_password_options(parser: argparse.ArgumentParser, what: str = _PASSWORD_HELP) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--password-env", metavar="VAR", help=what)
    group.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON document on stdout (text goes to stderr)",
    )


def _add_targets(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target",
        metavar="ID",
        action="append",
        default=[],
        help="a target id from 'gridcert targets' (repeatable; default: the stores marked "
        "as default there)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gridcert",
        description="Install, check, renew and move grid-operator certificates.",
        epilog="With no command, GridCert opens its wizard.",
    )
    parser.add_argument("--version", action="version", version=f"GridCert {VERSION}")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="also print the technical details behind a message")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("inspect", help="show what certificate files contain")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _add_password_options(p)
    _add_json(p)

    p = sub.add_parser("verify", help="check that a certificate chains to a trusted root")
    p.add_argument("leaf", metavar="LEAF")
    p.add_argument("--chain", metavar="PATH", action="append", default=[],
                   help="a file with intermediate certificates (repeatable)")
    p.add_argument("--anchor", metavar="PATH", action="append", default=[],
                   help="a file with trusted root certificates (repeatable; default: "
                   "the self-signed roots among the files given)")
    p.add_argument("--at", metavar="YYYY-MM-DD", help="check validity on this date (default: now)")
    _add_json(p)

    p = sub.add_parser("targets", help="list the certificate stores found on this computer")
    _add_json(p)

    p = sub.add_parser("install", help="install certificates into stores")
    p.add_argument("paths", nargs="*", metavar="PATH")
    _add_targets(p)
    _add_password_options(p)
    p.add_argument("--profile", metavar="FILE", help="a deployment profile (TOML)")
    p.add_argument("--dry-run", action="store_true", help="show the plan, change nothing")
    p.add_argument("--yes", action="store_true", help="do not ask; accept warnings")
    _add_json(p)

    p = sub.add_parser("list", help="list certificates found in the stores")
    _add_targets(p)
    p.add_argument("--expiring", metavar="DAYS", type=int,
                   help="only those that expire within DAYS days")
    _add_json(p)

    p = sub.add_parser("remove", help="remove certificates by SHA-256 fingerprint")
    p.add_argument("fingerprints", nargs="+", metavar="SHA256")
    _add_targets(p)
    p.add_argument("--backup-password-env", metavar="VAR",
                   help="the passphrase of the backup of a removed personal certificate, "
                        "where neither a keyring nor a terminal is there")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _add_json(p)

    p = sub.add_parser("undo", help="revert the last change GridCert made")
    p.add_argument("--backup-password-env", metavar="VAR",
                   help="the passphrase of the backup that puts a removed personal "
                        "certificate back (the one given to 'remove'), where neither a "
                        "keyring nor a terminal is there")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _add_json(p)

    p = sub.add_parser("export", help="export a personal certificate with its key")
    p.add_argument("source", metavar="SHA256|PATH")
    p.add_argument("--out", metavar="FILE", required=True)
    p.add_argument("--target", metavar="ID", help="the store to export from")
    p.add_argument("--format", choices=("pfx", "pem"), default="pfx")
    p.add_argument("--compat", action="store_true",
                   help="TripleDES/SHA-1 for Windows Server 2016, older Windows and macOS")
    _add_password_options(p, "the password of the .pfx being read or written")
    p.add_argument("--in-password-env", metavar="VAR",
                   help="the password of the file PATH being read (--password-env is then "
                        "the new file's)")
    _add_json(p)

    p = sub.add_parser("request", help="make a key and a certificate request (CSR)")
    like = p.add_mutually_exclusive_group(required=True)
    like.add_argument("--like", metavar="SHA256|PATH", help="copy the subject of this certificate")
    like.add_argument("--subject", metavar="DN", help="the subject, e.g. 'CN=Jane Smith,O=Example'")
    p.add_argument("--key", choices=("rsa2048", "rsa3072", "rsa4096", "ec-p256"), default="rsa2048")
    p.add_argument("--out", metavar="CSR.pem", required=True)
    p.add_argument("--key-password-env", metavar="VAR",
                   help="passphrase for the new key (default: generated and kept in the keyring)")
    _add_json(p)

    p = sub.add_parser("complete", help="pair an issued certificate with its pending key")
    p.add_argument("issued", metavar="ISSUED")
    p.add_argument("--install", action="store_true", help="install the result")
    _add_targets(p)
    p.add_argument("--export", metavar="FILE", help="also write a .pfx here")
    p.add_argument("--compat", action="store_true", help="use the compatible .pfx profile")
    p.add_argument("--key-password-env", metavar="VAR",
                   help="passphrase of the pending key (default: from the keyring)")
    _add_password_options(p, "the password of the .pfx being written")
    _add_json(p)

    p = sub.add_parser("check", help="report certificates that expire soon (exit 10/11)")
    p.add_argument("--days", metavar="N", type=int, default=30)
    _add_targets(p)
    p.add_argument("--notify", action="store_true",
                   help="show a desktop notification when something is due")
    p.add_argument("--reminder", choices=("on", "off", "status"),
                   help="turn the daily reminder on or off, or show whether it is on")
    p.add_argument("--probe", action="store_true",
                   help="also test signing in with each installed certificate (exit 6 when "
                        "a test fails and nothing expires)")
    p.add_argument("--timeout", metavar="S", type=float, default=None,
                   help="seconds each step of a sign-in test may take (default 10)")
    _add_json(p)

    p = sub.add_parser("probe", help="test signing in to an operator's address with your "
                                     "certificate, and say why not (exit 6)")
    p.add_argument("url", metavar="URL",
                   help="an https address, or a catalog endpoint id such as ercot-ews-mote")
    p.add_argument("--identity", metavar="SHA256|FILE",
                   help="the installed certificate (SHA-256) or a .pfx file to sign in with "
                        "(default: every installed one that fits the server's CA list)")
    _add_password_options(p, "the password of the .pfx given with --identity")
    p.add_argument("--timeout", metavar="S", type=float, default=None,
                   help="seconds each step may take (default 10)")
    _add_targets(p)
    p.add_argument("--remember", action="store_true",
                   help="add URL to your own endpoints, which 'check --probe' tests too")
    _add_json(p)

    # Hidden: the elevated second run that applies steps handed over by the first one
    # (windows-machine without administrator rights). Not for people; not in --help.
    # (argparse lists a sub-command only when it is given a help text.)
    p = sub.add_parser("_apply-handover")
    p.add_argument("file", metavar="FILE")
    p.add_argument("sha256", metavar="SHA256")

    # --verbose after the command too (`gridcert install --verbose …`); SUPPRESS keeps a
    # --verbose given before the command.
    for command in sub.choices.values():
        command.add_argument("--verbose", "-v", action="store_true", default=argparse.SUPPRESS,
                             help="also print the technical details behind a message")
    return parser


def _display_available() -> bool:
    """Whether Qt can open a window: on Linux/BSD it needs an X11 or Wayland display
    (or a platform chosen explicitly with QT_QPA_PLATFORM, e.g. offscreen)."""
    if sys.platform.startswith(("win", "darwin")):
        return True
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _json_error_document(module: ModuleType, error: GridCertError) -> Any:
    """The one JSON document a failed `--json` run prints on stdout, or None.

    `--json` promises one document on stdout even on failure, so a script never parses an
    empty output. A command whose contract has its own shape for a verdict (verify:
    `{"valid", "path", "reason"}`) says so with `json_error_document(error)`; commands that
    change or list stores declare `JSON_ERROR_DOCUMENT` and get `{"ok": false, ...}`.
    """
    shaped = getattr(module, "json_error_document", None)
    if callable(shaped):
        return shaped(error)
    if getattr(module, "JSON_ERROR_DOCUMENT", False):
        return {"ok": False, "error": str(error), "exit_code": error.exit_code,
                "detail": error.detail}
    return None


@contextlib.contextmanager
def _cancel_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP (a deployment tool that timed out, a closed terminal) cancel the
    command like Ctrl+C: a change under way is rolled back and the exit code is 5."""
    wanted = [signal.SIGTERM]
    if sys.platform != "win32":
        wanted.append(signal.SIGHUP)

    def cancel(signum: int, frame: object) -> None:
        # Once: the rollback that follows must not itself be cut short by a repeat.
        for number in wanted:
            signal.signal(number, signal.SIG_IGN)
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield  # handlers can only be set from the main thread
        return
    previous = {number: signal.getsignal(number) for number in wanted}
    for number in wanted:
        signal.signal(number, cancel)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _os_error(error: OSError) -> GridCertError:
    from app.core.errors import TargetError

    where = f" ({error.filename})" if error.filename else ""
    return TargetError(f"The command stopped: {error.strerror or error}{where}.")


def main(argv: Sequence[str] | None = None) -> int:
    from app.cli.output import configure_streams

    configure_streams()  # before anything is printed: no UnicodeEncodeError on cp1252
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:
        if not _display_available():
            # Qt would abort the process (status 134) with a message about xcb plugins and
            # "reinstalling": on an SSH session or a server, say what to do instead.
            sys.stderr.write(
                "gridcert: the wizard needs a desktop session, and there is no display here "
                "(DISPLAY and WAYLAND_DISPLAY are not set). Use the commands below instead.\n"
            )
            build_parser().print_help(sys.stderr)
            return EXIT_USAGE
        from app.gui.main import main as wizard_main

        return int(wizard_main([]))
    args = build_parser().parse_args(arguments)
    if args.command is None:
        build_parser().print_help(sys.stderr)
        return EXIT_USAGE
    from app.cli import output

    output.VERBOSE = bool(getattr(args, "verbose", False))
    module = importlib.import_module(f"app.cli.cmd_{args.command.replace('-', '_')}")
    try:
        with _cancel_on_signals():
            result = int(module.run(args))
    except (GridCertError, OSError) as raised:
        # An OSError no layer turned into a sentence (a disk that filled up, a folder that
        # went read-only): still one sentence and, with --json, one document; never a
        # traceback.
        error = raised if isinstance(raised, GridCertError) else _os_error(raised)
        document = _json_error_document(module, error) if getattr(args, "json", False) else None
        if document is not None:
            from app.cli.output import emit_json

            emit_json(document)
        sys.stderr.write(f"gridcert: {error}\n")
        output.details(error.detail)
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("gridcert: cancelled.\n")
        return 5
    return result
