"""How long the message classifier takes per message, in pure Python on one core.

    .venv/bin/python bench/bench_classify.py [--rounds N]

Times ``load_default_classifier().classify(text)`` over the 330 messages of
``tests/data/triage_testset.jsonl`` (SMS length: typical client messages),
pinned to one CPU (``--cpu``, default 0) where the OS allows, after one warm-up pass. Also times the
first load of the artefact.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.machine import command, describe  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--cpu", type=int, default=0, help="the CPU to pin to")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    texts = [
        json.loads(line)["text"]
        for line in (ROOT / "tests" / "data" / "triage_testset.jsonl").read_text().splitlines()
        if line.strip()
    ]
    started = time.perf_counter()
    from boundaries.core.classifier import load_default_classifier

    classifier = load_default_classifier()
    load_seconds = time.perf_counter() - started
    for text in texts:
        classifier.classify(text)
    timings = []
    for _ in range(args.rounds):
        for text in texts:
            begin = time.perf_counter_ns()
            classifier.classify(text)
            timings.append(time.perf_counter_ns() - begin)
    timings.sort()
    micro = [value / 1000 for value in timings]
    mean = statistics.fmean(micro)
    print(f"machine: {describe()}, pinned to CPU {args.cpu}")
    print(f"command: {command()}")
    print(
        f"messages: {len(texts)} x {args.rounds} rounds, mean length "
        f"{statistics.fmean(len(t) for t in texts):.0f} characters"
    )
    print(f"artefact load: {load_seconds:.2f} s")
    print(
        f"classify: mean {mean:.1f} µs, p50 {micro[len(micro) // 2]:.1f} µs, "
        f"p99 {micro[int(len(micro) * 0.99)]:.1f} µs, max {micro[-1]:.1f} µs, "
        f"{1e6 / mean:,.0f} messages/s on one core"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
