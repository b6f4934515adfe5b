"""Sessions as iCalendar: a secret feed per therapist, and import from a practice's .ics export."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

import icalendar
from django.db import transaction
from django.utils import timezone

from boundaries import clock
from boundaries.audit.log import record
from boundaries.practices.models import (
    Appointment,
    CalendarFeed,
    Client,
    ClientContact,
    Practice,
    Therapist,
)

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
    updated: int = 0
    unmatched: list[str] = field(default_factory=list)  # event UIDs only, never names
    problems: list[str] = field(default_factory=list)


def import_ics(practice: Practice, data: bytes) -> ImportReport:
    """Upsert appointments from a practice's .ics export, matching attendees by email.

    An event is matched to a client through an ATTENDEE (or ORGANIZER) email the
    register holds; events that match no client are reported by UID and skipped.
    """
    report = ImportReport()
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        report.problems.append(f"not an iCalendar file: {error}")
        return report
    emails = dict(
        ClientContact.objects.filter(practice=practice, kind=ClientContact.Kind.EMAIL).values_list(
            "value", "client_id"
        )
    )
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("uid", "")).strip()
        start, end = event.get("dtstart"), event.get("dtend")
        if not uid or start is None:
            report.problems.append(f"event without UID or start: {uid or '(no uid)'}")
            continue
        starts = start.dt
        if not isinstance(starts, dt.datetime) or timezone.is_naive(starts):
            report.problems.append(f"event {uid}: needs a date-time with a timezone")
            continue
        ends = end.dt if end is not None else starts + dt.timedelta(minutes=50)
        attendees = event.get("attendee", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        addresses = [str(a).lower().removeprefix("mailto:") for a in attendees]
        client_id = next((emails[a] for a in addresses if a in emails), None)
        if client_id is None:
            report.unmatched.append(uid)
            continue
        therapist_id = Client.objects.filter(pk=client_id).values_list("therapist_id", flat=True)[0]
        with transaction.atomic():
            _, created = Appointment.objects.update_or_create(
                practice=practice,
                uid=uid,
                defaults={
                    "client_id": client_id,
                    "therapist_id": therapist_id,
                    "starts_at": starts,
                    "ends_at": ends,
                    "cancelled": str(event.get("status", "")).upper() == "CANCELLED",
                    "source": "ics",
                },
            )
            record(
                action="appointment.imported",
                practice=practice,
                actor_label="ics import",
                object_type="practices.appointment",
                object_id=uid[:60],
            )
        report.added += int(created)
        report.updated += int(not created)
    return report
