"""Install, page 2 (*Check what is in these files*): one card per certificate read from the
files (fingerprint, warnings, an Install-this tick), locked files and problems.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import engine, navigation
from app.gui.base import FlowPage, message_label, show_message, text_label
from app.gui.describe import (
    ItemView,
    count_phrase,
    describe_item,
    file_label,
    grouped_fingerprint,
    other_member_phrase,
)
from app.gui.install.common import clear_layout, scroll_area

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.core.reader import ReadResult
    from app.gui.wizard import GridCertWizard


class CertificateCard(QFrame):
    """One certificate on the Review page."""

    def __init__(self, view: ItemView, copy: Callable[[str], None], chosen: bool,
                 choose: Callable[[str, bool], None]) -> None:
        super().__init__()
        self.view = view
        self.setObjectName("certificate-card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{view.title}: {view.role}")
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        heading = text_label(f"{view.title} — {view.role}", bold=True, name="card-title")
        grid.addWidget(heading, 0, 0, 1, 2)
        # No mnemonic: every card has one of these, and a letter must be unique on a page.
        self.include = QCheckBox(self.tr("Install this"))
        self.include.setObjectName("include-certificate")
        self.include.setAccessibleName(self.tr("Install {name}, valid until {until}").format(
            name=view.title, until=view.valid_until))
        self.include.setChecked(chosen)
        self.include.toggled.connect(lambda on: choose(view.sha256, on))
        grid.addWidget(self.include, 0, 2, Qt.AlignmentFlag.AlignRight)
        rows = [("Issued to:", view.issued_to), ("Issued by:", view.issued_by),
                ("Valid until:", view.valid_until), ("From file:", file_label(view.source))]
        if view.catalog_phrase:
            rows.insert(0, ("Recognised:", view.catalog_phrase[0].upper()
                            + view.catalog_phrase[1:]))
        for row, (name, value) in enumerate(rows, start=1):
            key = QLabel(self.tr(name))
            key.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(key, row, 0)
            grid.addWidget(text_label(value, selectable=True), row, 1, 1, 2)
        row = len(rows) + 1
        grid.addWidget(QLabel(self.tr("SHA-256:")), row, 0,
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        fingerprint = text_label(grouped_fingerprint(view.sha256, 16), selectable=True,
                             name="fingerprint")
        fingerprint.setWordWrap(False)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        mono.setPointSizeF(max(7.0, fingerprint.font().pointSizeF() * 0.9))
        fingerprint.setFont(mono)
        grid.addWidget(fingerprint, row, 1)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setObjectName("copy-fingerprint")
        self.copy_button.setAccessibleName(self.tr("Copy the SHA-256 fingerprint of ")
                                           + view.title)
        self.copy_button.clicked.connect(lambda: copy(view.sha256_grouped))
        grid.addWidget(self.copy_button, row, 2, Qt.AlignmentFlag.AlignTop)
        for warning in view.warnings:
            row += 1
            label = message_label(name="certificate-warning")
            show_message(label, "⚠ " + warning, "warning")
            grid.addWidget(label, row, 0, 1, 3)


class ReviewPage(FlowPage):
    page_id = navigation.REVIEW

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Check what is in these files"))
        self.setSubTitle(self.tr(
            "Compare the roots' fingerprints with your operator's web page if you can. "
            "Nothing is installed yet."))
        layout = QVBoxLayout(self)
        self.status = message_label(name="review-status")
        layout.addWidget(self.status)
        inner = QWidget()
        self.cards = QVBoxLayout(inner)
        self.cards.setContentsMargins(0, 0, 0, 0)
        area = scroll_area(inner, "review-list")
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(area, 1)
        self.views: list[ItemView] = []

    def initializePage(self) -> None:
        clear_layout(self.cards)
        self.views = []
        show_message(self.status, self.tr("Reading the files…"), "info")
        files = list(self.state.files)

        def work(_progress: engine.Progress) -> tuple[ReadResult, list[ItemView]]:
            # Read without the typed passwords: which files are locked must not change
            # when the person goes back and forth.
            result = engine.read_files(files)
            cat = engine.catalog()
            views = [describe_item(item, result.items, engine.catalog_match(cat, item))
                     for item in result.items]
            return result, views

        self.run(work, self._show, self._failed)

    def _failed(self, message: str) -> None:
        show_message(self.status, message)

    def _show(self, outcome: tuple[ReadResult, list[ItemView]]) -> None:
        result, views = outcome
        self.state.read = result
        self.state.locked = [p.source for p in result.problems if p.needs_password]
        self.views = views
        clear_layout(self.cards)
        for view in views:
            if view.sha256 not in self.state.seen:
                # An expired certificate no longer works: left out unless the person
                # ticks it (then the Confirm page asks them to install it anyway).
                self.state.seen.add(view.sha256)
                if view.days_left < 0:
                    self.state.excluded.add(view.sha256)
            chosen = view.sha256 not in self.state.excluded
            self.cards.addWidget(CertificateCard(view, self._copy, chosen, self._choose))
        for source in self.state.locked:
            card = QFrame()
            card.setObjectName("locked-card")
            card.setFrameShape(QFrame.Shape.StyledPanel)
            box = QVBoxLayout(card)
            box.addWidget(text_label(
                self.tr("{name} — your certificate, locked with a password").format(
                    name=file_label(source)), bold=True, name="locked-title"))
            box.addWidget(text_label(self.tr(
                "You will type its password on the next page; then GridCert opens it.")))
            self.cards.addWidget(card)
        for problem in result.problems:
            if problem.needs_password:
                continue
            label = message_label(name="file-problem")
            show_message(label, "✖ " + problem.message + self.tr(" It will be left out."))
            self.cards.addWidget(label)
        for member in result.other_members:
            self.cards.addWidget(text_label(other_member_phrase(member), name="other-member"))
        self.cards.addStretch(1)
        if views or self.state.locked:
            self._summarise()
        else:
            show_message(self.status, self.tr(
                "Nothing to install: none of these files holds a certificate. Go Back and "
                "add the files you were sent."))
        self.refresh()

    def _summarise(self) -> None:
        parts = []
        if self.views:
            parts.append(count_phrase(len(self.views), "certificate"))
        if self.state.locked:
            parts.append(self.tr("{what} locked with a password").format(
                what=count_phrase(len(self.state.locked), "file")))
        summary = self.tr("Found {what}.").format(what=self.tr(" and ").join(parts))
        left_out = [v for v in self.views if v.sha256 in self.state.excluded]
        if left_out:
            summary += " " + self.tr(
                "{what} left out: tick 'Install this' on its card to install it after "
                "all.").format(what=count_phrase(len(left_out), "certificate"))
            if len(left_out) == len(self.views) and not self.state.locked:
                summary += " " + self.tr("Tick at least one to go on.")
        show_message(self.status, summary, "info")

    def _choose(self, sha256: str, chosen: bool) -> None:
        if chosen:
            self.state.excluded.discard(sha256)
        else:
            self.state.excluded.add(sha256)
        self.state.forget_plan()
        self._summarise()
        self.refresh()

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        show_message(self.status, self.tr("Fingerprint copied."), "info")
