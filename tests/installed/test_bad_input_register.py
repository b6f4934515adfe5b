"""Bad input to the practice, client, agreement, calendar, IMAP and platform-audit commands.

The same check as ``test_bad_input.py``, on the cases about the practice's
register, in a module of their own so that pytest-xdist runs the two side by side.
"""

from __future__ import annotations

from concurrent.futures import Future

import pytest

from tests.installed.bad_cases import BAD_REGISTER, Bad, assert_one_line_and_exit_2
from tests.installed.shell import Result


@pytest.mark.parametrize("case", BAD_REGISTER, ids=[case.id for case in BAD_REGISTER])
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(
    case: Bad, bad_results: dict[str, Future[Result]]
) -> None:
    assert_one_line_and_exit_2(case, bad_results[case.id].result())
