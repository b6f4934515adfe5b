"""Practices, clients and agreements change only through actions, with audit entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from boundaries.audit.models import AuditEntry
from boundaries.portal.actions import do_publish_policy
from boundaries.practices import actions
from boundaries.practices.access import get_client_for
from boundaries.practices.models import AgendaItem, ClientContact, ImmutableError


def add_client(practice: Any, therapist: Any = None, **kwargs: Any) -> Any:
    values: dict[str, Any] = {"first_name": "Rowan", "last_name": "Ashby"} | kwargs
    return actions.do_add_client(practice, therapist=therapist, **values)


def test_it_normalises_client_phone_numbers_to_e164(practice: Any) -> None:
    client = add_client(practice, phones=["0161 496 0123"], emails=[" Rowan@Example.ORG "])
    values = set(client.contacts.values_list("kind", "value"))
    assert (ClientContact.Kind.PHONE, "+441614960123") in values
    assert (ClientContact.Kind.EMAIL, "rowan@example.org") in values


def test_it_refuses_a_phone_number_that_is_not_valid_and_saves_nothing(practice: Any) -> None:
    with pytest.raises(actions.ActionError, match="not a valid phone number"):
        add_client(practice, phones=["12345"])
    assert practice.clients.count() == 0


def test_it_keeps_every_agreement_version_and_never_overwrites(practice: Any) -> None:
    client = add_client(practice)
    first = actions.do_set_agreement(client, channels=["email", "phone"])
    second = actions.do_set_agreement(client, channels=["phone"], reminder_detail="standard")
    assert [a.version for a in client.agreements.order_by("version")] == [1, 2]
    first.refresh_from_db()
    assert first.channels == ["email", "phone"]
    assert client.current_agreement() == second
    with pytest.raises(ImmutableError):
        first.note = "edited"
        first.save()
    with pytest.raises(ImmutableError):
        first.delete()


def test_it_puts_discuss_communication_arrangements_on_the_agenda_when_an_agreement_changes(
    practice: Any,
) -> None:
    client = add_client(practice)
    actions.do_set_agreement(client, channels=["email", "sms"])
    assert client.agenda_items.count() == 0  # the first agreement is made together at intake
    actions.do_set_agreement(client, channels=["phone"])
    item = client.agenda_items.get()
    assert item.kind == AgendaItem.Kind.COMMUNICATION


def test_it_attaches_agenda_items_to_the_next_appointment(practice: Any) -> None:
    client = add_client(practice)
    soon = timezone.now() + dt.timedelta(days=2)
    later = soon + dt.timedelta(days=7)
    actions.do_add_appointment(client, starts_at=later, uid="later")
    nearest = actions.do_add_appointment(client, starts_at=soon, uid="soon")
    item = actions.do_add_agenda_item(client, kind="policy_question", source="portal")
    assert item.appointment == nearest


def test_it_requires_date_and_terms_for_session_content_by_email(practice: Any) -> None:
    client = add_client(practice)
    with pytest.raises(actions.ActionError, match="date it was agreed"):
        actions.do_set_agreement(client, channels=["email"], session_content_by_email=True)
    with pytest.raises(actions.ActionError, match="email among the agreed channels"):
        actions.do_set_agreement(
            client,
            channels=["phone"],
            session_content_by_email=True,
            session_content_agreed_on=dt.date(2026, 11, 1),
            session_content_terms="short updates",
        )
    assert client.agreements.count() == 0


@pytest.mark.parametrize("slug", ["Bad Slug!", "!!!", "UPPER", "a" * 61])
def test_it_refuses_a_practice_address_name_that_is_not_a_slug(db: Any, slug: str) -> None:
    with pytest.raises(actions.ActionError, match="lower-case letters, digits and hyphens"):
        actions.do_create_practice(name="Harbour Light", country="GB", slug=slug)


def test_it_refuses_a_practice_name_with_nothing_to_make_an_address_of(db: Any) -> None:
    with pytest.raises(actions.ActionError, match="an address name"):
        actions.do_create_practice(name="!!!", country="GB")


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd"])
def test_it_refuses_a_timezone_that_is_not_an_iana_name(db: Any, name: str) -> None:
    with pytest.raises(actions.ActionError, match="timezone must be an IANA name"):
        actions.do_create_practice(name="Harbour Light", country="GB", timezone_name=name)


def test_it_rejects_unknown_channels(practice: Any) -> None:
    client = add_client(practice)
    with pytest.raises(actions.ActionError, match="channels must be among"):
        actions.do_set_agreement(client, channels=["carrier pigeon"])


def test_it_writes_an_audit_entry_with_every_change_and_no_content(practice: Any) -> None:
    client = add_client(practice, emails=["rowan@example.org"])
    actions.do_set_agreement(client, channels=["email"])
    entries = list(AuditEntry.objects.filter(practice=practice).values_list("action", flat=True))
    assert entries == ["practice.create", "client.add", "agreement.set"]
    dumped = str(list(AuditEntry.objects.values("details", "reason")))
    assert "rowan@example.org" not in dumped
    assert "Ashby" not in dumped


def test_it_never_lets_audit_entries_be_edited_or_deleted(practice: Any) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_it_shows_an_owner_every_client_and_a_therapist_only_their_own(
    practice: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    alices = add_client(practice, therapist=alice)
    bobs = add_client(practice, therapist=bob, first_name="Sky")
    assert get_client_for(alice.user, bobs.pk) == bobs
    assert get_client_for(bob.user, bobs.pk) == bobs
    with pytest.raises(Http404):
        get_client_for(bob.user, alices.pk)
    with pytest.raises(Http404):
        get_client_for(charlie.user, alices.pk)


def test_it_numbers_policy_versions_and_refuses_an_unchanged_one(demo_practice: Any) -> None:
    from boundaries.demo import demo_policy_source

    current = demo_practice.current_policy()
    assert current.number == 1
    with pytest.raises(actions.ActionError, match="nothing changed"):
        do_publish_policy(demo_practice, source=demo_policy_source(), summary="again")
    changed = demo_policy_source().replace("Riverside Talking Therapy", "Riverside Therapy", 1)
    version = do_publish_policy(demo_practice, source=changed, summary="New name")
    assert version.number == 2
    assert version.content_hash != current.content_hash


def test_it_loads_a_demo_practice_of_a_dozen_clients_with_agreements(demo_practice: Any) -> None:
    clients = list(demo_practice.clients.all())
    assert len(clients) == 12
    assert all(client.current_agreement() is not None for client in clients)
    assert demo_practice.current_policy() is not None


def test_reminder_settings_carry_over_unless_changed_or_their_channel_is_dropped(
    practice: Any,
) -> None:
    from boundaries.portal.actions import do_set_preferences

    client = add_client(practice)
    first = actions.do_set_agreement(client, channels=["email", "phone"])
    assert (first.reminder_channel, first.reminder_detail) == ("", "discreet")
    actions.do_set_reminders(client, channel="email", offsets=[1440], detail="minimal")
    kept = actions.do_set_agreement(client, channels=["email", "phone", "portal"])
    assert (kept.reminder_channel, kept.reminder_offsets, kept.reminder_detail) == (
        "email", [1440], "minimal",
    )  # fmt: skip
    in_portal = do_set_preferences(client, channels=["email", "portal"], discreet=True)
    assert (in_portal.reminder_channel, in_portal.reminder_detail) == ("email", "minimal")
    dropped = actions.do_set_agreement(client, channels=["phone", "portal"])
    assert dropped.reminder_channel == ""
    assert AuditEntry.objects.filter(action="agreement.set").count() == 5


FOUR = [60, 90, 120, 180]


@pytest.mark.parametrize(
    ("terms", "says"),
    [
        ({"channels": ["phone"], "reminder_channel": "phone"}, "reminders go by"),
        ({"channels": ["email"], "reminder_channel": "sms"}, "need sms among"),
        ({"channels": ["sms"], "reminder_channel": "sms", "reminder_offsets": [5]}, "between"),
        ({"channels": ["sms"], "reminder_detail": "loud"}, "full, discreet or minimal"),
        ({"channels": ["sms"], "reminder_channel": "sms", "reminder_offsets": FOUR}, "three"),
    ],
)
def test_it_refuses_reminders_it_cannot_send(practice: Any, terms: Any, says: str) -> None:
    with pytest.raises(actions.ActionError, match=says):
        actions.do_set_agreement(add_client(practice), **terms)
