"""What people read about files and outcomes: paths under the home folder as `~/…`, and a
Done page that never says "as they were before" when putting things back failed."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtWidgets import QListWidget

from app.gui import navigation as nav
from app.gui.base import display_path, shorten_paths, typed_path
from app.gui.wizard import GridCertWizard
from tests.gui.conftest import Answers, Driver
from tests.gui.rows import result_rows, row_texts
from tests.gui.scene import Desk


def test_home_paths_are_shown_from_the_tilde() -> None:
    home = Path(os.path.expanduser("~"))  # the test's own temporary home
    pfx = home / "Downloads" / "0123456789012$JSMITH.pfx"
    assert display_path(pfx) == os.path.join("~", "Downloads", "0123456789012$JSMITH.pfx")
    assert display_path(home) == "~"
    # A folder that only starts like the home folder is not inside it.
    sibling = str(home) + "-other" + os.sep + "x.pfx"
    assert display_path(sibling) == sibling
    assert display_path("/etc/ssl/certs") == "/etc/ssl/certs"
    # A path field filled in as "~/…" means the home folder when it is used.
    assert typed_path(" " + display_path(pfx) + " ") == str(pfx)
    assert typed_path("   ") == ""
    sentence = f"Your certificate request is in {home / 'Documents' / 'r.csr'} (subject: …)."
    assert shorten_paths(sentence) == (
        f"Your certificate request is in {os.path.join('~', 'Documents', 'r.csr')} (subject: …).")


def test_the_file_list_shows_the_folder_from_the_tilde(driver: Driver, desk: Desk,
                                                       answers: Answers) -> None:
    # The desk keeps its files in the test's tmp folder; put one under the home folder too.
    downloads = desk.home / "Downloads"
    downloads.mkdir(exist_ok=True)
    moved = downloads / desk.pfx_path.name
    moved.write_bytes(desk.pfx_path.read_bytes())
    driver.wizard.open_files([str(moved)])
    driver.wait_page(nav.ADD_FILES)
    files = driver.child(QListWidget, "file-list")
    assert isinstance(files, QListWidget)
    shown = files.item(0).text()
    assert f"(in {os.path.join('~', 'Downloads')})" in shown
    assert str(desk.home) not in shown
    assert files.item(0).toolTip() == str(moved)  # the full path is one hover away


def _done_page(wizard: GridCertWizard, report: object) -> tuple[str, str, str]:
    wizard.state = nav.WizardState(job="install")
    wizard.state.report = report
    page = wizard.page_by_name(nav.DONE)
    page.initializePage()
    return page.title(), page.subTitle(), " ".join(row_texts(page, "done-details"))


def test_done_page_when_the_rollback_failed_too(wizard: GridCertWizard) -> None:
    step = SimpleNamespace(title="Add the ERCOT CA root to Firefox — default profile")
    report = SimpleNamespace(ok=False, applied=[step], rolled_back=False, verified=[],
                             failed=SimpleNamespace(title="Import your certificate into "
                                                    "Chrome and Edge"),
                             error="Chrome and Edge: the disk is full.")
    title, subtitle, summary = _done_page(wizard, report)
    assert title == "The installation stopped partway"
    assert "as they were" not in subtitle
    assert "the disk is full" in summary


def test_done_page_when_everything_was_put_back(wizard: GridCertWizard) -> None:
    step = SimpleNamespace(title="Add the ERCOT CA root to Firefox — default profile")
    report = SimpleNamespace(ok=False, applied=[step], rolled_back=True, verified=[],
                             failed=None, error="Chrome and Edge: the disk is full.")
    title, subtitle, summary = _done_page(wizard, report)
    assert title == "Nothing was installed"
    assert subtitle == "Your browsers and this computer are as they were before."
    assert "were undone" in summary
    rows = result_rows(wizard.page_by_name(nav.DONE), "done-details")
    assert [level for level, _sentence, _fix in rows] == ["error", "info"], rows
    assert rows[1][1].startswith("Undone: ")
