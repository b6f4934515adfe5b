"""Every command, run through the installed console script with bad input, says so in one line.

Bad input gives one line on stderr and exit code 2, and never a traceback. The
cases are in ``bad_cases.py``, the valid ones in ``valid_cases.py``; the commands
are read from the Typer app, so a command added without cases fails
``test_every_command_has_valid_and_bad_input_cases``. The cases run a few at a
time in the background from the first test on; each test waits for its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.installed.bad_cases import BAD, Bad
from tests.installed.shell import (
    JOBS,
    Result,
    command_of,
    leaf_commands,
    run,
    selected_cases,
    workspace,
)
from tests.installed.valid_cases import VALID

COMMANDS = leaf_commands()


def test_every_command_has_valid_and_bad_input_cases() -> None:
    valid = Counter(
        scenario.command or command_of(scenario.last_args, COMMANDS) for scenario in VALID
    )
    bad = Counter(command_of(case.args, COMMANDS) for case in BAD)
    assert sorted(COMMANDS - set(valid)) == [], "commands without a valid-input case"
    assert sorted(COMMANDS - set(bad)) == [], "commands without a bad-input case"
    assert {"init", "practice domain add", "triage", "guard check", "restore"} <= COMMANDS
    assert sum(bad.values()) >= 200


def test_the_case_names_are_unique() -> None:
    assert len({case.id for case in BAD}) == len(BAD)
    assert len({scenario.id for scenario in VALID}) == len(VALID)


@pytest.fixture(scope="module")
def bad_data(
    tmp_path_factory: pytest.TempPathFactory, inputs: Path, demo_data: tuple[Path, Result]
) -> tuple[Path, Path]:
    """The demo data with a second practice; an audit export and half a snapshot beside it."""
    cwd, data = workspace(tmp_path_factory.mktemp("bad") / "run", inputs, demo_data[0])
    for args in (
        ("practice", "create", "Second", "--country", "GB", "--slug", "second",
         "--domain", "second.example"),
        ("backup", "--output", "backups"),
        ("audit", "export", "audit.json"),
    ):  # fmt: skip
        result = run(args, cwd=cwd, data=data)
        assert result.returncode == 0, result.describe()
    (snapshot,) = (cwd / "backups").iterdir()
    blob = snapshot.read_bytes()
    (cwd / "truncated.backup").write_bytes(blob[: len(blob) // 2])
    return cwd, data


@pytest.fixture(scope="module")
def results(
    request: pytest.FixtureRequest, bad_data: tuple[Path, Path]
) -> Iterator[dict[str, Future[Result]]]:
    wanted = selected_cases(request)
    cwd, data = bad_data
    pool = ThreadPoolExecutor(max_workers=JOBS)
    try:
        yield {
            case.id: pool.submit(run, case.args, cwd=cwd, data=data, stdin=case.stdin, env=case.env)
            for case in BAD
            if case.id in wanted
        }
    finally:
        pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(
    case: Bad, results: dict[str, Future[Result]]
) -> None:
    result = results[case.id].result()
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stdout + result.stderr, result.describe()
    assert result.returncode == 2, result.describe()
    assert len(lines) == 1, result.describe()
    assert case.says in lines[0], result.describe()
