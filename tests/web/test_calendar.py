"""The iCalendar feed (secret, revocable, nothing clinical) and .ics import."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import icalendar
import ics
import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.test import override_settings

from boundaries.practices import actions
from boundaries.practices.calendar import do_create_feed, do_revoke_feed, import_ics
from boundaries.practices.models import Appointment, CalendarFeed
from tests.web.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(practice: Any, alice: Any) -> Any:
    client = actions.do_add_client(
        practice,
        first_name="Rowan",
        last_name="Ashby",
        therapist=alice,
        emails=["rowan@example.org"],
    )
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=2)
    actions.do_add_appointment(client, starts_at=start, uid="appt-1")
    return client


def test_it_serves_a_feed_that_two_independent_parsers_read(booked: Any, alice: Any) -> None:
    token = do_create_feed(alice)
    response = HttpClient().get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    parsed = icalendar.Calendar.from_ical(body)
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 1
    assert str(events[0]["uid"]) == "appt-1@boundaries"
    second = ics.Calendar(body.decode())
    assert len(second.events) == 1
    assert next(iter(second.events)).begin.datetime == events[0]["dtstart"].dt


@pytest.mark.parametrize("titles", [CalendarFeed.Titles.INITIALS, CalendarFeed.Titles.GENERIC])
def test_it_leaks_no_client_name(booked: Any, alice: Any, titles: str) -> None:
    token = do_create_feed(alice, titles=titles)
    body = HttpClient().get(f"/calendar/{token}.ics").content.decode()
    assert "Rowan" not in body and "Ashby" not in body and "rowan@" not in body
    assert ("R.A." in body) == (titles == CalendarFeed.Titles.INITIALS)
    assert "therapy" not in body.lower()


def test_it_stops_serving_a_revoked_or_unknown_feed(booked: Any, alice: Any) -> None:
    token = do_create_feed(alice)
    feed = CalendarFeed.objects.get()
    assert feed.token_hash != token  # only a hash is kept
    do_revoke_feed(feed)
    assert HttpClient().get(f"/calendar/{token}.ics").status_code == 404
    assert HttpClient().get("/calendar/not-a-token.ics").status_code == 404


def test_it_imports_next_appointments_from_an_ics_export(booked: Any, practice: Any) -> None:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Practice system//EN")
    calendar.add("version", "2.0")
    start = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
    for uid, attendee in (("ext-1", "mailto:rowan@example.org"), ("ext-2", "mailto:x@example.org")):
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=50))
        event.add("attendee", attendee)
        calendar.add_component(event)
    report = import_ics(practice, calendar.to_ical())
    assert (report.added, report.updated, report.unmatched) == (1, 0, ["ext-2"])
    again = import_ics(practice, calendar.to_ical())
    assert (again.added, again.updated) == (0, 1)
    assert Appointment.objects.get(uid="ext-1").client == booked


def test_it_reports_a_file_that_is_not_icalendar(practice: Any) -> None:
    report = import_ics(practice, b"this is not a calendar")
    assert report.problems and report.added == 0


@override_settings(
    SITE_URL="https://therapy.example.org",
    BOUNDARIES_ALLOWED_HOSTS=["testserver", "*.practices.example.net"],
)
def test_the_feeds_address_names_site_url_not_the_host_the_request_named(alice: Any) -> None:
    http = HttpClient(HTTP_HOST="anything.practices.example.net")
    sign_in(http, alice.user)
    page = http.post("/dashboard/calendar/", {"titles": "initials"}).content.decode()
    assert "https://therapy.example.org/calendar/" in page
    assert "practices.example.net" not in page


@override_settings(
    SITE_URL="https://therapy.example.org",
    BOUNDARIES_ALLOWED_HOSTS=["testserver", "*.practices.example.net"],
)
def test_a_clients_sign_in_link_names_site_url_not_the_host_the_request_named(
    booked: Any, alice: Any
) -> None:
    actions.do_set_agreement(booked, channels=["email"])
    http = HttpClient(HTTP_HOST="anything.practices.example.net")
    sign_in(http, alice.user)
    assert http.post(f"/dashboard/clients/{booked.pk}/portal-link/").status_code == 200
    (message,) = mail.outbox
    assert message.to == ["rowan@example.org"]
    assert re.search(r"https://therapy\.example\.org/portal/signin/[\w-]+/", message.body)
    assert "practices.example.net" not in message.body
