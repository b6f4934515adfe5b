"""What a classifier returns, and the protocol triage and the guard depend on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from boundaries.core.types import Label

__all__ = ["Classification", "Classifier"]


@dataclass(frozen=True, slots=True)
class Classification:
    """Scores per label, the labels over their operating thresholds, and the crisis verdict.

    ``labels`` is multi-label on purpose: "can we move Thursday, the panic attacks
    are back" is both scheduling and session content. ``crisis`` is the
    recall-tuned verdict of the model and the curated risk expressions together;
    ``crisis_evidence`` says in plain words what raised it (never quoting the message).
    """

    scores: Mapping[Label, float]
    labels: frozenset[Label]
    crisis: bool
    crisis_evidence: tuple[str, ...] = field(default=())
    #: True when a curated risk expression raised the crisis (not the model alone).
    crisis_by_expression: bool = False

    @property
    def top(self) -> Label:
        """The single most likely label (used for 6-class accuracy and macro-F1)."""
        return max(self.scores, key=lambda label: self.scores[label])


class Classifier(Protocol):
    def classify(self, text: str, subject: str = "") -> Classification: ...
