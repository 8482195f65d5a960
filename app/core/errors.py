"""GridCert's one exception family; each carries a sentence a person can act on.

The CLI prints `str(error)` and exits with `error.exit_code`; the GUI shows the same
sentence on the page. Exit codes are part of the public CLI contract (DESIGN.md).
`detail`, when set, is the technical text behind the sentence (a tool's message, the
exact condition): the GUI shows it behind a "Details" link, the CLI with `--verbose`
and in the `--json` error document.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3
EXIT_TARGET_FAILED = 4
EXIT_CANCELLED = 5
EXIT_EXPIRING = 10
EXIT_EXPIRED = 11


class GridCertError(Exception):
    """Base of every error GridCert reports to a person."""

    exit_code: int = EXIT_BAD_INPUT

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class UsageError(GridCertError):
    """The command line or a profile was not well formed."""

    exit_code = EXIT_USAGE


class BadInputError(GridCertError):
    """A file or value given by the user cannot be used; nothing was changed."""

    exit_code = EXIT_BAD_INPUT


class PasswordRequiredError(BadInputError):
    """A PKCS#12 file (or encrypted key) needs a password that was not given."""


class WrongPasswordError(BadInputError):
    """The password does not open the file (or the file is damaged)."""


class LimitExceededError(BadInputError):
    """An input is larger or deeper than GridCert accepts (protection against hostile files)."""


class PinMismatchError(BadInputError):
    """A certificate's fingerprint differs from the pinned value it must have."""


class RefusedError(BadInputError):
    """The plan would do something unsafe (a non-CA as a root, an end-of-life root, ...)."""


class TargetError(GridCertError):
    """A store could not be read or changed; whatever was done has been rolled back."""

    exit_code = EXIT_TARGET_FAILED


class ToolMissingError(TargetError):
    """A program a store needs (certutil, keytool, security, ...) is not installed."""


class StoreLockedError(TargetError):
    """Another program (Firefox, another GridCert) holds the store."""


class NotExportableError(TargetError):
    """The private key cannot be taken out of the store."""


class DataFolderError(GridCertError):
    """GridCert's own data folder (journal, lock, backups) cannot be written: full,
    read-only or not permitted. Before a change starts nothing has changed (exit 3); a
    change under way is rolled back at once and reports a target failure (exit 4)."""

    exit_code = EXIT_BAD_INPUT

    @classmethod
    def about(cls, folder: object, error: OSError) -> DataFolderError:
        why = error.strerror or str(error)
        return cls(f"GridCert cannot write in its data folder {folder} ({why}); make room "
                   "there, or point GRIDCERT_DATA_DIR at a folder it may write.")


class CancelledError(GridCertError):
    """The user cancelled (or Windows' confirmation dialog was declined)."""

    exit_code = EXIT_CANCELLED


class KeyringUnavailableError(GridCertError):
    """No usable keyring backend; the passphrase must be supplied by the user."""
