"""``boundaries audit check-export``: check an audit export with no database and no Django.

A third party who holds only the file and the practice's public key runs this;
so this module imports nothing that needs Django. Its ``app`` is the check on
its own; ``boundaries audit`` mounts the same command beside the others.

Exit codes: 0 the export verifies; 1 it does not (the problems are listed);
2 bad input, as one line on stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rich.markup import escape

from boundaries.audit.chain import check_export as check
from boundaries.audit.chain import load_public_key
from boundaries.cli.output import EXIT_BAD_INPUT
from boundaries.cli.output import fail as _fail
from boundaries.cli.output import out as _out

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "PublicKeyOption",
    "app",
    "check_export",
    "read_public_keys",
]

EXIT_FAILED = 1

PublicKeyOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--public-key",
        help="trust this public key (PEM, from `boundaries audit public-key`); repeatable",
    ),
]

app = typer.Typer(help="Check an audit export without a database.", no_args_is_help=True)


@app.callback()
def audit_check() -> None:
    """Check an audit export without a database."""


def read_public_keys(paths: list[Path]) -> list[Ed25519PublicKey]:
    keys = []
    for path in paths:
        try:
            keys.append(load_public_key(path.read_bytes()))
        except OSError as error:
            _fail(f"{path}: {error.strerror or 'cannot be read'}")
        except ValueError:
            _fail(f"{path}: not an Ed25519 public key in PEM form")
    return keys


@app.command("check-export")
def check_export(
    path: Annotated[Path, typer.Argument(help="a file from `boundaries audit export`")],
    public_key: PublicKeyOption = None,
) -> None:
    """Check an export on its own (no database): chain, anchor, checkpoint signatures."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        _fail(f"{path}: {error.strerror or 'cannot be read'}")
    except (UnicodeDecodeError, ValueError):
        _fail(f"{path}: not a JSON file")
    if not isinstance(data, dict):
        _fail(f"{path}: not an audit export")
    trusted = read_public_keys(public_key) if public_key else None
    report = check(data, trusted_keys=trusted)
    for line in report.problems:
        _out.print(f"[red]✗[/] {escape(line)}")
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)
    signed = (
        f"signed up to seq {report.signed_up_to}"
        if report.signed_up_to is not None
        else "no checkpoint inside the range"
    )
    _out.print(
        f"[green]✓[/] seq {report.first_seq}–{report.last_seq}: "
        f"{report.entries:,} entries chain from the anchor; {signed}"
    )
    if trusted is None:
        fingerprints = ", ".join(item.get("fingerprint", "?") for item in data["public_keys"])
        _out.print(
            "[yellow]note:[/] checked with the key the file carries "
            f"({fingerprints}); compare it with the fingerprint the practice published, "
            "or pass --public-key"
        )
