"""Text normalisation and the features of the linear model.

The same ``features`` function runs when the model is trained (scikit-learn calls
it as its analyzer) and, split into its per-word and per-pair parts, when a
message is classified, so the two can never drift apart. It is plain Python:
string methods and slices, no regex per feature.
"""

from __future__ import annotations

import itertools
import re

__all__ = ["MAX_MODEL_CHARS", "features", "normalise", "pair_features", "word_features"]

#: The model reads this much of a message; the crisis expressions read all of it.
MAX_MODEL_CHARS = 2000

_APOSTROPHES = str.maketrans({"'": None, "\u2019": None, "\u2018": None, "`": None})
_NON_WORD = re.compile(r"[^a-z0-9&]+")
#: Character n-gram length. Four catches word stems and most typos' neighbours.
_CHAR_N = 4


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" -> "dont"), anything else not a word a space.

    Dropping apostrophes rather than splitting on them means clients who type
    "dont", "don't" and "don’t" all produce the same words.
    """
    return _NON_WORD.sub(" ", text.lower().translate(_APOSTROPHES)).strip()


def word_features(word: str) -> tuple[str, ...]:
    """The word itself and the character 4-grams of `` word `` (marked with ``#``).

    N-grams stay inside a word so that a word's features depend on the word
    alone: the classifier caches them per word.
    """
    padded = f" {word} "
    return (word, *[f"#{padded[i : i + _CHAR_N]}" for i in range(len(padded) - _CHAR_N + 1)])


def pair_features(words: list[str]) -> list[str]:
    """Word bigrams, told apart from unigrams by their space."""
    return [f"{a} {b}" for a, b in itertools.pairwise(words)]


def features(text: str) -> set[str]:
    """Distinct word unigrams, word bigrams and within-word character 4-grams of ``text``."""
    words = normalise(text[:MAX_MODEL_CHARS]).split()
    found = set(pair_features(words))
    for word in set(words):
        found.update(word_features(word))
    return found
