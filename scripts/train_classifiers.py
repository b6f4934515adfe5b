"""Train the message classifier and write its artefact into the package.

Reads the shared ``train`` split (``--shared``, default ``../shared/data/messages.jsonl``
relative to the repository root) and our own examples in ``data/examples/*.jsonl``.
It never reads ``tests/``: the triage test set stays held out.

Reddit C-SSRS posts are used only where we labelled the post itself by reading it
(``data/labels/cssrs-risk.jsonl``, rubric in docs/risk-levels.md): the data set's own
labels belong to the user, not the post. A post at ``concern`` or ``urgent`` is a
crisis (risk) example; one at ``none`` is session content. Unlabelled posts are left
out.

    .venv/bin/python scripts/train_classifiers.py [--shared PATH] [--out PATH] [--seed N]

scikit-learn and numpy are used here only; the artefact is read by pure Python.
The operating thresholds come from out-of-fold predictions on the training data
(5 folds), never from the dev split or the test set. The one exception is the
urgency head's threshold: out of fold it is biased (the crisis expressions were
written from the training examples, so the urgent examples they miss are the odd
ones), so it is chosen on validation messages we wrote for that and never train on
(``data/validation/``).
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
from typing import Any

# One BLAS thread: sums in a fixed order, so retraining on one machine gives the same
# artefact (across CPUs, TOLERANCE below keeps the results equal to ~1e-5).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from boundaries.core.classifier import crisis  # noqa: E402
from boundaries.core.classifier.linear import (  # noqa: E402
    ARTEFACT_NAME,
    FORMAT,
    NEVER,
    LinearModel,
    load_model,
)
from boundaries.core.classifier.message import MessageClassifier, head_held_back  # noqa: E402
from boundaries.core.classifier.text import features  # noqa: E402
from boundaries.core.types import Label, RiskLevel  # noqa: E402

LABELS = tuple(Label)
DEFAULT_SHARED = ROOT.parent / "shared" / "data" / "messages.jsonl"
EXAMPLES = ROOT / "data" / "examples"
VALIDATION = ROOT / "data" / "validation"
RISK_LABELS = ROOT / "data" / "labels" / "cssrs-risk.jsonl"
CSSRS = "cssrs-reddit"
RUBRIC = "risk-rubric-1"
SUPPORTIVE = "cssrs-reddit:Supportive"
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
#: The model's concern threshold keeps at least this share of urgent messages raised
#: (out of fold, with the expressions; see ``crisis_thresholds``).
URGENT_KEPT_TARGET = 0.95
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
    level: RiskLevel


def read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def risk_labels(path: Path = RISK_LABELS) -> dict[str, RiskLevel]:
    """Per-message levels of the C-SSRS posts we read, by the SHA-256 of their text."""
    levels: dict[str, RiskLevel] = {}
    for row in read_jsonl(path):
        if row["rubric"] != RUBRIC:
            raise SystemExit(f"{path}: a label of rubric {row['rubric']!r}, expected {RUBRIC}")
        levels[str(row["sha256"])] = RiskLevel(str(row["level"]))
    return levels


def shared_example(row: dict[str, object], levels: dict[str, RiskLevel]) -> Example | None:
    """A shared row as a training example; a C-SSRS post only with its own label."""
    text, source = str(row["text"]), str(row["source"])
    label = Label(str(row["label"]))
    if not source.startswith(CSSRS):
        return Example(text, (label,), 1.0, source, RiskLevel.NONE)
    level = levels.get(sha256(text))
    if level is None:
        return None
    if level is RiskLevel.NONE:
        # The data set's "Supportive" users write replies that support someone else:
        # their posts without risk are not a disclosure (session content) but other talk.
        topic = Label.OTHER if source == SUPPORTIVE else Label.SESSION_CONTENT
        return Example(text, (topic,), 1.0, source, level)
    return Example(text, (Label.CRISIS,), 1.0, source, level)


def load_examples(shared: Path, own: Path = EXAMPLES) -> list[Example]:
    levels = risk_labels()
    examples = [
        example
        for row in read_jsonl(shared)
        if row["split"] == "train" and (example := shared_example(row, levels)) is not None
    ]
    for path in sorted(own.glob("*.jsonl")):
        for row in read_jsonl(path):
            names = row.get("labels") or [row["label"]]
            assert isinstance(names, list)
            if "level" not in row:
                raise SystemExit(f"{path}: a row without a risk level: {str(row['text'])[:60]!r}")
            level = RiskLevel(str(row["level"]))
            labels = tuple(Label(str(name)) for name in names)
            if level is not RiskLevel.NONE and Label.CRISIS not in labels:
                labels = (*labels, Label.CRISIS)
            if level is RiskLevel.NONE and labels == (Label.CRISIS,):
                labels = (Label.SESSION_CONTENT,)
            examples.append(
                Example(str(row["text"]), labels, OWN_WEIGHT, f"own:{path.stem}", level)
            )
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
    return vectorizer, _regression(matrix[rows], columns, share, seed)


def _regression(
    features: Any, targets: np.ndarray, weights: np.ndarray, seed: int
) -> LogisticRegression:
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
        model.fit(features, targets, sample_weight=weights)
    return model


def fit_urgency(
    vectorizer: TfidfVectorizer,
    tokens: Sequence[list[str]],
    urgent: np.ndarray,
    weights: np.ndarray,
    seed: int,
) -> LogisticRegression:
    """The urgency head: urgent against everything else, on the same features."""
    return _regression(vectorizer.transform(tokens), urgent.astype(int), weights, seed)


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
    *,
    scores: np.ndarray,
    personal: np.ndarray,
    truth: np.ndarray,
    urgent: np.ndarray,
    expressed: np.ndarray,
    own: np.ndarray,
    console: Console,
) -> tuple[float, float]:
    """The model's ``concern`` threshold and the stricter one for reassured messages.

    ``truth`` is a risk sign (``concern`` or ``urgent``), ``urgent`` the urgent ones;
    the curve counts the expressions and the model together, as the classifier does.
    The threshold is the highest that keeps ``URGENT_KEPT_TARGET`` of the urgent
    messages raised at all, out of fold, in our own examples and in the Reddit posts
    *each*: the model's ``concern`` is above all the safety net under the
    expressions, which miss urgent messages that say it without the usual words, and
    more examples of one kind (ours are short and easy for it) must not lower the
    net under the other. What that costs in messages without risk raised to
    ``concern`` is printed (the curve) and reported in docs/classifiers.md.
    """
    eligible = personal >= PERSONAL_MASS
    rows: list[tuple[float, ...]] = []

    def share(part: np.ndarray, of: np.ndarray) -> float:
        return float(np.sum(part & of)) / max(float(np.sum(of)), 1.0)

    for candidate in np.arange(0.01, 0.99, 0.005):
        flagged = expressed | (eligible & (scores >= candidate))
        rows.append(
            (
                float(candidate),
                share(flagged, truth),
                share(flagged, urgent & own),
                share(flagged, urgent & ~own),
                share(flagged, ~truth),
                share(flagged, ~truth & own),
            )
        )
    table = Table(title="out-of-fold risk curve (expressions and model together)")
    for column in (
        "threshold",
        "risk recall",
        "urgent kept: ours",
        "urgent kept: shared",
        "none raised",
        "ours raised",
    ):
        table.add_column(column, justify="right")
    for row in rows[::10]:
        table.add_row(*(f"{value:.3f}" for value in row))
    console.print(table)
    keeps_urgent = [row[0] for row in rows if min(row[2], row[3]) >= URGENT_KEPT_TARGET]
    threshold = max(keeps_urgent, default=0.01)
    reassured = max(threshold, best_f1_threshold(scores, truth), REASSURED_FLOOR)
    return round(threshold, 3), round(reassured, 3)


#: The urgency head turns a ``concern`` into ``urgent`` only from a threshold at which,
#: on the validation messages, at least this share of the messages it would turn were
#: urgent ...
URGENT_PRECISION_TARGET = 0.9
#: ... on at least this many messages, and at which all pages together (the
#: expressions' and the head's) reach at most this share of the messages without risk.
URGENT_MIN_FLAGGED = 10
MAX_NONE_PAGED = 0.01
URGENT_CANDIDATES = np.arange(0.5, 1.0, 0.01)
#: The head also needs the model to read the message as mainly personal (risk and
#: session content together at least this much): "I won't make it tonight, the car
#: won't start" reads as urgent words in a message about logistics. The floor is
#: chosen with the threshold, on the validation messages, from these.
URGENT_PERSONAL_MASSES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)
#: The highest floor whose threshold still turns this share of the most urgent
#: messages any floor turns is taken.
URGENT_KEEP_SHARE = 0.98
LEVELS = (RiskLevel.URGENT, RiskLevel.CONCERN, RiskLevel.NONE)


@dataclass(frozen=True, slots=True)
class HeadPoint:
    threshold: float
    turned: dict[RiskLevel, int]
    precision: float
    none_paged: float


def read_validation(folder: Path = VALIDATION) -> list[tuple[str, RiskLevel]]:
    rows = [row for path in sorted(folder.glob("*.jsonl")) for row in read_jsonl(path)]
    return [(str(row["text"]), RiskLevel(str(row["level"]))) for row in rows]


def _head_curve(
    candidates: Sequence[tuple[float, float, RiskLevel]],
    mass: float,
    paged_without_risk: int,
    without_risk: int,
) -> list[HeadPoint]:
    """From the highest threshold down, what the head would turn at this personal mass."""
    points = []
    for candidate in reversed(URGENT_CANDIDATES):
        turned = [
            level
            for urgency, personal, level in candidates
            if urgency >= candidate and personal >= mass
        ]
        count = {level: turned.count(level) for level in RiskLevel}
        points.append(
            HeadPoint(
                float(candidate),
                count,
                count[RiskLevel.URGENT] / max(len(turned), 1),
                (paged_without_risk + count[RiskLevel.NONE]) / max(without_risk, 1),
            )
        )
    return points


def _lowest_within_bounds(points: Sequence[HeadPoint]) -> HeadPoint | None:
    """The lowest threshold from which, at it and every higher one, both bounds hold."""
    chosen = None
    for point in points:
        if sum(point.turned.values()) < URGENT_MIN_FLAGGED:
            continue
        if point.precision < URGENT_PRECISION_TARGET or point.none_paged > MAX_NONE_PAGED:
            break
        chosen = point
    return chosen


def urgent_threshold(
    model: LinearModel, validation: Sequence[tuple[str, RiskLevel]], console: Console
) -> tuple[float, float]:
    """The urgency head's threshold and personal-mass floor, chosen on validation messages.

    ``model`` is the new artefact with the head switched off: every validation
    message it puts at ``concern`` that the head is not held back from
    (``head_held_back``) is a candidate. For each floor, the threshold is the lowest
    from which, at it and at every higher one, the issue's two bounds on pages hold
    on the validation messages: ``URGENT_PRECISION_TARGET`` of what the head would
    turn is urgent (where it turns at least ``URGENT_MIN_FLAGGED``), and of the
    messages without risk at most ``MAX_NONE_PAGED`` page, counting the expressions'
    own false pages. Of those, the highest floor that pages for at least
    ``URGENT_KEEP_SHARE`` of the most urgent messages any floor pages for wins.
    ``NEVER`` when there is no such point: then only the expressions raise ``urgent``.
    """
    classifier = MessageClassifier(model)
    candidates: list[tuple[float, float, RiskLevel]] = []
    without_risk = paged_without_risk = 0
    for text, level in validation:
        got = classifier.classify(text).risk
        without_risk += level is RiskLevel.NONE
        paged_without_risk += level is RiskLevel.NONE and got is RiskLevel.URGENT
        if got is RiskLevel.CONCERN and not head_held_back(text):
            scores, urgency = model.read(text)
            personal = scores[Label.CRISIS] + scores[Label.SESSION_CONTENT]
            candidates.append((urgency, personal, level))
    options: list[tuple[int, float, HeadPoint, list[HeadPoint]]] = []
    for mass in URGENT_PERSONAL_MASSES:
        points = _head_curve(candidates, mass, paged_without_risk, without_risk)
        chosen = _lowest_within_bounds(points)
        found = chosen.turned[RiskLevel.URGENT] if chosen else -1
        console.print(
            f"urgency head, personal mass >= {mass}: "
            + (f"threshold {chosen.threshold:.2f}, {found} urgent turned" if chosen else "none")
        )
        if chosen:
            options.append((found, mass, chosen, points))
    if not options:
        console.print("urgency head: no threshold meets both bounds; never")
        return NEVER, 0.0
    most = max(found for found, *_ in options)
    # The highest floor that loses almost nothing: logistics stay logistics.
    _, mass, chosen, points = max(
        (option for option in options if option[0] >= URGENT_KEEP_SHARE * most),
        key=lambda option: option[1],
    )
    table = Table(title=f"urgency head on {len(validation)} validation messages, mass >= {mass}")
    for column in (
        "threshold",
        "turned urgent",
        "urgent",
        "concern",
        "none",
        "precision",
        "none paged",
    ):
        table.add_column(column, justify="right")
    for point in points:
        if round(point.threshold * 100) % 5 == 0:
            table.add_row(
                f"{point.threshold:.2f}",
                str(sum(point.turned.values())),
                *(str(point.turned[level]) for level in LEVELS),
                f"{point.precision:.3f}",
                f"{point.none_paged:.2%}",
            )
    console.print(table)
    console.print(f"urgency head: threshold {chosen.threshold:.2f}, personal mass {mass}")
    return round(chosen.threshold, 3), mass


def significant(value: float) -> float:
    return float(f"{value:.{DIGITS}g}")


def export(  # noqa: PLR0917 (a private helper called once, in order)
    vectorizer: TfidfVectorizer,
    model: LogisticRegression,
    head: LogisticRegression,
    thresholds: dict[str, float],
    crisis_threshold: float,
    reassured_threshold: float,
    urgent: tuple[float, float],
    metadata: dict[str, object],
) -> bytes:
    idf = vectorizer.idf_
    weights = model.coef_.T
    urgency = head.coef_[0]
    vocabulary = {}
    for feature, index in sorted(vectorizer.vocabulary_.items()):
        row = [significant(idf[index] ** 2)]
        row.extend(significant(idf[index] * weight) for weight in weights[index])
        row.append(significant(idf[index] * urgency[index]))
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
            "urgency_bias": significant(float(head.intercept_[0])),
            "urgent_threshold": urgent[0],
            "urgent_personal_mass": urgent[1],
        },
        "metadata": metadata,
        "vocabulary": vocabulary,
    }
    raw = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    # mtime=0: the same training produces byte-identical artefacts.
    return gzip.compress(raw, compresslevel=9, mtime=0)


def describe(
    examples: Sequence[Example], weights: np.ndarray, folds: int, seed: int
) -> dict[str, object]:
    """The artefact's metadata: what it was trained on and how (a digest of the data)."""
    digest = hashlib.sha256()
    for ex in examples:
        digest.update(ex.text.encode())
        digest.update(",".join(ex.labels).encode())
        digest.update(ex.level.encode())
    return {
        "examples": len(examples),
        "own_examples": int(np.sum(weights > 1)),
        "own_weight": OWN_WEIGHT,
        "C": C,
        "label_floor": LABEL_FLOOR,
        "model": "softmax logistic regression, class_weight=balanced",
        "min_df": MIN_DF,
        "folds": folds,
        "seed": seed,
        "urgent_kept_target": URGENT_KEPT_TARGET,
        "risk_rubric": RUBRIC,
        "urgent_precision_target": URGENT_PRECISION_TARGET,
        "data_sha256": digest.hexdigest(),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--examples", type=Path, default=EXAMPLES, help="our own examples")
    parser.add_argument(
        "--validation", type=Path, default=VALIDATION, help="where the urgency head is chosen"
    )
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--folds", type=int, default=FOLDS, help="0 skips threshold search")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(stderr=True)

    examples = load_examples(args.shared, args.examples)
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
            found = crisis.assess(ex.text)
            expressed[index] = found.risk
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
    is_urgent = np.array([ex.level is RiskLevel.URGENT for ex in examples])
    crisis_column = LABELS.index(Label.CRISIS)
    if args.folds:
        thresholds = label_thresholds(out_of_fold, truth, console)
        session_column = LABELS.index(Label.SESSION_CONTENT)
        crisis_threshold, reassured = crisis_thresholds(
            scores=out_of_fold[:, crisis_column],
            personal=out_of_fold[:, crisis_column] + out_of_fold[:, session_column],
            truth=truth[:, crisis_column],
            urgent=is_urgent,
            expressed=expressed,
            own=weights > 1,
            console=console,
        )
    else:
        thresholds = {str(label): 0.5 for label in LABELS}
        crisis_threshold, reassured = 0.3, 0.6
    thresholds[str(Label.CRISIS)] = crisis_threshold
    metadata = describe(examples, weights, args.folds, args.seed)
    head = fit_urgency(vectorizer, tokens, is_urgent, weights, args.seed)
    urgent = (NEVER, 0.0)
    data = export(
        vectorizer, model, head, thresholds, crisis_threshold, reassured, urgent, metadata
    )
    validation = read_validation(args.validation)
    if args.folds and validation:
        urgent = urgent_threshold(load_model(data), validation, console)
        data = export(
            vectorizer, model, head, thresholds, crisis_threshold, reassured, urgent, metadata
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    console.print(
        f"wrote {args.out} ({len(data) / 1e6:.2f} MB, {len(vectorizer.vocabulary_)} features); "
        f"thresholds {thresholds}; crisis reassured threshold {reassured}; urgent {urgent}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
