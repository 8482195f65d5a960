"""`gridcert export (SHA256 | PATH) --out FILE [--target ID] [--format pfx|pem] [--compat]
[--password-env VAR | --password-stdin] [--json]`.

`--password-env`/`--password-stdin` give the password of the file written (and, for a PATH
source, of the .pfx read, when it has the same one; a terminal is asked otherwise).
`--in-password-env VAR` gives the PATH's own password, so that a file is read with its
password and written with a new one where no terminal is there. An
existing `--out` file is never overwritten: exit 3 before anything is done.
"""

from __future__ import annotations

import argparse
import os

from app.actions.export import (
    ExportResult,
    and_ca_certificates,
    export_from_file,
    export_from_store,
    stores_holding,
)
from app.actions.files import refuse_existing
from app.actions.plan import normalize_sha256
from app.cli.cmd_install import pick_targets
from app.cli.cmd_request import is_fingerprint
from app.cli.output import emit_json, out, password_from
from app.core.errors import (
    EXIT_OK,
    BadInputError,
    PasswordRequiredError,
    WrongPasswordError,
)
from app.core.export_password import export_password_warning
from app.core.p12 import Profile


def new_password(env_var: str | None, use_stdin: bool, what: str) -> str:
    """A password for a file being written: env, stdin, or typed twice on a terminal."""
    password = password_from(env_var, use_stdin, f"Password for {what}: ", confirm=True)
    if password is None:
        raise PasswordRequiredError(
            f"{what[0].upper()}{what[1:]} needs a password: give it with --password-env VAR "
            "or --password-stdin (GridCert never takes a password as an argument)."
        )
    if not password:
        raise PasswordRequiredError(f"The password for {what} is empty; choose one.")
    return password


# A failure under --json is reported as {"ok": false, "error", "exit_code"} by app.cli.main.
JSON_ERROR_DOCUMENT = True


def run(args: argparse.Namespace) -> int:
    json_mode: bool = args.json
    # Before anything else (no password asked, no store read): an existing file is kept.
    refuse_existing(args.out)
    profile: Profile = "compatible" if args.compat else "modern"
    if args.compat and args.format == "pem":
        out("(--compat only changes .pfx files; a PEM key is always AES-256.)", json_mode=True)
    what = "the exported .pfx" if args.format == "pfx" else "the exported key"
    password = new_password(args.password_env, args.password_stdin, what)
    if args.format == "pfx":
        warning = export_password_warning(password, profile=profile)
        if warning is not None:
            # A warning, not a refusal: the file is sound, only some readers mistype it.
            out(f"Warning: {warning.sentence}", json_mode=True)
    result: ExportResult
    if is_fingerprint(args.source):
        sha = normalize_sha256(args.source)
        stores = pick_targets([args.target] if args.target else [], all_found=True)
        holding = stores_holding(sha, stores)
        if not holding:
            raise BadInputError(
                f"No store here holds the certificate {sha[:16]}… with its private key; "
                "'gridcert list' shows personal certificates as 'personal (+key)'."
            )
        # The chain is completed from every store found, whichever one holds the key.
        everywhere = stores if not args.target else pick_targets([], all_found=True)
        result = export_from_store(holding[0], sha, args.out, password, profile=profile,
                                   fmt=args.format, overwrite=False, chain_stores=everywhere)
    else:
        if not os.path.exists(args.source):
            raise BadInputError(f"‘{args.source}’ does not exist (give a file or a SHA-256).")
        if args.in_password_env:
            # The file read has its own password; --password-env is the new file's.
            result = export_from_file(args.source, args.out, password,
                                      file_password=password_from(args.in_password_env,
                                                                  False, None),
                                      profile=profile, fmt=args.format, overwrite=False)
        else:
            try:
                result = export_from_file(args.source, args.out, password, profile=profile,
                                          fmt=args.format, overwrite=False)
            except WrongPasswordError:
                # The file being read may have another password than the one chosen for
                # the copy.
                file_password = password_from(
                    None, False, f"Password of {os.path.basename(args.source)}: ")
                if file_password is None:
                    raise
                result = export_from_file(args.source, args.out, password,
                                          file_password=file_password, profile=profile,
                                          fmt=args.format, overwrite=False)
    if json_mode:
        emit_json(result.to_json())
        return EXIT_OK
    out(f"Exported '{result.leaf.display_name}' with its private key"
        f"{and_ca_certificates(len(result.chain))} to {result.path}; read back:")
    for sentence in result.checked:
        out(f"  ✓ {sentence}")
    return EXIT_OK
