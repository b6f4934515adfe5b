"""Evaluate the outbound guard on our own drafts: precision and recall per clause.

    .venv/bin/python scripts/eval_guard.py [--drafts PATH] [--set NAME] [--classifier] [--errors]

The drafts (``tests/data/guard_eval.jsonl`` by default) are therapist drafts we
wrote for this: posts, review replies, client emails and texts, reminders and
automated replies, each labelled with the clauses it goes against (none for a
clean draft). ``"set": "eval"`` rows were written before the guard was tuned on
them; ``"set": "holdout"`` rows were written after a first round of tuning and
scored once before the second (docs/guard.md has that first score).

The policy is the shipped GB template as the demo practice fills it in
(``demo_policy("GB")``). By default the guard runs on its expressions alone, as
the dashboard runs it; ``--classifier`` runs it a second time with the shipped
message classifier, as ``boundaries guard check`` does.

Exits 1 when a target is missed, in any run:

    every clause: recall >= 0.95 and precision >= 0.90;
    every draft that asks for a review, a rating, a like, a follow, a share or a
    testimonial (clause no-endorsements) is blocked, not merely warned.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from boundaries.core.classifier import load_default_classifier  # noqa: E402 - after sys.path
from boundaries.core.classifier.base import Classifier  # noqa: E402 - after sys.path
from boundaries.core.guard import GuardRule, check  # noqa: E402 - after sys.path
from boundaries.core.policy.model import Policy, Severity  # noqa: E402 - after sys.path
from boundaries.core.policy.templates import demo_policy  # noqa: E402 - after sys.path
from boundaries.core.types import ClauseId  # noqa: E402 - after sys.path
from tests.core.guard_drafts import Case, load_cases  # noqa: E402 - after sys.path

DEFAULT_DRAFTS = ROOT / "tests" / "data" / "guard_eval.jsonl"
MIN_RECALL = 0.95
MIN_PRECISION = 0.90


@dataclass
class Tally:
    """True positives, false positives and false negatives of one clause."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def met(self) -> bool:
        return self.recall >= MIN_RECALL and self.precision >= MIN_PRECISION


@dataclass
class Run:
    """What one pass over the drafts found."""

    name: str
    by_clause: dict[ClauseId, Tally] = field(default_factory=dict)
    by_set: dict[tuple[str, ClauseId], Tally] = field(default_factory=dict)
    requests: int = 0  # drafts labelled no-endorsements
    requests_blocked: int = 0  # ... whose endorsement finding blocks
    clean: int = 0
    clean_flagged: int = 0
    errors: list[str] = field(default_factory=list)

    def misses(self) -> list[str]:
        missed = [
            f"{clause_id} (recall {tally.recall:.3f}, precision {tally.precision:.3f})"
            for clause_id, tally in sorted(self.by_clause.items())
            if not tally.met
        ]
        if self.requests_blocked < self.requests:
            missed.append(f"endorsement requests blocked {self.requests_blocked}/{self.requests}")
        return missed


def evaluate(
    name: str,
    cases: Sequence[Case],
    sets: Sequence[str],
    policy: Policy,
    classifier: Classifier | None,
) -> Run:
    run = Run(name)
    for case, set_name in zip(cases, sets, strict=True):
        result = check(
            case.draft, case.channel, case.recipient, policy, case.agreement, classifier=classifier
        )
        found = result.clauses
        for clause_id in found | case.expected:
            for tally in (
                run.by_clause.setdefault(clause_id, Tally()),
                run.by_set.setdefault((set_name, clause_id), Tally()),
            ):
                if clause_id in found and clause_id in case.expected:
                    tally.tp += 1
                elif clause_id in found:
                    tally.fp += 1
                else:
                    tally.fn += 1
        if ClauseId.NO_ENDORSEMENTS in case.expected:
            run.requests += 1
            run.requests_blocked += any(
                f.rule is GuardRule.ENDORSEMENT_REQUEST and f.severity is Severity.BLOCK
                for f in result.findings
            )
        if not case.expected:
            run.clean += 1
            run.clean_flagged += bool(found)
        if found != case.expected:
            extra = ", ".join(sorted(found - case.expected)) or "-"
            missing = ", ".join(sorted(case.expected - found)) or "-"
            run.errors.append(
                f"line {case.line} ({set_name}, {case.channel}): [yellow]extra {extra}[/]; "
                f"[red]missing {missing}[/] | {case.draft.subject} {case.draft.text[:140]!r}"
            )
    return run


def _mark(met: bool) -> str:
    return "[green]yes[/]" if met else "[red]NO[/]"


def report(run: Run, sets: Sequence[str], console: Console, show_errors: bool) -> None:
    console.rule(run.name)
    table = Table(
        title=f"per clause (targets: recall >= {MIN_RECALL}, precision >= {MIN_PRECISION})"
    )
    for column in ("clause", "support", "TP", "FP", "FN", "precision", "recall", "met"):
        table.add_column(column, justify="left" if column == "clause" else "right")
    for clause_id, tally in sorted(run.by_clause.items()):
        table.add_row(
            str(clause_id),
            str(tally.tp + tally.fn),
            str(tally.tp),
            str(tally.fp),
            str(tally.fn),
            f"{tally.precision:.3f}",
            f"{tally.recall:.3f}",
            _mark(tally.met),
        )
    console.print(table)
    names = sorted(set(sets))
    if len(names) > 1:
        per_set = Table(title="per clause and set (precision / recall, support)")
        per_set.add_column("clause")
        for set_name in names:
            per_set.add_column(f"{set_name} ({Counter(sets)[set_name]} drafts)", justify="right")
        for clause_id in sorted(run.by_clause):
            cells = []
            for set_name in names:
                tally = run.by_set.get((set_name, clause_id), Tally())
                cells.append(f"{tally.precision:.3f} / {tally.recall:.3f} ({tally.tp + tally.fn})")
            per_set.add_row(str(clause_id), *cells)
        console.print(per_set)
    console.print(
        f"endorsement and review requests blocked (not warned): "
        f"{run.requests_blocked}/{run.requests} {_mark(run.requests_blocked == run.requests)}"
    )
    console.print(f"clean drafts with any finding: {run.clean_flagged}/{run.clean}")
    if show_errors:
        for line in run.errors:
            console.print(line, highlight=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=Path, default=DEFAULT_DRAFTS)
    parser.add_argument("--set", dest="only", help="only the rows of this set (eval, holdout)")
    parser.add_argument(
        "--classifier", action="store_true", help="also run with the shipped classifier"
    )
    parser.add_argument("--errors", action="store_true", help="list every draft that differs")
    args = parser.parse_args(argv)
    console = Console()
    policy = demo_policy("GB")
    cases = load_cases(policy, args.drafts)
    sets = [str(row_set) for row_set in _sets(args.drafts)]
    if args.only:
        kept = [(case, s) for case, s in zip(cases, sets, strict=True) if s == args.only]
        cases, sets = [case for case, _ in kept], [s for _, s in kept]
    shown = args.drafts.relative_to(ROOT) if args.drafts.is_relative_to(ROOT) else args.drafts
    console.print(
        f"{len(cases)} drafts from {shown}"
        f" ({', '.join(f'{n} {s}' for s, n in sorted(Counter(sets).items()))}); "
        f"{sum(1 for case in cases if not case.expected)} clean; policy: demo_policy('GB')"
    )
    runs = [evaluate("expressions alone", cases, sets, policy, None)]
    if args.classifier:
        runs.append(
            evaluate("with the shipped classifier", cases, sets, policy, load_default_classifier())
        )
    failed = False
    for run in runs:
        report(run, sets, console, args.errors)
    for run in runs:
        missed = run.misses()
        if missed:
            console.print(f"[red]FAIL[/] {run.name}: missed {'; '.join(missed)}")
            failed = True
    if not failed:
        console.print("[green]guard targets met[/]")
    return 1 if failed else 0


def _sets(path: Path) -> list[str]:
    """Each row's ``set`` (``eval`` when a row has none), in file order."""
    with path.open(encoding="utf-8") as handle:
        return [str(json.loads(line).get("set", "eval")) for line in handle if line.strip()]


if __name__ == "__main__":
    raise SystemExit(main())
