"""Message classifiers: a fast linear model plus curated crisis expressions."""

from __future__ import annotations

import functools

from boundaries.core.classifier.base import Classification, Classifier
from boundaries.core.classifier.linear import load_model
from boundaries.core.classifier.message import MessageClassifier

__all__ = ["Classification", "Classifier", "MessageClassifier", "load_default_classifier"]


@functools.cache
def load_default_classifier() -> Classifier:
    """The classifier shipped with Boundaries, read once per process."""
    return MessageClassifier(load_model())
