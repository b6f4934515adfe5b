"""Train the message classifier and write its artefact into the package.

Reads the shared ``train`` split (``--shared``, default ``../shared/data/messages.jsonl``
relative to the repository root) and our own examples in ``data/examples/*.jsonl``.
It never reads ``tests/``: the triage test set stays held out.

    .venv/bin/python scripts/train_classifiers.py [--shared PATH] [--out PATH] [--seed N]

scikit-learn and numpy are used here only; the artefact is read by pure Python.
The operating thresholds come from out-of-fold predictions on the training data
(5 folds), never from the dev split or the test set.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# One BLAS thread: sums in a fixed order, so retraining on one machine gives the same
# artefact (across CPUs, TOLERANCE below keeps the results equal to ~1e-5).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from boundaries.core.classifier import crisis  # noqa: E402
from boundaries.core.classifier.linear import ARTEFACT_NAME, FORMAT  # noqa: E402
from boundaries.core.classifier.text import features  # noqa: E402
from boundaries.core.types import Label  # noqa: E402

LABELS = tuple(Label)
DEFAULT_SHARED = ROOT.parent / "shared" / "data" / "messages.jsonl"
EXAMPLES = ROOT / "data" / "examples"
DEFAULT_OUT = ROOT / "src" / "boundaries" / "core" / "classifier" / ARTEFACT_NAME

#: Our examples are the only ones written as a client writes to a therapist, and
#: the only policy questions: they count this many times a shared row.
OWN_WEIGHT = 4.0
#: Inverse regularisation strength of the logistic regression.
C = 10.0
#: lbfgs stops when the largest gradient component is this small. scikit-learn's
#: default (1e-4) stops early enough that the CPU's BLAS kernels decide the last
#: digits: on an AMD EPYC the out-of-fold crisis threshold came out 0.03 instead of
#: 0.025. At 1e-8 every CPU reaches the same optimum (scores within 2e-5).
TOLERANCE = 1e-8
MAX_ITERATIONS = 20_000
MIN_DF = 2
FOLDS = 5
#: The crisis threshold is the highest that keeps this out-of-fold recall.
CRISIS_RECALL_TARGET = 0.985
#: The model alone raises a crisis only when crisis and session content together hold
#: at least this much of the probability: a message it reads as scheduling, billing
#: or spam is a crisis only if an expression says so.
PERSONAL_MASS = 0.3
#: When a message denies risk, speaks of it as past or uses a figure of speech, the
#: model alone must be at least this sure: its crisis score on short messages is
#: noisy, and "I'm not suicidal, just stressed" is what the client said.
REASSURED_FLOOR = 0.5
#: A label other than crisis joins ``labels`` only at this probability or more
#: (the best-F1 threshold when higher): triage and the guard act on labels, and a
#: softmax label under one half is not what the message is mainly about. Mixed
#: messages get their second label from their parts (``message.py``).
LABEL_FLOOR = 0.5
#: Significant digits kept in the artefact (enough: predictions agree to 1e-4).
DIGITS = 5


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    labels: tuple[Label, ...]  # the first is the primary label
    weight: float
    source: str


def read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_examples(shared: Path) -> list[Example]:
    examples = [
        Example(str(row["text"]), (Label(str(row["label"])),), 1.0, str(row["source"]))
        for row in read_jsonl(shared)
        if row["split"] == "train"
    ]
    for path in sorted(EXAMPLES.glob("*.jsonl")):
        for row in read_jsonl(path):
            names = row.get("labels") or [row["label"]]
            assert isinstance(names, list)
            labels = tuple(Label(str(name)) for name in names)
            examples.append(Example(str(row["text"]), labels, OWN_WEIGHT, f"own:{path.stem}"))
    return examples


def identity(tokens: list[str]) -> list[str]:
    return tokens


def fit(
    tokens: Sequence[list[str]],
    targets: np.ndarray,
    weights: np.ndarray,
    seed: int,
) -> tuple[TfidfVectorizer, LogisticRegression]:
    """One softmax regression; a message with several labels counts once per label."""
    vectorizer = TfidfVectorizer(
        analyzer=identity, binary=True, min_df=MIN_DF, norm="l2", dtype=np.float64
    )
    matrix = vectorizer.fit_transform(tokens)
    rows, columns = np.nonzero(targets)
    share = weights[rows] / targets.sum(axis=1)[rows]
    model = LogisticRegression(
        C=C,
        class_weight="balanced",
        tol=TOLERANCE,
        max_iter=MAX_ITERATIONS,
        random_state=seed,
    )
    with warnings.catch_warnings():
        # A model that stopped before converging would differ from machine to machine.
        warnings.simplefilter("error", ConvergenceWarning)
        model.fit(matrix[rows], columns, sample_weight=share)
    return vectorizer, model


def predict(
    vectorizer: TfidfVectorizer, model: LogisticRegression, tokens: Sequence[list[str]]
) -> np.ndarray:
    return np.asarray(model.predict_proba(vectorizer.transform(tokens)))


def best_f1_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    best, best_f1 = 0.5, -1.0
    for threshold in np.arange(0.05, 0.96, 0.01):
        predicted = scores >= threshold
        tp = float(np.sum(predicted & truth))
        f1 = 2 * tp / max(1.0, float(np.sum(predicted) + np.sum(truth)))
        if f1 > best_f1:
            best, best_f1 = float(threshold), f1
    return round(best, 3)


def label_thresholds(
    out_of_fold: np.ndarray, truth: np.ndarray, console: Console
) -> dict[str, float]:
    """Each label's best out-of-fold F1 threshold, raised to LABEL_FLOOR (both printed)."""
    best_f1 = {
        str(label): best_f1_threshold(out_of_fold[:, column], truth[:, column])
        for column, label in enumerate(LABELS)
    }
    console.print(f"out-of-fold best-F1 thresholds (before the floor): {best_f1}")
    return {label: max(LABEL_FLOOR, value) for label, value in best_f1.items()}


def crisis_thresholds(
    scores: np.ndarray, personal: np.ndarray, truth: np.ndarray, expressed: np.ndarray
) -> tuple[float, float]:
    """The operating threshold (recall first) and the stricter one for reassured messages."""
    positives = float(np.sum(truth))
    threshold = 0.01
    eligible = personal >= PERSONAL_MASS
    for candidate in np.arange(0.01, 0.99, 0.005):
        flagged = expressed | (eligible & (scores >= candidate))
        recall = float(np.sum(truth & flagged)) / positives
        if recall >= CRISIS_RECALL_TARGET:
            threshold = float(candidate)
    reassured = max(threshold, best_f1_threshold(scores, truth), REASSURED_FLOOR)
    return round(threshold, 3), round(reassured, 3)


def significant(value: float) -> float:
    return float(f"{value:.{DIGITS}g}")


def export(  # noqa: PLR0917 (a private helper called once, in order)
    vectorizer: TfidfVectorizer,
    model: LogisticRegression,
    thresholds: dict[str, float],
    crisis_threshold: float,
    reassured_threshold: float,
    metadata: dict[str, object],
) -> bytes:
    idf = vectorizer.idf_
    weights = model.coef_.T
    vocabulary = {}
    for feature, index in sorted(vectorizer.vocabulary_.items()):
        row = [significant(idf[index] ** 2)]
        row.extend(significant(idf[index] * weight) for weight in weights[index])
        vocabulary[feature] = row
    document = {
        "format": FORMAT,
        "labels": [str(label) for label in LABELS],
        "bias": [significant(float(value)) for value in model.intercept_],
        "thresholds": thresholds,
        "crisis": {
            "threshold": crisis_threshold,
            "reassured_threshold": reassured_threshold,
            "personal_mass": PERSONAL_MASS,
        },
        "metadata": metadata,
        "vocabulary": vocabulary,
    }
    raw = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    # mtime=0: the same training produces byte-identical artefacts.
    return gzip.compress(raw, compresslevel=9, mtime=0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--folds", type=int, default=FOLDS, help="0 skips threshold search")
    args = parser.parse_args(argv)
    console = Console(stderr=True)

    examples = load_examples(args.shared)
    targets = np.array([[label in ex.labels for label in LABELS] for ex in examples], dtype=int)
    weights = np.array([ex.weight for ex in examples])
    primary = np.array([LABELS.index(ex.labels[0]) for ex in examples])
    console.print(f"{len(examples)} training examples ({int(np.sum(weights > 1))} our own)")

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("features", total=len(examples))
        tokens = []
        for ex in examples:
            # Sorted: the order features reach scikit-learn never depends on str hashing.
            tokens.append(sorted(features(ex.text)))
            progress.advance(task)
        expressed = np.zeros(len(examples), dtype=bool)
        task = progress.add_task("crisis expressions", total=len(examples))
        for index, ex in enumerate(examples):
            expressed[index] = crisis.assess(ex.text).risk
            progress.advance(task)

        out_of_fold = np.zeros((len(examples), len(LABELS)))
        if args.folds:
            folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=args.seed)
            task = progress.add_task("out-of-fold fits", total=args.folds)
            for train_index, held_index in folds.split(np.zeros(len(examples)), primary):
                vectorizer, model = fit(
                    [tokens[i] for i in train_index],
                    targets[train_index],
                    weights[train_index],
                    args.seed,
                )
                out_of_fold[held_index] = predict(
                    vectorizer, model, [tokens[i] for i in held_index]
                )
                progress.advance(task)
        task = progress.add_task("final fit", total=1)
        vectorizer, model = fit(tokens, targets, weights, args.seed)
        progress.advance(task)

    truth = targets.astype(bool)
    crisis_column = LABELS.index(Label.CRISIS)
    if args.folds:
        thresholds = label_thresholds(out_of_fold, truth, console)
        session_column = LABELS.index(Label.SESSION_CONTENT)
        crisis_threshold, reassured = crisis_thresholds(
            out_of_fold[:, crisis_column],
            out_of_fold[:, crisis_column] + out_of_fold[:, session_column],
            truth[:, crisis_column],
            expressed,
        )
    else:
        thresholds = {str(label): 0.5 for label in LABELS}
        crisis_threshold, reassured = 0.3, 0.6
    thresholds[str(Label.CRISIS)] = crisis_threshold
    digest = hashlib.sha256()
    for ex in examples:
        digest.update(ex.text.encode())
        digest.update(",".join(ex.labels).encode())
    metadata: dict[str, object] = {
        "examples": len(examples),
        "own_examples": int(np.sum(weights > 1)),
        "own_weight": OWN_WEIGHT,
        "C": C,
        "label_floor": LABEL_FLOOR,
        "model": "softmax logistic regression, class_weight=balanced",
        "min_df": MIN_DF,
        "folds": args.folds,
        "seed": args.seed,
        "crisis_recall_target": CRISIS_RECALL_TARGET,
        "data_sha256": digest.hexdigest(),
    }
    data = export(vectorizer, model, thresholds, crisis_threshold, reassured, metadata)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    console.print(
        f"wrote {args.out} ({len(data) / 1e6:.2f} MB, {len(vectorizer.vocabulary_)} features); "
        f"thresholds {thresholds}; crisis reassured threshold {reassured}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
