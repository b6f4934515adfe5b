"""Every command, run through the installed console script with valid input, works.

The cases are in ``valid_cases.py``; ``test_bad_input.py`` holds the bad ones and
the check that every command has cases. The scenarios run a few at a time in
the background from the first test on; each test waits for its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.installed.shell import JOBS, Result, run, selected_cases, workspace
from tests.installed.valid_cases import VALID, Scenario

Outcome = tuple[Path, list[Result]]


def play(scenario: Scenario, root: Path, inputs: Path, demo: Path) -> Outcome:
    cwd, data = workspace(root, inputs, None if scenario.fresh else demo)
    results = []
    for step in scenario.steps:
        results.append(run(step.argv(cwd), cwd=cwd, data=data, stdin=step.stdin, env=step.env))
        if results[-1].returncode != 0:
            break
    return cwd, results


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    inputs: Path,
    demo_data: tuple[Path, Result],
) -> Iterator[dict[str, Future[Outcome]]]:
    wanted = selected_cases(request)
    root = tmp_path_factory.mktemp("valid")
    pool = ThreadPoolExecutor(max_workers=JOBS)
    try:
        yield {
            scenario.id: pool.submit(play, scenario, root / scenario.id, inputs, demo_data[0])
            for scenario in VALID
            if scenario.id in wanted
        }
    finally:
        pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("scenario", VALID, ids=[scenario.id for scenario in VALID])
def test_it_works_with_valid_input(
    scenario: Scenario, outcomes: dict[str, Future[Outcome]]
) -> None:
    cwd, results = outcomes[scenario.id].result()
    for result in results:
        assert result.returncode == 0, result.describe()
        assert "Traceback" not in result.stdout + result.stderr, result.describe()
    output = "\n".join(result.stdout + result.stderr for result in results)
    for text in scenario.expect:
        assert text in output, "\n\n".join(result.describe() for result in results)
    for name in scenario.files:
        assert (cwd / name).is_file(), f"{name} was not written"
