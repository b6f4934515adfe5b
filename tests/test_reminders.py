"""Appointment reminders, end to end: imported from .ics, sent by the worker at the chosen time
through Twilio's wire format (the fake REST API on loopback) or a real SMTP relay, answered by
a signed Twilio webhook, an email link or a portal button, with the one clock moved."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import threading
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test import override_settings

from boundaries import clock
from boundaries.audit.models import AuditEntry
from boundaries.core.policy.reminders import forbidden_in
from boundaries.inbox.models import InboundRoute, Message
from boundaries.portal.actions import do_issue_magic_link
from boundaries.practices import actions
from boundaries.practices.calendar import import_ics
from boundaries.practices.models import Appointment, Client, Practice, Therapist
from boundaries.reminders.answers import answer_by_sms
from boundaries.reminders.models import AppointmentNotice, Reminder
from boundaries.reminders.sending import reminders_job, send_due_reminders
from boundaries.reminders.tasks import CANCELLATION_SUBJECT
from tests.channels.conftest import alder_practice, run_worker, signed_in_alice
from tests.channels.smtp_helpers import Recorder, recorder
from tests.channels.test_sms import (
    ALERT_PHONE,
    PRACTICE_NUMBER,
    ROWAN,
    FakeTwilio,
    post,
    sms_params,
    twilio,
    twiml_messages,
)

__all__ = ["twilio"]  # the fake Twilio fixture, used here by name

LONDON = ZoneInfo("Europe/London")
DAY = dt.date(2027, 1, 12)  # a Tuesday; London is on UTC in January
SASHA = "+441614960789"
ROWAN_EMAIL = "rowan@example.org"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """Move the one clock to this London time; returns it."""
    when = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)
    clock.reset()
    clock.travel(when - clock.now())
    return clock.now()


def ics(uid: str, attendee: str, starts: dt.datetime, status: str = "CONFIRMED") -> bytes:
    start = starts.astimezone(dt.UTC)
    end = start + dt.timedelta(minutes=50)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Practice export//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T090000Z\r\n"
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDTEND:{end:%Y%m%dT%H%M%SZ}\r\n"
        f"SUMMARY:Therapy session\r\nSTATUS:{status}\r\n"
        f"ATTENDEE;CN=Client:mailto:{attendee}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def names_of(practice: Practice) -> tuple[str, ...]:
    """What a discreet reminder must never show: both practice names and the therapist's."""
    from boundaries.inbox.triage import policy_for

    policy = policy_for(practice)
    assert policy is not None
    therapist = Therapist.objects.get(practice=practice)
    details = policy.practice
    return (practice.name, details.name, details.therapist_name, therapist.display_name)


@pytest.fixture
def relay() -> Iterator[Recorder]:
    with (
        recorder() as (port, peer),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            SITE_URL="http://testserver",
        ),
    ):
        yield peer


@pytest.fixture
def practice(transactional_db: Any, twilio: FakeTwilio, relay: Recorder) -> Iterator[Practice]:
    """Alder practice (published policy, a Twilio number) at 09:00 a week before DAY."""
    at(DAY - dt.timedelta(days=7), 9)
    alder, alice = alder_practice()
    Therapist.objects.filter(pk=alice.pk).update(alert_phone=ALERT_PHONE)
    InboundRoute.objects.create(practice=alder, kind="sms", address=PRACTICE_NUMBER)
    yield alder
    clock.reset()


def add_client(practice: Practice, first: str, **terms: Any) -> Client:
    alice = Therapist.objects.get(practice=practice)
    client = actions.do_add_client(
        practice,
        first_name=first,
        last_name="Ashby",
        therapist=alice,
        emails=[f"{first.lower()}@example.org"],
        phones=[{"Rowan": ROWAN, "Sasha": SASHA}.get(first, "+441614960111")],
    )
    actions.do_set_agreement(client, **terms)
    return client


def book(practice: Practice, client: Client, hour: int, day: dt.date = DAY) -> Appointment:
    """The appointment, as the practice's calendar exports it (.ics)."""
    starts = dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)
    uid = f"{client.first_name.lower()}-{day}-{hour}@calendar.example"
    report = import_ics(practice, ics(uid, f"{client.first_name.lower()}@example.org", starts))
    assert report.added == 1, report
    return Appointment.objects.get(uid=uid)


def run_reminders_job_twice() -> None:
    """What two schedulers (or two worker runs) do: the same job queued twice, both run."""
    reminders_job.enqueue()
    reminders_job.enqueue()
    run_worker()


def test_a_discreet_sms_reminder_goes_at_the_chosen_time_and_x_cancels_and_tells_the_therapist(
    practice: Practice, twilio: FakeTwilio, relay: Recorder, client: Any
) -> None:
    rowan = add_client(
        practice, "Rowan", channels=["sms", "phone"], reminder_channel="sms",
        reminder_detail="discreet", reminder_offsets=[48 * 60, 2 * 60],
    )  # fmt: skip
    sasha = add_client(practice, "Sasha", channels=["email", "phone"])  # no reminders agreed
    appointment = book(practice, rowan, 14)
    book(practice, sasha, 15)

    at(DAY - dt.timedelta(days=2), 13, 50)  # ten minutes before "48 h before"
    run_reminders_job_twice()
    assert twilio.sent == []

    at(DAY - dt.timedelta(days=2), 14, 1)
    run_reminders_job_twice()
    (text,) = twilio.to(ROWAN)
    assert text["From"] == PRACTICE_NUMBER
    body = text["Body"]
    assert "Tue 12 Jan, 14:00" in body
    assert "Reply C to confirm or X to cancel." in body
    assert forbidden_in(body, *names_of(practice)) is None
    for word in ("therap", "counsel", "session", "Alder", "Alice", "Samaritans", "116 123"):
        assert word.lower() not in body.lower()
    assert twilio.to(SASHA) == []  # no SMS agreement, no reminder
    reminder = Reminder.objects.get(appointment=appointment)
    assert reminder.status == Reminder.Status.SENT
    assert AuditEntry.objects.filter(action="reminder.sent").count() == 1

    answer = post(client, sms_params("X"))
    assert answer.status_code == 200
    (said,) = twiml_messages(answer.content)
    assert said == "Tue 12 Jan, 14:00 is cancelled. We will be in touch about another time."
    appointment.refresh_from_db()
    assert appointment.cancelled and appointment.cancelled_by == "sms"
    assert Message.objects.get().client == rowan  # the text itself is in the inbox, triaged
    notice = AppointmentNotice.objects.get(kind=AppointmentNotice.Kind.CANCELLED)
    assert notice.appointment == appointment
    run_worker()
    (mail,) = [m for m in relay.messages if "alice@alder.example" in m[1]]
    told = email.message_from_bytes(mail[2], policy=email.policy.default)
    assert told["Subject"] == CANCELLATION_SUBJECT
    assert "Rowan" not in told.get_content() and "14:00" not in told.get_content()
    page = signed_in_alice(confirmed=False).get("/dashboard/")
    assert b"The client cancelled an appointment" in page.content
    assert Appointment.objects.filter(client=rowan).count() == 1  # never rebooked

    at(DAY, 12, 1)  # "2 h before" a cancelled appointment: nothing goes
    run_reminders_job_twice()
    assert len(twilio.to(ROWAN)) == 1


def test_stop_stops_text_reminders_and_the_therapist_sees_why_and_start_resumes_them(
    practice: Practice, twilio: FakeTwilio, client: Any
) -> None:
    rowan = add_client(
        practice, "Rowan", channels=["sms"], reminder_channel="sms",
        reminder_offsets=[48 * 60, 2 * 60],
    )  # fmt: skip
    appointment = book(practice, rowan, 14)
    assert post(client, sms_params("STOP")).status_code == 200
    assert AuditEntry.objects.filter(action="sms.opt_out").exists()

    at(DAY - dt.timedelta(days=2), 14, 5)
    send_due_reminders(clock.now())
    assert twilio.to(ROWAN) == []
    held = Reminder.objects.get(appointment=appointment, offset_minutes=48 * 60)
    assert held.status == Reminder.Status.SKIPPED and "STOP" in held.reason
    page = signed_in_alice(confirmed=False).get("/dashboard/")
    assert b"A reminder was not sent" in page.content and b"STOP" in page.content

    assert post(client, sms_params("START")).status_code == 200
    at(DAY, 12, 5)
    send_due_reminders(clock.now())
    assert len(twilio.to(ROWAN)) == 1


def test_quiet_hours_hold_a_reminder_to_their_end_or_drop_it_after_the_start(
    practice: Practice, twilio: FakeTwilio
) -> None:
    rowan = add_client(
        practice, "Rowan", channels=["sms"], reminder_channel="sms", reminder_offsets=[120]
    )
    nine = book(practice, rowan, 9)  # 2 h before is 07:00, inside 21:00-08:00
    seven = book(practice, rowan, 7, day=DAY + dt.timedelta(days=1))  # its end is too late

    at(DAY, 7, 5)
    send_due_reminders(clock.now())
    assert twilio.sent == []
    at(DAY, 8, 0)
    send_due_reminders(clock.now())
    (text,) = twilio.to(ROWAN)
    assert "Tue 12 Jan, 09:00" in text["Body"]
    assert Reminder.objects.get(appointment=nine).status == Reminder.Status.SENT

    at(DAY + dt.timedelta(days=1), 6, 59)
    send_due_reminders(clock.now())
    assert len(twilio.to(ROWAN)) == 1
    assert not Reminder.objects.filter(appointment=seven).exists()


def test_a_moved_appointment_is_reminded_of_its_new_time(
    practice: Practice, twilio: FakeTwilio
) -> None:
    rowan = add_client(
        practice, "Rowan", channels=["sms"], reminder_channel="sms", reminder_offsets=[120]
    )
    appointment = book(practice, rowan, 14)
    at(DAY, 12, 1)
    send_due_reminders(clock.now())
    later = dt.datetime(DAY.year, DAY.month, DAY.day, 17, tzinfo=LONDON)
    import_ics(practice, ics(appointment.uid, "rowan@example.org", later))
    at(DAY, 15, 1)
    send_due_reminders(clock.now())
    first, second = (text["Body"] for text in twilio.to(ROWAN))
    assert "14:00" in first and "17:00" in second


def test_an_email_reminder_links_to_a_single_use_page_that_confirms(
    practice: Practice, relay: Recorder, client: Any
) -> None:
    rowan = add_client(
        practice, "Rowan", channels=["email", "phone"], reminder_channel="email",
        reminder_detail="discreet", reminder_offsets=[24 * 60],
    )  # fmt: skip
    appointment = book(practice, rowan, 14)
    at(DAY - dt.timedelta(days=1), 14, 0)
    run_reminders_job_twice()
    (mail,) = [m for m in relay.messages if ROWAN_EMAIL in m[1]]
    message = email.message_from_bytes(mail[2], policy=email.policy.default)
    assert message["From"].addresses[0].display_name == "Appointments"
    assert message["Subject"] == "Reminder: Tue 12 Jan, 14:00"
    body = message.get_content()
    shown = f"{message['Subject']} {body} {message['From']}"
    assert forbidden_in(shown, *names_of(practice)) is None
    link = re.search(r"http://testserver(/r/[^\s]+/)", body)
    assert link is not None

    page = client.get(link.group(1))
    assert page.status_code == 200
    assert b"Tue 12 Jan, 14:00" in page.content
    assert forbidden_in(page.content.decode(), *names_of(practice)) is None
    appointment.refresh_from_db()
    assert appointment.confirmed_at is None  # opening the link changes nothing

    done = client.post(link.group(1), {"answer": "confirm"})
    assert b"is confirmed" in done.content
    appointment.refresh_from_db()
    assert appointment.confirmed_at is not None and not appointment.cancelled
    again = client.post(link.group(1), {"answer": "cancel"})
    assert b"answered already" in again.content
    appointment.refresh_from_db()
    assert not appointment.cancelled
    assert b"This link has been used" in client.get(link.group(1)).content
    assert client.get("/r/not-a-token/").status_code == 404


def test_a_reminder_the_guard_would_stop_is_held_and_the_therapist_sees_why(
    practice: Practice, twilio: FakeTwilio
) -> None:
    """A reminder by text to a client whose newest agreement no longer includes texts."""
    rowan = add_client(
        practice, "Rowan", channels=["sms"], reminder_channel="sms", reminder_offsets=[120]
    )
    appointment = book(practice, rowan, 14)
    # Recorded below the action (which would refuse it), as an agreement from before the
    # checks could read: the guard is the last line, whatever the rows say.
    rowan.agreements.filter(version=1).update(channels=["phone"])
    at(DAY, 12, 1)
    send_due_reminders(clock.now())
    assert twilio.sent == []
    reminder = Reminder.objects.get(appointment=appointment)
    assert reminder.status == Reminder.Status.HELD
    assert "no-social-business" in reminder.reason
    assert AppointmentNotice.objects.filter(kind=AppointmentNotice.Kind.REMINDER_HELD).exists()


def test_the_portal_shows_a_portal_reminder_with_buttons_that_cancel(
    practice: Practice,
) -> None:
    rowan = add_client(
        practice, "Rowan", channels=["portal"], reminder_channel="portal", reminder_offsets=[120]
    )
    appointment = book(practice, rowan, 14)
    at(DAY, 12, 1)
    send_due_reminders(clock.now())
    http = HttpClient()
    assert http.post(f"/portal/signin/{do_issue_magic_link(rowan)}/").status_code == 302
    home = http.get("/portal/")
    assert b"Your appointment: Tue 12 Jan, 14:00" in home.content
    reminder = Reminder.objects.get(appointment=appointment)
    done = http.post(f"/portal/reminders/{reminder.pk}/", {"answer": "cancel"})
    assert b"is cancelled" in done.content
    appointment.refresh_from_db()
    assert appointment.cancelled and appointment.cancelled_by == "portal"


def test_workers_running_the_job_at_the_same_moment_send_a_reminder_once(
    practice: Practice, twilio: FakeTwilio
) -> None:
    rowan = add_client(
        practice, "Rowan", channels=["sms"], reminder_channel="sms", reminder_offsets=[120]
    )
    appointment = book(practice, rowan, 14)
    now = at(DAY, 12, 1)
    workers = 3
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            send_due_reminders(now)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(twilio.to(ROWAN)) == 1
    assert Reminder.objects.get(appointment=appointment).status == Reminder.Status.SENT


def test_an_answer_in_a_message_triage_found_risk_in_cancels_nothing(
    practice: Practice, twilio: FakeTwilio
) -> None:
    """Safety first: the therapist reads such a message with its alert; nothing acts on it."""
    rowan = add_client(
        practice, "Rowan", channels=["sms"], reminder_channel="sms", reminder_offsets=[120]
    )
    appointment = book(practice, rowan, 14)
    at(DAY, 12, 1)
    send_due_reminders(clock.now())
    for risk in ("concern", "urgent"):
        message = Message.objects.create(
            practice=practice, channel="sms", client=rowan, sender_status="present_client",
            content_hash=risk * 8, sealed=b"", risk=risk, crisis=risk == "urgent",
        )  # fmt: skip
        assert answer_by_sms(practice, message, "X") == ""
    appointment.refresh_from_db()
    assert not appointment.cancelled
    assert not AppointmentNotice.objects.exists()
