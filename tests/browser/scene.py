"""The demo practice with a working week in it: what the page-visit test and the screenshots
(``scripts/screenshots.py``) show.

``boundaries demo`` loads a practice, a therapist and twelve fictional clients; this adds
what a therapist meets on an ordinary day, each through the actions the product itself
uses (messages through ``do_ingest``, as a webhook or the SMTP receiver would hand them
over): an urgent text, a concern, ordinary messages, a stranger, a secure portal thread
with a client who asked to bring something to the next session, a welfare check, a platform
audit, a calendar feed and a subscribed calendar with an event that matches no client, a
second policy version (with what it changed), appointment reminders (one in the portal, one
by email with its answer link) and a public post. Every name and number is invented
(demo.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import icalendar

from boundaries import clock
from boundaries.core.policy.templates import render_template
from boundaries.core.types import Channel, InboundMessage
from boundaries.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo
from boundaries.inbox.actions import Arrival, do_ingest
from boundaries.platform_audit.actions import do_import_export
from boundaries.portal import actions as portal_actions
from boundaries.portal.actions import do_publish_policy
from boundaries.practices.actions.agreements import do_set_agreement
from boundaries.practices.actions.appointments import do_add_appointment
from boundaries.practices.calendar import ImportReport, apply_events, do_create_feed, parse_events
from boundaries.practices.calendar_subscriptions import do_subscribe_calendar
from boundaries.practices.models import (
    AgendaItem,
    CalendarSubscription,
    Client,
    Practice,
    Therapist,
)
from boundaries.reminders.answers import answer_link
from boundaries.reminders.models import Reminder
from boundaries.reminders.sending import send_due_reminders
from boundaries.site.models import Post
from boundaries.welfare import actions as welfare_actions
from tests.exports.support import zip_folder

__all__ = ["DEMO_PASSWORD", "DEMO_USERNAME", "Scene", "build_scene"]


@dataclass(frozen=True, slots=True)
class Scene:
    """The ids a page needs in its address."""

    practice: Practice
    therapist: Therapist
    urgent_message: int
    concern_message: int
    ordinary_message: int
    portal_client: Client
    client: Client
    welfare_check: int
    export_audit: int
    post_slug: str
    policy_version: int
    reminder_token: str


def _client(practice: Practice, first_name: str) -> Client:
    return Client.objects.get(practice=practice, first_name=first_name)


def _arrive(
    practice: Practice,
    channel: Channel,
    sender: str,
    text: str,
    *,
    ago: dt.timedelta,
    external_id: str,
    subject: str = "",
) -> Any:
    message = InboundMessage(
        channel=channel,
        sender=sender,
        text=text,
        subject=subject,
        received_at=clock.now() - ago,
        platform="instagram" if channel == Channel.SOCIAL_DM else None,
    )
    if channel == Channel.EMAIL:
        raw = (
            f"From: {sender}\r\nTo: inbox@riverside-therapy.example\r\nSubject: {subject}\r\n"
            f"Message-ID: <{external_id}@example.org>\r\n\r\n{text}\r\n"
        ).encode()
    else:
        raw = text.encode()
    reply = sender if channel in {Channel.EMAIL, Channel.SMS} else ""
    return do_ingest(
        practice,
        Arrival(message=message, raw=raw, external_id=external_id, reply_address=reply),
    ).message


def _calendar(therapist: Therapist) -> None:
    """A subscribed calendar, as its first refresh leaves it: one event matches no client."""
    subscription = do_subscribe_calendar(
        therapist, "https://calendar.riverside-therapy.example/private/sam.ics"
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Sam's calendar//EN")
    calendar.add("version", "2.0")
    day = clock.now().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
    event = icalendar.Event()
    event.add("uid", "scene-new-referral")
    event.add("summary", "First session: new referral from the GP")
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(minutes=50))
    calendar.add_component(event)
    report = ImportReport()
    events = parse_events(bytes(calendar.to_ical()), report)
    apply_events(
        therapist.practice,
        events,
        report,
        therapist=therapist,
        subscription=subscription,
        source="subscription",
        actor_label="calendar",
    )
    now = clock.now()
    CalendarSubscription.objects.filter(pk=subscription.pk).update(
        last_checked_at=now, last_ok_at=now, events_seen=len(report.seen)
    )


def _reminders(practice: Practice) -> str:
    """Kit's reminder in the portal and Elin's by email, sent by the reminder run; the path
    token of Elin's answer link."""
    midnight = dt.time(0, 0)  # no quiet hours: the scene is built at any time of day
    starts = (clock.now() + dt.timedelta(hours=23)).replace(minute=0, second=0, microsecond=0)
    for first_name, channel in (("Kit", "portal"), ("Elin", "email")):
        client = _client(practice, first_name)
        agreement = client.current_agreement()
        do_set_agreement(
            client,
            channels=agreement.channels if agreement else [channel],
            reminder_channel=channel,
            reminder_offsets=[24 * 60],
            reminder_quiet_hours=(midnight, midnight),
            actor_label="demo",
        )
        do_add_appointment(client, starts_at=starts, actor_label="demo")
    send_due_reminders(clock.now())
    reminder = Reminder.objects.get(client=_client(practice, "Elin"), channel="email")
    return answer_link(reminder).rstrip("/").rsplit("/", 1)[1]


def build_scene() -> Scene:
    """Load the demo practice and give it a day's work. Call once, on an empty database."""
    practice, _ = load_demo()
    therapist = Therapist.objects.get(practice=practice, user__username=DEMO_USERNAME)
    hour = dt.timedelta(hours=1)
    minute = dt.timedelta(minutes=1)

    ordinary = _arrive(
        practice,
        Channel.EMAIL,
        "chloe.dubois@example.org",
        "Hello Sam, could we move Thursday's session to the afternoon? Any time after 2 works.",
        ago=5 * hour,
        external_id="scene-ordinary",
        subject="Thursday",
    )
    _arrive(
        practice,
        Channel.SMS,
        "+441614960103",
        "Running ten minutes late today, sorry!",
        ago=3 * hour,
        external_id="scene-late",
    )
    _arrive(
        practice,
        Channel.SOCIAL_DM,
        "17841400000000001",
        "Hi! Are you the therapist from the podcast? I'd love to follow your account.",
        ago=2 * hour,
        external_id="scene-stranger",
    )
    concern = _arrive(
        practice,
        Channel.EMAIL,
        "farah.siddiqui@example.org",
        "Sorry to write so late. I keep thinking about ending it all.",
        ago=90 * minute,
        external_id="scene-concern",
        subject="Before Tuesday",
    )
    urgent = _arrive(
        practice,
        Channel.SMS,
        "+441614960100",
        "i cant keep going. i have the pills saved up and i want to end it tonight",
        ago=12 * minute,
        external_id="scene-urgent",
    )

    kit = _client(practice, "Kit")
    token = portal_actions.do_issue_magic_link(kit)
    portal_actions.do_redeem_magic_link(token)
    portal_actions.do_send_to_client(
        kit, "Hello Kit, here is the worksheet we talked about. See you next week.", actor=None
    )
    portal_actions.do_send_from_client(kit, "Thank you, I will bring it filled in.")
    portal_actions.do_request_agenda(
        kit, kind=AgendaItem.Kind.ONLINE_LIFE, note="Someone from work found my Instagram."
    )

    dev = _client(practice, "Dev")
    check = welfare_actions.do_open_welfare_check(
        dev,
        therapist,
        reason="Dev missed today's session and said last week that things were very bad.",
        attempts=[
            welfare_actions.ContactAttempt("phone", clock.now() - 3 * hour, "no answer"),
            welfare_actions.ContactAttempt("sms", clock.now() - 2 * hour, "no reply"),
        ],
    )
    welfare_actions.do_log_search(
        check,
        therapist,
        where="Local news site",
        purpose="Any report of an accident",
        found="Nothing about Dev.",
        at=clock.now() - hour,
    )

    audit = do_import_export(therapist, zip_folder("instagram_current"))
    do_create_feed(therapist)
    _calendar(therapist)
    second = do_publish_policy(
        practice,
        source=render_template(
            "GB",
            practice_name="Riverside Talking Therapy",
            therapist_name="Sam Rivera",
            phone="+442079460123",
            email="hello@riverside-therapy.example",
            website="https://riverside-therapy.example",
            timezone="Europe/London",
        ),
        summary="A new address for appointments.",
        actor_label="demo",
    )
    reminder_token = _reminders(practice)
    post = Post.objects.create(
        practice=practice,
        title="Holiday opening hours",
        slug="holiday-hours",
        body="The practice is closed from 24 December to 2 January.\n\n"
        "Sessions start again on 3 January. In a crisis, the numbers on the policy page "
        "are there at any hour.",
    )
    return Scene(
        practice=practice,
        therapist=therapist,
        urgent_message=urgent.pk,
        concern_message=concern.pk,
        ordinary_message=ordinary.pk,
        portal_client=kit,
        client=_client(practice, "Amara"),
        welfare_check=check.pk,
        export_audit=audit.pk,
        post_slug=post.slug,
        policy_version=second.number,
        reminder_token=reminder_token,
    )
