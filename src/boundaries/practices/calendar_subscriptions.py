"""A therapist's own calendar, subscribed to by its iCalendar address and refreshed by the worker.

Boundaries keeps no diary of its own: the therapist goes on booking in the
calendar they already use (Google, Apple, Outlook, a practice system), gives
Boundaries its private iCalendar address, and the worker reads it every
``REFRESH_EVERY`` (``records.scheduling``). Each refresh applies the events by
UID (``calendar.apply_events``): new sessions are added, moved or cancelled
ones change, and a session that disappears from the calendar before it starts
is marked cancelled. The address is stored sealed.
"""

from __future__ import annotations

import datetime as dt
import logging
import urllib.parse
from typing import Any

from django.conf import settings
from django.db import transaction
from django_tasks import task

from boundaries import clock
from boundaries.audit.log import record
from boundaries.errors import ActionError
from boundaries.practices.calendar import (
    ImportReport,
    apply_events,
    cancel_missing,
    parse_events,
)
from boundaries.practices.calendar_fetch import CalendarFetchError, checked_address, fetch_calendar
from boundaries.practices.models import (
    Appointment,
    CalendarSubscription,
    Client,
    Therapist,
    UnmatchedEvent,
)
from boundaries.sealed import seal_json, unseal_json

__all__ = [
    "REFRESH_EVERY",
    "do_ignore_event",
    "do_match_event",
    "do_remove_subscription",
    "do_subscribe_calendar",
    "refresh_calendars_job",
    "refresh_subscription",
    "subscription_url",
]

logger = logging.getLogger(__name__)

REFRESH_EVERY = dt.timedelta(minutes=15)
MAX_SUBSCRIPTIONS = 5


def url_object_id(subscription: CalendarSubscription) -> str:
    return f"calendar-subscription:{subscription.practice_id}:{subscription.pk}"


def subscription_url(subscription: CalendarSubscription) -> str:
    return str(unseal_json(bytes(subscription.sealed_url), object_id=url_object_id(subscription)))


def do_subscribe_calendar(
    therapist: Therapist, url: str, *, actor: Any = None
) -> CalendarSubscription:
    """Keep the address (sealed) after checking it; the first refresh runs at once."""
    try:
        address = checked_address(url, allow_loopback=settings.CALENDAR_ALLOW_LOOPBACK)
    except CalendarFetchError as error:
        raise ActionError(str(error)) from None
    if therapist.calendar_subscriptions.count() >= MAX_SUBSCRIPTIONS:
        raise ActionError(f"at most {MAX_SUBSCRIPTIONS} calendars can be subscribed to")
    host = urllib.parse.urlsplit(address).hostname or ""
    with transaction.atomic():
        subscription = CalendarSubscription.objects.create(
            practice=therapist.practice, therapist=therapist, sealed_url=b"", host=host[:253]
        )
        subscription.sealed_url = seal_json(address, object_id=url_object_id(subscription))
        subscription.save(update_fields=["sealed_url"])
        record(
            action="calendar.subscribed",
            obj=subscription,
            practice=therapist.practice,
            actor=actor,
            details={"host": subscription.host},
        )
    return subscription


def do_remove_subscription(subscription: CalendarSubscription, *, actor: Any = None) -> None:
    """Forget the address; appointments already imported stay (they are the practice's)."""
    with transaction.atomic():
        record(
            action="calendar.unsubscribed",
            obj=subscription,
            practice=subscription.practice,
            actor=actor,
            details={"host": subscription.host},
        )
        subscription.delete()


def refresh_subscription(subscription: CalendarSubscription) -> ImportReport:
    """Read the calendar once and apply it; a failure is kept on the row for the therapist."""
    report = ImportReport()
    now = clock.now()
    try:
        data = fetch_calendar(
            subscription_url(subscription),
            allow_loopback=settings.CALENDAR_ALLOW_LOOPBACK,
            max_bytes=settings.CALENDAR_MAX_BYTES,
        )
    except CalendarFetchError as error:
        report.problems.append(str(error))
        logger.warning("calendar subscription %s: %s", subscription.pk, error)
        CalendarSubscription.objects.filter(pk=subscription.pk).update(
            last_checked_at=now, last_problem=str(error)[:300]
        )
        return report
    events = parse_events(data, report)
    if not events and report.problems and report.problems[0].startswith("not an iCalendar"):
        CalendarSubscription.objects.filter(pk=subscription.pk).update(
            last_checked_at=now, last_problem="the address did not return an iCalendar file"
        )
        return report
    apply_events(
        subscription.practice,
        events,
        report,
        therapist=subscription.therapist,
        subscription=subscription,
        source="subscription",
        actor_label="calendar",
    )
    report.changed += cancel_missing(subscription, report.seen)
    CalendarSubscription.objects.filter(pk=subscription.pk).update(
        last_checked_at=now, last_ok_at=now, last_problem="", events_seen=len(report.seen)
    )
    if report.added or report.changed:
        with transaction.atomic():
            record(
                action="calendar.refreshed",
                obj=subscription,
                practice=subscription.practice,
                actor_label="calendar",
                details={"added": report.added, "changed": report.changed},
            )
    return report


@task()
def refresh_calendars_job() -> dict[str, int]:
    """Every subscription of every active practice; one calendar's failure stops no other."""
    refreshed = failed = 0
    subscriptions = CalendarSubscription.objects.select_related("practice", "therapist").filter(
        practice__status="active"
    )
    for subscription in subscriptions.order_by("pk"):
        report = refresh_subscription(subscription)
        failed += int(bool(report.problems) and not report.seen)
        refreshed += 1
    return {"refreshed": refreshed, "failed": failed}


def do_match_event(event: UnmatchedEvent, client: Client, *, actor: Any = None) -> Appointment:
    """The therapist says whose session this is: it becomes an appointment, kept by its UID,
    so later refreshes move or cancel it like any other."""
    with transaction.atomic():
        appointment = Appointment.objects.create(
            practice_id=event.practice_id,
            client=client,
            therapist=event.therapist or client.therapist,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            cancelled=event.cancelled,
            uid=event.uid,
            source="subscription" if event.subscription_id else "ics",
            subscription_id=event.subscription_id,
        )
        record(
            action="appointment.matched_by_hand",
            obj=appointment,
            practice=client.practice,
            actor=actor,
            details={"client": client.pk},
        )
        event.delete()
    return appointment


def do_ignore_event(event: UnmatchedEvent, *, actor: Any = None) -> None:
    """Not a session (a dentist's appointment, a holiday): leave it out of the list."""
    with transaction.atomic():
        event.ignored_at = clock.now()
        event.save(update_fields=["ignored_at"])
        record(action="calendar.event_ignored", obj=event, practice=event.practice, actor=actor)
