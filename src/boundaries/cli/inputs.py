"""What the commands read: files, the practice and the client; and their errors as one line.

Every helper here either returns what was asked for or ends the command with
``fail`` (one line on stderr, exit code 2).
"""

from __future__ import annotations

import math
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from django.core.exceptions import ValidationError

from boundaries.cli.output import fail
from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.model import Policy
from boundaries.errors import ActionError
from boundaries.practices.models import Client, Practice

__all__ = [
    "PracticeOpt",
    "action_errors",
    "bad_input_is_one_line",
    "get_client",
    "get_practice",
    "load_policy_file",
    "port_number",
    "process_count",
    "read_text",
    "seconds",
    "whole_seconds",
]

_Result = TypeVar("_Result")

#: The longest wait between polls or checks: anything longer is a typing mistake.
MAX_INTERVAL_SECONDS = 24 * 60 * 60
MAX_PROCESSES = 64

PracticeOpt = Annotated[
    str | None, typer.Option("--practice", help="practice slug (needed when there are several)")
]


# Option callbacks: Typer reports their BadParameter as "Invalid value for '--port': ...",
# one line and exit 2 (boundaries.cli.output.OneLineUsageErrors), before the command runs.


def port_number(value: int) -> int:
    if not 1 <= value <= 65535:
        raise typer.BadParameter(f"{value} is not a port number (1 to 65535)")
    return value


def seconds(value: float) -> float:
    if not (math.isfinite(value) and 0 < value <= MAX_INTERVAL_SECONDS):
        raise typer.BadParameter(
            f"{value} is not a number of seconds above 0 and at most {MAX_INTERVAL_SECONDS}"
        )
    return value


def whole_seconds(value: int) -> int:
    if not 1 <= value <= MAX_INTERVAL_SECONDS:
        raise typer.BadParameter(
            f"{value} is not a number of seconds from 1 to {MAX_INTERVAL_SECONDS}"
        )
    return value


def process_count(value: int) -> int:
    if not 1 <= value <= MAX_PROCESSES:
        raise typer.BadParameter(f"{value} is not a number of processes from 1 to {MAX_PROCESSES}")
    return value


@contextmanager
def bad_input_is_one_line() -> Iterator[None]:
    """Turn the domain's precise errors into one line and exit code 2."""
    try:
        yield
    except PolicyError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{error.filename or 'file'}: {error.strerror or error}")
    except UnicodeDecodeError:
        fail("the file is not UTF-8 text")


def action_errors(function: Callable[[], _Result]) -> _Result:
    """Run an action; its refusals become one line and exit code 2."""
    try:
        return function()
    except (ActionError, PolicyError) as error:
        fail(str(error))
    except ValidationError as error:
        fail("; ".join(error.messages))


def read_text(path: Path) -> str:
    with bad_input_is_one_line():
        return path.read_text(encoding="utf-8")


def load_policy_file(path: Path) -> Policy:
    text = read_text(path)
    with bad_input_is_one_line():
        return load_policy(text, filename=str(path))


def get_practice(slug: str | None) -> Practice:
    active = Practice.objects.filter(status=Practice.Status.ACTIVE)
    if slug:
        practice = active.filter(slug=slug).first()
        if practice is None:
            fail(f"no practice called {slug!r} (see `boundaries practice list`)")
        return practice
    practices = list(active[:2])
    if not practices:
        fail("there is no practice yet: run `boundaries demo` or `boundaries practice create`")
    if len(practices) > 1:
        fail("this installation has several practices: say which with --practice SLUG")
    return practices[0]


def get_client(practice: Practice, client_id: int) -> Client:
    # CLI users are operators/therapists with shell access to this practice's data;
    # the lookup is still scoped by practice so one practice's ids never reach another's.
    client = Client.objects.filter(practice=practice, pk=client_id).first()
    if client is None:
        fail(f"no client {client_id} in practice {practice.slug}")
    return client


def owner_password(*, from_stdin: bool) -> tuple[str, bool]:
    """The owner's first password: from standard input, or generated and shown once.

    Never an option: a password on the command line stays in the shell's history
    and in the process list.
    """
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            fail("--password-stdin: give the owner's password on standard input")
        return password, False
    return secrets.token_urlsafe(18), True
