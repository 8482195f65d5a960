"""Move follows Install's pattern: *Ready to save* says exactly what the file will be
(which certificate, the chain it carries, its name and folder, its protection in plain
words with the algorithms behind Details) before anything is written; Done gives the
certificate's end date, *Show in folder* and one next step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QRadioButton

from app.gui.describe import local_date
from app.gui.move import flow as move_flow
from app.gui.widgets import DetailsLink, ResultRows
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import move_file_to_how, press, type_into
from tests.gui.scene import Desk

PASSWORD = "Long enough pass 2026"


def _rows(driver: Driver, name: str) -> list[tuple[str, str, str, str]]:
    rows = driver.child(ResultRows, name)
    assert isinstance(rows, ResultRows) and rows.isVisible()
    return [(r.level, r.sentence, r.fix, r.detail) for r in rows.rows()]


def _page_words(driver: Driver) -> str:
    """Every text a person sees on the page now (labels and buttons that are visible)."""
    page = driver.wizard.currentPage()
    texts = [w.text() for w in page.findChildren(QLabel) if w.isVisible()]
    texts += [w.text() for w in page.findChildren(QAbstractButton) if w.isVisible()]
    return "\n".join(texts)


def test_protection_is_said_in_plain_words_with_the_detail_behind_details(
    desk: Desk, driver: Driver, answers: Answers
) -> None:
    move_file_to_how(driver, answers, desk.pfx_path)
    words = _page_words(driver)
    for jargon in ("AES-256", "SHA-256 MAC", "1709", "(modern)", "TripleDES"):
        assert jargon not in words, (jargon, words)
    assert "A computer with Windows 10 or 11, Windows Server 2019 or later, or Linux" in words
    link = driver.child(DetailsLink, "protection-details-link")
    assert isinstance(link, DetailsLink)
    driver.click(link)
    detail = driver.child(QLabel, "protection-detail")
    assert isinstance(detail, QLabel) and detail.isVisible()
    assert "AES-256" in detail.text() and "1709" in detail.text()
    press(driver, QRadioButton, "dest-compatible")
    assert "TripleDES" in detail.text()


def test_confirm_says_what_the_file_will_be_then_done_shows_it(
    desk: Desk, driver: Driver, answers: Answers, tmp_path: Path
) -> None:
    move_file_to_how(driver, answers, desk.pfx_path)
    type_into(driver, "move-password", PASSWORD)
    type_into(driver, "move-password-again", PASSWORD)
    out = tmp_path / "jane.pfx"
    type_into(driver, "move-out", str(out))
    driver.next()
    driver.wait_page(move_flow.CONFIRM)
    driver.wait_idle()

    day = local_date(desk.leaf.cert.not_valid_after_utc)
    root_day = local_date(desk.root.cert.not_valid_after_utc)
    rows = _rows(driver, "move-plan")
    sentences = [r[1] for r in rows]
    assert sentences[0] == (f"Your certificate ‘Jane Smith — Example Power LLC — until {day}’ "
                            f"with its private key, taken from the file {desk.pfx_path.name}.")
    assert f"With its full chain: ERCOT CA (root, until {root_day})." in sentences
    assert f"Saved as “jane.pfx” in the folder {tmp_path}." in sentences
    protection = next(r for r in rows if r[1].startswith("Protected by"))
    assert protection[1] == ("Protected by the password you typed, for: A computer with "
                             "Windows 10 or 11, Windows Server 2019 or later, or Linux.")
    assert "AES-256" in protection[3]
    commit = driver.wizard.button(driver.wizard.WizardButton.CommitButton)
    assert commit.isVisible() and commit.isEnabled() and "Save" in commit.text()
    assert not out.exists()  # nothing written on Confirm

    driver.commit()
    driver.wait_page(move_flow.DONE)
    assert out.is_file()
    rows = _rows(driver, "move-results")
    assert rows[0] == ("ok", f"The certificate in the file (Jane Smith) is valid until {day}.",
                       "", "")
    # What was checked is said in plain words; the algorithms are behind Details.
    assert not any("AES" in r[1] or "MAC" in r[1] or "1709" in r[1] for r in rows), rows
    assert any("AES-256" in r[3] for r in rows), rows
    summary = driver.child(QLabel, "move-summary")
    assert isinstance(summary, QLabel)
    assert summary.text() == f"Saved as “jane.pfx” in the folder {tmp_path}."
    steps = driver.child(QLabel, "move-next-steps")
    assert isinstance(steps, QLabel)
    assert "Send the password separately" in steps.text()
    assert steps.text().endswith(f"choose ‘Jane Smith — Example Power LLC — until {day}’.")
    press(driver, QPushButton, "show-in-folder")
    assert answers.opened == [str(tmp_path)]
