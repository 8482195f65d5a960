"""Property tests: random and mutated bytes given to the reader give items or problems.

Never another exception, never a problem without a sentence naming the file, and every
item read is usable (its JSON contract object can be built).
"""

from __future__ import annotations

import io
import zipfile
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import GridCertError
from app.core.model import certificate_json
from app.core.reader import Limits, ReadResult, read_bytes
from tests.pki import make_pki, pfx_bytes

PASSWORD = "fuzz-pw"
# Small limits keep each example fast while still reaching every limit's branch.
LIMITS = Limits(
    max_file_bytes=256 * 1024,
    max_zip_entries=20,
    max_uncompressed_bytes=1024 * 1024,
    max_pem_blocks=50,
    max_kdf_iterations=100_000,
)


@cache
def seeds() -> dict[str, bytes]:
    """Valid files of every kind the reader understands."""
    pki = make_pki("Fuzz Operator")
    pem_bundle = b"intro text\r\n" + pki.root.pem + pki.intermediate.pem + pki.leaf.pem
    der = pki.leaf.der
    p7b = pkcs7.serialize_certificates(
        [pki.root.cert, pki.intermediate.cert], serialization.Encoding.DER
    )
    p7b_pem = pkcs7.serialize_certificates([pki.root.cert], serialization.Encoding.PEM)
    pfx_open = pfx_bytes(pki.leaf, None, [pki.root])
    pfx_locked = pfx_bytes(pki.leaf, PASSWORD, [pki.intermediate], compatible=True)
    key_pair = pki.leaf.pem + pki.leaf.key_pem
    encrypted_key = pki.leaf.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(PASSWORD.encode()),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("root.cer", der)
        archive.writestr("guide.pdf", b"%PDF-1.4 read me")
        archive.writestr("me.pfx", pfx_open)
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as nested:
            nested.writestr("chain.pem", pem_bundle)
        archive.writestr("inner.zip", inner.getvalue())
    return {
        "bundle.pem": pem_bundle,
        "leaf.cer": der,
        "chain.p7b": p7b,
        "chain-pem.p7b": p7b_pem,
        "open.pfx": pfx_open,
        "locked.pfx": pfx_locked,
        "pair.pem": key_pair,
        "key.pem": pki.leaf.pem + encrypted_key,
        "roots.zip": buffer.getvalue(),
    }


def check(result: ReadResult, source: str) -> None:
    assert isinstance(result, ReadResult)
    name = source.rsplit("/", 1)[-1]
    for problem in result.problems:
        assert isinstance(problem.error, GridCertError)
        assert problem.message and problem.message.endswith((".", ")"))
        assert f"‘{name}" in problem.message, problem.message
        assert problem.source.startswith(source)
    for item in result.items:
        document = certificate_json(item, None)
        assert len(document["sha256"]) == 64
        assert document["role"] in ("root", "intermediate", "end-entity")
        # Everything later layers read about an item works on whatever was accepted.
        _ = (item.sha1, item.display_name, item.issuer_display_name, item.days_left())
        _ = (item.key_usage, item.extended_key_usage, item.client_auth, item.path_length)
        _ = (item.signature_hash, item.weak_signature, item.weak_key, item.key_description)
        assert item.source.startswith(source)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(seeds())))
    data = bytearray(seeds()[name])
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "set", "truncate", "insert", "delete", "repeat"]))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set":
            data[at] = draw(st.sampled_from([0x00, 0x30, 0x80, 0x81, 0x84, 0xFF, 0x02, 0x0A]))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 256))] * draw(st.integers(1, 3))
    return name, bytes(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_valid_files(case: tuple[str, bytes]) -> None:
    name, data = case
    source = f"/inbox/{name}"
    check(read_bytes(data, source, lambda s: PASSWORD, LIMITS), source)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes(data: bytes) -> None:
    check(read_bytes(data, "random.bin", None, LIMITS), "random.bin")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"-----BEGIN CERTIFICATE-----\n",
                b"-----END CERTIFICATE-----\n",
                b"-----BEGIN PKCS7-----\n",
                b"-----END PKCS7-----\n",
                b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n",
                b"-----END ENCRYPTED PRIVATE KEY-----\n",
                b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\n",
                b"-----END RSA PRIVATE KEY-----\n",
                b"-----BEGIN TRUSTED CERTIFICATE-----\n",
                b"-----END TRUSTED CERTIFICATE-----\n",
                b"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n",
                b"MAA=\n",
                b"====\n",
                b"\r\n",
                b"\xef\xbb\xbf",
            ]
        ),
        max_size=30,
    )
)
def test_pem_shaped_noise(parts: list[bytes]) -> None:
    check(read_bytes(b"".join(parts), "noise.pem", lambda s: PASSWORD, LIMITS), "noise.pem")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            # (zipfile itself cannot write names with NUL or lone surrogates)
            st.text(
                st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
                min_size=1,
                max_size=20,
            ),
            st.binary(max_size=300),
        ),
        max_size=8,
        unique_by=lambda member: member[0],
    )
)
def test_zips_of_random_members(members: list[tuple[str, bytes]]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name), data)
    check(read_bytes(buffer.getvalue(), "random.zip", None, LIMITS), "random.zip")
