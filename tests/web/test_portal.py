"""The client portal: sign-in links, secure messages (triaged), preferences, acknowledgement."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient

from boundaries import clock
from boundaries.inbox.models import Alert, Message
from boundaries.portal.actions import do_issue_magic_link, do_publish_policy, message_text
from boundaries.portal.models import SecureMessage
from boundaries.practices.models import AgendaItem, PolicyAcknowledgement
from tests.channels.conftest import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reset_clock() -> Iterator[None]:
    clock.reset()
    yield
    clock.reset()


@pytest.fixture
def rowan(demo_practice: Any) -> Any:
    return demo_practice.clients.get(first_name="Amara")  # email, sms, phone, portal agreed


def signed_in(client: Any) -> HttpClient:
    http = HttpClient()
    token = do_issue_magic_link(client)
    assert http.get(f"/portal/signin/{token}/").status_code == 200  # a preview does not spend it
    assert http.post(f"/portal/signin/{token}/").status_code == 302
    return http


def test_it_signs_a_client_in_with_a_link_only_once(rowan: Any) -> None:
    token = do_issue_magic_link(rowan)
    first, second = HttpClient(), HttpClient()
    assert first.post(f"/portal/signin/{token}/").status_code == 302
    assert first.get("/portal/").status_code == 200
    response = second.post(f"/portal/signin/{token}/")
    assert response.status_code == 400
    assert "already been used" in response.content.decode()
    assert second.get("/portal/").status_code == 403


def test_it_refuses_a_link_after_15_minutes(rowan: Any) -> None:
    token = do_issue_magic_link(rowan)
    clock.travel(dt.timedelta(minutes=15, seconds=1))
    response = HttpClient().post(f"/portal/signin/{token}/")
    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_it_refuses_a_made_up_link(rowan: Any) -> None:
    assert HttpClient().post("/portal/signin/not-a-real-token/").status_code == 400


def test_it_triages_a_portal_message_and_alerts_on_a_crisis(rowan: Any) -> None:
    http = signed_in(rowan)
    http.post(
        "/portal/send/", {"text": "I can't keep going. I've decided to end my life this weekend."}
    )
    secure = SecureMessage.objects.get()
    assert b"end my life" not in bytes(secure.sealed)
    assert secure.inbox_message is not None and secure.inbox_message.crisis
    assert secure.inbox_message.client == rowan
    assert Alert.objects.filter(message=secure.inbox_message).count() == 1


def test_each_portal_message_is_triaged_even_when_its_words_were_sent_before(
    rowan: Any,
) -> None:
    # Two sends are two messages, whatever they say: the second crisis is alerted too.
    http = signed_in(rowan)
    for _ in range(2):
        http.post("/portal/send/", {"text": "I've decided to end my life this weekend."})
    first, second = SecureMessage.objects.order_by("id")
    assert first.inbox_message is not None and second.inbox_message is not None
    assert first.inbox_message != second.inbox_message
    assert Alert.objects.count() == 2


def test_it_notifies_a_client_of_a_secure_message_without_its_content(
    rowan: Any, demo_practice: Any
) -> None:
    from boundaries.portal.actions import do_send_to_client

    do_send_to_client(rowan, "Here are the breathing exercises we talked about.", actor=None)
    run_worker()
    (notice,) = [m for m in mail.outbox if m.to == ["amara.okafor@example.org"]]
    assert "new secure message" in notice.body
    assert "breathing" not in notice.body and "breathing" not in notice.subject
    page = signed_in(rowan).get("/portal/").content.decode()
    assert "breathing exercises" in page


def test_it_saves_preferences_as_a_new_agreement_version_on_the_agenda(rowan: Any) -> None:
    before = rowan.agreements.count()
    http = signed_in(rowan)
    response = http.post(
        "/portal/preferences/", {"channels": ["phone", "portal"], "discreet": "on"}
    )
    assert response.status_code == 200
    assert rowan.agreements.count() == before + 1
    assert rowan.current_agreement().channels == ["phone", "portal"]
    assert rowan.agenda_items.filter(
        kind=AgendaItem.Kind.COMMUNICATION, source="agreement"
    ).exists()


def test_it_adds_a_policy_question_to_the_next_session(rowan: Any) -> None:
    signed_in(rowan).post("/portal/agenda/", {"kind": "policy_question", "note": "about reviews"})
    item = rowan.agenda_items.get(kind=AgendaItem.Kind.POLICY_QUESTION)
    assert item.source == AgendaItem.Source.PORTAL


def test_it_asks_for_and_records_acknowledgement_of_a_new_version(
    rowan: Any, demo_practice: Any
) -> None:
    from boundaries.demo import demo_policy_source

    changed = demo_policy_source().replace("Riverside Talking Therapy", "Riverside Therapy", 1)
    do_publish_policy(demo_practice, source=changed, summary="Shorter name")
    run_worker()
    notices = [m for m in mail.outbox if m.subject == "Our communications policy has changed"]
    # Five present demo clients agreed to email; the others are asked in the portal only
    # (Dev agreed to SMS only, and Twilio is not configured here: his notice fails alone).
    assert len(notices) == 5
    assert all("Riverside" in m.body and "session" not in m.body for m in notices)
    http = signed_in(rowan)
    assert "I have read version 2" in http.get("/portal/").content.decode()
    http.post("/portal/acknowledge/", {"version": "2"})
    assert PolicyAcknowledgement.objects.filter(client=rowan, version__number=2).exists()
    assert "I have read version 2" not in http.get("/portal/").content.decode()


def test_it_shows_a_client_only_their_own_messages(rowan: Any, demo_practice: Any) -> None:
    other = demo_practice.clients.get(first_name="Chloé")
    signed_in(other).post("/portal/send/", {"text": "Message from Chloé about her week"})
    page = signed_in(rowan).get("/portal/").content.decode()
    assert "Chloé about her week" not in page
    assert Message.objects.filter(client=other).count() == 1
    assert message_text(SecureMessage.objects.get()) == "Message from Chloé about her week"


def test_it_keeps_therapist_pages_closed_to_clients(rowan: Any) -> None:
    http = signed_in(rowan)
    assert http.get("/dashboard/").status_code in {302, 404}
    assert http.get(f"/dashboard/clients/{rowan.pk}/").status_code in {302, 404}
    assert not re.search(r"Riverside", http.get("/dashboard/clients/").content.decode() or "")
