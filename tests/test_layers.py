"""The layers of docs/architecture.md, held against the code's own imports.

Every top-level module and package of ``boundaries`` stands on one floor. An
import may point down, or sideways within a floor; never up, and never round in
a circle. A new app fails here until it is given its floor.
"""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "boundaries"

#: Top floor first; the same table, drawn, is in docs/architecture.md.
FLOORS: tuple[tuple[str, frozenset[str]], ...] = (
    ("entry points", frozenset({"__main__", "cli", "urls", "wsgi", "manage", "settings"})),
    ("therapist screens", frozenset({"dashboard", "setup", "demo"})),
    ("data rights", frozenset({"data_rights"})),
    (
        "channels and pages",
        frozenset({"channels", "portal", "welfare", "platform_audit", "site", "records"}),
    ),
    ("reminders", frozenset({"reminders"})),
    ("messages", frozenset({"inbox"})),
    ("sign-in", frozenset({"accounts"})),
    ("register", frozenset({"practices"})),
    ("storage", frozenset({"backups", "sealed", "vault", "audit", "queue"})),
    (
        "ground",
        frozenset({"core", "sql", "clock", "errors", "secretfiles", "links", "pdfdoc", "ops"}),
    ),
)
FLOOR = {unit: len(FLOORS) - number for number, (_, units) in enumerate(FLOORS) for unit in units}


def _unit(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every module this file imports by absolute name, with the line, wherever it stands;
    ``from boundaries import clock`` counts as ``boundaries.clock``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
            if node.module == "boundaries":
                modules = [f"boundaries.{alias.name}" for alias in node.names]
        else:
            continue
        found.extend((module, node.lineno) for module in modules)
    return found


def _imported_units(path: Path) -> set[tuple[str, int]]:
    """Each ``boundaries.<unit>`` this file imports, with the line."""
    found = set()
    for module, line in _imports(path):
        parts = module.split(".")
        if parts[0] == "boundaries" and len(parts) > 1:
            found.add((parts[1], line))
    return found


def _sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def _arrows() -> dict[tuple[str, str], list[str]]:
    """(importer unit, imported unit) -> where, for every import between two units."""
    arrows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in _sources():
        here = _unit(path)
        for there, line in _imported_units(path):
            if there != here:
                arrows[(here, there)].append(f"{path.relative_to(SRC.parent)}:{line}")
    return arrows


def test_every_module_of_boundaries_stands_on_a_floor() -> None:
    units = {_unit(path) for path in SRC.rglob("*.py")} | {
        path.name for path in SRC.iterdir() if path.is_dir() and (path / "__init__.py").exists()
    }
    units.discard("__init__")
    assert sorted(units - set(FLOOR)) == [], "give each new module its floor in FLOORS"
    assert sorted(set(FLOOR) - units) == [], "a module in FLOORS no longer exists"


def test_no_import_runs_up_a_floor() -> None:
    upward = {
        f"{here} (floor {FLOOR[here]}) -> {there} (floor {FLOOR[there]}): {', '.join(where)}"
        for (here, there), where in _arrows().items()
        if FLOOR[there] > FLOOR[here]
    }
    assert sorted(upward) == []


def test_no_two_modules_import_each_other_even_sideways() -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for here, there in _arrows():
        edges[here].add(there)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = {start}, [start]
        while todo:
            for nxt in edges[todo.pop()]:
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    circles = sorted(
        f"{a} <-> {b}"
        for a, b in itertools.combinations(sorted(edges), 2)
        if reaches(a, b) and reaches(b, a)
    )
    assert circles == []


def test_the_core_imports_nothing_above_it_and_no_django() -> None:
    """The pure core: no Django, no other app of ours, whatever floor-mates it has."""
    offending = []
    for path in sorted((SRC / "core").rglob("*.py")):
        for module, line in _imports(path):
            top = module.split(".")[:2]
            if top[0] == "django" or (top[0] == "boundaries" and top[1:] != ["core"]):
                offending.append(f"{path.relative_to(SRC.parent)}:{line} {module}")
    assert offending == []


@pytest.mark.parametrize(("name", "units"), FLOORS, ids=[name for name, _ in FLOORS])
def test_the_architecture_page_draws_every_floor(name: str, units: frozenset[str]) -> None:
    page = (SRC.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert name in page
    assert sorted(unit for unit in units if unit not in page) == []
