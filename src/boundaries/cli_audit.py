"""``boundaries audit``: verify the tamper-evident audit log, export slices, check exports.

Exit codes: 0 verified; 1 the log or the export does not verify (the first bad
entry is named); 2 bad input, as one line on stderr. ``check-export`` needs no
database and no Django: a third party can run it on a file with the public key.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from boundaries.cli_output import EXIT_BAD_INPUT
from boundaries.cli_output import err as _err
from boundaries.cli_output import fail as _fail
from boundaries.cli_output import out as _out

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILED", "app"]

EXIT_FAILED = 1

app = typer.Typer(
    help="The tamper-evident audit log: verify, export, check an export.",
    no_args_is_help=True,
)

PublicKeyOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--public-key",
        help="trust this public key (PEM, from `boundaries audit public-key`); repeatable",
    ),
]


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boundaries.settings")
    import django

    django.setup()


def _read_public_keys(paths: list[Path]) -> list[Ed25519PublicKey]:
    from boundaries.audit.chain import load_public_key

    keys = []
    for path in paths:
        try:
            keys.append(load_public_key(path.read_bytes()))
        except OSError as error:
            _fail(f"{path}: {error.strerror or 'cannot be read'}")
        except ValueError:
            _fail(f"{path}: not an Ed25519 public key in PEM form")
    return keys


def _site_public_keys(paths: list[Path] | None) -> list[Ed25519PublicKey]:
    """Keys given on the command line, else the public half of the site's signing key."""
    if paths:
        return _read_public_keys(paths)
    from boundaries.audit.signing import SigningKeyError, signing_key

    try:
        return [signing_key().public_key()]
    except SigningKeyError as error:
        _fail(f"{error}; or pass --public-key FILE")


@app.command()
def verify(public_key: PublicKeyOption = None) -> None:
    """Check every entry's hash and link, every checkpoint's signature, and that they agree."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    _django_setup()
    from boundaries.audit.store import verify as verify_log

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
    _django_setup()
    from boundaries.audit.models import ChainHead
    from boundaries.audit.store import export as export_log

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


@app.command("check-export")
def check_export(
    path: Annotated[Path, typer.Argument(help="a file from `boundaries audit export`")],
    public_key: PublicKeyOption = None,
) -> None:
    """Check an export on its own (no database): chain, anchor, checkpoint signatures."""
    from boundaries.audit.chain import check_export as check

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        _fail(f"{path}: {error.strerror or 'cannot be read'}")
    except (UnicodeDecodeError, ValueError):
        _fail(f"{path}: not a JSON file")
    if not isinstance(data, dict):
        _fail(f"{path}: not an audit export")
    trusted = _read_public_keys(public_key) if public_key else None
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


@app.command("public-key")
def public_key() -> None:
    """Print the public half of the signing key (PEM) and its fingerprint."""
    _django_setup()
    from boundaries.audit.chain import fingerprint, public_key_pem

    key = _site_public_keys(None)[0]
    sys.stdout.write(public_key_pem(key))
    _err.print(f"fingerprint (SHA-256): {fingerprint(key)}")


@app.command()
def checkpoint() -> None:
    """Sign the chain's head now (the scheduler does this every hour)."""
    _django_setup()
    from boundaries import clock
    from boundaries.audit.signing import SigningKeyError
    from boundaries.audit.store import AuditChainError, write_checkpoint

    try:
        made: Any = write_checkpoint(clock.now())
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
    from boundaries.audit.signing import generate_key_file

    try:
        generate_key_file(path)
    except FileExistsError:
        _fail(f"{path} already exists; a signing key is never overwritten")
    except OSError as error:
        _fail(f"{path}: {error.strerror or 'cannot be written'}")
    _out.print(f"wrote {path}")
