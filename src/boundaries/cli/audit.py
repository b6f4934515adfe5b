"""``boundaries audit``: verify the tamper-evident audit log, export slices, check exports.

Exit codes: 0 verified; 1 the log or the export does not verify (the first bad
entry is named); 2 bad input, as one line on stderr. ``check-export`` lives in
``boundaries.cli.audit_check``: it needs no database and no Django, so a third
party can run it on a file with the public key.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from boundaries import clock
from boundaries.audit.chain import fingerprint, public_key_pem
from boundaries.audit.models import ChainHead
from boundaries.audit.signing import SigningKeyError, generate_key_file, signing_key
from boundaries.audit.store import AuditChainError, write_checkpoint
from boundaries.audit.store import export as export_log
from boundaries.audit.store import verify as verify_log
from boundaries.cli.audit_check import EXIT_FAILED, PublicKeyOption, check_export, read_public_keys
from boundaries.cli.output import EXIT_BAD_INPUT
from boundaries.cli.output import err as _err
from boundaries.cli.output import fail as _fail
from boundaries.cli.output import out as _out

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILED", "app"]

app = typer.Typer(
    help="The tamper-evident audit log: verify, export, check an export.",
    no_args_is_help=True,
)


def _site_public_keys(paths: list[Path] | None) -> list[Ed25519PublicKey]:
    """Keys given on the command line, else the public half of the site's signing key."""
    if paths:
        return read_public_keys(paths)
    try:
        return [signing_key().public_key()]
    except SigningKeyError as error:
        _fail(f"{error}; or pass --public-key FILE")


@app.command()
def verify(public_key: PublicKeyOption = None) -> None:
    """Check every entry's hash and link, every checkpoint's signature, and that they agree."""
    keys = _site_public_keys(public_key)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
    ) as progress:
        task = progress.add_task("verifying", total=None)
        report = verify_log(
            keys,
            progress=lambda count: progress.advance(task, count),
            on_total=lambda total: progress.update(task, total=total),
        )
    for line in report.checkpoint_problems:
        _out.print(f"[red]✗[/] {escape(line)}")
    if report.problem is not None:
        _out.print(f"[red]✗ first bad entry: {escape(str(report.problem))}[/]")
    if not report.ok:
        _out.print(
            f"[bold red]The audit log does not verify[/] ({report.entries:,} entries checked)"
        )
        raise typer.Exit(EXIT_FAILED)
    _out.print(
        f"[green]✓[/] {report.entries:,} entries (seq 1–{report.last_seq}) and "
        f"{report.checkpoints:,} signed checkpoints verify"
    )


@app.command()
def export(
    out: Annotated[Path, typer.Argument(help="the JSON file to write")],
    first: Annotated[int, typer.Option("--from", help="first seq")] = 1,
    last: Annotated[int | None, typer.Option("--to", help="last seq (default: the newest)")] = None,
    public_key: PublicKeyOption = None,
) -> None:
    """Write entries FROM..TO with their anchor, checkpoints and public key, for a third party."""
    keys = _site_public_keys(public_key)
    if last is None:
        last = ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    try:
        data = export_log(first, last, keys)
    except ValueError as error:
        _fail(str(error))
    try:
        out.write_text(json.dumps(data, indent=1, ensure_ascii=True) + "\n", encoding="utf-8")
    except OSError as error:
        _fail(f"{out}: {error.strerror or 'cannot be written'}")
    signed = max((cp["seq"] for cp in data["checkpoints"]), default=None)
    _out.print(f"wrote seq {first}–{last} ({len(data['entries']):,} entries) to {out}")
    if signed is None or signed < last:
        after = first if signed is None else signed + 1
        _out.print(
            f"[yellow]note:[/] seq {after}–{last} are chained but no checkpoint covers them yet"
        )


app.command("check-export")(check_export)


@app.command("public-key")
def public_key() -> None:
    """Print the public half of the signing key (PEM) and its fingerprint."""
    key = _site_public_keys(None)[0]
    sys.stdout.write(public_key_pem(key))
    _err.print(f"fingerprint (SHA-256): {fingerprint(key)}")


@app.command()
def checkpoint() -> None:
    """Sign the chain's head now (the scheduler does this every hour)."""
    try:
        made = write_checkpoint(clock.now())
    except SigningKeyError as error:
        _fail(str(error))
    except AuditChainError as error:
        _out.print(f"[bold red]not signed: the chain does not verify:[/] {escape(str(error))}")
        raise typer.Exit(EXIT_FAILED) from None
    if made is None:
        _out.print("nothing new to sign")
    else:
        _out.print(f"signed checkpoint at seq {made.seq}")


@app.command("generate-key")
def generate_key(
    path: Annotated[Path, typer.Argument(help="where to write the new private key (mode 0600)")],
) -> None:
    """Create a signing key file; point BOUNDARIES_AUDIT_SIGNING_KEY_FILE at it."""
    try:
        generate_key_file(path)
    except FileExistsError:
        if path.exists():
            _fail(f"{path} already exists; a signing key is never overwritten")
        _fail(f"{path.parent}: not a folder")  # a file stands where the folder would be made
    except OSError as error:
        _fail(f"{path}: {error.strerror or 'cannot be written'}")
    _out.print(f"wrote {path}")
