"""Reading tests/data/guard_drafts.jsonl into the guard's types, for the tests and the benchmark."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from boundaries.core.classifier.base import Classifier
from boundaries.core.guard import (
    Draft,
    ImageMeta,
    OutboundChannel,
    Recipient,
    RecipientStatus,
    check,
)
from boundaries.core.policy.model import Policy
from boundaries.core.types import AgreedChannel, AgreementTerms, ClauseId, ReminderDetail

DRAFTS_FILE = Path(__file__).resolve().parents[1] / "data" / "guard_drafts.jsonl"
#: Written in a draft's text where the policy's crisis footer for the recipient goes.
FOOTER = "{footer}"


@dataclass(frozen=True, slots=True)
class Case:
    line: int
    draft: Draft
    channel: OutboundChannel
    recipient: Recipient
    agreement: AgreementTerms | None
    expected: frozenset[ClauseId]


def load_cases(policy: Policy, path: Path = DRAFTS_FILE) -> list[Case]:
    cases = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        row = json.loads(raw)
        terms = row["agreement"]
        agreement = (
            None
            if terms is None
            else AgreementTerms(
                channels=frozenset(AgreedChannel(c) for c in terms["channels"]),
                reminder_detail=ReminderDetail(terms["reminder_detail"]),
                session_content_by_email=terms["session_content_by_email"],
            )
        )
        text = row["text"].replace(FOOTER, policy.crisis_for(row["country"]).footer())
        images = (ImageMeta(has_gps=row["image_gps"]),) if "image_gps" in row else ()
        cases.append(
            Case(
                line=number,
                draft=Draft(text, row["subject"], row["automated"], images),
                channel=OutboundChannel(row["channel"]),
                recipient=Recipient(RecipientStatus(row["recipient"]), row["country"]),
                agreement=agreement,
                expected=frozenset(ClauseId(c) for c in row["expected"]),
            )
        )
    return cases


@dataclass(frozen=True, slots=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def measure(
    cases: list[Case], policy: Policy, classifier: Classifier | None
) -> tuple[dict[ClauseId, Score], list[str]]:
    """Precision and recall per clause over the drafts, and one line per draft that differs."""
    counts: dict[ClauseId, list[int]] = {}
    misses = []
    for case in cases:
        result = check(
            case.draft, case.channel, case.recipient, policy, case.agreement, classifier=classifier
        )
        found = result.clauses
        for clause_id in found | case.expected:
            tp_fp_fn = counts.setdefault(clause_id, [0, 0, 0])
            if clause_id in found and clause_id in case.expected:
                tp_fp_fn[0] += 1
            elif clause_id in found:
                tp_fp_fn[1] += 1
            else:
                tp_fp_fn[2] += 1
        if found != case.expected:
            extra = ",".join(sorted(found - case.expected)) or "-"
            missing = ",".join(sorted(case.expected - found)) or "-"
            misses.append(f"line {case.line}: extra {extra}; missing {missing}")
    return {clause_id: Score(*c) for clause_id, c in counts.items()}, misses


def format_table(scores: dict[ClauseId, Score], title: str) -> str:
    lines = [title, f"{'clause':24} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>7}"]
    for clause_id in sorted(scores):
        s = scores[clause_id]
        lines.append(
            f"{clause_id.value:24} {s.true_positives:4} {s.false_positives:4} "
            f"{s.false_negatives:4} {s.precision:10.3f} {s.recall:7.3f}"
        )
    return "\n".join(lines)
