"""app.core.reader on files made with pyca/cryptography: every kind, every bad input.

Real-tool files (openssl, keytool, pk12util) are in tests/integration/test_reader_realtools.py.
Each bad input is checked by its exact sentence, not only its type.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from app.core.errors import (
    BadInputError,
    LimitExceededError,
    PasswordRequiredError,
    WrongPasswordError,
)
from app.core.model import certificate_json
from app.core.reader import (
    DEFAULT_LIMITS,
    Limits,
    NotCertificateError,
    ReadProblem,
    ReadResult,
    read_bytes,
    read_paths,
)
from tests.pki import Pki, make_leaf, make_pki, make_root, pfx_bytes, pooled_key


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("GridCert Reader")


def only_problem(result: ReadResult) -> ReadProblem:
    assert len(result.problems) == 1, [p.message for p in result.problems]
    return result.problems[0]


def fingerprints(result: ReadResult) -> list[str]:
    return [item.sha256 for item in result.items]


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


# --- PEM ------------------------------------------------------------------------------


def test_pem_bundle_with_text_headers_and_garbage(pki: Pki) -> None:
    data = (
        b"Subject: whatever the mail client added\n\nsome garbage \x00\x01\n"
        + b"Bag Attributes\n    friendlyName: x\n"
        + pki.root.pem
        + b"between the blocks\n"
        + pki.intermediate.pem
        + pki.leaf.pem
        + b"trailing words"
    )
    result = read_bytes(data, "chain.txt")
    assert result.problems == []
    assert fingerprints(result) == [pki.root.sha256, pki.intermediate.sha256, pki.leaf.sha256]
    assert [item.role for item in result.items] == ["root", "intermediate", "end-entity"]
    assert all(item.source == "chain.txt" for item in result.items)


def test_pem_with_crlf_bom_and_utf16(pki: Pki) -> None:
    crlf = pki.root.pem.replace(b"\n", b"\r\n")
    assert fingerprints(read_bytes(b"\xef\xbb\xbf" + crlf, "bom.cer")) == [pki.root.sha256]
    utf16 = b"\xff\xfe" + pki.root.pem.decode().encode("utf-16-le")
    assert fingerprints(read_bytes(utf16, "notepad.cer")) == [pki.root.sha256]


def test_pem_x509_certificate_label_and_rfc1421_headers(pki: Pki) -> None:
    body = pki.leaf.pem.replace(b"-----BEGIN CERTIFICATE-----\n", b"")
    body = body.replace(b"-----END CERTIFICATE-----\n", b"")
    data = b"-----BEGIN X509 CERTIFICATE-----\nComment: exported\n\n" + body
    data += b"-----END X509 CERTIFICATE-----\n"
    assert fingerprints(read_bytes(data, "old.pem")) == [pki.leaf.sha256]


def test_pkcs7_pem_and_der(pki: Pki) -> None:
    certs = [pki.root.cert, pki.intermediate.cert]
    pem = pkcs7.serialize_certificates(certs, serialization.Encoding.PEM)
    der = pkcs7.serialize_certificates(certs, serialization.Encoding.DER)
    expected = {pki.root.sha256, pki.intermediate.sha256}
    assert set(fingerprints(read_bytes(pem, "chain.p7b"))) == expected
    assert set(fingerprints(read_bytes(der, "chain.p7c"))) == expected


def test_der_certificate_whatever_the_extension(pki: Pki) -> None:
    result = read_bytes(pki.leaf.der, "looks-like.pem")
    assert fingerprints(result) == [pki.leaf.sha256]
    assert result.items[0].role == "end-entity"


def test_private_key_pairs_with_its_certificate_in_the_same_file(pki: Pki) -> None:
    data = pki.root.pem + pki.leaf.key_pem + pki.leaf.pem
    result = read_bytes(data, "both.pem")
    assert result.problems == []
    by_fp = {item.sha256: item for item in result.items}
    assert by_fp[pki.leaf.sha256].has_private_key
    assert by_fp[pki.leaf.sha256].matches_key(by_fp[pki.leaf.sha256].private_key)  # type: ignore[arg-type]
    assert not by_fp[pki.root.sha256].has_private_key


def test_encrypted_pkcs8_key_pairs_with_the_password(pki: Pki) -> None:
    encrypted = pki.leaf.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption("Straße-пароль-🔑".encode()),
    )
    data = pki.leaf.pem + encrypted
    result = read_bytes(data, "identity.pem", lambda source: "Straße-пароль-🔑")
    assert result.problems == []
    assert result.items[0].has_private_key

    without = read_bytes(data, "identity.pem")
    assert only_problem(without).message == (
        "‘identity.pem’ holds an encrypted private key; its password is needed to open it."
    )
    assert isinstance(only_problem(without).error, PasswordRequiredError)
    assert only_problem(without).needs_password
    assert fingerprints(without) == [pki.leaf.sha256]  # the certificate is still read

    wrong = read_bytes(data, "identity.pem", lambda source: "nope")
    assert only_problem(wrong).message == (
        "‘identity.pem’: the private key could not be decrypted: wrong password, or the key "
        "is damaged."
    )
    assert isinstance(only_problem(wrong).error, WrongPasswordError)


def test_key_in_a_separate_file_pairs_across_files(pki: Pki, tmp_path: Path) -> None:
    cert = pki.leaf.write(tmp_path / "cert.pem")
    key = pki.leaf.write_key(tmp_path / "key.pem")
    result = read_paths([cert, key])
    assert result.problems == []
    assert [item.has_private_key for item in result.items] == [True]


def test_key_alone_and_key_matching_nothing(pki: Pki, tmp_path: Path) -> None:
    key = pki.leaf.write_key(tmp_path / "key.pem")
    assert only_problem(read_paths([key])).message == (
        "‘key.pem’ holds a private key only; add its certificate file too."
    )
    mixed = tmp_path / "mixed.pem"
    mixed.write_bytes(pki.root.pem + pki.leaf.key_pem)
    result = read_paths([mixed])
    assert only_problem(result).message == (
        "‘mixed.pem’ holds a private key that matches none of the certificates read."
    )
    assert fingerprints(result) == [pki.root.sha256]


def test_damaged_pem_block_is_named_and_the_others_still_read(pki: Pki) -> None:
    broken = pki.intermediate.pem.replace(b"MII", b"M!I", 1)
    result = read_bytes(pki.root.pem + broken + pki.leaf.pem, "three.pem")
    assert only_problem(result).message == (
        "‘three.pem’ is damaged: PEM block 2 is not a readable certificate."
    )
    assert fingerprints(result) == [pki.root.sha256, pki.leaf.sha256]


def test_pem_block_without_end_line(pki: Pki) -> None:
    cut = pki.root.pem[: len(pki.root.pem) // 2]
    result = read_bytes(cut, "cut.pem")
    assert only_problem(result).message == (
        "‘cut.pem’ is truncated or damaged: a PEM block has no END line."
    )


def test_pem_with_only_a_csr_says_what_it_holds() -> None:
    data = b"-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"
    problem = only_problem(read_bytes(data, "request.csr"))
    assert problem.message == (
        "‘request.csr’ is not a certificate file (it holds a certificate request (CSR))."
    )
    assert isinstance(problem.error, NotCertificateError)


def test_trusted_certificate_block(pki: Pki) -> None:
    # OpenSSL's TRUSTED CERTIFICATE: the DER certificate followed by its trust settings.
    aux = bytes.fromhex("3010300a06082b06010505070302a0020500")
    import base64

    body = base64.encodebytes(pki.root.der + aux)
    data = b"-----BEGIN TRUSTED CERTIFICATE-----\n" + body + b"-----END TRUSTED CERTIFICATE-----\n"
    assert fingerprints(read_bytes(data, "trusted.pem")) == [pki.root.sha256]


# --- PKCS#12 --------------------------------------------------------------------------


@pytest.mark.parametrize("compatible", [False, True], ids=["aes256", "3des"])
def test_pkcs12_with_password(pki: Pki, compatible: bool) -> None:
    password = "Pä$$ wört ✓"
    data = pfx_bytes(
        pki.leaf,
        password,
        [pki.intermediate, pki.root],
        compatible=compatible,
        friendly_name="Jane Smith (ERCOT)",
    )
    source = "0123456789012$JSMITH.pfx"
    asked: list[str] = []

    def lookup(wanted: str) -> str:
        asked.append(wanted)
        return password

    result = read_bytes(data, source, lookup)
    assert result.problems == []
    assert asked == [source]
    assert result.pkcs12_sources == [source]
    assert fingerprints(result) == [pki.leaf.sha256, pki.intermediate.sha256, pki.root.sha256]
    leaf = result.items[0]
    assert leaf.has_private_key and leaf.matches_key(leaf.private_key)  # type: ignore[arg-type]
    assert leaf.friendly_name == "Jane Smith (ERCOT)"
    assert [item.has_private_key for item in result.items] == [True, False, False]
    assert len({item.container_id for item in result.items}) == 1
    assert result.items[0].container_id is not None
    assert {item.source for item in result.items} == {source}


def test_pkcs12_without_password_opens_without_asking(pki: Pki) -> None:
    # (The empty-password case is made by openssl in the real-tools tests: pyca refuses
    # to write one.)
    def never(source: str) -> str:
        raise AssertionError("no password should be asked for")

    result = read_bytes(pfx_bytes(pki.leaf, None, [pki.root]), "open.pfx", never)
    assert result.problems == []
    assert result.items[0].has_private_key
    assert result.pkcs12_sources == ["open.pfx"]


def test_pkcs12_password_required_and_wrong_password(pki: Pki) -> None:
    data = pfx_bytes(pki.leaf, "right", [pki.root])
    required = only_problem(read_bytes(data, "0123456789012$JSMITH.pfx"))
    assert required.message == (
        "‘0123456789012$JSMITH.pfx’ is protected by a password; it is needed to open it."
    )
    assert isinstance(required.error, PasswordRequiredError) and required.needs_password

    wrong = only_problem(read_bytes(data, "0123456789012$JSMITH.pfx", lambda s: "wrong"))
    assert wrong.message == (
        "‘0123456789012$JSMITH.pfx’ could not be opened: wrong password, or the file is damaged."
    )
    assert isinstance(wrong.error, WrongPasswordError) and wrong.needs_password
    assert wrong.error.exit_code == 3


def test_pkcs12_leaf_is_the_certificate_that_matches_the_key(pki: Pki) -> None:
    # No "main" certificate: the key's certificate is among the others, not first.
    data = pkcs12.serialize_key_and_certificates(
        None,
        pki.leaf.key,
        None,  # type: ignore[arg-type]
        [pki.intermediate.cert, pki.leaf.cert],
        serialization.NoEncryption(),
    )
    result = read_bytes(data, "reordered.p12")
    assert result.problems == []
    assert fingerprints(result) == [pki.leaf.sha256, pki.intermediate.sha256]
    assert [item.has_private_key for item in result.items] == [True, False]


def test_pkcs12_key_matching_no_certificate(pki: Pki) -> None:
    data = pkcs12.serialize_key_and_certificates(
        None,
        pki.root.key,
        None,  # type: ignore[arg-type]
        [pki.leaf.cert],
        serialization.NoEncryption(),
    )
    result = read_bytes(data, "odd.p12")
    assert only_problem(result).message == (
        "‘odd.p12’ holds a private key that matches none of its certificates."
    )
    assert fingerprints(result) == [pki.leaf.sha256]
    assert not result.items[0].has_private_key


def test_pkcs12_truncated(pki: Pki) -> None:
    data = pfx_bytes(pki.leaf, "pw", [pki.root])
    problem = only_problem(read_bytes(data[:-40], "cut.pfx", lambda s: "pw"))
    assert (
        problem.message == "‘cut.pfx’ is truncated: the file ends before its certificate data does."
    )


def test_pkcs12_with_too_many_kdf_rounds_is_refused(pki: Pki) -> None:
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(50_000)
        .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
        .hmac_hash(hashes.SHA1())
        .build(b"pw")
    )
    data = pkcs12.serialize_key_and_certificates(
        b"x",
        pki.leaf.key,
        pki.leaf.cert,
        None,
        encryption,  # type: ignore[arg-type]
    )
    limits = Limits(max_kdf_iterations=10_000)
    problem = only_problem(read_bytes(data, "slow.pfx", lambda s: "pw", limits))
    assert problem.message == (
        "‘slow.pfx’ was refused: its password protection asks for 50,000 rounds of key "
        "derivation (GridCert allows up to 10,000)."
    )
    assert isinstance(problem.error, LimitExceededError)
    assert read_bytes(data, "slow.pfx", lambda s: "pw").problems == []


# --- bad input ------------------------------------------------------------------------


def test_empty_file() -> None:
    assert only_problem(read_bytes(b"", "empty.cer")).message == "‘empty.cer’ is empty."


def test_truncated_der(pki: Pki) -> None:
    problem = only_problem(read_bytes(pki.leaf.der[:300], "short.cer"))
    assert problem.message == (
        "‘short.cer’ is truncated: the file ends before its certificate data does."
    )
    assert isinstance(problem.error, BadInputError)


def test_damaged_der(pki: Pki) -> None:
    der = bytearray(pki.leaf.der)
    der[6] = 0x05  # the TBSCertificate's first byte becomes NULL's tag
    assert only_problem(read_bytes(bytes(der), "bad.cer")).message == (
        "‘bad.cer’ is damaged: it is not a readable certificate."
    )


@pytest.mark.parametrize(
    ("data", "looks"),
    [
        (b"Please install the attached certificate.\nThanks\n", "it looks like text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "it looks like a PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "it looks like an image"),
        (b"MZ\x90\x00\x03\x00", "it looks like a program"),
        (b"<!DOCTYPE html><html><body>login</body></html>", "it looks like a web page"),
        (b"\x01\x02\x03\xff\xfe\x00\x10", "its content is not a kind GridCert recognises"),
    ],
)
def test_not_a_certificate(data: bytes, looks: str) -> None:
    problem = only_problem(read_bytes(data, "notes.txt"))
    assert problem.message == f"‘notes.txt’ is not a certificate file ({looks})."
    assert isinstance(problem.error, NotCertificateError)
    assert not problem.needs_password


def test_der_private_key_alone(pki: Pki) -> None:
    der = pki.leaf.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    assert only_problem(read_bytes(der, "key.der")).message == (
        "‘key.der’ holds a private key only, not a certificate."
    )


def test_folder_missing_and_unreadable(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    result = read_paths([tmp_path, tmp_path / "gone.pem", plain / "below-a-file.pem"])
    assert [p.message for p in result.problems] == [
        f"‘{tmp_path.name}’ is a folder, not a certificate file.",
        "‘gone.pem’ does not exist.",
        "‘below-a-file.pem’ could not be read: not a directory.",
    ]
    assert [p.source for p in result.problems] == [
        str(tmp_path),
        str(tmp_path / "gone.pem"),
        str(plain / "below-a-file.pem"),
    ]


def test_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pem"
    os.mkfifo(fifo)
    assert only_problem(read_paths([fifo])).message == "‘pipe.pem’ is not a regular file."


def test_file_size_limit(tmp_path: Path, pki: Pki) -> None:
    huge = tmp_path / "huge.pem"
    with huge.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: costs no disk
    assert only_problem(read_paths([huge])).message == (
        "‘huge.pem’ is too large (21 MB); GridCert reads certificate files of up to 20 MB."
    )
    small = Limits(max_file_bytes=1000)
    problem = only_problem(read_bytes(pki.root.pem, "root.pem", limits=small))
    assert problem.message == (
        f"‘root.pem’ is too large ({len(pki.root.pem)} bytes); GridCert reads certificate "
        "files of up to 1000 bytes."
    )
    assert isinstance(problem.error, LimitExceededError)


def test_pem_block_limit(pki: Pki) -> None:
    problem = only_problem(
        read_bytes(pki.root.pem * 4, "many.pem", limits=Limits(max_pem_blocks=3))
    )
    assert problem.message == "‘many.pem’ was refused: it holds more than 3 PEM blocks."
    assert isinstance(problem.error, LimitExceededError)


def test_many_begin_lines_without_end_are_fast_and_refused() -> None:
    # Quadratic END searching would take minutes here; the reader makes one pass.
    data = b"-----BEGIN CERTIFICATE-----\nAAAA\n" * 1999
    result = read_bytes(data, "begins.pem")
    assert only_problem(result).message == (
        "‘begins.pem’ is truncated or damaged: 1999 PEM blocks have no END line."
    )


def test_dollar_and_odd_characters_in_names(pki: Pki, tmp_path: Path) -> None:
    path = tmp_path / "0123456789012$API_JSMITH `; $(x) 'q'.pfx"
    path.write_bytes(pfx_bytes(pki.leaf, "pw", [pki.root]))
    result = read_paths([path], lambda source: "pw" if source == str(path) else None)
    assert result.problems == []
    assert result.items[0].source == str(path)
    assert result.pkcs12_sources == [str(path)]


# --- zip ------------------------------------------------------------------------------


def test_zip_with_certificates_and_instructions(pki: Pki) -> None:
    data = zip_bytes(
        {
            "ERCOT CA/": b"",
            "ERCOT CA/ercot_ca.cer": pki.root.der,
            "ERCOT CA/Installation Instructions.pdf": b"%PDF-1.4 instructions",
            "ERCOT CA/readme.txt": b"Install the root.\n",
            "__MACOSX/ERCOT CA/._ercot_ca.cer": b"\x00\x05\x16\x07 apple double",
            "chain.p7b": pkcs7.serialize_certificates(
                [pki.intermediate.cert], serialization.Encoding.DER
            ),
        }
    )
    result = read_bytes(data, "/downloads/ERCOT_CA.zip")
    assert result.problems == []
    assert fingerprints(result) == [pki.root.sha256, pki.intermediate.sha256]
    assert [item.source for item in result.items] == [
        "/downloads/ERCOT_CA.zip!ERCOT CA/ercot_ca.cer",
        "/downloads/ERCOT_CA.zip!chain.p7b",
    ]
    assert result.other_members == [
        "/downloads/ERCOT_CA.zip!ERCOT CA/Installation Instructions.pdf",
        "/downloads/ERCOT_CA.zip!ERCOT CA/readme.txt",
    ]


def test_zip_member_problems_name_archive_and_member(pki: Pki) -> None:
    data = zip_bytes({"me.pfx": pfx_bytes(pki.leaf, "pw", [pki.root]), "ok.pem": pki.root.pem})
    result = read_bytes(data, "bundle.zip")
    problem = only_problem(result)
    assert problem.source == "bundle.zip!me.pfx"
    assert (
        problem.message
        == "‘bundle.zip!me.pfx’ is protected by a password; it is needed to open it."
    )
    assert result.pkcs12_sources == ["bundle.zip!me.pfx"]
    opened = read_bytes(data, "bundle.zip", lambda s: "pw" if s == "bundle.zip!me.pfx" else None)
    assert opened.problems == []
    assert opened.items[0].has_private_key


def test_zip_without_certificates() -> None:
    result = read_bytes(zip_bytes({"guide.pdf": b"%PDF-1.4"}), "wrong.zip")
    assert only_problem(result).message == "‘wrong.zip’ contains no certificate."
    assert result.other_members == ["wrong.zip!guide.pdf"]


def test_nested_zips_up_to_the_depth_limit(pki: Pki) -> None:
    inner = zip_bytes({"root.cer": pki.root.der})
    middle = zip_bytes({"inner.zip": inner})
    result = read_bytes(middle, "outer.zip")
    assert result.problems == []
    assert [item.source for item in result.items] == ["outer.zip!inner.zip!root.cer"]

    deepest = zip_bytes({"middle.zip": middle})
    problem = only_problem(read_bytes(deepest, "deep.zip"))
    assert problem.source == "deep.zip!middle.zip!inner.zip"
    assert problem.message == (
        "‘deep.zip!middle.zip!inner.zip’ was refused: archives nested more than 2 deep."
    )
    assert isinstance(problem.error, LimitExceededError)


@pytest.mark.parametrize(
    "name", ["../evil.pem", "/etc/evil.pem", "C:\\evil.pem", "a/../../evil.pem"]
)
def test_zip_with_path_traversal_names_is_refused(pki: Pki, name: str) -> None:
    data = zip_bytes({"fine.pem": pki.root.pem, name: pki.leaf.pem})
    result = read_bytes(data, "evil.zip")
    assert only_problem(result).message == (
        f"‘evil.zip’ was refused: it contains a file with an unsafe name (‘{name}’)."
    )
    assert result.items == []


def test_zip_entry_count_limit(pki: Pki) -> None:
    data = zip_bytes({f"{n}.pem": pki.root.pem for n in range(6)})
    problem = only_problem(read_bytes(data, "many.zip", limits=Limits(max_zip_entries=5)))
    assert problem.message == "‘many.zip’ was refused: it has 6 entries (GridCert reads up to 5)."


def test_zip_bomb_by_ratio() -> None:
    data = zip_bytes({"bomb.pem": b"\0" * (30 * 1024 * 1024)})
    assert len(data) < 100_000
    problem = only_problem(read_bytes(data, "bomb.zip"))
    assert problem.message == (
        "‘bomb.zip’ was refused: ‘bomb.pem’ would expand more than 100 times (a zip bomb)."
    )
    assert isinstance(problem.error, LimitExceededError)


def test_zip_total_declared_size_limit(pki: Pki) -> None:
    data = zip_bytes({"a.bin": os.urandom(600_000), "b.bin": os.urandom(600_000)})
    limits = Limits(max_uncompressed_bytes=1024 * 1024)
    problem = only_problem(read_bytes(data, "big.zip", limits=limits))
    assert problem.message == (
        "‘big.zip’ was refused: its contents would take 1 MB (GridCert reads up to 1 MB)."
    )


def test_zip_member_over_the_file_limit_is_stopped_while_decompressing() -> None:
    # Compresses about 8 times: under the ratio limit, and the zip itself is small.
    member = b"".join(os.urandom(16) + b" " * 112 for _ in range(16 * 1024))
    data = zip_bytes({"big.bin": member})
    assert len(data) < 1024 * 1024 < len(member)
    problem = only_problem(read_bytes(data, "a.zip", limits=Limits(max_file_bytes=1024 * 1024)))
    assert problem.source == "a.zip!big.bin"
    assert problem.message == (
        "‘a.zip!big.bin’ was refused: it expands to more than 1 MB (a zip bomb, or too large)."
    )


def _lie_about_size(data: bytes, size: int) -> bytes:
    """Patch both headers of a one-member zip to declare `size` uncompressed bytes."""
    patched = bytearray(data)
    local = patched.find(b"PK\x03\x04")
    central = patched.find(b"PK\x01\x02")
    patched[local + 22 : local + 26] = size.to_bytes(4, "little")
    patched[central + 24 : central + 28] = size.to_bytes(4, "little")
    return bytes(patched)


def test_zip_bomb_with_lying_sizes_is_caught() -> None:
    honest = zip_bytes({"bomb.pem": b"\0" * (50 * 1024 * 1024)})
    liar = _lie_about_size(honest, 1000)
    problem = only_problem(read_bytes(liar, "liar.zip"))
    # The declared size passes the checks; decompression stops at it and the CRC fails.
    assert problem.source == "liar.zip!bomb.pem"
    assert problem.message == "‘liar.zip!bomb.pem’ is damaged inside the zip."


def test_zip_bomb_declared_just_under_the_ratio_is_cut_at_the_declared_size() -> None:
    honest = zip_bytes({"bomb.pem": b"A" * (8 * 1024 * 1024)})
    compressed = zipfile.ZipFile(io.BytesIO(honest)).infolist()[0].compress_size
    liar = _lie_about_size(honest, compressed * 99)
    problem = only_problem(read_bytes(liar, "liar.zip"))
    assert problem.source == "liar.zip!bomb.pem"
    assert problem.message == "‘liar.zip!bomb.pem’ is damaged inside the zip."


def test_encrypted_zip_member(pki: Pki) -> None:
    patched = bytearray(zip_bytes({"secret.pem": pki.root.pem}))
    # Set the "encrypted" flag in both headers: zipfile then wants a password to read it.
    patched[patched.find(b"PK\x03\x04") + 6] |= 0x1
    patched[patched.find(b"PK\x01\x02") + 8] |= 0x1
    problem = only_problem(read_bytes(bytes(patched), "locked.zip"))
    assert problem.message == (
        "‘locked.zip!secret.pem’ is encrypted inside the zip; unzip it with its password first."
    )


def test_damaged_zip() -> None:
    data = zip_bytes({"a.pem": b"x" * 100})[:30]
    assert only_problem(read_bytes(data, "broken.zip")).message == (
        "‘broken.zip’ is damaged: it is not a readable zip archive."
    )


# --- result plumbing ------------------------------------------------------------------


def test_read_result_extend_and_defaults(pki: Pki) -> None:
    first = read_bytes(pki.root.pem, "a.pem")
    second = read_bytes(b"text", "b.txt")
    first.extend(second)
    assert fingerprints(first) == [pki.root.sha256]
    assert [p.source for p in first.problems] == ["b.txt"]
    assert Limits() == DEFAULT_LIMITS
    assert DEFAULT_LIMITS.max_file_bytes == 20 * 1024 * 1024
    assert DEFAULT_LIMITS.max_depth == 2


def test_items_are_json_ready(pki: Pki) -> None:
    result = read_bytes(pfx_bytes(pki.leaf, None, [pki.intermediate]), "x.pfx")
    document = certificate_json(result.items[0], None)
    assert document["sha256"] == pki.leaf.sha256
    assert document["has_private_key"] is True
    assert document["role"] == "end-entity"
    assert document["source"] == "x.pfx"


def test_v1_root_and_ec_keys() -> None:
    root = make_root("EC Root", key=pooled_key("ec-p256", 0))
    leaf = make_leaf(root, "EC Person", key=pooled_key("ec-p256", 1))
    result = read_bytes(root.pem + leaf.pem + leaf.key_pem, "ec.pem")
    assert result.problems == []
    assert [item.key_description for item in result.items] == ["EC P-256", "EC P-256"]
    assert result.items[1].has_private_key


def test_pkcs7_under_a_certificate_label_and_cms_label(pki: Pki) -> None:
    # Windows' "Base-64 encoded PKCS #7" export, and OpenSSL's `cms` output label.
    pem = pkcs7.serialize_certificates([pki.root.cert, pki.leaf.cert], serialization.Encoding.PEM)
    for label in (b"CERTIFICATE", b"CMS"):
        relabelled = pem.replace(b"PKCS7", label)
        result = read_bytes(relabelled, "chain.cer")
        assert result.problems == []
        assert set(fingerprints(result)) == {pki.root.sha256, pki.leaf.sha256}
