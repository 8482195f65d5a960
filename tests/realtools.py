"""Certificate files made by the REAL tools users' files come from, for tests.

Each helper runs the tool (OpenSSL, Java `keytool`, NSS `pk12util`) exactly as people
and other software do, and returns the path of the file it wrote. A missing tool skips
the test here and fails it on CI (`tests.helpers.require_tool`).

Secrets stay off argv and off disk where the tool allows it: OpenSSL reads keys from
standard input and passwords from an inherited pipe (`-passout fd:N`); keytool and
pk12util only take password files, which are 0600 and deleted as soon as the tool ends.

Typical use::

    pki = make_pki()
    pfx = openssl_pkcs12(tmp_path / "0123456789012$JSMITH.pfx", pki.leaf, "pw",
                         chain=[pki.intermediate, pki.root], variant="legacy")
    assert openssl_fingerprint(pki.leaf.pem) == pki.leaf.sha256
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

import pytest

from tests.helpers import ON_CI, require_tool
from tests.pki import Issued, pfx_bytes

OPENSSL_PACKAGE = "openssl"
KEYTOOL_PACKAGE = "openjdk-17-jre-headless"
NSS_PACKAGE = "libnss3-tools"

Pkcs12Variant = Literal["default", "legacy", "3des", "unencrypted"]
"""How `openssl pkcs12 -export` protects the file:

- ``default``: OpenSSL 3's default, AES-256-CBC with PBKDF2 and a SHA-256 MAC;
- ``legacy``: ``-legacy``, RC2-40 certificates + 3DES key, SHA-1 MAC (old Windows/macOS);
- ``3des``: ``-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1`` (Windows' own);
- ``unencrypted``: ``-keypbe NONE -certpbe NONE -nomac``: no password at all.
"""


def _run(
    command: Sequence[str],
    *,
    stdin: bytes | None = None,
    pass_fds: Sequence[int] = (),
    cwd: Path | None = None,
) -> bytes:
    completed = subprocess.run(
        list(command),
        input=stdin,
        capture_output=True,
        pass_fds=tuple(pass_fds),
        cwd=cwd,
        check=False,
    )
    if completed.returncode != 0:
        raise AssertionError(
            f"{command[0]} failed ({completed.returncode}): "
            f"{completed.stderr.decode(errors='replace').strip()}"
        )
    return completed.stdout


@contextlib.contextmanager
def _password_pipe(password: str) -> Iterator[int]:
    """A pipe's read end holding `password` + newline, for OpenSSL's `-passin/-passout fd:N`."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, password.encode("utf-8") + b"\n")
        os.close(write_end)
        yield read_end
    finally:
        os.close(read_end)


@contextlib.contextmanager
def password_file(password: str, folder: Path | None = None) -> Iterator[Path]:
    """A 0600 file holding `password` (keytool `-storepass:file`, pk12util `-w`), then deleted."""
    handle, name = tempfile.mkstemp(prefix=".pw-", dir=folder)
    try:
        os.fchmod(handle, 0o600)
        os.write(handle, password.encode("utf-8") + b"\n")
        os.close(handle)
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def openssl() -> str:
    return require_tool("openssl", OPENSSL_PACKAGE)


# --- fingerprints and inspection ------------------------------------------------------


def openssl_fingerprint(pem_or_path: bytes | Path, *, der: bool = False) -> str:
    """`openssl x509 -fingerprint -sha256` of a certificate, as 64 lowercase hex digits."""
    command = [openssl(), "x509", "-noout", "-fingerprint", "-sha256"]
    if der:
        command += ["-inform", "DER"]
    if isinstance(pem_or_path, Path):
        output = _run([*command, "-in", str(pem_or_path)])
    else:
        output = _run(command, stdin=pem_or_path)
    value = output.decode().strip().split("=", 1)[1]
    return value.replace(":", "").lower()


def openssl_fingerprints(bundle: Path) -> list[str]:
    """SHA-256 of every certificate of a PEM bundle, in file order, each by `openssl x509`."""
    text = bundle.read_bytes()
    marker = b"-----END CERTIFICATE-----"
    out = []
    start = 0
    while (end := text.find(marker, start)) >= 0:
        block = text[text.index(b"-----BEGIN CERTIFICATE-----", start) : end + len(marker)]
        out.append(openssl_fingerprint(block + b"\n"))
        start = end + len(marker)
    return out


def openssl_pkcs12_info(path: Path, password: str) -> str:
    """`openssl pkcs12 -info -noout -legacy`: the MAC and each bag's algorithm, as text."""
    with _password_pipe(password) as fd:
        completed = subprocess.run(
            [
                openssl(),
                "pkcs12",
                "-info",
                "-noout",
                "-legacy",
                "-in",
                str(path),
                "-passin",
                f"fd:{fd}",
            ],
            capture_output=True,
            pass_fds=(fd,),
            check=False,
        )
    # -info writes its report on stderr.
    return (completed.stdout + completed.stderr).decode(errors="replace")


# --- PKCS#12 --------------------------------------------------------------------------


def openssl_pkcs12(
    out: Path,
    leaf: Issued,
    password: str | None,
    chain: Sequence[Issued] = (),
    *,
    variant: Pkcs12Variant = "default",
    friendly_name: str | None = "Jane Smith",
) -> Path:
    """`openssl pkcs12 -export` of `leaf` + its key (+ `chain`) into `out`.

    `password` None means the ``unencrypted`` variant; "" an encrypted file whose password
    is empty (what some exports and Windows produce).
    """
    command = [openssl(), "pkcs12", "-export", "-out", str(out)]
    if friendly_name is not None:
        command += ["-name", friendly_name]
    if variant == "legacy":
        command.append("-legacy")
    elif variant == "3des":
        command += ["-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1"]
    if password is None or variant == "unencrypted":
        command += ["-keypbe", "NONE", "-certpbe", "NONE", "-nomac"]
        password = ""
    # The key and the certificate come in on stdin: the key never touches the disk.
    stdin = leaf.key_pem + leaf.pem
    with contextlib.ExitStack() as stack:
        if chain:
            chain_file = out.with_name(out.name + ".chain.pem")
            chain_file.write_bytes(b"".join(c.pem for c in chain))
            stack.callback(chain_file.unlink)
            command += ["-certfile", str(chain_file)]
        fd = stack.enter_context(_password_pipe(password))
        _run([*command, "-passout", f"fd:{fd}"], stdin=stdin, pass_fds=[fd])
    return out


def keytool_identity(
    out: Path,
    password: str,
    *,
    alias: str = "jane",
    dname: str = "CN=Jane Java,O=GridCert Test",
    keyalg: str = "RSA",
    keysize: int = 2048,
) -> Path:
    """`keytool -genkeypair -storetype PKCS12`: a key pair + self-signed certificate made by Java.

    keytool wants a store password of at least 6 characters.
    """
    keytool = require_tool("keytool", KEYTOOL_PACKAGE)
    with password_file(password, out.parent) as secret:
        _run(
            [
                keytool,
                "-genkeypair",
                "-storetype",
                "PKCS12",
                "-keystore",
                str(out),
                "-storepass:file",
                str(secret),
                "-alias",
                alias,
                "-keyalg",
                keyalg,
                "-keysize",
                str(keysize),
                "-dname",
                dname,
                "-validity",
                "365",
            ]
        )
    return out


def keytool_truststore(out: Path, password: str, certificates: Sequence[Issued]) -> Path:
    """`keytool -importcert` of each certificate as a trusted entry: a PKCS#12 without keys."""
    keytool = require_tool("keytool", KEYTOOL_PACKAGE)
    with password_file(password, out.parent) as secret:
        for index, issued in enumerate(certificates):
            source = out.with_name(f"{out.name}.{index}.pem")
            issued.write(source)
            try:
                _run(
                    [
                        keytool,
                        "-importcert",
                        "-noprompt",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        str(out),
                        "-storepass:file",
                        str(secret),
                        "-alias",
                        f"ca{index}",
                        "-file",
                        str(source),
                    ]
                )
            finally:
                source.unlink()
    return out


def nss_database(folder: Path) -> Path:
    """A new NSS database (cert9.db/key4.db) in `folder`, with an empty database password."""
    certutil = require_tool("certutil", NSS_PACKAGE)
    folder.mkdir(parents=True, exist_ok=True)
    _run([certutil, "-N", "-d", f"sql:{folder}", "--empty-password"])
    return folder


def pk12util_pkcs12(
    out: Path,
    leaf: Issued,
    password: str,
    chain: Sequence[Issued] = (),
    *,
    nickname: str = "Jane Smith",
) -> Path:
    """`pk12util -o`: `leaf` + key imported into a fresh NSS database, exported by NSS.

    NSS (Firefox's library) writes PBES2/AES with 600 000 PBKDF2 rounds by default.
    """
    pk12util = require_tool("pk12util", NSS_PACKAGE)
    with tempfile.TemporaryDirectory(dir=out.parent) as scratch:
        database = nss_database(Path(scratch) / "db")
        bundle = Path(scratch) / "in.p12"
        bundle.write_bytes(pfx_bytes(leaf, password, chain, friendly_name=nickname))
        with (
            password_file(password, Path(scratch)) as secret,
            password_file("", Path(scratch)) as db_secret,
        ):
            _run(
                [
                    pk12util,
                    "-i",
                    str(bundle),
                    "-d",
                    f"sql:{database}",
                    "-w",
                    str(secret),
                    "-k",
                    str(db_secret),
                ]
            )
            _run(
                [
                    pk12util,
                    "-o",
                    str(out),
                    "-n",
                    nickname,
                    "-d",
                    f"sql:{database}",
                    "-w",
                    str(secret),
                    "-k",
                    str(db_secret),
                ]
            )
    return out


# --- other formats --------------------------------------------------------------------


def openssl_der(out: Path, issued: Issued) -> Path:
    """`openssl x509 -outform DER`."""
    _run([openssl(), "x509", "-outform", "DER", "-out", str(out)], stdin=issued.pem)
    return out


def openssl_p7b(out: Path, certificates: Sequence[Issued], *, der: bool = False) -> Path:
    """`openssl crl2pkcs7 -nocrl`: a .p7b certificate bundle, PEM (default) or DER."""
    bundle = out.with_name(out.name + ".in.pem")
    bundle.write_bytes(b"".join(c.pem for c in certificates))
    try:
        _run(
            [
                openssl(),
                "crl2pkcs7",
                "-nocrl",
                "-certfile",
                str(bundle),
                "-outform",
                "DER" if der else "PEM",
                "-out",
                str(out),
            ]
        )
    finally:
        bundle.unlink()
    return out


def openssl_trusted_certificate(out: Path, issued: Issued) -> Path:
    """`openssl x509 -trustout -addtrust clientAuth`: a `TRUSTED CERTIFICATE` PEM block."""
    _run(
        [openssl(), "x509", "-trustout", "-addtrust", "clientAuth", "-out", str(out)],
        stdin=issued.pem,
    )
    return out


def openssl_encrypted_key(
    out: Path, issued: Issued, password: str, *, traditional: bool = False
) -> Path:
    """The private key of `issued`, encrypted: PKCS#8 AES-256 (`ENCRYPTED PRIVATE KEY`), or
    with `traditional` the old OpenSSL form (`Proc-Type: 4,ENCRYPTED`, RSA keys only)."""
    if traditional:
        command = [openssl(), "rsa", "-aes256", "-traditional"]
    else:
        command = [openssl(), "pkcs8", "-topk8", "-v2", "aes-256-cbc"]
    with _password_pipe(password) as fd:
        _run(
            [*command, "-out", str(out), "-passout", f"fd:{fd}"],
            stdin=issued.key_pem,
            pass_fds=[fd],
        )
    out.chmod(0o600)
    return out


# --- real-world certificates ----------------------------------------------------------


def mozilla_bundle() -> Path:
    """Mozilla's root bundle as shipped by `certifi` (pip's vendored copy is the same data)."""
    try:
        import certifi

        return Path(certifi.where())
    except ImportError:
        pass
    try:
        from pip._vendor import certifi as vendored

        return Path(vendored.where())
    except ImportError:
        message = "certifi is not installed (it is in the dev extra: make test installs it)"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)


def openssl_issue(
    out: Path,
    subject: str,
    key_of: Issued,
    issuer: Issued,
    *,
    digest: str = "sha1",
    days: int = 365,
) -> Path:
    """A certificate for `key_of`'s key, named `subject` (e.g. "/CN=Old Jane"), signed by
    `issuer` with `digest` through `openssl req` + `openssl x509 -req`: the way to get
    the SHA-1 signatures pyca refuses to make."""
    csr = out.with_name(out.name + ".csr")
    _run(
        [openssl(), "req", "-new", "-key", "/dev/stdin", "-subj", subject, "-out", str(csr)],
        stdin=key_of.key_pem,
    )
    ca = out.with_name(out.name + ".ca.pem")
    ca.write_bytes(issuer.pem)
    try:
        _run(
            [
                openssl(),
                "x509",
                "-req",
                "-in",
                str(csr),
                "-CA",
                str(ca),
                "-CAkey",
                "/dev/stdin",
                "-set_serial",
                "4242",
                f"-{digest}",
                "-days",
                str(days),
                "-out",
                str(out),
            ],
            stdin=issuer.key_pem,
        )
    finally:
        csr.unlink(missing_ok=True)
        ca.unlink(missing_ok=True)
    return out


def openssl_self_signed(
    out: Path, subject: str, key_of: Issued, *, digest: str = "sha1", days: int = 365
) -> Path:
    """`openssl req -x509`: a self-signed CA certificate for `key_of`'s key, signed with
    `digest` (OpenSSL's default config marks it CA:TRUE)."""
    _run(
        [
            openssl(),
            "req",
            "-x509",
            "-new",
            "-key",
            "/dev/stdin",
            "-subj",
            subject,
            f"-{digest}",
            "-days",
            str(days),
            "-out",
            str(out),
        ],
        stdin=key_of.key_pem,
    )
    return out
