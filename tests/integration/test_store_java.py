"""JavaKeystore against real keystores, checked with `keytool -list` itself."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12

from app.core.errors import TargetError
from app.core.model import CertificateItem
from app.stores.base import Identity
from app.stores.java import (
    JavaKeystore,
    cacerts_of,
    describe_java,
    discover_java_keystores,
    java_homes,
)
from tests.helpers import require_tool
from tests.pki import Pki, make_pki, make_root, pooled_key
from tests.realtools import keytool_truststore


@pytest.fixture(autouse=True)
def _keytool() -> None:
    require_tool("keytool", "openjdk-17-jre-headless")


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("ERCOT", "Jane Smith")


def item(issued: object) -> CertificateItem:
    return CertificateItem(issued.cert, "test.pem")  # type: ignore[attr-defined]


def keytool_list(path: Path, password: str) -> dict[str, tuple[str, str]]:
    """alias -> (entry type, SHA-256 as 64 lower-case hex), as keytool prints them."""
    done = subprocess.run(["keytool", "-list", "-v", "-keystore", str(path), "-storepass:env",
                           "KS_PW"], capture_output=True, text=True, check=True,
                          env={**os.environ, "KS_PW": password})
    out: dict[str, tuple[str, str]] = {}
    for block in done.stdout.split("Alias name: ")[1:]:
        alias = block.splitlines()[0].strip()
        kind = re.search(r"Entry type: (\S+)", block)
        sha = re.search(r"SHA256: ([0-9A-F:]+)", block)
        assert kind and sha
        out[alias] = (kind.group(1), sha.group(1).replace(":", "").lower())
    return out


def test_add_list_remove_roots(tmp_path: Path, pki: Pki) -> None:
    path = tmp_path / "trust.p12"
    store = JavaKeystore(path, "s3cret!")
    assert store.available().usable
    store.add_anchor(item(pki.root))
    store.add_intermediate(item(pki.intermediate))
    listed = keytool_list(path, "s3cret!")
    assert {sha for _, sha in listed.values()} == {pki.root.sha256, pki.intermediate.sha256}
    assert all(kind == "trustedCertEntry" for kind, _ in listed.values())
    assert "ercot root ca" in {alias.lower() for alias in listed}
    assert {e.item.sha256 for e in store.list()} == {pki.root.sha256, pki.intermediate.sha256}

    store.remove(pki.root.sha256)
    assert [sha for _, sha in keytool_list(path, "s3cret!").values()] == [pki.intermediate.sha256]
    store.remove(pki.root.sha256)  # absent: nothing to do
    assert len(store.list()) == 1


def test_batch_and_duplicates(tmp_path: Path, pki: Pki) -> None:
    path = tmp_path / "cacerts"
    keytool_truststore(path, "changeit", [pki.root])
    store = JavaKeystore(path)  # the JRE default password
    key = pooled_key("rsa2048", 6)
    roots = [item(make_root("Same Name", key=key, serial=900 + n)) for n in range(12)]
    store.add_many([item(pki.root), *roots, roots[0]])
    listed = keytool_list(path, "changeit")
    assert len(listed) == 13
    assert {sha for _, sha in listed.values()} == {pki.root.sha256} | {r.sha256 for r in roots}
    # Aliases stay readable and unique.
    assert "same name" in {a.lower() for a in listed} and "same name #12" in {
        a.lower() for a in listed}


def test_identity_import(tmp_path: Path, pki: Pki) -> None:
    path = tmp_path / "client.p12"
    store = JavaKeystore(path, "store pw")
    leaf = CertificateItem(pki.leaf.cert, "jane.pfx", pki.leaf.key)
    store.import_identity(Identity(leaf, (item(pki.intermediate), item(pki.root))))
    listed = keytool_list(path, "store pw")
    assert listed["jane smith"] == ("PrivateKeyEntry", pki.leaf.sha256)
    entry = next(e for e in store.list() if e.item.sha256 == pki.leaf.sha256)
    assert entry.key_in_store is True
    # The key really is there: keytool can export the entry to a PKCS#12 with it.
    out = tmp_path / "back.p12"
    subprocess.run(["keytool", "-importkeystore", "-srckeystore", str(path), "-srcstorepass:env",
                    "KS_PW", "-destkeystore", str(out), "-deststoretype", "PKCS12",
                    "-deststorepass:env", "KS_PW", "-noprompt"],
                   check=True, capture_output=True, env={**os.environ, "KS_PW": "store pw"})
    assert keytool_list(out, "store pw")["jane smith"][0] == "PrivateKeyEntry"
    exported = pkcs12.load_pkcs12(
        store.export_identity(pki.leaf.sha256, "export pw", "compatible"), b"export pw")
    assert exported.cert is not None and exported.key is not None
    assert exported.cert.certificate == pki.leaf.cert and leaf.matches_key(exported.key)
    assert {c.certificate for c in exported.additional_certs} == {pki.root.cert,
                                                                  pki.intermediate.cert}
    store.remove(pki.leaf.sha256)
    assert keytool_list(path, "store pw") == {}


def test_wrong_password_is_a_target_error(tmp_path: Path, pki: Pki) -> None:
    path = tmp_path / "trust.p12"
    keytool_truststore(path, "right-pw", [pki.root])
    before = path.read_bytes()
    store = JavaKeystore(path, "wrong")
    with pytest.raises(TargetError, match=r"password of the Java keystore .* is wrong"):
        store.add_anchor(item(pki.intermediate))
    with pytest.raises(TargetError, match="wrong"):
        store.list()
    assert path.read_bytes() == before


def test_password_never_on_the_command_line(tmp_path: Path, pki: Pki,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from app.stores import java as java_module

    seen: list[list[str]] = []
    real = java_module.run_tool

    def spy(args: list[str], **kwargs: object) -> object:
        seen.append(list(args))
        return real(args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(java_module, "run_tool", spy)
    store = JavaKeystore(tmp_path / "k.p12", "Very-Secret-42")
    store.add_many([item(pki.root), item(pki.intermediate)])
    store.add_anchor(item(make_root("Another", key=pooled_key("rsa2048", 5))))
    store.list()
    assert seen and all("Very-Secret-42" not in " ".join(args) for args in seen)


def test_discovery_finds_jres(tmp_path: Path) -> None:
    home = tmp_path / "jvm" / "jdk-21.0.2"
    (home / "lib" / "security").mkdir(parents=True)
    (home / "bin").mkdir()
    (home / "bin" / "javac").write_text("")
    (home / "release").write_text('JAVA_VERSION="21.0.2"\nIMPLEMENTOR="Eclipse Adoptium"\n')
    (home / "lib" / "security" / "cacerts").write_bytes(b"keystore")
    env = {"JAVA_HOME": str(home)}
    assert java_homes("linux", env)[0] == home
    assert cacerts_of(home) == home / "lib" / "security" / "cacerts"
    assert describe_java(home) == "Java (JDK 21)"
    stores = discover_java_keystores("linux", env)
    first = stores[0]
    assert not first.holds_identities  # a JRE's trust list: no personal keys
    assert JavaKeystore(tmp_path / "client.p12").holds_identities
    assert first.id == f"java:{home / 'lib' / 'security' / 'cacerts'}"
    assert first.label == "Java (JDK 21)"
    # An old JRE layout (jre/lib/security) and a JRE without javac.
    old = tmp_path / "jvm" / "jre1.8.0_401"
    (old / "jre" / "lib" / "security").mkdir(parents=True)
    (old / "jre" / "lib" / "security" / "cacerts").write_bytes(b"")
    assert cacerts_of(old) == old / "jre" / "lib" / "security" / "cacerts"
    assert describe_java(old) == "Java (JRE 8)"


def test_shared_cacerts_is_listed_once(tmp_path: Path) -> None:
    shared = tmp_path / "etc" / "cacerts"
    shared.parent.mkdir(parents=True)
    shared.write_bytes(b"keystore")
    homes = []
    for name, version in (("java-17-openjdk", "17.0.9"), ("temurin-25-jdk", "25")):
        home = tmp_path / "jvm" / name
        (home / "lib" / "security").mkdir(parents=True)
        (home / "lib" / "security" / "cacerts").symlink_to(shared)
        (home / "release").write_text(f'JAVA_VERSION="{version}"\n')
        homes.append(home)
    stores = discover_java_keystores("linux", {}, homes=homes)
    assert len(stores) == 1
    assert os.path.realpath(stores[0].path) == str(shared)
    assert stores[0].label == "Java (JRE 17, JRE 25)"


# --- a keystore GridCert may not write (Program Files on Windows) ------------------------------
_RO_PROBE = """
import json, os, sys
sys.path.insert(0, {repo!r})
from app.stores import java
# As on Windows: os.access reads only the read-only attribute and ignores ACLs, so it says
# yes to a folder the user may not write.
java.os.access = lambda *args, **kwargs: True
keystore = java.JavaKeystore({keystore!r}, keytool={keytool!r})
missing = java.JavaKeystore({missing!r}, keytool={keytool!r})
print(json.dumps([keystore.available().reason, missing.available().reason]))
"""


def test_a_keystore_in_a_folder_that_refuses_writes_is_not_offered(tmp_path: Path) -> None:
    """A real read-only folder: a read-only bind mount in a private mount namespace.

    This machine runs the tests as root, and chmod does not stop root; a read-only mount
    does. `unshare -m` gives the child its own mount table, so nothing else sees it.
    """
    import shutil
    import sys

    unshare = shutil.which("unshare")
    if unshare is None or os.geteuid() != 0:
        pytest.skip("needs unshare and root for a private read-only bind mount")
    folder = tmp_path / "Program Files" / "Java" / "jdk-17" / "lib" / "security"
    folder.mkdir(parents=True)
    keystore = folder / "cacerts"
    keystore.write_bytes(b"not touched")
    before = keystore.stat().st_mtime_ns
    script = _RO_PROBE.format(repo=str(Path(__file__).resolve().parents[2]),
                              keystore=str(keystore), missing=str(folder / "other.p12"),
                              keytool=shutil.which("keytool"))
    done = subprocess.run(
        [unshare, "-m", "sh", "-c",
         'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && exec "$2" -c "$3"',
         "sh", str(folder), sys.executable, script],
        capture_output=True, text=True, timeout=120, check=False)
    if "mount:" in done.stderr or "unshare:" in done.stderr:
        pytest.skip(f"no private read-only mount here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    reasons = json.loads(done.stdout)
    assert reasons == [
        f"The Java keystore {keystore} is on a read-only disk; GridCert cannot change it.",
        f"The Java keystore {folder / 'other.p12'} is on a read-only disk; GridCert cannot "
        "change it.",
    ]
    assert keystore.read_bytes() == b"not touched" and keystore.stat().st_mtime_ns == before


def test_a_keystore_the_acl_refuses_needs_administrator_rights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows' answer for cacerts under Program Files: CreateFile for write access fails
    with ERROR_ACCESS_DENIED, which Python raises as PermissionError. There is no ACL to set
    here (root passes every permission check), so the probe's `open` and `mkstemp` raise
    what Windows would, and os.access says yes as it does there."""
    import builtins

    from app.stores import java

    keystore = tmp_path / "cacerts"
    keystore.write_bytes(b"x")
    real_open = builtins.open

    def denying_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if Path(str(file)) == keystore and any(c in mode for c in "wa+"):
            raise PermissionError(13, "Access is denied", str(file))
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    def denying_mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Access is denied", str(kwargs.get("dir")))

    monkeypatch.setattr(java.os, "access", lambda *a, **k: True)
    monkeypatch.setattr(builtins, "open", denying_open)
    monkeypatch.setattr(java.tempfile, "mkstemp", denying_mkstemp)
    for path in (keystore, tmp_path / "new.p12"):
        state = JavaKeystore(path).available()
        assert not state.usable
        assert state.reason == (f"Changing the Java keystore {path} needs administrator "
                                "rights; run GridCert as an administrator, or choose a "
                                "keystore of your own.")
    monkeypatch.setattr(builtins, "open", real_open)
    assert keystore.read_bytes() == b"x"
