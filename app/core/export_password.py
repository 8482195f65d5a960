"""A warning for export passwords that some readers cannot type back.

A PKCS#12 password with characters outside ASCII (`ü`, `é`, `€`) is turned into bytes
differently by different readers: Java's keytool cannot open an AES-256 (PBES2) file that
OpenSSL or GridCert protected with `export-Pa$$-ü` ("keystore password was incorrect"),
and older Windows versions read such passwords differently in the 3DES (compatible)
files made for them. The file is fine; the reader then says the password is wrong. So a
person exporting for Java, or in the compatible profile, is told before the file is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: Where an exported file is going: the profile chosen, and whether Java will read it.
ExportProfile = Literal["modern", "compatible"]


@dataclass(frozen=True)
class PasswordWarning:
    """The sentence for the person, and the technical detail behind it."""

    sentence: str
    detail: str


def non_ascii_characters(password: str) -> list[str]:
    """The distinct characters of `password` outside ASCII, in order of appearance."""
    return list(dict.fromkeys(char for char in password if ord(char) > 0x7F))


def export_password_warning(
    password: str, *, profile: ExportProfile, for_java: bool = False
) -> PasswordWarning | None:
    """A warning when `password` has non-ASCII characters and the file is for Java or in
    the compatible profile (older Windows, the macOS keychain); None otherwise."""
    odd = non_ascii_characters(password)
    if not odd or not (for_java or profile == "compatible"):
        return None
    shown = " ".join(odd[:5])
    reader = "Java" if for_java else "older Windows versions and the macOS keychain"
    if for_java and profile == "compatible":
        reader = "Java, older Windows versions and the macOS keychain"
    return PasswordWarning(
        sentence=(
            f"The password contains {shown}: {reader} may read such letters differently "
            "and then say the password is wrong. For this file, a password of plain "
            "letters (a–z, A–Z), digits and punctuation is safer."
        ),
        detail=(
            "Non-ASCII characters in a PKCS#12 password are encoded differently by readers "
            "(UTF-8 vs a BMPString of the code page, and Java's PBES2 key derivation): "
            "keytool cannot open an AES-256/PBKDF2 file written by OpenSSL with such a "
            "password."
        ),
    )
