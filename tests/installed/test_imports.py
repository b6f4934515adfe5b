"""The command modules import at their top; the few imports inside a function say why.

Django is set up once, in ``boundaries.cli.main``, before any command module is
imported, so nothing in ``boundaries.cli`` needs to put an import off (CONVENTIONS,
habit 13). An import inside a function gives its reason, on its line
(``# cycle: ...``, ``# start-up ...``) or in a ``# Imported ...`` comment above it:
a true cycle, the start-up order, or a heavy module one command alone needs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import boundaries.cli

CLI = Path(boundaries.cli.__file__).resolve().parent
MODULES = sorted(CLI.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[path.stem for path in MODULES])
def test_imports_inside_functions_say_why(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    unexplained = [
        f"{path.name}:{node.lineno}"
        for function in ast.walk(ast.parse(text))
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
        and not lines[node.lineno - 2].strip().startswith("# Imported")
        and not any(tag in lines[node.lineno - 1] for tag in ("# cycle:", "# start-up"))
    ]
    assert unexplained == []


def test_there_is_one_module_per_command_group() -> None:
    assert {path.stem for path in MODULES} >= {
        "agreement", "audit", "backup", "client", "platform_audit", "guard", "output",
        "policy", "practice", "triage", "main", "app",
    }  # fmt: skip
