"""One clock: code outside the core asks ``boundaries.clock.now()``; the core reads none."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "boundaries"
#: Reading the wall clock directly (a field default names ``timezone.now`` without
#: calling it: migrations record that callable, so defaults keep it).
WALL_CLOCK = re.compile(
    r"timezone\.now\(\)|datetime\.now\(|datetime\.utcnow\(|time\.time\(\)|local(?:date|time)\(\)"
)


def wall_clock_reads() -> list[str]:
    return [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts and path != SRC / "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if WALL_CLOCK.search(line)
    ]


def test_it_finds_a_direct_read_of_the_wall_clock() -> None:
    assert WALL_CLOCK.search("since = timezone.now() - window")
    assert not WALL_CLOCK.search("created_at = models.DateTimeField(default=django_timezone.now)")


def test_it_reads_the_time_only_through_the_one_clock() -> None:
    assert wall_clock_reads() == []
