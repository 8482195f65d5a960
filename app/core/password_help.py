"""What to say after a wrong password, with help once it is clearly not a typing slip.

The first wrong password is usually a typo; from the second in a row for the same file,
the person probably has the wrong password altogether. Then the sentence adds where the
password comes from: separately from the file (another email, the security
administrator), and for ERCOT a one-time password that its download page shows once
(ERCOT "Certificate Download Process": "Generate Password", copied when shown) — a lost one
means downloading the file again.
"""

from __future__ import annotations

#: From this many wrong passwords in a row for one file, the help is added.
HELP_AFTER = 2


def wrong_password_sentence(file_name: str, attempts: int, operator: str | None = None) -> str:
    """The sentence after `attempts` consecutive wrong passwords for `file_name` (1 = the
    first); `operator` ('ERCOT', 'CAISO', …) when known, for operator-specific help."""
    sentence = f"That password does not open ‘{file_name}’."
    if attempts < HELP_AFTER:
        return sentence
    sentence += (" The password does not come with the file: it is usually sent separately, "
                 "in another email or by your security administrator.")
    if operator is not None and operator.strip().casefold() == "ercot":
        sentence += (" ERCOT shows its one-time password only once, when you download the "
                     "certificate; if you no longer have it, download the file again to get "
                     "a new password.")
    else:
        sentence += " If you cannot find it, ask whoever sent you the file to send it again."
    return sentence
