"""What a classifier returns, and the protocol triage and the guard depend on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from boundaries.core.types import Label, RiskLevel

__all__ = ["Classification", "Classifier"]


@dataclass(frozen=True, slots=True)
class Classification:
    """Scores per label, the labels over their operating thresholds, and the risk level.

    ``labels`` is multi-label on purpose: "can we move Thursday, the panic attacks
    are back" is both scheduling and session content. ``risk`` is the level of
    the curated risk expressions and the model together (docs/risk-levels.md);
    ``risk_evidence`` says in plain words what raised it (never quoting the
    message); ``expressed_risk`` is the level the expressions alone showed.
    """

    scores: Mapping[Label, float]
    labels: frozenset[Label]
    risk: RiskLevel = RiskLevel.NONE
    risk_evidence: tuple[str, ...] = field(default=())
    expressed_risk: RiskLevel = RiskLevel.NONE

    @property
    def crisis(self) -> bool:
        """Urgent: a life may be in danger now."""
        return self.risk is RiskLevel.URGENT

    @property
    def top(self) -> Label:
        """The single most likely label (used for 6-class accuracy and macro-F1)."""
        return max(self.scores, key=lambda label: self.scores[label])


class Classifier(Protocol):
    def classify(self, text: str, subject: str = "") -> Classification: ...
