"""``boundaries backup`` and ``boundaries restore``: one encrypted snapshot file, checked restores.

Exit codes: 0 done; 1 the operator declined; 2 the backup could not be taken,
or the snapshot was refused (one line saying why; nothing was changed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.filesize import decimal
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from boundaries.backups.snapshot import BackupError, RestoreRefusedError, checked, create_backup
from boundaries.cli.output import EXIT_BAD_INPUT
from boundaries.cli.output import err as _err
from boundaries.cli.output import fail as _fail
from boundaries.cli.output import out as _out
from boundaries.vault.keys import KeyringError

__all__ = ["EXIT_BAD_INPUT", "EXIT_DECLINED", "app", "backup", "restore"]

EXIT_DECLINED = 1

app = typer.Typer(help="Encrypted backups: take one, restore one.", no_args_is_help=True)


class _Bar:
    """A Rich progress bar in bytes, one stage at a time (the snapshot's ``Reporter``)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def stage(self, description: str, total: int | None) -> None:
        if self.task is None:
            self.task = self.progress.add_task(description, total=total)
        else:
            self.progress.reset(self.task, total=total, description=description)

    def advance(self, amount: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, amount)


@contextmanager
def _bar() -> Iterator[tuple[Progress, _Bar]]:
    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
    )
    with progress:
        yield progress, _Bar(progress)


@app.command("backup")
def backup(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="folder to write the snapshot to (default: BOUNDARIES_BACKUP_DIR)",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Write one encrypted snapshot of the database and the vault files."""
    # Imported on use: the snapshot code loads psycopg, a tenth of every command's start-up.

    try:
        with _bar() as (_, reporter):
            result = create_backup(output, reporter=reporter)
    except (BackupError, KeyringError) as error:
        _fail(str(error))
    except OSError as error:  # the folder cannot be made or written
        _fail(f"{error.filename or output}: {error.strerror or error}")
    vault = "" if result.vault_included else "; vault files not included (remote storage)"
    _out.print(f"[green]✓[/] Backup written: {escape(str(result.path))}")
    files = f"{result.files} file{'' if result.files == 1 else 's'}"
    _out.print(f"  size {decimal(result.size)}, {files} ({result.engine}{vault})")
    _out.print(f"  audit chain head: seq {result.head.seq}, {result.head.entry_hash}")
    _out.print("  Copy it off this machine; keep the master key apart from it.")


@app.command("restore")
def restore(
    file: Annotated[Path, typer.Argument(help="a snapshot written by `boundaries backup`")],
    yes: Annotated[bool, typer.Option("--yes", help="replace without asking")] = False,
) -> None:
    """Check a snapshot completely, then replace the database and vault files with it.

    Stop the web process, the worker and the scheduler first.
    """
    # Imported on use: the snapshot code loads psycopg, a tenth of every command's start-up.

    try:
        with _bar() as (progress, reporter), checked(file, reporter=reporter) as snapshot:
            progress.stop()
            manifest = snapshot.manifest
            _out.print(
                f"[green]✓[/] {escape(file.name)} verifies: made {manifest.created_at}, "
                f"{len(manifest.files)} files, audit log of {snapshot.entries_verified:,} "
                f"entries up to seq {manifest.audit_head.seq} "
                f"({manifest.audit_head.entry_hash[:16]}…)"
            )
            _out.print("  Stop the web process, the worker and the scheduler before replacing.")
            if not yes and not typer.confirm(
                "Replace this installation's database and vault files with this snapshot?"
            ):
                _out.print("Nothing was changed.")
                raise typer.Exit(EXIT_DECLINED)
            snapshot.apply()
    except RestoreRefusedError as error:
        _fail(f"refusing to restore {file.name}: {error}; nothing was changed")
    except KeyringError as error:
        _fail(str(error))
    _out.print(
        f"[green]✓[/] Restored the database and vault files as of {manifest.created_at}; "
        f"audit chain head seq {manifest.audit_head.seq}."
    )
    if snapshot.to_migrate:
        _out.print(
            f"  This version has {len(snapshot.to_migrate)} migrations newer than the "
            f"snapshot: run `boundaries migrate` before starting the service."
        )
