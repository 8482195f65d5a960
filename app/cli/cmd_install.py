"""`gridcert install PATH... [--target ID]... [--profile FILE] [--dry-run] [--yes] [--json]`.

Reads the files, plans, shows the plan, asks (on a terminal, unless --yes), applies it as
one transaction. Also holds the small printing helpers `remove` and `undo` share.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from app.actions.install import ApplyReport, Plan, apply_plan, plan_install, recover_interrupted
from app.actions.targets import default_targets, discover_targets, resolve_targets
from app.cli.output import confirm, details, emit_json, out, password_from
from app.core.errors import (
    EXIT_OK,
    BadInputError,
    KeyringUnavailableError,
    RefusedError,
    UsageError,
    WrongPasswordError,
)
from app.stores.base import TrustStore

if TYPE_CHECKING:
    from app.actions.profile import Profile


# --- shared with remove / undo / list ----------------------------------------------------------
def say_recovered(json_mode: bool) -> str | None:
    """Finish a change a crash left half-done, and say so (on stderr in JSON mode)."""
    sentence = recover_interrupted()
    if sentence:
        out(sentence, json_mode=True)
    return sentence


def pick_targets(ids: Sequence[str], *, all_found: bool = False) -> list[TrustStore]:
    """Explicit --target ids, else the detected stores (default ones, or all of them)."""
    if ids:
        return resolve_targets(list(dict.fromkeys(ids)))
    found = discover_targets()
    chosen = found if all_found else default_targets(found)
    if not chosen:
        raise UsageError("GridCert found no certificate store to use here; name one with "
                         "--target (see 'gridcert targets').")
    return chosen


def print_plan(plan: Plan, json_mode: bool) -> None:
    def line(text: str = "") -> None:
        out(text, json_mode=json_mode)

    active = plan.active_steps
    if plan.steps:
        line("Plan:" if active else "Plan (nothing to change):")
        number = 0
        for step in plan.steps:
            if step.skip:
                line(f"   -  {step.title} — already there")
            else:
                number += 1
                line(f"  {number:2}. {step.title}")
                line(f"      because {step.reason}")
    for heading, entries, mark in (("Warnings:", plan.warnings, "!"),
                                   ("Notes:", plan.notes, "-"),
                                   ("Will not be done:", plan.refused, "x")):
        if entries:
            line(heading)
            for entry in entries:
                line(f"  {mark} {entry}")


def say_elevation(plan: Plan) -> None:
    """Before a UAC prompt appears, say that it will (on stderr in JSON mode)."""
    from app.actions.handover import elevated_labels, permission_sentence

    used = dict.fromkeys(step.target_id for step in plan.active_steps)
    labels = elevated_labels([plan.targets[t] for t in used if t in plan.targets])
    if labels:
        out(permission_sentence(labels), json_mode=True)


def print_report(report: ApplyReport, json_mode: bool, verb: str = "Installed") -> None:
    def line(text: str = "") -> None:
        out(text, json_mode=json_mode)

    if report.ok:
        if report.applied:
            line(f"{verb}; checked by reading every store back:")
        for sentence in report.verified:
            line(f"  ✓ {sentence}")
        return
    # Failures go to stderr, like every other error the CLI reports.
    if report.failed is not None:
        out(f"Failed at: {report.failed.title}", json_mode=True)
    out(f"gridcert: {report.error}", json_mode=True)
    details(report.error_detail)
    if report.rolled_back:
        out("Everything done before that step was undone; the stores are as they were.",
            json_mode=True)
    elif report.journal_id is None:
        out("Nothing was changed.", json_mode=True)


def progress_printer(json_mode: bool) -> Callable[[int, int, str], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, message: str) -> None:
        sys.stderr.write(f"[{done}/{total}] {message}\n")

    return show


def ask(question: str, json_mode: bool) -> bool:
    """A yes/no question on the terminal (on stderr when stdout carries JSON)."""
    if not json_mode:
        return confirm(question, False)
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def gate(plan: Plan, assume_yes: bool, question: str, *, always_ask: bool = False,
         json_mode: bool = False) -> None:
    """Ask on a terminal; without one, warnings (or always_ask) need --yes."""
    needs_ok = bool(plan.warnings or plan.refused) or always_ask
    if assume_yes:
        return
    if sys.stdin.isatty():
        if not ask(question, json_mode):
            raise RefusedError("Nothing was changed: you did not confirm.")
        return
    if needs_ok:
        what = plan.warnings[0] if plan.warnings else (
            plan.refused[0] if plan.refused else "this change needs confirmation")
        what = what.rstrip()
        if not what.endswith((".", "!", "?")):
            what += "."
        raise RefusedError(f"Nothing was changed: {what} Run again with --yes to accept.")


def removes_identity(plan: Plan) -> bool:
    """Whether applying `plan` removes a personal certificate (which is backed up first)."""
    return any(
        step.kind == "remove" and (
            (step.item is not None and step.item.has_private_key)
            or (step.stored is not None and step.stored.has_private_key))
        for step in plan.active_steps)


def ensure_backup_passphrase(json_mode: bool, *, new: bool) -> None:
    """Make sure the backup passphrase is at hand BEFORE anything changes.

    It comes from the keyring; without a usable keyring it is asked on the terminal (twice
    when `new`, i.e. it will protect a new backup). Without a terminal either, stop here
    with a sentence that says so: failing later, mid-transaction, would tell the person to
    'type a passphrase' where nothing can be typed."""
    from app.actions.backup import backup_passphrase

    try:
        backup_passphrase()
        return
    except KeyringUnavailableError as error:
        if not sys.stdin.isatty():
            raise KeyringUnavailableError(
                "Nothing was changed: GridCert keeps an encrypted backup of every personal "
                "certificate it removes or puts back, and its passphrase can neither be kept "
                "in a system keyring (none works here) nor typed (there is no terminal). "
                "Run this command on a terminal or where a system keyring works, or give "
                "the passphrase to 'remove' with --backup-password-env VAR."
            ) from error
        out(str(error), json_mode=True)
    prompt = "Passphrase for the backup: " if new else "Passphrase of the backup: "
    typed = password_from(None, False, prompt, confirm=new)
    if not typed:
        raise KeyringUnavailableError("Nothing was changed: the backup needs a passphrase.")
    backup_passphrase(typed)


# --- install ------------------------------------------------------------------------------------
_PASSWORD_TRIES = 3


def _read(paths: Sequence[str], password: str | None, json_mode: bool) -> list[Any]:
    from app.core.reader import read_paths

    result = read_paths(paths, passwords=(lambda _source: password) if password is not None
                        else None)
    needing = [p for p in result.problems if p.needs_password]
    if needing and password is None and sys.stdin.isatty():
        from app.cli.cmd_inspect import _display_source

        # As `inspect` does: a mistyped password is asked again (three tries in all),
        # instead of ending the whole install at the first typo.
        typed: dict[str, str | None] = {}
        asking = [problem.source for problem in needing]
        for attempt in range(_PASSWORD_TRIES):
            for source in asking:
                typed[source] = password_from(
                    None, False, f"Password for ‘{_display_source(source, paths)}’: ")
            result = read_paths(paths, passwords=lambda source: typed.get(source))
            asking = [p.source for p in result.problems
                      if isinstance(p.error, WrongPasswordError) and p.source in typed]
            if not asking or attempt == _PASSWORD_TRIES - 1:
                break
            for source in asking:
                out(f"That password does not open ‘{_display_source(source, paths)}’.",
                    json_mode=True)
    if result.problems:
        for problem in result.problems[1:]:
            out(f"gridcert: {problem.message}", json_mode=True)
        raise result.problems[0].error
    if not result.items:
        raise BadInputError(f"No certificates were found in {', '.join(paths)}.")
    for member in result.other_members:
        out(f"(not a certificate, left alone: {member})", json_mode=json_mode)
    return list(result.items)


# A failure under --json is reported as {"ok": false, "error", "exit_code"} by app.cli.main.
JSON_ERROR_DOCUMENT = True


def _keep_profile_endpoints(profile: Profile | None, dry_run: bool) -> None:
    """A profile's sign-in addresses are kept once the profile has been applied."""
    if profile is None or profile.endpoints is None or dry_run:
        return
    from app.actions.probe import save_profile_endpoints

    save_profile_endpoints(profile.endpoints, str(profile.path))


def run(args: argparse.Namespace) -> int:
    json_mode: bool = args.json
    recovered = say_recovered(json_mode)
    paths: list[str] = list(args.paths)
    target_ids: list[str] = list(args.target)
    password_env: str | None = args.password_env
    profile = None
    if args.profile:
        from app.actions.profile import files_of, load_profile

        profile = load_profile(args.profile)
        paths = files_of(profile, paths)
        target_ids = target_ids or list(profile.targets)
        if password_env is None and not args.password_stdin:
            password_env = profile.password_env
            if password_env is not None and password_env not in os.environ:
                # A fleet tool's log shows only this line: name the profile it came from.
                raise UsageError(
                    f"The profile {args.profile} takes the .pfx password from the environment, "
                    f"but {password_env} is not set; set it before running GridCert (nothing "
                    f"was changed)."
                )
    if not paths:
        raise UsageError("Give at least one certificate file to install (or --profile FILE).")
    password = password_from(password_env, args.password_stdin, None)
    items = _read(paths, password, json_mode)
    targets = pick_targets(target_ids)
    plan = plan_install(items, targets)
    if profile is not None:
        from app.actions.profile import check_pins

        check_pins(profile, plan)
    print_plan(plan, json_mode)
    document: dict[str, Any] = {"ok": True, "dry_run": bool(args.dry_run),
                                "plan": plan.to_json(), "result": None,
                                "recovered": recovered}
    if plan.nothing_to_do:
        if plan.refused:
            raise RefusedError(plan.refused[0] + " Nothing was installed.")
        _keep_profile_endpoints(profile, args.dry_run)
        out("Everything is already installed; nothing to do.", json_mode=json_mode)
        if json_mode:
            emit_json(document)
        return EXIT_OK
    if args.dry_run:
        out("Dry run: nothing was changed.", json_mode=json_mode)
        if json_mode:
            emit_json(document)
        return EXIT_OK
    count = len(plan.active_steps)
    gate(plan, args.yes, "Make this change?" if count == 1 else f"Make these {count} changes?",
         json_mode=json_mode)
    say_elevation(plan)
    report = apply_plan(plan, progress_printer(json_mode))
    if report.ok:
        _keep_profile_endpoints(profile, False)
    print_report(report, json_mode)
    document["ok"] = report.ok
    document["result"] = report.to_json()
    if json_mode:
        emit_json(document)
    return EXIT_OK if report.ok else report.exit_code
