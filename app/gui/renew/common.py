"""What the renew pages share: `RenewPage` (a page with `.r`, the run's RenewState), the
new-passphrase rows with their Again field (`NewPassphrase`), the tick boxes of the
stores (`TargetList`) and `valid_until`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.gui import engine
from app.gui.base import FlowPage, message_label, password_field, show_message, tr
from app.gui.renew.flow import RenewState, renew_state

if TYPE_CHECKING:
    from app.core.model import CertificateItem


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

    def _changed(self, *_args: object) -> None:  # whatever the Qt signal carries
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


def valid_until(item: CertificateItem) -> str:
    """The certificate's end date in the person's locale ('December 4, 2027')."""
    from app.gui.describe import local_date

    return local_date(item.not_after)


def _organization(item: CertificateItem) -> str:
    from cryptography.x509.oid import NameOID

    found = item.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    value = found[0].value if found else ""
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def holder_phrase(item: CertificateItem) -> str:
    """'Jane Smith — Example Power LLC — until 2027-12-04': the certificate as a person
    tells it apart from last year's in the browser's list."""
    parts = [item.display_name]
    organization = _organization(item)
    if organization and organization != item.display_name:
        parts.append(organization)
    parts.append(tr("Renew", "until {day}").format(day=valid_until(item)))
    return " — ".join(parts)


def backup_name(item: CertificateItem) -> str:
    """How a backup is named on the pages (its file name is a timestamp and a code)."""
    return tr("Renew", "Backup of {name}'s old certificate (until {day})").format(
        name=item.display_name, day=valid_until(item))


def operator_of(items: Sequence[CertificateItem]) -> str | None:
    """The operator whose catalog root or CA is among `items` ('ERCOT'), if any (reads the
    catalog: call it in a worker)."""
    cat = engine.catalog()
    for item in items:
        if not item.is_ca:
            continue
        entry = getattr(engine.catalog_match(cat, item), "entry", None)
        operator = getattr(entry, "operator", None)
        if isinstance(operator, str) and operator:
            return operator
    return None


def next_step(item: CertificateItem, operator: str | None) -> str:
    """The one thing to do once the certificate is in: where to go and what to choose."""
    site = (tr("Renew", "{operator}'s site").format(operator=operator) if operator
            else tr("Renew", "your operator's site"))
    return tr("Renew", "What now: restart your browser and open {site}. When the browser "
              "asks which certificate to use, choose ‘{choice}’.").format(
        site=site, choice=holder_phrase(item))


class TargetList(QWidget):
    """Tick boxes for the detected stores that can hold your certificate."""

    def __init__(self, on_change: Callable[[], None]) -> None:
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


class RenewPage(FlowPage):
    @property
    def r(self) -> RenewState:
        return renew_state(self.state)
