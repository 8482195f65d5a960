"""The Renew and Move flows driven like a person would, against real NSS databases (the
desk's Firefox profile and Chromium db), with every file read back by real tools; and the
daily-reminder switch on the Check view."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12
from keyring.backends import fail
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWizard,
)

from app.gui.describe import local_date
from app.gui.move import flow as move_flow
from app.gui.renew import flow as renew_flow
from app.gui.wizard import GridCertWizard
from tests import pki
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import (
    move_file_to_how,
    move_save,
    press,
    renew_issued_file,
    renew_new_file,
    start_job,
    tick,
    type_into,
)
from tests.gui.scene import PASSWORD, Desk, nss_fingerprints, nss_keys
from tests.helpers import require_tool


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """As on a computer without a usable keyring: the pages ask for passphrases."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _hint(driver: Driver, name: str) -> str:
    label = driver.child(QLabel, f"{name}-hint")
    assert isinstance(label, QLabel)
    return label.text() if label.isVisible() else ""


def _choose_passphrase(driver: Driver, name: str, passphrase: str,
                       button: QWizard.WizardButton = QWizard.WizardButton.CommitButton) -> None:
    """Choose a new passphrase as a person does: type it, see that one is not enough, make a
    typo in the second field (Next stays greyed and the page says why), look at both with
    Show, then type it again right."""
    commit = driver.wizard.button(button)
    first = driver.child(QLineEdit, name)
    second = driver.child(QLineEdit, f"{name}-again")
    show = driver.child(QCheckBox, f"{name}-show")
    assert isinstance(first, QLineEdit) and isinstance(second, QLineEdit)
    assert isinstance(show, QCheckBox)
    assert first.isVisible() and second.isVisible() and show.isVisible()
    assert first.echoMode() == second.echoMode() == QLineEdit.EchoMode.Password
    type_into(driver, name, passphrase)
    assert not commit.isEnabled()
    assert "again" in _hint(driver, name)
    type_into(driver, f"{name}-again", passphrase[:-1] + "X")
    assert not commit.isEnabled()
    assert "are not the same" in _hint(driver, name)
    tick(driver, show)
    assert first.echoMode() == second.echoMode() == QLineEdit.EchoMode.Normal
    tick(driver, show)
    assert first.echoMode() == second.echoMode() == QLineEdit.EchoMode.Password
    type_into(driver, f"{name}-again", passphrase)
    assert commit.isEnabled()
    assert "not the same" not in _hint(driver, name)


def _install_into_firefox(desk: Desk, pfx: Path, password: str) -> None:
    from app.actions.install import apply_plan, plan_install
    from app.actions.targets import resolve_targets
    from app.core.reader import read_paths

    items = read_paths([str(pfx)], lambda _s: password).items
    report = apply_plan(plan_install(items, resolve_targets([f"nss:{desk.firefox_db}"])))
    assert report.ok, report.error


def _nss_exports() -> bool:
    from app.stores.base import TrustStore
    from app.stores.nss import NssStore

    return NssStore.export_identity is not TrustStore.export_identity


# --- Move -------------------------------------------------------------------------------------


def test_move_from_a_file_compatible_with_generated_passphrase(
    desk: Desk, driver: Driver, answers: Answers, tmp_path: Path
) -> None:
    openssl = require_tool("openssl", "openssl")
    move_file_to_how(driver, answers, desk.pfx_path)
    press(driver, QRadioButton, "dest-compatible")
    press(driver, QRadioButton, "password-generated")
    phrase = driver.child(QLineEdit, "generated-passphrase")
    assert isinstance(phrase, QLineEdit)
    words = phrase.text().split("-")
    assert len(words) == 7 and phrase.isReadOnly()
    press(driver, QPushButton, "copy-passphrase")
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None and clipboard.text() == phrase.text()
    out = tmp_path / "to-server-2016.pfx"
    out_edit = driver.child(QLineEdit, "move-out")
    assert isinstance(out_edit, QLineEdit)
    out_edit.setText(str(out))
    move_save(driver)
    driver.wait_page(move_flow.DONE)
    result = move_flow.move_state(driver.wizard.state).result
    assert result is not None and result.path == out
    title = driver.wizard.currentPage().title()
    assert "ready to move" in title
    info = subprocess.run(
        [openssl, "pkcs12", "-legacy", "-info", "-noout", "-in", str(out), "-passin", "stdin"],
        input=phrase.text() + "\n",
        capture_output=True,
        text=True,
    )
    assert info.returncode == 0, info.stderr
    assert "pbeWithSHA1And3-KeyTripleDES-CBC" in info.stderr
    loaded = pkcs12.load_pkcs12(out.read_bytes(), phrase.text().encode())
    assert loaded.cert is not None and loaded.cert.certificate == desk.leaf.cert
    # Where it is going was asked in those words.
    assert (
        "Windows Server 2016"
        in driver.wizard.page_by_name(move_flow.HOW)
        .findChild(QRadioButton, "dest-compatible")
        .text()
    )


def test_move_from_firefox(desk: Desk, driver: Driver, tmp_path: Path) -> None:
    _install_into_firefox(desk, desk.pfx_path, PASSWORD)
    start_job(driver, "move")
    driver.wait_page(move_flow.WHAT)
    driver.wait_idle()
    state = move_flow.move_state(driver.wizard.state)
    assert state.choices and state.choices[0].item.sha256 == desk.leaf.sha256
    assert "Firefox" in state.choices[0].where
    driver.next()
    driver.wait_page(move_flow.HOW)
    driver.wait_idle()
    type_into(driver, "move-password", "Long enough pass 2026")
    type_into(driver, "move-password-again", "Long enough pass 2026")
    out_edit = driver.child(QLineEdit, "move-out")
    assert isinstance(out_edit, QLineEdit)
    out_edit.setText(str(tmp_path / "jane.pfx"))
    move_save(driver)
    driver.wait_page(move_flow.DONE)
    moved = move_flow.move_state(driver.wizard.state)
    if not _nss_exports():
        # Until the NSS adapter exports (pk12util -o), a sentence says what to do.
        assert moved.error is not None and "new certificate" in moved.error
        assert "not saved" in driver.wizard.currentPage().title()
        return
    assert moved.result is not None
    loaded = pkcs12.load_pkcs12((tmp_path / "jane.pfx").read_bytes(), b"Long enough pass 2026")
    assert loaded.cert is not None and loaded.cert.certificate == desk.leaf.cert


# --- Renew: request, then complete -------------------------------------------------------------


def _sign(request_pem: bytes, issuer: pki.Issued) -> bytes:
    request = x509.load_pem_x509_csr(request_pem)
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(request.subject)
        .issuer_name(issuer.cert.subject)
        .public_key(request.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
    )
    for extension in request.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    cert = builder.sign(issuer.key, hashes.SHA256())  # type: ignore[arg-type]
    from cryptography.hazmat.primitives.serialization import Encoding

    return cert.public_bytes(Encoding.PEM)


def test_request_then_complete_into_the_browsers(
    desk: Desk,
    qtbot: object,
    driver: Driver,
    answers: Answers,
    tmp_path: Path,
    no_keyring: None,
    certutil: str,
) -> None:
    openssl = require_tool("openssl", "openssl")
    start_job(driver, "renew")
    driver.wait_page(renew_flow.HOW)
    driver.wait_idle()
    complete_choice = driver.child(QRadioButton, "mode-complete")
    assert isinstance(complete_choice, QRadioButton) and not complete_choice.isEnabled()
    press(driver, QRadioButton, "mode-request")
    driver.next()
    driver.wait_page(renew_flow.REQUEST)
    driver.wait_idle()
    typed = driver.child(QRadioButton, "request-typed")
    assert isinstance(typed, QRadioButton) and typed.isChecked()  # no certificate to renew
    type_into(driver, "subject-common_name", "RIG 7, Unit 2")
    type_into(driver, "subject-organization", "Énergie Solaire + Co")
    type_into(driver, "subject-country", "US")
    csr_path = tmp_path / "rig7.csr"
    out = driver.child(QLineEdit, "request-out")
    assert isinstance(out, QLineEdit)
    out.setText(str(csr_path))
    # No keyring here: the page asks for the key's new passphrase, typed twice.
    _choose_passphrase(driver, "key-passphrase", "device key passphrase")
    driver.commit()
    driver.wait_page(renew_flow.DONE)
    text = driver.child(QPlainTextEdit, "csr-text")
    assert isinstance(text, QPlainTextEdit)
    assert text.toPlainText().startswith("-----BEGIN CERTIFICATE REQUEST-----")
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None and clipboard.text() == text.toPlainText()
    assert csr_path.read_text() == text.toPlainText()
    checked = subprocess.run(
        [
            openssl,
            "req",
            "-in",
            str(csr_path),
            "-verify",
            "-noout",
            "-subject",
            "-nameopt",
            "RFC2253",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "verify OK" in checked.stdout + checked.stderr
    assert r"CN=RIG 7\, Unit 2" in checked.stdout

    # The operator answers; the same wizard finishes the request into the browsers.
    issued = tmp_path / "rig7.cer"
    issued.write_bytes(_sign(csr_path.read_bytes(), desk.root))
    driver.wizard.restart()
    renew_issued_file(driver, answers, issued)
    driver.next()  # pairs it, then asks for the passphrase typed with the request
    driver.wait_idle()
    assert driver.page() == renew_flow.COMPLETE
    type_into(driver, "complete-key-passphrase", "device key passphrase")
    driver.next()
    driver.wait_page(renew_flow.WHERE)
    driver.wait_idle()
    box = driver.child(QCheckBox, f"target:nss:{desk.firefox_db}")
    assert isinstance(box, QCheckBox)
    if not box.isChecked():
        tick(driver, box)
    driver.next()
    driver.wait_page(renew_flow.CONFIRM)
    driver.wait_idle()
    driver.commit()
    driver.wait_page(renew_flow.DONE)
    result = renew_flow.renew_state(driver.wizard.state).result
    assert result is not None and result.ok and result.pending_removed
    assert "RIG 7, Unit 2" in nss_keys(certutil, desk.firefox_db)


def test_issued_for_another_key_is_refused_on_the_page(
    desk: Desk, driver: Driver, answers: Answers, tmp_path: Path, no_keyring: None
) -> None:
    from app.actions.renew import make_request

    make_request("CN=Waiting Request", out=tmp_path / "w.csr", key_passphrase="x")
    stranger = pki.make_leaf(desk.root, "Someone Else", key=pki.pooled_key("rsa2048", 14))
    path = stranger.write(tmp_path / "someone.pem")
    renew_issued_file(driver, answers, path)
    driver.next()
    driver.wait_idle()
    assert driver.page() == renew_flow.COMPLETE
    status = driver.wizard.currentPage().findChild(object, "complete-status")
    assert status is not None
    assert "This certificate does not belong to any request made on this computer." in status.text()


# --- Renew: a new .pfx arrives -----------------------------------------------------------------


def test_new_pfx_replaces_the_old_one(
    desk: Desk, driver: Driver, answers: Answers, tmp_path: Path, no_keyring: None, certutil: str
) -> None:
    _install_into_firefox(desk, desk.pfx_path, PASSWORD)
    new = pki.make_leaf(
        desk.root,
        "Jane Smith",
        org="Example Power LLC",
        days=730,
        key=pki.pooled_key("rsa2048", 13),
    )
    new_pfx = tmp_path / "0123456789012$JSMITH-2027.pfx"
    new_pfx.write_bytes(pki.pfx_bytes(new, "new-one-time-pw", [desk.root]))
    renew_new_file(driver, answers, new_pfx)
    type_into(driver, "new-password", "new-one-time-pw")
    driver.next()
    driver.wait_page(renew_flow.WHERE)
    driver.wait_idle()
    firefox = driver.child(QCheckBox, f"target:nss:{desk.firefox_db}")
    assert isinstance(firefox, QCheckBox) and firefox.isChecked()  # it holds the old one
    renew = renew_flow.renew_state(driver.wizard.state)
    assert [o.sha256 for o in renew.old_found] == [desk.leaf.sha256]
    # Without a keyring the backup passphrase is asked (typed twice) before anything changes.
    assert not driver.wizard.button(driver.wizard.WizardButton.CommitButton).isEnabled()
    _choose_passphrase(driver, "backup-passphrase", "backup passphrase 2026",
                       button=driver.wizard.WizardButton.NextButton)
    driver.next()
    driver.wait_page(renew_flow.CONFIRM)
    driver.wait_idle()
    driver.commit()
    driver.wait_page(renew_flow.DONE)
    result = renew.result
    assert result is not None and result.install.ok
    present = nss_fingerprints(certutil, desk.firefox_db)
    assert new.sha256 in present
    if result.ok:
        assert desk.leaf.sha256 not in present and result.backups
        assert "installed" in driver.wizard.currentPage().title()
    else:
        # NSS gives both certificates of one subject the same nickname, so its adapter
        # cannot take out last year's alone yet: it is kept, and the page says why.
        assert desk.leaf.sha256 in present
        assert "old one was kept" in driver.wizard.currentPage().title()
        assert any("could not be removed and was kept" in n for n in result.notes)


def test_the_certificate_you_already_have_is_refused_on_the_new_file_page(
    desk: Desk, driver: Driver, answers: Answers, tmp_path: Path
) -> None:
    """Choosing last year's .pfx again (already in Firefox) is said to be that, and the
    page does not go on to say that no older certificate was found."""
    _install_into_firefox(desk, desk.pfx_path, PASSWORD)
    renew_new_file(driver, answers, desk.pfx_path)
    type_into(driver, "new-password", PASSWORD)
    driver.next()
    driver.wait_idle()
    assert driver.page() == renew_flow.NEW_FILE
    status = driver.child(QLabel, "new-file-status")
    assert isinstance(status, QLabel) and status.isVisible()
    day = local_date(desk.leaf.cert.not_valid_after_utc)
    assert status.text() == (f"This is the certificate you already have (valid until {day}). "
                             "Choose the new file your operator sent.")
    assert renew_flow.renew_state(driver.wizard.state).new_leaf is None
    # Still refused: Next is greyed, and there is no "Use it anyway" for the very same one.
    assert not driver.wizard.button(driver.wizard.WizardButton.NextButton).isEnabled()
    anyway = driver.child(QCheckBox, "use-anyway")
    assert isinstance(anyway, QCheckBox) and not anyway.isVisible()
    assert driver.page() == renew_flow.NEW_FILE

    # The right file then goes on as usual.
    new = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC", days=730,
                        key=pki.pooled_key("rsa2048", 13))
    new_pfx = tmp_path / "0123456789012$JSMITH-2027.pfx"
    new_pfx.write_bytes(pki.pfx_bytes(new, "new-one-time-pw", [desk.root]))
    answers.files = [str(new_pfx)]
    press(driver, QPushButton, "browse-new")
    type_into(driver, "new-password", "new-one-time-pw")
    driver.next()
    driver.wait_page(renew_flow.WHERE)
    driver.wait_idle()
    old = driver.child(QLabel, "old-certificates")
    assert isinstance(old, QLabel) and "Your current certificate: Jane Smith" in old.text()


def test_the_pfx_password_for_a_completed_request_is_typed_twice(
    desk: Desk, driver: Driver, answers: Answers, tmp_path: Path
) -> None:
    from app.actions.renew import make_request

    made = make_request("CN=Meter 12", out=tmp_path / "m.csr", key_passphrase="key pass 12")
    issued = tmp_path / "m.cer"
    from cryptography.hazmat.primitives.serialization import Encoding

    issued.write_bytes(_sign(made.csr.public_bytes(Encoding.PEM), desk.root))
    renew_issued_file(driver, answers, issued)
    press(driver, QRadioButton, "complete-save")
    out = driver.child(QLineEdit, "complete-out")
    assert isinstance(out, QLineEdit)
    out.setText(str(tmp_path / "meter12.pfx"))
    _choose_passphrase(driver, "complete-password", "meter pfx password")


# --- the daily reminder on the Check view ------------------------------------------------------


def test_reminder_switch_on_the_check_view(
    driver: Driver, monkeypatch: pytest.MonkeyPatch, desk: Desk
) -> None:
    monkeypatch.setenv("GRIDCERT_SYSTEMCTL", "")
    units = Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user"
    start_job(driver, "check")
    driver.wait_page("check")
    box = driver.child(QCheckBox, "daily-reminder")
    assert isinstance(box, QCheckBox)
    driver.qtbot.waitUntil(box.isEnabled, timeout=30000)
    assert not box.isChecked()
    tick(driver, box)
    driver.qtbot.waitUntil(
        lambda: (units / "gridcert-check.timer").exists() and box.isEnabled(), timeout=30000
    )
    assert "check --notify" in (units / "gridcert-check.service").read_text()
    # Why it starts only at the next login, in plain words; the jargon behind Details.
    said = driver.child(QLabel, "reminder-detail")
    assert isinstance(said, QLabel)
    driver.qtbot.waitUntil(said.isVisible, timeout=30000)
    assert "starts at your next login" in said.text()
    link = driver.wizard.currentPage().findChild(QPushButton, "reminder-detail-details-link")
    assert isinstance(link, QPushButton) and link.isVisible()
    technical = driver.wizard.currentPage().findChild(QLabel, "reminder-detail-detail")
    assert isinstance(technical, QLabel) and technical.text() == "systemctl is not installed"
    tick(driver, box)
    driver.qtbot.waitUntil(
        lambda: not (units / "gridcert-check.timer").exists() and box.isEnabled(), timeout=30000
    )


def test_flows_are_offered_on_the_start_page(wizard: GridCertWizard) -> None:
    start = wizard.page_by_name("start")
    for job in ("renew", "move"):
        button = start.findChild(QAbstractButton, f"job-{job}")
        assert button is not None and button.isVisible()
