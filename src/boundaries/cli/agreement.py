"""``boundaries agreement``: clients' communication agreements, every version kept."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from boundaries.cli.inputs import PracticeOpt, action_errors, get_client, get_practice
from boundaries.cli.output import fail, out
from boundaries.core.reminders import parse_offset, show_offset
from boundaries.practices.actions.agreements import KEEP, do_set_agreement

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
        reminders = "none"
        if agreement.reminder_channel:
            times = ",".join(show_offset(m) for m in agreement.reminder_offsets)
            reminders = f"{agreement.reminder_channel} {times} {agreement.reminder_detail}"
            if agreement.reminder_quiet_start is not None:
                start, end = agreement.reminder_quiet_start, agreement.reminder_quiet_end
                reminders += f" quiet {start:%H:%M}-{end:%H:%M}"
        table.add_row(
            str(agreement.version),
            ", ".join(agreement.channels),
            reminders,
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
        bool, typer.Option(help="same as --reminder-detail full (kept for old scripts)")
    ] = False,
    reminders_by: Annotated[
        str | None,
        typer.Option(help="sms, email or portal (an agreed channel), or none; default: as now"),
    ] = None,
    reminder_detail: Annotated[
        str | None,
        typer.Option(help="full, discreet or minimal (date and time only); default: as now"),
    ] = None,
    reminder_times: Annotated[
        str | None, typer.Option(help="before each appointment, e.g. 48h,2h; default: as now")
    ] = None,
    quiet_hours: Annotated[
        str | None,
        typer.Option(help="e.g. 21:00-08:00, or 'practice' for the practice's; default: as now"),
    ] = None,
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
    detail = "full" if standard_reminders and reminder_detail is None else reminder_detail
    offsets = _offsets(reminder_times) if reminder_times is not None else None
    quiet = _quiet_hours(quiet_hours) if quiet_hours is not None else KEEP
    client = get_client(get_practice(practice), client_id)
    agreement = action_errors(
        lambda: do_set_agreement(
            client,
            channels=channels.split(","),
            reminder_detail=detail,
            reminder_channel=reminders_by,
            reminder_offsets=offsets,
            reminder_quiet_hours=quiet,
            session_content_by_email=session_content_by_email,
            session_content_agreed_on=agreed_date,
            session_content_terms=terms,
            note=note,
            actor_label="cli",
        )
    )
    out.print(f"Recorded agreement version {agreement.version} for client {client.pk}.")


def _offsets(text: str) -> list[int]:
    try:
        return [parse_offset(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        fail(f"--reminder-times: {error}")


def _quiet_hours(text: str) -> tuple[dt.time, dt.time] | None:
    if text.strip().lower() in {"", "practice"}:
        return None
    start, _, end = text.partition("-")
    try:
        return dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())
    except ValueError:
        fail(f"--quiet-hours must look like 21:00-08:00, not {text!r}")
