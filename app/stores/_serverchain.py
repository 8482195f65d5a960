"""Does this computer trust a server's certificate chain? Asked of the OS itself.

The sign-in test (`app.actions.probe`) must answer as the person's own browser would, so
on Windows and macOS it asks the operating system, not OpenSSL (the same split as
sethmlarson/truststore: one private module per OS, each with the same function):

- Windows (`_serverchain_win32`): crypt32's chain engine. It downloads a public root
  that is not cached yet (root auto-update) and an intermediate the server left out (the
  certificate's Authority Information Access URL) — OpenSSL, which only sees the roots
  already in the ROOT/CA stores, calls both "not trusted".
- macOS (`_serverchain_macos`): the Security framework's SecTrust. A frozen build's
  OpenSSL has no CA file at all on the person's Mac, so OpenSSL would trust nothing.
- Linux and everything else: no OS verifier here (`native_trust()` is None). The TLS
  handshake itself verifies against OpenSSL's default paths (the system CA bundle,
  `SSL_CERT_FILE`), as before.

A check that cannot run at all (a crypt32 call fails, Security.framework is missing)
is a verdict of *not trusted* with the reason: the caller must never send a client
certificate to a server the OS check did not positively trust.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

NativeTrust = Literal["windows", "macos"]

#: The longest the OS may spend fetching revocation lists / missing certificates for one
#: check, whatever the probe's own timeout.
MAX_FETCH_SECONDS = 15.0


@dataclass(frozen=True)
class ChainVerdict:
    """The OS's answer about one server chain.

    `reason`: a short phrase for a person when not trusted (shown after the issuer's
    name: "not trusted ('Contoso CA': its root certificate is not trusted by this
    computer)"); `detail`: the OS's own words and codes, for *Copy for support*; for a
    trusted chain it may note what could not be checked (revocation, offline).
    """

    trusted: bool
    reason: str | None = None
    detail: str | None = None


def server_name(host: str) -> str:
    """The name the OS compares with the server's certificate: an IP address as written,
    a DNS name in its ASCII (IDNA) form, as certificates carry it."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def native_trust() -> NativeTrust | None:
    """'windows' or 'macos' when the OS verifies server chains; None: OpenSSL does."""
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return None


def verify_server_chain(chain_der: Sequence[bytes], host: str, *,
                        timeout: float = 10.0) -> ChainVerdict:
    """Whether the OS trusts `chain_der` (leaf first, as the server sent it) for a TLS
    server named `host` (a DNS name or an IP address, without brackets).

    `timeout` bounds what the OS may fetch from the network meanwhile (revocation,
    missing intermediates). Only on Windows and macOS (see `native_trust`).
    """
    platform = native_trust()
    if not chain_der:
        return ChainVerdict(False, "the server sent no certificate", None)
    fetch = max(1.0, min(timeout, MAX_FETCH_SECONDS))
    if platform == "windows":
        from app.stores import _serverchain_win32

        try:
            return _serverchain_win32.verify_server_chain(chain_der, host, fetch)
        except Exception as error:  # fail closed, whatever went wrong
            # WinApiError (a crypt32 call failed), or crypt32 not loadable at all.
            return ChainVerdict(False, "Windows could not check it", _words(error))
    if platform == "macos":
        from app.stores import _serverchain_macos

        try:
            return _serverchain_macos.verify_server_chain(chain_der, host, fetch)
        except Exception as error:  # fail closed, whatever went wrong
            # SecurityApiError, or a framework (or function) that does not load.
            return ChainVerdict(False, "macOS could not check it", _words(error))
    raise RuntimeError("No OS chain verifier on this platform: the TLS handshake verifies "
                       "the server against OpenSSL's default CA paths.")


def _words(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
