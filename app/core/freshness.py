"""Is a certificate file newer than the one already installed? (Renew and re-install.)

A renewal must bring a certificate that lasts longer than the one it replaces; an older
or equal file, or one already expired, is a mistake (last year's .pfx picked from the
Downloads folder). `compare_with_installed` says which case it is, in one sentence the
CLI and the wizard both use; Renew refuses anything but "newer" unless the person says
so explicitly, and Install warns.

"The same person" is the same subject name or the same public key; only certificates
that carry their private key (personal certificates, not CAs) are compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.core.model import CertificateItem, now_utc, utc
from app.core.names import names_match

Verdict = Literal["newer", "equal", "older", "expired", "nothing-installed"]


@dataclass(frozen=True)
class Freshness:
    """The verdict on `new` against the newest installed certificate of the same person."""

    verdict: Verdict
    new: CertificateItem
    #: The installed certificate compared against (the one lasting longest), if any.
    installed: CertificateItem | None
    sentence: str

    @property
    def acceptable(self) -> bool:
        """True when `new` may be "the new certificate" without an explicit OK."""
        return self.verdict in ("newer", "nothing-installed")


def _day(moment: dt.datetime) -> str:
    return moment.date().isoformat()


def same_holder(a: CertificateItem, b: CertificateItem) -> bool:
    """True when `a` and `b` are personal certificates of the same subject or key."""
    if a.is_ca or b.is_ca:
        return False
    return a.public_key_der == b.public_key_der or names_match(
        a.certificate.subject, b.certificate.subject)


def compare_with_installed(
    new: CertificateItem,
    installed: Sequence[CertificateItem],
    now: dt.datetime | None = None,
) -> Freshness:
    """Compare `new` with the installed certificates of the same person (others in
    `installed` are ignored): expired, older, equal, newer, or nothing to compare with."""
    moment = utc(now or now_utc())
    mine = [item for item in installed if same_holder(item, new)]
    newest = max(mine, key=lambda item: item.not_after) if mine else None
    if new.not_after < moment:
        return Freshness(
            "expired", new, newest,
            f"This certificate expired on {_day(new.not_after)}: it can no longer sign you "
            "in, so it cannot be your new certificate. Use the file your operator sent "
            "most recently.")
    if newest is None:
        return Freshness(
            "nothing-installed", new, None,
            "No earlier certificate of the same person is installed; this one is valid "
            f"until {_day(new.not_after)}.")
    if newest.sha256 == new.sha256:
        return Freshness(
            "equal", new, newest,
            f"This is the certificate that is already installed (valid until "
            f"{_day(new.not_after)}), not a new one.")
    if new.not_after < newest.not_after:
        return Freshness(
            "older", new, newest,
            f"This certificate ends on {_day(new.not_after)}, before the one already "
            f"installed (valid until {_day(newest.not_after)}): it is an older file, not "
            "your new certificate.")
    if new.not_after == newest.not_after:
        return Freshness(
            "equal", new, newest,
            f"This certificate ends on the same day as the one already installed "
            f"({_day(new.not_after)}): it is not newer.")
    return Freshness(
        "newer", new, newest,
        f"This certificate is newer than the one installed: valid until "
        f"{_day(new.not_after)} instead of {_day(newest.not_after)}.")
