"""Every ``# noqa`` and ``# type: ignore`` in src/ says why, right after it."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
MARKER = re.compile(
    r"#\s*(?:noqa(?::\s*[A-Z0-9]+(?:\s*,\s*[A-Z0-9]+)*)?|type:\s*ignore(?:\[[^\]]*\])?)"
)
#: After the marker: ``- reason`` or ``# reason``.
REASON = re.compile(r"\s*(?:-|#)\s*\S")


def bare_suppressions() -> list[str]:
    return [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for marker in MARKER.finditer(line)
        if not REASON.match(line, marker.end())
    ]


def test_it_finds_a_bare_suppression() -> None:
    assert not REASON.match("x = 1  # noqa: S608", len("x = 1  # noqa: S608"))
    assert REASON.match("  # noqa: S608 - ours", len("  # noqa: S608"))


def test_it_finds_no_suppression_without_its_reason_in_src() -> None:
    assert bare_suppressions() == []
