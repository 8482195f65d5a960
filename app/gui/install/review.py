"""Install, page 2 (*Check what is in these files*): one card per certificate read from the
files (trust badge, fingerprint, warnings, an Install-this tick), locked files and problems.

The trust badge (`Catalog.trust`) says how far a certificate is known to be an operator's,
in four looks that are never confused: ✓ **Verified** (the catalog pins its fingerprint),
ℹ **Name matches only** (compare the fingerprint with the operator's page, linked), ✗ **Not
the operator's certificate** (it has an operator's name but something the operator states
differs: never styled as the operator's, left out by default) and ⚠ **Unknown root** (on
no operator's list: install it only if your administrator told you to; left out by
default unless it issued your own certificate in these files).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import engine, navigation
from app.gui.base import FlowPage, message_label, show_message, text_label, tr
from app.gui.describe import (
    ItemView,
    count_phrase,
    describe_item,
    file_label,
    grouped_fingerprint,
    other_member_phrase,
)
from app.gui.install.common import clear_layout, scroll_area
from app.gui.widgets import ICON_SIZE, DetailsLink, Level, StatusChip, level_icon

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Sequence

    from app.core.catalog import TrustBadge, TrustLevel
    from app.core.model import CertificateItem
    from app.core.reader import ReadResult
    from app.gui.wizard import GridCertWizard

#: The look of each trust level: a colour and an icon (the chip's), never the same twice.
BADGE_LEVELS: dict[TrustLevel, Level] = {
    "pinned": "ok",
    "name": "info",
    "mismatch": "error",
    "unknown": "warning",
}


def shows_badge(badge: TrustBadge | None) -> bool:
    """Roots always get a badge (trusting one is the decision that matters); other
    certificates only when they carry an operator's name (verified, or borrowed)."""
    return badge is not None and (badge.role == "root" or badge.entry is not None)


def ticked_by_default(view: ItemView, badge: TrustBadge | None,
                      issuers_of_personal: set[str]) -> bool:
    """Whether 'Install this' starts ticked: not for an expired certificate (it no longer
    works), not for one that borrows an operator's name, and not for a root on no
    operator's list — unless that root issued a personal certificate in these same files
    (it came with the person's own certificate)."""
    if view.days_left < 0:
        return False
    if badge is None:
        return True
    if badge.level == "mismatch":
        return False
    if badge.level == "unknown" and badge.role == "root":
        return view.sha256 in issuers_of_personal
    return True


def same_name_roots(items: Sequence[CertificateItem],
                    badges: dict[str, TrustBadge | None]) -> set[str]:
    """SHA-256 of the roots in `items` that share their exact name with another, different
    root of these files that still works, and whose fingerprint no catalog pins: an
    impostor copies the name, never the key, and a name alone cannot tell the operator's
    from it, so none is ticked for them."""
    by_name: dict[bytes, set[str]] = {}
    for item in items:
        # An expired copy is left out anyway (the old file next to the current one, the
        # usual case): only roots that still work are told apart.
        if item.role == "root" and item.days_left() >= 0:
            key = item.certificate.subject.public_bytes()
            by_name.setdefault(key, set()).add(item.sha256)
    found: set[str] = set()
    for shas in by_name.values():
        if len(shas) > 1:
            found.update(sha for sha in shas if (badge := badges.get(sha)) is None
                         or badge.level != "pinned")
    return found


def same_name_warning(view: ItemView, badge: TrustBadge | None) -> str:
    """The sentence on each of two same-named roots."""
    operator = badge.entry.operator if badge is not None and badge.entry is not None else ""
    page = (tr("ReviewPage", "{operator}'s page").format(operator=operator) if operator
            else tr("ReviewPage", "your operator's page"))
    return tr("ReviewPage",
              "Another certificate in these files is also called '{name}' but has a "
              "different key: a copy can take the name, never the key. Compare both "
              "fingerprints with {page} and tick only what it lists.").format(
                  name=view.title, page=page)


def issuers_of_personal_certificates(items: Sequence[CertificateItem]) -> set[str]:
    """SHA-256 of the CA certificates in `items` above a personal certificate (with its
    key) of the same files."""
    from app.core.chain import find_chain

    found: set[str] = set()
    for item in items:
        if item.has_private_key and not item.is_ca:
            found.update(c.sha256 for c in find_chain(item, list(items))
                         if c.sha256 != item.sha256)
    return found


class TrustRow(QWidget):
    """The trust badge on a card: an icon and a chip in the level's colour, the badge's
    sentence, the operator's page as a link (name matches only) and the technical facts
    behind Details (a certificate that is not the operator's)."""

    def __init__(self, badge: TrustBadge, open_link: Callable[[str], None]) -> None:
        super().__init__()
        self.badge = badge
        self.setObjectName(f"trust-{badge.level}")
        level = BADGE_LEVELS[badge.level]
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 2)
        grid.setHorizontalSpacing(8)
        grid.setColumnStretch(1, 1)
        head = QHBoxLayout()
        self.icon = QLabel()
        self.icon.setObjectName("trust-icon")
        icon = level_icon(level, self.style())
        if not icon.isNull():
            self.icon.setPixmap(icon.pixmap(ICON_SIZE, ICON_SIZE))
        head.addWidget(self.icon)
        self.chip = StatusChip(level, badge.title, name="trust-badge")
        head.addWidget(self.chip)
        head.addStretch(1)
        grid.addLayout(head, 0, 0, 1, 2)
        self.sentence = text_label(badge.sentence, name="trust-sentence")
        grid.addWidget(self.sentence, 1, 0, 1, 2)
        line = 2
        self.link: QLabel | None = None
        if badge.level in ("name", "mismatch") and badge.link and badge.entry is not None:
            # Rich text only for the link itself; the operator's name comes from the
            # catalog (our own data), never from the certificate.
            words = (self.tr("Open {operator}'s page to compare the fingerprint")
                     if badge.level == "name" else
                     self.tr("Open {operator}'s page to get the right file"))
            self.link = QLabel(f'<a href="{badge.link}">'
                               f"{words.format(operator=badge.entry.operator)}</a>")
            self.link.setObjectName("trust-link")
            self.link.setTextFormat(Qt.TextFormat.RichText)
            self.link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                              | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            self.link.setToolTip(badge.link)
            self.link.setAccessibleName(words.format(operator=badge.entry.operator))
            self.link.linkActivated.connect(open_link)
            grid.addWidget(self.link, line, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
            line += 1
        self.detail: QLabel | None = None
        self.details_link: DetailsLink | None = None
        if badge.level == "mismatch" and badge.detail:
            self.detail = text_label(badge.detail, name="trust-detail", selectable=True)
            self.detail.setEnabled(False)
            self.details_link = DetailsLink(self.detail, name="trust-details-link")
            grid.addWidget(self.details_link, line, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(self.detail, line + 1, 0, 1, 2)
        self.setAccessibleName(f"{badge.title}: {badge.sentence}")


class CertificateCard(QFrame):
    """One certificate on the Review page."""

    def __init__(self, view: ItemView, copy: Callable[[str], None], chosen: bool,
                 choose: Callable[[str, bool], None], badge: TrustBadge | None = None,
                 open_link: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.view = view
        self.badge = badge
        self.setObjectName("certificate-card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        role = view.role
        if badge is not None and badge.level == "mismatch" and badge.entry is not None:
            # It only borrows the operator's name: the title must not lend it more.
            role = self.tr("not {operator}'s {kind}, though named like it").format(
                operator=badge.entry.operator, kind=badge.entry.kind)
            title = f"‘{view.title}’ — {role}"
        else:
            title = f"{view.title} — {role}"
        self.setAccessibleName(title)
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        heading = text_label(title, bold=True, name="card-title")
        grid.addWidget(heading, 0, 0, 1, 2)
        # No mnemonic: every card has one of these, and a letter must be unique on a page.
        self.include = QCheckBox(self.tr("Install this"))
        self.include.setObjectName("include-certificate")
        self.include.setAccessibleName(self.tr("Install {name}, valid until {until}").format(
            name=view.title, until=view.valid_until))
        self.include.setChecked(chosen)
        self.include.toggled.connect(lambda on: choose(view.sha256, on))
        grid.addWidget(self.include, 0, 2, Qt.AlignmentFlag.AlignRight)
        first = 1
        self.trust: TrustRow | None = None
        if badge is not None and shows_badge(badge):
            self.trust = TrustRow(badge, open_link or (lambda _url: None))
            grid.addWidget(self.trust, 1, 0, 1, 3)
            first = 2
        rows = [("Issued to:", view.issued_to), ("Issued by:", view.issued_by),
                ("Valid until:", view.valid_until), ("From file:", file_label(view.source))]
        for row, (name, value) in enumerate(rows, start=first):
            key = QLabel(self.tr(name))
            key.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(key, row, 0)
            grid.addWidget(text_label(value, selectable=True), row, 1, 1, 2)
        row = len(rows) + first
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


#: What the Review page's worker gives: the files read, a view per certificate, the trust
#: badge per SHA-256 (None without a catalog), and the issuers of personal certificates.
Described = tuple["ReadResult", list[ItemView], dict[str, "TrustBadge | None"], set[str]]


def describe_all(result: ReadResult) -> Described:
    """Everything the cards show about `result` (run in a worker: the catalog and the
    chain builder are imported here)."""
    cat = engine.catalog()
    views = [describe_item(item, result.items, engine.catalog_match(cat, item))
             for item in result.items]
    badges: dict[str, TrustBadge | None] = {}
    for item in result.items:
        try:
            badges[item.sha256] = cat.trust(item) if cat is not None else None
        except Exception:  # a catalog problem must not hide the certificate
            badges[item.sha256] = None
    return result, views, badges, issuers_of_personal_certificates(result.items)


def set_default_choice(state: navigation.WizardState, view: ItemView,
                       badge: TrustBadge | None, issuers: set[str],
                       same_name: Collection[str] = ()) -> None:
    """Tick or untick 'Install this' the first time a certificate is shown; the person's
    own choice is kept when they come back."""
    if view.sha256 in state.seen:
        return
    state.seen.add(view.sha256)
    if view.sha256 in same_name or not ticked_by_default(view, badge, issuers):
        state.excluded.add(view.sha256)


def review_subtitle(views: Sequence[ItemView], badges: dict[str, TrustBadge | None],
                    locked: bool) -> str:
    """What to do on the page, for what is on it: roots to compare, a certificate that is
    not the operator's, only personal certificates, or only locked files."""
    shown = [badges.get(v.sha256) for v in views]
    levels = {b.level for b in shown if b is not None and shows_badge(b)}
    parts: list[str] = []
    if "mismatch" in levels:
        parts.append(tr("ReviewPage", "A certificate here is not the operator's one it is "
                        "named after: it is left out unless you tick it."))
    if "name" in levels:
        parts.append(tr("ReviewPage", "Compare each root's fingerprint with your operator's "
                        "page (linked on its card) before you install it."))
    elif "unknown" in levels:
        parts.append(tr("ReviewPage", "Install a root that is on no operator's list only if "
                        "your administrator told you to."))
    elif levels == {"pinned"}:
        parts.append(tr("ReviewPage", "GridCert recognised the roots by their fingerprints."))
    if not parts:
        if views:
            parts.append(tr("ReviewPage", "Check that this is the certificate you expect."))
        elif locked:
            parts.append(tr("ReviewPage", "GridCert opens your certificate once you have "
                            "typed its password."))
    parts.append(tr("ReviewPage", "Nothing is installed yet."))
    return " ".join(parts)


class ReviewPage(FlowPage):
    page_id = navigation.REVIEW

    def __init__(self, wizard: GridCertWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Check what is in these files"))
        self.setSubTitle(self.tr("Nothing is installed yet."))
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
        self.badges: dict[str, TrustBadge | None] = {}

    def initializePage(self) -> None:
        clear_layout(self.cards)
        self.views = []
        show_message(self.status, self.tr("Reading the files…"), "info")
        files = list(self.state.files)

        def work(_progress: engine.Progress) -> Described:
            # Read without the typed passwords: which files are locked must not change
            # when the person goes back and forth.
            result = engine.read_files(files)
            return describe_all(result)

        self.run(work, self._show, self._failed)

    def _failed(self, message: str) -> None:
        show_message(self.status, message)

    def _show(self, outcome: Described) -> None:
        result, views, badges, issuers = outcome
        self.state.read = result
        self.state.locked = [p.source for p in result.problems if p.needs_password]
        self.views = views
        self.badges = badges
        clear_layout(self.cards)
        same_name = same_name_roots(result.items, badges)
        for view in views:
            badge = badges.get(view.sha256)
            if view.sha256 in same_name:
                view = replace(view, warnings=[same_name_warning(view, badge),
                                               *view.warnings])
            set_default_choice(self.state, view, badge, issuers, same_name)
            chosen = view.sha256 not in self.state.excluded
            self.cards.addWidget(CertificateCard(view, self._copy, chosen, self._choose,
                                                 badge, self._open_link))
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
        self.setSubTitle(review_subtitle(views, badges, bool(self.state.locked)))
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
            summary += " " + (self.tr(
                "1 certificate left out: tick 'Install this' on its card to install it "
                "after all.") if len(left_out) == 1 else self.tr(
                "{n} certificates left out: tick 'Install this' on their cards to install "
                "them after all.").format(n=len(left_out)))
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

    def _open_link(self, url: str) -> None:
        if not self.dialogs.open_url(url):
            show_message(self.status, self.tr("The page could not be opened: {url}").format(
                url=url))

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        show_message(self.status, self.tr("Fingerprint copied."), "info")
