"""The consoles and the error exits every ``boundaries`` command shares.

Output never wraps at the terminal's width: a path, a fingerprint or a hash
stays on one line however deep the checkout is, so the text can be copied and
matched by scripts. Highlighting is off so nothing is coloured that we did not
mean to colour.

Bad input is one line on stderr and exit code 2 (``fail``). This module needs
no Django: the Django-free commands use it too.
"""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

__all__ = ["EXIT_BAD_INPUT", "err", "error_line", "fail", "one_line", "out"]

EXIT_BAD_INPUT = 2

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
