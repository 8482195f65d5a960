"""Start-up (--smoke, lean imports, single instance), the worker, and keyboard/accessibility."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QWidget,
)

from app.core.errors import WrongPasswordError
from app.gui import navigation as nav
from app.gui.single_instance import SingleInstance
from app.gui.worker import run_task
from tests.gui.conftest import Driver

ROOT = Path(__file__).resolve().parents[2]


def run_wizard(*args: str, env_home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    code = ("import sys, json; from app.gui.main import main; rc = main(sys.argv[1:]); "
            "print(json.dumps({'rc': rc, 'heavy': sorted(m for m in ('cryptography', "
            "'keyring', 'app.core.catalog', 'app.stores.registry', 'app.core.reader') "
            "if m in sys.modules)}))")
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_smoke_paints_and_quits_without_heavy_imports(isolated_home: Path) -> None:
    done = run_wizard("--smoke", env_home=isolated_home)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["rc"] == 0
    assert report["heavy"] == []  # nothing heavy before the first page was painted


def test_smoke_with_a_file_paints_the_page_it_opens_on(isolated_home: Path,
                                                       tmp_path: Path) -> None:
    """`gridcert-wizard FILE --smoke` (how an "Open with" start is checked) opens on the
    install flow, not the start page; it must still see its page painted and quit 0,
    and a read still running when it quits must not print a traceback."""
    from tests.pki import make_root

    root = make_root("ERCOT CA", org="ERCOT").write(tmp_path / "ERCOT CA.cer")
    done = run_wizard(str(root), "--smoke", env_home=isolated_home)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["rc"] == 0
    assert "Traceback" not in done.stderr


def test_second_launch_hands_its_file_to_the_first(qtbot, tmp_path: Path) -> None:
    first = SingleInstance(tmp_path / "instance")
    assert first.primary
    second = SingleInstance(tmp_path / "instance")
    assert not second.primary
    with qtbot.waitSignal(first.request, timeout=10000) as blocker:
        second.hand_over([str(tmp_path / "0123456789012$JSMITH.pfx")])
    assert blocker.args == [[str(tmp_path / "0123456789012$JSMITH.pfx")]]
    assert list((tmp_path / "instance" / "inbox").iterdir()) == []
    first.release()
    third = SingleInstance(tmp_path / "instance")
    assert third.primary  # the lock is free once the first instance is gone
    third.release()


def test_second_launch_process_exits_at_once(qtbot, isolated_home: Path,
                                             tmp_path: Path) -> None:
    first = SingleInstance()  # this test process plays the open wizard
    assert first.primary
    pfx = tmp_path / "me.pfx"
    with qtbot.waitSignal(first.request, timeout=30000) as blocker:
        done = run_wizard(str(pfx), env_home=isolated_home)
    assert done.returncode == 0, done.stderr
    assert blocker.args == [[str(pfx)]]
    first.release()


def test_worker_turns_errors_into_sentences(qtbot) -> None:
    def wrong(_progress: object) -> None:
        raise WrongPasswordError("'me.pfx' could not be opened: wrong password.")

    def broken(_progress: object) -> None:
        raise RuntimeError("boom")

    for fn, expected in ((wrong, "'me.pfx' could not be opened: wrong password."),
                         (broken, "Something unexpected went wrong (RuntimeError: boom)")):
        messages: list[str] = []
        run_task(fn, on_failed=messages.append)
        qtbot.waitUntil(lambda messages=messages: bool(messages), timeout=10000)
        assert messages[0].startswith(expected)
        assert "Traceback" not in messages[0]


def test_worker_progress_and_result(qtbot) -> None:
    seen: list[tuple[int, int, str]] = []
    results: list[object] = []

    def work(progress):  # type: ignore[no-untyped-def]
        progress(1, 2, "half")
        return 42

    run_task(work, results.append, None, lambda *a: seen.append(a))
    qtbot.waitUntil(lambda: results == [42], timeout=10000)
    assert seen == [(1, 2, "half")]


def _inside_item_view(widget: QWidget) -> bool:
    """Headers and corner buttons of a table: Qt's accessibility speaks for them."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def _controls(page: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView)
    return [w for w in page.findChildren(QWidget)
            if isinstance(w, kinds) and not _inside_item_view(w)
            # a combo box's own popup list is named by the combo box
            and type(w.parentWidget()).__name__ != "QComboBoxPrivateContainer"]


@pytest.mark.parametrize("job", ["install", "check"])
def test_every_control_has_an_accessible_name(driver: Driver, job: str) -> None:
    wizard = driver.wizard
    pages = [wizard.page_by_name(nav.START)]
    flow = nav.get_flow(job)
    pages += [wizard.page_by_name(rule.page) for rule in flow.pages]
    for page in pages:
        for control in _controls(page):
            name = control.accessibleName() or (
                control.text() if isinstance(control, QAbstractButton) else "")
            assert name.strip(), f"{type(control).__name__} '{control.objectName()}' on " \
                                 f"{page.objectName()} has no accessible name"
    for which in (wizard.WizardButton.NextButton, wizard.WizardButton.BackButton,
                  wizard.WizardButton.CancelButton):
        assert wizard.button(which).accessibleName()


def test_keyboard_only_start(driver: Driver, qtbot) -> None:
    """Mnemonics on the start page: Alt+C opens Check without the mouse."""
    start = driver.wizard.page_by_name(nav.START)
    assert "&" in start.buttons["install"].text() and "&" in start.buttons["check"].text()
    qtbot.keyClick(start.buttons["check"], Qt.Key.Key_Space)
    driver.wait_page(nav.CHECK)
    assert driver.clicks == 0


def test_browse_opens_in_downloads_then_where_the_last_files_were(
        qapp, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file picker opens where a mail attachment lands (Downloads), not in the
    program's folder (the working directory of a Start-menu shortcut); the next time,
    in the folder the last files came from."""
    from PySide6.QtWidgets import QFileDialog

    from app.gui.dialogs import Dialogs

    downloads = isolated_home / "Downloads"
    downloads.mkdir(exist_ok=True)
    elsewhere = tmp_path / "USB stick"
    elsewhere.mkdir()
    opened_in: list[str] = []
    picks = [[str(elsewhere / "a.pfx")], []]

    def picker(parent: object, title: str, folder: str, filters: str) -> tuple[list[str], str]:
        opened_in.append(folder)
        return picks.pop(0), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(picker))
    monkeypatch.chdir(tmp_path)
    dialogs = Dialogs()
    assert dialogs.open_files(None) == [str(elsewhere / "a.pfx")]
    assert dialogs.open_files(None) == []
    assert opened_in == [str(downloads), str(elsewhere)]


def test_start_page_mentions_dropping_files_once(driver: Driver) -> None:
    from PySide6.QtWidgets import QLabel

    page = driver.wizard.currentPage()
    texts = [page.title(), page.subTitle()] + [label.text() for label in
                                               page.findChildren(QLabel)]
    assert sum(text.lower().count("drop") for text in texts) == 1


def test_wizard_options_no_back_on_start_enter_is_next_no_cancel_at_the_end(
        driver: Driver) -> None:
    from PySide6.QtWidgets import QWizard

    options = QWizard.WizardOption
    wizard = driver.wizard
    assert wizard.testOption(options.NoBackButtonOnStartPage)
    assert wizard.testOption(options.NoCancelButtonOnLastPage)
    assert not wizard.testOption(options.NoDefaultButton)
