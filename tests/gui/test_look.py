"""The look (issue 13, "A look people trust"): a header band with the page's title (larger
than the body text) and GridCert's icon on every page, a step indicator that says where
the person is ("Step 3 of 5: Where"), palette colours that stay readable on a dark
palette, and the start page's arrows in the palette's link colour."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWizard

from app.gui import navigation as nav
from app.gui import steps, style
from app.gui.stepper import StepIndicator
from app.gui.wizard import GridCertWizard
from tests.gui.conftest import Answers, Driver
from tests.gui.flows import only_browsers, start_job, through_password, to_confirm, to_review
from tests.gui.scene import Desk

TIMEOUT = 60000


def header_of(wizard: GridCertWizard) -> tuple[str, float]:
    """The header's title as shown, and its size relative to the window's body text."""
    title, _subtitle = style.header_labels(wizard)
    assert title is not None, "no header title"
    assert title.isVisible()
    return title.text(), title.font().pointSizeF() / wizard.font().pointSizeF()


def assert_page_look(wizard: GridCertWizard, summary: str) -> None:
    text, scale = header_of(wizard)
    assert text == wizard.currentPage().title()
    assert scale >= 1.3  # was the body size, bold
    assert wizard.step_summary() == summary
    assert wizard.stepper.accessibleName() == summary
    logo = wizard.pixmap(QWizard.WizardPixmap.LogoPixmap)
    assert not logo.isNull()
    # Sized from the font (about three lines of text), whatever the screen's scale.
    assert logo.deviceIndependentSize().height() == pytest.approx(
        wizard.fontMetrics().height() * style.LOGO_LINES, abs=1)


def test_install_pages_say_their_step(driver: Driver, desk: Desk, answers: Answers) -> None:
    wizard = driver.wizard
    # Start: the header band, no steps (no job yet).
    assert wizard.wizardStyle() == QWizard.WizardStyle.ModernStyle
    assert header_of(wizard)[0] == "What would you like to do?"
    assert not wizard.stepper.isVisible() and wizard.step_summary() == ""
    to_review(driver, answers, [desk.zip_path, desk.pfx_path])
    assert_page_look(wizard, "Step 1 of 5: Files")
    wizard.back()
    driver.wait_page(nav.ADD_FILES)
    assert_page_look(wizard, "Step 1 of 5: Files")
    wizard.next()
    driver.wait_page(nav.REVIEW)
    driver.wait_idle()
    through_password(driver)
    assert_page_look(wizard, "Step 3 of 5: Where")
    wizard.back()
    driver.wait_page(nav.PASSWORD)
    assert_page_look(wizard, "Step 2 of 5: Password")
    assert "Password, current step" in wizard.stepper.accessibleDescription()
    assert "Files, done" in wizard.stepper.accessibleDescription()
    wizard.next()
    driver.wait_page(nav.WHERE)
    driver.wait_idle()
    only_browsers(driver)
    to_confirm(driver)
    assert_page_look(wizard, "Step 4 of 5: Confirm")
    driver.commit()
    driver.wait_page(nav.DONE)
    driver.wait_idle()
    assert_page_look(wizard, "Step 5 of 5: Done")
    # The title set after the run is the one in the header band.
    assert header_of(wizard)[0] == wizard.currentPage().title()


def test_other_jobs_show_their_own_steps(driver: Driver) -> None:
    wizard = driver.wizard
    start_job(driver, "move")
    driver.wait_page("move-what")
    driver.wait_idle()
    assert wizard.stepper.isVisible()
    assert wizard.stepper.names()[0] == "Certificate"
    assert wizard.stepper.names()[-1] == "Done"
    assert wizard.step_summary().startswith("Step 1 of ")
    assert wizard.step_summary().endswith(": Certificate")
    assert header_of(wizard)[0] == wizard.currentPage().title()

    wizard.restart()
    start_job(driver, "renew")
    driver.wait_page("renew-how")
    driver.wait_idle()
    assert wizard.step_summary().endswith(": Choose")
    assert wizard.stepper.names()[-1] == "Done"

    wizard.restart()
    start_job(driver, "check")
    driver.wait_page(nav.CHECK)
    driver.wait_idle()
    # One page, one step: no indicator, but the header band is there.
    assert not wizard.stepper.isVisible()
    assert header_of(wizard)[0] == wizard.currentPage().title()


def test_steps_of_pages_a_flow_adds_later() -> None:
    """A page another part adds (a confirm page in renew) gets a step from its id; an
    unknown one joins the step before it, so the indicator never breaks."""
    assert steps.step_of("renew-confirm") == steps.CONFIRM
    assert steps.step_of("move-confirm") == steps.CONFIRM
    assert steps.step_of("something-new") is None
    flow = nav.Flow("look-test", "Test", "", (
        nav.PageRule("look-a"), nav.PageRule("look-where"), nav.PageRule("look-extra"),
        nav.PageRule("look-confirm"), nav.PageRule("look-run"), nav.PageRule("look-done")))
    nav.register_flow(flow)
    try:
        state = nav.WizardState(job="look-test")
        found = steps.steps_for(state, "look-extra")
        assert found.names == ["Where", "Confirm", "Done"]
        assert found.current == 0
        assert steps.steps_for(state, "look-done").current == 2
    finally:
        nav.unregister_flow("look-test")


def test_password_step_is_expected_for_a_pfx_and_dropped_when_not_needed() -> None:
    state = nav.WizardState(job="install", files=["/d/roots.zip"])
    assert steps.steps_for(state, nav.ADD_FILES).names == ["Files", "Where", "Confirm", "Done"]
    state.files.append("/d/0123456789012$JSMITH.pfx")
    assert steps.steps_for(state, nav.ADD_FILES).names == [
        "Files", "Password", "Where", "Confirm", "Done"]
    state.locked = ["/d/0123456789012$JSMITH.pfx"]
    assert steps.steps_for(state, nav.WHERE).current == 2


# --- colours ------------------------------------------------------------------------------


def _luminance_dark(colour: QColor) -> bool:
    return colour.lightness() < 128


@pytest.mark.parametrize("dark", [False, True])
def test_widgets_take_their_colours_from_the_palette(qtbot, answers: Answers,
                                                     dark: bool) -> None:
    palette = style.dark_palette() if dark else style.light_palette()
    window = GridCertWizard(dialogs=answers)
    window.setPalette(palette)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.state.files = ["/d/ERCOT_CA_Production_2048_Client_Root.zip", "/d/J.pfx"]
    window.start_job("install")
    qtbot.waitUntil(lambda: window.current_page_id() == nav.ADD_FILES)
    qtbot.waitUntil(window.stepper.isVisible)

    # The step indicator: background of the scheme; text >= 7:1, quiet text >= 4.5:1,
    # the numeral on the accent dot >= 3:1 (bold, a graphical object).
    colours = window.stepper.colours()
    assert _luminance_dark(colours["background"]) is dark
    assert style.contrast_ratio(colours["text"], colours["background"]) >= 7
    assert style.contrast_ratio(colours["quiet"], colours["background"]) >= 4.5
    assert style.contrast_ratio(colours["on-accent"], colours["accent"]) >= 3
    # What is painted is that: a corner of the indicator has the background colour.
    image = window.stepper.grab().toImage()
    corner = image.pixelColor(image.width() - 2, image.height() - 2)
    assert _luminance_dark(corner) is dark

    # The header band: its title readable on its background.
    title, subtitle = style.header_labels(window)
    assert title is not None and subtitle is not None
    band = title.parentWidget()
    assert band is not None
    background = band.palette().color(band.backgroundRole())
    assert _luminance_dark(background) is dark
    for label in (title, subtitle):
        text = label.palette().color(label.foregroundRole())
        assert style.contrast_ratio(text, background) >= 7, label.objectName()

    # The drop zone: dashed border >= 3:1 on its fill (a graphical object), idle and lit.
    page = window.currentPage()
    zone = page.drop_zone
    for lit in (False, True):
        zone.set_dragging(lit)
        zone_colours = zone.colours()
        fill, border = zone_colours["fill"], zone_colours["border"]
        assert _luminance_dark(fill) is dark
        assert style.contrast_ratio(border, fill) >= 3, lit
        headline = zone.headline.palette().color(zone.headline.foregroundRole())
        assert style.contrast_ratio(headline, fill) >= 7
    zone.set_dragging(False)
    inside = zone.grab().toImage()
    assert _luminance_dark(inside.pixelColor(inside.width() // 2, 6)) is dark


@pytest.mark.parametrize("dark", [False, True])
def test_start_page_arrows_are_drawn_in_the_link_colour(qtbot, answers: Answers,
                                                        dark: bool) -> None:
    """Dark: at once (Fusion's black triangle would vanish). Light, on Fusion: once the
    window is up (main calls set_icon after the first paint)."""
    window = GridCertWizard(dialogs=answers)
    window.setPalette(style.dark_palette() if dark else style.light_palette())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    if not dark:
        assert window.style().name().lower() == "fusion"  # Linux, where this runs
        window.set_icon()
    start = window.page_by_name(nav.START)
    button = start.buttons["install"]
    image: QImage = button.icon().pixmap(button.iconSize()).toImage()
    opaque = [image.pixelColor(x, y) for x in range(image.width())
              for y in range(image.height()) if image.pixelColor(x, y).alpha() == 255]
    assert opaque, "the arrow is empty"
    link = window.palette().color(QPalette.ColorRole.Link)
    assert all(colour.rgb() == link.rgb() for colour in opaque)
    assert _luminance_dark(link) is not dark  # a light arrow on the dark palette


def test_dark_scheme_is_followed_on_linux(qtbot) -> None:
    """apply_scheme(dark=True) gives a dark palette (what Linux gets when the system's
    scheme is dark); False brings the light one back."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = app.palette()
    try:
        style.apply_scheme(app, True)
        assert style.is_dark(app.palette())
        style.apply_scheme(app, False)
        assert not style.is_dark(app.palette())
    finally:
        app.setPalette(saved)
        app.setProperty("gridcert-palette", None)


def test_step_indicator_is_measured_in_font_metrics(qtbot) -> None:
    """Twice the font, about twice the size: nothing is in fixed pixels (200 % screens)."""
    small = StepIndicator()
    big = StepIndicator()
    font = small.font()
    font.setPointSizeF(9)
    small.setFont(font)
    font.setPointSizeF(18)
    big.setFont(font)
    for widget in (small, big):
        qtbot.addWidget(widget)
        widget.set_steps(["Files", "Password", "Where", "Confirm", "Done"], 2)
    assert big.sizeHint().height() == pytest.approx(small.sizeHint().height() * 2, rel=0.15)
    assert big.sizeHint().width() == pytest.approx(small.sizeHint().width() * 2, rel=0.2)
    assert small.summary() == "Step 3 of 5: Where"


def test_app_icon_has_every_size() -> None:
    icon = style.app_icon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 24, 32, 48, 256} <= sizes


def test_no_colour_is_hard_coded_in_the_look_modules() -> None:
    """The look's widgets paint from the palette; hex colours live only in the two
    palettes of app/gui/style.py."""
    root = Path(__file__).resolve().parents[2] / "app" / "gui"
    for module in ("stepper.py", "steps.py", "install/files.py", "wizard.py"):
        text = (root / module).read_text(encoding="utf-8")
        assert re.findall(r"[\"']#[0-9a-fA-F]{3,8}[\"']", text) == [], module
        assert "QColor(\"" not in text and "GlobalColor.white" not in text, module


_AT_200_PERCENT = """
import json
from PySide6.QtWidgets import QApplication, QWizard
app = QApplication([])
from app.gui import style
from app.gui.wizard import GridCertWizard
wizard = GridCertWizard()
wizard.show()
for _ in range(20):
    app.processEvents()
logo = wizard.pixmap(QWizard.WizardPixmap.LogoPixmap)
start = wizard.currentPage()
start.paint_arrows(light_too=True)
button = next(iter(start.buttons.values()))
arrow = button.icon().pixmap(button.iconSize(), wizard.devicePixelRatioF())
print(json.dumps({
    "screen": wizard.devicePixelRatioF(),
    "logo_ratio": logo.devicePixelRatio(),
    "logo_pixels": logo.width(),
    "logo_side": round(wizard.fontMetrics().height() * style.LOGO_LINES),
    "arrow_ratio": arrow.devicePixelRatio(),
    "arrow_pixels": arrow.width(),
    "arrow_side": button.iconSize().width(),
}))
"""


def test_header_icon_and_arrows_are_sharp_at_200_percent() -> None:
    """On a 200 % screen (QT_SCALE_FACTOR=2, as Windows' display scaling gives Qt) the
    header's icon and the start page's arrows are drawn with twice the pixels, not
    blown up from a 100 % picture."""
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    done = subprocess.run([sys.executable, "-c", _AT_200_PERCENT], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["screen"] == 2.0
    assert seen["logo_ratio"] == 2.0 and seen["logo_pixels"] == 2 * seen["logo_side"]
    assert seen["arrow_ratio"] == 2.0 and seen["arrow_pixels"] == 2 * seen["arrow_side"]
