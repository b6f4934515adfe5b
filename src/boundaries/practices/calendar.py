"""Sessions as iCalendar: a secret feed per therapist, and appointments from the therapist's
own calendar (an imported .ics file or a subscribed address, ``calendar_subscriptions``).

Events are matched to clients by an attendee's email address the register holds; an event
already imported (by its UID) is updated in place, so importing the same calendar twice, or
refreshing a subscription, changes only what changed. Events that match no client wait in
``UnmatchedEvent`` for the therapist to match by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

import dateutil.rrule
import icalendar
from django.db import transaction
from django.utils import timezone

from boundaries import clock
from boundaries.audit.log import record
from boundaries.practices.models import (
    Appointment,
    CalendarFeed,
    CalendarSubscription,
    Client,
    ClientContact,
    Practice,
    Therapist,
    UnmatchedEvent,
)
from boundaries.sealed import seal_json, unseal_json

FEED_PAST = dt.timedelta(days=30)
FEED_FUTURE = dt.timedelta(days=180)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_create_feed(therapist: Therapist, *, titles: str = CalendarFeed.Titles.INITIALS) -> str:
    """Create a feed; returns the secret token (shown once, stored only as a hash)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed = CalendarFeed.objects.create(
            therapist=therapist, token_hash=_hash(token), titles=titles
        )
        record(
            action="calendar.feed_created",
            obj=feed,
            practice=therapist.practice,
            actor=therapist.user,
        )
    return token


def do_revoke_feed(feed: CalendarFeed) -> None:
    with transaction.atomic():
        CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )
        record(
            action="calendar.feed_revoked",
            obj=feed,
            practice=feed.therapist.practice,
            actor_label="therapist",
        )


def feed_for_token(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("therapist__practice")
        .filter(token_hash=_hash(token), revoked_at__isnull=True)
        .first()
    )


def render_feed(feed: CalendarFeed, now: dt.datetime) -> bytes:
    therapist = feed.therapist
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Boundaries//Sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Sessions")
    appointments = (
        Appointment.objects.filter(
            therapist=therapist,
            starts_at__gte=now - FEED_PAST,
            starts_at__lte=now + FEED_FUTURE,
        )
        .select_related("client")
        .order_by("starts_at")
    )
    for appointment in appointments:
        event = icalendar.Event()
        client = appointment.client
        if feed.titles == CalendarFeed.Titles.INITIALS:
            title = f"{client.first_name[:1]}.{client.last_name[:1]}.".upper()
        else:
            title = "Appointment"
        event.add("uid", f"{appointment.uid}@boundaries")
        event.add("summary", title)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("dtstamp", now)
        event.add("status", "CANCELLED" if appointment.cancelled else "CONFIRMED")
        event.add("class", "PRIVATE")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0  # events already imported, seen again (changed or not)
    changed: int = 0  # of those, moved, cancelled or restored
    unmatched: list[str] = field(default_factory=list)  # event UIDs only, never names
    problems: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # every UID read, matched or not


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One VEVENT, as much of it as matching needs."""

    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    cancelled: bool
    attendees: tuple[str, ...]
    summary: str


#: Occurrences of a repeating event are read from this far back to this far ahead.
REPEAT_PAST = dt.timedelta(days=30)
REPEAT_FUTURE = dt.timedelta(days=180)
MAX_OCCURRENCES = 400


def parse_events(data: bytes, report: ImportReport) -> list[CalendarEvent]:
    """The file's events; what cannot be used is named in ``report.problems`` by UID.

    A repeating event (``RRULE``) becomes one event per occurrence from
    ``REPEAT_PAST`` ago to ``REPEAT_FUTURE`` ahead, without its ``EXDATE``s and with
    each changed occurrence (``RECURRENCE-ID``) in place of the one it replaces; an
    occurrence's UID is the series' UID and its original start, so a moved occurrence
    keeps its appointment. All-day events are not sessions and are left out.
    """
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        report.problems.append(f"not an iCalendar file: {error}")
        return []
    singles: list[tuple[str, Any, dt.datetime]] = []
    changed: dict[tuple[str, dt.datetime], Any] = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("uid", "")).strip()[:200]
        start = event.get("dtstart")
        if not uid or start is None:
            report.problems.append(f"event without UID or start: {uid or '(no uid)'}")
            continue
        starts = start.dt
        if not isinstance(starts, dt.datetime):
            continue  # an all-day event: a holiday or a reminder, not a session
        if timezone.is_naive(starts):
            report.problems.append(f"event {uid}: needs a date-time with a timezone")
            continue
        replaces = event.get("recurrence-id")
        if replaces is not None and isinstance(replaces.dt, dt.datetime):
            changed[(uid, replaces.dt.astimezone(dt.UTC))] = event
            continue
        singles.append((uid, event, starts))
    events = []
    for uid, event, starts in singles:
        if event.get("rrule") is None:
            events.append(_event(uid, event, starts))
            continue
        for original in _occurrences(uid, event, starts, report):
            key = original.astimezone(dt.UTC)
            occurrence_uid = f"{uid}/{key:%Y%m%dT%H%M%SZ}"
            override = changed.get((uid, key))
            if override is not None:
                events.append(_event(occurrence_uid, override, override["dtstart"].dt))
            else:
                events.append(_event(occurrence_uid, event, original, series_start=starts))
    return events


def _occurrences(
    uid: str, event: Any, starts: dt.datetime, report: ImportReport
) -> list[dt.datetime]:
    now = clock.now()
    try:
        rule = dateutil.rrule.rrulestr(
            event["rrule"].to_ical().decode(), dtstart=starts, forceset=True
        )
    except (ValueError, TypeError) as error:
        report.problems.append(f"event {uid}: its repeat rule cannot be read ({error})")
        return [starts]
    excluded = set()
    exdates = event.get("exdate", [])
    for group in exdates if isinstance(exdates, list) else [exdates]:
        for value in group.dts:
            if isinstance(value.dt, dt.datetime):
                excluded.add(value.dt.astimezone(dt.UTC))
    found = []
    for occurrence in rule.between(now - REPEAT_PAST, now + REPEAT_FUTURE, inc=True):
        if occurrence.astimezone(dt.UTC) not in excluded:
            found.append(occurrence)
        if len(found) >= MAX_OCCURRENCES:
            break
    return found


def _event(
    uid: str, event: Any, starts: dt.datetime, *, series_start: dt.datetime | None = None
) -> CalendarEvent:
    end = event.get("dtend")
    ends = end.dt if end is not None else None
    if isinstance(ends, dt.datetime) and series_start is not None:
        ends = starts + (ends - series_start)  # each occurrence lasts as long as the first
    if not isinstance(ends, dt.datetime) or ends < starts:
        ends = starts + dt.timedelta(minutes=50)
    attendees = event.get("attendee", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    return CalendarEvent(
        uid=uid[:255],
        starts_at=starts,
        ends_at=ends,
        cancelled=str(event.get("status", "")).upper() == "CANCELLED",
        attendees=tuple(str(a).lower().removeprefix("mailto:") for a in attendees),
        summary=str(event.get("summary", ""))[:200],
    )


def import_ics(
    practice: Practice,
    data: bytes,
    *,
    therapist: Therapist | None = None,
    actor: Any = None,
    actor_label: str = "ics import",
) -> ImportReport:
    """Upsert appointments from a practice's .ics export, matching attendees by email.

    An event is matched to a client through an ATTENDEE (or ORGANIZER) email the
    register holds; events that match no client are reported by UID and kept for
    matching by hand.
    """
    report = ImportReport()
    events = parse_events(data, report)
    apply_events(
        practice,
        events,
        report,
        therapist=therapist,
        source="ics",
        actor=actor,
        actor_label=actor_label,
    )
    return report


def summary_object_id(practice_id: int, uid: str) -> str:
    # Bound to the practice and the event: a blob copied onto another row does not open.
    return f"calendar-event:{practice_id}:{hashlib.sha256(uid.encode()).hexdigest()[:32]}"


def event_summary(event: UnmatchedEvent) -> str:
    if not event.sealed_summary:
        return ""
    value = unseal_json(
        bytes(event.sealed_summary), object_id=summary_object_id(event.practice_id, event.uid)
    )
    return str(value)


def apply_events(
    practice: Practice,
    events: list[CalendarEvent],
    report: ImportReport,
    *,
    therapist: Therapist | None = None,
    subscription: CalendarSubscription | None = None,
    source: str,
    actor: Any = None,
    actor_label: str = "",
) -> None:
    """Add, move or cancel appointments by UID; keep the unmatched events for the therapist.

    Each change is its own transaction with its audit row; an event seen again
    unchanged writes nothing.
    """
    now = clock.now()
    emails = dict(
        ClientContact.objects.filter(practice=practice, kind=ClientContact.Kind.EMAIL).values_list(
            "value", "client_id"
        )
    )
    uids = [event.uid for event in events]
    existing = {a.uid: a for a in Appointment.objects.filter(practice=practice, uid__in=uids)}
    waiting = {e.uid: e for e in UnmatchedEvent.objects.filter(practice=practice, uid__in=uids)}
    for event in events:
        report.seen.add(event.uid)
        appointment = existing.get(event.uid)
        if appointment is not None:
            report.updated += 1
            report.changed += int(
                _update_appointment(appointment, event, subscription, actor, actor_label)
            )
            continue
        client_id = next((emails[a] for a in event.attendees if a in emails), None)
        if client_id is None:
            report.unmatched.append(event.uid)
            if event.ends_at >= now:
                _keep_unmatched(
                    practice,
                    event,
                    waiting.get(event.uid),
                    therapist=therapist,
                    subscription=subscription,
                    actor=actor,
                )
            continue
        client = Client.objects.select_related("therapist").get(pk=client_id)
        with transaction.atomic():
            Appointment.objects.create(
                practice=practice,
                uid=event.uid,
                client=client,
                therapist=therapist or client.therapist,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                cancelled=event.cancelled,
                source=source,
                subscription=subscription,
            )
            UnmatchedEvent.objects.filter(practice=practice, uid=event.uid).delete()
            record(
                action="appointment.imported",
                practice=practice,
                actor=actor,
                actor_label=actor_label or source,
                object_type="practices.appointment",
                object_id=event.uid[:60],
                details={"client": client.pk, "source": source},
            )
        report.added += 1


def _update_appointment(
    appointment: Appointment,
    event: CalendarEvent,
    subscription: CalendarSubscription | None,
    actor: Any,
    actor_label: str,
) -> bool:
    moved = (appointment.starts_at, appointment.ends_at) != (event.starts_at, event.ends_at)
    status = appointment.cancelled != event.cancelled
    adopt = subscription is not None and appointment.subscription_id != subscription.pk
    if not (moved or status or adopt):
        return False
    with transaction.atomic():
        appointment.starts_at, appointment.ends_at = event.starts_at, event.ends_at
        appointment.cancelled = event.cancelled
        if adopt:
            appointment.subscription = subscription
        appointment.save(update_fields=["starts_at", "ends_at", "cancelled", "subscription"])
        if moved or status:
            record(
                action="appointment.changed_in_calendar",
                obj=appointment,
                practice=appointment.practice,
                actor=actor,
                actor_label=actor_label or "calendar",
                details={
                    "client": appointment.client_id,
                    "moved": moved,
                    "cancelled": event.cancelled,
                },
            )
    return moved or status


def _keep_unmatched(
    practice: Practice,
    event: CalendarEvent,
    waiting: UnmatchedEvent | None,
    *,
    therapist: Therapist | None,
    subscription: CalendarSubscription | None,
    actor: Any,
) -> None:
    sealed = seal_json(event.summary, object_id=summary_object_id(practice.pk, event.uid))
    with transaction.atomic():
        if waiting is None:
            kept = UnmatchedEvent.objects.create(
                practice=practice,
                therapist=therapist,
                subscription=subscription,
                uid=event.uid,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                cancelled=event.cancelled,
                sealed_summary=sealed,
                seen_at=clock.now(),
            )
            record(
                action="calendar.event_unmatched",
                obj=kept,
                practice=practice,
                actor=actor,
                actor_label="calendar",
            )
            return
        waiting.starts_at, waiting.ends_at = event.starts_at, event.ends_at
        waiting.cancelled, waiting.sealed_summary = event.cancelled, sealed
        waiting.seen_at = clock.now()
        waiting.save(
            update_fields=["starts_at", "ends_at", "cancelled", "sealed_summary", "seen_at"]
        )


def cancel_missing(subscription: CalendarSubscription, seen: set[str]) -> int:
    """Appointments from this calendar that left it before they started are cancelled;
    unmatched events that left it are forgotten. Returns how many were cancelled."""
    now = clock.now()
    gone = Appointment.objects.filter(
        subscription=subscription, starts_at__gte=now, cancelled=False
    ).exclude(uid__in=seen)
    cancelled = 0
    for appointment in gone:
        with transaction.atomic():
            appointment.cancelled = True
            appointment.save(update_fields=["cancelled"])
            record(
                action="appointment.changed_in_calendar",
                obj=appointment,
                practice=subscription.practice,
                actor_label="calendar",
                details={"client": appointment.client_id, "moved": False, "cancelled": True},
            )
        cancelled += 1
    UnmatchedEvent.objects.filter(subscription=subscription).exclude(uid__in=seen).delete()
    return cancelled
