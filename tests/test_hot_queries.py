"""The look-ups every arriving message makes, written out in SQL, answer as the ORM did.

Triage asks who a sender is, their current agreement and their next
appointment for every batch of arriving messages; these are written-out
queries (``Model.objects.raw``), so here they are checked on this run's
database for the cases the ORM used to decide for them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from boundaries.core.types import Channel, InboundMessage
from boundaries.inbox.triage import find_clients
from boundaries.practices import actions
from boundaries.practices.models import Appointment, current_agreements, next_appointments


def _from(sender: str, channel: Channel = Channel.EMAIL, platform: str = "") -> InboundMessage:
    return InboundMessage(
        channel=channel,
        sender=sender,
        text="hello",
        subject="",
        received_at=timezone.now(),
        platform=platform,
    )


def test_a_present_client_wins_over_a_past_or_prospective_one_with_the_same_address(
    practice: Any,
) -> None:
    # Recorded first, so the contact order alone would pick them.
    past = actions.do_add_client(
        practice, first_name="Pat", last_name="Past", status="past", emails=["shared@example.org"]
    )
    prospective = actions.do_add_client(
        practice,
        first_name="Pro",
        last_name="Spective",
        status="prospective",
        emails=["shared@example.org", "two@example.org"],
    )
    present = actions.do_add_client(
        practice, first_name="Pre", last_name="Sent", emails=["shared@example.org"]
    )
    actions.do_add_client(
        practice, first_name="Old", last_name="Only", status="past", emails=["two@example.org"]
    )
    found = find_clients(
        [
            (practice, _from("Shared@Example.org ")),
            (practice, _from("two@example.org")),
            (practice, _from("nobody@example.org")),
        ]
    )
    assert [client.pk if client else None for client in found] == [
        present.pk,
        prospective.pk,
        None,
    ]
    assert past.pk not in [client.pk for client in found if client]
    assert found[0] is not None and found[0].first_name == "Pre"  # a whole client, not a stub


def test_a_handle_matches_only_on_its_platform_and_only_in_its_practice(
    practice: Any, charlie: Any
) -> None:
    ours = actions.do_add_client(
        practice, first_name="Ida", last_name="Insta", handles={"instagram": "ida.b"}
    )
    theirs = actions.do_add_client(
        charlie.practice, first_name="Ida", last_name="Elsewhere", handles={"instagram": "ida.b"}
    )
    found = find_clients(
        [
            (practice, _from("@ida.b", Channel.SOCIAL_DM, "instagram")),
            (practice, _from("ida.b", Channel.SOCIAL_DM, "facebook")),
            (charlie.practice, _from("ida.b", Channel.SOCIAL_DM, "instagram")),
        ]
    )
    assert [client.pk if client else None for client in found] == [ours.pk, None, theirs.pk]


def test_the_current_agreement_is_the_newest_version_for_each_client(practice: Any) -> None:
    one = actions.do_add_client(practice, first_name="One", last_name="A")
    two = actions.do_add_client(practice, first_name="Two", last_name="B")
    actions.do_set_agreement(one, channels=["email", "phone"])
    newest = actions.do_set_agreement(one, channels=["phone"], reminder_detail="standard")
    only = actions.do_set_agreement(two, channels=["email"])
    three = actions.do_add_client(practice, first_name="Three", last_name="C")
    current = current_agreements([one.pk, two.pk, three.pk])
    assert current == {one.pk: newest, two.pk: only}
    assert current[one.pk].channels == ["phone"]
    assert current_agreements([]) == {}


def test_the_next_appointment_skips_past_and_cancelled_ones_across_time_zones(
    practice: Any,
) -> None:
    client = actions.do_add_client(practice, first_name="Tz", last_name="Client")
    other = actions.do_add_client(practice, first_name="No", last_name="Sessions")
    now = timezone.now()
    actions.do_add_appointment(client, starts_at=now - dt.timedelta(minutes=1), uid="gone")
    cancelled = actions.do_add_appointment(client, starts_at=now + dt.timedelta(minutes=5), uid="c")
    Appointment.objects.filter(pk=cancelled.pk).update(cancelled=True)
    # Given in New York time: stored as UTC, compared as the same instant.
    soon = (now + dt.timedelta(minutes=30)).astimezone(ZoneInfo("America/New_York"))
    nearest = actions.do_add_appointment(client, starts_at=soon, uid="soon")
    actions.do_add_appointment(client, starts_at=now + dt.timedelta(days=3), uid="later")
    assert next_appointments([client.pk, other.pk], now) == {client.pk: nearest}
    # From a moment after it started, the next one is three days on.
    later = next_appointments([client.pk], now + dt.timedelta(hours=1))
    assert later[client.pk].uid == "later"
    assert next_appointments([]) == {}
