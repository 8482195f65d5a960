"""Planning: which certificate goes to which store, in which order, and what is refused.

These are unit tests of the decision logic against a small in-memory TrustStore double
(the real stores are exercised in tests/integration); the catalog is the real bundled one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from app.actions import plan as plan_module
from app.actions.plan import normalize_sha256, plan_install, plan_remove
from app.core.catalog import Catalog, load_catalog
from app.core.errors import PinMismatchError, TargetError, UsageError
from app.core.model import CertificateItem
from app.stores.base import Availability, Identity, StoredCertificate, TrustStore
from tests.pki import NOW, Issued, make_leaf, make_pki, make_root, name


class MemoryStore(TrustStore):
    """A TrustStore double that keeps certificates in a dict and records its calls."""

    def __init__(self, store_id: str = "mem:a", *, identities: bool = True, roots: bool = True,
                 fail_on: Sequence[str] = (), usable: bool = True, busy: str | None = None,
                 forgetful: bool = False) -> None:
        self.id = store_id
        self.label = f"Memory store {store_id}"
        self.holds_identities = identities
        self.holds_roots = roots
        self.entries: dict[str, StoredCertificate] = {}
        self.keys: dict[str, PrivateKeyTypes] = {}
        self.fail_on = set(fail_on)
        self.usable = usable
        self.busy = busy
        self.forgetful = forgetful  # "succeeds" without storing: verification must notice
        self.calls: list[tuple[str, ...]] = []

    def available(self) -> Availability:
        return Availability(self.usable, None if self.usable else "it is switched off")

    def busy_reason(self) -> str | None:
        return self.busy

    def list(self) -> list[StoredCertificate]:
        return list(self.entries.values())

    def _put(self, item: CertificateItem, trusted: bool, key: PrivateKeyTypes | None = None
             ) -> None:
        if item.sha256 in self.fail_on:
            raise TargetError(f"{self.label} refused ‘{item.display_name}’.")
        if self.forgetful:
            return
        self.entries[item.sha256] = StoredCertificate(
            item=CertificateItem(item.certificate, source=self.id), target_id=self.id,
            location=item.display_name, trusted=trusted,
            key_in_store=key is not None)
        if key is not None:
            self.keys[item.sha256] = key

    def add_anchor(self, item: CertificateItem) -> None:
        self.calls.append(("add_anchor", item.sha256))
        self._put(item, True)

    def add_intermediate(self, item: CertificateItem) -> None:
        self.calls.append(("add_intermediate", item.sha256))
        self._put(item, False)

    def add_many(self, items: Sequence[CertificateItem]) -> None:
        self.calls.append(("add_many", *(item.sha256 for item in items)))
        for item in items:
            self._put(item, item.role == "root")

    def import_identity(self, identity: Identity) -> None:
        self.calls.append(("import_identity", identity.leaf.sha256))
        self._put(identity.leaf, False, identity.leaf.private_key)
        for ca in identity.chain:
            if ca.sha256 not in self.entries:
                self._put(ca, ca.role == "root")

    def remove(self, sha256: str) -> None:
        self.calls.append(("remove", sha256))
        self.entries.pop(sha256, None)
        self.keys.pop(sha256, None)

    def export_identity(self, sha256: str, password: str, profile: str = "modern") -> bytes:
        key = self.keys[sha256]
        return pkcs12.serialize_key_and_certificates(
            b"backup", key, self.entries[sha256].item.certificate, None,  # type: ignore[arg-type]
            serialization.BestAvailableEncryption(password.encode()))

    def snapshot(self) -> dict[str, tuple[bool, bool]]:
        return {sha: (entry.trusted, sha in self.keys) for sha, entry in self.entries.items()}


def item(issued: Issued, source: str = "in.pem", with_key: bool = False) -> CertificateItem:
    return CertificateItem(issued.cert, source=source,
                           private_key=issued.key if with_key else None)


def pki_items() -> tuple[list[CertificateItem], object]:
    pki = make_pki("ERCOT-like")
    leaf = item(pki.leaf, "client.pfx", with_key=True)
    return [item(pki.intermediate, "client.pfx"), leaf, item(pki.root, "root.pem")], pki


def test_roots_then_intermediates_then_identities_each_to_stores_that_hold_them() -> None:
    items, pki = pki_items()
    nss = MemoryStore("nss:/db")
    bundle = MemoryStore("bundle:/b.pem", identities=False)
    plan = plan_install(items, [nss, bundle])
    kinds = [(s.kind, s.target_id) for s in plan.steps]
    assert kinds == [
        ("add-root", "nss:/db"), ("add-root", "bundle:/b.pem"),
        ("add-intermediate", "nss:/db"), ("add-intermediate", "bundle:/b.pem"),
        ("import-identity", "nss:/db"),
    ]
    identity = plan.steps[-1].identity
    assert identity is not None
    assert [c.sha256 for c in identity.chain] == [pki.intermediate.sha256, pki.root.sha256]  # type: ignore[attr-defined]
    assert plan.refused == [] and plan.warnings == []
    assert "Jane Smith" in plan.steps[-1].title


def test_duplicate_inputs_are_planned_once() -> None:
    root = make_root("Twice Root")
    items = [item(root, "a.pem"), item(root, "b.zip!root.cer"), item(root, "c.p7b")]
    plan = plan_install(items, [MemoryStore()])
    assert len(plan.steps) == 1
    assert len(plan.items) == 1


def test_a_copy_with_its_key_wins_over_one_without() -> None:
    pki = make_pki()
    plain = item(pki.leaf, "leaf.pem")
    keyed = item(pki.leaf, "leaf.pfx", with_key=True)
    plan = plan_install([plain, keyed], [MemoryStore()])
    assert [s.kind for s in plan.steps] == ["import-identity"]


def test_non_ca_offered_as_root_is_refused() -> None:
    fake = make_root("Not Really A Root", ca=False, key_cert_sign=False)
    plan = plan_install([item(fake)], [MemoryStore()])
    assert plan.steps == []
    assert len(plan.refused) == 1
    assert "‘Not Really A Root’ is not a certificate authority" in plan.refused[0]
    assert "cannot be trusted as a root" in plan.refused[0]


def test_end_entity_without_key_is_refused_with_a_sentence() -> None:
    pki = make_pki()
    plan = plan_install([item(pki.leaf)], [MemoryStore()])
    assert plan.steps == []
    assert plan.refused == [
        "‘Jane Smith’ is someone's certificate without its private key; there is nothing to "
        "install."
    ]


def test_identity_without_a_store_for_identities_is_refused() -> None:
    pki = make_pki()
    plan = plan_install([item(pki.leaf, with_key=True)], [MemoryStore(identities=False)])
    assert plan.steps == []
    assert "needs a store that holds personal certificates" in plan.refused[0]


def test_already_present_is_a_skip_step_that_says_so() -> None:
    root = make_root("Present Root")
    store = MemoryStore()
    store.add_anchor(item(root))
    plan = plan_install([item(root)], [store])
    assert len(plan.steps) == 1
    assert plan.steps[0].skip
    assert plan.steps[0].reason == "already there; nothing to do"
    assert plan.nothing_to_do
    assert plan.to_json()["steps"][0]["skip"] is True


def test_expired_root_needs_a_warning() -> None:
    old = make_root("Old Root", not_before=NOW - dt.timedelta(days=30),
                    not_after=NOW - dt.timedelta(days=2))
    plan = plan_install([item(old)], [MemoryStore()])
    assert len(plan.active_steps) == 1
    expected_day = (NOW - dt.timedelta(days=2)).date().isoformat()
    assert plan.warnings == [f"‘Old Root’ expired on {expected_day}."]


def test_two_roots_of_one_name_are_told_apart_by_their_end_dates() -> None:
    old = make_root("ERCOT CA", not_before=NOW - dt.timedelta(days=4000),
                    not_after=NOW - dt.timedelta(days=30))
    new = make_root("ERCOT CA", not_before=NOW - dt.timedelta(days=10), days=3650)
    plan = plan_install([item(old), item(new)], [MemoryStore()])
    titles = [step.title for step in plan.steps]
    assert len(set(titles)) == 2, titles
    for issued in (old, new):
        day = issued.cert.not_valid_after_utc.date().isoformat()
        assert sum(f"(valid until {day})" in title for title in titles) == 1, titles
    # One of a name keeps the plain title.
    single = plan_install([item(new)], [MemoryStore()])
    assert "valid until" not in single.steps[0].title


def test_already_present_expired_root_gives_no_warning() -> None:
    old = make_root("Old Root", not_before=NOW - dt.timedelta(days=30),
                    not_after=NOW - dt.timedelta(days=2))
    store = MemoryStore()
    store.add_anchor(item(old))
    assert plan_install([item(old)], [store]).warnings == []


def test_catalog_test_root_is_named_and_warned_about() -> None:
    test_root = make_root("ERCOT TEST CA", org="ERCOT")
    plan = plan_install([item(test_root)], [MemoryStore()])
    assert plan.steps[0].title.startswith("Add the ERCOT TEST CA root to ")
    assert any("test environment" in w for w in plan.warnings)
    assert plan.catalog[test_root.sha256]["id"] == "ercot-test-ca"


def _api_key_cert() -> Issued:
    # Matches the catalog's ERCOT API public key (2025-2026) by CN and validity window.
    start = dt.datetime(2025, 2, 7, tzinfo=dt.UTC)
    return make_leaf(make_root("Some Issuer"), subject=name("misapi.ercot.com", "ERCOT"),
                     not_before=start, not_after=dt.datetime(2026, 3, 11, tzinfo=dt.UTC),
                     client_auth=False)


def test_api_signing_key_only_goes_to_bundle_and_java_targets() -> None:
    api = _api_key_cert()
    browser = MemoryStore("nss:/firefox")
    bundle = MemoryStore("bundle:/api.pem", identities=False)
    java = MemoryStore("java:/ks.jks")
    plan = plan_install([item(api)], [browser, bundle, java])
    assert [(s.kind, s.target_id) for s in plan.steps] == [
        ("add-root", "bundle:/api.pem"), ("add-root", "java:/ks.jks")]
    assert any("Memory store nss:/firefox" in n and "never in a browser" in n for n in plan.notes)
    assert plan.refused == []


def test_api_signing_key_without_bundle_or_java_target_is_refused() -> None:
    plan = plan_install([item(_api_key_cert())], [MemoryStore("nss:/firefox")])
    assert plan.steps == []
    assert "needs a trust bundle (bundle:FILE) or a Java keystore" in plan.refused[0]


def test_pinned_mismatch_refuses_the_whole_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    real = load_catalog()
    pinned = dataclasses.replace(real.by_id("ercot-ca"), sha256="ab" * 32)
    monkeypatch.setattr(plan_module, "_load_catalog", lambda: Catalog([pinned]))
    impostor = make_root("ERCOT CA", org="ERCOT")
    with pytest.raises(PinMismatchError, match="is not the published"):
        plan_install([item(impostor)], [MemoryStore()])


def test_unusable_and_busy_targets_are_noted() -> None:
    root = make_root()
    off = MemoryStore("mem:off", usable=False)
    busy = MemoryStore("mem:busy", busy="Firefox is running; close it first.")
    plan = plan_install([item(root)], [off, busy])
    assert "Memory store mem:off cannot be used: it is switched off" in plan.notes
    assert "Firefox is running; close it first." in plan.notes


def test_plan_json_carries_contract_certificate_objects() -> None:
    items, _ = pki_items()
    document = plan_install(items, [MemoryStore()]).to_json()
    assert document["action"] == "install"
    assert {c["role"] for c in document["certificates"]} == {"root", "intermediate",
                                                              "end-entity"}
    for certificate in document["certificates"]:
        assert set(certificate) >= {"sha256", "sha1", "subject", "issuer", "serial", "role",
                                    "has_private_key", "not_before", "not_after", "key",
                                    "catalog", "source"}


def test_remove_plans_identities_first_and_refuses_unknown_fingerprints() -> None:
    items, pki = pki_items()
    store = MemoryStore()
    store.add_anchor(items[2])
    store.import_identity(Identity(items[1]))
    unknown = "00" * 32
    plan = plan_remove([pki.root.sha256.upper(), pki.leaf.sha256, unknown],  # type: ignore[attr-defined]
                       [store])
    assert [s.sha256 for s in plan.steps] == [pki.leaf.sha256, pki.root.sha256]  # type: ignore[attr-defined]
    assert "and its private key" in plan.steps[0].title
    assert plan.refused == [f"No certificate with SHA-256 {unknown[:16]}… is in the chosen stores."]


def test_fingerprints_are_normalised_and_checked() -> None:
    sha = "AB:" * 31 + "AB"
    assert normalize_sha256(sha) == "ab" * 32
    with pytest.raises(UsageError, match="is not a SHA-256 fingerprint"):
        normalize_sha256("abc")


def test_certificate_parsing_of_the_double_round_trips() -> None:
    # The double's export is what undo re-imports in test_journal: make sure it is real.
    pki = make_pki()
    store = MemoryStore()
    store.import_identity(Identity(item(pki.leaf, with_key=True)))
    key, cert, _ = pkcs12.load_key_and_certificates(
        store.export_identity(pki.leaf.sha256, "pw"), b"pw")
    assert cert is not None and cert.fingerprint(hashes.SHA256()).hex() == pki.leaf.sha256
    assert key is not None


def test_impostor_root_gets_a_warning_that_needs_an_explicit_ok() -> None:
    """A self-signed CN=ERCOT CA whose key is not the 2048-bit key ERCOT states is not
    planned as "the ERCOT CA root": it keeps its own name and the plan warns (so the CLI
    needs --yes and the wizard's confirm page shows why)."""
    from tests.pki import pooled_key

    impostor = CertificateItem(make_root("ERCOT CA", key=pooled_key("rsa3072", 0)).cert,
                               "ercot.cer")
    plan = plan_install([impostor], [MemoryStore()])
    assert plan.warnings == [
        "‘ERCOT CA’: This has the name of the ERCOT CA (production) root, but its key is not "
        "the 2048-bit key ERCOT states: it is not the certificate ERCOT publishes. Do not "
        "install it; get the file again from ERCOT's page. ERCOT's page: "
        "https://www.ercot.com/services/mdt/webservices/"
    ]
    assert plan.steps[0].title == "Add the root ‘ERCOT CA’ to Memory store mem:a"
    assert impostor.sha256 not in plan.catalog
