"""Dates in the person's locale and times said as people say them (issue 13): "expires in
2 years" rather than "729 days left", days only within 60. The phrasing functions of
app/gui/describe.py are pure: the locale is a parameter."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QLocale

from app.core.model import CertificateItem
from app.gui import describe
from tests import pki

DECEMBER_4 = dt.datetime(2027, 12, 4, 15, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(("days", "words"), [
    (0, "expires today"),
    (1, "expires tomorrow"),
    (2, "expires in 2 days"),
    (45, "expires in 45 days"),
    (60, "expires in 60 days"),      # the last day said in days
    (61, "expires in 2 months"),
    (150, "expires in 5 months"),
    (400, "expires in 13 months"),
    (729, "expires in 2 years"),     # was "729 days left"
    (1100, "expires in 3 years"),
    (-1, "expired yesterday"),
    (-5, "expired 5 days ago"),
    (-90, "expired 3 months ago"),
    (-800, "expired 2 years ago"),
])
def test_time_left_in_words(days: int, words: str) -> None:
    assert describe.days_phrase(days) == words


def test_no_day_count_beyond_sixty_days() -> None:
    for days in range(61, 2000, 37):
        assert "day" not in describe.days_phrase(days), days
        assert "day" not in describe.days_phrase(-days), days


@pytest.mark.parametrize(("locale", "expected"), [
    ("en_US", "December 4, 2027"),
    ("en_GB", "4 December 2027"),
    ("de_DE", "4. Dezember 2027"),
    ("fr_FR", "4 décembre 2027"),
    ("es_ES", "4 de diciembre de 2027"),
    ("ja_JP", "2027年12月4日"),
])
def test_dates_in_the_locale_without_the_weekday(locale: str, expected: str) -> None:
    assert describe.local_date(DECEMBER_4, QLocale(locale)) == expected
    assert "dddd" not in describe.date_format(QLocale(locale))


def test_local_date_follows_the_default_locale_and_iso_stays_available() -> None:
    saved = QLocale()
    try:
        QLocale.setDefault(QLocale("de_DE"))
        root = pki.make_root("ERCOT CA", not_after=DECEMBER_4)
        view = describe.describe_item(CertificateItem(root.cert, "/tmp/root.cer"), [],
                                      at=DECEMBER_4 - dt.timedelta(days=729))
        assert view.valid_until == "4. Dezember 2027 (expires in 2 years)"
        assert view.valid_until_iso == "2027-12-04"
        assert describe.day(DECEMBER_4) == "2027-12-04"
    finally:
        QLocale.setDefault(saved)


def test_warning_dates_use_the_locale() -> None:
    saved = QLocale()
    try:
        QLocale.setDefault(QLocale("en_US"))
        root = pki.make_root("ERCOT CA", not_before=DECEMBER_4 - dt.timedelta(days=400),
                             not_after=DECEMBER_4)
        words = describe.warnings_for(CertificateItem(root.cert, "/tmp/root.cer"), [],
                                      at=DECEMBER_4 + dt.timedelta(days=3))
        assert words[0].startswith("Expired on December 4, 2027:")
    finally:
        QLocale.setDefault(saved)
