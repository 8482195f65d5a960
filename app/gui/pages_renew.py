"""The wizard's *Renew a certificate* flow, and the daily-reminder switch of the Check view.

Three ways, chosen on the first page in plain words:

* **I received a new certificate file** (ERCOT: one a year): open the new .pfx, choose where
  it goes (the places that hold the old one are ticked), then GridCert installs it beside
  the old one, checks it, and removes the old one after saving it to an encrypted backup
  (`app.actions.renew.replace_identity`).
* **Make a certificate request**: from one of your certificates (subject copied exactly) or
  typed in a form; the request is saved as a file, copied to the clipboard, and explained
  (`make_request`).
* **I received the certificate for my request**: the issued file is paired with the key
  made here, then installed or saved as a .pfx (`complete`).

Pages only gather input and show results; the work runs in workers (`FlowPage.run`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
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

HOW = "renew-how"
NEW_FILE = "renew-new-file"
WHERE = "renew-where"
REQUEST = "renew-request"
COMPLETE = "renew-complete"
RUN = "renew-run"
DONE = "renew-done"

MODE_NEW_FILE = "new-file"
MODE_REQUEST = "request"
MODE_COMPLETE = "complete"

KEY_CHOICES = (
    ("rsa2048", "RSA 2048 (what grid operators ask for)"),
    ("rsa3072", "RSA 3072"),
    ("rsa4096", "RSA 4096 (slower; for long-lived device certificates)"),
    ("ec-p256", "EC P-256 (only if your operator accepts it)"),
)


@dataclass
class RenewState:
    """What the renew pages gather (kept in `WizardState.extra["renew"]`)."""

    mode: str | None = None
    # new file
    new_file: str = ""
    new_password: str = ""
    new_items: list[Any] = field(default_factory=list)
    new_leaf: Any = None
    # where (new file, or complete → install)
    targets: list[str] = field(default_factory=list)
    stores: dict[str, Any] = field(default_factory=dict)
    remove_old: bool = True
    old_found: list[Any] = field(default_factory=list)
    keyring: bool | None = None
    backup_passphrase: str = ""
    # request
    like: Any = None
    subject: str = ""
    key_kind: str = "rsa2048"
    csr_out: str = ""
    key_passphrase: str = ""
    # complete
    issued: str = ""
    paired: Any = None
    complete_install: bool = True
    needs_key_passphrase: bool = False
    export_out: str = ""
    export_password: str = ""
    # outcome
    result: Any = None
    error: str | None = None


def renew_state(state: navigation.WizardState) -> RenewState:
    found = state.extra.get("renew")
    if not isinstance(found, RenewState):
        found = RenewState()
        state.extra["renew"] = found
    return found


# --- navigation rules (no Qt) --------------------------------------------------------------


def _mode_chosen(state: navigation.WizardState) -> bool:
    return renew_state(state).mode is not None


def _not_mode(mode: str) -> navigation.Predicate:
    return lambda state: renew_state(state).mode != mode


def _new_file_ready(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    return bool(r.new_file)


def _skip_where(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    return not (r.mode == MODE_NEW_FILE or (r.mode == MODE_COMPLETE and r.complete_install))


def _where_ready(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    if not r.targets:
        return False
    needs_backup = (r.mode == MODE_NEW_FILE and r.remove_old and bool(r.old_found)
                    and r.keyring is False)
    return not needs_backup or bool(r.backup_passphrase)


def _request_ready(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    if not r.csr_out or not (r.like is not None or r.subject.strip()):
        return False
    return r.keyring is not False or bool(r.key_passphrase)


def _complete_ready(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    if not r.issued or (r.needs_key_passphrase and not r.key_passphrase):
        return False
    if r.complete_install:
        return True
    return bool(r.export_out and r.export_password)


def _ran(state: navigation.WizardState) -> bool:
    r = renew_state(state)
    return r.result is not None or r.error is not None


RENEW_FLOW = navigation.Flow(
    job="renew",
    title=navigation.QT_TRANSLATE_NOOP("Flows", "Renew a certificate"),
    description=navigation.QT_TRANSLATE_NOOP(
        "Flows", "Install the new certificate file your operator sent (the old one is "
        "backed up), or make a certificate request and finish it when the answer comes."),
    pages=(
        navigation.PageRule(HOW, _mode_chosen),
        navigation.PageRule(NEW_FILE, _new_file_ready, skip=_not_mode(MODE_NEW_FILE)),
        navigation.PageRule(REQUEST, _request_ready, skip=_not_mode(MODE_REQUEST), commit=True),
        navigation.PageRule(COMPLETE, _complete_ready, skip=_not_mode(MODE_COMPLETE)),
        navigation.PageRule(WHERE, _where_ready, skip=_skip_where, commit=True),
        # A commit page: once the work has run, Back cannot lead to running it again.
        navigation.PageRule(RUN, _ran, commit=True),
        navigation.PageRule(DONE),
    ),
    order=20,
)


def register() -> None:
    from app.gui.wizard import register_page

    navigation.register_flow(RENEW_FLOW)
    for page in (HowPage, NewFilePage, RequestPage, CompletePage, WherePage, RunPage,
                 DonePage):
        register_page(page.page_id, page)
    _add_reminder_to_check_page(register_page)


# --- small widgets --------------------------------------------------------------------------


class NewPassphrase(QObject):
    """A new passphrase (or password) chosen here, in two rows of a form: the field with a
    Show toggle, then "Again". A typo in a passphrase nobody can see would lock its owner
    out of their own key or backup, so `value` is the passphrase only once both fields say
    the same ("" until then), and a hint under the rows says what is still missing."""

    def __init__(self, form: QFormLayout, name: str, label: str, accessible: str,
                 on_change: Callable[[], None], *, password: bool = False) -> None:
        super().__init__(form)
        self.form = form
        self.password = password
        self.first = password_field(name, accessible)
        self.second = password_field(f"{name}-again", self.tr("The password again") if password
                                     else self.tr("The passphrase again"))
        self.show = QCheckBox(self.tr("S&how"))
        self.show.setObjectName(f"{name}-show")
        self.show.setAccessibleName(self.tr("Show the password") if password
                                    else self.tr("Show the passphrase"))
        self.show.toggled.connect(self._show)
        self.row = QHBoxLayout()
        self.row.addWidget(self.first, 1)
        self.row.addWidget(self.show)
        self.label = QLabel(label)
        self.label.setBuddy(self.first)
        form.addRow(self.label, self.row)
        self.again_label = QLabel(self.tr("A&gain:"))
        self.again_label.setBuddy(self.second)
        form.addRow(self.again_label, self.second)
        self.hint = message_label(name=f"{name}-hint")
        form.addRow(self.hint)
        self._on_change = on_change
        self._visible = True
        for edit in (self.first, self.second):
            edit.textChanged.connect(self._changed)

    def value(self) -> str:
        first = self.first.text()
        return first if first and first == self.second.text() else ""

    def set_visible(self, visible: bool) -> None:
        self._visible = visible
        self.form.setRowVisible(self.row, visible)
        self.form.setRowVisible(self.second, visible)
        self._hint()

    def _show(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def _changed(self, *_args: Any) -> None:
        self._hint()
        self._on_change()

    def _hint(self) -> None:
        first, second = self.first.text(), self.second.text()
        if not self._visible or not first:
            show_message(self.hint, None)
        elif not second:
            show_message(self.hint, self.tr(
                "Type the password again under it, to be sure of it.") if self.password else
                self.tr("Type the passphrase again under it, to be sure of it."), "info")
        elif first != second:
            show_message(self.hint, self.tr(
                "The two passwords are not the same: type them again.") if self.password else
                self.tr("The two passphrases are not the same: type them again."), "warning")
        elif len(first) < 8:
            show_message(self.hint, self.tr(
                "They match. A longer one (a few words) protects the key better."), "info")
        else:
            show_message(self.hint, self.tr("They match."), "info")


def _valid_until(item: Any) -> str:
    return str(item.not_after.strftime("%Y-%m-%d"))


class TargetList(QWidget):
    """Tick boxes for the detected stores that can hold your certificate."""

    def __init__(self, on_change: Any) -> None:
        super().__init__()
        self.setObjectName("renew-targets")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        self._on_change = on_change

    def fill(self, infos: list[engine.TargetInfo], ticked: set[str]) -> None:
        while self._layout.count():
            taken = self._layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.boxes = {}
        for info in infos:
            if not info.store.holds_identities:
                continue
            box = QCheckBox(info.label)
            box.setObjectName(f"target:{info.id}")
            box.setAccessibleName(info.label)
            box.setEnabled(info.usable)
            box.setChecked(info.usable and info.id in ticked)
            if info.reason or info.busy:
                box.setToolTip(info.reason or info.busy or "")
                box.setAccessibleDescription(info.reason or info.busy or "")
            box.toggled.connect(self._on_change)
            self._layout.addWidget(box)
            self.boxes[info.id] = box

    def chosen(self) -> list[str]:
        return [tid for tid, box in self.boxes.items() if box.isChecked()]


# --- pages ----------------------------------------------------------------------------------


class RenewPage(FlowPage):
    @property
    def r(self) -> RenewState:
        return renew_state(self.state)


class HowPage(RenewPage):
    page_id = HOW

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Renew a certificate"))
        self.setSubTitle(self.tr("What do you have?"))
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        choices = (
            (MODE_NEW_FILE, self.tr("I received a new certificate &file (.pfx or .p12) from my "
                                    "grid operator"),
             self.tr("The usual ERCOT renewal. GridCert installs the new one next to the old "
                     "one, checks it, then removes the old one after saving a backup.")),
            (MODE_REQUEST, self.tr("I need to make a certificate &request (CSR)"),
             self.tr("For CAISO device certificates (RIG, DPG, ICCP) and operators that ask "
                     "for a request. The new private key stays on this computer.")),
            (MODE_COMPLETE, self.tr("I received the certificate for a request made &here"),
             self.tr("GridCert pairs it with the key it kept, then installs it or saves it "
                     "as a .pfx.")),
        )
        self.buttons: dict[str, QRadioButton] = {}
        for mode, text, detail in choices:
            button = QRadioButton(text)
            button.setObjectName(f"mode-{mode}")
            button.setAccessibleName(text.replace("&", ""))
            button.setAccessibleDescription(detail)
            self.group.addButton(button)
            button.toggled.connect(lambda on, m=mode: self._chosen(m, on))
            layout.addWidget(button)
            hint = text_label(detail, f"mode-{mode}-detail", selectable=True)
            hint.setContentsMargins(24, 0, 0, 8)
            layout.addWidget(hint)
            self.buttons[mode] = button
        self.pending = text_label("", "pending-requests", selectable=True)
        layout.addWidget(self.pending)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.run(lambda _p: _pending_requests(), self._show_pending, lambda _m: None)

    def _show_pending(self, pending: list[Any]) -> None:
        if not pending:
            self.pending.setText(self.tr("No certificate request made here is waiting."))
            self.buttons[MODE_COMPLETE].setEnabled(False)
            return
        self.buttons[MODE_COMPLETE].setEnabled(True)
        lines = [self.tr("Requests made here that are waiting for their certificate:")]
        for item in pending:
            lines.append(f"  • {item.subject} — {item.key_kind}, {item.age_text()}")
        self.pending.setText("\n".join(lines))

    def _chosen(self, mode: str, on: bool) -> None:
        if on:
            self.r.mode = mode
            self.r.result = None
            self.r.error = None
            self.refresh()


def _pending_requests() -> list[Any]:
    from app.actions.renew import list_pending

    return list_pending()


class NewFilePage(RenewPage):
    page_id = NEW_FILE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Your new certificate file"))
        self.setSubTitle(self.tr("Choose the .pfx your operator sent, and type the password "
                                 "that came with it."))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_label = text_label(self.tr("No file chosen yet."), "new-file", selectable=True)
        browse = QPushButton(self.tr("&Choose the file…"))
        browse.setObjectName("browse-new")
        browse.setAccessibleName(self.tr("Choose the new certificate file"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.file_label, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        form = QFormLayout()
        self.password = password_field("new-password", self.tr("Password of the new file"))
        self.password.textChanged.connect(self._typed)
        form.addRow(self.tr("&Password:"), self.password)
        layout.addLayout(form)
        # The same Caps Lock hint as the install flow's Password page.
        from app.gui.pages_install import CapsLockWatcher

        self.caps = QLabel(self.tr("Caps Lock seems to be on."))
        self.caps.setObjectName("caps-lock-hint")
        self.caps.hide()
        CapsLockWatcher(self.password, self.caps)
        layout.addWidget(self.caps)
        self.status = message_label(name="new-file-status")
        layout.addWidget(self.status)
        self.found = text_label("", "new-certificate", selectable=True)
        layout.addWidget(self.found)
        layout.addStretch(1)

    def _browse(self) -> None:
        files = self.dialogs.open_files(self)
        if files:
            self.r.new_file = files[0]
            self.r.new_leaf = None
            self.file_label.setText(display_path(files[0]))
            self.file_label.setToolTip(files[0])
            self.refresh()

    def _typed(self, text: str) -> None:
        self.r.new_password = text
        self.r.new_leaf = None

    def needs_background_validation(self) -> bool:
        return self.r.new_leaf is None

    def start_validation(self) -> None:
        show_message(self.status, self.tr("Opening the file…"), "info")
        path, password = self.r.new_file, self.r.new_password
        passwords = {path: password} if password else None
        self.run(lambda _p: _read_new_file(path, passwords), self._read,
                 lambda message: show_message(self.status, message))

    def _read(self, found: tuple[Any, bool]) -> None:
        result, installed = found
        keyed = [i for i in result.items if i.private_key is not None and not i.is_ca]
        if not keyed:
            problem = next((p.message for p in result.problems), None)
            show_message(self.status, problem or self.tr(
                "This file holds no certificate with its private key; the new file from your "
                "operator is a .pfx or .p12."))
            return
        if installed:
            # Last year's file chosen again: it would "renew" nothing, and the next page
            # would say that no older certificate was found.
            self.found.setText("")
            show_message(self.status, self.tr(
                "This is the certificate you already have (valid until {day}). Choose the new "
                "file your operator sent.").format(day=_valid_until(keyed[0])))
            return
        show_message(self.status, None)
        self.r.new_items = list(result.items)
        self.r.new_leaf = keyed[0]
        self.found.setText(self.tr("Your new certificate: {name}, valid until {day}.").format(
            name=keyed[0].display_name, day=_valid_until(keyed[0])))
        self.validation_passed()


def _read_new_file(path: str, passwords: dict[str, str] | None) -> tuple[Any, bool]:
    """The new file read, and whether its certificate (same SHA-256) is already in one of
    this computer's stores (runs in a worker)."""
    from app.core.errors import GridCertError

    result = engine.read_files([path], passwords)
    keyed = [i for i in result.items if i.private_key is not None and not i.is_ca]
    if not keyed:
        return result, False
    for info in engine.detect_targets():
        if not info.usable:
            continue
        try:
            if info.store.contains(keyed[0].sha256):
                return result, True
        except GridCertError:
            continue  # a store that cannot be read holds nothing we can tell of
    return result, False


class WherePage(RenewPage):
    page_id = WHERE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Where does the new certificate go?"))
        self.setSubTitle(self.tr("The places that hold your current certificate are ticked."))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Install"))
        layout = QVBoxLayout(self)
        self.status = message_label(name="where-status")
        layout.addWidget(self.status)
        self.targets = TargetList(self._changed)
        layout.addWidget(self.targets)
        self.remove_old = QCheckBox(self.tr(
            "&Remove the old certificate once the new one is in (a backup is kept)"))
        self.remove_old.setObjectName("remove-old")
        self.remove_old.setAccessibleName(self.tr("Remove the old certificate afterwards"))
        self.remove_old.setChecked(True)
        self.remove_old.toggled.connect(self._changed)
        layout.addWidget(self.remove_old)
        self.old_label = text_label("", "old-certificates", selectable=True)
        layout.addWidget(self.old_label)
        self.backup_row = QWidget()
        form = QFormLayout(self.backup_row)
        form.setContentsMargins(0, 0, 0, 0)
        self.backup = NewPassphrase(form, "backup-passphrase",
                                    self.tr("&Passphrase for the backup:"),
                                    self.tr("Backup passphrase"), self._changed)
        self.backup_row.hide()
        layout.addWidget(self.backup_row)
        layout.addStretch(1)

    def initializePage(self) -> None:
        show_message(self.status, self.tr("Looking for your certificate stores…"), "info")
        leaf = self.r.new_leaf if self.r.mode == MODE_NEW_FILE else None
        self.remove_old.setVisible(self.r.mode == MODE_NEW_FILE)
        self.setSubTitle(self.tr("The places that hold your current certificate are ticked.")
                         if self.r.mode == MODE_NEW_FILE else
                         self.tr("GridCert found these places on this computer. The usual "
                                 "ones are ticked."))
        self.run(lambda _p: _where_facts(leaf), self._show,
                 lambda message: show_message(self.status, message))

    def _show(self, facts: tuple[list[engine.TargetInfo], list[Any], set[str], bool]) -> None:
        infos, old, holding, keyring_ok = facts
        show_message(self.status, None)
        self.r.stores = {info.id: info.store for info in infos}
        self.r.old_found = old
        self.r.keyring = keyring_ok
        ticked = holding or {info.id for info in infos if info.default}
        self.targets.fill(infos, ticked)
        if not self.targets.boxes:
            show_message(self.status, self.tr(
                "GridCert found no place on this computer that holds personal certificates."))
        if old:
            names = ", ".join(f"{o.display_name} (until {_valid_until(o)})" for o in old)
            self.old_label.setText((self.tr("Your current certificate: {names}.") if len(old) == 1
                                    else self.tr("Your older certificates: {names}.")).format(
                names=names))
        else:
            self.old_label.setText("" if self.r.mode != MODE_NEW_FILE else self.tr(
                "No older certificate of yours was found; the new one is simply installed."))
        self._changed()

    def _changed(self, *_args: Any) -> None:
        self.r.targets = self.targets.chosen()
        self.r.remove_old = self.remove_old.isChecked()
        self.r.backup_passphrase = self.backup.value()
        self.backup_row.setVisible(self.r.mode == MODE_NEW_FILE and self.r.remove_old
                                   and bool(self.r.old_found) and self.r.keyring is False)
        self.refresh()


def _where_facts(leaf: Any) -> tuple[list[engine.TargetInfo], list[Any], set[str], bool]:
    from app.actions.renew import find_replaced
    from app.actions.secrets import keyring_available

    infos = engine.detect_targets()
    old: dict[str, Any] = {}
    holding: set[str] = set()
    if leaf is not None:
        for info in infos:
            if not (info.usable and info.store.holds_identities):
                continue
            found = find_replaced(leaf, [info.store])
            if found:
                holding.add(info.id)
                for item in found:
                    old.setdefault(item.sha256, item)
    return infos, list(old.values()), holding, keyring_available()


class RequestPage(RenewPage):
    page_id = REQUEST

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Make a certificate request"))
        self.setSubTitle(self.tr("Whose certificate is it? When you renew, the request copies "
                                 "your current certificate's name exactly."))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Make the request"))
        layout = QVBoxLayout(self)
        self.status = message_label(name="request-status")
        layout.addWidget(self.status)
        self.source_group = QButtonGroup(self)
        self.renew_mine = QRadioButton(self.tr("&Renew one of your certificates:"))
        self.renew_mine.setObjectName("request-like")
        self.renew_mine.setAccessibleName(self.tr("Renew one of your certificates"))
        self.mine = QComboBox()
        self.mine.setObjectName("request-like-choice")
        self.mine.setAccessibleName(self.tr("Certificate to renew"))
        self.typed = QRadioButton(self.tr("&Type the details (a new certificate):"))
        self.typed.setObjectName("request-typed")
        self.typed.setAccessibleName(self.tr("Type the details"))
        for button in (self.renew_mine, self.typed):
            self.source_group.addButton(button)
            button.toggled.connect(self._changed)
        layout.addWidget(self.renew_mine)
        layout.addWidget(self.mine)
        layout.addWidget(self.typed)
        self.form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for key, text in (("common_name", self.tr("&Name (CN), e.g. your name or the device:")),
                          ("organization", self.tr("&Organisation (O):")),
                          ("organizational_unit", self.tr("&Unit (OU):")),
                          ("locality", self.tr("&City (L):")),
                          ("state", self.tr("&State (ST):")),
                          ("country", self.tr("Countr&y (C), two letters:")),
                          ("email", self.tr("&E-mail:"))):
            edit = QLineEdit()
            edit.setObjectName(f"subject-{key}")
            edit.setAccessibleName(text.replace("&", "").rstrip(":"))
            edit.textChanged.connect(self._changed)
            self.form.addRow(text, edit)
            self.fields[key] = edit
        layout.addLayout(self.form)
        # The same form as the name fields, so that every label lines up in one column.
        options = self.form
        self.key = QComboBox()
        self.key.setObjectName("request-key")
        self.key.setAccessibleName(self.tr("Key type"))
        for kind, words in KEY_CHOICES:
            self.key.addItem(self.tr(words), kind)
        self.key.currentIndexChanged.connect(self._changed)
        key_label = QLabel(self.tr("&Key:"))
        key_label.setBuddy(self.key)
        options.addRow(key_label, self.key)
        save_row = QHBoxLayout()
        self.out = QLineEdit()
        self.out.setObjectName("request-out")
        self.out.setAccessibleName(self.tr("Where to save the request"))
        self.out.textChanged.connect(self._changed)
        browse = QPushButton(self.tr("Bro&wse…"))
        browse.setObjectName("request-browse")
        browse.clicked.connect(self._browse)
        save_row.addWidget(self.out, 1)
        save_row.addWidget(browse)
        # A label made here, not by addRow(text, layout): a layout cannot be a buddy, and
        # the label would show its "&" instead of underlining the letter.
        out_label = QLabel(self.tr("Save the request &as:"))
        out_label.setBuddy(self.out)
        options.addRow(out_label, save_row)
        self.key_pass = NewPassphrase(options, "key-passphrase",
                                      self.tr("&Passphrase for the new key:"),
                                      self.tr("Passphrase for the new key"), self._changed)
        self.key_note = text_label("", "key-note", selectable=True)
        layout.addWidget(self.key_note)
        layout.addStretch(1)
        self._mine: list[Any] = []

    def initializePage(self) -> None:
        if not self.out.text():
            from app.gui.pages_move import suggested_folder

            folder = suggested_folder()
            self.out.setText(display_path(
                folder / f"certificate-request-{dt.date.today():%Y-%m-%d}.csr"))
        self.key_pass.set_visible(False)
        self.run(lambda _p: _request_facts(), self._show,
                 lambda message: show_message(self.status, message))

    def _show(self, facts: tuple[list[Any], bool]) -> None:
        mine, keyring_ok = facts
        self.r.keyring = keyring_ok
        self._mine = mine
        self.mine.clear()
        for item in mine:
            self.mine.addItem(f"{item.display_name} — {item.issuer_display_name}, until "
                              f"{_valid_until(item)}")
        self.renew_mine.setEnabled(bool(mine))
        self.mine.setEnabled(bool(mine))
        (self.renew_mine if mine else self.typed).setChecked(True)
        self.key_pass.set_visible(not keyring_ok)
        self.key_note.setText(self.tr(
            "The new private key is kept on this computer, encrypted; its passphrase is kept "
            "in your system's keyring.") if keyring_ok else self.tr(
            "This computer has no keyring GridCert can use: choose a passphrase for the new "
            "key and keep it — you need it when the certificate comes back."))
        self._changed()

    def _browse(self) -> None:
        path = self.pick_save_path(self.tr("Save the certificate request"),
                                   typed_path(self.out.text()),
                                   self.tr("Certificate request (*.csr)"))
        if path:
            self.out.setText(display_path(path))

    def validatePage(self) -> bool:
        return self.may_write(self.r.csr_out) and super().validatePage()

    def _changed(self, *_args: Any) -> None:
        typed = self.typed.isChecked()
        for edit in self.fields.values():
            edit.setEnabled(typed)
        self.mine.setEnabled(self.renew_mine.isChecked() and bool(self._mine))
        index = self.mine.currentIndex()
        self.r.like = (self._mine[index] if self.renew_mine.isChecked()
                       and 0 <= index < len(self._mine) else None)
        self.r.subject = self._subject() if typed else ""
        self.r.key_kind = str(self.key.currentData() or "rsa2048")
        self.r.csr_out = typed_path(self.out.text())
        self.r.key_passphrase = self.key_pass.value() if self.r.keyring is False else ""
        self.refresh()

    def _subject(self) -> str:
        from app.core.csr import SubjectForm
        from app.core.errors import GridCertError

        values = {key: edit.text() for key, edit in self.fields.items()}
        if not values["common_name"].strip():
            return ""
        try:
            return str(SubjectForm(**values).to_name().rfc4514_string())
        except GridCertError as error:
            show_message(self.status, str(error))
            return ""


def _request_facts() -> tuple[list[Any], bool]:
    from app.actions.secrets import keyring_available

    infos = engine.detect_targets()
    stores = [i.store for i in infos if i.usable and i.store.holds_identities]
    inventory = engine.list_certificates(stores)
    seen: dict[str, Any] = {}
    for entry in inventory.entries:
        if entry.has_private_key and not entry.item.is_ca:
            seen.setdefault(entry.item.sha256, entry.item)
    # Newest first: the one to renew is the one in use, not last year's leftover.
    mine = sorted(seen.values(), key=lambda item: item.not_after, reverse=True)
    return mine, keyring_available()


class CompletePage(RenewPage):
    page_id = COMPLETE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("The certificate for your request"))
        self.setSubTitle(self.tr("Choose the file your operator sent back (.cer, .crt, .pem "
                                 "or .p7b)."))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_label = text_label(self.tr("No file chosen yet."), "issued-file", selectable=True)
        browse = QPushButton(self.tr("&Choose the file…"))
        browse.setObjectName("browse-issued")
        browse.setAccessibleName(self.tr("Choose the issued certificate"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.file_label, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.status = message_label(name="complete-status")
        layout.addWidget(self.status)
        self.group = QButtonGroup(self)
        self.install = QRadioButton(self.tr("&Install it on this computer"))
        self.install.setObjectName("complete-install")
        self.install.setChecked(True)
        self.save = QRadioButton(self.tr("Sa&ve it with its key as a .pfx (for a device or "
                                         "another computer)"))
        self.save.setObjectName("complete-save")
        for button in (self.install, self.save):
            self.group.addButton(button)
            button.toggled.connect(self._changed)
            layout.addWidget(button)
        self.save_box = QWidget()
        form = QFormLayout(self.save_box)
        out_row = QHBoxLayout()
        self.out = QLineEdit()
        self.out.setObjectName("complete-out")
        self.out.setAccessibleName(self.tr("Where to save the .pfx"))
        self.out.textChanged.connect(self._changed)
        out_browse = QPushButton(self.tr("Bro&wse…"))
        out_browse.clicked.connect(self._browse_out)
        out_row.addWidget(self.out, 1)
        out_row.addWidget(out_browse)
        form.addRow(self.tr("Save as:"), out_row)
        self.export_password = NewPassphrase(form, "complete-password", self.tr("&Password:"),
                                             self.tr("Password for the .pfx"), self._changed,
                                             password=True)
        layout.addWidget(self.save_box)
        self.save_box.hide()
        self.key_box = QWidget()
        key_form = QFormLayout(self.key_box)
        key_form.setContentsMargins(0, 0, 0, 0)
        self.key_pass = password_field("complete-key-passphrase",
                                        self.tr("Passphrase of the request's key"))
        self.key_pass.textChanged.connect(self._changed)
        key_form.addRow(self.tr("Passphrase you chose for the &request:"), self.key_pass)
        self.key_box.hide()
        layout.addWidget(self.key_box)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Save"))

    def _browse(self) -> None:
        files = self.dialogs.open_files(self)
        if files:
            self.r.issued = files[0]
            self.r.paired = None
            self.r.needs_key_passphrase = False
            self.key_box.hide()
            self.file_label.setText(display_path(files[0]))
            self.file_label.setToolTip(files[0])
            self._changed()

    def _browse_out(self) -> None:
        path = self.pick_save_path(self.tr("Save the certificate with its key"),
                                   typed_path(self.out.text()),
                                   self.tr("Certificate with its key (*.pfx)"))
        if path:
            self.out.setText(display_path(path))

    def validatePage(self) -> bool:
        if not self.r.complete_install and not self.may_write(self.r.export_out):
            return False
        return super().validatePage()

    def _changed(self, *_args: Any) -> None:
        self.r.complete_install = self.install.isChecked()
        self.save_box.setVisible(not self.r.complete_install)
        # Saving is the last question: then this page commits (its button says Save).
        self.setCommitPage(not self.r.complete_install)
        self.r.export_out = typed_path(self.out.text())
        self.r.export_password = self.export_password.value()
        self.r.key_passphrase = self.key_pass.text()
        if self.r.paired is None:
            show_message(self.status, None)
        self.refresh()

    def needs_background_validation(self) -> bool:
        return self.r.paired is None

    def start_validation(self) -> None:
        show_message(self.status, self.tr("Looking for the request it answers…"), "info")
        path = self.r.issued
        self.run(lambda _p: _pair(path), self._paired,
                 lambda message: show_message(self.status, message))

    def _paired(self, found: tuple[Any, Any]) -> None:
        leaf, pending = found
        self.r.paired = found
        show_message(self.status, self.tr(
            "‘{name}’ answers the request made {age} ({subject}).").format(
            name=leaf.display_name, age=pending.age_text(), subject=pending.subject), "info")
        if not pending.passphrase_in_keyring and not self.r.key_passphrase:
            # The key's passphrase was typed when the request was made: ask for it again.
            self.r.needs_key_passphrase = True
            self.key_box.show()
            self.key_pass.setFocus()
            self.refresh()
            return
        self.validation_passed()


def _pair(path: str) -> tuple[Any, Any]:
    from app.actions.renew import pair_issued

    result = engine.read_files([path])
    if not result.items:
        for problem in result.problems:
            raise problem.error
    return pair_issued(result.items)


class RunPage(RenewPage):
    page_id = RUN

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Working…"))
        self.setSubTitle(self.tr("Please keep this window open."))
        layout = QVBoxLayout(self)
        self.bar = QProgressBar()
        self.bar.setObjectName("renew-progress")
        self.bar.setAccessibleName(self.tr("Progress"))
        self.bar.setRange(0, 0)
        layout.addWidget(self.bar)
        self.status = text_label("", "renew-progress-status", selectable=True)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Next >"))

    def initializePage(self) -> None:
        r = self.r
        r.result = None
        r.error = None
        self.bar.setRange(0, 0)
        self.status.setText(self.tr("Starting…"))
        self.run(lambda progress: _do(r, progress), self._finished, self._failed,
                 self._progress)

    def _progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self.status.setText(message)

    def _finished(self, result: Any) -> None:
        self.r.result = result
        self.advance_soon()

    def _failed(self, message: str) -> None:
        self.r.error = message
        self.advance_soon()



def _do(r: RenewState, progress: Any) -> Any:
    """The one action the choices lead to (runs in a worker)."""
    stores = [r.stores[t] for t in r.targets if t in r.stores]
    if r.mode == MODE_NEW_FILE:
        from app.actions.renew import replace_identity

        return replace_identity(r.new_items, stores, old_sha256s=[o.sha256 for o in r.old_found],
                                remove=r.remove_old,
                                backup_passphrase_text=(r.backup_passphrase
                                                        if r.keyring is False else None),
                                progress=progress)
    if r.mode == MODE_REQUEST:
        from app.actions.renew import make_request

        kind: Any = r.key_kind  # one of KEY_CHOICES
        return make_request(r.subject or None, like=r.like, key_kind=kind, out=r.csr_out,
                            key_passphrase=r.key_passphrase or None)
    from app.actions.renew import complete

    key_passphrase = r.key_passphrase or None
    if r.complete_install:
        return complete([r.issued], install_to=stores, key_passphrase=key_passphrase,
                        progress=progress)
    return complete([r.issued], export_to=r.export_out, export_password=r.export_password,
                    key_passphrase=key_passphrase)


class DonePage(RenewPage):
    page_id = DONE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        layout = QVBoxLayout(self)
        self.summary = text_label("", "renew-summary", selectable=True)
        layout.addWidget(self.summary)
        self.details = QListWidget()
        self.details.setObjectName("renew-details")
        self.details.setAccessibleName(self.tr("What was done"))
        self.details.setWordWrap(True)
        self.details.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        layout.addWidget(self.details, 1)
        self.csr = QPlainTextEdit()
        self.csr.setObjectName("csr-text")
        self.csr.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.csr.setAccessibleName(self.tr("The certificate request"))
        self.csr.setReadOnly(True)
        layout.addWidget(self.csr, 1)
        row = QHBoxLayout()
        self.copy = QPushButton(self.tr("&Copy the request"))
        self.copy.setObjectName("copy-csr")
        self.copy.setAccessibleName(self.tr("Copy the request to the clipboard"))
        self.copy.clicked.connect(self._copy)
        row.addWidget(self.copy)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = message_label(name="renew-done-status")
        layout.addWidget(self.status)
        layout.addStretch(0)  # takes the room when the list is hidden

    def initializePage(self) -> None:
        r = self.r
        self.details.clear()
        self.details.setVisible(r.mode != MODE_REQUEST)
        self.csr.hide()
        self.copy.hide()
        show_message(self.status, None)
        if r.error is not None:
            self.setTitle(self.tr("That did not work"))
            self.setSubTitle(self.tr("Nothing was lost: your certificates are as they were."))
            self.summary.setText(shorten_paths(r.error))
        elif r.mode == MODE_REQUEST:
            self._request_done(r.result)
        elif r.mode == MODE_NEW_FILE:
            self._replace_done(r.result)
        else:
            self._complete_done(r.result)
        if self.details.count() == 0:
            self.details.hide()
        self.focus_finish_soon()

    def _request_done(self, result: Any) -> None:
        from app.core.csr import csr_pem

        self.setTitle(self.tr("Your certificate request is ready"))
        self.setSubTitle(self.tr("It is saved and copied to the clipboard."))
        self.summary.setText(shorten_paths(result.instructions))
        self.csr.setPlainText(csr_pem(result.csr).decode("ascii"))
        self.csr.show()
        self.copy.show()
        self._copy()

    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.csr.toPlainText())
            show_message(self.status, self.tr("The request is on the clipboard."), "info")

    def _replace_done(self, result: Any) -> None:
        ok = bool(getattr(result, "ok", False))
        install = result.install
        if install is not None and not install.ok:
            self.setTitle(self.tr("The new certificate was not installed"))
            self.setSubTitle(self.tr("Your current certificate is untouched."))
            self.summary.setText(shorten_paths(install.error or ""))
            return
        self.setTitle(self.tr("Your new certificate is installed") if ok else
                      self.tr("Your new certificate is installed; the old one was kept"))
        self.setSubTitle(self.tr("Restart your browsers so that they see the change."))
        self.summary.setText(self.tr("What GridCert checked:"))
        for sentence in install.verified if install is not None else []:
            self.details.addItem("✓ " + shorten_paths(sentence))
        removal = result.removal
        if removal is not None:
            for sentence in removal.verified:
                self.details.addItem("✓ " + shorten_paths(sentence))
        for note in result.notes:
            self.details.addItem("• " + shorten_paths(note))

    def _complete_done(self, result: Any) -> None:
        report = result.report
        if report is not None and not report.ok:
            self.setTitle(self.tr("The certificate was not installed"))
            self.setSubTitle(self.tr("The request stays here, so you can try again."))
            self.summary.setText(shorten_paths(report.error or ""))
            return
        self.setTitle(self.tr("Your renewed certificate is ready"))
        installed = report is not None
        self.setSubTitle(self.tr("It is paired with the key made on this computer. Restart "
                                 "your browsers so that they see it.") if installed else
                         self.tr("It is paired with the key made on this computer."))
        self.summary.setText(self.tr("‘{name}’, valid until {day}. What GridCert checked:")
                             .format(name=result.leaf.display_name,
                                     day=_valid_until(result.leaf)))
        for sentence in report.verified if report is not None else []:
            self.details.addItem("✓ " + shorten_paths(sentence))
        if result.export is not None:
            self.details.addItem(self.tr("Saved to {path}").format(
                path=display_path(result.export.path)))
            for sentence in result.export.checked:
                self.details.addItem("✓ " + shorten_paths(sentence))
        for note in result.notes:
            self.details.addItem("• " + shorten_paths(note))


# --- the daily reminder on the Check view ------------------------------------------------------


class ReminderSwitch(QWidget):
    """'Remind me every day when a certificate is about to expire' (systemd timer, Task
    Scheduler or launchd agent, via app.actions.reminder)."""

    def __init__(self, page: FlowPage) -> None:
        super().__init__()
        self.page = page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox(page.tr(
            "Remind me &every day when a certificate is about to expire"))
        self.box.setObjectName("daily-reminder")
        self.box.setAccessibleName(page.tr("Daily reminder"))
        self.box.setEnabled(False)
        layout.addWidget(self.box)
        self.detail = message_label(name="reminder-detail")
        layout.addWidget(self.detail)
        self._loading = True
        self.box.toggled.connect(self._toggled)
        QTimer.singleShot(0, self._load)

    def _load(self) -> None:
        from app.gui.worker import run_task

        run_task(lambda _p: _reminder("status"), self._loaded, self._failed, receiver=self)

    def _loaded(self, status: Any) -> None:
        self._loading = True
        self.box.setChecked(bool(status.enabled))
        self._loading = False
        self.box.setEnabled(True)

    def _toggled(self, on: bool) -> None:
        if self._loading:
            return
        from app.gui.worker import run_task

        self.box.setEnabled(False)
        run_task(lambda _p: _reminder("on" if on else "off"), self._changed, self._failed,
                 receiver=self)

    def _changed(self, status: Any) -> None:
        self.box.setEnabled(True)
        show_message(self.detail, status.detail, "info")

    def _failed(self, message: str) -> None:
        self.box.setEnabled(True)
        show_message(self.detail, message)


def _reminder(verb: str) -> Any:
    from app.actions import reminder

    if verb == "on":
        return reminder.reminder_on()
    if verb == "off":
        return reminder.reminder_off()
    return reminder.reminder_status()


def _add_reminder_to_check_page(register_page: Any) -> None:
    """Wrap the Check page's factory so that the page gets the reminder switch in its
    footer (its `add_footer_widget` hook)."""
    try:
        from app.gui.pages_check import CheckPage
    except ImportError:
        return

    def factory(wizard: GridCertWizard) -> Any:
        page = CheckPage(wizard)
        add = getattr(page, "add_footer_widget", None)
        if callable(add):
            add(ReminderSwitch(page))
        return page

    register_page(CheckPage.page_id, factory)
