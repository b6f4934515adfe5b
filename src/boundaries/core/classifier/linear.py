"""The linear model, read from its JSON artefact and evaluated in pure Python.

Training (``scripts/train_classifiers.py``) fits a softmax logistic regression on
binary TF-IDF features (``text.features``) with scikit-learn and writes, for
every feature of the vocabulary, one row: its squared IDF, its IDF times each
label's weight, and last its IDF times the weight of the *urgency head* (a
second, binary logistic regression on the same features: urgent against
everything else). A message's logit for a label is then

    sum(row[1 + label] for its features) / sqrt(sum(row[0] for its features)) + bias

which is exactly the L2-normalised TF-IDF dot product scikit-learn computed,
done with dict lookups and a column sum in C (``zip``/``sum``). The known
features of each word are looked up once and cached (``_WORD_CACHE_SIZE``
words): clients reuse the same few thousand words.
The probabilities are the softmax of the logits, the urgency the sigmoid of
its own logit; a message about two things
(a reschedule that also discloses panic attacks) splits its mass between them,
and per-label thresholds turn that into several labels.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from boundaries.core.classifier.text import (
    MAX_MODEL_CHARS,
    normalise,
    pair_features,
    word_features,
)
from boundaries.core.types import Label

__all__ = ["ARTEFACT_NAME", "FORMAT", "LinearModel", "load_model"]

ARTEFACT_NAME = "model.json.gz"
FORMAT = 3
#: Distinct words whose known features are kept; the cache starts over when full.
_WORD_CACHE_SIZE = 50_000
_Row = tuple[float, ...]
#: An urgent threshold no probability reaches: the model alone never raises ``urgent``.
NEVER = 1.01


class ArtefactError(ValueError):
    """The shipped model file is missing, of another format, or inconsistent."""


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A softmax logistic regression over a TF-IDF vocabulary."""

    labels: tuple[Label, ...]
    bias: tuple[float, ...]
    vocabulary: Mapping[str, tuple[float, ...]]
    thresholds: Mapping[Label, float]
    crisis_threshold: float
    crisis_reassured_threshold: float
    personal_mass: float
    #: The urgency head's bias (its weights are the last value of each row).
    urgency_bias: float
    #: A message at ``concern`` becomes ``urgent`` on the model's reading alone when its
    #: urgency reaches this (above 1.0: never); chosen on our validation messages.
    urgent_threshold: float
    #: ... and only when risk and session content together hold at least this much of
    #: the probability (a message mainly about logistics is never turned).
    urgent_personal_mass: float
    metadata: Mapping[str, Any]
    _word_rows: dict[str, dict[str, _Row]] = field(default_factory=dict, repr=False, compare=False)

    def _rows_of(self, word: str) -> dict[str, _Row]:
        rows = self._word_rows.get(word)
        if rows is None:
            get = self.vocabulary.get
            rows = {f: row for f in word_features(word) if (row := get(f)) is not None}
            if len(self._word_rows) >= _WORD_CACHE_SIZE:
                self._word_rows.clear()
            self._word_rows[word] = rows
        return rows

    def probabilities(self, text: str) -> dict[Label, float]:
        """The probability of each label for ``text`` (they sum to one)."""
        return self.read(text)[0]

    def read(self, text: str) -> tuple[dict[Label, float], float]:
        """The probability of each label, and the urgency head's probability of urgent."""
        words = normalise(text[:MAX_MODEL_CHARS]).split()
        known: dict[str, _Row] = {}
        cached = self._word_rows.get
        for word in set(words):
            word_rows = cached(word)
            known.update(self._rows_of(word) if word_rows is None else word_rows)
        get = self.vocabulary.get
        for pair in pair_features(words):
            row = get(pair)
            if row is not None:
                known[pair] = row
        if known:
            sums = list(map(sum, zip(*known.values(), strict=True)))
            scale = 1.0 / math.sqrt(sums[0]) if sums[0] > 0.0 else 0.0
            logits = [
                total * scale + bias for total, bias in zip(sums[1:-1], self.bias, strict=True)
            ]
            urgency_logit = sums[-1] * scale + self.urgency_bias
        else:
            logits = list(self.bias)
            urgency_logit = self.urgency_bias
        top = max(logits)
        exps = [math.exp(logit - top) for logit in logits]
        total = sum(exps)
        probabilities = {
            label: value / total for label, value in zip(self.labels, exps, strict=True)
        }
        return probabilities, _sigmoid(urgency_logit)


def _sigmoid(logit: float) -> float:
    if logit >= 0:
        return 1.0 / (1.0 + math.exp(-logit))
    odd = math.exp(logit)
    return odd / (1.0 + odd)


def _parse(document: Mapping[str, Any]) -> LinearModel:
    if document.get("format") != FORMAT:
        raise ArtefactError(
            f"classifier artefact has format {document.get('format')!r}, "
            f"this code reads format {FORMAT}"
        )
    labels = tuple(Label(name) for name in document["labels"])
    width = 2 + len(labels)  # squared IDF, one weight per label, the urgency head's
    vocabulary: dict[str, tuple[float, ...]] = {}
    for feature, row in document["vocabulary"].items():
        if len(row) != width:
            raise ArtefactError(f"classifier artefact row for {feature!r} has {len(row)} values")
        vocabulary[feature] = tuple(float(value) for value in row)
    bias: Sequence[float] = document["bias"]
    crisis = document["crisis"]
    return LinearModel(
        labels=labels,
        bias=tuple(float(value) for value in bias),
        vocabulary=vocabulary,
        thresholds={Label(name): float(value) for name, value in document["thresholds"].items()},
        crisis_threshold=float(crisis["threshold"]),
        crisis_reassured_threshold=float(crisis["reassured_threshold"]),
        personal_mass=float(crisis["personal_mass"]),
        urgency_bias=float(crisis["urgency_bias"]),
        urgent_threshold=float(crisis.get("urgent_threshold", NEVER)),
        urgent_personal_mass=float(crisis.get("urgent_personal_mass", 0.0)),
        metadata=document.get("metadata", {}),
    )


def load_model(data: bytes | None = None) -> LinearModel:
    """Read the artefact shipped in this package (or ``data``, gzip-compressed JSON)."""
    if data is None:
        data = resources.files(__package__).joinpath(ARTEFACT_NAME).read_bytes()
    document = json.loads(gzip.decompress(data))
    return _parse(document)
