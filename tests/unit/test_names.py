"""RFC 5280 §7.1 name comparison: case and whitespace folding, RDN rules, labels."""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import NameOID
from hypothesis import given
from hypothesis import strategies as st

from app.core.names import common_name, names_match, normalize_name, short_name


def dn(*pairs: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in pairs])


CN, O, C, OU = (  # noqa: E741 - X.500 attribute names
    NameOID.COMMON_NAME,
    NameOID.ORGANIZATION_NAME,
    NameOID.COUNTRY_NAME,
    NameOID.ORGANIZATIONAL_UNIT_NAME,
)


def test_case_is_folded() -> None:
    assert names_match(dn((C, "US"), (CN, "ERCOT CA")), dn((C, "us"), (CN, "ercot ca")))


def test_whitespace_is_trimmed_and_collapsed() -> None:
    assert names_match(dn((CN, "ERCOT  TEST\tCA")), dn((CN, "  ERCOT TEST CA ")))


def test_compatibility_forms_are_folded() -> None:
    fullwidth = "ＥＲＣＯＴ CA"  # NFKC maps fullwidth letters to ASCII
    assert names_match(dn((CN, fullwidth)), dn((CN, "ERCOT CA")))


def test_different_values_differ() -> None:
    assert not names_match(dn((CN, "ERCOT CA")), dn((CN, "ERCOT TEST CA")))
    assert not names_match(dn((CN, "ERCOT CA")), dn((CN, "ERCOTCA")))  # spaces are not removed


def test_different_attribute_types_differ() -> None:
    assert not names_match(dn((CN, "Example")), dn((O, "Example")))


def test_rdn_order_matters() -> None:
    a = dn((C, "US"), (O, "Example"), (CN, "X"))
    b = dn((CN, "X"), (O, "Example"), (C, "US"))
    assert not names_match(a, b)


def test_order_inside_a_multivalued_rdn_does_not_matter() -> None:
    first = x509.RelativeDistinguishedName(
        [x509.NameAttribute(CN, "X"), x509.NameAttribute(OU, "Unit")]
    )
    second = x509.RelativeDistinguishedName(
        [x509.NameAttribute(OU, "unit"), x509.NameAttribute(CN, "x")]
    )
    assert names_match(x509.Name([first]), x509.Name([second]))
    # ... but a multi-valued RDN is not the same as two single RDNs
    split = dn((CN, "X"), (OU, "Unit"))
    assert not names_match(x509.Name([first]), split)


def test_extra_attribute_differs() -> None:
    assert not names_match(dn((CN, "X")), dn((CN, "X"), (O, "Y")))
    assert names_match(x509.Name([]), x509.Name([]))


def test_bytes_values_compared_exactly() -> None:
    unique = x509.NameAttribute(
        NameOID.X500_UNIQUE_IDENTIFIER, b"\x00\x01", _type=x509.name._ASN1Type.BitString
    )
    other = x509.NameAttribute(
        NameOID.X500_UNIQUE_IDENTIFIER, b"\x00\x02", _type=x509.name._ASN1Type.BitString
    )
    assert names_match(x509.Name([unique]), x509.Name([unique]))
    assert not names_match(x509.Name([unique]), x509.Name([other]))


def test_normalized_form_is_hashable_and_equal_for_equal_names() -> None:
    a = normalize_name(dn((CN, "Jane  SMITH")))
    b = normalize_name(dn((CN, "jane smith")))
    assert a == b
    assert {a: 1}[b] == 1


def test_common_name_and_short_name() -> None:
    assert common_name(dn((O, "Org"), (CN, "Jane Smith"))) == "Jane Smith"
    assert common_name(dn((O, "Org"))) is None
    assert short_name(dn((O, "Org"), (CN, "Jane Smith"))) == "Jane Smith"
    assert short_name(dn((C, "US"), (O, "Org"), (OU, "Unit"))) == "Unit"
    assert short_name(dn((C, "US"), (O, "Org"))) == "Org"
    assert short_name(dn((C, "US"))) == "C=US"
    assert short_name(x509.Name([])) == "(no name)"


_WORD = st.text(alphabet=st.characters(min_codepoint=0x41, max_codepoint=0x7A,
                                       categories=("Lu", "Ll")), min_size=1, max_size=8)


@given(words=st.lists(_WORD, min_size=1, max_size=5), data=st.data())
def test_any_change_of_case_or_spacing_still_matches(words: list[str], data: st.DataObject) -> None:
    plain = " ".join(words)
    gaps = [data.draw(st.sampled_from([" ", "  ", "\t", " \t "])) for _ in words[1:]]
    varied = data.draw(st.sampled_from(["", " ", "  "]))
    for word, gap in zip(words, [*gaps, ""], strict=True):
        flipped = "".join(
            ch.upper() if data.draw(st.booleans()) else ch.lower() for ch in word
        )
        varied += flipped + gap
    varied += data.draw(st.sampled_from(["", " ", "\t"]))
    assert names_match(dn((CN, plain)), dn((CN, varied)))
    assert names_match(dn((CN, varied)), dn((CN, plain)))


@given(a=_WORD, b=_WORD)
def test_different_letters_never_match(a: str, b: str) -> None:
    assert names_match(dn((CN, a)), dn((CN, b))) == (a.casefold() == b.casefold())
