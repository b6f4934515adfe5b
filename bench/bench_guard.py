"""How long the outbound guard takes per draft: p50 and p99 over the drafts file, on one core.

Run from the repository root:

    .venv/bin/python bench/bench_guard.py [--rounds 50] [--no-classifier] [--drafts PATH]

It pins itself to CPU 0, warms up once, then times every draft in
tests/data/guard_drafts.jsonl (or ``--drafts``, e.g. tests/data/guard_eval.jsonl)
``--rounds`` times and prints the percentiles, the machine, its load and the
command, ready for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from boundaries.core.classifier.base import Classifier  # noqa: E402 (path set up above)
from boundaries.core.guard import check  # noqa: E402
from tests.core.guard_drafts import DRAFTS_FILE, load_cases  # noqa: E402
from tests.core.guard_policy_factory import make_policy  # noqa: E402


def _classifier() -> Classifier | None:
    module = importlib.import_module("boundaries.core.classifier")
    load = getattr(module, "load_default_classifier", None)
    if load is None:
        return None
    classifier: Classifier = load()
    return classifier


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--no-classifier", action="store_true")
    parser.add_argument("--drafts", type=Path, default=DRAFTS_FILE)
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    policy = make_policy()
    cases = load_cases(policy, args.drafts)
    classifier = None if args.no_classifier else _classifier()

    for case in cases:  # warm-up: regex caches, classifier first call
        check(
            case.draft, case.channel, case.recipient, policy, case.agreement, classifier=classifier
        )

    timings_ms: list[float] = []
    started = time.perf_counter()
    for _ in range(args.rounds):
        for case in cases:
            t0 = time.perf_counter_ns()
            check(
                case.draft,
                case.channel,
                case.recipient,
                policy,
                case.agreement,
                classifier=classifier,
            )
            timings_ms.append((time.perf_counter_ns() - t0) / 1e6)
    wall = time.perf_counter() - started
    timings_ms.sort()

    python = Path(sys.executable)
    shown = python.relative_to(ROOT) if python.is_relative_to(ROOT) else python
    print(f"command : {' '.join([str(shown), *sys.argv])}")
    print(
        f"machine : {_cpu_model()}, {os.cpu_count()} CPUs, pinned to CPU 0; {platform.platform()}"
    )
    print(f"python  : {platform.python_version()}")
    drafts = args.drafts.resolve()
    shown_drafts = drafts.relative_to(ROOT) if drafts.is_relative_to(ROOT) else drafts
    print(f"drafts  : {len(cases)} from {shown_drafts} x {args.rounds} rounds")
    if hasattr(os, "getloadavg"):
        # Other processes on the machine show in p99 first: say how busy it was.
        print("load    : {:.2f} {:.2f} {:.2f} (1, 5, 15 min)".format(*os.getloadavg()))
    print(f"classifier: {'load_default_classifier()' if classifier else 'none (expressions only)'}")
    print(
        f"per draft: p50 {_percentile(timings_ms, 0.50):.3f} ms, "
        f"p99 {_percentile(timings_ms, 0.99):.3f} ms, max {timings_ms[-1]:.3f} ms, "
        f"mean {statistics.fmean(timings_ms):.3f} ms"
    )
    print(f"throughput: {len(timings_ms) / wall:,.0f} drafts/s on one core")


if __name__ == "__main__":
    main()
