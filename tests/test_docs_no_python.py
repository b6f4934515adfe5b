"""The guides a therapist or an operator follows never ask them to type Python."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
GUIDES = ("channels.md", "operators.md", "therapist-quickstart.md")

#: What typing Python looks like: a Python code block, a Django shell, ``python -c``,
#: an interactive prompt, or an import or ORM call in any code block.
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
PYTHON_IN_CODE = re.compile(
    r"shell\s+-c|manage(?:\.py)?\s+shell|python3?\s+-c|^\s*>>>|^\s*(?:from\s+\S+\s+)?import\s|"
    r"\.objects\.",
    re.MULTILINE,
)


@pytest.mark.parametrize("name", GUIDES)
def test_the_guide_has_no_python_to_type(name: str) -> None:
    text = (DOCS / name).read_text(encoding="utf-8")
    assert "shell -c" not in text
    for language, body in FENCE.findall(text):
        assert language.lower() not in {"python", "py", "pycon"}, f"{name}: a {language} block"
        found = PYTHON_IN_CODE.search(body)
        assert found is None, f"{name}: Python in a code block: {found.group(0) if found else ''}"
