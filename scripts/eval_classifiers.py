"""Evaluate the shipped message classifier: risk levels first, then topics.

    .venv/bin/python scripts/eval_classifiers.py [--shared PATH] [--testset PATH ...] [--errors]

Three sets, each with a risk level per message (docs/risk-levels.md):

- the shared ``dev`` split, relabelled: every Reddit C-SSRS post carries the level
  we gave it by reading it (``data/labels/cssrs-risk.jsonl``); every other dev row
  (assistant commands, counselling questions, comments) is ``none``;
- our own test set ``tests/data/triage_testset.jsonl`` (a ``level`` per row);
- our second test set ``tests/data/triage_testset_2.jsonl``, written on 2026-12-07 by
  a writer who saw neither the detector nor any other example, and measured before
  anything was chosen on it.

For each it prints urgent precision and recall, the recall of urgent-or-concern,
the share of ``none`` messages raised to ``urgent`` and to ``concern``, and a
level confusion matrix; then per-topic precision, recall and F1. Exits 1 when a
target is missed on any set:

    urgent recall >= 0.95 at urgent precision >= 0.90; urgent-or-concern recall
    >= 0.99; on none messages, urgent <= 1 % and concern <= 10 %.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from boundaries.core.classifier import MessageClassifier, load_default_classifier  # noqa: E402 - after sys.path
from boundaries.core.classifier.base import Classifier  # noqa: E402 - after sys.path
from boundaries.core.classifier.linear import load_model  # noqa: E402 - after sys.path
from boundaries.core.types import Label, RiskLevel  # noqa: E402 - after sys.path

LABELS = tuple(Label)
LEVELS = (RiskLevel.URGENT, RiskLevel.CONCERN, RiskLevel.NONE)
DEFAULT_SHARED = ROOT.parent / "shared" / "data" / "messages.jsonl"
TESTSETS = {
    "own test set": ROOT / "tests" / "data" / "triage_testset.jsonl",
    "second test set": ROOT / "tests" / "data" / "triage_testset_2.jsonl",
}
RISK_LABELS = ROOT / "data" / "labels" / "cssrs-risk.jsonl"

MIN_URGENT_RECALL = 0.95
MIN_URGENT_PRECISION = 0.90
MIN_RISK_RECALL = 0.99
MAX_NONE_TO_URGENT = 0.01
MAX_NONE_TO_CONCERN = 0.10


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    topic: Label
    level: RiskLevel


@dataclass(frozen=True, slots=True)
class Figures:
    urgent_recall: float
    urgent_precision: float
    risk_recall: float
    none_to_urgent: float
    none_to_concern: float

    def misses(self) -> list[str]:
        checks = [
            (self.urgent_recall >= MIN_URGENT_RECALL, f"urgent recall >= {MIN_URGENT_RECALL}"),
            (
                self.urgent_precision >= MIN_URGENT_PRECISION,
                f"urgent precision >= {MIN_URGENT_PRECISION}",
            ),
            (self.risk_recall >= MIN_RISK_RECALL, f"urgent-or-concern recall >= {MIN_RISK_RECALL}"),
            (
                self.none_to_urgent <= MAX_NONE_TO_URGENT,
                f"none raised to urgent <= {MAX_NONE_TO_URGENT:.0%}",
            ),
            (
                self.none_to_concern <= MAX_NONE_TO_CONCERN,
                f"none raised to concern <= {MAX_NONE_TO_CONCERN:.0%}",
            ),
        ]
        return [target for met, target in checks if not met]


def read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def relabelled_dev(shared: Path) -> list[Row]:
    """The shared dev split with a level per message; C-SSRS posts by our reading."""
    levels = {
        str(row["sha256"]): RiskLevel(str(row["level"]))
        for row in read_jsonl(RISK_LABELS)
        if row["split"] == "dev"
    }
    rows: list[Row] = []
    for row in read_jsonl(shared):
        if row["split"] != "dev":
            continue
        text = str(row["text"])
        if not str(row["source"]).startswith("cssrs-reddit"):
            rows.append(Row(text, Label(str(row["label"])), RiskLevel.NONE))
            continue
        level = levels.get(hashlib.sha256(text.encode()).hexdigest())
        if level is None:
            raise SystemExit(f"{RISK_LABELS}: a dev C-SSRS post has no label; relabel first")
        topic = Label.SESSION_CONTENT if level is RiskLevel.NONE else Label.CRISIS
        rows.append(Row(text, topic, level))
    return rows


def testset(path: Path) -> list[Row]:
    return [
        Row(str(row["text"]), Label(str(row["label"])), RiskLevel(str(row["level"])))
        for row in read_jsonl(path)
    ]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def evaluate(
    name: str, rows: Sequence[Row], classifier: Classifier, console: Console, show_errors: bool
) -> Figures:
    levels: Counter[tuple[RiskLevel, RiskLevel]] = Counter()
    topics: Counter[tuple[Label, Label]] = Counter()
    errors: list[str] = []
    # Of the messages raised to concern, by our label: how many with the sign in the words
    # (an expression found it), which "Review today" lists first.
    in_words: Counter[tuple[RiskLevel, bool]] = Counter()
    for row in rows:
        result = classifier.classify(row.text)
        levels[row.level, result.risk] += 1
        if result.risk is RiskLevel.CONCERN:
            in_words[row.level, result.expressed_risk is not RiskLevel.NONE] += 1
        topics[row.topic, result.top] += 1
        if result.risk is not row.level:
            colour = "red" if result.risk.rank < row.level.rank else "yellow"
            errors.append(
                f"[{colour}]{row.level} read as {result.risk}[/] "
                f"{'; '.join(result.risk_evidence) or '-'} | {row.text[:160]!r}"
            )

    def count(gold: RiskLevel | None, got: RiskLevel | None) -> int:
        return sum(
            n
            for (g, p), n in levels.items()
            if (gold is None or g is gold) and (got is None or p is got)
        )

    urgent = RiskLevel.URGENT
    figures = Figures(
        urgent_recall=_share(count(urgent, urgent), count(urgent, None)),
        urgent_precision=_share(count(urgent, urgent), count(None, urgent)),
        risk_recall=_share(
            count(urgent, urgent)
            + count(urgent, RiskLevel.CONCERN)
            + count(RiskLevel.CONCERN, urgent)
            + count(RiskLevel.CONCERN, RiskLevel.CONCERN),
            count(urgent, None) + count(RiskLevel.CONCERN, None),
        ),
        none_to_urgent=_share(count(RiskLevel.NONE, urgent), count(RiskLevel.NONE, None)),
        none_to_concern=_share(
            count(RiskLevel.NONE, RiskLevel.CONCERN), count(RiskLevel.NONE, None)
        ),
    )
    console.rule(f"{name}: {len(rows)} messages")
    matrix = Table(title="risk levels (rows: our label, columns: the classifier's)")
    matrix.add_column("label")
    for level in LEVELS:
        matrix.add_column(str(level), justify="right")
    matrix.add_column("total", justify="right")
    for gold in LEVELS:
        matrix.add_row(
            str(gold), *(str(levels[gold, got]) for got in LEVELS), str(count(gold, None))
        )
    console.print(matrix)
    console.print(
        f"urgent recall {figures.urgent_recall:.3f} ({count(urgent, urgent)}/"
        f"{count(urgent, None)}), urgent precision {figures.urgent_precision:.3f} "
        f"({count(urgent, urgent)}/{count(None, urgent)}); urgent-or-concern recall "
        f"{figures.risk_recall:.3f}; none raised to urgent {figures.none_to_urgent:.2%}, "
        f"to concern {figures.none_to_concern:.2%}"
    )
    console.print(
        "raised to concern, with the sign in the words (listed first) / model only: "
        + "; ".join(f"{level} {in_words[level, True]}/{in_words[level, False]}" for level in LEVELS)
    )
    _topic_table(topics, console)
    if show_errors:
        for line in sorted(errors):
            console.print(line, markup=True, highlight=False)
    return figures


def _topic_table(topics: Counter[tuple[Label, Label]], console: Console) -> None:
    table = Table(title="topics (top label against ours)")
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="right" if column != "label" else "left")
    for label in LABELS:
        tp = topics[label, label]
        predicted = sum(topics[g, label] for g in LABELS)
        support = sum(topics[label, p] for p in LABELS)
        precision = _share(tp, predicted)
        recall = _share(tp, support)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table.add_row(str(label), f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}", str(support))
    console.print(table)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument(
        "--testset",
        type=Path,
        action="append",
        help="a test set of our own (repeatable; default: both in tests/data/)",
    )
    parser.add_argument("--errors", action="store_true", help="list every level error")
    parser.add_argument("--model", type=Path, help="another artefact (default: the shipped one)")
    args = parser.parse_args(argv)
    console = Console()
    classifier = (
        MessageClassifier(load_model(args.model.read_bytes()))
        if args.model
        else load_default_classifier()
    )
    sets = {str(path): path for path in args.testset} if args.testset else dict(TESTSETS)
    results = {
        "relabelled dev split": evaluate(
            "relabelled dev split", relabelled_dev(args.shared), classifier, console, args.errors
        )
    }
    for name, path in sets.items():
        results[name] = evaluate(name, testset(path), classifier, console, args.errors)
    failed = False
    for name, figures in results.items():
        missed = figures.misses()
        if missed:
            console.print(f"[red]FAIL[/] {name}: missed {'; '.join(missed)}")
            failed = True
    if not failed:
        console.print("[green]risk targets met on every set[/]")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
