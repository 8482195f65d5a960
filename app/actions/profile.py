"""Deployment profiles: `gridcert install --profile site.toml` for fleet tools.

A profile is a small TOML file an IT administrator writes once and pushes to many
machines (Intune, Group Policy, SCCM, Ansible):

    # site.toml
    files = ["ercot-root.zip", "client.pfx"]        # relative to this file
    targets = ["firefox", "chromium", "linux-system"] # target ids; default: detected ones
    pinned_roots = ["3f1c…64 hex digits…"]           # the SHA-256 of every root installed
    password_env = "GRIDCERT_PFX_PASSWORD"           # where the .pfx password comes from;
                                                     # omit it for a roots-only profile
    endpoints = ["https://misapi.ercot.com/",        # sign-in addresses the sign-in test
      { url = "https://api.example.com/", name = "Our ERCOT gateway",  # (and check --probe)
        operator = "ERCOT", environment = "test" }]  # offers; full https:// URLs

Every root the plan would add must be pinned: a root whose fingerprint is not listed is
refused (exit 3), so a swapped file on a share cannot plant a root on the fleet.

`endpoints` (optional) lists the addresses the organisation's people sign in to: a URL, or a
table with `url` and optionally `name`, `operator`, `environment` (production | test),
`purpose` and `network` (internet | private-wan). Once the profile has been applied they are
kept in GridCert's data folder (`app.actions.probe.save_profile_endpoints`), so the wizard's
*Test sign-in* offers them and `gridcert check --probe` tests them.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.actions.plan import Plan, normalize_sha256
from app.core.endpoints import Endpoint, parse_endpoint
from app.core.errors import BadInputError, PinMismatchError, UsageError

_KNOWN_KEYS = {"name", "version", "files", "targets", "pinned_roots", "password_env",
               "endpoints"}
#: What an `endpoints` table may say (the rest of an endpoint is fixed for a profile's).
_ENDPOINT_KEYS = {"url", "name", "operator", "environment", "purpose", "network", "id"}
#: Targets whose id carries a path; a relative path in a profile is relative to the profile.
_PATH_TARGETS = ("nss:", "java:", "bundle:")


@dataclass(frozen=True)
class Profile:
    path: Path
    name: str | None
    files: tuple[Path, ...]
    targets: tuple[str, ...]
    pinned_roots: frozenset[str]
    password_env: str | None
    #: Sign-in addresses for the sign-in test (None: the profile has no `endpoints`).
    endpoints: tuple[Endpoint, ...] | None = None

    def json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "name": self.name,
            "files": [str(f) for f in self.files],
            "targets": list(self.targets),
            "pinned_roots": sorted(self.pinned_roots),
            "password_env": self.password_env,
            "endpoints": ([e.json() for e in self.endpoints] if self.endpoints is not None
                          else None),
        }


def _strings(document: dict[str, Any], key: str, path: Path) -> list[str]:
    value = document.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise UsageError(f"In the profile {path}, '{key}' must be a list of strings.")
    return list(value)


def _endpoints(document: dict[str, Any], path: Path) -> tuple[Endpoint, ...] | None:
    """The profile's `endpoints`: URLs, or tables with a `url` and a few optional words."""
    if "endpoints" not in document:
        return None
    value = document["endpoints"]
    if not isinstance(value, list):
        raise UsageError(f"In the profile {path}, 'endpoints' must be a list of https:// "
                         "addresses or of tables with a 'url'.")
    found: list[Endpoint] = []
    for index, raw in enumerate(value, 1):
        if isinstance(raw, str):
            table: dict[str, Any] = {"url": raw}
        elif isinstance(raw, dict):
            unknown = sorted(set(raw) - _ENDPOINT_KEYS)
            if unknown:
                raise UsageError(
                    f"In the profile {path}, endpoint {index} has unknown settings: "
                    f"{', '.join(unknown)} (known: {', '.join(sorted(_ENDPOINT_KEYS))}).")
            table = dict(raw)
        else:
            raise UsageError(f"In the profile {path}, endpoint {index} is neither an address "
                             "nor a table with a 'url'.")
        table.setdefault("id", f"profile-{index}")
        # What a profile's address is: one that asks for the person's certificate, in use,
        # and not confirmed by the operator (the organisation vouches for it, not GridCert).
        table.update(client_certificate=True, status="active", verified=False)
        try:
            endpoint = parse_endpoint(table, "", f"The profile {path}", origin="profile")
        except BadInputError as error:
            raise UsageError(str(error)) from None
        if any(e.id == endpoint.id for e in found):
            raise UsageError(f"In the profile {path}, the endpoint id '{endpoint.id}' is "
                             "given twice.")
        if not table.get("name"):
            endpoint = replace(endpoint, name=endpoint.host)
        found.append(endpoint)
    return tuple(found)


def _resolve_target(target: str, base: Path) -> str:
    for prefix in _PATH_TARGETS:
        if target.startswith(prefix):
            raw = os.path.expanduser(target[len(prefix):])
            where = Path(raw) if os.path.isabs(raw) else base / raw
            return f"{prefix}{where}"
    return target


def load_profile(path: str | os.PathLike[str]) -> Profile:
    """Read and check a profile; a malformed one is a `UsageError` naming the problem."""
    where = Path(path).expanduser().absolute()
    try:
        document = tomllib.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BadInputError(f"The profile {where} does not exist.") from error
    except OSError as error:
        raise BadInputError(f"The profile {where} cannot be read: {error.strerror}.") from error
    except UnicodeDecodeError as error:
        raise UsageError(f"The profile {where} is not a UTF-8 text file.") from error
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"The profile {where} is not valid TOML: {error}.") from error
    unknown = sorted(set(document) - _KNOWN_KEYS)
    if unknown:
        raise UsageError(
            f"The profile {where} has unknown settings: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(_KNOWN_KEYS))})."
        )
    base = where.parent
    files = tuple(
        (Path(f).expanduser() if os.path.isabs(os.path.expanduser(f)) else base / f)
        for f in _strings(document, "files", where)
    )
    if not files:
        raise UsageError(f"The profile {where} names no certificate files ('files').")
    targets = tuple(_resolve_target(t, base) for t in _strings(document, "targets", where))
    pins: set[str] = set()
    for text in _strings(document, "pinned_roots", where):
        try:
            pins.add(normalize_sha256(text))
        except UsageError as error:
            raise UsageError(f"In the profile {where}: {error}") from error
    password_env = document.get("password_env")
    if password_env is not None and (not isinstance(password_env, str) or not password_env):
        raise UsageError(f"In the profile {where}, 'password_env' must be a variable name.")
    endpoints = _endpoints(document, where)
    name = document.get("name")
    return Profile(
        path=where,
        name=name if isinstance(name, str) else None,
        files=files,
        targets=targets,
        pinned_roots=frozenset(pins),
        password_env=password_env,
        endpoints=endpoints,
    )


def check_pins(profile: Profile, plan: Plan) -> None:
    """Refuse (PinMismatchError, exit 3) when the plan would add a root the profile does
    not pin — whether or not it is already there, so a profile is checked the same way on
    every machine."""
    roots = [item for item in plan.items if item.role == "root"]
    unpinned = [item for item in roots if item.sha256 not in profile.pinned_roots]
    if unpinned:
        item = unpinned[0]
        raise PinMismatchError(
            f"The root ‘{item.display_name}’ (SHA-256 {item.sha256}) from {item.source} is not "
            f"one of the roots pinned in the profile {profile.path}; nothing was installed."
        )


def files_of(profile: Profile, extra: Sequence[str]) -> list[str]:
    """The profile's files followed by any given on the command line."""
    return [str(f) for f in profile.files] + list(extra)
