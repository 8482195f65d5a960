"""Word-list passphrases: the shipped list, the entropy arithmetic, the generator."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import passphrase
from app.core.errors import BadInputError


def test_shipped_list_is_7776_distinct_plain_words() -> None:
    words = passphrase.load_wordlist()
    assert len(words) == 7776
    assert len(set(words)) == len(words)
    assert all(w.isascii() and w.isalpha() and w.islower() and 4 <= len(w) <= 8 for w in words)
    # The licence notice of the source list travels with it.
    text = passphrase.resource_path("wordlist.txt").read_text(encoding="utf-8")
    assert "Kevin Atkinson" in text


def test_entropy_arithmetic() -> None:
    assert passphrase.bits_per_word(7776) == pytest.approx(math.log2(7776))
    assert passphrase.words_needed(80, 7776) == 7  # 6 words are only 77.5 bits
    assert passphrase.entropy_bits(6, 7776) < 80 <= passphrase.entropy_bits(7, 7776)
    assert passphrase.words_needed(64, 2**16) == 4
    assert passphrase.words_needed(65, 2**16) == 5


def test_generated_passphrase_reaches_80_bits() -> None:
    phrase = passphrase.generate_passphrase()
    parts = phrase.split("-")
    words = set(passphrase.load_wordlist())
    assert len(parts) == 7 and all(p in words for p in parts)
    assert passphrase.passphrase_entropy(phrase) >= 80
    assert passphrase.generate_passphrase(min_bits=100).count("-") + 1 == 8


def test_generation_is_random() -> None:
    phrases = {passphrase.generate_passphrase() for _ in range(50)}
    assert len(phrases) == 50
    # Every position draws from the whole list: over 50 draws × 7 positions, many words.
    assert len({w for p in phrases for w in p.split("-")}) > 200


@given(st.text(min_size=1, max_size=40))
def test_typed_password_estimate_is_bounded(text: str) -> None:
    bits = passphrase.passphrase_entropy(text, separator="")
    assert 0 <= bits <= len(text) * math.log2(26 + 26 + 10 + 33 + 100) + 1e-9


def test_weak_typed_password_scores_low() -> None:
    assert passphrase.passphrase_entropy("hunter2") < 40
    assert passphrase.passphrase_entropy("") == 0


def test_bad_word_lists_are_refused(tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("alpha\nbravo\n")
    with pytest.raises(BadInputError, match="only 2 words"):
        passphrase.load_wordlist(short)
    repeated = tmp_path / "repeated.txt"
    repeated.write_text("# comment\n" + "\n".join(["same"] * 2000))
    with pytest.raises(BadInputError, match="repeated"):
        passphrase.load_wordlist(repeated)
    with pytest.raises(BadInputError, match="cannot be read"):
        passphrase.load_wordlist(tmp_path / "missing.txt")
