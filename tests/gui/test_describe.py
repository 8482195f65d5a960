"""The wizard's wording (app/gui/describe.py): roles, validity and warnings in plain words."""

from __future__ import annotations

import datetime as dt
import subprocess
from types import SimpleNamespace

from cryptography import x509

from app.core.model import CertificateItem
from app.gui import describe
from app.stores.base import StoredCertificate
from tests import pki
from tests.helpers import require_tool


def item(issued: pki.Issued, source: str = "/tmp/x.pem", key: bool = False) -> CertificateItem:
    return CertificateItem(issued.cert, source, issued.key if key else None)


def entry(**changes: object) -> SimpleNamespace:
    base = dict(operator="ERCOT", environment="production", purpose="client-root",
                status="active", end_of_life=None, browser_trust=True, sha256=None)
    base.update(changes)
    return SimpleNamespace(**base)


def test_roles_in_plain_words() -> None:
    chain = pki.make_pki("ERCOT")
    assert describe.role_phrase(item(chain.leaf, key=True)) == "your certificate"
    assert describe.role_phrase(item(chain.leaf)) == "a personal certificate (without its key)"
    assert describe.role_phrase(item(chain.intermediate)) == "intermediate certificate"
    assert describe.role_phrase(item(chain.root)).startswith("root certificate")
    match = SimpleNamespace(entry=entry(), pinned=True)
    assert describe.role_phrase(item(chain.root), match) == "ERCOT root (production)"
    test_match = SimpleNamespace(entry=entry(environment="test"), pinned=True)
    assert describe.role_phrase(item(chain.root), test_match) == "ERCOT root (test)"
    # Only the name matches: said so, never "ERCOT root".
    name_only = SimpleNamespace(entry=entry(), pinned=False)
    assert describe.role_phrase(item(chain.root), name_only) == \
        "named like ERCOT's root (production) — not verified"
    api = SimpleNamespace(entry=entry(purpose="api-signing-key", browser_trust=False),
                          pinned=True)
    assert describe.role_phrase(item(chain.root), api) == "ERCOT API public key (production)"


def test_warnings() -> None:
    root = pki.make_root("ERCOT CA", not_before=pki.NOW - dt.timedelta(days=400),
                         not_after=pki.NOW - dt.timedelta(days=3))
    expired = describe.warnings_for(item(root), [])
    assert expired[0].startswith("Expired on ")
    eol = SimpleNamespace(entry=entry(status="end-of-life", end_of_life=dt.date(2024, 11, 30)),
                          pinned=False)
    fine_root = pki.make_root("CyberTrust ISO Issuing Root - SHA2")
    words = describe.warnings_for(item(fine_root), [], eol)
    # In the person's locale (this test process runs under the default one).
    retired = describe.local_date(dt.date(2024, 11, 30))
    assert any("End-of-life root" in w and retired in w for w in words)
    test_env = SimpleNamespace(entry=entry(environment="test"), pinned=False)
    assert any("Test-environment root" in w
               for w in describe.warnings_for(item(fine_root), [], test_env))


def test_weak_signature(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # pyca/cryptography no longer signs with SHA-1; OpenSSL still does (as old CAs did).
    openssl = require_tool("openssl", "openssl")
    key = pki.Issued(pki.make_root().cert, pki.pooled_key()).write_key(tmp_path / "k.pem")
    out = tmp_path / "old.pem"
    subprocess.run([openssl, "req", "-x509", "-sha1", "-key", str(key), "-subj", "/CN=Old CA",
                    "-days", "30", "-out", str(out)], check=True, capture_output=True)
    old = x509.load_pem_x509_certificate(out.read_bytes())
    words = describe.warnings_for(CertificateItem(old, str(out)), [])
    assert any("Weak signature (SHA1)" in w for w in words), words


def test_key_missing_and_chain_incomplete() -> None:
    chain = pki.make_pki("ERCOT")
    alone = describe.warnings_for(item(chain.leaf), [item(chain.leaf)])
    assert any(w.startswith("Key missing") for w in alone)
    assert any("Chain incomplete" in w and "ERCOT Issuing CA" in w for w in alone)
    pool = [item(chain.leaf, key=True), item(chain.intermediate), item(chain.root)]
    assert describe.warnings_for(pool[0], pool) == []


def test_describe_item_and_fingerprint() -> None:
    root = pki.make_root("ERCOT CA")
    view = describe.describe_item(item(root, "roots.zip!ERCOT CA.cer"), [])
    assert view.issued_by == "itself (a root)"
    assert view.sha256 == root.sha256
    assert view.sha256_grouped.count(":") == 31
    two_lines = describe.grouped_fingerprint(root.sha256, 16)
    assert two_lines.count("\n") == 1 and two_lines.replace(":\n", ":") == view.sha256_grouped
    assert describe.file_label(view.source) == "ERCOT CA.cer"
    assert "expires in" in view.valid_until
    assert view.valid_until.startswith(describe.local_date(root.cert.not_valid_after_utc))
    assert view.valid_until_iso == root.cert.not_valid_after_utc.strftime("%Y-%m-%d")


def test_small_phrases() -> None:
    assert describe.days_phrase(-1) == "expired yesterday"
    assert describe.days_phrase(-5) == "expired 5 days ago"
    assert describe.days_phrase(0) == "expires today"
    assert describe.days_phrase(1) == "expires tomorrow"
    assert describe.expiry_level(-1) == "expired"
    assert describe.expiry_level(29) == "soon"
    assert describe.expiry_level(30) == "fine"
    assert describe.count_phrase(1, "step") == "1 step"
    assert describe.count_phrase(3, "step") == "3 steps"
    assert describe.other_member_phrase("/d/roots.zip!docs/instructions.pdf") == \
        "Also in roots.zip: instructions.pdf (not a certificate)"


def test_inventory_rows_flag_clutter() -> None:
    root = pki.make_root("ERCOT CA")
    old = pki.make_leaf(root, "Jane Smith", not_before=pki.NOW - dt.timedelta(days=400),
                        not_after=pki.NOW - dt.timedelta(days=35))
    new = pki.make_leaf(root, "Jane Smith")
    public = pki.make_root("Some Public Root CA")
    entries = [StoredCertificate(item(c), "nss:/ff", "db", key_in_store=True)
               for c in (old, new)]
    entries += [StoredCertificate(item(root), "nss:/ff", "db", trusted=True),
                StoredCertificate(item(public), "java:/cacerts", "ks", trusted=True)]
    ercot = SimpleNamespace(entry=entry(), pinned=True)
    rows = describe.inventory_rows(entries, {"nss:/ff": "Firefox — default profile"},
                                   lambda i: ercot if i.display_name == "ERCOT CA" else None)
    by_days = {r.days_left < 0: r for r in rows if r.name == "Jane Smith"}
    assert by_days[True].level == "expired"
    assert by_days[True].notes == ["expired older copy: remove it"]
    assert by_days[False].notes == ["newest copy: keep it"]
    assert by_days[False].kind == "your certificate"
    assert [r.relevant for r in rows if r.name == "Some Public Root CA"] == [False]
    assert next(r for r in rows if r.name == "ERCOT CA").kind == "ERCOT root (production)"
    assert rows[0].name == "Jane Smith" and rows[0].place == "Firefox — default profile"


def test_picker_sentence_names_what_each_browser_lists() -> None:
    from app.gui.describe import picker_sentence

    # Firefox lists a personal certificate by the .pfx's friendly name, Chrome/Edge and
    # Windows by the name it was issued to.
    both = picker_sentence("JSMITH", "Jane Smith (ERCOT 2026)", True, True)
    assert both.endswith("choose 'JSMITH' (Firefox lists it as 'Jane Smith (ERCOT 2026)').")
    only_firefox = picker_sentence("JSMITH", "Jane Smith (ERCOT 2026)", True, False)
    assert only_firefox.endswith("choose 'Jane Smith (ERCOT 2026)'.")
    no_firefox = picker_sentence("JSMITH", "Jane Smith (ERCOT 2026)", False, True)
    assert no_firefox.endswith("choose 'JSMITH'.")
    same = picker_sentence("JSMITH", "JSMITH", True, True)
    assert same.endswith("choose 'JSMITH'.")
    unnamed = picker_sentence("JSMITH", None, True, True)
    assert unnamed.endswith("choose 'JSMITH'.")
