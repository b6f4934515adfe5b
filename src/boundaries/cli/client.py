"""``boundaries client``: the client register, its import, and clients' data rights."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from boundaries.cli.inputs import (
    PracticeOpt,
    action_errors,
    bad_input_is_one_line,
    get_client,
    get_practice,
    read_text,
)
from boundaries.cli.output import err, fail, out
from boundaries.data_rights.erasure import do_erase_client
from boundaries.data_rights.export import do_export_client
from boundaries.errors import ActionError
from boundaries.practices.actions.client_import import (
    IMPORT_COLUMNS,
    do_import_clients,
    parse_handles,
    read_client_rows,
)
from boundaries.practices.actions.clients import do_add_client
from boundaries.practices.models import Client

__all__ = ["IMPORT_COLUMNS", "app"]

app = typer.Typer(help="The client register.", no_args_is_help=True)


@app.command("add")
def client_add(
    first_name: Annotated[str, typer.Option("--first")],
    last_name: Annotated[str, typer.Option("--last")],
    email: Annotated[list[str] | None, typer.Option(help="repeatable")] = None,
    phone: Annotated[list[str] | None, typer.Option(help="repeatable; national or E.164")] = None,
    handle: Annotated[list[str] | None, typer.Option(help="PLATFORM:HANDLE, repeatable")] = None,
    status: Annotated[str, typer.Option(help="present, past or prospective")] = "present",
    country: Annotated[str, typer.Option(help="for crisis resources")] = "",
    practice: PracticeOpt = None,
) -> None:
    """Add a client to the register."""
    try:
        handles = parse_handles(handle or [])
    except ValueError as error:
        fail(str(error))
    target = get_practice(practice)
    client = action_errors(
        lambda: do_add_client(
            target,
            first_name=first_name,
            last_name=last_name,
            emails=email or [],
            phones=phone or [],
            handles=handles,
            status=status,
            country=country,
            actor_label="cli",
        )
    )
    out.print(f"Added client {client.pk}.")


@app.command("list")
def client_list(
    practice: PracticeOpt = None,
    status: Annotated[str | None, typer.Option(help="present, past or prospective")] = None,
) -> None:
    """List clients with their current agreement."""
    if status is not None and status not in Client.Status.values:
        fail(f"--status must be one of {', '.join(Client.Status.values)}, not {status!r}")
    target = get_practice(practice)
    clients = Client.objects.filter(practice=target).prefetch_related("agreements")
    if status:
        clients = clients.filter(status=status)
    table = Table(
        "id", "name", "status", "country", "agreed channels", "reminders", "email content"
    )
    for client in clients:
        agreement = client.current_agreement()
        table.add_row(
            str(client.pk),
            str(client),
            client.status,
            client.country,
            ", ".join(agreement.channels) if agreement else "—",
            agreement.reminder_detail if agreement else "—",
            ("agreed" if agreement.session_content_by_email else "no") if agreement else "—",
        )
    out.print(table)


@app.command("export")
def client_export(
    client_id: int,
    output: Annotated[Path, typer.Argument(help="the zip file to write")],
    practice: PracticeOpt = None,
    force: Annotated[bool, typer.Option(help="overwrite an existing file")] = False,
) -> None:
    """A client's own data, readable, for their right of access (audited)."""
    if output.exists() and not force:
        fail(f"{output} exists; pass --force to overwrite it")
    client = get_client(get_practice(practice), client_id)
    handle, result = do_export_client(client, actor_label="cli", via="cli")
    with handle, bad_input_is_one_line():
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as target:
            shutil.copyfileobj(handle, target)
    out.print(f"Wrote {output}: {result.files} files; manifest sha256 {result.manifest_sha256}.")
    if result.unreadable:
        err.print(f"{len(result.unreadable)} items could not be read: see the manifest.")
        raise typer.Exit(1)


@app.command("erase")
def client_erase(
    client_id: int,
    reason: Annotated[str, typer.Option(help="why (recorded in the audit log; no content)")],
    confirm: Annotated[int, typer.Option(help="the client's id again, to confirm")],
    practice: PracticeOpt = None,
) -> None:
    """Erase a client's content and contact details; welfare checks and the audit log stay."""
    if confirm != client_id:
        fail("--confirm must repeat the client's id")
    client = get_client(get_practice(practice), client_id)
    removal = action_errors(lambda: do_erase_client(client, actor_label="cli", reason=reason))
    kept = client.welfare_checks.count()
    out.print(
        f"Erased client {client_id}: {sum(removal.rows.values()):,} records and "
        f"{removal.files_removed} files removed; kept {kept} welfare checks and the audit log."
    )


@app.command("import")
def client_import(file: Path, practice: PracticeOpt = None) -> None:
    """Import clients from CSV; each row is reported, and a bad row never stops the good ones.

    Columns: first_name, last_name, email, phone, status, country, handles
    (handles as ``platform:handle`` separated by spaces or semicolons).
    """
    text = read_text(file)
    try:
        rows = read_client_rows(text)
    except ActionError as error:
        fail(f"{file}: {error}")
    target = get_practice(practice)
    report = Table("line", "result")
    imported = do_import_clients(target, rows, actor_label="cli import")
    for row in imported:
        if row.added:
            report.add_row(str(row.line), f"added as client {row.client_id}")
        else:
            report.add_row(str(row.line), f"[red]skipped: {escape(row.problem)}[/]")
    out.print(report)
    failed = sum(1 for row in imported if not row.added)
    out.print(f"{len(imported) - failed} added, {failed} skipped.")
    if failed:
        raise typer.Exit(1)
