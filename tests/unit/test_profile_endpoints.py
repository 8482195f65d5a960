"""Deployment profiles' `endpoints` (issue 14: "a deployment profile can add a URL"): how
they are read and checked, and how the sign-in test's list of addresses includes them once
the profile has been applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.actions.probe import (
    endpoints_for_certificate,
    known_endpoints,
    profile_endpoints_path,
    remember_endpoint,
    save_profile_endpoints,
)
from app.actions.profile import load_profile
from app.core.errors import UsageError
from app.core.model import CertificateItem
from tests import pki

BASE = 'files = ["client.pfx"]\n'


def write_profile(folder: Path, text: str) -> Path:
    path = folder / "site.toml"
    path.write_text(BASE + text, encoding="utf-8")
    return path


def test_endpoints_as_addresses_and_tables(tmp_path: Path) -> None:
    profile = load_profile(write_profile(tmp_path, (
        'endpoints = ["https://gateway.example.com/ercot",\n'
        '  { url = "https://test-gw.example.com:8443/", name = "Our MOTE gateway", '
        'operator = "ERCOT", environment = "test", network = "private-wan" }]\n')))
    assert profile.endpoints is not None
    first, second = profile.endpoints
    assert (first.id, first.url, first.name, first.operator, first.environment) == (
        "profile-1", "https://gateway.example.com/ercot", "gateway.example.com", "",
        "production")
    assert (second.url, second.name, second.operator, second.environment, second.network) == (
        "https://test-gw.example.com:8443/", "Our MOTE gateway", "ERCOT", "test",
        "private-wan")
    for endpoint in profile.endpoints:
        assert endpoint.origin == "profile" and endpoint.client_certificate
        assert endpoint.status == "active" and endpoint.verified is False
    assert profile.json()["endpoints"][1]["name"] == "Our MOTE gateway"


def test_a_profile_without_endpoints_says_none(tmp_path: Path) -> None:
    profile = load_profile(write_profile(tmp_path, ""))
    assert profile.endpoints is None and profile.json()["endpoints"] is None
    empty = load_profile(write_profile(tmp_path, "endpoints = []\n"))
    assert empty.endpoints == ()


@pytest.mark.parametrize(("text", "words"), [
    ('endpoints = "https://a.example/"\n', "'endpoints' must be a list"),
    ('endpoints = [3]\n', "endpoint 1 is neither an address"),
    ('endpoints = ["http://a.example/"]\n', "not an https:// address"),
    ('endpoints = ["a.example"]\n', "written in full, https://"),
    ('endpoints = [{ url = "https://a.example/", environment = "staging" }]\n',
     "'environment' = 'staging'"),
    ('endpoints = [{ url = "https://a.example/", verified = true }]\n',
     "unknown settings: verified"),
    ('endpoints = [{ name = "no address" }]\n', "lacks a text 'url'"),
    ('endpoints = [{ url = "https://a.example/", id = "x" }, '
     '{ url = "https://b.example/", id = "x" }]\n', "'x' is given twice"),
    ('endpoint = ["https://a.example/"]\n', "unknown settings: endpoint"),
])
def test_malformed_endpoints_are_usage_errors(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(UsageError) as caught:
        load_profile(write_profile(tmp_path, text))
    assert words in str(caught.value), str(caught.value)
    assert "site.toml" in str(caught.value)


def test_applied_profile_endpoints_join_the_known_ones(tmp_path: Path) -> None:
    before = known_endpoints()
    profile = load_profile(write_profile(tmp_path, (
        'endpoints = ["https://misapi.ercot.com/",\n'
        '  { url = "https://gateway.example.com/", name = "Our ERCOT gateway", '
        'operator = "ERCOT" }]\n')))
    assert profile.endpoints is not None
    path = save_profile_endpoints(profile.endpoints, str(profile.path))
    assert path == profile_endpoints_path() and str(profile.path) in path.read_text("utf-8")
    after = known_endpoints()
    added = [e for e in after if e.origin == "profile"]
    # The catalog's own address is not listed twice; the gateway is added, as written.
    assert [e.url for e in added] == ["https://gateway.example.com/"]
    assert (added[0].name, added[0].operator, added[0].environment) == (
        "Our ERCOT gateway", "ERCOT", "production")
    assert len(after) == len(before) + 1
    # A person's own address still comes after the organisation's, and an address the
    # profile already gives is not added twice.
    remember_endpoint("https://mine.example.com/", operator="ERCOT")
    origins = [(e.origin, e.url) for e in known_endpoints() if e.origin != "catalog"]
    assert origins == [("profile", "https://gateway.example.com/"),
                       ("user", "https://mine.example.com/")]
    # Applying the profile again replaces its addresses (here: none left).
    save_profile_endpoints((), str(profile.path))
    assert not [e for e in known_endpoints() if e.origin == "profile"]


def test_a_certificate_of_the_operator_is_offered_the_profile_address(tmp_path: Path) -> None:
    profile = load_profile(write_profile(tmp_path, (
        'endpoints = [{ url = "https://gateway.example.com/", operator = "ERCOT" }]\n')))
    assert profile.endpoints is not None
    save_profile_endpoints(profile.endpoints, str(profile.path))
    root = pki.make_root("ERCOT CA", org="Electric Reliability Council of Texas")
    leaf = pki.make_leaf(root, "Jane Smith")
    offered = endpoints_for_certificate(CertificateItem(leaf.cert, "t"),
                                        [CertificateItem(root.cert, "t")])
    urls = [e.url for e in offered]
    assert "https://gateway.example.com/" in urls and "https://misapi.ercot.com/" in urls
    assert "https://testmisapi.ercot.com/" not in urls  # a production certificate
