"""Trust badges (`Catalog.trust`): verified, name matches only, not the operator's, unknown.

The three levels a person sees must never be confused: a certificate that only carries an
operator's name is not "verified", and one that has the name but contradicts what the
operator states (key size, dates, kind, pinned fingerprint) is flagged, not styled as the
operator's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.catalog import Catalog, TrustBadge, load_catalog, load_catalog_from
from app.core.errors import BadInputError
from app.core.model import CertificateItem
from tests.pki import make_intermediate, make_leaf, make_root, pooled_key

ERCOT_PAGE = "https://www.ercot.com/services/mdt/webservices/"


def item(issued: object) -> CertificateItem:
    return CertificateItem(issued.cert, "root.cer")  # type: ignore[attr-defined]


def catalog_with(tmp_path: Path, extra: str) -> Catalog:
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "x.toml").write_text(
        'operator = "ERCOT"\n\n[[entry]]\nid = "ercot-ca"\nname = "ERCOT CA"\n'
        'environment = "production"\npurpose = "client-root"\n'
        f'download_url = "{ERCOT_PAGE}"\nsubject_cn = "ERCOT CA"\n{extra}\n',
        encoding="utf-8",
    )
    return load_catalog_from(folder)


def test_name_only_badge_says_compare_with_the_operators_page() -> None:
    badge = load_catalog().trust(item(make_root("ERCOT CA", org="ERCOT")))
    assert badge.level == "name" and badge.match == "name"
    assert badge.title == "Name matches only"
    assert badge.link == ERCOT_PAGE
    assert badge.sentence == (
        "This has the name of the ERCOT CA (production) root, but nothing on record proves "
        "it is ERCOT's: compare its SHA-256 fingerprint with ERCOT's page before you "
        "install it."
    )
    assert "verified" not in badge.sentence.lower()
    assert badge.json() == {
        "id": "ercot-ca", "name": "ERCOT CA", "operator": "ERCOT",
        "environment": "production", "match": "name", "mismatch": None,
    }


def test_pinned_badge_is_verified(tmp_path: Path) -> None:
    root = make_root("ERCOT CA")
    badge = catalog_with(tmp_path, f'sha256 = "{root.sha256}"').trust(item(root))
    assert (badge.level, badge.match, badge.title) == ("pinned", "pinned", "Verified")
    assert badge.sentence == (
        "This is the ERCOT CA (production) root: its fingerprint matches the one GridCert "
        "has on record from ERCOT."
    )
    json = badge.json()
    assert json is not None and json["match"] == "pinned"


def test_unknown_root_says_ask_your_administrator() -> None:
    badge = load_catalog().trust(item(make_root("Some Other CA")))
    assert (badge.level, badge.match, badge.entry, badge.link) == ("unknown", None, None, None)
    assert badge.title == "Unknown root"
    assert badge.sentence == (
        "This root is not on your operator's list: install it only if your administrator "
        "told you to."
    )
    assert badge.json() is None
    assert badge.detail is None


def test_impostor_with_another_key_size_is_flagged_not_styled_as_ercots() -> None:
    # ERCOT's page calls it the "Production 2048 Client Root Certificate".
    assert load_catalog().by_id("ercot-ca").key_bits == 2048
    impostor = make_root("ERCOT CA", key=pooled_key("rsa3072", 0))
    catalog = load_catalog()
    badge = catalog.trust(item(impostor))
    assert badge.level == "mismatch" and badge.match is None
    assert badge.title == "Not ERCOT's certificate"
    assert badge.sentence == (
        "This has the name of the ERCOT CA (production) root, but its key is not the "
        "2048-bit key ERCOT states: it is not the certificate ERCOT publishes. Do not "
        "install it; get the file again from ERCOT's page."
    )
    assert badge.detail is not None and "RSA 3072" in badge.detail
    json = badge.json()
    assert json is not None and json["match"] is None and json["mismatch"] == badge.sentence
    assert catalog.match(item(impostor)) is None  # never "looks like the ERCOT CA"
    ec_impostor = make_root("ERCOT CA", key=pooled_key("ec-p256", 0))
    assert catalog.trust(item(ec_impostor)).level == "mismatch"


def test_impostor_with_other_dates_or_kind_is_flagged(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, "valid_from = 2023-05-01\nvalid_to = 2043-05-01")
    start = dt.datetime(2023, 5, 1, 12, tzinfo=dt.UTC)
    genuine = make_root("ERCOT CA", not_before=start,
                        not_after=dt.datetime(2043, 4, 30, 18, tzinfo=dt.UTC))
    assert catalog.trust(item(genuine)).level == "name"  # a day of slack (time zones)
    other_window = make_root("ERCOT CA", not_before=start,
                             not_after=dt.datetime(2033, 5, 1, tzinfo=dt.UTC))
    badge = catalog.trust(item(other_window))
    assert badge.level == "mismatch"
    assert ("its dates (2023-05-01 to 2033-05-01) are not the 2023-05-01 to 2043-05-01 "
            "ERCOT published") in badge.sentence
    # Named like the root, but an intermediate: not the root ERCOT publishes.
    other_root = make_root("Elsewhere Root")
    sub = make_intermediate(other_root, "ERCOT CA", not_before=start,
                            not_after=dt.datetime(2043, 5, 1, tzinfo=dt.UTC))
    badge = catalog.trust(item(sub))
    assert badge.level == "mismatch"
    assert "it is not a root certificate, and the real one is" in badge.sentence


def test_pinned_entry_name_with_other_fingerprint_is_a_mismatch(tmp_path: Path) -> None:
    genuine = make_root("ERCOT CA")
    impostor = make_root("ERCOT CA", key=pooled_key("rsa2048", 3))
    badge = catalog_with(tmp_path, f'sha256 = "{genuine.sha256}"').trust(item(impostor))
    assert badge.level == "mismatch"
    assert "its fingerprint is not the one ERCOT published" in badge.sentence
    assert badge.detail is not None and genuine.sha256 in badge.detail


def test_next_years_api_key_is_unknown_not_an_impostor() -> None:
    issuer = make_root("ERCOT Issuing")
    far = make_leaf(issuer, "misapi.ercot.com",
                    not_before=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
                    not_after=dt.datetime(2031, 1, 1, tzinfo=dt.UTC))
    badge = load_catalog().trust(item(far))
    assert badge.level == "unknown"
    assert badge.title == "Not on an operator's list"


def test_key_bits_must_be_a_size(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="'key_bits' = 'big', not a key size in bits"):
        catalog_with(tmp_path, 'key_bits = "big"')


def test_badge_is_a_value() -> None:
    badge = TrustBadge("unknown", "intermediate")
    assert badge.sentence == "This certificate is not on your operator's list."
