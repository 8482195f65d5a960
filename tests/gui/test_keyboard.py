"""Keyboard use on every page of every flow: each Alt+letter leads to one control (the
wizard's own Back/Next buttons included), no label shows a stray "&", and Enter moves on."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QRadioButton, QWizard
from pytestqt.qtbot import QtBot

from app.gui import navigation as nav
from app.gui.registry import load_flows
from app.gui.renew import flow as renew_flow
from app.gui.wizard import GridCertWizard

_MNEMONIC = re.compile(r"&([^&\s])")


def _letter(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _all_pages() -> list[tuple[str, str]]:
    load_flows()
    return [(flow.job, rule.page) for flow in nav.flows() for rule in flow.pages]


def test_every_flow_is_checked() -> None:
    jobs = {job for job, _page in _all_pages()}
    assert {"install", "renew", "move", "check"} <= jobs


@pytest.mark.parametrize(("job", "page_id"), _all_pages())
def test_mnemonics_are_unique_on_each_page(qtbot: QtBot, job: str, page_id: str) -> None:
    wizard = GridCertWizard()
    qtbot.addWidget(wizard)
    page = wizard.page_by_name(page_id)
    owners: dict[str, list[str]] = {}

    def note(text: str) -> None:
        letter = _letter(text)
        if letter:
            owners.setdefault(letter, []).append(text)

    for button in page.findChildren(QAbstractButton):
        note(button.text())
    for label in page.findChildren(QLabel):
        text = label.text()
        if label.buddy() is not None:
            note(text)
        elif label.textFormat() != Qt.TextFormat.RichText and not text.lstrip().startswith("<"):
            # Without a buddy Qt shows the "&" itself.
            assert not _MNEMONIC.search(text.replace("&&", "")), (
                f"{page_id}: the label {text!r} shows its '&'")
    for box in page.findChildren(QGroupBox):
        note(box.title())
    forward = (QWizard.WizardButton.CommitButton if nav.is_commit(page_id)
               else QWizard.WizardButton.NextButton)
    for which in (QWizard.WizardButton.BackButton, forward):
        note(page.buttonText(which) or wizard.buttonText(which))
    clashes = {letter: texts for letter, texts in owners.items() if len(texts) > 1}
    assert not clashes, f"{page_id}: {clashes}"


def test_enter_is_next_on_the_renew_choice(qtbot: QtBot) -> None:
    wizard = GridCertWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.start_job("renew")
    qtbot.waitUntil(lambda: wizard.current_page_id() == renew_flow.HOW
                    and not wizard.state.busy, timeout=30000)
    choice = wizard.currentPage().findChild(QRadioButton, "mode-request")
    assert choice is not None
    choice.setFocus()
    qtbot.keyClick(choice, Qt.Key.Key_Space)
    assert choice.isChecked()
    qtbot.keyClick(choice, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.current_page_id() == renew_flow.REQUEST, timeout=30000)
    qtbot.waitUntil(lambda: not wizard.state.busy, timeout=30000)


def test_caps_lock_hint_on_the_new_file_password(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit

    wizard = GridCertWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    page = wizard.page_by_name(renew_flow.NEW_FILE)
    field = page.findChild(QLineEdit, "new-password")
    hint = page.findChild(QLabel, "caps-lock-hint")
    assert field is not None and hint is not None
    assert not hint.isVisibleTo(page)
    qtbot.keyClicks(field, "RQ")  # capitals without Shift: Caps Lock is on
    assert hint.isVisibleTo(page)
    qtbot.keyClicks(field, "v")
    assert not hint.isVisibleTo(page)
