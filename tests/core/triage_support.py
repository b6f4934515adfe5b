"""A classifier that says what a test tells it to, and policies with real reply templates.

The rules are tested apart from the statistics: each test fixes what the
classifier "saw" and checks what the rules do with it. The real classifier is
tested on its own (test_classifier) and through ``decide`` in test_triage_real.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from boundaries.core.classifier.base import Classification
from boundaries.core.policy.model import Policy, ReplyTemplates
from boundaries.core.types import ClauseId, Label, RiskLevel
from tests.core.guard_policy_factory import make_policy

TEMPLATES = ReplyTemplates(
    crisis="Thank you for writing to {practice}. {therapist} has been told and will be in "
    "touch as soon as possible. You can call the practice on {phone}.",
    redirect_social="Thank you for your message. {practice} does not discuss appointments "
    "or sessions here. Please call {phone} to arrange or change an appointment.",
    redirect_channel="Thank you for your message. You asked us to use {channels} with you, "
    "so please get in touch that way, or call {phone}.",
    secure_channel="Thank you for writing. To keep what you share private, please send it "
    "through {secure_channel} rather than by email; we will talk about it next session.",
)


@dataclass(frozen=True)
class ScriptedClassifier:
    """Returns the labels and risk level it was built with, whatever the text.

    ``crisis=True`` is an urgent message; ``concern=True`` one at ``concern``.
    """

    labels: frozenset[Label] = frozenset({Label.OTHER})
    crisis: bool = False
    crisis_score: float = 0.95
    by_expression: bool = False
    concern: bool = False

    @property
    def level(self) -> RiskLevel:
        if self.crisis:
            return RiskLevel.URGENT
        return RiskLevel.CONCERN if self.concern else RiskLevel.NONE

    def classify(self, text: str, subject: str = "") -> Classification:
        scores = {label: (0.9 if label in self.labels else 0.05) for label in Label}
        level = self.level
        if level is not RiskLevel.NONE:
            scores[Label.CRISIS] = self.crisis_score
        return Classification(
            scores=scores,
            labels=self.labels | ({Label.CRISIS} if self.crisis else frozenset()),
            risk=level,
            risk_evidence=("words about ending one's life",) if self.crisis else (),
            expressed_risk=level if self.by_expression else RiskLevel.NONE,
        )


def sees(*labels: Label, crisis: bool = False, concern: bool = False) -> ScriptedClassifier:
    return ScriptedClassifier(frozenset(labels or {Label.OTHER}), crisis, concern=concern)


def policy_with_replies(country: str = "GB", *, disabled: Iterable[ClauseId] = ()) -> Policy:
    return replace(make_policy(country, disabled=disabled), replies=TEMPLATES)
