"""The thin layer over macOS' `security` tool (one function per sub-command).

Mechanical on purpose, like `_win32`: each function builds one `security` command line,
runs it through `app.stores._tools.run_tool`, and returns its output or raises
`SecurityToolError` carrying what the tool said. Deciding which command to use, reading
the output and turning the tool's words into a sentence for a person happen in
`macos.py`, which is tested on Linux against a fake of these functions.

Passwords: `security import` and `security export` take the PKCS#12 password only as
`-P <password>` on the command line (neither reads it from stdin or a file). The user's
own password therefore never reaches this module: `macos.py` re-encrypts the PKCS#12 in
memory with a throwaway random password used for this one call, on a 0600 file in a
private temporary folder that is deleted right after. Anyone who could read that argv
would also need the file, which is gone when the call returns.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from app.core.errors import TargetError
from app.stores._scratch import private_dir
from app.stores._tools import require_tool, run_tool

_HINT = "macOS's own 'security' tool (it is part of macOS)"


class SecurityToolError(TargetError):
    """`security` ran but failed: the sub-command, its exit status and what it printed."""

    def __init__(self, what: str, status: int, said: str) -> None:
        self.what = what
        self.status = status
        self.said = said.strip()
        last = self.said.splitlines()[-1] if self.said else f"exit status {status}"
        super().__init__(f"Could not {what}: security said \"{last}\".")


def available() -> bool:
    """Whether the `security` tool can be found (only on macOS)."""
    try:
        require_tool("security", _HINT)
    except TargetError:
        return False
    return True


def _run(args: Sequence[str], what: str) -> bytes:
    tool = require_tool("security", _HINT)
    # Every exit status comes back here so that macos.py can read what the tool said.
    completed: subprocess.CompletedProcess[bytes] = run_tool(
        [tool, *args], what=what, ok_codes=range(256)
    )
    if completed.returncode != 0:
        said = (completed.stderr or completed.stdout).decode("utf-8", "replace")
        raise SecurityToolError(what, completed.returncode, said)
    return completed.stdout


def add_trusted_cert(cert_path: str, keychain: str, admin_domain: bool) -> None:
    """`security add-trusted-cert [-d] -r trustRoot -k KEYCHAIN FILE`."""
    domain = ["-d"] if admin_domain else []
    _run(["add-trusted-cert", *domain, "-r", "trustRoot", "-k", keychain, cert_path],
         "add a trusted root to the keychain")


def remove_trusted_cert(cert_path: str, admin_domain: bool) -> None:
    """`security remove-trusted-cert [-d] FILE` (the trust setting, not the certificate)."""
    domain = ["-d"] if admin_domain else []
    _run(["remove-trusted-cert", *domain, cert_path], "remove a root's trust setting")


def add_certificates(cert_paths: Sequence[str], keychain: str) -> None:
    """`security add-certificates -k KEYCHAIN FILE...` (no trust setting)."""
    _run(["add-certificates", "-k", keychain, *cert_paths], "add certificates to the keychain")


def import_pkcs12(p12_path: str, one_time_password: str, keychain: str) -> None:
    """`security import FILE -k KEYCHAIN -f pkcs12 -P PASSWORD` (the key stays extractable).

    `one_time_password` is a throwaway made for this call, never the user's (see above).
    `-f pkcs12` is explicit because the keychain misreads some files without it.
    """
    _run(["import", p12_path, "-k", keychain, "-f", "pkcs12", "-P", one_time_password],
         "import a personal certificate into the keychain")


def find_certificates(keychain: str) -> str:
    """`security find-certificate -a -Z -p KEYCHAIN`: hashes and PEM of every certificate."""
    out = _run(["find-certificate", "-a", "-Z", "-p", keychain], "list the keychain")
    return out.decode("utf-8", "replace")


def find_identities(keychain: str) -> str:
    """`security find-identity KEYCHAIN`: the certificates that have a private key."""
    out = _run(["find-identity", keychain], "list the keychain's personal certificates")
    return out.decode("utf-8", "replace")


def delete_certificate(sha1_hex: str, keychain: str, with_user_trust: bool) -> None:
    """`security delete-certificate -Z SHA1 [-t] KEYCHAIN`."""
    trust = ["-t"] if with_user_trust else []
    _run(["delete-certificate", "-Z", sha1_hex.upper(), *trust, keychain],
         "delete a certificate from the keychain")


def delete_identity(sha1_hex: str, keychain: str) -> None:
    """`security delete-identity -Z SHA1 KEYCHAIN`: the certificate and its private key."""
    _run(["delete-identity", "-Z", sha1_hex.upper(), keychain],
         "delete a personal certificate and its key from the keychain")


def export_identities(keychain: str, one_time_password: str) -> bytes:
    """`security export -k KEYCHAIN -t identities -f pkcs12 -P PASSWORD -o FILE`, read back.

    The tool cannot pick one identity: it exports all of them; macos.py picks. The file is
    encrypted with the throwaway password and lives in a private folder only for this call.
    """
    with private_dir("macos") as folder:
        out = os.path.join(folder, "export.p12")
        _run(["export", "-k", keychain, "-t", "identities", "-f", "pkcs12",
              "-P", one_time_password, "-o", out], "export from the keychain")
        with open(out, "rb") as handle:
            return handle.read()
