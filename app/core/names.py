"""Distinguished-name comparison as RFC 5280 §7.1 asks (not byte equality).

String attribute values are compared after case folding and whitespace folding
(leading/trailing removed, inner runs collapsed to one space), as the RFC 4518
"LDAP StringPrep" simplification that real validators use. Attribute order inside a
multi-valued RDN does not matter; RDN order does.
"""

from __future__ import annotations

import unicodedata

from cryptography import x509

_Normalized = tuple[frozenset[tuple[str, str | bytes]], ...]


def _fold(value: str) -> str:
    value = unicodedata.normalize("NFKC", value)
    return " ".join(value.split()).casefold()


def normalize_name(name: x509.Name) -> _Normalized:
    """A hashable form of `name` in which equal names (per RFC 5280 §7.1) are equal."""
    rdns: list[frozenset[tuple[str, str | bytes]]] = []
    for rdn in name.rdns:
        attributes: set[tuple[str, str | bytes]] = set()
        for attribute in rdn:
            value = attribute.value
            folded: str | bytes = _fold(value) if isinstance(value, str) else value
            attributes.add((attribute.oid.dotted_string, folded))
        rdns.append(frozenset(attributes))
    return tuple(rdns)


def names_match(a: x509.Name, b: x509.Name) -> bool:
    """True when `a` and `b` name the same entity under RFC 5280 §7.1 rules."""
    return normalize_name(a) == normalize_name(b)


def common_name(name: x509.Name) -> str | None:
    """The (first) common name in `name`, or None."""
    values = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    if not values:
        return None
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def short_name(name: x509.Name) -> str:
    """A label a person can read: the CN, else the O/OU, else the whole RFC 4514 string."""
    cn = common_name(name)
    if cn:
        return cn
    for oid in (x509.NameOID.ORGANIZATIONAL_UNIT_NAME, x509.NameOID.ORGANIZATION_NAME):
        values = name.get_attributes_for_oid(oid)
        if values and isinstance(values[0].value, str):
            return values[0].value
    return name.rfc4514_string() or "(no name)"
