"""GridCert's look, from what Qt provides: the platform's own widget style (Fusion only
where Linux has nothing better), a palette that follows the system's light or dark colour
scheme, QWizard's ModernStyle header band with GridCert's icon, and a larger page title.

Every colour a GridCert widget paints comes from the palette in use (`role_colour`), so a
dark palette gives dark-appropriate colours everywhere; the two palettes here are used on
Linux (Fusion) when the platform gives none for the scheme, and by `make screenshots`.
Sizes come from font metrics and pixmaps are rendered for the screen's device pixel
ratio, so nothing breaks at 200 %.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QLabel, QWidget, QWizard, QWizardPage

if TYPE_CHECKING:
    from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap

#: The title of a page: this many times the window's font (Qt's own header uses 1.0, bold).
TITLE_SCALE = 1.45
#: The header's icon: this many text lines high.
LOGO_LINES = 3.0
#: GridCert's blue (the icon's); the accent of the palettes below.
ACCENT_LIGHT = "#2f6db5"
ACCENT_DARK = "#3d7cc9"

TITLE_NAME = "wizard-title"
SUBTITLE_NAME = "wizard-subtitle"
LOGO_NAME = "wizard-logo"


# --- palettes ---------------------------------------------------------------------------


def is_dark(palette: QPalette) -> bool:
    from PySide6.QtGui import QPalette

    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _palette(colours: dict[str, str], disabled: dict[str, str]) -> QPalette:
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive,
                  QPalette.ColorGroup.Disabled):
        chosen = dict(colours)
        if group == QPalette.ColorGroup.Disabled:
            chosen.update(disabled)
        for role, value in chosen.items():
            palette.setColor(group, getattr(QPalette.ColorRole, role), QColor(value))
    return palette


def dark_palette() -> QPalette:
    """A dark palette in the manner of Windows 11's dark mode (text >= 7:1 on its
    backgrounds, quiet text >= 4.5:1)."""
    return _palette({
        # Base well above Window: Fusion outlines tick boxes and radio buttons with a
        # darker Window, so only a lighter Base makes them stand out on a dark palette.
        "Window": "#202020", "WindowText": "#f0f0f0", "Base": "#383838",
        "AlternateBase": "#404040", "Text": "#f0f0f0", "Button": "#2f2f2f",
        "ButtonText": "#f0f0f0", "BrightText": "#ffffff", "Light": "#4a4a4a",
        "Midlight": "#3a3a3a", "Mid": "#5a5a5a", "Dark": "#151515", "Shadow": "#000000",
        "Highlight": ACCENT_DARK, "HighlightedText": "#ffffff", "Link": "#8ab8ff",
        "LinkVisited": "#c2a8ff", "ToolTipBase": "#2b2b2b", "ToolTipText": "#f0f0f0",
        "PlaceholderText": "#a8a8a8", "Accent": ACCENT_DARK,
    }, {"WindowText": "#8a8a8a", "Text": "#8a8a8a", "ButtonText": "#8a8a8a",
        "Highlight": "#3a3a3a", "HighlightedText": "#8a8a8a"})


def light_palette() -> QPalette:
    """The light counterpart (Fusion's own light colours with GridCert's accent)."""
    return _palette({
        "Window": "#efefef", "WindowText": "#1a1a1a", "Base": "#ffffff",
        "AlternateBase": "#f5f5f5", "Text": "#1a1a1a", "Button": "#efefef",
        "ButtonText": "#1a1a1a", "BrightText": "#ffffff", "Light": "#ffffff",
        "Midlight": "#cacaca", "Mid": "#b8b8b8", "Dark": "#9f9f9f", "Shadow": "#767676",
        "Highlight": ACCENT_LIGHT, "HighlightedText": "#ffffff", "Link": "#0b57b4",
        "LinkVisited": "#6a3ab4", "ToolTipBase": "#ffffdc", "ToolTipText": "#1a1a1a",
        "PlaceholderText": "#6b6b6b", "Accent": ACCENT_LIGHT,
    }, {"WindowText": "#8c8c8c", "Text": "#8c8c8c", "ButtonText": "#8c8c8c",
        "Highlight": "#c8c8c8", "HighlightedText": "#8c8c8c"})


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio (1 to 21) of two opaque colours."""
    a, b = relative_luminance(first), relative_luminance(second)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def blend(front: QColor, back: QColor, amount: float) -> QColor:
    """`amount` of `front` over `back` (both from the palette: a quieter shade of one)."""
    from PySide6.QtGui import QColor

    return QColor.fromRgbF(
        front.redF() * amount + back.redF() * (1 - amount),
        front.greenF() * amount + back.greenF() * (1 - amount),
        front.blueF() * amount + back.blueF() * (1 - amount))


def _fusion_platform() -> bool:
    """Linux and the BSDs: Qt's Fusion is the widget style (no native one to keep)."""
    return not (sys.platform == "win32" or sys.platform == "darwin")


def apply_scheme(app: QApplication, dark: bool | None = None) -> None:
    """Give `app` the palette of the colour scheme: `dark` True/False forces one (the
    screenshots and tests), None follows the system (QStyleHints.colorScheme()).

    Windows and macOS keep their native style and its palette (Qt follows their dark mode
    itself); on Linux, Fusion gets the palette when the platform gave none that matches."""
    from PySide6.QtCore import Qt

    if dark is None:
        if not _fusion_platform():
            return
        scheme = app.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Unknown:
            return
        dark = scheme == Qt.ColorScheme.Dark
        if is_dark(app.palette()) == dark and not app.property("gridcert-palette"):
            return  # the platform's palette already matches the scheme
    app.setPalette(dark_palette() if dark else light_palette())
    app.setProperty("gridcert-palette", "dark" if dark else "light")


def follow_color_scheme(app: QApplication) -> None:
    """Apply the scheme now and again whenever the system switches (once per app)."""
    if app.property("gridcert-follows-scheme"):
        return
    app.setProperty("gridcert-follows-scheme", True)
    if _fusion_platform():
        apply_scheme(app)
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_scheme(app))


# --- the icon ---------------------------------------------------------------------------


def icon_folder() -> Path:
    """resources/icons/app, found as app.core.paths does (not imported from there: it
    pulls in platformdirs, and the window's icon is wanted before the first paint)."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent.parent
    return root / "resources" / "icons" / "app"


def app_icon() -> QIcon:
    """GridCert's icon in every size resources/icons/app has (an empty QIcon if none)."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    folder = icon_folder()
    if folder.is_dir():
        for candidate in sorted(folder.glob("gridcert-*.png")):
            icon.addFile(str(candidate))
    return icon


def logo_pixmap(widget: QWidget, lines: float = LOGO_LINES) -> QPixmap:
    """The icon `lines` text lines high in `widget`'s font, rendered for the device pixel
    ratio of its screen (sharp at 200 %)."""
    from PySide6.QtCore import QSize

    side = round(widget.fontMetrics().height() * lines)
    return app_icon().pixmap(QSize(side, side), widget.devicePixelRatioF())


def arrow_icon(widget: QWidget) -> QIcon:
    """The start page's command-link arrow in the palette's link colour, drawn for the
    widget's font size and screen scale (Fusion's own arrow is a fixed dark picture that
    disappears on a dark palette). A filled outline, not a stroked line: it needs none of
    the Qt namespace's enums, which cost start-up time (this is painted before the first
    page shows)."""
    from PySide6.QtCore import QPointF, QSize
    from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPixmap

    side = round(widget.fontMetrics().height() * 1.25)
    ratio = widget.devicePixelRatioF()
    pixmap = QPixmap(QSize(round(side * ratio), round(side * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s, t = side, max(1.5, side / 9) / 2  # half the stroke's thickness
    points = [(0.16, 0.5 - t / s), (0.62, 0.5 - t / s), (0.46, 0.29), (0.54, 0.22),
              (0.84, 0.5), (0.54, 0.78), (0.46, 0.71), (0.62, 0.5 + t / s),
              (0.16, 0.5 + t / s)]
    path = QPainterPath(QPointF(points[0][0] * s, points[0][1] * s))
    for x, y in points[1:]:
        path.lineTo(QPointF(x * s, y * s))
    path.closeSubpath()
    painter.fillPath(path, widget.palette().color(QPalette.ColorRole.Link))
    painter.end()
    return QIcon(pixmap)


# --- the wizard's header ----------------------------------------------------------------


def header_labels(wizard: QWizard) -> tuple[QLabel | None, QLabel | None]:
    """QWizard's own header title and subtitle labels (ModernStyle), named for tests and
    style; found as the labels outside every page whose text is the current page's.
    (Walked with children(), not findChildren(): that one's Qt-namespace option makes
    PySide build ~200 enums, which the first paint would wait for.)"""
    title = subtitle = None
    labels = list(_labels_outside_pages(wizard))
    for label in labels:
        if label.objectName() == TITLE_NAME:
            title = label
        elif label.objectName() == SUBTITLE_NAME:
            subtitle = label
    page = wizard.currentPage()
    if (title is None or subtitle is None) and page is not None and page.title():
        for label in labels:
            if title is None and label.text() == page.title():
                label.setObjectName(TITLE_NAME)
                title = label
            elif subtitle is None and page.subTitle() and label.text() == page.subTitle():
                label.setObjectName(SUBTITLE_NAME)
                subtitle = label
    return title, subtitle


def _labels_outside_pages(widget: QWidget) -> list[QLabel]:
    found: list[QLabel] = []
    for child in widget.children():
        if isinstance(child, QWizardPage) or not isinstance(child, QWidget):
            continue
        if isinstance(child, QLabel):
            found.append(child)
        found.extend(_labels_outside_pages(child))
    return found


def style_header(wizard: QWizard) -> None:
    """A readable header: the title larger than the body text and semi-bold, the
    subtitle in the body font. Font sizes are in points (they scale with the screen)."""
    from PySide6.QtGui import QFont

    title, subtitle = header_labels(wizard)
    if title is not None:
        font = QFont(wizard.font())
        font.setPointSizeF(wizard.font().pointSizeF() * TITLE_SCALE)
        font.setWeight(QFont.Weight.DemiBold)
        if title.font() != font:
            title.setFont(font)
        title.setAccessibleName(title.text())
    if subtitle is not None:
        subtitle.setAccessibleName(subtitle.text())


def current_app() -> QApplication | None:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else None
