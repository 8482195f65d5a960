"""NssStore against real NSS databases made by certutil in temporary folders.

Every change is checked with NSS's own tools (`certutil -L`, `certutil -K`,
`certutil -V`), not only with the adapter's own list().
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12

from app.core.errors import NotExportableError, StoreLockedError, TargetError
from app.core.model import CertificateItem
from app.stores import nss as nss_module
from app.stores.base import Identity
from app.stores.nss import NssStore
from tests.helpers import require_tool
from tests.pki import Pki, make_intermediate, make_pki, make_root, pooled_key
from tests.realtools import openssl_pkcs12_info


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_tool("certutil", "libnss3-tools")
    require_tool("pk12util", "libnss3-tools")


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("ERCOT", "Jane Smith")


def item(issued: object, source: str = "test.pem") -> CertificateItem:
    return CertificateItem(issued.cert, source)  # type: ignore[attr-defined]


def new_db(folder: Path, kind: str = "sql", password: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if password is None:
        subprocess.run(["certutil", "-N", "-d", f"{kind}:{folder}", "--empty-password"],
                       check=True, capture_output=True)
    else:
        pwfile = folder.parent / f"{folder.name}.pw"
        pwfile.write_text(password + "\n")
        subprocess.run(["certutil", "-N", "-d", f"{kind}:{folder}", "-f", str(pwfile)],
                       check=True, capture_output=True)
        pwfile.unlink()
    return folder


def certutil_list(store: NssStore) -> dict[str, str]:
    """nickname -> trust, as certutil itself prints them."""
    out = subprocess.run(["certutil", "-L", "-d", store.db_arg], check=True,
                         capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines()[3:]:
        if line.strip():
            nick, trust = line.rstrip().rsplit(None, 1)
            rows[nick.strip()] = trust
    return rows


def certutil_keys(store: NssStore) -> str:
    empty = store.directory.parent / "empty.pw"
    empty.write_text("\n")
    done = subprocess.run(["certutil", "-K", "-d", store.db_arg, "-f", str(empty)],
                          capture_output=True, text=True)
    return done.stdout + done.stderr


def test_root_and_intermediate_get_their_trust(tmp_path: Path, pki: Pki) -> None:
    store = NssStore(new_db(tmp_path / "db"), "Test database")
    assert store.available().usable
    store.add_anchor(item(pki.root))
    store.add_intermediate(item(pki.intermediate))

    rows = certutil_list(store)
    assert rows == {"ERCOT Root CA": "C,,", "ERCOT Issuing CA": ",,"}
    listed = {entry.item.sha256: entry for entry in store.list()}
    assert set(listed) == {pki.root.sha256, pki.intermediate.sha256}
    assert listed[pki.root.sha256].trusted and listed[pki.root.sha256].role == "root"
    assert not listed[pki.intermediate.sha256].trusted
    assert listed[pki.intermediate.sha256].role == "intermediate"
    assert store.contains(pki.root.sha256)
    assert store.id == f"nss:{tmp_path / 'db'}"


def test_adding_again_changes_nothing(tmp_path: Path, pki: Pki) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    store.add_anchor(item(pki.root))
    store.add_many([item(pki.root), item(pki.root, "other.pem")])
    assert certutil_list(store) == {"ERCOT Root CA": "C,,"}
    assert len(store.list()) == 1


def test_adding_never_takes_trust_away(tmp_path: Path, pki: Pki) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    store.add_anchor(item(pki.root))
    store.add_intermediate(item(pki.root))  # asked with less trust: keeps C
    assert certutil_list(store) == {"ERCOT Root CA": "C,,"}
    subprocess.run(["certutil", "-M", "-d", store.db_arg, "-n", "ERCOT Root CA", "-t", "p,p,p"],
                   check=True, capture_output=True)
    store.add_anchor(item(pki.root))  # an explicit add overrides an earlier distrust
    assert certutil_list(store) == {"ERCOT Root CA": "C,p,p"}


def test_merge_trust() -> None:
    assert nss_module.merge_trust("C,,", "CT,,") == "CT,,"
    assert nss_module.merge_trust("CT,,", "C,,") == "CT,,"
    assert nss_module.merge_trust("u,u,u", ",,") == ",,"
    assert nss_module.merge_trust("CTu,Cu,Cu", "C,,") == "CT,C,C"


def test_nicknames_are_readable_and_unique(tmp_path: Path) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    first = make_root("Grid Root", org="Operator A", key=pooled_key("rsa2048", 3))
    second = make_root("Grid Root", org="Operator B", key=pooled_key("rsa2048", 4))
    third = make_root("Grid Root", org="Operator C", key=pooled_key("rsa2048", 5))
    store.add_anchor(item(first))
    store.add_many([item(second), item(third)])
    assert certutil_list(store) == {"Grid Root": "C,,", "Grid Root #2": "C,,",
                                    "Grid Root #3": "C,,"}
    by_nick = {e.location: e.item.sha256 for e in store.list()}
    assert by_nick["Grid Root"] == first.sha256


def test_identity_import_keeps_the_key_and_validates(tmp_path: Path, pki: Pki) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    leaf = CertificateItem(pki.leaf.cert, "jane.pfx", pki.leaf.key, "0787579852300$JSMITH")
    store.import_identity(Identity(leaf, (item(pki.intermediate), item(pki.root))))

    rows = certutil_list(store)
    assert rows["Jane Smith"] == "u,u,u"
    # The root that came with it is trusted, also to issue client certificates (T).
    assert rows["ERCOT Root CA"] == "CT,,"
    assert rows["ERCOT Issuing CA"] == ",,"
    assert "Jane Smith" in certutil_keys(store)
    assert store.key_nicknames() == ["Jane Smith"]
    entry = next(e for e in store.list() if e.item.sha256 == pki.leaf.sha256)
    assert entry.key_in_store is True
    # NSS itself agrees that the client certificate chains to the installed root.
    verdict = subprocess.run(["certutil", "-V", "-d", store.db_arg, "-n", "Jane Smith", "-u", "C"],
                             capture_output=True, text=True)
    assert "certificate is valid" in verdict.stdout, verdict.stdout + verdict.stderr
    assert vfychain_client_ok(store, pki.leaf.pem, tmp_path)
    # No one-time PKCS#12 or password file is left behind in the database folder.
    assert sorted(p.name for p in store.directory.iterdir()) == ["cert9.db", "key4.db",
                                                                 "pkcs11.txt"]


def vfychain_client_ok(store: NssStore, leaf_pem: bytes, folder: Path) -> bool:
    """NSS's vfychain: does the certificate validate as a TLS client certificate here?"""
    require_tool("vfychain", "libnss3-tools")
    leaf = folder / "leaf-to-check.pem"
    leaf.write_bytes(leaf_pem)
    done = subprocess.run(["vfychain", "-d", store.db_arg, "-a", "-u", "0", str(leaf)],
                          capture_output=True, text=True)
    return "Chain is good!" in done.stdout + done.stderr


def test_identity_without_chain_trusts_the_installed_root_for_clients(
    tmp_path: Path, pki: Pki
) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    store.add_many([item(pki.root), item(pki.intermediate)])
    assert certutil_list(store)["ERCOT Root CA"] == "C,,"
    assert not vfychain_client_ok(store, pki.leaf.pem, tmp_path)
    store.import_identity(Identity(CertificateItem(pki.leaf.cert, "jane.pfx", pki.leaf.key)))
    assert certutil_list(store) == {"ERCOT Root CA": "CT,,", "ERCOT Issuing CA": ",,",
                                    "Jane Smith": "u,u,u"}
    assert vfychain_client_ok(store, pki.leaf.pem, tmp_path)


@pytest.mark.parametrize("profile", ["modern", "compatible"])
def test_export_identity(tmp_path: Path, pki: Pki, profile: str) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    leaf = CertificateItem(pki.leaf.cert, "jane.pfx", pki.leaf.key)
    store.import_identity(Identity(leaf, (item(pki.intermediate), item(pki.root))))
    data = store.export_identity(pki.leaf.sha256, "export pw", profile)  # type: ignore[arg-type]
    loaded = pkcs12.load_pkcs12(data, b"export pw")
    assert loaded.cert is not None and loaded.key is not None
    assert loaded.cert.certificate == pki.leaf.cert
    assert loaded.cert.friendly_name == b"Jane Smith"
    assert leaf.matches_key(loaded.key)
    assert {c.certificate for c in loaded.additional_certs} == {pki.root.cert,
                                                                pki.intermediate.cert}
    out = tmp_path / "export.p12"
    out.write_bytes(data)
    info = openssl_pkcs12_info(out, "export pw")
    expected = "AES-256-CBC" if profile == "modern" else "pbeWithSHA1And3-KeyTripleDES-CBC"
    assert expected in info
    with pytest.raises(NotExportableError):
        store.export_identity(pki.root.sha256, "export pw", "modern")
    with pytest.raises(TargetError, match="no certificate with fingerprint"):
        store.export_identity("00" * 32, "export pw", "modern")


def test_identity_with_friendly_name_uses_it(tmp_path: Path, pki: Pki) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    leaf = CertificateItem(pki.leaf.cert, "jane.pfx", pki.leaf.key)
    store.import_identity(Identity(leaf, (), friendly_name="Jane at ERCOT"))
    assert certutil_list(store)["Jane at ERCOT"] == "u,u,u"


def test_remove_identity_takes_the_key(tmp_path: Path, pki: Pki) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    leaf = CertificateItem(pki.leaf.cert, "jane.pfx", pki.leaf.key)
    store.import_identity(Identity(leaf, (item(pki.intermediate), item(pki.root))))
    store.remove(pki.leaf.sha256)
    assert "Jane Smith" not in certutil_list(store)
    assert "Jane Smith" not in certutil_keys(store)
    store.remove(pki.root.sha256.upper())
    assert certutil_list(store) == {"ERCOT Issuing CA": ",,"}
    store.remove(pki.root.sha256)  # not there any more: not an error
    assert certutil_list(store) == {"ERCOT Issuing CA": ",,"}


def test_remove_one_of_two_sharing_a_nickname(tmp_path: Path) -> None:
    # NSS gives certificates with the same subject the same nickname (a renewed root).
    store = NssStore(new_db(tmp_path / "db"))
    old = make_root("Shared CA", key=pooled_key("rsa2048", 3), serial=1)
    new = make_root("Shared CA", key=pooled_key("rsa2048", 4), serial=2)
    for issued, name in ((old, "old.pem"), (new, "new.pem")):
        path = issued.write(tmp_path / name)
        subprocess.run(["certutil", "-A", "-d", store.db_arg, "-n", "Shared CA", "-t", "C,,",
                        "-i", str(path)], check=True, capture_output=True)
    assert {e.item.sha256 for e in store.list()} == {old.sha256, new.sha256}
    store.remove(old.sha256)
    assert [e.item.sha256 for e in store.list()] == [new.sha256]
    assert certutil_list(store) == {"Shared CA": "C,,"}


def _renewed_pair(pki: Pki, kind: str) -> tuple[CertificateItem, CertificateItem]:
    """Last year's and this year's certificate of one person: same subject, new key."""
    import datetime as dt

    from tests.pki import NOW, make_leaf

    old = make_leaf(pki.intermediate, "Jane Smith", org="ERCOT", key=pooled_key(kind, 7),
                    not_before=NOW - dt.timedelta(days=330))
    new = make_leaf(pki.intermediate, "Jane Smith", org="ERCOT", key=pooled_key(kind, 8))
    return (CertificateItem(old.cert, "old.pfx", old.key),
            CertificateItem(new.cert, "new.pfx", new.key))


@pytest.mark.parametrize("kind", ["rsa2048", "ec-p256"])
def test_renewed_identity_sharing_a_nickname_can_be_exported_and_removed(
    tmp_path: Path, pki: Pki, kind: str
) -> None:
    """NSS files both of a person's certificates under one nickname; GridCert still reaches
    each one on its own (by its key's PKCS#11 id), so a renewal can back up and remove
    last year's certificate and keep this year's."""
    store = NssStore(new_db(tmp_path / "db"))
    old, new = _renewed_pair(pki, kind)
    chain = (item(pki.intermediate), item(pki.root))
    store.import_identity(Identity(old, chain))
    store.import_identity(Identity(new, chain))
    nicknames = {e.item.sha256: e.location for e in store.list() if e.key_in_store}
    assert nicknames[old.sha256] == nicknames[new.sha256]  # NSS shares the nickname

    for wanted in (old, new):
        data = store.export_identity(wanted.sha256, "pw", "modern")
        loaded = pkcs12.load_pkcs12(data, b"pw")
        assert loaded.cert is not None and loaded.key is not None
        assert loaded.cert.certificate == wanted.certificate
        assert wanted.matches_key(loaded.key)

    store.remove(old.sha256)
    left = [e for e in store.list() if not e.item.is_ca]
    assert [(e.item.sha256, e.key_in_store) for e in left] == [(new.sha256, True)]
    keys = certutil_keys(store)
    assert keys.count("Jane Smith") == 1  # last year's key went with its certificate
    again = pkcs12.load_pkcs12(store.export_identity(new.sha256, "pw", "modern"), b"pw")
    assert again.key is not None and new.matches_key(again.key)


def test_list_from_sqlite_matches_certutil(tmp_path: Path, pki: Pki) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    store.add_many([item(pki.root), item(pki.intermediate)])
    fast = store._ders_from_sqlite()
    for nickname in certutil_list(store):
        assert fast[nickname] == store._ders_from_certutil(nickname)


def test_legacy_dbm_database(tmp_path: Path, pki: Pki) -> None:
    store = NssStore(new_db(tmp_path / "old", kind="dbm"))
    assert store.kind == "dbm" and store.db_arg.startswith("dbm:")
    store.add_anchor(item(pki.root))
    assert certutil_list(store) == {"ERCOT Root CA": "C,,"}
    assert [e.item.sha256 for e in store.list()] == [pki.root.sha256]
    store.remove(pki.root.sha256)
    assert certutil_list(store) == {}


def test_missing_database(tmp_path: Path, pki: Pki) -> None:
    store = NssStore(tmp_path / "nothing-here")
    state = store.available()
    assert not state.usable and "no NSS database" in (state.reason or "")
    with pytest.raises(TargetError, match="no NSS database"):
        store.add_anchor(item(pki.root))
    with pytest.raises(TargetError, match="no NSS database"):
        store.list()
    assert not (tmp_path / "nothing-here").exists()


def test_create_makes_an_empty_database(tmp_path: Path, pki: Pki) -> None:
    folder = tmp_path / "home" / ".local" / "share" / "pki" / "nssdb"
    store = NssStore(folder, "Chrome and Edge", create=True)
    assert store.available().usable
    assert store.list() == []
    store.add_anchor(item(pki.root))
    assert (folder / "cert9.db").exists()
    assert certutil_list(store) == {"ERCOT Root CA": "C,,"}


def test_password_protected_database(tmp_path: Path, pki: Pki) -> None:
    folder = new_db(tmp_path / "db", password="db secret")
    leaf = CertificateItem(pki.leaf.cert, "jane.pfx", pki.leaf.key)
    with pytest.raises(TargetError, match="password"):
        NssStore(folder).import_identity(Identity(leaf))
    store = NssStore(folder, password="db secret")
    store.import_identity(Identity(leaf))
    assert "Jane Smith" in store.key_nicknames()


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make the database unwritable for whoever runs the tests (root included)."""
    files = [folder / "cert9.db", folder / "key4.db"]
    if os.geteuid() != 0:
        modes = [(p, p.stat().st_mode) for p in [*files, folder]]
        for path in files:
            path.chmod(0o444)
        folder.chmod(0o555)
        try:
            yield
        finally:
            for path, mode in modes:
                path.chmod(mode)
        return
    if all(subprocess.run(["chattr", "+i", str(p)], capture_output=True).returncode == 0
           for p in [*files, folder]):
        try:
            yield
        finally:
            for path in [folder, *files]:
                subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        return
    pytest.skip("cannot make a file read-only for root here (no chattr +i)")


def test_read_only_database_is_a_target_error(tmp_path: Path, pki: Pki) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    before = certutil_list(store)
    with read_only(store.directory):
        with pytest.raises(TargetError, match="read-only") as caught:
            store.add_anchor(item(pki.root))
        assert str(tmp_path / "db") in str(caught.value)
    assert certutil_list(store) == before


def test_busy_store_refuses(tmp_path: Path, pki: Pki) -> None:
    folder = new_db(tmp_path / "db")
    store = NssStore(folder, "Firefox — default profile", lock_files=("lock",),
                     busy_message="Firefox is open; close it first, then try again.")
    os.symlink("127.0.0.1:+1", folder / "lock")
    assert store.busy_reason() == "Firefox is open; close it first, then try again."
    with pytest.raises(StoreLockedError, match="Firefox is open"):
        store.add_anchor(item(pki.root))
    with pytest.raises(StoreLockedError):
        store.remove(pki.root.sha256)
    assert certutil_list(store) == {}


def _roots(count: int) -> list[CertificateItem]:
    key = pooled_key("rsa2048", 6)
    return [item(make_root(f"Batch Root {n:03d}", key=key, serial=5000 + n))
            for n in range(count)]


@pytest.mark.parametrize("fast", [True, False], ids=["tmpfs-copy", "in-place"])
def test_batch_of_150_roots(tmp_path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    pki = make_pki("CAISO")
    # Something already present, so the batch mixes new certificates with a trust change.
    store.add_intermediate(item(pki.root))
    calls: list[str] = []
    real = NssStore._batch_on_copy

    def spy(self: NssStore, batch: Path, what: str) -> None:
        calls.append(what)
        real(self, batch, what)

    monkeypatch.setattr(NssStore, "_batch_on_copy", spy)
    if not fast:
        monkeypatch.setattr(NssStore, "_fast_path_safe", lambda self: False)
    roots = _roots(150)
    store.add_many([*roots, item(pki.root)])

    assert bool(calls) == fast
    rows = certutil_list(store)
    assert len(rows) == 151
    assert all(trust == "C,," for trust in rows.values())
    assert {e.item.sha256 for e in store.list()} == {r.sha256 for r in roots} | {pki.root.sha256}
    leftovers = [p.name for p in store.directory.iterdir() if "gridcert" in p.name]
    assert leftovers == []


def test_fast_path_is_not_used_while_another_process_has_the_db_open(tmp_path: Path) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    assert store._fast_path_safe()
    holder = subprocess.Popen(["sleep", "30"], stdin=open(store.directory / "cert9.db", "rb"))  # noqa: SIM115
    try:
        assert nss_module._open_by_another_process([store.directory / "cert9.db"])
        assert not store._fast_path_safe()
    finally:
        holder.kill()
        holder.wait()


def test_intermediate_chain_validates_after_batch(tmp_path: Path) -> None:
    store = NssStore(new_db(tmp_path / "db"))
    root = make_root("Chain Root", key=pooled_key("rsa2048", 3))
    middle = make_intermediate(root, "Chain Issuing", key=pooled_key("rsa2048", 4))
    store.add_many([item(middle), item(root), *_roots(10)])
    verdict = subprocess.run(["certutil", "-V", "-d", store.db_arg, "-n", "Chain Issuing",
                              "-u", "L"], capture_output=True, text=True)
    assert "certificate is valid" in verdict.stdout, verdict.stdout + verdict.stderr
