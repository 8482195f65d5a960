"""The wizard's *Move a certificate to another computer* flow.

1. **Which certificate**: one of the personal certificates (with their keys) GridCert finds
   in this computer's stores, or a .pfx/.p12 file.
2. **Where is it going**: asked in those words, because the answer decides the file's
   protection — a modern computer (AES-256), an older Windows or a Mac keychain
   (TripleDES, "compatible"), or a script that needs PEM files. Then the password: typed
   twice, or a generated passphrase of dictionary words (≥ 80 bits) shown once with a Copy
   button; optionally remembered in the system keyring. And where to save the file.
3. GridCert writes the file, reads it back, and only then says it is done.

The work is `app.actions.export` (export_from_store / write_export), run in a worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from app.gui import engine, navigation
from app.gui.base import (
    FlowPage,
    display_path,
    message_label,
    password_field,
    shorten_paths,
    show_message,
    text_label,
    typed_path,
)

if TYPE_CHECKING:
    from app.gui.wizard import GridCertWizard

WHAT = "move-what"
HOW = "move-how"
RUN = "move-run"
DONE = "move-done"

# (value, words shown, profile, format)
DESTINATIONS = (
    ("modern", "A computer with Windows 10 (1709 or later), Windows 11, Windows Server 2019 "
     "or later, or Linux", "modern", "pfx"),
    ("compatible", "Windows Server 2016, an older Windows, or a Mac (keychain)", "compatible",
     "pfx"),
    ("pem", "A script or program that needs PEM files (the key stays encrypted)", "modern",
     "pem"),
)


@dataclass
class Choice:
    """A personal certificate that can be moved: in a store, or in a file."""

    item: Any
    store: Any = None  # TrustStore, or None for a file
    where: str = ""


@dataclass
class MoveState:
    choices: list[Choice] | None = None
    chosen: Choice | None = None
    file_items: list[Any] | None = None
    destination: str = "modern"
    password: str = ""
    generated: bool = False
    remember: bool = False
    keyring: bool = False
    out: str = ""
    result: Any = None
    error: str | None = None

    @property
    def profile(self) -> str:
        return next(d[2] for d in DESTINATIONS if d[0] == self.destination)

    @property
    def fmt(self) -> str:
        return next(d[3] for d in DESTINATIONS if d[0] == self.destination)


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
        navigation.PageRule(HOW, _how_ready, commit=True),
        # A commit page: once the file is written, Back cannot lead to writing it again.
        navigation.PageRule(RUN, _ran, commit=True),
        navigation.PageRule(DONE),
    ),
    order=30,
)


def register() -> None:
    from app.gui.wizard import register_page

    navigation.register_flow(MOVE_FLOW)
    for page in (WhatPage, HowPage, RunPage, DonePage):
        register_page(page.page_id, page)


def suggested_folder() -> Path:
    """Where GridCert suggests saving a file it makes: the Documents folder, else the
    Desktop, else the home folder (a bare home folder is where people look last)."""
    from PySide6.QtCore import QStandardPaths

    from app.gui.dialogs import first_folder

    home = Path.home()
    candidates: list[str] = []
    for location, usual in ((QStandardPaths.StandardLocation.DocumentsLocation, "Documents"),
                            (QStandardPaths.StandardLocation.DesktopLocation, "Desktop")):
        # The platform's own name for it (localised, or moved by XDG user-dirs) first.
        found = QStandardPaths.writableLocation(location)
        if found and Path(found) != home:
            candidates.append(found)
        candidates.append(str(home / usual))
    folder = first_folder(candidates)
    return Path(folder) if folder else home



class MovePage(FlowPage):
    @property
    def m(self) -> MoveState:
        return move_state(self.state)


class WhatPage(MovePage):
    page_id = WHAT

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Which certificate do you want to move?"))
        self.setSubTitle(self.tr("Your certificates that have their private key on this "
                                 "computer. Or open a .pfx file."))
        layout = QVBoxLayout(self)
        self.status = message_label(name="move-what-status")
        layout.addWidget(self.status)
        self.list = QListWidget()
        self.list.setObjectName("move-choices")
        self.list.setAccessibleName(self.tr("Your certificates"))
        self.list.currentRowChanged.connect(self._picked)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        browse = QPushButton(self.tr("Open a .pfx &file instead…"))
        browse.setObjectName("move-browse")
        browse.setAccessibleName(self.tr("Open a certificate file"))
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        row.addStretch(1)
        layout.addLayout(row)
        self.file_box = QWidget()
        form = QFormLayout(self.file_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.file_label = text_label("", "move-file", selectable=True)
        self.file_password = password_field("move-file-password",
                                             self.tr("Password of the file"))
        self.file_password.returnPressed.connect(self._open_file)
        open_button = QPushButton(self.tr("O&pen"))
        open_button.setObjectName("move-open-file")
        open_button.clicked.connect(self._open_file)
        pw_row = QHBoxLayout()
        pw_row.addWidget(self.file_password, 1)
        pw_row.addWidget(open_button)
        form.addRow(self.tr("File:"), self.file_label)
        # A label with a buddy: addRow(text, layout) would show the "&" literally.
        password_label = QLabel(self.tr("Pass&word:"))
        password_label.setBuddy(self.file_password)
        form.addRow(password_label, pw_row)
        self.file_box.hide()
        layout.addWidget(self.file_box)
        self._path = ""

    def initializePage(self) -> None:
        if self.m.choices is not None:
            return
        show_message(self.status, self.tr("Looking for your certificates…"), "info")
        self.run(lambda _p: _choices(), self._show,
                 lambda message: show_message(self.status, message))

    def _show(self, choices: list[Choice]) -> None:
        self.m.choices = choices
        self.list.clear()
        for choice in choices:
            item = choice.item
            text = (f"{item.display_name} — {item.issuer_display_name}, valid until "
                    f"{item.not_after:%Y-%m-%d} ({choice.where})")
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            self.list.addItem(entry)
        if choices:
            show_message(self.status, None)
            self.list.setCurrentRow(0)
        else:
            show_message(self.status, self.tr(
                "GridCert found no certificate with its private key on this computer. Open "
                "the .pfx file you were sent instead."), "info")

    def _picked(self, row: int) -> None:
        choices = self.m.choices or []
        if 0 <= row < len(choices):
            self.m.chosen = choices[row]
            self.refresh()

    def _browse(self) -> None:
        files = self.dialogs.open_files(self)
        if not files:
            return
        self._path = files[0]
        self.file_label.setText(display_path(self._path))
        self.file_label.setToolTip(self._path)
        self.file_box.show()
        self.file_password.setFocus()

    def _open_file(self) -> None:
        path, password = self._path, self.file_password.text()
        if not path:
            return
        show_message(self.status, self.tr("Opening the file…"), "info")
        passwords = {path: password} if password else None
        self.run(lambda _p: engine.read_files([path], passwords), self._opened,
                 lambda message: show_message(self.status, message))

    def _opened(self, result: Any) -> None:
        keyed = [i for i in result.items if i.private_key is not None and not i.is_ca]
        if not keyed:
            problem = next((p.message for p in result.problems), None)
            show_message(self.status, problem or self.tr(
                "This file holds no private key, so there is nothing to move: move the .pfx "
                "your operator sent, or ask them for a new certificate."))
            return
        from app.core.chain import find_chain

        leaf = keyed[0]
        self.m.file_items = list(find_chain(leaf, result.items))
        choice = Choice(leaf, None, Path(self._path).name)
        self.m.choices = [*(self.m.choices or []), choice]
        self._show(self.m.choices)
        self.list.setCurrentRow(len(self.m.choices) - 1)


def _choices() -> list[Choice]:
    infos = engine.detect_targets()
    stores = [i.store for i in infos if i.usable and i.store.holds_identities]
    inventory = engine.list_certificates(stores)
    labels = {i.id: i.label for i in infos}
    found: list[Choice] = []
    for entry in inventory.entries:
        if entry.has_private_key and not entry.item.is_ca:
            store = next((s for s in stores if s.id == entry.target_id), None)
            found.append(Choice(entry.item, store, labels.get(entry.target_id,
                                                               entry.target_id)))
    # Newest first: the certificate in use, not last year's leftover, is the likely one.
    found.sort(key=lambda choice: choice.item.not_after, reverse=True)
    return found


class HowPage(MovePage):
    page_id = HOW

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Where is it going?"))
        self.setSubTitle(self.tr("The answer decides how the file is protected, so that the "
                                 "other computer can open it."))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Save"))
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(self.tr("The file will be opened on:"), "destination-heading"))
        self.group = QButtonGroup(self)
        self.destinations: dict[str, QRadioButton] = {}
        for value, words, _profile, _fmt in DESTINATIONS:
            button = QRadioButton(self.tr(words))
            button.setObjectName(f"dest-{value}")
            button.setAccessibleName(self.tr(words))
            self.group.addButton(button)
            layout.addWidget(button)
            self.destinations[value] = button
        self.destinations["modern"].setChecked(True)
        layout.addSpacing(8)
        layout.addWidget(text_label(self.tr("Protect it with:"), "password-heading"))
        self.pw_group = QButtonGroup(self)
        self.typed = QRadioButton(self.tr("&Type a password"))
        self.typed.setObjectName("password-typed")
        self.generate = QRadioButton(self.tr("&Make a passphrase for me (shown once: copy it "
                                             "or write it down)"))
        self.generate.setObjectName("password-generated")
        for button in (self.typed, self.generate):
            self.pw_group.addButton(button)
            layout.addWidget(button)
        form = QFormLayout()
        self.pw1 = password_field("move-password", self.tr("Password"))
        self.pw2 = password_field("move-password-again", self.tr("The password again"))
        for edit in (self.pw1, self.pw2):
            edit.textChanged.connect(self._changed)
        self.pw1_label = QLabel(self.tr("P&assword:"))  # w is Browse's
        self.pw1_label.setBuddy(self.pw1)
        self.pw2_label = QLabel(self.tr("A&gain:"))
        self.pw2_label.setBuddy(self.pw2)
        form.addRow(self.pw1_label, self.pw1)
        form.addRow(self.pw2_label, self.pw2)
        phrase_row = QHBoxLayout()
        self.phrase = QLineEdit()
        self.phrase.setObjectName("generated-passphrase")
        self.phrase.setAccessibleName(self.tr("Your new passphrase"))
        self.phrase.setReadOnly(True)
        self.copy = QPushButton(self.tr("&Copy"))
        self.copy.setObjectName("copy-passphrase")
        self.copy.setAccessibleName(self.tr("Copy the passphrase"))
        self.copy.clicked.connect(self._copy)
        phrase_row.addWidget(self.phrase, 1)
        phrase_row.addWidget(self.copy)
        self.phrase_label = QLabel(self.tr("Passphrase:"))
        form.addRow(self.phrase_label, phrase_row)
        layout.addLayout(form)
        self.strength = message_label(name="password-strength")
        layout.addWidget(self.strength)
        self.remember = QCheckBox(self.tr("&Remember this password in the system keyring"))
        self.remember.setObjectName("remember-password")
        self.remember.toggled.connect(self._changed)
        layout.addWidget(self.remember)
        # Why it is greyed, in words (a tooltip is never seen by most people).
        self.remember_reason = message_label(name="remember-reason")
        self.remember_reason.setContentsMargins(24, 0, 0, 0)
        layout.addWidget(self.remember_reason)
        out_row = QHBoxLayout()
        self.out = QLineEdit()
        self.out.setObjectName("move-out")
        self.out.setAccessibleName(self.tr("Where to save the file"))
        self.out.textChanged.connect(self._changed)
        browse = QPushButton(self.tr("Bro&wse…"))
        browse.setObjectName("move-out-browse")
        browse.clicked.connect(self._browse)
        out_row.addWidget(QLabel(self.tr("Save as:")))
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        layout.addLayout(out_row)
        self.status = message_label(name="move-how-status")
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.typed.setChecked(True)
        # Connected last: the handlers read every widget above.
        for button in self.destinations.values():
            button.toggled.connect(self._changed)
        for button in (self.typed, self.generate):
            button.toggled.connect(self._mode_changed)
        self._mode_changed()

    def initializePage(self) -> None:
        self.run(lambda _p: _keyring(), self._keyring_known, lambda _m: None)
        self._suggest(fill_empty=True)

    def _keyring_known(self, available: bool) -> None:
        self.m.keyring = available
        self.remember.setEnabled(available)
        reason = None if available else self.tr(
            "No system keyring on this computer: GridCert cannot remember it.")
        if not available:
            self.remember.setChecked(False)
        self.remember.setToolTip(reason or "")
        self.remember.setAccessibleDescription(reason or "")
        show_message(self.remember_reason, reason, "info")

    def _suggest(self, fill_empty: bool = False) -> None:
        """A file name in the save box: a whole one when the page opens (`fill_empty`),
        later only the ending that follows the chosen format. A box the person emptied
        stays empty: they are about to type their own name."""
        chosen = self.m.chosen
        if chosen is None:
            return
        if not fill_empty and not self.out.text().strip():
            return
        folder = suggested_folder()
        safe = "".join(c for c in chosen.item.display_name if c.isalnum() or c in " -_.")
        suffix = ".pem" if self.m.fmt == "pem" else ".pfx"
        current = self.out.text().strip()
        if not current or Path(current).suffix in (".pfx", ".pem"):
            base = Path(current).with_suffix(suffix) if current else (
                folder / f"{safe.strip() or 'certificate'} {dt.date.today():%Y-%m-%d}{suffix}")
            self.out.setText(display_path(base))

    def _mode_changed(self, *_args: Any) -> None:
        generated = self.generate.isChecked()
        typed_widgets: list[QWidget] = [self.pw1, self.pw2, self.pw1_label, self.pw2_label]
        phrase_widgets: list[QWidget] = [self.phrase, self.copy, self.phrase_label]
        for widget in typed_widgets:
            widget.setVisible(not generated)
        for widget in phrase_widgets:
            widget.setVisible(generated)
        if generated and not self.phrase.text():
            from app.core.passphrase import generate_passphrase

            self.phrase.setText(generate_passphrase())
        self._changed()

    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.phrase.text())
            show_message(self.status, self.tr("The passphrase is on the clipboard."), "info")

    def _browse(self) -> None:
        filter_ = (self.tr("PEM files (*.pem)") if self.m.fmt == "pem"
                   else self.tr("Certificate with its key (*.pfx *.p12)"))
        path = self.pick_save_path(self.tr("Save the certificate"),
                                   typed_path(self.out.text()), filter_)
        if path:
            self.out.setText(display_path(path))

    def validatePage(self) -> bool:
        return self.may_write(self.m.out) and super().validatePage()

    def _changed(self, *_args: Any) -> None:
        for value, button in self.destinations.items():
            if button.isChecked():
                self.m.destination = value
        self.m.generated = self.generate.isChecked()
        if self.m.generated:
            self.m.password = self.phrase.text()
            show_message(self.strength, None)
        else:
            same = self.pw1.text() == self.pw2.text()
            self.m.password = self.pw1.text() if same else ""
            if self.pw2.text() and not same:
                show_message(self.strength, self.tr("The two passwords are not the same."),
                             "warning")
            elif self.pw1.text():
                from app.core.passphrase import passphrase_entropy

                weak = passphrase_entropy(self.pw1.text(), separator="") < 50
                show_message(self.strength, self.tr(
                    "This password is short and easy to guess; a longer one, or a generated "
                    "passphrase, protects your key better.") if weak else None, "warning")
            else:
                show_message(self.strength, None)
        self.m.remember = self.remember.isChecked()
        self._suggest()
        self.m.out = typed_path(self.out.text())
        self.refresh()


def _keyring() -> bool:
    from app.actions.secrets import keyring_available

    return keyring_available()


class RunPage(MovePage):
    page_id = RUN

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Saving and checking…"))
        self.setSubTitle(self.tr("GridCert writes the file, then opens it again to make sure "
                                 "it is right."))
        layout = QVBoxLayout(self)
        self.bar = QProgressBar()
        self.bar.setObjectName("move-progress")
        self.bar.setRange(0, 0)
        layout.addWidget(self.bar)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Next >"))

    def initializePage(self) -> None:
        m = self.m
        m.result = None
        m.error = None
        self.run(lambda _p: _export(m), self._finished, self._failed)

    def _finished(self, result: Any) -> None:
        self.m.result = result
        self.advance_soon()

    def _failed(self, message: str) -> None:
        self.m.error = message
        self.advance_soon()



def _export(m: MoveState) -> Any:
    from app.actions.export import export_from_store, write_export

    chosen = m.chosen
    assert chosen is not None
    profile: Any = m.profile
    fmt: Any = m.fmt
    if chosen.store is not None:
        return export_from_store(chosen.store, chosen.item.sha256, m.out, m.password,
                                 profile=profile, fmt=fmt, remember_password=m.remember)
    chain = [i for i in (m.file_items or []) if i.sha256 != chosen.item.sha256]
    return write_export(chosen.item, chain, m.out, m.password, profile=profile, fmt=fmt,
                        remember_password=m.remember, source=chosen.item.source)


class DonePage(MovePage):
    page_id = DONE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        layout = QVBoxLayout(self)
        self.summary = text_label("", "move-summary", selectable=True)
        layout.addWidget(self.summary)
        self.details = QListWidget()
        self.details.setObjectName("move-details")
        self.details.setAccessibleName(self.tr("What was checked"))
        self.details.setWordWrap(True)
        self.details.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        layout.addWidget(self.details, 1)
        self.next_steps = text_label("", "move-next-steps", selectable=True)
        layout.addWidget(self.next_steps)
        layout.addStretch(0)  # takes the room when the list is hidden

    def initializePage(self) -> None:
        m = self.m
        self.details.clear()
        self.focus_finish_soon()
        if m.error is not None:
            self.setTitle(self.tr("The file was not saved"))
            self.setSubTitle(self.tr("Nothing on this computer was changed."))
            self.summary.setText(shorten_paths(m.error))
            self.next_steps.setText("")
            self.details.hide()
            return
        self.details.show()
        result = m.result
        self.setTitle(self.tr("Your certificate is ready to move"))
        self.setSubTitle(self.tr("GridCert opened the file again and checked it."))
        self.summary.setText(self.tr("Saved to {path}").format(path=display_path(result.path)))
        for sentence in result.checked:
            self.details.addItem("✓ " + shorten_paths(sentence))
        if result.password_remembered:
            self.details.addItem("✓ " + self.tr("The password is kept in the system keyring."))
        pem = result.format == "pem"
        self.next_steps.setText(self.tr(
            "Copy the file to the other computer and open it there (double-click on Windows "
            "and macOS, or run GridCert there). Send the password separately, never in the "
            "same e-mail as the file.") if not pem else self.tr(
            "Point your script at this file; it needs the passphrase to open the key."))
