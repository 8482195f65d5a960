"""`wrong_password_sentence`: plain on the first wrong password, with help from the second."""

from __future__ import annotations

from app.core.password_help import HELP_AFTER, wrong_password_sentence


def test_first_wrong_password_is_one_plain_sentence() -> None:
    assert wrong_password_sentence("jane.pfx", 1, "ERCOT") == \
        "That password does not open ‘jane.pfx’."


def test_second_and_later_add_help_for_ercot() -> None:
    assert HELP_AFTER == 2
    for attempts in (2, 5):
        sentence = wrong_password_sentence("jane.pfx", attempts, "ercot")
        assert sentence.startswith("That password does not open ‘jane.pfx’. The password "
                                   "does not come with the file: it is usually sent "
                                   "separately, in another email")
        assert sentence.endswith("ERCOT shows its one-time password only once, when you "
                                 "download the certificate; if you no longer have it, "
                                 "download the file again to get a new password.")


def test_other_or_unknown_operator_gets_general_help() -> None:
    for operator in ("CAISO", None):
        sentence = wrong_password_sentence("rig.p12", 2, operator)
        assert "one-time" not in sentence
        assert sentence.endswith("If you cannot find it, ask whoever sent you the file to "
                                 "send it again.")
