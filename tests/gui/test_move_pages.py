"""The Move flow's "Where is it going?" page as a first-time user meets it: why the keyring
option is greyed is said in words, and the file is suggested where people look for it
(Documents, then the Desktop, then the home folder)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit

from app.gui.move import flow as move_flow
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import move_file_to_how, move_save, type_into
from tests.gui.scene import Desk

NO_KEYRING = "No system keyring on this computer: GridCert cannot remember it."


class MemoryKeyring(KeyringBackend):
    """A working keyring that keeps its secrets in memory (nothing leaves the test)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


# Defining a backend registers it with keyring's auto-selection (collection imports this
# file before any test runs): take it out again, or the default keyring becomes a chainer
# that includes it and the real Secret Service tests elsewhere no longer see theirs.
keyring.backend.KeyringBackend._classes.discard(MemoryKeyring)  # type: ignore[attr-defined]


@pytest.fixture
def use_keyring(request: pytest.FixtureRequest) -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring() if request.param else fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.mark.parametrize("use_keyring", [False], indirect=True)
def test_without_a_keyring_the_reason_is_said_in_words(
    desk: Desk, driver: Driver, answers: Answers, use_keyring: None
) -> None:
    move_file_to_how(driver, answers, desk.pfx_path)
    remember = driver.child(QCheckBox, "remember-password")
    assert isinstance(remember, QCheckBox)
    assert not remember.isEnabled() and not remember.isChecked()
    reason = driver.child(QLabel, "remember-reason")
    assert isinstance(reason, QLabel)
    assert reason.isVisible() and reason.text() == NO_KEYRING
    # Just under the box it explains.
    below = reason.mapTo(driver.wizard, reason.rect().topLeft()).y()
    box_bottom = remember.mapTo(driver.wizard, remember.rect().bottomLeft()).y()
    assert 0 <= below - box_bottom < 20


@pytest.mark.parametrize("use_keyring", [True], indirect=True)
def test_with_a_keyring_there_is_nothing_to_explain(
    desk: Desk, driver: Driver, answers: Answers, use_keyring: None
) -> None:
    move_file_to_how(driver, answers, desk.pfx_path)
    remember = driver.child(QCheckBox, "remember-password")
    assert isinstance(remember, QCheckBox) and remember.isEnabled()
    reason = driver.child(QLabel, "remember-reason")
    assert isinstance(reason, QLabel) and not reason.isVisible()


@pytest.mark.parametrize(("folders", "expected"), [
    ((), ""),
    (("Desktop",), "Desktop"),
    (("Desktop", "Documents"), "Documents"),
])
def test_the_file_is_suggested_where_people_look(
    desk: Desk, driver: Driver, answers: Answers, isolated_home: Path,
    folders: tuple[str, ...], expected: str,
) -> None:
    for folder in folders:
        (isolated_home / folder).mkdir()
    move_file_to_how(driver, answers, desk.pfx_path)
    out = driver.child(QLineEdit, "move-out")
    assert isinstance(out, QLineEdit)
    suggested = Path(os.path.expanduser(out.text()))
    assert suggested.parent == isolated_home / expected
    assert suggested.name.startswith("Jane Smith ") and suggested.suffix == ".pfx"
    assert out.text().startswith("~")  # shown as a person reads it


@pytest.mark.parametrize("use_keyring", [False], indirect=True)
def test_a_typed_name_of_an_existing_file_is_replaced_only_when_agreed(
        desk: Desk, driver: Driver, answers: Answers, tmp_path: Path, use_keyring: None) -> None:
    """The save field takes a typed name; an existing file of that name is never replaced
    silently: GridCert asks, "No" keeps the file and the page, "Replace" writes it."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    move_file_to_how(driver, answers, desk.pfx_path)
    type_into(driver, "move-password", "Long enough pass 2026")
    type_into(driver, "move-password-again", "Long enough pass 2026")
    existing = tmp_path / "jane.pfx"
    existing.write_bytes(b"last year's backup")
    out = driver.child(QLineEdit, "move-out")
    assert isinstance(out, QLineEdit)
    out.setText(str(existing))

    answers.confirm_answer = False
    driver.next()
    driver.wait_idle()
    assert any(q == "confirm: There is already a file called “jane.pfx” in the folder "
               f"{tmp_path}. Replace it?" for q in answers.asked), answers.asked
    assert driver.page() == move_flow.HOW
    assert existing.read_bytes() == b"last year's backup"

    answers.confirm_answer = True
    move_save(driver)
    driver.wait_page(move_flow.DONE)
    loaded = pkcs12.load_pkcs12(existing.read_bytes(), b"Long enough pass 2026")
    assert loaded.cert is not None and loaded.cert.certificate == desk.leaf.cert


@pytest.mark.parametrize("use_keyring", [False], indirect=True)
def test_an_emptied_save_box_stays_empty_and_a_missing_folder_is_said_on_the_page(
        desk: Desk, driver: Driver, answers: Answers, tmp_path: Path, use_keyring: None) -> None:
    move_file_to_how(driver, answers, desk.pfx_path)
    type_into(driver, "move-password", "Long enough pass 2026")
    type_into(driver, "move-password-again", "Long enough pass 2026")
    out = driver.child(QLineEdit, "move-out")
    assert isinstance(out, QLineEdit) and out.text()  # a name is suggested at first
    type_into(driver, "move-out", str(tmp_path / "no such folder" / "jane.pfx"))
    assert out.text() == str(tmp_path / "no such folder" / "jane.pfx")  # not glued on
    driver.next()
    driver.wait_idle()
    assert driver.page() == move_flow.HOW  # still here, password and choices kept
    assert any(t == f"GridCert cannot find the folder {tmp_path / 'no such folder'}; choose "
               "where to save the file." for t in answers.informed), answers.informed
    type_into(driver, "move-out", str(tmp_path / "jane.pfx"))
    move_save(driver)
    driver.wait_page(move_flow.DONE)
    assert (tmp_path / "jane.pfx").is_file()
