"""``boundaries vault``: the encrypted vault's master key and its rotation."""

from __future__ import annotations

import sys

import typer
from rich.progress import Progress

from boundaries.cli.output import fail, out
from boundaries.vault.keys import KeyringError, generate_master_key, keyring_from_settings
from boundaries.vault.rotation import count_objects, rotate

__all__ = ["app"]

app = typer.Typer(help="The encrypted vault: keys and rotation.")


@app.command("generate-key")
def vault_generate_key() -> None:
    """Print a new random master key (store it outside the database)."""
    sys.stdout.write(generate_master_key() + "\n")


@app.command("rotate-key")
def vault_rotate_key() -> None:
    """Rewrap every data key under the current master key; old keys come from
    BOUNDARIES_MASTER_KEYS_OLD. Content is not re-encrypted."""
    try:
        keyring = keyring_from_settings()
    except KeyringError as error:
        fail(str(error))
    with Progress() as progress:
        bar = progress.add_task("rewrapping data keys", total=count_objects())
        report = rotate(keyring, step=lambda: progress.advance(bar))
    out.print(
        f"Rewrapped {report.rewrapped_rows} sealed records and {report.rewrapped_files} files; "
        f"{report.already_current} were already under the current key."
    )
