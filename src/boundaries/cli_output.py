"""The consoles and the error exit every ``boundaries`` command shares.

Output never wraps at the terminal's width: a path, a fingerprint or a hash
stays on one line however deep the checkout is, so the text can be copied and
matched by scripts. Highlighting is off so nothing is coloured that we did not
mean to colour.
"""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

__all__ = ["EXIT_BAD_INPUT", "err", "fail", "out"]

EXIT_BAD_INPUT = 2

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str) -> NoReturn:
    """One line on stderr and exit code 2: the input was wrong, nothing changed."""
    err.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(EXIT_BAD_INPUT)
