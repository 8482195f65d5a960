"""Move lists a certificate once, however many stores hold it, saying where it is (two
Firefox profiles told apart by their labels); and the exported file carries the full chain
GridCert can build whichever copy it is taken from — read back by openssl, an independent
reader. Real NSS databases: two Firefox profiles and Chromium's, each holding a different
part of the chain."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QListWidget, QPushButton

from app.gui.move import flow as move_flow
from tests import pki
from tests.gui.conftest import Driver
from tests.gui.flows import move_save, start_job, type_into
from tests.gui.scene import PROFILE, Desk, new_nss_db
from tests.helpers import require_tool

ESR = "a1b2c3d4.default-esr"
PASSWORD = "Long enough pass 2026"


@dataclass
class Spread:
    """Jane's certificate (under an issuing CA) in three stores, each with another part of
    its chain: Firefox (release) the whole chain, Firefox ESR the certificate alone,
    Chromium the certificate and the issuing CA."""

    leaf: pki.Issued
    intermediate: pki.Issued
    root: pki.Issued
    esr_db: Path


def _pk12_import(certutil: str, db: Path, pfx: bytes, tmp_path: Path, name: str) -> None:
    pk12util = str(Path(certutil).with_name("pk12util"))
    path = tmp_path / f"{name}.p12"
    path.write_bytes(pfx)
    subprocess.run([pk12util, "-i", str(path), "-d", f"sql:{db}", "-W", "pw", "-K", ""],
                   check=True, capture_output=True)


@pytest.fixture
def spread(desk: Desk, certutil: str, tmp_path: Path) -> Spread:
    profiles = desk.home / ".mozilla" / "firefox"
    esr_db = new_nss_db(certutil, profiles / ESR)
    (profiles / "profiles.ini").write_text(
        "[Install4F96D1932A9F858E]\nDefault=" + PROFILE + "\nLocked=1\n\n"
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=" + PROFILE + "\nDefault=1\n\n"
        "[Profile1]\nName=default-esr\nIsRelative=1\nPath=" + ESR + "\n\n"
        "[General]\nStartWithLastProfile=1\nVersion=2\n", encoding="utf-8")
    intermediate = pki.make_intermediate(desk.root, "ERCOT Issuing CA",
                                         org="Electric Reliability Council of Texas")
    leaf = pki.make_leaf(intermediate, "Jane Smith", org="Example Power LLC", days=700,
                         key=pki.pooled_key("rsa2048", 13))
    _pk12_import(certutil, desk.firefox_db, pki.pfx_bytes(leaf, "pw", [intermediate, desk.root]),
                 tmp_path, "release")
    _pk12_import(certutil, esr_db, pki.pfx_bytes(leaf, "pw", []), tmp_path, "esr")
    _pk12_import(certutil, desk.chromium_db, pki.pfx_bytes(leaf, "pw", [intermediate]),
                 tmp_path, "chromium")
    return Spread(leaf, intermediate, desk.root, esr_db)


def _file_certificates(openssl: str, path: Path) -> list[str]:
    """The subjects of the certificates in the .pfx, as openssl reads them."""
    shown = subprocess.run(
        [openssl, "pkcs12", "-in", str(path), "-nokeys", "-passin", "stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    return [line.split("=", 1)[1].strip() for line in shown.stdout.splitlines()
            if line.startswith("subject=")]


def _to_what(driver: Driver) -> None:
    start_job(driver, "move")
    driver.wait_page(move_flow.WHAT)
    driver.wait_idle()


def test_one_row_per_certificate_saying_where_it_is(spread: Spread, driver: Driver) -> None:
    _to_what(driver)
    state = move_flow.move_state(driver.wizard.state)
    assert state.choices is not None
    janes = [c for c in state.choices if c.item.sha256 == spread.leaf.sha256]
    assert len(janes) == 1
    places = janes[0].places
    assert len(places) == 3, places
    firefox = sorted(p for p in places if p.startswith("Firefox"))
    assert len(firefox) == 2 and firefox[0] != firefox[1]
    assert any("'default-release' (opens by default)" in p for p in firefox), firefox
    assert any("ESR" in p and "'default-esr'" in p for p in firefox), firefox
    listing = driver.child(QListWidget, "move-choices")
    assert isinstance(listing, QListWidget)
    texts = [listing.item(i).text() for i in range(listing.count())]
    assert len([t for t in texts if t.startswith("Jane Smith")]) == 1
    row = next(t for t in texts if t.startswith("Jane Smith"))
    for place in places:
        assert place in row


@pytest.mark.parametrize("source", ["release", "esr", "chromium"])
def test_the_file_carries_the_full_chain_whichever_copy(
    spread: Spread, desk: Desk, driver: Driver, tmp_path: Path, source: str
) -> None:
    openssl = require_tool("openssl", "openssl")
    _to_what(driver)
    state = move_flow.move_state(driver.wizard.state)
    choice = next(c for c in (state.choices or []) if c.item.sha256 == spread.leaf.sha256)
    db = {"release": desk.firefox_db, "esr": spread.esr_db, "chromium": desk.chromium_db}[source]
    # The copy the file is made from (the first one found, unless another is put first).
    choice.store = next(s for s in choice.stores if s.id == f"nss:{db}")
    listing = driver.child(QListWidget, "move-choices")
    assert isinstance(listing, QListWidget)
    listing.setCurrentRow(state.choices.index(choice) if state.choices else 0)
    driver.next()
    driver.wait_page(move_flow.HOW)
    driver.wait_idle()
    type_into(driver, "move-password", PASSWORD)
    type_into(driver, "move-password-again", PASSWORD)
    out = tmp_path / f"jane-{source}.pfx"
    type_into(driver, "move-out", str(out))
    move_save(driver)
    driver.wait_page(move_flow.DONE)
    moved = move_flow.move_state(driver.wizard.state)
    assert moved.error is None, moved.error
    assert moved.chain is not None and [c.sha256 for c in moved.chain] == [
        spread.intermediate.sha256, spread.root.sha256]
    subjects = _file_certificates(openssl, out)
    assert len(subjects) == 3, subjects
    assert any("CN=Jane Smith" in s or "CN = Jane Smith" in s for s in subjects)
    assert any("ERCOT Issuing CA" in s for s in subjects)
    assert any("CN=ERCOT CA" in s.replace(" = ", "=") for s in subjects)
    assert isinstance(driver.child(QPushButton, "show-in-folder"), QPushButton)
