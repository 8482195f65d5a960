"""`gridcert request (--like SHA256|PATH | --subject DN) [--key KIND] --out CSR.pem
[--key-password-env VAR] [--json]`: a new key (kept encrypted here) and its CSR."""

from __future__ import annotations

import argparse
import os
import re

from app.actions.files import refuse_existing
from app.actions.renew import make_request
from app.cli.output import emit_json, out, password_from
from app.core.errors import EXIT_OK, BadInputError, PasswordRequiredError
from app.core.model import CertificateItem

_HEX64 = re.compile(r"^[0-9a-fA-F:\s]{64,95}$")


def is_fingerprint(text: str) -> bool:
    """True for a SHA-256 fingerprint (64 hex digits, separators allowed) that is no file."""
    cleaned = re.sub(r"[\s:]", "", text)
    return bool(_HEX64.match(text)) and len(cleaned) == 64 and not os.path.exists(text)


def certificate_from_file(path: str) -> CertificateItem:
    """The personal certificate in a file (the first non-CA one), asking for a .pfx password
    on a terminal when needed."""
    from app.core.reader import read_paths

    result = read_paths([path])
    asked = False
    if not result.items and any(p.needs_password for p in result.problems):
        password = password_from(None, False, f"Password of {os.path.basename(path)}: ")
        if password is not None:
            asked = True
            result = read_paths([path], lambda _source: password)
    if not result.items:
        for problem in result.problems:
            if problem.needs_password and not asked:
                raise PasswordRequiredError(
                    f"{problem.message} Without a terminal to ask on, give the certificate's "
                    "SHA-256 (see 'gridcert list') or a .cer/.pem copy of it instead."
                )
            raise problem.error
        raise BadInputError(f"‘{os.path.basename(path)}’ holds no certificate.")
    leaves = [i for i in result.items if not i.is_ca]
    return (leaves or result.items)[0]


def certificate_from_stores(sha256: str, target_ids: list[str]) -> CertificateItem:
    from app.actions.plan import normalize_sha256
    from app.cli.cmd_install import pick_targets

    wanted = normalize_sha256(sha256)
    for store in pick_targets(target_ids, all_found=True):
        try:
            if not store.available().usable:
                continue
            for entry in store.list():
                if entry.item.sha256 == wanted:
                    return entry.item
        except Exception:  # one unreadable store must not hide the others
            continue
    raise BadInputError(
        f"No store here holds a certificate with SHA-256 {wanted[:16]}…; "
        "'gridcert list' shows what is installed."
    )



# A failure under --json is reported as {"ok": false, "error", "exit_code"} by app.cli.main.
JSON_ERROR_DOCUMENT = True


def run(args: argparse.Namespace) -> int:
    json_mode: bool = args.json
    # Before any key is made or password asked: an existing file is kept (exit 3).
    refuse_existing(args.out)
    like = None
    if args.like:
        like = (certificate_from_stores(args.like, []) if is_fingerprint(args.like)
                else certificate_from_file(args.like))
    key_passphrase = password_from(args.key_password_env, False, None)
    result = make_request(args.subject, like=like, key_kind=args.key, out=args.out,
                          key_passphrase=key_passphrase, overwrite=False)
    if json_mode:
        emit_json(result.to_json())
        return EXIT_OK
    out(result.instructions)
    where = ("its passphrase is kept in the system keyring"
             if result.pending.passphrase_in_keyring
             else "you need the passphrase you gave to complete it")
    out(f"Pending request {result.pending.id} ({result.pending.key_kind}); {where}.")
    return EXIT_OK
