"""The operators' sign-in addresses ("endpoints") that the sign-in test knows about.

They live beside the certificates in `resources/catalog/*.toml`, as `[[endpoint]]` tables
(the certificate catalog reads only `[[entry]]`), and a person or a deployment can add
their own in the same form (a file of `[[endpoint]]` tables; see `app/actions/probe.py`).
Each says which operator and environment it belongs to, what it is for, its URL, whether
it asks for a client certificate, which catalog roots that certificate must chain to, and
whether the address was confirmed on the operator's own page (`verified`): an unconfirmed
one is shown as such, never as a fact.
"""

from __future__ import annotations

import tomllib
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.core.errors import BadInputError, UsageError
from app.core.paths import resource_path

ENVIRONMENTS = ("production", "test")
STATUSES = ("active", "retired")
NETWORKS = ("internet", "private-wan")


@dataclass(frozen=True)
class Endpoint:
    """One address where a person or a program signs in with a client certificate."""

    id: str
    name: str
    operator: str
    environment: str  # production | test
    purpose: str  # free words: "EWS API", "MIS web portal"
    url: str
    client_certificate: bool
    roots: tuple[str, ...]  # catalog entry ids the client certificate must chain to
    status: str  # active | retired
    verified: bool  # confirmed on the operator's own page
    network: str = "internet"  # internet | private-wan (resolves only on the private WAN)
    source: str = ""  # the public page that documents it
    notes: str = ""
    origin: str = "catalog"  # catalog | user (a person's or a deployment's own file)

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.url).hostname or ""

    @property
    def title(self) -> str:
        """'ERCOT EWS API (production)'."""
        return f"{self.name} ({self.environment})"

    def json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "operator": self.operator,
            "environment": self.environment,
            "purpose": self.purpose,
            "url": self.url,
            "client_certificate": self.client_certificate,
            "roots": list(self.roots),
            "status": self.status,
            "verified": self.verified,
            "network": self.network,
            "source": self.source,
            "origin": self.origin,
        }


def normalize_url(text: str) -> str:
    """'host', 'host:8443' or 'https://host/path' → 'https://host[:port]/path'.

    Only https is accepted (the test is a TLS sign-in); anything else is a UsageError."""
    value = text.strip()
    if "://" not in value:
        value = "https://" + value
    parts = urllib.parse.urlsplit(value)
    if parts.scheme.lower() != "https":
        raise UsageError(f"'{text}' is not an https:// address; the sign-in test needs one.")
    try:
        port = parts.port
    except ValueError:
        raise UsageError(f"'{text}' has a port that is not a number from 1 to 65535.") from None
    host = parts.hostname
    if not host or any(c.isspace() for c in host) or (port is not None and port == 0):
        raise UsageError(f"'{text}' is not a web address (https://host/...).")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != 443:
        netloc += f":{port}"
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{netloc}{path}{query}"


def _text(raw: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadInputError(f"{where} lacks a text '{key}'.")
    return value.strip()


def _flag(raw: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise BadInputError(f"{where} has '{key}' = {value!r}; expected true or false.")
    return value


def _choice(raw: Mapping[str, Any], key: str, allowed: tuple[str, ...], where: str,
            default: str) -> str:
    value = raw.get(key, default)
    if value not in allowed:
        raise BadInputError(f"{where} has '{key}' = {value!r}; expected one of "
                            f"{', '.join(allowed)}.")
    return str(value)


def parse_endpoint(raw: Mapping[str, Any], operator: str, where: str,
                   origin: str = "catalog") -> Endpoint:
    """One `[[endpoint]]` table; errors name the file and the entry."""
    endpoint_id = _text(raw, "id", where)
    where = f"{where} (endpoint '{endpoint_id}')"
    url_text = _text(raw, "url", where)
    try:
        url = normalize_url(url_text)
    except UsageError as error:
        raise BadInputError(f"{where}: {error}") from None
    if not url_text.startswith("https://"):
        raise BadInputError(f"{where}: the url must be written in full, https://host/...")
    roots = raw.get("roots", [])
    if not isinstance(roots, list) or not all(isinstance(r, str) and r for r in roots):
        raise BadInputError(f"{where}: 'roots' must be a list of catalog entry ids.")
    return Endpoint(
        id=endpoint_id,
        name=_text(raw, "name", where, required=False) or endpoint_id,
        operator=_text(raw, "operator", where, required=False) or operator,
        environment=_choice(raw, "environment", ENVIRONMENTS, where, "production"),
        purpose=_text(raw, "purpose", where, required=False),
        url=url,
        client_certificate=_flag(raw, "client_certificate", where, True),
        roots=tuple(roots),
        status=_choice(raw, "status", STATUSES, where, "active"),
        verified=_flag(raw, "verified", where, False),
        network=_choice(raw, "network", NETWORKS, where, "internet"),
        source=_text(raw, "source", where, required=False),
        notes=_text(raw, "notes", where, required=False),
        origin=origin,
    )


def parse_endpoints(document: Mapping[str, Any], where: str, origin: str = "catalog",
                    default_operator: str = "") -> list[Endpoint]:
    """The `[[endpoint]]` tables of one parsed TOML document."""
    operator = document.get("operator", default_operator)
    if not isinstance(operator, str):
        raise BadInputError(f"{where} has an 'operator' that is not text.")
    raw_list = document.get("endpoint", [])
    if not isinstance(raw_list, list) or not all(isinstance(r, dict) for r in raw_list):
        raise BadInputError(f"{where}: 'endpoint' must be [[endpoint]] tables.")
    return [parse_endpoint(raw, operator, where, origin) for raw in raw_list]


def read_endpoint_file(path: Path, origin: str) -> list[Endpoint]:
    """Every `[[endpoint]]` of one TOML file (a missing file has none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise BadInputError(f"The endpoint file {path} cannot be read: {error}.") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadInputError(f"The endpoint file {path} is not valid TOML: {error}.") from None
    return parse_endpoints(document, f"The file {path}", origin)


def load_endpoints_from(folder: Path) -> list[Endpoint]:
    """The endpoints of every `*.toml` in a catalog folder (sorted by file name)."""
    found: list[Endpoint] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.toml")):
        for endpoint in read_endpoint_file(path, "catalog"):
            if endpoint.id in seen:
                raise BadInputError(f"The catalog file {path} repeats the endpoint id "
                                    f"'{endpoint.id}'.")
            seen.add(endpoint.id)
            found.append(endpoint)
    return found


@lru_cache(maxsize=1)
def catalog_endpoints() -> tuple[Endpoint, ...]:
    """The bundled endpoints (`resources/catalog/*.toml`), read once per process."""
    return tuple(load_endpoints_from(resource_path("catalog")))


def by_url(endpoints: Iterable[Endpoint], url: str) -> Endpoint | None:
    """The endpoint at this address (same scheme, host, port; path ignored), if any."""
    wanted = urllib.parse.urlsplit(normalize_url(url))
    for endpoint in endpoints:
        parts = urllib.parse.urlsplit(endpoint.url)
        if (parts.hostname, parts.port) == (wanted.hostname, wanted.port):
            return endpoint
    return None


def twin(endpoints: Iterable[Endpoint], endpoint: Endpoint) -> Endpoint | None:
    """The same service on the other network (the public name of a `.wan` one and back)."""
    for other in endpoints:
        if (other.id != endpoint.id and other.operator == endpoint.operator
                and other.environment == endpoint.environment
                and other.purpose == endpoint.purpose and other.network != endpoint.network):
            return other
    return None
