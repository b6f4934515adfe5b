"""``boundaries alerts``: where a therapist's urgent alerts and daily digest go, and a test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated

import typer
from rich.markup import escape

from boundaries.channels.alert_check import AlertTry, do_send_test_alert
from boundaries.cli.inputs import action_errors
from boundaries.cli.output import err, fail, out
from boundaries.practices.actions.details import do_set_alert_contacts
from boundaries.practices.models import Practice, Therapist

__all__ = ["app", "get_therapist"]

app = typer.Typer(
    help="A therapist's urgent alerts: where they go, and a test.", no_args_is_help=True
)

UsernameArg = Annotated[str, typer.Argument(help="the therapist's username")]


def get_therapist(username: str) -> Therapist:
    therapist = (
        Therapist.objects.select_related("practice", "user")
        .filter(user__username=username, practice__status=Practice.Status.ACTIVE)
        .first()
    )
    if therapist is None:
        fail(f"no therapist with the username {username!r}")
    return therapist


@app.command("set")
def alerts_set(
    username: UsernameArg,
    email: Annotated[
        str | None, typer.Option(help="email for urgent alerts ('' = the sign-in email)")
    ] = None,
    phone: Annotated[
        str | None, typer.Option(help="mobile for urgent alerts by text, +E.164 ('' = none)")
    ] = None,
    digest_time: Annotated[
        str | None, typer.Option(help="time of the day's digest, HH:MM, in the practice's zone")
    ] = None,
) -> None:
    """Set where USERNAME's urgent alerts go; the options not given stay as they are."""
    if email is None and phone is None and digest_time is None:
        fail("say what to change: --email, --phone or --digest-time")
    when = None
    if digest_time is not None:
        try:
            when = dt.time.fromisoformat(digest_time.strip())
        except ValueError:
            fail(f"--digest-time must be a time like 08:30, not {digest_time!r}")
    therapist = get_therapist(username)
    action_errors(
        lambda: do_set_alert_contacts(
            therapist,
            alert_email=therapist.alert_email if email is None else email,
            alert_phone=therapist.alert_phone if phone is None else phone,
            digest_time=when,
            actor_label="cli",
        )
    )
    out.print(
        f"{escape(username)}: alerts by email to "
        f"{escape(therapist.alert_email or therapist.user.email or '(no address)')}"
        + (f", by text to {therapist.alert_phone}" if therapist.alert_phone else "")
        + f"; digest at {therapist.digest_time:%H:%M}."
    )


@app.command("test")
def alerts_test(username: UsernameArg) -> None:
    """Send USERNAME a test alert every way they are alerted (it says it is a test)."""
    therapist = get_therapist(username)
    print_tries(do_send_test_alert(therapist, actor_label="cli"), not_sent="Not sent")


def print_tries(tries: Iterable[AlertTry], *, not_sent: str) -> None:
    """Say how each way of a test alert went; exit 1 when one was not sent."""
    failed = False
    for attempt in tries:
        way = "text" if attempt.way == "sms" else "email"
        if attempt.sent:
            out.print(f"Sent a test alert by {way} to {escape(attempt.to)}.")
        else:
            failed = True
            err.print(f"{not_sent} by {way}: {escape(attempt.problem)}.")
    if failed:
        raise typer.Exit(1)
