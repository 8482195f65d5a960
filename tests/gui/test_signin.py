"""*Test sign-in* in the wizard (issue 14) against real local TLS servers on 127.0.0.1:
the Install Done page's button after a real install into a Firefox NSS database, the
Check page's button on a certificate read from a real NSS database, the window's
accepted / refused rows, Details, Copy for support, Cancel on a hung server, bad input
and the keyboard.

The servers' own certificates are issued by a test "public" CA that this computer is told
to trust through SSL_CERT_FILE (the same knob the real OS trust has on Linux); the
operator's address is pointed at the local server through the person's own endpoints
file (`app.actions.probe.user_endpoints_path`), as a person or a deployment would add it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
)
from pytestqt.qtbot import QtBot

from app.actions.probe import identity_from_file, user_endpoints_path
from app.gui import navigation as nav
from app.gui.signin.panel import OTHER, SignInDialog, SignInSubject
from app.gui.widgets import ResultRows, StatusChip
from app.gui.worker import running_tasks
from tests import pki
from tests.gui.conftest import TIMEOUT, Answers, Driver
from tests.gui.flows import install_into_firefox
from tests.gui.scene import PASSWORD, Desk
from tests.integration.probe_servers import openssl_server, python_server, raw_server

pytestmark = [
    pytest.mark.usefixtures("server_trust"),
    # The offscreen platform says this of every separate window (the sign-in window is one).
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture(scope="module")
def web() -> dict[str, pki.Issued]:
    """A public-like CA and the local servers' own certificate (for 127.0.0.1)."""
    root = pki.make_root("Public Web Root CA", org="Public Web", key=pki.pooled_key("rsa2048", 6))
    server = pki.make_leaf(root, "127.0.0.1", client_auth=False, server_auth=True,
                           san_ip=["127.0.0.1"], key=pki.pooled_key("rsa2048", 9))
    other = pki.make_root("Somebody Else Root CA", org="Somebody Else",
                          key=pki.pooled_key("rsa2048", 10))
    return {"root": root, "server": server, "other": other}


@pytest.fixture
def server_trust(tmp_path: Path, web: dict[str, pki.Issued],
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    """This computer trusts the test web CA (Python's ssl reads SSL_CERT_FILE)."""
    path = tmp_path / "os-trust.pem"
    path.write_bytes(web["root"].pem)
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    return path


def point_ercot_at(port: int, environment: str = "production") -> str:
    """The person's own ERCOT address, at the local server; returns its URL."""
    url = f"https://127.0.0.1:{port}/"
    path = user_endpoints_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[[endpoint]]\nid = "local"\nname = "Local ERCOT server"\n'
                    f'operator = "ERCOT"\nenvironment = "{environment}"\nurl = "{url}"\n',
                    encoding="utf-8")
    return url


def opened_dialog(driver: Driver, button: QPushButton) -> SignInDialog:
    driver.click(button)
    dialog = getattr(driver.wizard.currentPage(), "signin_dialog", None)
    assert isinstance(dialog, SignInDialog)
    driver.qtbot.waitUntil(lambda: dialog.loaded is not None or dialog.status.isVisible(),
                           timeout=TIMEOUT)
    assert dialog.isVisible()
    return dialog


def wait_result(qtbot: QtBot, dialog: SignInDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.running, timeout=TIMEOUT)
    assert dialog.probe_result is not None, dialog.sentence.text()


def combo_texts(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def child(dialog: SignInDialog, cls: type, name: str) -> Any:
    found = dialog.findChild(cls, name)
    assert found is not None, name
    return found


# --- Install Done page ------------------------------------------------------------------


def test_install_done_offers_test_sign_in_and_it_is_accepted(
        driver: Driver, desk: Desk, answers: Answers, tmp_path: Path,
        web: dict[str, pki.Issued]) -> None:
    qtbot = driver.qtbot
    with openssl_server(tmp_path / "srv", web["server"], ca_list=[desk.root]) as port:
        url = point_ercot_at(port)
        install_into_firefox(driver, answers, desk)
        button = driver.child(QPushButton, "test-sign-in")
        assert isinstance(button, QPushButton) and button.isVisible()
        dialog = opened_dialog(driver, button)
        assert dialog.loaded is not None
        # Jane's certificate chains to "ERCOT CA": ERCOT's production addresses are
        # offered (the verified EWS first among the catalog's), not the MOTE (test) ones,
        # and the address added for ERCOT production is the one chosen.
        combo = child(dialog, QComboBox, "signin-address")
        texts = combo_texts(combo)
        assert any("misapi.ercot.com (verified)" in t for t in texts), texts
        assert not any("testmisapi" in t for t in texts), texts
        assert texts[-1] == "Other address…"
        assert combo.currentData() == url
        assert "You added this address" in child(dialog, QLabel, "signin-address-note").text()
        # Enter = Test.
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        wait_result(qtbot, dialog)
    result = dialog.probe_result
    assert result is not None and result.accepted, result.details_text()
    # Read back from the Firefox profile it was installed into, not from the file.
    assert result.identity is not None
    assert result.identity.source == f"nss:{desk.firefox_db}"
    chip = child(dialog, StatusChip, "signin-chip")
    assert chip.level() == "ok" and chip.text() == "Signed in"
    sentence = child(dialog, QLabel, "signin-sentence").text()
    assert sentence == result.diagnosis.sentence
    assert "127.0.0.1 accepted your certificate 'Jane Smith'" in sentence
    assert not child(dialog, QLabel, "signin-fix").isVisible()  # "Nothing to fix."
    rows = child(dialog, ResultRows, "signin-results").rows()
    assert rows and all(r.level == "ok" for r in rows)
    assert rows[-1].sentence.startswith("The handshake with your certificate completed")
    assert any("asks for a certificate from" in r.sentence and "ERCOT CA" in r.sentence
               for r in rows)
    assert any("chains to one of them" in r.sentence for r in rows)
    # Copy for support puts the whole technical text on the clipboard.
    copy = child(dialog, QPushButton, "signin-copy")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("GridCert ") and f"sign-in test of {url}" in copied
    assert "Handshake completed: True" in copied and "Acceptable CAs (1):" in copied
    assert "PRIVATE KEY" not in copied
    assert "clipboard" in child(dialog, QLabel, "signin-status").text()
    # Esc = Close.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_install_done_hides_test_sign_in_after_undo(driver: Driver, desk: Desk,
                                                    answers: Answers) -> None:
    install_into_firefox(driver, answers, desk)
    button = driver.child(QPushButton, "test-sign-in")
    assert isinstance(button, QPushButton) and button.isVisible()
    driver.click(driver.child(QPushButton, "undo"))
    driver.wait_idle()
    driver.qtbot.waitUntil(lambda: not button.isVisible(), timeout=TIMEOUT)


def test_install_done_without_a_personal_certificate_has_no_test_sign_in(
        driver: Driver, desk: Desk, answers: Answers) -> None:
    answers.files = [str(desk.zip_path)]
    wizard = driver.wizard
    driver.click(wizard.page_by_name(nav.START).buttons["install"])
    driver.wait_page(nav.ADD_FILES)
    driver.qtbot.waitUntil(lambda: bool(wizard.state.files))
    driver.next()
    driver.wait_page(nav.REVIEW)
    driver.wait_idle()
    driver.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    for box in wizard.currentPage().findChildren(QCheckBox):
        box.setChecked(box.text().startswith("Firefox"))
    driver.next()
    driver.wait_page(nav.CONFIRM)
    driver.wait_idle()
    driver.commit()
    driver.wait_page(nav.DONE)
    driver.wait_idle()
    button = driver.wizard.currentPage().findChild(QPushButton, "test-sign-in")
    assert button is not None and not button.isVisible()


# --- Check page -------------------------------------------------------------------------


def import_pfx(desk: Desk, db: Path) -> None:
    subprocess.run(["pk12util", "-i", str(desk.pfx_path), "-d", f"sql:{db}", "-W", PASSWORD,
                    "-K", ""], check=True, capture_output=True)


def select_row(table: QTableWidget, predicate: Any) -> None:
    for line in range(table.rowCount()):
        cells = [table.item(line, c).text() for c in range(table.columnCount())]
        if predicate(cells):
            table.selectionModel().select(
                table.model().index(line, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            return
    raise AssertionError("no such row")


def test_check_page_tests_the_selected_certificate_and_explains_a_refusal(
        driver: Driver, desk: Desk, tmp_path: Path, web: dict[str, pki.Issued]) -> None:
    import_pfx(desk, desk.firefox_db)
    qtbot = driver.qtbot
    driver.click(driver.wizard.page_by_name(nav.START).buttons["check"])
    driver.wait_page(nav.CHECK)
    driver.wait_idle()
    table = driver.child(QTableWidget, "inventory")
    assert isinstance(table, QTableWidget)
    button = driver.child(QPushButton, "test-sign-in")
    assert isinstance(button, QPushButton) and button.isVisible()
    select_row(table, lambda c: c[0] == "ERCOT CA" and c[2].startswith("Firefox"))
    assert not button.isEnabled()  # a root has no key to sign in with
    select_row(table, lambda c: c[0] == "Jane Smith" and c[2].startswith("Firefox"))
    assert button.isEnabled()
    # The server lists ERCOT CA but registers nobody under it: unknown_ca.
    with openssl_server(tmp_path / "srv", web["server"], ca_list=[desk.root],
                        verify_with=[web["other"]]) as port:
        url = point_ercot_at(port)
        dialog = opened_dialog(driver, button)
        combo = child(dialog, QComboBox, "signin-address")
        assert combo.currentData() == url
        qtbot.mouseClick(child(dialog, QPushButton, "signin-test"), Qt.MouseButton.LeftButton)
        wait_result(qtbot, dialog)
    result = dialog.probe_result
    assert result is not None and not result.accepted
    assert result.alert == "unknown_ca", result.details_text()
    assert result.identity is not None and result.identity.source == f"nss:{desk.firefox_db}"
    chip = child(dialog, StatusChip, "signin-chip")
    assert chip.level() == "error" and chip.text() == "Not signed in"
    assert "not registered" in child(dialog, QLabel, "signin-sentence").text()
    fix = child(dialog, QLabel, "signin-fix")
    assert fix.isVisible() and fix.accessibleName() == "What to do: " + result.diagnosis.fix
    assert "USA" in fix.text()  # ERCOT's User Security Administrator
    # Every step up to the sign-in went well; the sign-in itself is the ✗.
    rows = child(dialog, ResultRows, "signin-results").rows()
    assert [r.level for r in rows[:-1]] == ["ok"] * (len(rows) - 1) and len(rows) >= 5
    assert rows[-1].level == "error" and "unknown_ca" in rows[-1].sentence
    # Details: hidden until asked for; then the CA list and the alert.
    details = child(dialog, QPlainTextEdit, "signin-details")
    link = child(dialog, QPushButton, "signin-details-link")
    assert not details.isVisible()
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert details.isVisible()
    text = details.toPlainText()
    assert "Acceptable CAs (1):" in text and "CN=ERCOT CA" in text
    assert "TLS alert: unknown_ca" in text and "TLS version: TLS 1." in text
    assert "server[0] CN=127.0.0.1" in text


# --- the window on its own --------------------------------------------------------------


@pytest.fixture
def pfx_subject(desk: Desk) -> SignInSubject:
    return SignInSubject("Jane Smith", desk.pfx_path.name,
                         lambda: identity_from_file(desk.pfx_path, PASSWORD))


@pytest.fixture
def dialog(qtbot: QtBot, pfx_subject: SignInSubject) -> Iterator[SignInDialog]:
    window = SignInDialog(pfx_subject, timeout=60)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.loaded is not None, timeout=TIMEOUT)
    yield window


def choose_other(qtbot: QtBot, dialog: SignInDialog, text: str) -> QLineEdit:
    combo = child(dialog, QComboBox, "signin-address")
    combo.setCurrentIndex(combo.findData(OTHER))
    field = child(dialog, QLineEdit, "signin-url")
    assert field.isVisible()
    field.clear()
    qtbot.keyClicks(field, text)
    return field


def test_cancel_stops_a_test_of_a_hung_server(qtbot: QtBot, dialog: SignInDialog) -> None:
    with raw_server("hang") as port:
        choose_other(qtbot, dialog, f"https://127.0.0.1:{port}/")
        qtbot.keyClick(child(dialog, QLineEdit, "signin-url"), Qt.Key.Key_Return)
        step = child(dialog, QLabel, "signin-step")
        qtbot.waitUntil(lambda: "certificate" in step.text(), timeout=TIMEOUT)
        cancel = child(dialog, QPushButton, "signin-cancel")
        assert dialog.running and cancel.isVisible()
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        assert not dialog.running
        assert child(dialog, QLabel, "signin-sentence").text() == (
            "The test was cancelled; nothing was changed.")
        assert child(dialog, QPushButton, "signin-test").isEnabled()
        # The probe itself stops too, long before its 60-second timeout, while the server
        # still holds the connection open.
        qtbot.waitUntil(lambda: running_tasks() == 0, timeout=20000)
    assert dialog.probe_result is None  # the cancelled run's answer is dropped


@pytest.mark.parametrize(("typed", "words"), [
    ("", "Type the address you sign in to"),
    ("ftp://misapi.ercot.com/", "is not an https:// address"),
    ("https://misapi.ercot.com:99999/", "port that is not a number"),
    ("https:// /", "is not a web address"),
])
def test_a_malformed_address_is_said_in_a_sentence(qtbot: QtBot, dialog: SignInDialog,
                                                   typed: str, words: str) -> None:
    field = choose_other(qtbot, dialog, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    error = child(dialog, QLabel, "signin-input-error")
    assert error.isVisible() and words in error.text(), error.text()
    assert not dialog.running and dialog.probe_result is None
    assert QApplication.focusWidget() is field or not dialog.isActiveWindow()


def test_other_address_can_be_remembered(qtbot: QtBot, dialog: SignInDialog,
                                         tmp_path: Path, web: dict[str, pki.Issued],
                                         desk: Desk) -> None:
    with python_server(tmp_path / "srv", web["server"], client_ca=[desk.root],
                       ask=True) as port:
        choose_other(qtbot, dialog, f"127.0.0.1:{port}")
        child(dialog, QCheckBox, "signin-remember").setChecked(True)
        qtbot.mouseClick(child(dialog, QPushButton, "signin-test"), Qt.MouseButton.LeftButton)
        wait_result(qtbot, dialog)
    assert dialog.probe_result is not None and dialog.probe_result.accepted
    assert "(HTTP 200)" in child(dialog, QLabel, "signin-sentence").text()
    remembered = user_endpoints_path().read_text(encoding="utf-8")
    assert f'url = "https://127.0.0.1:{port}/"' in remembered
    assert 'operator = "ERCOT"' in remembered  # from the certificate's chain
    combo = child(dialog, QComboBox, "signin-address")
    assert combo.currentData() == f"https://127.0.0.1:{port}/"  # now one of the list


def test_the_probe_itself_leaves_a_hung_server_when_cancelled(pfx_subject: SignInSubject,
                                                              ) -> None:
    """What the window's Cancel relies on: `probe(cancel=...)` stops in the middle of a
    wait for the server, not only between steps."""
    import threading

    from app.actions.probe import probe
    from app.core.errors import CancelledError

    cancel = threading.Event()
    outcome: list[BaseException | object] = []

    def step(name: str, _sentence: str) -> None:
        if name == "server":  # connected; the server will never answer
            threading.Timer(0.3, cancel.set).start()

    with raw_server("hang") as port:
        def run() -> None:
            try:
                outcome.append(probe(f"https://127.0.0.1:{port}/", pfx_subject.load(),
                                     timeout=120, progress=step, cancel=cancel))
            except CancelledError as error:
                outcome.append(error)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(30)
        assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], CancelledError)


def test_the_organisations_address_is_offered_first(qtbot: QtBot,
                                                    pfx_subject: SignInSubject) -> None:
    from app.actions.probe import remember_endpoint, save_profile_endpoints
    from app.core.endpoints import parse_endpoint

    remember_endpoint("https://mine.example.com/", operator="ERCOT")
    save_profile_endpoints([parse_endpoint(
        {"id": "profile-1", "url": "https://gateway.example.com/", "name": "Our gateway",
         "operator": "ERCOT"}, "", "test", origin="profile")], "site.toml")
    window = SignInDialog(pfx_subject)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.loaded is not None, timeout=TIMEOUT)
    combo = child(window, QComboBox, "signin-address")
    assert combo.currentData() == "https://gateway.example.com/"
    assert combo.currentText() == "Our gateway · gateway.example.com (from your organisation)"
    assert "deployment profile" in child(window, QLabel, "signin-address-note").text()
    texts = combo_texts(combo)
    assert any(t.endswith("mine.example.com (your own address)") for t in texts), texts
    assert any("misapi.ercot.com (verified)" in t for t in texts), texts
    assert any("mis.ercot.com (not confirmed)" in t for t in texts), texts
    # A catalog address that its operator does not confirm says so under the list.
    combo.setCurrentIndex(next(i for i, t in enumerate(texts) if "· mis.ercot.com" in t))
    assert "Not confirmed" in child(window, QLabel, "signin-address-note").text()


# --- Renew Done page --------------------------------------------------------------------


def test_renew_done_offers_test_sign_in_with_the_new_certificate(
        driver: Driver, desk: Desk, answers: Answers, tmp_path: Path) -> None:
    from app.actions.install import apply_plan, plan_install
    from app.actions.targets import resolve_targets
    from app.core.reader import read_paths
    from app.gui.renew import flow as renew_flow
    from tests.gui.flows import renew_new_file, type_into

    items = read_paths([str(desk.pfx_path)], lambda _s: PASSWORD).items
    assert apply_plan(plan_install(items, resolve_targets([f"nss:{desk.firefox_db}"]))).ok
    new = pki.make_leaf(desk.root, "Jane Smith", org="Example Power LLC", days=730,
                        key=pki.pooled_key("rsa2048", 13))
    new_pfx = tmp_path / "0123456789012$JSMITH-2027.pfx"
    new_pfx.write_bytes(pki.pfx_bytes(new, "new-one-time-pw", [desk.root]))
    renew_new_file(driver, answers, new_pfx)
    type_into(driver, "new-password", "new-one-time-pw")
    driver.next()
    driver.wait_page(renew_flow.WHERE)
    driver.wait_idle()
    for box in driver.wizard.currentPage().findChildren(QCheckBox):
        if box.objectName().startswith("target:"):
            box.setChecked(box.objectName() == f"target:nss:{desk.firefox_db}")
    driver.next()
    driver.wait_page(renew_flow.CONFIRM)
    driver.wait_idle()
    driver.commit()
    driver.wait_page(renew_flow.DONE)
    driver.wait_idle()
    result = renew_flow.renew_state(driver.wizard.state).result
    assert result is not None and getattr(result, "install", None) is not None
    button = driver.child(QPushButton, "test-sign-in")
    assert isinstance(button, QPushButton) and button.isVisible()
    dialog = opened_dialog(driver, button)
    assert dialog.loaded is not None, dialog.status.text()
    # Next year's certificate, read back from the Firefox profile it went into.
    assert dialog.loaded.identity.leaf.sha256 == new.sha256
    assert dialog.loaded.identity.source == f"nss:{desk.firefox_db}"
    assert child(dialog, QComboBox, "signin-address").currentText().startswith(
        "ERCOT External Web Services (EWS) API")
    dialog.close()
    # Undo this renewal: the new certificate is gone, and so is its Test sign-in.
    driver.click(driver.child(QPushButton, "undo-renewal"))
    driver.wait_idle()
    driver.qtbot.waitUntil(lambda: not button.isVisible(), timeout=TIMEOUT)
