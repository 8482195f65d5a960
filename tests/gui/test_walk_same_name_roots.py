"""Found on a keyboard walk: the operator's root zip and a self-signed impostor also
called 'ERCOT CA' (another key, e.g. attached to a phishing email) were shown as two
identical "ERCOT CA — ERCOT root (production)" cards, both *Name matches only*, both
ticked: installing both was one Enter away, and nothing said that two different
certificates claimed the same name. Now each says so and neither is ticked until the
person has compared the fingerprints."""

from __future__ import annotations

import pytest

from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import to_review
from tests.gui.scene import Desk
from tests.gui.test_install_trust import cards, include, texts

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_two_roots_with_one_name_are_flagged_and_not_ticked(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    impostor = pki.make_root("ERCOT CA", org="Electric Reliability Council of Texas",
                             key=pki.pooled_key("rsa2048", 6))
    fake = impostor.write(desk.files / "ERCOT CA (from email).cer")
    to_review(driver, answers, [desk.zip_path, fake])
    shown = cards(driver)
    assert set(shown) >= {desk.root.sha256, impostor.sha256}
    for sha in (desk.root.sha256, impostor.sha256):
        card = shown[sha]
        warnings = " ".join(texts(card, "certificate-warning"))
        assert "also called 'ERCOT CA' but has a different key" in warnings
        assert "a copy can take the name, never the key" in warnings
        assert not include(card).isChecked()
    # The person compares and ticks the genuine one: it goes on as usual.
    include(shown[desk.root.sha256]).setChecked(True)
    assert desk.root.sha256 not in driver.wizard.state.excluded
    assert impostor.sha256 in driver.wizard.state.excluded


def test_one_root_alone_is_not_flagged(driver: Driver, desk: Desk, answers: Answers) -> None:
    to_review(driver, answers, [desk.zip_path])
    card = cards(driver)[desk.root.sha256]
    assert not any("also called" in t for t in texts(card, "certificate-warning"))
    assert include(card).isChecked()
