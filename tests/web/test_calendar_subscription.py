"""A therapist's own calendar, subscribed to by its address: a real HTTP server on loopback
serves .ics files that change between refreshes, and the worker's own task reads them."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.test import override_settings

from boundaries import clock
from boundaries.audit.models import AuditEntry
from boundaries.errors import ActionError
from boundaries.practices import actions
from boundaries.practices.calendar import event_summary
from boundaries.practices.calendar_fetch import CalendarFetchError, checked_address
from boundaries.practices.calendar_subscriptions import (
    do_subscribe_calendar,
    refresh_calendars_job,
    subscription_url,
    url_object_id,
)
from boundaries.practices.models import Appointment, CalendarSubscription, UnmatchedEvent
from boundaries.records import scheduling
from boundaries.sealed import seal_json
from tests.channels.conftest import run_worker
from tests.web.signin import sign_in

pytestmark = pytest.mark.django_db


class CalendarServer:
    """Serves whatever ``files`` holds at the moment of each request."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}
        self.requests = 0
        files, server = self.files, self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                if self.path in server.redirects:
                    self.send_response(302)
                    self.send_header("Location", server.redirects[self.path])
                    self.end_headers()
                    return
                body = files.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def calendar_server() -> Iterator[CalendarServer]:
    served = CalendarServer()
    thread = threading.Thread(target=served.httpd.serve_forever, daemon=True)
    thread.start()
    yield served
    served.httpd.shutdown()
    served.httpd.server_close()


def ics(*events: tuple[str, dt.datetime, str, str]) -> bytes:
    """(uid, start, attendee email or "", status) for each event."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Someone's calendar//EN")
    calendar.add("version", "2.0")
    for uid, start, attendee, status in events:
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("summary", "Session" if attendee else "Dentist: Dr Pryce")
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=50))
        if attendee:
            event.add("attendee", f"mailto:{attendee}")
        if status:
            event.add("status", status)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


@pytest.fixture
def rowan(practice: Any, alice: Any) -> Any:
    return actions.do_add_client(
        practice,
        first_name="Rowan",
        last_name="Ashby",
        therapist=alice,
        emails=["rowan@example.org"],
    )


def soon(days: int, hour: int = 10) -> dt.datetime:
    today = clock.now().astimezone(dt.UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return today + dt.timedelta(days=days)


@override_settings(CALENDAR_ALLOW_LOOPBACK=True)
def test_the_worker_follows_a_calendar_that_changes_between_refreshes(
    calendar_server: CalendarServer, alice: Any, rowan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, third = soon(2), soon(9), soon(16)
    calendar_server.files["/cal.ics"] = ics(
        ("s-1", first, "rowan@example.org", ""),
        ("s-2", second, "rowan@example.org", ""),
        ("s-3", third, "rowan@example.org", ""),
        ("d-1", soon(3), "", ""),
    )
    subscription = do_subscribe_calendar(alice, calendar_server.url + "/cal.ics", actor=alice.user)
    # The scheduler queues the refresh once per slot, and the worker runs the real task.
    jobs = [job for job in scheduling.JOBS if job.name == "calendar-subscriptions"]
    monkeypatch.setattr(scheduling, "JOBS", jobs)
    assert scheduling.run_due(clock.now()) == ["calendar-subscriptions"]
    run_worker()
    assert list(Appointment.objects.order_by("starts_at").values_list("uid", flat=True)) == [
        "s-1",
        "s-2",
        "s-3",
    ]
    assert Appointment.objects.filter(client=rowan, subscription=subscription).count() == 3
    (waiting,) = UnmatchedEvent.objects.all()
    assert waiting.uid == "d-1"
    assert event_summary(waiting) == "Dentist: Dr Pryce"
    assert b"Dentist" not in bytes(waiting.sealed_summary)  # sealed

    # The therapist moves one session, cancels another, and deletes the third.
    calendar_server.files["/cal.ics"] = ics(
        ("s-1", first + dt.timedelta(hours=2), "rowan@example.org", ""),
        ("s-2", second, "rowan@example.org", "CANCELLED"),
        ("d-1", soon(3), "", ""),
    )
    refresh_calendars_job.call()
    moved, cancelled, gone = Appointment.objects.order_by("uid")
    assert moved.starts_at == first + dt.timedelta(hours=2) and not moved.cancelled
    assert cancelled.cancelled and gone.cancelled
    changes = AuditEntry.objects.filter(action="appointment.changed_in_calendar")
    assert changes.count() == 3

    # The same calendar again: nothing changes and nothing is written.
    before = AuditEntry.objects.count()
    refresh_calendars_job.call()
    assert AuditEntry.objects.count() == before
    assert Appointment.objects.count() == 3
    subscription.refresh_from_db()
    assert subscription.last_problem == "" and subscription.events_seen == 3
    assert calendar_server.requests == 3


@override_settings(CALENDAR_ALLOW_LOOPBACK=True)
def test_an_unreachable_calendar_is_reported_on_the_subscription(
    calendar_server: CalendarServer, alice: Any
) -> None:
    subscription = do_subscribe_calendar(alice, calendar_server.url + "/missing.ics")
    result = refresh_calendars_job.call()
    assert result == {"refreshed": 1, "failed": 1}
    subscription.refresh_from_db()
    assert subscription.last_problem == "127.0.0.1 answered HTTP 404"


def test_the_address_is_stored_sealed(alice: Any) -> None:
    with override_settings(CALENDAR_ALLOW_LOOPBACK=True):
        subscription = do_subscribe_calendar(alice, "http://127.0.0.1:9/private-abc123/basic.ics")
    stored = bytes(CalendarSubscription.objects.values_list("sealed_url", flat=True).get())
    assert b"private-abc123" not in stored
    assert subscription_url(subscription).endswith("/private-abc123/basic.ics")
    entry = AuditEntry.objects.get(action="calendar.subscribed")
    assert "private-abc123" not in str(entry.details)


@pytest.mark.parametrize(
    "address",
    [
        "http://calendar.example.org/basic.ics",  # not https
        "ftp://calendar.example.org/basic.ics",
        "https://127.0.0.1/basic.ics",
        "https://[::1]/basic.ics",
        "https://10.0.0.5/basic.ics",
        "https://192.168.1.1/basic.ics",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:169.254.169.254]/",
        "https://100.64.0.1/",
        "https://user:pw@calendar.example.org/basic.ics",
        "not an address",
    ],
)
def test_it_refuses_an_address_off_the_public_internet(alice: Any, address: str) -> None:
    with pytest.raises(ActionError):
        do_subscribe_calendar(alice, address)
    assert not CalendarSubscription.objects.exists()


def test_loopback_is_allowed_only_when_the_setting_says_so() -> None:
    with pytest.raises(CalendarFetchError):
        checked_address("http://127.0.0.1:8000/x.ics", allow_loopback=False)
    assert checked_address("http://127.0.0.1:8000/x.ics", allow_loopback=True)
    assert checked_address("webcal://calendar.example.org/x.ics", allow_loopback=False) == (
        "https://calendar.example.org/x.ics"
    )


@override_settings(CALENDAR_ALLOW_LOOPBACK=False)
def test_a_name_that_resolves_to_loopback_is_refused_when_it_is_fetched(alice: Any) -> None:
    # "localhost" passes the first look (it is a name, not an address) but not the connection.
    subscription = CalendarSubscription.objects.create(
        practice=alice.practice, therapist=alice, sealed_url=b"", host="localhost"
    )
    subscription.sealed_url = seal_json(
        "https://localhost:9/x.ics", object_id=url_object_id(subscription)
    )
    subscription.save()
    refresh_calendars_job.call()
    subscription.refresh_from_db()
    assert subscription.last_problem == "localhost is not an address on the public internet"


@override_settings(CALENDAR_ALLOW_LOOPBACK=True)
def test_the_therapist_subscribes_and_matches_an_event_by_hand(
    calendar_server: CalendarServer, alice: Any, rowan: Any, charlie: Any
) -> None:
    calendar_server.files["/cal.ics"] = ics(("x-1", soon(4), "", ""))
    http = HttpClient()
    sign_in(http, alice.user)
    response = http.post(
        "/dashboard/calendar/subscribe/", {"url": calendar_server.url + "/cal.ics"}
    )
    assert response.status_code == 302
    page = http.get("/dashboard/calendar/").content.decode()
    assert "127.0.0.1" in page and "/cal.ics" not in page  # the path is the secret
    assert "Dentist: Dr Pryce" in page  # the unmatched event, for matching by hand
    event = UnmatchedEvent.objects.get()
    response = http.post(f"/dashboard/calendar/events/{event.pk}/match/", {"client": rowan.pk})
    assert response.status_code == 302
    assert Appointment.objects.get(uid="x-1").client == rowan
    assert AuditEntry.objects.filter(action="appointment.matched_by_hand").count() == 1
    # Another practice's therapist sees none of it.
    other = HttpClient()
    sign_in(other, charlie.user)
    subscription = CalendarSubscription.objects.get()
    assert (
        other.post(f"/dashboard/calendar/subscriptions/{subscription.pk}/remove/").status_code
        == 404
    )
    assert (
        other.post(f"/dashboard/calendar/subscriptions/{subscription.pk}/refresh/").status_code
        == 404
    )


def test_a_file_import_from_the_page_reports_what_it_did(alice: Any, rowan: Any) -> None:
    http = HttpClient()
    sign_in(http, alice.user)
    data = ics(("f-1", soon(5), "rowan@example.org", ""), ("f-2", soon(6), "", ""))
    response = http.post(
        "/dashboard/calendar/import/",
        {"file": SimpleUploadedFile("cal.ics", data, content_type="text/calendar")},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 added" in text and "1 matched no client" in text
    assert Appointment.objects.get(uid="f-1").client == rowan
    assert UnmatchedEvent.objects.get().uid == "f-2"


def weekly_series(first: dt.datetime, *, moved_by: dt.timedelta, status: str = "") -> bytes:
    """Six weekly sessions with Rowan; the third is not on, the second is moved."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Someone's calendar//EN")
    calendar.add("version", "2.0")
    series = icalendar.Event()
    series.add("uid", "weekly-1")
    series.add("summary", "Session")
    series.add("dtstart", first)
    series.add("dtend", first + dt.timedelta(minutes=50))
    series.add("rrule", {"freq": "weekly", "count": 6})
    series.add("exdate", first + dt.timedelta(weeks=2))
    series.add("attendee", "mailto:rowan@example.org")
    calendar.add_component(series)
    moved = icalendar.Event()
    moved.add("uid", "weekly-1")
    moved.add("recurrence-id", first + dt.timedelta(weeks=1))
    moved.add("dtstart", first + dt.timedelta(weeks=1) + moved_by)
    moved.add("dtend", first + dt.timedelta(weeks=1, minutes=50) + moved_by)
    moved.add("attendee", "mailto:rowan@example.org")
    if status:
        moved.add("status", status)
    calendar.add_component(moved)
    holiday = icalendar.Event()
    holiday.add("uid", "holiday-1")
    holiday.add("summary", "Bank holiday")
    holiday.add("dtstart", (first + dt.timedelta(days=3)).date())
    calendar.add_component(holiday)
    return bytes(calendar.to_ical())


@override_settings(CALENDAR_ALLOW_LOOPBACK=True)
def test_a_repeating_session_becomes_one_appointment_per_occurrence(
    calendar_server: CalendarServer, alice: Any, rowan: Any
) -> None:
    first = soon(1)
    calendar_server.files["/cal.ics"] = weekly_series(first, moved_by=dt.timedelta(hours=1))
    do_subscribe_calendar(alice, calendar_server.url + "/cal.ics")
    refresh_calendars_job.call()
    starts = list(Appointment.objects.filter(client=rowan).values_list("starts_at", flat=True))
    expected = [first + dt.timedelta(weeks=n) for n in (0, 3, 4, 5)]
    expected.append(first + dt.timedelta(weeks=1, hours=1))  # the moved occurrence
    assert sorted(starts) == sorted(expected)
    assert not UnmatchedEvent.objects.exists()  # the all-day holiday is not a session
    # The moved occurrence is then called off: the same appointment is cancelled.
    calendar_server.files["/cal.ics"] = weekly_series(
        first, moved_by=dt.timedelta(hours=1), status="CANCELLED"
    )
    refresh_calendars_job.call()
    (off,) = Appointment.objects.filter(cancelled=True)
    assert off.starts_at == first + dt.timedelta(weeks=1, hours=1)
    assert Appointment.objects.count() == 5


@override_settings(CALENDAR_ALLOW_LOOPBACK=True)
def test_a_redirect_to_a_private_address_is_not_followed(
    calendar_server: CalendarServer, alice: Any
) -> None:
    calendar_server.redirects["/cal.ics"] = "http://169.254.169.254/latest/meta-data/"
    subscription = do_subscribe_calendar(alice, calendar_server.url + "/cal.ics")
    refresh_calendars_job.call()
    subscription.refresh_from_db()
    assert subscription.last_problem == "169.254.169.254 is not an address on the public internet"
    # A redirect within the allowed addresses is followed.
    calendar_server.redirects["/cal.ics"] = "/moved.ics"
    calendar_server.files["/moved.ics"] = ics(("m-1", soon(2), "", ""))
    refresh_calendars_job.call()
    subscription.refresh_from_db()
    assert subscription.last_problem == "" and subscription.events_seen == 1


@override_settings(CALENDAR_ALLOW_LOOPBACK=True, CALENDAR_MAX_BYTES=1000)
def test_a_calendar_larger_than_the_limit_is_refused(
    calendar_server: CalendarServer, alice: Any
) -> None:
    calendar_server.files["/big.ics"] = ics(*((f"e-{n}", soon(2), "", "") for n in range(20)))
    subscription = do_subscribe_calendar(alice, calendar_server.url + "/big.ics")
    refresh_calendars_job.call()
    subscription.refresh_from_db()
    assert subscription.last_problem == "the calendar is larger than 1,000 bytes"
    assert not UnmatchedEvent.objects.exists()
