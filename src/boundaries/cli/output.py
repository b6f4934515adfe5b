"""The consoles and the error exits every ``boundaries`` command shares.

Output never wraps at the terminal's width: a path, a fingerprint or a hash
stays on one line however deep the checkout is, so the text can be copied and
matched by scripts. Highlighting is off so nothing is coloured that we did not
mean to colour.

Bad input is one line on stderr and exit code 2, whether a command found it
(``fail``) or the command line itself was wrong (``OneLineUsageErrors``). This
module needs no Django: the Django-free commands use it too.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

# Typer vendors Click and does not re-export its usage errors; uv.lock pins the version.
from typer._click.exceptions import NoArgsIsHelpError
from typer.core import TyperGroup

__all__ = ["EXIT_BAD_INPUT", "OneLineUsageErrors", "err", "error_line", "fail", "one_line", "out"]

EXIT_BAD_INPUT = 2
EXIT_ABORTED = 1

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def one_line(message: str) -> str:
    """The message with its line breaks folded into spaces."""
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def error_line(message: str) -> None:
    """Print ``error: MESSAGE`` on stderr, on one line."""
    err.print(f"[bold red]error:[/] {escape(one_line(message))}")


def fail(message: str) -> NoReturn:
    """One line on stderr and exit code 2: the input was wrong, nothing changed."""
    error_line(message)
    raise typer.Exit(EXIT_BAD_INPUT)


class OneLineUsageErrors(TyperGroup):
    """The root command: a mistyped command line is one line on stderr and exit 2 as well.

    Typer would print the usage, a hint and a boxed message over several lines.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        run = super().main
        if not standalone_mode:
            return run(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            # Not standalone: Typer returns the exit code, and raises what it would print.
            code = run(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except NoArgsIsHelpError as error:
            sys.exit(error.exit_code)  # the help was printed as the error was made
        except typer.TyperException as error:  # Click's usage errors and its other errors
            context = getattr(error, "ctx", None)
            where = f"{context.command_path}: " if context is not None else ""
            hint = f" (see {context.command_path} --help)" if context is not None else ""
            error_line(f"{where}{error.format_message()}{hint}")
            sys.exit(error.exit_code)
        except typer.Abort:
            err.print("Aborted.")
            sys.exit(EXIT_ABORTED)
        # Our commands return None; an Exit's code comes back as an int.
        sys.exit(code if isinstance(code, int) else 0)
