"""Found on a keyboard walk: after *Test sign-in*, *Open the log* said "Probe server
untrusted." — the code's own words, in a window meant to be read. The sign-in test is
said as the wizard names it, with its outcome in words and the address tested."""

from __future__ import annotations

from app.gui.logview import sentence_for


def test_a_sign_in_test_reads_as_a_sentence() -> None:
    said = sentence_for("action=probe outcome=server-untrusted url=https://127.0.0.1:8443/ "
                        "sha256=0013c027 alert=- http_status=-", "WARNING")
    assert said == ("A sign-in test stopped: the server's certificate is not trusted "
                    "(at https://127.0.0.1:8443/).")
    assert "probe" not in said.lower()


def test_a_sign_in_that_worked() -> None:
    said = sentence_for("action=probe outcome=accepted url=https://misapi.ercot.com/ "
                        "http_status=200", "INFO")
    assert said == "A sign-in test signed in (at https://misapi.ercot.com/)."
