"""`compare_with_installed`: is a certificate file newer than the one installed?

Renew refuses anything but a newer certificate without an explicit OK, and Install warns
when last year's .pfx goes in after a renewal; both use these verdicts and sentences.
"""

from __future__ import annotations

import datetime as dt

from app.core.freshness import compare_with_installed, same_holder
from app.core.model import CertificateItem
from tests.pki import NOW, make_leaf, make_pki, pooled_key

DAY = dt.timedelta(days=1)


def keyed(issued: object) -> CertificateItem:
    return CertificateItem(issued.cert, "x.pfx", private_key=issued.key)  # type: ignore[attr-defined]


def test_verdicts_and_sentences() -> None:
    pki = make_pki("Operator", "Jane Smith")
    installed = make_leaf(pki.intermediate, "Jane Smith", not_before=NOW - 300 * DAY,
                          not_after=NOW + 65 * DAY, key=pooled_key("rsa2048", 1))
    newer = make_leaf(pki.intermediate, "Jane Smith", not_before=NOW - DAY,
                      not_after=NOW + 364 * DAY, key=pooled_key("rsa2048", 2))
    older = make_leaf(pki.intermediate, "Jane Smith", not_before=NOW - 700 * DAY,
                      not_after=NOW + 10 * DAY, key=pooled_key("rsa2048", 3))
    expired = make_leaf(pki.intermediate, "Jane Smith", not_before=NOW - 800 * DAY,
                        not_after=NOW - 35 * DAY, key=pooled_key("rsa2048", 4))
    someone_else = make_leaf(pki.intermediate, "John Doe", not_after=NOW + 900 * DAY,
                             key=pooled_key("rsa2048", 7))
    stores = [keyed(installed), keyed(someone_else), CertificateItem(pki.root.cert, "r")]

    def day(moment: dt.datetime) -> str:
        return moment.date().isoformat()

    result = compare_with_installed(keyed(newer), stores, NOW)
    assert (result.verdict, result.acceptable) == ("newer", True)
    assert result.installed is not None and result.installed.sha256 == installed.sha256
    assert result.sentence == (
        f"This certificate is newer than the one installed: valid until "
        f"{day(newer.cert.not_valid_after_utc)} instead of "
        f"{day(installed.cert.not_valid_after_utc)}.")

    result = compare_with_installed(keyed(older), stores, NOW)
    assert (result.verdict, result.acceptable) == ("older", False)
    assert result.sentence == (
        f"This certificate ends on {day(older.cert.not_valid_after_utc)}, before the one "
        f"already installed (valid until {day(installed.cert.not_valid_after_utc)}): it is "
        "an older file, not your new certificate.")

    result = compare_with_installed(keyed(installed), stores, NOW)
    assert (result.verdict, result.acceptable) == ("equal", False)
    assert result.sentence.startswith("This is the certificate that is already installed")

    result = compare_with_installed(keyed(expired), [], NOW)
    assert (result.verdict, result.acceptable) == ("expired", False)
    assert result.sentence.startswith(
        f"This certificate expired on {day(expired.cert.not_valid_after_utc)}: it can no "
        "longer sign you in")

    result = compare_with_installed(keyed(newer), [keyed(someone_else)], NOW)
    assert (result.verdict, result.acceptable, result.installed) == (
        "nothing-installed", True, None)


def test_same_holder_is_same_subject_or_same_key() -> None:
    pki = make_pki("Operator", "Jane Smith")
    renamed = make_leaf(pki.intermediate, "Jane Smith-Jones", key=pki.leaf.key)
    assert same_holder(keyed(pki.leaf), keyed(renamed))  # same key, new name
    assert not same_holder(keyed(pki.leaf), CertificateItem(pki.intermediate.cert, "i"))
    assert not same_holder(keyed(pki.leaf),
                           keyed(make_leaf(pki.intermediate, "John Doe",
                                           key=pooled_key("rsa2048", 7))))
