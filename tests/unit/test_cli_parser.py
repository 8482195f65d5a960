"""The CLI contract's shape: usage errors exit 2, --version, password never from argv."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.__version__ import VERSION
from app.cli import build_parser, main
from app.core import errors


def test_version_is_printed_from_the_single_definition(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"GridCert {VERSION}"


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["inspect"],
        ["verify"],
        ["export", "abc"],
        ["request", "--out", "x.csr"],
        ["request", "--like", "a", "--subject", "CN=x", "--out", "x.csr"],
        ["inspect", "a.pem", "--password-env", "X", "--password-stdin"],
        ["list", "--expiring", "soon"],
    ],
)
def test_usage_errors_exit_2_with_a_sentence(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == errors.EXIT_USAGE
    assert "gridcert:" in capsys.readouterr().err


def test_there_is_no_password_argument() -> None:
    """Passwords come from env, stdin or a prompt, never from argv (DESIGN.md)."""
    parser = build_parser()
    for action in parser._subparsers._group_actions[0].choices.values():  # type: ignore[union-attr]
        for option in action._option_string_actions:
            # The name of an environment variable (DESIGN.md lists --password-env,
            # --key-password-env, --backup-password-env, --in-password-env) or stdin.
            assert option.endswith("-password-env") or option == "--password-stdin" or (
                "password" not in option
            ), option


def test_python_dash_m_app_runs_the_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "app", "--version"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0
    assert VERSION in completed.stdout


def test_exit_codes_of_the_error_family() -> None:
    assert errors.UsageError("x").exit_code == 2
    assert errors.WrongPasswordError("x").exit_code == 3
    assert errors.PinMismatchError("x").exit_code == 3
    assert errors.TargetError("x").exit_code == 4
    assert errors.StoreLockedError("x").exit_code == 4
    assert errors.CancelledError("x").exit_code == 5
    assert str(errors.BadInputError("‘a.pfx’ is empty.")) == "‘a.pfx’ is empty."
