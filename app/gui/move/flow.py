"""The *Move a certificate to another computer* flow without Qt: its page ids, what its
pages gather (`MoveState`, kept in `WizardState.extra["move"]`), the rules of which page
follows which (`MOVE_FLOW`), and `register()`, which tells app.gui.registry where each
page is.

1. **Which certificate**: one of the personal certificates (with their keys) GridCert finds
   in this computer's stores, or a .pfx/.p12 file.
2. **Where is it going**: asked in those words, because the answer decides the file's
   protection — a modern computer (AES-256), a Java program, an older Windows or a Mac
   keychain (TripleDES, "compatible"), or a script that needs PEM files (the algorithms
   are behind *Details*, not on the page). Then the password: typed twice, or a generated
   passphrase of dictionary words (≥ 80 bits) shown once with a Copy button; optionally
   remembered in the system keyring. And where to save the file.
3. **Ready to save** (Confirm): which certificate, the full chain the file will carry, the
   file's name and folder, and its protection — before anything is written.
4. GridCert writes the file, reads it back, and only then says it is done (*Show in
   folder*, the certificate's end date, what to do on the other computer).

The work is `app.actions.export` (export_from_store / write_export), run in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.gui import navigation, registry

if TYPE_CHECKING:
    from app.actions.export import ExportResult, Format
    from app.core.export_password import PasswordWarning
    from app.core.model import CertificateItem
    from app.core.p12 import Profile
    from app.stores.base import TrustStore

WHAT = "move-what"
HOW = "move-how"
CONFIRM = "move-confirm"
RUN = "move-run"
DONE = "move-done"


# (value, words shown, profile, format, the technical detail behind "Details")
DESTINATIONS: tuple[tuple[str, str, Profile, Format, str], ...] = (
    ("modern", "A computer with Windows 10 or 11, Windows Server 2019 or later, or Linux",
     "modern", "pfx",
     "PKCS#12 with PBES2: AES-256-CBC, PBKDF2-HMAC-SHA256, a SHA-256 MAC. Read by Windows 10 "
     "version 1709 or later, Windows Server 2019 or later, OpenSSL 1.1.1 or later, NSS."),
    ("java", "A Java program (keytool, a Java server)", "modern", "pfx",
     "PKCS#12 with PBES2: AES-256-CBC, PBKDF2-HMAC-SHA256, a SHA-256 MAC. Read by Java 8 "
     "update 301 or later and by Java 11 or later."),
    ("compatible", "Windows Server 2016, an older Windows, or a Mac (keychain)", "compatible",
     "pfx",
     "PKCS#12 with pbeWithSHA1And3-KeyTripleDES-CBC and a SHA-1 MAC, the protection older "
     "Windows versions and the macOS keychain read."),
    ("pem", "A script or program that needs PEM files (the key stays encrypted)", "modern",
     "pem",
     "The certificates in PEM; the private key as encrypted PKCS#8 (PBES2, AES-256-CBC)."),
)


@dataclass
class Choice:
    """A personal certificate that can be moved: in a store, or in a file."""

    item: CertificateItem
    store: TrustStore | None = None  # None for a file; else the copy it is exported from
    where: str = ""
    #: The places holding it with its key (one row per certificate, however many copies),
    #: in words, and their stores (exported from the first that can, `store` first).
    places: list[str] = field(default_factory=list)
    stores: list[TrustStore] = field(default_factory=list)


@dataclass
class MoveState:
    choices: list[Choice] | None = None
    chosen: Choice | None = None
    file_items: list[CertificateItem] | None = None
    destination: str = "modern"
    password: str = ""
    generated: bool = False
    remember: bool = False
    keyring: bool = False
    out: str = ""
    #: Every usable store found: the chain is completed from all of them, so the file is the
    #: same whichever copy of the certificate is exported.
    stores: list[TrustStore] = field(default_factory=list)
    #: The CA certificates the file will carry (worked out on the Confirm page).
    chain: list[CertificateItem] | None = None
    result: ExportResult | None = None
    error: str | None = None

    @property
    def profile(self) -> Profile:
        return next(d[2] for d in DESTINATIONS if d[0] == self.destination)

    @property
    def fmt(self) -> Format:
        return next(d[3] for d in DESTINATIONS if d[0] == self.destination)

    @property
    def destination_words(self) -> str:
        return next(d[1] for d in DESTINATIONS if d[0] == self.destination)

    @property
    def destination_detail(self) -> str:
        return next(d[4] for d in DESTINATIONS if d[0] == self.destination)


def password_warning(password: str, destination: str, *,
                     generated: bool = False) -> PasswordWarning | None:
    """The warning for a typed password with letters like ü or é when the file is for Java
    or in the compatible profile (they may read it differently and call it wrong); None
    otherwise — a generated passphrase is plain letters, and PEM is not PKCS#12."""
    from app.core.export_password import export_password_warning

    if generated:
        return None
    found = next((d for d in DESTINATIONS if d[0] == destination), None)
    if found is None or found[3] != "pfx":
        return None
    return export_password_warning(password, profile=found[2], for_java=destination == "java")


def move_state(state: navigation.WizardState) -> MoveState:
    found = state.extra.get("move")
    if not isinstance(found, MoveState):
        found = MoveState()
        state.extra["move"] = found
    return found


def _chosen(state: navigation.WizardState) -> bool:
    return move_state(state).chosen is not None


def _how_ready(state: navigation.WizardState) -> bool:
    m = move_state(state)
    return bool(m.password and m.out)


def _planned(state: navigation.WizardState) -> bool:
    return move_state(state).chain is not None


def _ran(state: navigation.WizardState) -> bool:
    m = move_state(state)
    return m.result is not None or m.error is not None


MOVE_FLOW = navigation.Flow(
    job="move",
    title=navigation.QT_TRANSLATE_NOOP("Flows", "Move a certificate to another computer"),
    description=navigation.QT_TRANSLATE_NOOP(
        "Flows", "Save your certificate with its key as a password-protected file that "
        "the other computer (or program) can open."),
    pages=(
        navigation.PageRule(WHAT, _chosen),
        navigation.PageRule(HOW, _how_ready),
        # What the file will be, said before it is written (as Install's Confirm page).
        navigation.PageRule(CONFIRM, _planned, commit=True),
        # A commit page: once the file is written, Back cannot lead to writing it again.
        navigation.PageRule(RUN, _ran, commit=True),
        navigation.PageRule(DONE),
    ),
    order=30,
)


#: Where each page is; imported when the flow starts (so this module stays free of Qt).
PAGES = {
    WHAT: "app.gui.move.what:WhatPage",
    HOW: "app.gui.move.how:HowPage",
    CONFIRM: "app.gui.move.confirm:ConfirmPage",
    RUN: "app.gui.move.run:RunPage",
    DONE: "app.gui.move.done:DonePage",
}


def register() -> None:
    """Offer the flow and say where its pages are (the wizard imports this module when the
    first job starts)."""
    navigation.register_flow(MOVE_FLOW)
    for page_id, where in PAGES.items():
        registry.register_page(page_id, where)
