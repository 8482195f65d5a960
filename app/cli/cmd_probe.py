"""`gridcert probe URL [--identity SHA256|FILE] [--password-env VAR | --password-stdin]
[--timeout S] [--target ID]... [--remember] [--json]`: the sign-in test.

URL is an https address (`host` alone means `https://host/`) or a catalog endpoint id
(`ercot-ews-mote`). `--identity` names an installed certificate by SHA-256 (read out of
its store in memory) or a .pfx/.p12 file (its password from --password-env,
--password-stdin or a prompt); without it every installed certificate whose chain fits
the server's CA list is tried. `--remember` adds URL to your own endpoints, which
`gridcert check --probe` then tests too.

Exit 0 the server accepted the certificate; 6 the test failed or was refused (the sentence
says why); 2 usage; 3 bad input (a missing file, a wrong password, an unknown SHA-256).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from app.actions.plan import normalize_sha256
from app.actions.probe import (
    MAX_TIMEOUT,
    ProbeIdentity,
    ProbeResult,
    ProbeRun,
    identity_from_file,
    identity_from_installed,
    known_endpoints,
    probe,
    probe_installed,
    remember_endpoint,
    valid_timeout,
)
from app.cli.cmd_install import pick_targets
from app.cli.cmd_request import is_fingerprint
from app.cli.output import emit_json, out, password_from
from app.core.errors import BadInputError, GridCertError, UsageError

_MARKS = {"ok": "✓", "warning": "⚠", "error": "✗", "skipped": "-"}


def json_error_document(error: GridCertError) -> dict[str, Any]:
    """`--json` on a usage or input error: still one document, with the sentence."""
    return {"ok": False, "error": str(error), "exit_code": error.exit_code}


def resolve_url(text: str) -> str:
    """A catalog/user endpoint id, or the address itself."""
    for endpoint in known_endpoints():
        if endpoint.id == text:
            return endpoint.url
    return text


def _progress(json_mode: bool) -> Any:
    def say(step: str, sentence: str) -> None:
        if step != "done" and sys.stderr.isatty():
            out(f"  … {sentence}", json_mode=True)

    return say


def _identity(args: argparse.Namespace) -> ProbeIdentity | None:
    if not args.identity:
        return None
    if is_fingerprint(args.identity):
        sha = normalize_sha256(args.identity)
        return identity_from_installed(sha, pick_targets(args.target, all_found=True))
    if not os.path.exists(args.identity):
        raise BadInputError(f"--identity ‘{args.identity}’ is neither a SHA-256 fingerprint "
                            "nor an existing file.")
    password = password_from(args.password_env, args.password_stdin,
                             f"Password of {os.path.basename(args.identity)}: ")
    return identity_from_file(args.identity, password)


def print_result(result: ProbeResult, json_mode: bool = False) -> None:
    """The human form: the rows, then the sentence and the fix."""
    # The name as the person knows it ('Jane Smith'); the full subject is in --json.
    who = f" with '{result.identity.display_name}'" if result.identity else ""
    out(f"Sign-in test of {result.url}{who}:", json_mode=json_mode)
    for check in result.checks[:-1]:
        out(f"  {_MARKS[check.status]} {check.text}", json_mode=json_mode)
    mark = "✓" if result.accepted else "✗"
    out(f"{mark} {result.diagnosis.sentence}", json_mode=json_mode)
    if not result.accepted:
        out(f"  Fix: {result.diagnosis.fix}", json_mode=json_mode)
    if result.alert:
        out(f"  (TLS alert: {result.alert})", json_mode=json_mode)


def run(args: argparse.Namespace) -> int:
    json_mode: bool = args.json
    if args.timeout is not None and not valid_timeout(args.timeout):
        raise UsageError(f"--timeout takes a number of seconds, more than 0 and at most "
                         f"{MAX_TIMEOUT:g}.")
    timeout = args.timeout or 10.0
    if (args.password_env or args.password_stdin) and not args.identity:
        raise UsageError("--password-env/--password-stdin need --identity FILE (a .pfx).")
    if (args.password_env or args.password_stdin) and is_fingerprint(args.identity):
        # Silently ignoring it would let a script believe its password was used.
        raise UsageError("--password-env/--password-stdin are only for --identity FILE (a "
                         ".pfx); an installed certificate (--identity SHA256) needs no "
                         "password: its key is read from its store.")
    url = resolve_url(args.url)
    identity = _identity(args)
    progress = _progress(json_mode)
    outcome: ProbeResult | ProbeRun
    if identity is not None:
        outcome = probe(url, identity, timeout=timeout, progress=progress)
        results = [outcome]
    else:
        outcome = probe_installed(url, pick_targets(args.target, all_found=True),
                                  timeout=timeout, progress=progress)
        results = outcome.results
    if args.remember:
        endpoint = remember_endpoint(url)
        out(f"(Remembered {endpoint.url} as '{endpoint.id}': 'gridcert check --probe' tests "
            "it too.)", json_mode=True)
    if json_mode:
        emit_json(outcome.to_json())
    else:
        for index, result in enumerate(results):
            if index:
                out("")
            print_result(result)
    return outcome.exit_code
