"""Install, page 4 (*Where should they go?*): tick boxes for the detected browsers and
system stores, each with the store's full label (a Firefox profile's name, which Firefox,
and "(opens by default)"), and a line under it when it cannot be used, is busy, or is a
Firefox profile never started (GridCert creates its certificate database as Firefox would).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from app.gui import engine, navigation
from app.gui.base import FlowPage, message_label, show_message
from app.gui.install.common import clear_layout, scroll_area

if TYPE_CHECKING:
    from app.gui.wizard import GridCertWizard


class WherePage(FlowPage):
    page_id = navigation.WHERE

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Where should they go?"))
        self.setSubTitle(self.tr(
            "GridCert found these places on this computer. The usual ones are ticked."))
        layout = QVBoxLayout(self)
        self.status = message_label(name="where-status")
        layout.addWidget(self.status)
        inner = QWidget()
        self.list_box = QVBoxLayout(inner)
        self.list_box.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll_area(inner, "target-list"), 1)
        self.boxes: dict[str, QCheckBox] = {}
        self.infos: dict[str, engine.TargetInfo] = {}
        self._loaded = False

    def initializePage(self) -> None:
        if self._loaded:
            return
        show_message(self.status, self.tr("Looking for browsers and certificate stores…"),
                     "info")
        self.run(lambda _p: engine.detect_targets(), self._show, self._failed)

    def _failed(self, message: str) -> None:
        show_message(self.status, message)

    def _show(self, infos: list[engine.TargetInfo]) -> None:
        self._loaded = True
        clear_layout(self.list_box)
        self.boxes = {}
        self.infos = {info.id: info for info in infos}
        self.state.found_targets = self.infos
        chosen: list[str] = []
        for info in infos:
            box = QCheckBox(info.label)
            box.setObjectName(f"target:{info.id}")
            box.setAccessibleName(info.label)
            box.setEnabled(info.usable)
            box.setChecked(info.default and info.usable)
            if info.default and info.usable:
                chosen.append(info.id)
            box.toggled.connect(self._toggled)
            self.list_box.addWidget(box)
            self.boxes[info.id] = box
            detail = info.reason if not info.usable else info.busy
            kind = "info" if not info.usable else "warning"
            if not detail and info.usable and getattr(info.store, "started", True) is False:
                detail = self.tr(
                    "Firefox has not been started with this profile yet. If you tick it, "
                    "GridCert creates its certificate store the way Firefox would.")
                kind = "info"
            if detail:
                label = message_label(name="target-detail")
                show_message(label, detail, kind)
                label.setContentsMargins(24, 0, 0, 4)
                if not info.usable:
                    label.setEnabled(False)
                box.setAccessibleDescription(detail)
                self.list_box.addWidget(label)
        self.list_box.addStretch(1)
        self.state.targets = chosen
        self.state.forget_plan()
        if not infos:
            show_message(self.status, self.tr(
                "GridCert found no certificate store it can use on this computer."))
        else:
            show_message(self.status, None)
        self.refresh()

    def _toggled(self) -> None:
        self.state.targets = [tid for tid, box in self.boxes.items() if box.isChecked()]
        self.state.forget_plan()
        self.refresh()
