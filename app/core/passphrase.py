"""Passphrases made of dictionary words, with their entropy.

A generated export password is shown once to the person, who may have to type it on another
computer: words are easier to copy by hand than random characters. Each word is drawn with
`secrets.choice` from the shipped list (`resources/wordlist.txt`, 7776 words ≈ 12.9 bits
each), and enough words are drawn for the requested strength (≥ 80 bits by default, i.e.
7 words). The entropy counts only the random choice of words; the separator adds nothing.
"""

from __future__ import annotations

import math
import secrets
import string
from functools import lru_cache
from pathlib import Path

from app.core.errors import BadInputError
from app.core.paths import resource_path

MIN_BITS = 80.0
SEPARATOR = "-"


@lru_cache(maxsize=4)
def load_wordlist(path: Path | None = None) -> tuple[str, ...]:
    """The words of the list (comments and blank lines skipped), checked to be distinct."""
    source = path or resource_path("wordlist.txt")
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise BadInputError(f"The word list {source} cannot be read: {error.strerror}.") from error
    words = tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
    if len(set(words)) != len(words):
        raise BadInputError(f"The word list {source} has repeated words.")
    if len(words) < 1024:
        raise BadInputError(f"The word list {source} has only {len(words)} words.")
    return words


def bits_per_word(list_size: int) -> float:
    return math.log2(list_size)


def words_needed(min_bits: float = MIN_BITS, list_size: int | None = None) -> int:
    """How many words drawn uniformly from the list reach `min_bits`."""
    size = list_size if list_size is not None else len(load_wordlist())
    return max(1, math.ceil(min_bits / bits_per_word(size) - 1e-9))


def entropy_bits(word_count: int, list_size: int | None = None) -> float:
    """Entropy of `word_count` words drawn uniformly and independently from the list."""
    size = list_size if list_size is not None else len(load_wordlist())
    return word_count * bits_per_word(size)


def generate_passphrase(
    min_bits: float = MIN_BITS, separator: str = SEPARATOR, words: tuple[str, ...] | None = None
) -> str:
    """A new passphrase such as 'peace-wisdom-climb-...' with at least `min_bits` of entropy."""
    pool = words if words is not None else load_wordlist()
    count = words_needed(min_bits, len(pool))
    return separator.join(secrets.choice(pool) for _ in range(count))


def passphrase_entropy(passphrase: str, separator: str = SEPARATOR) -> float:
    """The entropy of a passphrase made by `generate_passphrase`, or an estimate for any other.

    For a typed password the estimate is length × log2(size of the character classes used):
    an upper bound that is only used to warn about obviously weak choices.
    """
    words = load_wordlist()
    parts = passphrase.split(separator) if separator else [passphrase]
    known = set(words)
    if parts and all(part in known for part in parts):
        return entropy_bits(len(parts), len(words))
    classes = 0
    if any(c in string.ascii_lowercase for c in passphrase):
        classes += 26
    if any(c in string.ascii_uppercase for c in passphrase):
        classes += 26
    if any(c in string.digits for c in passphrase):
        classes += 10
    if any(c in string.punctuation or c == " " for c in passphrase):
        classes += 33
    if any(ord(c) > 127 for c in passphrase):
        classes += 100
    return len(passphrase) * math.log2(classes) if classes else 0.0
