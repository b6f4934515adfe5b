"""The second, blind labelling passes agree with the first (docs/classifiers.md).

Recomputes Cohen's kappa from the stored labels, so the figure in the docs can be
checked by anyone, and fails if a relabelling drifts below the issue's 0.7.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "data" / "labels"
EXAMPLES = ROOT / "data" / "examples"
VALIDATION = ROOT / "data" / "validation"
TESTSET = ROOT / "tests" / "data" / "triage_testset.jsonl"
TESTSET_2 = ROOT / "tests" / "data" / "triage_testset_2.jsonl"


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two raters' labels on the same items."""
    n = len(pairs)
    observed = sum(first == second for first, second in pairs) / n
    firsts, seconds = Counter(p[0] for p in pairs), Counter(p[1] for p in pairs)
    expected = sum(firsts[k] * seconds[k] for k in firsts.keys() | seconds.keys()) / (n * n)
    return (observed - expected) / (1 - expected)


def _rows(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_kappa_matches_a_hand_computed_case() -> None:
    # 10 items: 8 agreements; each rater says "a" 5 times -> expected 0.5, kappa 0.6.
    pairs = [("a", "a")] * 4 + [("b", "b")] * 4 + [("a", "b"), ("b", "a")]
    assert abs(kappa(pairs) - 0.6) < 1e-9


def test_written_examples_second_pass_agrees_with_the_first() -> None:
    first = {}
    for path in sorted(EXAMPLES.glob("*_written.jsonl")):
        for row in _rows(path):
            first[hashlib.sha256(row["text"].encode("utf-8")).hexdigest()] = row
    second = _rows(LABELS / "written-second-pass.jsonl")
    assert len(second) == 240
    missing = [row["sha256"] for row in second if row["sha256"] not in first]
    assert missing == []
    levels = [(first[row["sha256"]]["level"], row["level"]) for row in second]
    topics = [(first[row["sha256"]]["label"], row["label"]) for row in second]
    assert kappa(levels) >= 0.7
    assert kappa(topics) >= 0.7


def test_reddit_second_pass_agrees_with_the_first() -> None:
    first = {row["sha256"]: row["level"] for row in _rows(LABELS / "cssrs-risk.jsonl")}
    second = _rows(LABELS / "cssrs-risk-second-pass.jsonl")
    assert len(second) == 300
    pairs = [(first[row["sha256"]], row["level"]) for row in second]
    assert kappa(pairs) >= 0.7


def _by_sha(paths: list[Path]) -> dict[str, dict[str, str]]:
    return {
        hashlib.sha256(row["text"].encode("utf-8")).hexdigest(): row
        for path in paths
        for row in _rows(path)
    }


def test_validation_and_second_test_set_second_pass_agrees_with_the_first() -> None:
    """A blind second labeller read 150 validation and 150 test messages (one since dropped)."""
    first = _by_sha([VALIDATION / "written-validation.jsonl", TESTSET_2])
    second = _rows(LABELS / "validation-and-testset-2-second-pass.jsonl")
    assert len(second) == 299
    assert {row["file_set"] for row in second} == {
        "validation-2026-12-07",
        "testset-2-2026-12-07",
    }
    assert [row["sha256"] for row in second if row["sha256"] not in first] == []
    levels = [(first[row["sha256"]]["level"], row["level"]) for row in second]
    topics = [(first[row["sha256"]]["label"], row["label"]) for row in second]
    assert kappa(levels) >= 0.7
    assert kappa(topics) >= 0.7


def _texts(*paths: Path) -> set[str]:
    return {row["text"].strip().lower() for path in paths for row in _rows(path)}


def test_the_validation_and_second_test_sets_share_no_message_with_training() -> None:
    """The urgency head's threshold is chosen on the validation set, and the second test
    set was measured before anything was chosen: neither may hold a training message,
    nor each other's."""
    training = _texts(*sorted(EXAMPLES.glob("*.jsonl")))
    validation = _texts(*sorted(VALIDATION.glob("*.jsonl")))
    second = _texts(TESTSET_2)
    assert len(validation) >= 800
    assert len(second) >= 590
    assert training & validation == set()
    assert training & second == set()
    assert validation & second == set()
    assert validation & _texts(TESTSET) == set()


def test_second_validation_files_second_pass_agrees_with_the_first() -> None:
    first = _by_sha([VALIDATION / "written-validation-2.jsonl"])
    second = _rows(LABELS / "validation-2-second-pass.jsonl")
    assert len(second) == 150
    assert [row["sha256"] for row in second if row["sha256"] not in first] == []
    levels = [(first[row["sha256"]]["level"], row["level"]) for row in second]
    topics = [(first[row["sha256"]]["label"], row["label"]) for row in second]
    assert kappa(levels) >= 0.7
    assert kappa(topics) >= 0.7
