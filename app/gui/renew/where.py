"""Renew, *Where does the new certificate go?*: the stores to install into (those holding the
old one ticked), removing the old one, and the backup passphrase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QFormLayout, QVBoxLayout, QWidget

from app.gui import engine
from app.gui.base import message_label, show_message, text_label
from app.gui.renew.common import NewPassphrase, RenewPage, TargetList, valid_until
from app.gui.renew.flow import MODE_NEW_FILE, WHERE

if TYPE_CHECKING:
    from app.core.model import CertificateItem
    from app.gui.wizard import GridCertWizard


#: The stores found, the old certificates the new one renews, the stores holding them, and
#: whether a keyring can keep the backup's passphrase.
WhereFacts = tuple[list["engine.TargetInfo"], list["CertificateItem"], set[str], bool]


class WherePage(RenewPage):
    page_id = WHERE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Where does the new certificate go?"))
        self.setSubTitle(self.tr("The places that hold your current certificate are ticked."))
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

    def _show(self, facts: WhereFacts) -> None:
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
            names = ", ".join(f"{o.display_name} (until {valid_until(o)})" for o in old)
            self.old_label.setText((self.tr("Your current certificate: {names}.") if len(old) == 1
                                    else self.tr("Your older certificates: {names}.")).format(
                names=names))
        else:
            self.old_label.setText("" if self.r.mode != MODE_NEW_FILE else self.tr(
                "No older certificate of yours was found; the new one is simply installed."))
        self._changed()

    def _changed(self, *_args: object) -> None:  # whatever the Qt signal carries
        self.r.targets = self.targets.chosen()
        self.r.remove_old = self.remove_old.isChecked()
        self.r.backup_passphrase = self.backup.value()
        self.backup_row.setVisible(self.r.mode == MODE_NEW_FILE and self.r.remove_old
                                   and bool(self.r.old_found) and self.r.keyring is False)
        self.refresh()


def _where_facts(leaf: CertificateItem | None) -> WhereFacts:
    from app.actions.renew import find_replaced
    from app.actions.secrets import keyring_available

    infos = engine.detect_targets()
    old: dict[str, CertificateItem] = {}
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
