"""The long fuzz run: mutate real-world-shaped mail and parse it, a million times by default.

    .venv/bin/python scripts/fuzz_email.py --count 1000000 [--seed 1]

Every input must parse without an exception; failures are written to
``var/fuzz-failures/`` for replay. The test suite runs 100,000 of these.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.progress import Progress  # noqa: E402

from boundaries.channels.email.parse import parse_email  # noqa: E402
from tests.channels.email_corpus import SEEDS, mutate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    now = dt.datetime.now(dt.UTC)
    failures = 0
    out = ROOT / "var" / "fuzz-failures"
    started = time.perf_counter()
    with Progress() as progress:
        bar = progress.add_task("parsing mutated mail", total=args.count)
        for index in range(args.count):
            raw = mutate(rng, rng.choice(SEEDS))
            try:
                parse_email(raw, now=now)
            except Exception:  # noqa: BLE001 - the point is to catch and keep every failure
                failures += 1
                out.mkdir(parents=True, exist_ok=True)
                name = hashlib.sha256(raw).hexdigest()[:16]
                (out / f"{name}.eml").write_bytes(raw)
                (out / f"{name}.txt").write_text(traceback.format_exc())
            if index % 1000 == 0:
                progress.update(bar, completed=index)
        progress.update(bar, completed=args.count)
    elapsed = time.perf_counter() - started
    rate = args.count / elapsed
    print(f"{args.count} mutations in {elapsed:.1f} s ({rate:,.0f}/s), {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
