"""Trust badges on the Review cards: verified (pinned fingerprint), name matches only
(compare with the operator's page, linked), not the operator's (an impostor with the
catalog's name and another key) and unknown root — each with its own colour, icon and
sentence, and the default 'Install this' tick a careful product gives it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QLabel

from app.core.catalog import load_catalog_from
from app.core.paths import resource_path
from app.gui import engine
from app.gui.install.review import CertificateCard
from app.gui.widgets import StatusChip, level_colour
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import to_review
from tests.gui.scene import Desk, make_root_zip

ERCOT_PAGE = "https://www.ercot.com/services/mdt/webservices/"


def cards(driver: Driver) -> dict[str, CertificateCard]:
    """The Review page's cards by the SHA-256 of their certificate."""
    found = driver.wizard.currentPage().findChildren(CertificateCard)
    return {card.view.sha256: card for card in found}


def chip(card: CertificateCard) -> StatusChip:
    found = card.findChild(StatusChip, "trust-badge")
    assert found is not None and found.isVisible(), card.view.title
    return found


def texts(card: CertificateCard, name: str) -> list[str]:
    return [label.text() for label in card.findChildren(QLabel, name) if label.isVisible()]


def include(card: CertificateCard) -> QCheckBox:
    box = card.findChild(QCheckBox, "include-certificate")
    assert box is not None
    return box


def test_a_name_only_root_says_compare_and_links_the_operators_page(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    to_review(driver, answers, [desk.zip_path])
    card = cards(driver)[desk.root.sha256]
    badge = chip(card)
    assert badge.text() == "Name matches only" and badge.level() == "info"
    (sentence,) = texts(card, "trust-sentence")
    assert "compare its SHA-256 fingerprint with ERCOT's page" in sentence
    assert "verified" not in sentence.lower() and "Recognised" not in " ".join(
        label.text() for label in card.findChildren(QLabel))
    assert include(card).isChecked()  # the usual case: ERCOT publishes no fingerprint
    # The page to compare with is one click away (opened by the system's browser).
    link = card.findChild(QLabel, "trust-link")
    assert link is not None and link.isVisible()
    assert "Open ERCOT's page to compare the fingerprint" in link.text()
    driver.qtbot.mouseClick(link, Qt.MouseButton.LeftButton, pos=QPoint(8, link.height() // 2))
    assert answers.opened == [ERCOT_PAGE]
    subtitle = driver.wizard.currentPage().subTitle()
    assert "Compare each root's fingerprint with your operator's page" in subtitle


def test_a_pinned_root_is_verified(driver: Driver, desk: Desk, answers: Answers,
                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The bundled catalog, with ERCOT's fingerprint pinned as it will be once published.
    folder = tmp_path / "catalog"
    shutil.copytree(resource_path("catalog"), folder)
    ercot = folder / "ercot.toml"
    text = ercot.read_text(encoding="utf-8")
    marker = 'subject_cn = "ERCOT CA"'
    head, tail = text.split(marker, 1)
    tail = tail.replace('sha256 = ""', f'sha256 = "{desk.root.sha256}"', 1)
    ercot.write_text(head + marker + tail, encoding="utf-8")
    monkeypatch.setattr(engine, "catalog", lambda: load_catalog_from(folder))

    to_review(driver, answers, [desk.zip_path])
    card = cards(driver)[desk.root.sha256]
    badge = chip(card)
    assert badge.text() == "Verified" and badge.level() == "ok"
    (sentence,) = texts(card, "trust-sentence")
    assert "its fingerprint matches the one GridCert has on record from ERCOT" in sentence
    assert include(card).isChecked()
    assert card.findChild(QLabel, "trust-link") is None  # nothing to compare by hand
    assert "recognised the roots by their fingerprints" in driver.wizard.currentPage().subTitle()


def test_an_impostor_with_the_operators_name_is_flagged_and_left_out(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    # Self-signed, subject CN=ERCOT CA, but an EC key where ERCOT states a 2048-bit RSA one.
    impostor = pki.make_root("ERCOT CA", org="ERCOT", key=pki.pooled_key("ec-p256"))
    fake_zip = make_root_zip(desk.files / "ERCOT_CA_root_updated.zip", impostor)
    to_review(driver, answers, [fake_zip])
    card = cards(driver)[impostor.sha256]
    badge = chip(card)
    assert badge.text() == "Not ERCOT's certificate" and badge.level() == "error"
    # Its own colour: not the look of a verified or a name-only root.
    palette = badge.palette()
    assert badge.colour() == level_colour("error", palette) != level_colour("ok", palette)
    (title,) = texts(card, "card-title")
    assert title.startswith("‘ERCOT CA’ — not ERCOT's root")
    assert "ERCOT root (production)" not in title
    (sentence,) = texts(card, "trust-sentence")
    assert "is not the certificate ERCOT publishes. Do not install it" in sentence
    assert not include(card).isChecked()
    assert "left out" in driver.wizard.currentPage().subTitle()
    # The technical facts are one click away, not in the sentence.
    details = [w for w in card.findChildren(QLabel, "trust-detail")]
    assert len(details) == 1 and not details[0].isVisible()
    from app.gui.widgets import DetailsLink

    link = card.findChild(DetailsLink, "trust-details-link")
    driver.click(link)
    assert details[0].isVisible() and "catalog entry 'ercot-ca'" in details[0].text()
    assert not driver.wizard.button(driver.wizard.WizardButton.NextButton).isEnabled()


def test_an_unknown_root_says_ask_your_administrator_and_starts_unticked(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    stranger = pki.make_root("Acme Corporate Root CA", org="Acme")
    path = stranger.write(desk.files / "acme-root.pem")
    to_review(driver, answers, [path, desk.zip_path])
    found = cards(driver)
    card = found[stranger.sha256]
    badge = chip(card)
    assert badge.text() == "Unknown root" and badge.level() == "warning"
    (sentence,) = texts(card, "trust-sentence")
    assert sentence == ("This root is not on your operator's list: install it only if your "
                        "administrator told you to.")
    assert not include(card).isChecked()
    assert include(found[desk.root.sha256]).isChecked()
    # Each level has its own look.
    levels = {chip(c).level() for c in found.values()}
    assert levels == {"warning", "info"}
    # Ticking it is the person's decision, and is kept.
    driver.click(include(card))
    assert stranger.sha256 not in driver.wizard.state.excluded


def test_the_subtitle_speaks_of_roots_only_when_there_are_some(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    to_review(driver, answers, [desk.pfx_path])
    subtitle = driver.wizard.currentPage().subTitle()
    assert "root" not in subtitle.lower() and "fingerprint" not in subtitle.lower()
    assert "password" in subtitle and "Nothing is installed yet." in subtitle
