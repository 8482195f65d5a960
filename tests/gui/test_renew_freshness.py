"""Renew refuses an older or expired .pfx as "the new certificate" unless the person says
so: the New file page says what the file is in a sentence, Next stays greyed, and only an
explicit *Use it anyway* tick (off by default) lets it go on — to a Confirm page that says
it again — against a real NSS database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QCheckBox, QLabel

from app.gui.describe import local_date
from app.gui.renew import flow as renew_flow
from app.gui.widgets import ResultRows
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import renew_new_file, tick, type_into
from tests.gui.scene import PASSWORD, Desk, nss_fingerprints


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _install_into_firefox(desk: Desk) -> None:
    from app.actions.install import apply_plan, plan_install
    from app.actions.targets import resolve_targets
    from app.core.reader import read_paths

    items = read_paths([str(desk.pfx_path)], lambda _s: PASSWORD).items
    report = apply_plan(plan_install(items, resolve_targets([f"nss:{desk.firefox_db}"])))
    assert report.ok, report.error


def _open(driver: Driver, answers: Answers, leaf: pki.Issued, desk: Desk,
          tmp_path: Path) -> None:
    path = tmp_path / "0123456789012$JSMITH-old.pfx"
    path.write_bytes(pki.pfx_bytes(leaf, "one-time-pw", [desk.root]))
    renew_new_file(driver, answers, path)
    type_into(driver, "new-password", "one-time-pw")
    driver.next()
    driver.wait_idle()


def _refused(driver: Driver) -> tuple[str, QCheckBox]:
    """The page stays, says why in a sentence, greys Next and offers the tick, unticked."""
    assert driver.page() == renew_flow.NEW_FILE
    status = driver.child(QLabel, "new-file-status")
    assert isinstance(status, QLabel) and status.isVisible()
    anyway = driver.child(QCheckBox, "use-anyway")
    assert isinstance(anyway, QCheckBox) and anyway.isVisible() and not anyway.isChecked()
    assert not driver.wizard.button(driver.wizard.WizardButton.NextButton).isEnabled()
    assert renew_flow.renew_state(driver.wizard.state).new_leaf is None
    return status.text(), anyway


def test_an_older_pfx_is_refused_until_use_it_anyway_is_ticked(
    desk: Desk, driver: Driver, answers: Answers, tmp_path: Path, no_keyring: None,
    certutil: str,
) -> None:
    _install_into_firefox(desk)
    older = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC", days=100,
                          key=pki.pooled_key("rsa2048", 13))
    _open(driver, answers, older, desk, tmp_path)
    day = local_date(older.cert.not_valid_after_utc)  # in the person's locale, as on Review
    installed_day = local_date(desk.leaf.cert.not_valid_after_utc)
    sentence, anyway = _refused(driver)
    assert sentence == (f"This certificate ends on {day}, before the one already installed "
                        f"(valid until {installed_day}): it is an older file, not your new "
                        "certificate.")

    tick(driver, anyway)
    assert driver.wizard.button(driver.wizard.WizardButton.NextButton).isEnabled()
    driver.next()
    driver.wait_page(renew_flow.WHERE)
    driver.wait_idle()
    for box in driver.wizard.currentPage().findChildren(QCheckBox):
        if box.objectName().startswith("target:"):
            box.setChecked(box.objectName() == f"target:nss:{desk.firefox_db}")
    remove_old = driver.child(QCheckBox, "remove-old")
    assert isinstance(remove_old, QCheckBox)
    remove_old.setChecked(False)
    driver.next()
    driver.wait_page(renew_flow.CONFIRM)
    driver.wait_idle()
    rows = driver.child(ResultRows, "renew-plan")
    assert isinstance(rows, ResultRows)
    said = [r for r in rows.rows() if r.sentence == sentence]
    assert said and said[0].level == "warning" and said[0].fix == "You chose to install it anyway."
    assert older.sha256 not in nss_fingerprints(certutil, desk.firefox_db)
    driver.commit()
    driver.wait_page(renew_flow.DONE)
    result = renew_flow.renew_state(driver.wizard.state).result
    assert result is not None and result.install is not None and result.install.ok
    assert older.sha256 in nss_fingerprints(certutil, desk.firefox_db)


def test_an_expired_pfx_is_refused_and_unticking_takes_the_ok_back(
    desk: Desk, driver: Driver, answers: Answers, tmp_path: Path
) -> None:
    expired = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC",
                            not_before=pki.NOW - dt.timedelta(days=400),
                            not_after=pki.NOW - dt.timedelta(days=30),
                            key=pki.pooled_key("rsa2048", 13))
    _open(driver, answers, expired, desk, tmp_path)
    day = local_date(expired.cert.not_valid_after_utc)
    sentence, anyway = _refused(driver)
    assert sentence.startswith(f"This certificate expired on {day}: it can no longer sign you "
                               "in")
    tick(driver, anyway)
    assert renew_flow.renew_state(driver.wizard.state).allow_older
    assert driver.wizard.button(driver.wizard.WizardButton.NextButton).isEnabled()
    tick(driver, anyway)
    assert not renew_flow.renew_state(driver.wizard.state).allow_older
    assert not driver.wizard.button(driver.wizard.WizardButton.NextButton).isEnabled()
    # Another file chosen: the decision about this one is forgotten.
    tick(driver, anyway)
    type_into(driver, "new-password", "one-time-pw")
    assert not anyway.isVisible() and not anyway.isChecked()
    assert not renew_flow.renew_state(driver.wizard.state).allow_older
