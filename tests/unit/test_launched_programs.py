"""Every program app/ starts is one the build produces, and it understands its arguments.

app/ launches three programs of its own bundle: the UAC hand-over (the windowed wizard
program's `--apply-handover FILE SHA256`, app/actions/handover.py), the daily reminder's
scheduled command
(app/actions/reminder.py) and the wizard's file-reading child (app/gui/readchild.py). For
each OS a frozen build is simulated — a folder holding exactly the two executables
app/core/programs.py names, started from either of them — and each launched argv must
name a file of that folder, and that program's own parser (app.cli's for the CLI,
app.gui.main's for the wizard) must take the arguments as the command meant, not as
something else (the wizard once took `_apply-handover FILE SHA256` for three files to open).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from app.actions import handover, reminder
from app.cli import build_parser
from app.core.errors import TargetError
from app.core.programs import programs_for
from app.gui import main as wizard_main
from app.gui import readchild

PLATFORMS = ("win32", "darwin", "linux")
DIGEST = "ab" * 32


def bundle(tmp_path: Path, platform: str) -> Path:
    """A bundle folder with exactly the two executables of `platform` (in a folder with
    spaces, as `C:\\Users\\Jane Doe\\AppData\\Local\\Programs\\GridCert` is)."""
    folder = tmp_path / "Jane Doe" / "Programs" / "GridCert"
    folder.mkdir(parents=True)
    names = programs_for(platform)
    for name in (names.gui, names.cli):
        (folder / name).write_bytes(b"")
    return folder


def launched(platform: str, executable: Path, handover_file: Path) -> dict[str, list[str]]:
    """The argv of every program app/ starts, for a frozen build started as `executable`."""
    return {
        "hand-over": handover.elevated_argv(handover_file, DIGEST, frozen=True,
                                            executable=str(executable), platform=platform),
        "reminder": reminder.check_command(platform, executable=str(executable), frozen=True),
        "read-child": readchild.child_command(frozen=True, executable=str(executable),
                                              platform=platform),
    }


def understood(program: str, args: list[str], platform: str) -> argparse.Namespace:
    """`args` parsed by the real parser of `program`; fails the test when it refuses them."""
    names = programs_for(platform)
    try:
        if program == names.cli:
            parsed = build_parser().parse_args(args)
            assert parsed.command is not None, f"{program} {args}: no command"
            return parsed
        assert program == names.gui, program
        parsed = wizard_main.parse_args(args)
    except SystemExit as stop:
        pytest.fail(f"{program} refuses {args} (exit {stop.code})")
    # The wizard must see a command, not files to open.
    assert parsed.files == [], f"{program} takes {args} for files to open"
    return parsed


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("started_as", ["gui", "cli"])
def test_every_launched_program_is_in_the_bundle_and_takes_its_arguments(
        tmp_path: Path, platform: str, started_as: str) -> None:
    folder = bundle(tmp_path, platform)
    names = programs_for(platform)
    executable = folder / (names.gui if started_as == "gui" else names.cli)
    file = tmp_path / "hand over.json"

    commands = launched(platform, executable, file)

    produced = {path.name for path in folder.iterdir()}
    for what, argv in commands.items():
        program = Path(argv[0])
        assert program.parent == folder, f"{what}: {argv[0]} is not in the bundle"
        assert program.name in produced, f"{what}: the build has no {program.name}"
        understood(program.name, argv[1:], platform)

    # What each one asks for, in the words of its program.
    # The hand-over starts the windowed program (an .exe on Windows: UAC's "runas" verb is
    # certain for it, and no console exists), which takes it as the hand-over, not files.
    over = wizard_main.parse_args(commands["hand-over"][1:])
    assert Path(commands["hand-over"][0]).name == names.gui
    assert over.apply_handover == [str(file), DIGEST] and over.files == []
    child = wizard_main.parse_args(commands["read-child"][1:])
    assert Path(commands["read-child"][0]).name == names.gui and child.read_child
    scheduled = commands["reminder"]
    if platform == "win32":
        # The windowed program: a console program would flash a window every morning.
        assert Path(scheduled[0]).name == names.gui
        assert wizard_main.parse_args(scheduled[1:]).check_notify
    else:
        assert Path(scheduled[0]).name == names.cli
        parsed = build_parser().parse_args(scheduled[1:])
        assert (parsed.command, parsed.notify) == ("check", True)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_missing_windowed_program_is_a_sentence_not_the_command_line(
        tmp_path: Path, platform: str) -> None:
    folder = bundle(tmp_path, platform)
    names = programs_for(platform)
    (folder / names.gui).unlink()
    with pytest.raises(TargetError, match="reinstall GridCert") as raised:
        handover.elevated_argv(tmp_path / "h.json", DIGEST, frozen=True,
                               executable=str(folder / names.cli), platform=platform)
    assert names.gui in str(raised.value)


def test_the_hand_over_option_takes_no_files_and_is_hidden(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = str(tmp_path / "h.json")
    assert wizard_main.parse_args([wizard_main.APPLY_HANDOVER, file, DIGEST]).apply_handover == [
        file, DIGEST]
    for args in ([wizard_main.APPLY_HANDOVER, file, DIGEST, "extra.pfx"],
                 ["extra.pfx", wizard_main.APPLY_HANDOVER, file, DIGEST],
                 [wizard_main.APPLY_HANDOVER, file],
                 [wizard_main.APPLY_HANDOVER, file, DIGEST, wizard_main.CHECK_NOTIFY]):
        with pytest.raises(SystemExit) as stopped:
            wizard_main.parse_args(args)
        assert stopped.value.code == 2, args
    capsys.readouterr()
    with pytest.raises(SystemExit):
        wizard_main.parse_args(["--help"])
    assert "apply-handover" not in capsys.readouterr().out


@pytest.mark.parametrize("args", [
    ["_apply-handover", "C:\\Temp\\h.json", DIGEST],
    ["check", "--notify"],
    ["install", "ercot.zip"],
])
def test_the_wizard_refuses_commands_of_the_command_line(args: list[str]) -> None:
    # Never "open" them as files (nor forward them to a wizard already running).
    with pytest.raises(SystemExit) as stopped:
        wizard_main.parse_args(args)
    assert stopped.value.code == 2


def test_the_wizard_still_opens_files(tmp_path: Path) -> None:
    pfx = tmp_path / "0123456789012$JSMITH.pfx"
    assert wizard_main.parse_args([str(pfx), "--smoke"]).files == [str(pfx)]
    # A file that happens to be called like a command, given as a path, is a file.
    check = tmp_path / "check"
    check.write_bytes(b"")
    assert wizard_main.parse_args([str(check)]).files == [str(check)]
