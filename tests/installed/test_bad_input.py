"""Every command, run through the installed console script with bad input, says so in one line.

Bad input gives one line on stderr and exit code 2, and never a traceback. The
cases are in ``bad_cases.py`` (those about the practice's register run from
``test_bad_input_register.py``), the valid ones in ``valid_cases.py``. The
commands are read from the Typer app, so a command added without cases fails
``test_every_command_has_valid_and_bad_input_cases``. The cases run a few at a
time in the background from the module's first test on; each test waits for its own.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Future

import pytest

from tests.installed.bad_cases import BAD, BAD_ELSEWHERE, Bad, assert_one_line_and_exit_2
from tests.installed.shell import Result, command_of, leaf_commands
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


@pytest.mark.parametrize("case", BAD_ELSEWHERE, ids=[case.id for case in BAD_ELSEWHERE])
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(
    case: Bad, bad_results: dict[str, Future[Result]]
) -> None:
    assert_one_line_and_exit_2(case, bad_results[case.id].result())
