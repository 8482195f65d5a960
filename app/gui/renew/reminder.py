"""The daily-reminder switch that the renew part adds to the Check page's footer
(systemd timer, Task Scheduler or launchd agent, via app.actions.reminder).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget, QWizardPage

from app.gui.base import FlowPage, message_label, show_message

if TYPE_CHECKING:
    from app.actions.reminder import ReminderStatus


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

    def _loaded(self, status: ReminderStatus) -> None:
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

    def _changed(self, status: ReminderStatus) -> None:
        self.box.setEnabled(True)
        # Plain words on the page; the technical reason ("systemctl --user cannot reach a
        # user session") behind Details.
        show_message(self.detail, status.detail, "info", detail=status.technical)

    def _failed(self, message: str) -> None:
        self.box.setEnabled(True)
        show_message(self.detail, message)


def _reminder(verb: str) -> ReminderStatus:
    from app.actions import reminder

    if verb == "on":
        return reminder.reminder_on()
    if verb == "off":
        return reminder.reminder_off()
    return reminder.reminder_status()


def add_reminder_switch(page: QWizardPage) -> None:
    """Put the reminder switch in the Check page's footer (its `add_footer_widget` hook);
    registered with `registry.extend_page` by app.gui.renew.flow.register."""
    add = getattr(page, "add_footer_widget", None)
    if callable(add) and isinstance(page, FlowPage):
        add(ReminderSwitch(page))
