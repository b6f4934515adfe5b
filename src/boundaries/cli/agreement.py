"""``boundaries agreement``: clients' communication agreements, every version kept."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from boundaries.cli.inputs import PracticeOpt, action_errors, get_client, get_practice
from boundaries.cli.output import fail, out
from boundaries.practices.actions.agreements import do_set_agreement

__all__ = ["app"]

app = typer.Typer(help="Clients' communication agreements.", no_args_is_help=True)


@app.command("show")
def agreement_show(client_id: int, practice: PracticeOpt = None) -> None:
    """Show a client's agreement, every version."""
    client = get_client(get_practice(practice), client_id)
    table = Table("version", "channels", "reminders", "session content by email", "recorded")
    for agreement in client.agreements.order_by("version"):
        email_terms = "no"
        if agreement.session_content_by_email:
            email_terms = (
                f"agreed {agreement.session_content_agreed_on}: {agreement.session_content_terms}"
            )
        table.add_row(
            str(agreement.version),
            ", ".join(agreement.channels),
            agreement.reminder_detail,
            email_terms,
            f"{agreement.recorded_at:%Y-%m-%d %H:%M} by {agreement.recorded_by_label}",
        )
    out.print(f"Client {client.pk} ({client.get_status_display()})")
    out.print(table)


@app.command("set")
def agreement_set(
    client_id: int,
    channels: Annotated[str, typer.Option(help="comma-separated: email,sms,phone,portal")],
    standard_reminders: Annotated[
        bool, typer.Option(help="reminders may say what the appointment is for")
    ] = False,
    session_content_by_email: Annotated[bool, typer.Option()] = False,
    agreed_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    terms: Annotated[str, typer.Option(help="what was agreed")] = "",
    note: Annotated[str, typer.Option()] = "",
    practice: PracticeOpt = None,
) -> None:
    """Record a new version of a client's agreement (the old one is kept)."""
    agreed_date = None
    if agreed_on:
        try:
            agreed_date = dt.date.fromisoformat(agreed_on)
        except ValueError:
            fail(f"--agreed-on must be a date like 2026-11-01, not {agreed_on!r}")
    client = get_client(get_practice(practice), client_id)
    agreement = action_errors(
        lambda: do_set_agreement(
            client,
            channels=channels.split(","),
            reminder_detail="standard" if standard_reminders else "discreet",
            session_content_by_email=session_content_by_email,
            session_content_agreed_on=agreed_date,
            session_content_terms=terms,
            note=note,
            actor_label="cli",
        )
    )
    out.print(f"Recorded agreement version {agreement.version} for client {client.pk}.")
