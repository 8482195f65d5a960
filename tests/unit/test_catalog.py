"""The operators' catalog: the bundled data, matching, pins, and bad catalog files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from app.core.catalog import (
    ENVIRONMENTS,
    PURPOSES,
    STATUSES,
    Catalog,
    load_catalog,
    load_catalog_from,
    normalize_fingerprint,
)
from app.core.errors import BadInputError, PinMismatchError, UsageError
from app.core.model import CertificateItem, certificate_json
from tests.pki import make_leaf, make_root, pooled_key


def item(cert: object, source: str = "root.pem") -> CertificateItem:
    return CertificateItem(cert, source)  # type: ignore[arg-type]


def utc(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, tzinfo=dt.UTC)


# --- the bundled data ---------------------------------------------------------------


def test_bundled_catalog_has_every_published_certificate() -> None:
    catalog = load_catalog()
    ids = {entry.id for entry in catalog.entries}
    assert {
        "ercot-ca", "ercot-test-ca",
        "ercot-api-ews-2024", "ercot-api-ews-2025",
        "ercot-api-mote-2024", "ercot-api-mote-2025",
        "ercot-notifications-2024",
        "ercot-rtcb-markettrials-2025", "ercot-test-markettrials-2025",
        "caiso-issuing-ca", "caiso-entrust-rig-intermediate", "caiso-entrust-rig-root",
        "caiso-cybertrust-issuing-sha2", "caiso-cybertrust-root-sha2",
    } <= ids
    assert set(catalog.operators()) == {"ERCOT", "CAISO"}
    assert load_catalog() is catalog  # cached


def test_bundled_entries_are_well_formed() -> None:
    for entry in load_catalog().entries:
        assert entry.environment in ENVIRONMENTS
        assert entry.purpose in PURPOSES
        assert entry.status in STATUSES
        assert entry.download_url.startswith("https://")
        assert entry.sha256 is None  # no fingerprint is known yet
        if entry.valid_from and entry.valid_to:
            assert entry.valid_from < entry.valid_to


def test_bundled_windows_and_end_of_life_are_the_published_ones() -> None:
    catalog = load_catalog()
    ews = catalog.by_id("ercot-api-ews-2025")
    assert (ews.valid_from, ews.valid_to) == (dt.date(2025, 2, 7), dt.date(2026, 3, 11))
    mote = catalog.by_id("ercot-api-mote-2024")
    assert (mote.valid_from, mote.valid_to) == (dt.date(2024, 1, 29), dt.date(2025, 3, 1))
    assert catalog.by_id("ercot-api-ews-2024").purpose == "api-signing-key"
    assert not catalog.by_id("ercot-api-ews-2024").browser_trust
    assert catalog.by_id("ercot-ca").browser_trust
    assert catalog.by_id("ercot-test-ca").environment == "test"
    cybertrust = catalog.by_id("caiso-cybertrust-root-sha2")
    assert cybertrust.status == "end-of-life"
    assert cybertrust.end_of_life == dt.date(2024, 11, 1)
    sentence = cybertrust.status_sentence()
    assert sentence is not None and "end of life since 2024-11-01" in sentence
    assert [e.operator for e in catalog.for_operator("ercot")] == ["ERCOT"] * len(
        catalog.for_operator("ERCOT")
    )
    assert len(catalog.for_operator("ERCOT")) == 9


def test_by_id_unknown_is_a_sentence() -> None:
    with pytest.raises(UsageError) as caught:
        load_catalog().by_id("nope")
    assert str(caught.value) == "There is no catalog entry 'nope'."


# --- matching -------------------------------------------------------------------------


def test_factory_cert_named_ercot_ca_looks_like_the_production_root() -> None:
    root = make_root("ERCOT CA", org="ERCOT")
    match = load_catalog().match(item(root.cert))
    assert match is not None
    assert match.entry.id == "ercot-ca"
    assert not match.pinned
    badge = load_catalog().trust(item(root.cert))
    assert badge.level == "name" and badge.title == "Name matches only"
    assert badge.sentence.startswith("This has the name of the ERCOT CA (production) root, "
                                     "but nothing on record proves it is ERCOT's")
    assert match.json() == {
        "id": "ercot-ca", "name": "ERCOT CA", "operator": "ERCOT", "environment": "production",
        "match": "name", "mismatch": None,
    }
    as_json = certificate_json(item(root.cert), match.json())
    assert as_json["catalog"]["operator"] == "ERCOT"


def test_cn_match_ignores_case_spaces_and_dashes() -> None:
    catalog = load_catalog()
    test_root = make_root("  ercot   test ca ")
    match = catalog.match(item(test_root.cert))
    assert match is not None and match.entry.id == "ercot-test-ca"
    cybertrust = make_root("CyberTrust ISO Issuing Root – SHA2")  # en dash, as CAISO writes it
    match = catalog.match(item(cybertrust.cert))
    assert match is not None and match.entry.id == "caiso-cybertrust-root-sha2"


def test_unrelated_certificate_matches_nothing() -> None:
    assert load_catalog().match(item(make_root("Some Other CA").cert)) is None


def test_yearly_api_key_matched_by_its_window() -> None:
    catalog = load_catalog()
    issuer = make_root("ERCOT Issuing")
    old = make_leaf(issuer, "misapi.ercot.com", not_before=utc(2024, 1, 31),
                    not_after=utc(2025, 3, 3))
    new = make_leaf(issuer, "misapi.ercot.com", not_before=utc(2025, 2, 7),
                    not_after=utc(2026, 3, 11))
    far = make_leaf(issuer, "misapi.ercot.com", not_before=utc(2030, 1, 1),
                    not_after=utc(2031, 1, 1))
    old_match = catalog.match(item(old.cert))
    new_match = catalog.match(item(new.cert))
    assert old_match is not None and old_match.entry.id == "ercot-api-ews-2024"
    assert new_match is not None and new_match.entry.id == "ercot-api-ews-2025"
    assert catalog.match(item(far.cert)) is None  # outside every known window


def test_entry_without_subject_cn_never_matches_by_name() -> None:
    catalog = load_catalog()
    assert catalog.by_id("ercot-notifications-2024").subject_cn == ""
    no_cn = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ERCOT")])
    assert catalog.match(item(make_root(subject=no_cn).cert)) is None


# --- pins (temporary catalogs) --------------------------------------------------------


def write_catalog(folder: Path, body: str, name: str = "test.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def pinned_catalog(tmp_path: Path, sha256: str) -> Catalog:
    write_catalog(
        tmp_path / "cat",
        f"""
operator = "ERCOT"

[[entry]]
id = "ercot-ca"
name = "ERCOT CA"
environment = "production"
purpose = "client-root"
download_url = "https://www.ercot.com/services/mdt/webservices/"
subject_cn = "ERCOT CA"
sha256 = "{sha256}"
""",
    )
    return load_catalog_from(tmp_path / "cat")


def test_pinned_fingerprint_match_is_verified(tmp_path: Path) -> None:
    root = make_root("ERCOT CA")
    colon_form = ":".join(root.sha256[i:i + 2] for i in range(0, 64, 2)).upper()
    catalog = pinned_catalog(tmp_path, colon_form)
    assert catalog.by_id("ercot-ca").sha256 == root.sha256
    match = catalog.match(item(root.cert))
    assert match is not None and match.pinned
    badge = catalog.trust(item(root.cert))
    assert badge.level == "pinned" and badge.title == "Verified"
    assert badge.sentence.startswith("This is the ERCOT CA (production) root: its fingerprint "
                                     "matches")
    catalog.check_pin(item(root.cert))  # no error


def test_pin_mismatch_stops_with_a_sentence(tmp_path: Path) -> None:
    genuine = make_root("ERCOT CA")
    impostor = make_root("ERCOT CA", key=pooled_key("rsa2048", 3))
    catalog = pinned_catalog(tmp_path, genuine.sha256)
    suspect = item(impostor.cert, "/downloads/ercot.cer")
    assert catalog.match(suspect) is None  # not "looks like": it is known not to be
    with pytest.raises(PinMismatchError) as caught:
        catalog.check_pin(suspect)
    message = str(caught.value)
    assert message == (
        f"'ERCOT CA' from /downloads/ercot.cer has the name of the ERCOT CA (production) "
        f"root, but its SHA-256 fingerprint {impostor.sha256} is not the published "
        f"{genuine.sha256}; it was not installed — get the file again from ERCOT's page "
        "(https://www.ercot.com/services/mdt/webservices/)."
    )
    assert caught.value.exit_code == 3


def test_check_pin_ignores_unpinned_and_unrelated(tmp_path: Path) -> None:
    load_catalog().check_pin(item(make_root("ERCOT CA").cert))  # nothing pinned: no error
    catalog = pinned_catalog(tmp_path, make_root("ERCOT CA").sha256)
    catalog.check_pin(item(make_root("Other CA").cert))


def test_status_derived_from_dates(tmp_path: Path) -> None:
    write_catalog(
        tmp_path / "cat",
        """
operator = "X"

[[entry]]
id = "old-key"
name = "Old key"
environment = "test"
purpose = "api-signing-key"
download_url = "https://example.org/"
valid_from = 2020-01-01
valid_to = 2021-01-01
status = "active"

[[entry]]
id = "eol-soon"
name = "Soon"
environment = "production"
purpose = "client-root"
download_url = "https://example.org/"
end_of_life = 2030-06-01
""",
    )
    before = load_catalog_from(tmp_path / "cat", today=dt.date(2030, 5, 31))
    after = load_catalog_from(tmp_path / "cat", today=dt.date(2030, 6, 1))
    assert before.by_id("old-key").status == "expired"
    assert before.by_id("eol-soon").status == "active"
    assert after.by_id("eol-soon").status == "end-of-life"
    sentence = before.by_id("old-key").status_sentence()
    assert sentence == "the Old key (test) API signing key expired on 2021-01-01"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('operator = "X"\n[[entry]]\nid = "a"\nname = "A"\nenvironment = "prod"\n'
         'purpose = "client-root"\ndownload_url = "https://x/"\n',
         "(entry 'a') has 'environment' = 'prod'; expected one of production, test."),
        ('operator = "X"\n[[entry]]\nid = "a"\nname = "A"\nenvironment = "test"\n'
         'purpose = "client-root"\ndownload_url = "https://x/"\nsha256 = "abc"\n',
         "(entry 'a') has a sha256 that is not 64 hex digits."),
        ('operator = "X"\n[[entry]]\nid = "a"\nname = "A"\nenvironment = "test"\n'
         'purpose = "client-root"\ndownload_url = "https://x/"\nvalid_to = "soon"\n',
         "(entry 'a') has 'valid_to' = 'soon', not a date."),
        ('operator = "X"\n[[entry]]\nname = "A"\n', "lacks a text 'id'."),
        ("operator = [", "cannot be read"),
    ],
)
def test_bad_catalog_file_names_file_and_problem(
    tmp_path: Path, body: str, expected: str
) -> None:
    path = write_catalog(tmp_path / "cat", body)
    with pytest.raises(BadInputError) as caught:
        load_catalog_from(tmp_path / "cat")
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_duplicate_ids_across_files_refused(tmp_path: Path) -> None:
    entry = ('[[entry]]\nid = "a"\nname = "A"\nenvironment = "test"\n'
             'purpose = "client-root"\ndownload_url = "https://x/"\n')
    write_catalog(tmp_path / "cat", 'operator = "X"\n' + entry, "a.toml")
    write_catalog(tmp_path / "cat", 'operator = "Y"\n' + entry, "b.toml")
    with pytest.raises(BadInputError, match="repeats the entry id 'a'"):
        load_catalog_from(tmp_path / "cat")


def test_normalize_fingerprint() -> None:
    assert normalize_fingerprint("AB:cd 01") == "abcd01"
