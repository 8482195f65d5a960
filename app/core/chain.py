"""Chain building and RFC 5280 basic path validation, with reasons a person can read.

`build_and_validate` walks from a certificate through a pool of candidates to one of the
trusted anchors. Every candidate whose subject matches (RFC 5280 §7.1, via `names_match`,
not byte equality) is tried, depth first, so that a stale or impostor certificate with
the same name as the real issuer cannot hide the good path. AKI/SKI only orders the
candidates; it never excludes one.

Each complete path is checked the way RFC 5280 §6.1 basic validation does: every
signature, validity at the chosen time, basicConstraints cA on every certificate above
the leaf, pathLenConstraint, keyUsage keyCertSign on CAs when keyUsage is present, and
unknown critical extensions. Policies, revocation and name constraints are *not* checked
and the result says so.

When no path is valid, the path that came closest (it reaches a trusted root, and has the
fewest problems) is returned with the first problem on it as the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509

from app.core.model import CertificateItem, now_utc, signature_matches, utc
from app.core.names import normalize_name

NOT_CHECKED: tuple[str, ...] = ("certificate policies", "revocation", "name constraints")

# Longer chains than this do not occur in practice; the cap keeps hostile pools cheap.
MAX_DEPTH = 10
# How many complete candidate paths are examined before the search stops.
MAX_PATHS = 256

# Critical extensions that this validator processes, or reports under `not_checked`;
# any other critical extension makes a certificate unusable (RFC 5280 §6.1.3/§4.2).
_UNDERSTOOD_CRITICAL = {
    x509.BasicConstraints.oid.dotted_string,
    x509.KeyUsage.oid.dotted_string,
    x509.ExtendedKeyUsage.oid.dotted_string,
    x509.SubjectAlternativeName.oid.dotted_string,
    x509.CertificatePolicies.oid.dotted_string,
    x509.NameConstraints.oid.dotted_string,
    x509.PolicyConstraints.oid.dotted_string,
    x509.InhibitAnyPolicy.oid.dotted_string,
    "2.5.29.33",  # policyMappings (no class in cryptography)
    x509.SubjectKeyIdentifier.oid.dotted_string,
    x509.AuthorityKeyIdentifier.oid.dotted_string,
}


@dataclass(frozen=True)
class ChainResult:
    """The verdict on one certificate: the path found and, when invalid, why."""

    valid: bool
    path: tuple[CertificateItem, ...]  # leaf first, anchor (or the last certificate found) last
    reason: str | None
    not_checked: tuple[str, ...] = NOT_CHECKED

    def json(self) -> dict[str, Any]:
        """The `verify --json` document (field names are the public CLI contract)."""
        return {
            "valid": self.valid,
            "path": [item.sha256 for item in self.path],
            "reason": self.reason,
        }


# --- labels for reasons -------------------------------------------------------------


def _label(item: CertificateItem, position: int) -> str:
    """How a reason names a certificate: 'Jane Smith', the intermediate 'X', the root 'X'."""
    name = item.display_name
    if position == 0:
        return f"'{name}'"
    if item.is_self_signed:
        return f"the root '{name}'"
    return f"the intermediate '{name}'"


def _day(moment: dt.datetime) -> str:
    return utc(moment).strftime("%Y-%m-%d")


# --- the search -----------------------------------------------------------------------


@dataclass
class _Candidate:
    item: CertificateItem
    anchor: bool


class _Search:
    """Depth-first enumeration of issuer paths from a leaf (bounded)."""

    def __init__(
        self,
        pool: Sequence[CertificateItem],
        anchors: Sequence[CertificateItem],
        at: dt.datetime,
    ) -> None:
        self.at = at
        self.by_subject: dict[object, list[_Candidate]] = {}
        self.anchor_fps: set[str] = set()
        # Trust anchors are a name and a key (RFC 5280 §6.1.1 d): a re-issued root with
        # the same subject and key as a trusted one is trusted too.
        self.anchor_keys: set[tuple[object, bytes]] = set()
        seen: dict[str, _Candidate] = {}
        for item in anchors:
            self.anchor_fps.add(item.sha256)
            self.anchor_keys.add((normalize_name(item.certificate.subject), item.public_key_der))
            if item.sha256 not in seen:
                seen[item.sha256] = _Candidate(item, True)
        for item in pool:
            if item.sha256 not in seen:
                seen[item.sha256] = _Candidate(item, False)
        for candidate in seen.values():
            key = normalize_name(candidate.item.certificate.subject)
            self.by_subject.setdefault(key, []).append(candidate)
        self.paths: list[tuple[tuple[CertificateItem, ...], str]] = []
        self._signatures: dict[tuple[str, str], bool] = {}

    def is_anchor(self, item: CertificateItem) -> bool:
        if item.sha256 in self.anchor_fps:
            return True
        return (normalize_name(item.certificate.subject), item.public_key_der) in self.anchor_keys

    def signature_ok(self, child: CertificateItem, issuer: CertificateItem) -> bool:
        key = (child.sha256, issuer.sha256)
        if key not in self._signatures:
            self._signatures[key] = signature_matches(child.certificate, issuer.certificate)
        return self._signatures[key]

    def _ordered(self, child: CertificateItem) -> list[_Candidate]:
        candidates = list(self.by_subject.get(normalize_name(child.certificate.issuer), ()))
        aki = _authority_key_id(child)

        def rank(candidate: _Candidate) -> tuple[int, int, int, int]:
            item = candidate.item
            ski = _subject_key_id(item)
            return (
                0 if self.signature_ok(child, item) else 1,
                0 if aki is not None and ski == aki else 1,
                0 if item.is_valid_at(self.at) else 1,
                0 if candidate.anchor else 1,
            )

        candidates.sort(key=rank)
        return candidates

    def walk(self, path: list[CertificateItem]) -> None:
        """Record every path from `path[-1]` upwards; `end` says how each one ends."""
        if len(self.paths) >= MAX_PATHS:
            return
        top = path[-1]
        if self.is_anchor(top):
            self.paths.append((tuple(path), "anchor"))
            return
        if len(path) >= MAX_DEPTH:
            self.paths.append((tuple(path), "too-long"))
            return
        if top.is_self_signed:
            # A self-signed certificate ends its path: it is trusted or it is not. (A
            # cross-certificate for it has the same subject, so the certificate below
            # already had it as a candidate.)
            self.paths.append((tuple(path), "untrusted-root"))
            return
        in_path = {item.sha256 for item in path}
        candidates = [c for c in self._ordered(top) if c.item.sha256 not in in_path]
        if not candidates:
            if self.by_subject.get(normalize_name(top.certificate.issuer)):
                end = "loop"
            else:
                end = "no-issuer"
            self.paths.append((tuple(path), end))
            return
        for candidate in candidates:
            self.walk([*path, candidate.item])


def _subject_key_id(item: CertificateItem) -> bytes | None:
    try:
        ext = item.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    except (x509.ExtensionNotFound, ValueError):
        return None
    return ext.value.digest


def _authority_key_id(item: CertificateItem) -> bytes | None:
    try:
        ext = item.certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    except (x509.ExtensionNotFound, ValueError):
        return None
    return ext.value.key_identifier


def _unknown_critical(item: CertificateItem) -> str | None:
    try:
        extensions = item.certificate.extensions
    except ValueError:
        return "malformed"
    for extension in extensions:
        oid: str = extension.oid.dotted_string
        if extension.critical and oid not in _UNDERSTOOD_CRITICAL:
            return oid
    return None


def _problems(
    path: tuple[CertificateItem, ...], end: str, at: dt.datetime, search: _Search
) -> list[str]:
    """Every RFC 5280 basic-validation problem on `path`, leaf first."""
    problems: list[str] = []
    length = len(path)
    for index, item in enumerate(path):
        label = _label(item, index)
        if item.not_after < at:
            problems.append(f"{label} expired on {_day(item.not_after)}")
        elif item.not_before > at:
            problems.append(f"{label} is not valid until {_day(item.not_before)}")
        unknown = _unknown_critical(item)
        if unknown == "malformed":
            problems.append(f"{label} has extensions that cannot be read")
        elif unknown is not None:
            problems.append(
                f"{label} has a critical extension GridCert does not understand ({unknown})"
            )
        if index > 0:
            if not item.is_ca:
                problems.append(
                    f"'{item.display_name}' is not allowed to issue certificates (it is not a CA)"
                )
            else:
                usage = item.key_usage
                if usage is not None and not usage.key_cert_sign:
                    problems.append(
                        f"'{item.display_name}' is not allowed to sign certificates "
                        "(its key usage lacks 'certificate signing')"
                    )
                limit = item.path_length
                if limit is not None:
                    # CAs between this one and the leaf; self-issued ones do not count
                    # (RFC 5280 §6.1.4 l).
                    below = sum(1 for ca in path[1:index] if not ca.is_self_issued)
                    if below > limit:
                        plural = "CA" if limit == 1 else "CAs"
                        problems.append(
                            f"'{item.display_name}' allows at most {limit} {plural} below it"
                        )
            child = path[index - 1]
            if not search.signature_ok(child, item):
                problems.append(
                    f"the signature on '{child.display_name}' does not match "
                    f"'{item.display_name}'"
                )
    top = path[-1]
    top_label = _label(top, length - 1)
    if end == "untrusted-root":
        if length == 1 and not top.is_ca:
            problems.append(f"'{top.display_name}' is self-signed and is not a trusted root")
        else:
            problems.append(f"the root '{top.display_name}' is not among the trusted roots")
    elif end == "no-issuer":
        problems.append(
            f"{top_label} was not issued by any certificate given "
            f"(its issuer is '{top.issuer}')"
        )
    elif end == "loop":
        problems.append(
            f"the issuers of {top_label} lead back into the chain and never to a trusted root"
        )
    elif end == "too-long":
        problems.append(f"the chain is longer than {MAX_DEPTH} certificates")
    return problems


def build_and_validate(
    leaf: CertificateItem,
    pool: Sequence[CertificateItem],
    anchors: Sequence[CertificateItem],
    at: dt.datetime | None = None,
) -> ChainResult:
    """Find a path from `leaf` through `pool` to one of `anchors` and validate it at `at`.

    `at` defaults to now. The result's `path` is the valid path when there is one, else
    the path that came closest; `reason` is a plain sentence (without a final period).
    """
    moment = utc(at) if at is not None else now_utc()
    search = _Search(pool, anchors, moment)
    search.walk([leaf])
    best: tuple[tuple[int, int, int], tuple[CertificateItem, ...], list[str]] | None = None
    for order, (path, end) in enumerate(search.paths):
        problems = _problems(path, end, moment, search)
        if not problems:
            return ChainResult(True, path, None)
        score = (0 if end == "anchor" else 1, len(problems), order)
        if best is None or score < best[0]:
            best = (score, path, problems)
    if best is None:  # walk always records at least one path; kept for type safety
        return ChainResult(False, (leaf,), "no chain could be built")
    return ChainResult(False, best[1], best[2][0])


def find_chain(
    leaf: CertificateItem, pool: Sequence[CertificateItem]
) -> tuple[CertificateItem, ...]:
    """Best-effort issuer chain for packing a .pfx or an identity: leaf first, then its
    issuers up to a self-signed root found in `pool` (or as far as the pool goes).

    Validity and trust are not required here; the signatures must match, so a stranger
    with the issuer's name is never packed.
    """
    roots = [item for item in pool if item.is_self_signed]
    result = build_and_validate(leaf, pool, roots)
    path = [result.path[0]]
    for item in result.path[1:]:
        if not signature_matches(path[-1].certificate, item.certificate):
            break
        path.append(item)
    return tuple(path)
