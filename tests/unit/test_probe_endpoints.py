"""The catalog's sign-in endpoints are well formed: https URLs, roots that exist in the
certificate catalog for the same operator and environment, honest `verified` flags; and the
reader refuses malformed entries with a sentence naming them."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from app.core.catalog import load_catalog
from app.core.endpoints import (
    by_url,
    catalog_endpoints,
    load_endpoints_from,
    normalize_url,
    parse_endpoints,
    twin,
)
from app.core.errors import BadInputError, UsageError


def test_every_catalog_endpoint_is_well_formed() -> None:
    endpoints = catalog_endpoints()
    catalog = load_catalog()
    assert len(endpoints) >= 6
    assert len({e.id for e in endpoints}) == len(endpoints)
    for endpoint in endpoints:
        parts = urllib.parse.urlsplit(endpoint.url)
        assert parts.scheme == "https" and parts.hostname, endpoint.id
        assert normalize_url(endpoint.url) == endpoint.url, endpoint.id
        assert endpoint.client_certificate, endpoint.id
        assert endpoint.roots, f"{endpoint.id} names no root its certificates chain to"
        for root_id in endpoint.roots:
            root = catalog.by_id(root_id)  # raises for an unknown id
            assert root.purpose in ("client-root", "issuing-ca"), (endpoint.id, root_id)
            assert root.operator == endpoint.operator, (endpoint.id, root_id)
            assert root.environment == endpoint.environment, (endpoint.id, root_id)
        assert endpoint.source.startswith("https://"), endpoint.id
        # The .wan names are the private network's.
        assert (endpoint.network == "private-wan") == (".wan." in endpoint.host), endpoint.id
        if endpoint.network == "private-wan":
            other = twin(endpoints, endpoint)
            assert other is not None and other.network == "internet", endpoint.id


def test_the_seeded_ercot_addresses_are_there_and_unconfirmed_ones_say_so() -> None:
    by_host = {e.host: e for e in catalog_endpoints()}
    for host in ("misapi.ercot.com", "api.wan.ercot.com", "testmisapi.ercot.com",
                 "testmisapi.wan.ercot.com", "markettrialsapi.ercot.com",
                 "testmarkettrialsapi.ercot.com", "markettrialsapi.wan.ercot.com",
                 "testmarkettrialsapi.wan.ercot.com", "mis.ercot.com"):
        assert host in by_host, host
    assert by_host["misapi.ercot.com"].verified
    assert by_host["misapi.ercot.com"].roots == ("ercot-ca",)
    assert by_host["testmisapi.ercot.com"].roots == ("ercot-test-ca",)
    for host in ("markettrialsapi.ercot.com", "testmarkettrialsapi.ercot.com",
                 "markettrialsapi.wan.ercot.com", "mis.ercot.com"):
        assert by_host[host].verified is False, host


def test_no_catalog_file_cites_a_path_on_a_developers_machine() -> None:
    """The catalog and the ICU filter cite public pages (and files in this repository),
    never a folder on the machine they were written on."""
    root = Path(__file__).resolve().parents[2]
    files = [*(root / "resources" / "catalog").glob("*.toml"), root / "installer" / "icu_filter.py"]
    assert len(files) >= 3
    local = re.compile(r"/work/|/home/|/Users/|\b[A-Z]:\\[A-Za-z]|\.\./shared|\bshared/")
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert local.findall(text) == [], path.name
        assert "https://" in text, path.name  # a public source is cited


@pytest.mark.parametrize(("text", "expected"), [
    ("misapi.ercot.com", "https://misapi.ercot.com/"),
    ("https://MISAPI.ercot.com", "https://misapi.ercot.com/"),
    ("https://host:443/x?y=1", "https://host/x?y=1"),
    ("host:8443", "https://host:8443/"),
    ("https://[::1]:4433/", "https://[::1]:4433/"),
    # A bare IPv6 address (as 'ip addr' or 'ipconfig' print it) was read as host ':' and a
    # port that is "not a number".
    ("::1", "https://[::1]/"),
    ("2001:db8::10", "https://[2001:db8::10]/"),
    ("[2001:db8::10]:8443", "https://[2001:db8::10]:8443/"),
])
def test_urls_are_normalized(text: str, expected: str) -> None:
    assert normalize_url(text) == expected


@pytest.mark.parametrize("text", ["http://misapi.ercot.com/", "https://", "https://h:99999/",
                                  "ftp://x/", "https://a b/"])
def test_urls_that_are_not_https_addresses_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        normalize_url(text)


def test_malformed_entries_are_refused_with_a_sentence(tmp_path: Path) -> None:
    good = {"id": "x", "url": "https://x.example/", "roots": ["r"]}
    assert parse_endpoints({"operator": "OP", "endpoint": [good]}, "f")[0].operator == "OP"
    for bad, words in [({**good, "url": "x.example"}, "in full"),
                       ({**good, "url": "http://x/"}, "https"),
                       ({**good, "verified": "yes"}, "true or false"),
                       ({**good, "environment": "staging"}, "production, test"),
                       ({**good, "roots": "r"}, "list"),
                       ({"url": "https://x/"}, "'id'")]:
        with pytest.raises(BadInputError) as raised:
            parse_endpoints({"operator": "OP", "endpoint": [bad]}, "The file f")
        assert words in str(raised.value), bad
    (tmp_path / "a.toml").write_text('operator = "A"\n[[endpoint]]\nid = "dup"\n'
                                     'url = "https://a.example/"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('operator = "B"\n[[endpoint]]\nid = "dup"\n'
                                     'url = "https://b.example/"\n', encoding="utf-8")
    with pytest.raises(BadInputError, match="repeats the endpoint id 'dup'"):
        load_endpoints_from(tmp_path)


def test_by_url_matches_host_and_port_not_path() -> None:
    endpoints = catalog_endpoints()
    found = by_url(endpoints, "https://misapi.ercot.com/NodalAPI/EWS/")
    assert found is not None and found.id == "ercot-ews-prod"
    assert by_url(endpoints, "https://misapi.ercot.com:8443/") is None
