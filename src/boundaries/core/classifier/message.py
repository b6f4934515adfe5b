"""The message classifier triage calls: the linear model and the risk expressions together.

The level (docs/risk-levels.md) comes first. The curated expressions give their
own level: any urgent one makes the message urgent. Otherwise the model raises
``concern`` at its operating threshold, chosen at training time so that the
urgent messages of held-out folds stay raised, provided it reads the message as
personal at all (risk and session content together hold at least
``personal_mass`` of its probability: "thanks for the help" is not at risk
because noisy data says so); when the message negates risk, puts it in the past
or uses a figure of speech ("this commute is killing me", "a suicidal tactic"),
the model needs the higher "reassured" threshold instead. Negation never
silences an expression that carries its own ("I don't want to live", "I'm not
ok, I want to die"): see ``crisis``.

A message at ``concern`` (by an expression or the model) that the model reads as
mainly personal (``urgent_personal_mass``), and that neither reassures nor says the
writer will not come to a session (``head_held_back``), becomes
``urgent`` when the model's urgency head, trained for urgent against everything
else, reaches the artefact's ``urgent_threshold``. Both are chosen on validation
messages we wrote and never trained on, within the issue's bounds on pages: nine
in ten right, at most 1 % of messages without risk (docs/classifiers.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from boundaries.core.classifier import crisis
from boundaries.core.classifier.base import Classification
from boundaries.core.classifier.linear import LinearModel
from boundaries.core.types import Label, RiskLevel

__all__ = ["MessageClassifier", "head_held_back"]

#: The crisis score reported when an expression fired: above every threshold, so
#: crisis is also the top label, without claiming the certainty of 1.0.
EXPRESSION_SCORE = 0.99
#: A model-only crisis score that reassurance kept below its threshold is scaled by
#: this, so the message's top label is what it is actually about.
REASSURED_DAMPING = 0.5
#: A message with several parts ("can we move Thursday, the panic attacks are back")
#: also gets each part's own top label when the model is at least this sure of it.
PART_CONFIDENCE = 0.6
#: Parts are read only for messages up to this long (an SMS or a short email) and
#: only this many: a long letter's labels come from the whole.
MAX_PARTS_CHARS = 400
MAX_PARTS = 4
_PART_BOUNDARY = re.compile(r"[.!?;,\n]+|\s(?:but|also|and also|plus|btw)\s", re.IGNORECASE)
_MIN_PART_WORDS = 3
#: A message of fewer words than this ("STOP", "goodnight", "ok thanks") gives the
#: model almost nothing to read, and its crisis score there mostly reflects noise in
#: the shared training labels; alone, it must then be at least ``SHORT_THRESHOLD``.
#: The expressions still catch "want to die" in three words.
SHORT_WORDS = 4
SHORT_THRESHOLD = 0.6
#: Top labels whose messages are read part by part.
_MIXING = frozenset({Label.SCHEDULING, Label.POLICY_QUESTION})


def head_held_back(
    text: str, risk: crisis.RiskAssessment | None = None, reassured: bool | None = None
) -> bool:
    """Whether the urgency head may not turn ``text``'s concern into urgent.

    When the message reassures (denies risk, puts it in the past, uses a figure of
    speech) or says the writer will not come to a session. ``classify`` passes what it
    already knows (``risk``, ``reassured``); the training script asks with the text.
    """
    if reassured is None:
        reassured = _reassured(text, risk or crisis.assess(text))
    return reassured or crisis.about_attending(text)


def _reassured(text: str, risk: crisis.RiskAssessment) -> bool:
    return risk.suppressed or crisis.reassures(text)


@dataclass(frozen=True, slots=True)
class MessageClassifier:
    model: LinearModel

    def classify(self, text: str, subject: str = "") -> Classification:
        """Scores, labels over their thresholds, and the risk level with its evidence."""
        full = f"{subject}\n{text}" if subject else text
        scores, urgency = self.model.read(full)
        probability = scores[Label.CRISIS]
        risk = crisis.assess(full)
        evidence: list[str] = list(risk.reasons)
        level = risk.level
        reassured: bool | None = None
        if level is RiskLevel.URGENT:
            scores[Label.CRISIS] = max(probability, EXPRESSION_SCORE)
        elif (
            probability >= self.model.crisis_threshold
            and probability + scores[Label.SESSION_CONTENT] >= self.model.personal_mass
        ):
            reassured = _reassured(full, risk)
            limit = (
                self.model.crisis_reassured_threshold if reassured else self.model.crisis_threshold
            )
            if len(full.split()) < SHORT_WORDS:
                limit = max(limit, SHORT_THRESHOLD)
            if probability >= limit:
                if level is RiskLevel.NONE:
                    evidence.append(
                        "the message model reads a risk sign "
                        f"(score {probability:.3f}, threshold {limit:g})"
                    )
                level = RiskLevel.worst(level, RiskLevel.CONCERN)
            elif level is RiskLevel.NONE:
                scores[Label.CRISIS] = probability * REASSURED_DAMPING
        elif level is RiskLevel.NONE and probability >= self.model.crisis_threshold:
            scores[Label.CRISIS] = probability * REASSURED_DAMPING
        # A risk sign, and the urgency head reads danger now in the rest of the words (a
        # plan, means, a farewell said indirectly) that no expression names.
        if (
            level is RiskLevel.CONCERN
            and urgency >= self.model.urgent_threshold
            and probability + scores[Label.SESSION_CONTENT] >= self.model.urgent_personal_mass
            and not head_held_back(full, risk, reassured)
        ):
            level = RiskLevel.URGENT
            evidence.append(
                "the message model reads danger now "
                f"(urgency {urgency:.3f}, threshold {self.model.urgent_threshold:g})"
            )
        labels: set[Label] = {
            label
            for label, score in scores.items()
            if label is not Label.CRISIS and score >= self.model.thresholds[label]
        }
        if level is RiskLevel.URGENT:
            labels.add(Label.CRISIS)
        top = max(scores, key=lambda label: scores[label])
        if top in _MIXING and len(full) <= MAX_PARTS_CHARS:
            # What practice messages mix: logistics or a policy question with a disclosure.
            labels.update(self._part_labels(full))
        if not labels:
            labels.add(top if top is not Label.CRISIS else Label.SESSION_CONTENT)
        return Classification(
            scores=scores,
            labels=frozenset(labels),
            risk=level,
            risk_evidence=tuple(evidence),
            expressed_risk=risk.level,
        )

    def _part_labels(self, text: str) -> set[Label]:
        parts = [
            part for part in _PART_BOUNDARY.split(text) if part.count(" ") >= _MIN_PART_WORDS - 1
        ]
        if len(parts) < 2:
            return set()
        found: set[Label] = set()
        for part in parts[:MAX_PARTS]:
            scores = self.model.probabilities(part)
            label = max(scores, key=lambda each: scores[each])
            if label not in {Label.OTHER, Label.CRISIS} and scores[label] >= PART_CONFIDENCE:
                found.add(label)
        return found
