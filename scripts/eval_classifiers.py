"""Evaluate the shipped message classifier on the shared dev split and our own test set.

    .venv/bin/python scripts/eval_classifiers.py [--shared PATH] [--testset PATH] [--errors]

Prints per-class precision, recall and F1, 6-class macro-F1 and accuracy (top
label against the primary label), crisis recall and precision at the operating
threshold, and a confusion matrix, for each set. Exits 1 if crisis recall is
below 0.98 or crisis precision below 0.6 on either.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from boundaries.core.classifier import load_default_classifier  # noqa: E402
from boundaries.core.types import Label  # noqa: E402

LABELS = tuple(Label)
DEFAULT_SHARED = ROOT.parent / "shared" / "data" / "messages.jsonl"
DEFAULT_TESTSET = ROOT / "tests" / "data" / "triage_testset.jsonl"
MIN_CRISIS_RECALL = 0.98
MIN_CRISIS_PRECISION = 0.6


def read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(
    name: str, rows: Sequence[dict[str, object]], console: Console, show_errors: bool
) -> tuple[float, float]:
    classifier = load_default_classifier()
    confusion: Counter[tuple[Label, Label]] = Counter()
    crisis_tp = crisis_fp = crisis_fn = 0
    label_hits: Counter[Label] = Counter()  # multi-label: gold labels found in .labels
    label_gold: Counter[Label] = Counter()
    errors: list[str] = []
    for row in rows:
        text = str(row["text"])
        gold = Label(str(row["label"]))
        result = classifier.classify(text)
        confusion[gold, result.top] += 1
        gold_crisis = gold is Label.CRISIS
        if result.crisis and gold_crisis:
            crisis_tp += 1
        elif result.crisis:
            crisis_fp += 1
            errors.append(f"[yellow]false crisis[/] ({gold}) {text[:140]!r}")
        elif gold_crisis:
            crisis_fn += 1
            errors.append(f"[red]missed crisis[/] {text[:140]!r}")
        raw_labels = row.get("labels")
        for label_name in raw_labels if isinstance(raw_labels, list) else [gold]:
            label = Label(str(label_name))
            label_gold[label] += 1
            label_hits[label] += label in result.labels

    table = Table(title=f"{name}: {len(rows)} messages")
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="right" if column != "label" else "left")
    f1s = []
    for label in LABELS:
        tp = confusion[label, label]
        predicted = sum(confusion[g, label] for g in LABELS)
        support = sum(confusion[label, p] for p in LABELS)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        table.add_row(str(label), f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}", str(support))
    console.print(table)
    accuracy = sum(confusion[label, label] for label in LABELS) / len(rows)
    present = [
        f1
        for f1, label in zip(f1s, LABELS, strict=True)
        if any(confusion[label, p] for p in LABELS)
    ]
    console.print(
        f"6-class macro-F1 {sum(f1s) / len(f1s):.3f} (over the {len(present)} labels present: "
        f"{sum(present) / len(present):.3f})   accuracy {accuracy:.3f}"
    )
    crisis_recall = crisis_tp / max(1, crisis_tp + crisis_fn)
    crisis_precision = crisis_tp / max(1, crisis_tp + crisis_fp)
    console.print(
        f"crisis at the operating threshold: recall {crisis_recall:.3f} "
        f"({crisis_tp}/{crisis_tp + crisis_fn}), precision {crisis_precision:.3f} "
        f"({crisis_tp}/{crisis_tp + crisis_fp})"
    )
    console.print(
        "gold labels found among .labels (multi-label): "
        + ", ".join(
            f"{label} {label_hits[label]}/{label_gold[label]}"
            for label in LABELS
            if label_gold[label]
        )
    )
    matrix = Table(title="confusion (rows gold, columns top label)")
    matrix.add_column("gold")
    for label in LABELS:
        matrix.add_column(str(label)[:8], justify="right")
    for gold_label in LABELS:
        matrix.add_row(str(gold_label), *(str(confusion[gold_label, p]) for p in LABELS))
    console.print(matrix)
    if show_errors:
        for line in errors:
            console.print(line, markup=True, highlight=False)
    return crisis_recall, crisis_precision


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--testset", type=Path, default=DEFAULT_TESTSET)
    parser.add_argument("--errors", action="store_true", help="list crisis errors")
    args = parser.parse_args(argv)
    console = Console()
    dev = [row for row in read_jsonl(args.shared) if row["split"] == "dev"]
    results = {
        "shared dev split": evaluate("shared dev split", dev, console, args.errors),
        "own test set": evaluate("own test set", read_jsonl(args.testset), console, args.errors),
    }
    failed = False
    for name, (recall, precision) in results.items():
        if recall < MIN_CRISIS_RECALL or precision < MIN_CRISIS_PRECISION:
            console.print(
                f"[red]FAIL[/] {name}: crisis recall {recall:.3f} (>= {MIN_CRISIS_RECALL}), "
                f"precision {precision:.3f} (>= {MIN_CRISIS_PRECISION})"
            )
            failed = True
    if not failed:
        console.print("[green]crisis targets met on both sets[/]")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
