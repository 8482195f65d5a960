"""MacKeychainStore's decisions, run on Linux against a fake of the `security` tool layer.

The fake keeps a keychain as a dictionary and prints what `security find-certificate -a
-Z -p` and `find-identity` print; the assertions are on GridCert's logic: which command
per role and domain, parsing of the tool's output, SHA-256 matching, the key rule on
removal, that the user's password never reaches the tool, and the error sentences. The
real tool is exercised by tests/os/test_macos_store_real.py on a macOS runner.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from app.core.errors import (
    BadInputError,
    CancelledError,
    NotExportableError,
    StoreLockedError,
    TargetError,
)
from app.core.model import CertificateItem
from app.stores._macos_security import SecurityToolError
from app.stores.base import Availability, Identity
from app.stores.macos import (
    SYSTEM_KEYCHAIN,
    MacKeychainStore,
    parse_find_certificate,
    parse_find_identity,
)
from tests.pki import Issued, Pki, make_leaf, make_pki, make_root, pooled_key

KEYCHAIN = "/Users/jane/Library/Keychains/test.keychain-db"


def item(issued: Issued, key: bool = False) -> CertificateItem:
    return CertificateItem(issued.cert, source="test", private_key=issued.key if key else None)


def sha1(der: bytes) -> str:
    return hashlib.sha1(der).hexdigest()


def pem_of(der: bytes) -> str:
    body = base64.b64encode(der).decode()
    lines = "\n".join(textwrap.wrap(body, 64))
    return f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n"


@dataclass
class Entry:
    der: bytes
    key: PrivateKeyTypes | None = None
    user_trust: bool = False


@dataclass
class FakeSecurity:
    """The `security` tool over one in-memory keychain."""

    items: dict[str, Entry] = field(default_factory=dict)  # sha1 hex -> entry
    admin_trust: set[str] = field(default_factory=set)
    calls: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)
    fail: dict[str, str] = field(default_factory=dict)  # function -> what the tool prints
    import_modes: list[int] = field(default_factory=list)
    imported: list[list[str]] = field(default_factory=list)  # sha256s in each imported file
    # Roots trusted in the user domain (what add-trusted-cert without -d records).
    keychains_used: set[str] = field(default_factory=set)
    # A locked keychain with no one to unlock it: `security` run over SSH, from launchd or
    # an MDM script, outside the user's GUI session. Every call then fails with
    # errSecInteractionNotAllowed, -25308, "User interaction is not allowed." (Apple,
    # Security framework result codes: developer.apple.com/documentation/security/
    # errsecinteractionnotallowed; SecBase.h). `security` prints the message after the
    # name of the call that failed; newer macOS prints the OSStatus instead.
    no_interaction: str = ""  # "" (a desktop session), "message" or "osstatus"

    def _run(self, name: str, *args: object) -> None:
        self.calls.append((name, args))
        if name in self.fail:
            raise SecurityToolError(name, 1, self.fail[name])
        if self.no_interaction == "message":
            raise SecurityToolError(name, 1, "security: SecKeychainItemImport: User "
                                             "interaction is not allowed.")
        if self.no_interaction == "osstatus":
            raise SecurityToolError(name, 1, "security: The operation couldn’t be completed. "
                                             "(OSStatus error -25308.)")

    def _certs_in(self, path: str) -> list[bytes]:
        return [x509.load_pem_x509_certificate(Path(path).read_bytes()).public_bytes(
            serialization.Encoding.DER)]

    def _add(self, der: bytes, key: PrivateKeyTypes | None = None) -> None:
        digest = sha1(der)
        if digest in self.items:
            if key is not None and self.items[digest].key is None:
                self.items[digest].key = key
            return
        self.items[digest] = Entry(der, key)

    def available(self) -> bool:
        return True

    def add_trusted_cert(self, cert_path: str, keychain: str, admin_domain: bool) -> None:
        self._run("add_trusted_cert", cert_path, keychain, admin_domain)
        self.keychains_used.add(keychain)
        for der in self._certs_in(cert_path):
            self._add(der)
            if admin_domain:
                self.admin_trust.add(sha1(der))
            else:
                self.items[sha1(der)].user_trust = True

    def remove_trusted_cert(self, cert_path: str, admin_domain: bool) -> None:
        self._run("remove_trusted_cert", cert_path, admin_domain)
        for der in self._certs_in(cert_path):
            self.admin_trust.discard(sha1(der))

    def add_certificates(self, cert_paths: Sequence[str], keychain: str) -> None:
        self._run("add_certificates", tuple(cert_paths), keychain)
        duplicate = False
        for path in cert_paths:
            der = self._certs_in(path)[0]
            duplicate |= sha1(der) in self.items
            self._add(der)
        if duplicate:
            raise SecurityToolError("add-certificates", 1,
                                    "The specified item already exists in the keychain.")

    def import_pkcs12(self, p12_path: str, one_time_password: str, keychain: str) -> None:
        self._run("import_pkcs12", p12_path, one_time_password, keychain)
        self.import_modes.append(stat.S_IMODE(os.stat(p12_path).st_mode))
        key, cert, extra = pkcs12.load_key_and_certificates(
            Path(p12_path).read_bytes(), one_time_password.encode())
        assert cert is not None
        self.imported.append([c.fingerprint(hashes.SHA256()).hex() for c in [cert, *extra]])
        self._add(cert.public_bytes(serialization.Encoding.DER), key)
        for other in extra:
            self._add(other.public_bytes(serialization.Encoding.DER))

    def find_certificates(self, keychain: str) -> str:
        self._run("find_certificates", keychain)
        out = []
        for digest, entry in self.items.items():
            out.append(f"SHA-256 hash: {hashlib.sha256(entry.der).hexdigest().upper()}\n"
                       f"SHA-1 hash: {digest.upper()}\n{pem_of(entry.der)}")
        return "".join(out)

    def find_identities(self, keychain: str) -> str:
        self._run("find_identities", keychain)
        lines = ["Policy: X.509 Basic", "  Matching identities"]
        with_key = [(d, e) for d, e in self.items.items() if e.key is not None]
        for number, (digest, entry) in enumerate(with_key, 1):
            cn = x509.load_der_x509_certificate(entry.der).subject.rfc4514_string()
            lines.append(f'  {number}) {digest.upper()} "{cn}"')
        lines.append(f"     {len(with_key)} identities found")
        return "\n".join(lines) + "\n"

    def delete_certificate(self, sha1_hex: str, keychain: str, with_user_trust: bool) -> None:
        self._run("delete_certificate", sha1_hex, keychain, with_user_trust)
        if sha1_hex.lower() not in self.items:
            raise SecurityToolError("delete-certificate", 1,
                                    "Unable to delete certificate matching \"X\"; "
                                    "The specified item could not be found in the keychain.")
        del self.items[sha1_hex.lower()]

    def delete_identity(self, sha1_hex: str, keychain: str) -> None:
        self._run("delete_identity", sha1_hex, keychain)
        del self.items[sha1_hex.lower()]

    def export_identities(self, keychain: str, one_time_password: str) -> bytes:
        self._run("export_identities", keychain, one_time_password)
        identities = [e for e in self.items.values() if e.key is not None]
        first = identities[0]
        others = [x509.load_der_x509_certificate(e.der) for e in self.items.values()
                  if e is not first]
        return pkcs12.serialize_key_and_certificates(
            b"exported", first.key,  # type: ignore[arg-type]
            x509.load_der_x509_certificate(first.der), others or None,
            serialization.BestAvailableEncryption(one_time_password.encode()))


@pytest.fixture
def fake() -> FakeSecurity:
    return FakeSecurity()


@pytest.fixture
def store(fake: FakeSecurity) -> MacKeychainStore:
    return MacKeychainStore("login", keychain=KEYCHAIN, api=fake)


def identity(pki: Pki) -> Identity:
    return Identity(item(pki.leaf, key=True), (item(pki.intermediate), item(pki.root)))


# --- parsing ------------------------------------------------------------------------------
def test_parse_find_certificate_output() -> None:
    pki = make_pki("CAISO Test")
    text = (
        "SHA-256 hash: " + pki.root.sha256.upper() + "\n"
        "SHA-1 hash: " + sha1(pki.root.der).upper() + "\n" + pem_of(pki.root.der)
        # Older macOS prints only the SHA-1 line.
        + "SHA-1 hash: " + sha1(pki.leaf.der).upper() + "\n" + pem_of(pki.leaf.der)
        + "SHA-1 hash: 00\n-----BEGIN CERTIFICATE-----\n!!not base64!!\n"
        "-----END CERTIFICATE-----\n"
    )
    parsed = parse_find_certificate(text)
    assert [p.sha256 for p in parsed] == [pki.root.sha256, pki.leaf.sha256]
    assert [p.sha1 for p in parsed] == [sha1(pki.root.der), sha1(pki.leaf.der)]
    assert parse_find_certificate("") == []


def test_parse_find_identity_output() -> None:
    text = (
        "Policy: X.509 Basic\n  Matching identities\n"
        '  1) 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B "Jane Smith"\n'
        '  2) 2C26B46B68FFC68FF99B453C1D30413413422D70 "Ops, Desk 2" (CSSMERR_TP_NOT_TRUSTED)\n'
        "     2 identities found\n\n  Valid identities only\n"
        '  1) 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B "Jane Smith"\n'
        "     1 valid identities found\n"
    )
    assert parse_find_identity(text) == {
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
        "2c26b46b68ffc68ff99b453c1d30413413422d70",
    }
    assert parse_find_identity("     0 identities found\n") == set()


# --- which command per role and domain ----------------------------------------------------
def test_login_roots_are_trusted_in_the_user_domain(fake: FakeSecurity,
                                                    store: MacKeychainStore) -> None:
    pki = make_pki()
    store.add_anchor(item(pki.root))
    store.add_intermediate(item(pki.intermediate))
    (trusted,) = [args for name, args in fake.calls if name == "add_trusted_cert"]
    assert trusted[1:] == (KEYCHAIN, False)
    assert fake.items[sha1(pki.root.der)].user_trust
    assert not fake.items[sha1(pki.intermediate.der)].user_trust
    assert {s.item.sha256 for s in store.list()} == {pki.root.sha256, pki.intermediate.sha256}


def test_system_keychain_uses_the_admin_domain(fake: FakeSecurity) -> None:
    store = MacKeychainStore("system", api=fake)
    assert store.keychain == SYSTEM_KEYCHAIN and store.id == "macos-system"
    root = make_root("System Root")
    store.add_anchor(item(root))
    assert fake.admin_trust == {sha1(root.der)}
    assert "administrator" in store.notes()[0]
    store.remove(root.sha256)
    # The admin-domain trust setting is removed before the certificate.
    names = [name for name, _ in fake.calls]
    assert names.index("remove_trusted_cert") < names.index("delete_certificate")
    assert fake.admin_trust == set() and fake.items == {}


def test_default_login_keychain_is_under_home(fake: FakeSecurity) -> None:
    store = MacKeychainStore("login", api=fake)
    assert store.keychain == str(Path.home() / "Library/Keychains/login.keychain-db")
    assert store.id == "macos-login"


def test_add_many_batches_intermediates(fake: FakeSecurity, store: MacKeychainStore) -> None:
    a = make_pki("ERCOT Test")
    b = make_pki("CAISO Test")
    store.add_many([item(a.intermediate), item(b.intermediate), item(a.root)])
    batches = [args for name, args in fake.calls if name == "add_certificates"]
    assert len(batches) == 1 and len(batches[0][0]) == 2  # type: ignore[arg-type]
    assert len([n for n, _ in fake.calls if n == "add_trusted_cert"]) == 1


def test_adding_what_is_there_is_not_an_error(fake: FakeSecurity,
                                              store: MacKeychainStore) -> None:
    pki = make_pki()
    store.add_intermediate(item(pki.intermediate))
    store.add_intermediate(item(pki.intermediate))
    assert len(fake.items) == 1


# --- identities -----------------------------------------------------------------------------
def test_identity_import_uses_a_throwaway_password_and_a_private_file(
    fake: FakeSecurity, store: MacKeychainStore
) -> None:
    pki = make_pki("ERCOT Test")
    store.import_identity(identity(pki))
    ((path, one_time, keychain),) = [a for n, a in fake.calls if n == "import_pkcs12"]
    assert keychain == KEYCHAIN
    if sys.platform != "win32":  # POSIX permissions
        assert fake.import_modes == [0o600]
    assert not Path(str(path)).exists()  # removed right after the import
    assert len(str(one_time)) >= 24
    listed = {s.item.sha256: s for s in store.list()}
    assert listed[pki.leaf.sha256].key_in_store is True
    assert listed[pki.root.sha256].key_in_store is False
    assert store.contains(pki.leaf.sha256)


def test_import_carries_only_missing_ca_certificates_and_is_idempotent(
    fake: FakeSecurity, store: MacKeychainStore
) -> None:
    pki = make_pki("ERCOT Test")
    store.add_anchor(item(pki.root))
    store.import_identity(identity(pki))
    assert fake.imported == [[pki.leaf.sha256, pki.intermediate.sha256]]
    store.import_identity(identity(pki))  # already there with its key
    assert len(fake.imported) == 1


def test_import_that_leaves_no_key_is_reported(fake: FakeSecurity, store: MacKeychainStore,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pki = make_pki()
    # As if the keychain kept the certificate but dropped the key.
    monkeypatch.setattr(fake, "import_pkcs12", lambda path, pw, kc: fake._add(pki.leaf.der))
    with pytest.raises(TargetError, match="private key is not there"):
        store.import_identity(identity(pki))


def test_removing_an_identity_deletes_its_key(fake: FakeSecurity,
                                              store: MacKeychainStore) -> None:
    pki = make_pki()
    store.import_identity(identity(pki))
    store.remove(pki.leaf.sha256)
    assert ("delete_identity", (sha1(pki.leaf.der), KEYCHAIN)) in fake.calls
    assert sha1(pki.leaf.der) not in fake.items


def test_a_key_shared_with_a_renewed_certificate_is_kept(fake: FakeSecurity,
                                                         store: MacKeychainStore) -> None:
    pki = make_pki()
    store.import_identity(identity(pki))
    renewed = make_leaf(pki.intermediate, "Jane Smith", key=pki.leaf.key, days=730)
    fake._add(renewed.der)
    store.remove(pki.leaf.sha256)
    assert not [n for n, _ in fake.calls if n == "delete_identity"]
    assert ("delete_certificate", (sha1(pki.leaf.der), KEYCHAIN, False)) in fake.calls


def test_removal_matches_sha256_and_absent_is_fine(fake: FakeSecurity,
                                                   store: MacKeychainStore) -> None:
    first = make_root("Twin Root A", serial=7)
    second = make_root("Twin Root B", serial=7, key=pooled_key("rsa2048", 3))
    store.add_many([item(first), item(second)])
    store.remove(first.sha256)
    assert set(fake.items) == {sha1(second.der)}
    # -t: the user-domain trust setting of a root goes with it.
    assert ("delete_certificate", (sha1(first.der), KEYCHAIN, True)) in fake.calls
    store.remove(first.sha256)


# --- export ---------------------------------------------------------------------------------
@pytest.mark.parametrize("profile", ["modern", "compatible"])
def test_export_rewraps_with_the_users_password(fake: FakeSecurity, store: MacKeychainStore,
                                                profile: str) -> None:
    pki = make_pki("CAISO Test")
    store.import_identity(identity(pki))
    data = store.export_identity(pki.leaf.sha256, "users own secret", profile)  # type: ignore[arg-type]
    key, cert, extra = pkcs12.load_key_and_certificates(data, b"users own secret")
    assert cert is not None and cert.fingerprint(hashes.SHA256()).hex() == pki.leaf.sha256
    assert key is not None and item(pki.leaf).matches_key(key)
    assert [c.fingerprint(hashes.SHA256()).hex() for c in extra] == [
        pki.intermediate.sha256, pki.root.sha256]
    # The user's password never went to the tool (it would be on its command line).
    assert all("users own secret" not in repr(args) for _, args in fake.calls)


def test_export_refusals(fake: FakeSecurity, store: MacKeychainStore) -> None:
    pki = make_pki()
    with pytest.raises(BadInputError, match=pki.leaf.sha256):
        store.export_identity(pki.leaf.sha256, "pw", "modern")
    store.add_intermediate(item(pki.leaf))
    with pytest.raises(NotExportableError, match="ask your operator"):
        store.export_identity(pki.leaf.sha256, "pw", "modern")


def test_export_of_a_second_identity_says_what_to_do(fake: FakeSecurity,
                                                     store: MacKeychainStore) -> None:
    first = make_pki("ERCOT Test", "Alice")
    second_leaf = make_leaf(first.intermediate, "Bob", key=pooled_key("rsa2048", 4))
    store.import_identity(identity(first))
    store.import_identity(Identity(item(second_leaf, key=True), (item(first.intermediate),)))
    with pytest.raises(NotExportableError, match="Keychain Access"):
        store.export_identity(second_leaf.sha256, "pw", "modern")


def test_non_exportable_key_sentence(fake: FakeSecurity, store: MacKeychainStore) -> None:
    pki = make_pki()
    store.import_identity(identity(pki))
    fake.fail["export_identities"] = ("SecKeychainItemExport: The contents of this item "
                                      "cannot be retrieved.")
    with pytest.raises(NotExportableError, match="ask your operator"):
        store.export_identity(pki.leaf.sha256, "pw", "compatible")


# --- error sentences ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "kind", "words"),
    [
        ("SecTrustSettingsSetTrustSettings: The authorization was canceled by the user.",
         CancelledError, "declined macOS' confirmation"),
        ("SecKeychainItemImport: User interaction is not allowed.", StoreLockedError,
         "locked"),
        ("SecTrustSettingsSetTrustSettings: errSecInternalComponent", TargetError,
         "desktop session"),
        ("Error: write permissions error.", TargetError, "administrator"),
        ("Something nobody expected.", TargetError, "Something nobody expected."),
    ],
)
def test_tool_messages_become_sentences(fake: FakeSecurity, store: MacKeychainStore,
                                        said: str, kind: type[Exception], words: str) -> None:
    fake.fail["add_trusted_cert"] = said
    with pytest.raises(kind, match=words) as caught:
        store.add_anchor(item(make_root("Sentence Root")))
    assert "Sentence Root" in str(caught.value)  # it names what was being done
    assert type(caught.value) is kind


@pytest.mark.parametrize("form", ["message", "osstatus"])
def test_a_locked_keychain_without_a_desktop_session_says_what_to_do(
    fake: FakeSecurity, store: MacKeychainStore, form: str
) -> None:
    fake.no_interaction = form
    pki = make_pki()
    for action in (lambda: store.add_anchor(item(pki.root)),
                   lambda: store.import_identity(identity(pki)),
                   lambda: store.list()):
        with pytest.raises(StoreLockedError) as caught:
            action()
        sentence = str(caught.value)
        assert sentence.endswith("and try again.") and sentence.count(". ") == 0
        assert "unlock" in sentence and "security unlock-keychain" in sentence
        assert "logged in at the screen" in sentence and KEYCHAIN in sentence
        assert "-25308" not in sentence and "OSStatus" not in sentence


def test_cli_reports_the_locked_keychain_sentence(
    fake: FakeSecurity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    """`gridcert install ... --target macos-login` and `list` on a Mac reached over SSH."""
    import json

    from app.cli import main
    from app.stores import registry

    fake.no_interaction = "osstatus"
    mac = MacKeychainStore("login", keychain=KEYCHAIN, api=fake)
    monkeypatch.setattr(registry, "_platform", lambda: "macos")
    monkeypatch.setattr(registry, "_mac_store", lambda scope: mac)
    # The keychain file exists on a Mac; here only the fake does.
    monkeypatch.setattr(mac, "available", lambda: Availability(True))
    root = make_root("Locked Root").write(tmp_path / "root.pem")

    code = main(["install", str(root), "--target", "macos-login", "--yes", "--json"])
    captured = capsys.readouterr()
    assert code == 4, captured.err
    document = json.loads(captured.out)
    assert document["ok"] is False
    assert "security unlock-keychain" in captured.err
    assert "Traceback" not in captured.err

    code = main(["list", "--target", "macos-login", "--json"])
    captured = capsys.readouterr()
    (problem,) = json.loads(captured.out)["problems"]
    assert problem["target"] == "macos-login"
    assert "security unlock-keychain" in problem["message"]


def test_availability_off_macos() -> None:
    real = MacKeychainStore("login")
    if sys.platform != "darwin":
        assert not real.available().usable
        assert "only on macOS" in (real.available().reason or "")
    missing = MacKeychainStore("login", keychain="/nonexistent/x.keychain-db",
                               api=FakeSecurity())
    assert "does not exist" in (missing.available().reason or "")
    with pytest.raises(ValueError):
        MacKeychainStore("everyone")  # type: ignore[arg-type]


# --- the thin layer's command lines (a stand-in `security` program on PATH) -----------------
_STUB = """#!{python}
import json, os, sys
args = sys.argv[1:]
with open(os.environ["STUB_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
if "-o" in args:
    with open(args[args.index("-o") + 1], "wb") as out:
        out.write(b"P12-BYTES")
said = os.environ.get("STUB_SAY", "")
if said:
    sys.stderr.write(said + "\\n")
    sys.exit(1)
sys.stdout.write(os.environ.get("STUB_OUT", ""))
"""


@pytest.fixture
def stub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if sys.platform == "win32":
        pytest.skip("the stand-in 'security' program is a POSIX script")
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "security"
    program.write_text(_STUB.format(python=sys.executable))
    program.chmod(0o755)
    log = tmp_path / "argv.log"
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("STUB_LOG", str(log))
    return log


def _argv(log: Path) -> list[list[str]]:
    import json

    return [json.loads(line) for line in log.read_text().splitlines()]


def test_thin_layer_command_lines(stub: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.stores import _macos_security as sec

    assert sec.available()
    sec.add_trusted_cert("/t/root.pem", KEYCHAIN, admin_domain=False)
    sec.add_trusted_cert("/t/root.pem", SYSTEM_KEYCHAIN, admin_domain=True)
    sec.add_certificates(["/t/a.pem", "/t/b.pem"], KEYCHAIN)
    sec.import_pkcs12("/t/id.p12", "throwaway", KEYCHAIN)
    sec.delete_certificate("ab" * 20, KEYCHAIN, with_user_trust=True)
    sec.delete_identity("cd" * 20, KEYCHAIN)
    sec.remove_trusted_cert("/t/root.pem", admin_domain=True)
    assert sec.export_identities(KEYCHAIN, "throwaway") == b"P12-BYTES"
    monkeypatch.setenv("STUB_OUT", "SHA-1 hash: 00\n")
    assert sec.find_certificates(KEYCHAIN) == "SHA-1 hash: 00\n"
    calls = _argv(stub)
    assert calls[0] == ["add-trusted-cert", "-r", "trustRoot", "-k", KEYCHAIN, "/t/root.pem"]
    assert calls[1] == ["add-trusted-cert", "-d", "-r", "trustRoot", "-k", SYSTEM_KEYCHAIN,
                        "/t/root.pem"]
    assert calls[2] == ["add-certificates", "-k", KEYCHAIN, "/t/a.pem", "/t/b.pem"]
    assert calls[3] == ["import", "/t/id.p12", "-k", KEYCHAIN, "-f", "pkcs12", "-P",
                        "throwaway"]
    assert calls[4] == ["delete-certificate", "-Z", "AB" * 20, "-t", KEYCHAIN]
    assert calls[5] == ["delete-identity", "-Z", "CD" * 20, KEYCHAIN]
    assert calls[6] == ["remove-trusted-cert", "-d", "/t/root.pem"]
    assert calls[7][:8] == ["export", "-k", KEYCHAIN, "-t", "identities", "-f", "pkcs12", "-P"]
    assert calls[8] == ["find-certificate", "-a", "-Z", "-p", KEYCHAIN]


def test_thin_layer_failure_reaches_the_store_as_a_sentence(
    stub: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.stores import _macos_security as sec

    monkeypatch.setenv("STUB_SAY", "security: SecKeychainItemImport: User interaction is not "
                                   "allowed.")
    with pytest.raises(SecurityToolError) as caught:
        sec.add_certificates(["/t/a.pem"], KEYCHAIN)
    assert caught.value.status == 1 and "User interaction" in caught.value.said
    store = MacKeychainStore("login", keychain=KEYCHAIN)  # the real thin layer
    pki = make_pki()
    with pytest.raises(StoreLockedError, match="locked"):
        store.add_intermediate(item(pki.intermediate))
