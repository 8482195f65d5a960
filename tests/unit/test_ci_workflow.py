"""The Windows and macOS CI jobs run what they must, with programs those runners have.

Nobody here can run a windows-latest or macos-latest runner, so the workflow is read as
data: the jobs must run the real-store tests (tests/os) and mypy for their platform, and
must not call Debian-only tools (apt-get, xvfb-run, NSS's `certutil -d`: on Windows
`certutil` is Microsoft's own, a different program). Every command of a bash step must be
one that the runner images provide (GitHub's runner-images READMEs: Git for Windows'
bash with its coreutils and cygpath, Chocolatey, NSIS; macOS' bash and BSD tools) or one
this workflow installs (Python, ruff, mypy, pytest via pip).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "ci.yml"

DEBIAN_ONLY = ("apt-get", "apt ", "dpkg", "xvfb-run", "certutil -d", "pk12util",
               "update-ca-certificates", "install-system-deps.sh", "with-keyring.sh",
               "dbus-run-session", "gnome-keyring", "sudo ")

#: First words a bash step may start a command with on the Windows and macOS runners.
BASH_COMMANDS = {
    # shell syntax and builtins
    "if", "then", "else", "elif", "fi", "for", "do", "done", "echo", "command", "test", "[",
    "export", "set", "cd", "exit",
    # installed by the workflow (actions/setup-python, pip install -e '.[dev]')
    "python", "ruff", "mypy", "pytest", "pip",
    # on the runner images
    "bash", "choco", "cygpath", "makensis",
}


def _jobs() -> dict[str, Any]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    jobs: dict[str, Any] = document["jobs"]
    return jobs


def _steps(job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _jobs()[job]["steps"]
    return steps


def _runs(job: str) -> list[str]:
    return [str(step["run"]) for step in _steps(job) if "run" in step]


def _shell(job: str, step: dict[str, Any]) -> str:
    default = _jobs()[job].get("defaults", {}).get("run", {}).get("shell", "bash")
    return str(step.get("shell", default))


@pytest.mark.parametrize(("job", "platform"), [("windows", "win32"), ("macos", "darwin")])
def test_job_runs_the_os_tests_and_its_platform_mypy(job: str, platform: str) -> None:
    runs = _runs(job)
    assert any("pytest" in run and "tests/os" in run for run in runs), runs
    assert any(re.search(rf"\bmypy\b.*--platform {platform}\b", run) for run in runs), runs


@pytest.mark.parametrize("job", ["windows", "macos"])
def test_job_calls_no_debian_only_tool(job: str) -> None:
    for run in _runs(job):
        for tool in DEBIAN_ONLY:
            assert tool not in run, f"{job}: '{tool}' in {run!r}"


@pytest.mark.parametrize("job", ["windows", "macos"])
def test_tests_run_with_ci_false_so_debian_tools_skip(job: str) -> None:
    # tests.helpers.require_tool fails a test whose tool is missing only under CI=true.
    steps = [s for s in _steps(job) if "pytest" in str(s.get("run", ""))]
    assert steps
    for step in steps:
        assert str(step.get("env", {}).get("CI")).lower() == "false", step


@pytest.mark.parametrize("job", ["windows", "macos"])
def test_bash_steps_use_only_commands_the_runner_has(job: str) -> None:
    for step in _steps(job):
        if "run" not in step or _shell(job, step) != "bash":
            continue
        for raw in str(step["run"]).splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            for command in re.split(r"\s*(?:&&|\|\||;|\|)\s*", line):
                words = shlex.split(command, comments=True)
                while words and words[0] in ("!", "if", "then", "else"):
                    words = words[1:]
                if not words or "=" in words[0] or words[0].startswith(("$", ">")):
                    continue
                assert words[0] in BASH_COMMANDS or words[0].startswith("dist/"), (
                    f"{job}: '{words[0]}' in {line!r} is not known to be on the runner")


def test_linux_job_checks_all_three_platforms() -> None:
    runs = "\n".join(_runs("linux"))
    for platform in ("win32", "darwin"):
        assert f"--platform {platform}" in runs


def test_no_utf8_mode_hides_the_code_page() -> None:
    # PYTHONUTF8=1 on the runners made Windows' code-page defects invisible there.
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    places = [document.get("env") or {}] + [
        job.get("env") or {} for job in document["jobs"].values()] + [
        step.get("env") or {} for job in document["jobs"].values()
        for step in job.get("steps", [])]
    assert all("PYTHONUTF8" not in env for env in places)
