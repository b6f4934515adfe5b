"""The therapist's client screens: add, edit, archive, import, the client's page with its
phones, emergency contact and Reply, the agreement, and marking agenda items discussed.

Real requests through Django's test client, signed in with password and TOTP; every
change must leave its audit row, and another practice's therapist gets a 404.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.test import override_settings

from boundaries import clock
from boundaries.audit.models import AuditEntry
from boundaries.data_rights.erasure import do_erase_client
from boundaries.inbox.models import Message
from boundaries.portal.actions import do_issue_magic_link
from boundaries.portal.models import SecureMessage
from boundaries.practices import actions
from boundaries.practices.emergency import EmergencyContact, emergency_contact_of
from boundaries.practices.models import AgendaItem, Client, ClientContact, CommunicationAgreement
from tests.channels.smtp_helpers import recorder
from tests.web.signin import sign_in

pytestmark = pytest.mark.django_db

SAM = EmergencyContact(name="Sam Brookfield", phone="0161 496 0456", relationship="partner")


@pytest.fixture
def as_alice(alice: Any) -> HttpClient:
    http = HttpClient()
    sign_in(http, alice.user)
    return http


@pytest.fixture
def as_bob(bob: Any) -> HttpClient:
    http = HttpClient()
    sign_in(http, bob.user)
    return http


@pytest.fixture
def as_charlie(charlie: Any) -> HttpClient:
    http = HttpClient()
    sign_in(http, charlie.user)
    return http


@pytest.fixture
def rowan(practice: Any, alice: Any) -> Client:
    client = actions.do_add_client(
        practice,
        first_name="Rowan",
        last_name="Ashby",
        therapist=alice,
        emails=["Rowan@Example.org"],
        phones=["0161 496 0123"],
        emergency=SAM,
    )
    actions.do_set_agreement(client, channels=["portal", "email"])
    return client


def audited(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def test_it_adds_a_client_with_normalised_contacts_and_an_emergency_contact(
    as_alice: HttpClient, alice: Any
) -> None:
    response = as_alice.post(
        "/dashboard/clients/new/",
        {
            "first_name": "Ana",
            "last_name": "Adebayo",
            "nicknames": "Annie",
            "status": "prospective",
            "country": "gb",
            "therapist": alice.pk,
            "emails": "Ana@Example.ORG\n",
            "phones": "0161 496 0789\n+1 202 555 0143",
            "handles": "instagram:@Ana.A",
            "emergency_name": "Sam Brookfield",
            "emergency_phone": "0161 496 0456",
            "emergency_relationship": "partner",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    client = Client.objects.get(first_name="Ana")
    assert response["Location"] == f"/dashboard/clients/{client.pk}/"
    assert (client.status, client.country, client.therapist_id) == ("prospective", "GB", alice.pk)
    assert client.nicknames == ["Annie"]
    assert sorted(client.contacts.values_list("kind", "platform", "value")) == [
        ("email", "", "ana@example.org"),
        ("handle", "instagram", "ana.a"),
        ("phone", "", "+12025550143"),
        ("phone", "", "+441614960789"),
    ]
    assert emergency_contact_of(client) == EmergencyContact(
        "Sam Brookfield", "+441614960456", "partner"
    )
    [entry] = audited("client.add")
    assert entry.actor_label == "alice" and entry.details["emergency_contact"] is True


def test_it_shows_why_a_client_was_not_added_and_adds_nothing(
    as_alice: HttpClient, alice: Any
) -> None:
    response = as_alice.post(
        "/dashboard/clients/new/",
        {
            "first_name": "Ana",
            "last_name": "A",
            "status": "present",
            "country": "GB",
            "phones": "12345",
            "therapist": alice.pk,
        },
    )
    assert response.status_code == 200
    assert b"not a valid phone number for region GB" in response.content
    assert not Client.objects.exists()


def test_a_therapist_who_sees_only_their_clients_adds_their_own(
    as_bob: HttpClient, bob: Any
) -> None:
    form = as_bob.get("/dashboard/clients/new/").content.decode()
    assert 'name="therapist"' not in form
    as_bob.post(
        "/dashboard/clients/new/",
        {"first_name": "Ben", "last_name": "B", "status": "present", "country": "GB"},
    )
    assert Client.objects.get(first_name="Ben").therapist_id == bob.pk


def test_it_edits_a_client_and_audits_which_fields_changed_never_their_values(
    as_alice: HttpClient, rowan: Client, alice: Any
) -> None:
    form = as_alice.get(f"/dashboard/clients/{rowan.pk}/edit/").content.decode()
    assert "rowan@example.org" in form and "+44 161 496 0123" in form
    response = as_alice.post(
        f"/dashboard/clients/{rowan.pk}/edit/",
        {
            "first_name": "Rowan",
            "last_name": "Ashby-Hale",
            "status": "present",
            "country": "GB",
            "therapist": alice.pk,
            "emails": "rowan@example.org",
            "phones": "+44 161 496 0999",
        },
    )
    assert response.status_code == 302
    rowan.refresh_from_db()
    assert rowan.last_name == "Ashby-Hale"
    assert list(rowan.contacts.filter(kind="phone").values_list("value", flat=True)) == [
        "+441614960999"
    ]
    [entry] = audited("client.update")
    assert entry.details == {"changed": ["last_name", "contacts"], "contacts": 2}
    assert "Hale" not in json.dumps(entry.details)
    assert "960999" not in json.dumps(entry.details)


def test_it_archives_a_client_as_past_and_restores_them(
    as_alice: HttpClient, rowan: Client
) -> None:
    url = f"/dashboard/clients/{rowan.pk}/status/"
    assert as_alice.post(url, {"status": "past"}).status_code == 302
    rowan.refresh_from_db()
    assert rowan.status == "past"
    link = f'href="/dashboard/clients/{rowan.pk}/"'.encode()
    assert link not in as_alice.get("/dashboard/clients/").content
    assert link in as_alice.get("/dashboard/clients/?list=past").content
    found = as_alice.get("/dashboard/clients/?q=ashby").content  # a search sees archived ones
    assert link in found
    assert link not in as_alice.get("/dashboard/clients/?q=nobody").content
    assert "ashby" not in json.dumps([e.details for e in audited("client.listed")])
    assert as_alice.post(url, {"status": "present"}).status_code == 302
    rowan.refresh_from_db()
    assert rowan.status == "present"
    assert [e.details for e in audited("client.status")] == [
        {"from": "present", "to": "past"},
        {"from": "past", "to": "present"},
    ]
    assert as_alice.post(url, {"status": "gone"}).status_code == 400
    assert as_alice.get(url).status_code == 405


def test_the_client_page_shows_what_a_therapist_needs_in_one_place(
    as_alice: HttpClient, rowan: Client, practice: Any
) -> None:
    actions.do_add_appointment(rowan, starts_at=clock.now() + dt.timedelta(days=2))
    actions.do_add_agenda_item(rowan, kind="online_life", source="portal", note="a follow")
    Message.objects.create(
        practice=practice,
        channel="sms",
        client=rowan,
        sender_status="present_client",
        content_hash="a" * 64,
        received_at=clock.now(),
        sealed=b"",
        risk="none",
    )
    page = as_alice.get(f"/dashboard/clients/{rowan.pk}/").content.decode()
    assert 'href="tel:+441614960123"' in page
    assert "Version 1" in page and "email, portal" in page
    assert "Something from the client&#x27;s online life" in page and "a follow" in page
    assert "Next appointment" in page and "None booked" not in page
    assert "Messages received" in page and "sms" in page
    # Emergency contact: one tap away, never on the page itself.
    assert f'href="/dashboard/clients/{rowan.pk}/emergency-contact/"' in page
    assert "Brookfield" not in page
    for name in ("channel", "subject", "text", "reason"):
        assert f'name="{name}"' in page
    [entry] = audited("client.viewed")
    assert entry.object_id == str(rowan.pk) and entry.actor_label == "alice"


def test_an_erased_clients_page_says_so_and_offers_no_reply_or_edit(
    as_alice: HttpClient, rowan: Client, alice: Any
) -> None:
    do_erase_client(rowan, actor_label="test", reason="client asked")
    page = as_alice.get(f"/dashboard/clients/{rowan.pk}/").content.decode()
    assert "This client was erased" in page
    assert 'name="text"' not in page and "tel:" not in page
    edit = as_alice.post(
        f"/dashboard/clients/{rowan.pk}/edit/",
        {
            "first_name": "R",
            "last_name": "A",
            "status": "present",
            "country": "GB",
            "therapist": alice.pk,
        },
    )
    assert b"was erased" in edit.content
    assert (
        as_alice.post(f"/dashboard/clients/{rowan.pk}/status/", {"status": "present"}).status_code
        == 400
    )


def test_opening_the_emergency_contact_is_audited_and_its_number_is_a_tel_link(
    as_alice: HttpClient, rowan: Client
) -> None:
    page = as_alice.get(f"/dashboard/clients/{rowan.pk}/emergency-contact/").content.decode()
    assert "Sam Brookfield" in page and 'href="tel:+441614960456"' in page
    [entry] = audited("client.emergency_contact_viewed")
    assert entry.details == {"recorded": True}
    url = f"/dashboard/clients/{rowan.pk}/emergency-contact/"
    response = as_alice.post(
        url, {"emergency_name": "Jo Ashby", "emergency_phone": "+1 202 555 0143"}
    )
    assert response.status_code == 302
    assert emergency_contact_of(Client.objects.get(pk=rowan.pk)) == EmergencyContact(
        "Jo Ashby", "+12025550143", ""
    )
    bad = as_alice.post(url, {"emergency_name": "Jo", "emergency_phone": "12"})
    assert b"not a valid phone number" in bad.content
    assert as_alice.post(url, {"remove": "on"}).status_code == 302
    assert emergency_contact_of(Client.objects.get(pk=rowan.pk)) is None
    assert [e.details["recorded"] for e in audited("client.emergency_contact")] == [True, False]


def test_a_reply_goes_through_the_guard_before_it_is_sent(
    as_alice: HttpClient, rowan: Client
) -> None:
    url = f"/dashboard/clients/{rowan.pk}/reply/"
    review = "Thanks for today! Would you mind leaving me a review on Google?"
    refused = as_alice.post(url, {"channel": "portal", "text": review})
    assert refused.status_code == 400
    assert b"no-endorsements" in refused.content
    assert not SecureMessage.objects.exists()
    response = as_alice.post(url, {"channel": "portal", "text": "See you on Thursday at 3."})
    assert response.status_code == 302
    [sent] = SecureMessage.objects.all()
    assert sent.client_id == rowan.pk and sent.direction == "to_client"
    # Not agreed: the guard stops a text message to a client who agreed to portal and email.
    stopped = as_alice.post(url, {"channel": "sms", "text": "See you on Thursday at 3."})
    assert stopped.status_code == 400
    assert SecureMessage.objects.count() == 1


def test_a_reply_by_email_reaches_a_real_smtp_server_and_is_audited(
    as_alice: HttpClient, rowan: Client
) -> None:
    with (
        recorder() as (port, peer),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ),
    ):
        response = as_alice.post(
            f"/dashboard/clients/{rowan.pk}/reply/",
            {"channel": "email", "subject": "Thursday", "text": "See you on Thursday at 3."},
        )
    assert response.status_code == 302
    [(_, recipients, data)] = peer.messages
    assert recipients == ["rowan@example.org"]
    assert b"See you on Thursday at 3." in data
    [entry] = audited("outbound.email")
    assert entry.object_id == str(rowan.pk) and entry.actor_label == "alice"


def test_it_records_each_agreement_change_as_a_new_audited_version(
    as_alice: HttpClient, rowan: Client
) -> None:
    url = f"/dashboard/clients/{rowan.pk}/agreement/"
    form = as_alice.get(url).content.decode()
    assert 'value="email"' in form and "checked" in form
    missing = as_alice.post(
        url,
        {
            "channels": ["portal", "email"],
            "reminder_detail": "full",
            "session_content_by_email": "on",
        },
    )
    assert missing.status_code == 400
    assert b"needs the date it was agreed" in missing.content
    response = as_alice.post(
        url,
        {
            "channels": ["portal", "email", "sms"],
            "reminder_detail": "full",
            "session_content_by_email": "on",
            "session_content_agreed_on": "2026-11-30",
            "session_content_terms": "Homework sheets only, no clinical notes.",
            "note": "agreed in session",
        },
    )
    assert response.status_code == 302
    current = Client.objects.get(pk=rowan.pk).current_agreement()
    assert current is not None
    assert (current.version, current.channels, current.reminder_detail) == (
        2,
        ["email", "portal", "sms"],
        "full",
    )
    assert current.session_content_agreed_on == dt.date(2026, 11, 30)
    assert CommunicationAgreement.objects.filter(client=rowan).count() == 2
    entry = audited("agreement.set")[-1]
    assert entry.actor_label == "alice" and entry.details["version"] == 2
    assert rowan.agenda_items.filter(kind="communication", source="agreement").exists()
    assert audited("agreement.viewed")


def test_the_agreement_form_records_and_keeps_the_reminder_preferences(
    as_alice: HttpClient, rowan: Client
) -> None:
    url = f"/dashboard/clients/{rowan.pk}/agreement/"
    chosen = {
        "channels": ["portal", "sms"],
        "reminder_detail": "discreet",
        "reminder_channel": "sms",
        "reminder_times": "48h, 2h",
    }
    bad = as_alice.post(url, {**chosen, "reminder_times": "tomorrow"})
    assert bad.status_code == 400
    assert b"a reminder time looks like 48h" in bad.content
    unagreed = as_alice.post(url, {**chosen, "reminder_channel": "email"})
    assert unagreed.status_code == 400
    assert as_alice.post(url, chosen).status_code == 302
    current = Client.objects.get(pk=rowan.pk).current_agreement()
    assert current is not None
    assert (current.reminder_channel, current.reminder_offsets) == ("sms", [2880, 120])
    # The form shows them again, so saving another change keeps them.
    page = as_alice.get(url).content.decode()
    assert 'value="48h, 2h"' in page
    assert as_alice.post(url, {**chosen, "channels": ["portal", "sms", "email"]}).status_code == 302
    current = Client.objects.get(pk=rowan.pk).current_agreement()
    assert current is not None
    assert (current.reminder_channel, current.reminder_offsets) == ("sms", [2880, 120])
    # No reminders: none are kept.
    assert as_alice.post(url, {**chosen, "reminder_channel": ""}).status_code == 302
    current = Client.objects.get(pk=rowan.pk).current_agreement()
    assert current is not None
    assert (current.reminder_channel, current.reminder_offsets) == ("", [])


def test_it_marks_an_agenda_item_discussed_with_a_note(
    as_alice: HttpClient, rowan: Client, practice: Any
) -> None:
    item = actions.do_add_agenda_item(rowan, kind="policy_question", source="portal")
    page = as_alice.get(f"/dashboard/clients/{rowan.pk}/next-session/").content.decode()
    assert "Question about the policy" in page
    url = f"/dashboard/clients/{rowan.pk}/agenda/{item.pk}/discussed/"
    response = as_alice.post(url, {"note": "went through clause 3"})
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/clients/{rowan.pk}/next-session/"
    item.refresh_from_db()
    assert item.discussed_at is not None and item.discussed_note == "went through clause 3"
    [entry] = audited("agenda.discussed")
    assert entry.actor_label == "alice" and entry.object_id == str(item.pk)
    assert entry.details == {"client": rowan.pk, "note": True}
    assert as_alice.post(url).status_code == 409
    # From the list of every client's next session, it goes back there.
    other = actions.do_add_agenda_item(rowan, kind="other", source="therapist")
    back = as_alice.post(
        f"/dashboard/clients/{rowan.pk}/agenda/{other.pk}/discussed/",
        {"next": "/dashboard/next-sessions/"},
    )
    assert back["Location"] == "/dashboard/next-sessions/"
    evil = actions.do_add_agenda_item(rowan, kind="other", source="therapist")
    away = as_alice.post(
        f"/dashboard/clients/{rowan.pk}/agenda/{evil.pk}/discussed/",
        {"next": "https://elsewhere.example/"},
    )
    assert away["Location"] == f"/dashboard/clients/{rowan.pk}/next-session/"
    assert AgendaItem.objects.filter(discussed_at__isnull=True).count() == 0


def test_an_agenda_item_of_another_client_is_not_found(
    as_alice: HttpClient, rowan: Client, practice: Any
) -> None:
    other = actions.do_add_client(practice, first_name="Ola", last_name="O")
    item = actions.do_add_agenda_item(other, kind="other", source="therapist")
    url = f"/dashboard/clients/{rowan.pk}/agenda/{item.pk}/discussed/"
    assert as_alice.post(url).status_code == 404
    item.refresh_from_db()
    assert item.discussed_at is None


CSV = (
    "first_name,last_name,email,phone,status,country,handles\n"
    "Ana,Adebayo,ana@example.org,0161 496 0789,present,GB,instagram:@ana\n"
    ",NoFirst,x@example.org,,present,GB,\n"
    "Ben,Brook,not-an-email,,present,GB,\n"
    "Cai,Cole,,+1 202 555 0143,prospective,US,\n"
    "Dee,Day,,,someday,GB,\n"
)


def test_it_imports_a_csv_in_the_browser_and_reports_every_row(
    as_alice: HttpClient, alice: Any
) -> None:
    upload = SimpleUploadedFile("clients.csv", CSV.encode(), content_type="text/csv")
    response = as_alice.post("/dashboard/clients/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 added, 3 skipped" in page
    assert "Line 3: <span" in page and "a client needs a first and a last name" in page
    assert "Line 4:" in page and "not an email address" in page
    assert "Line 6:" in page and "status must be one of" in page
    assert sorted(Client.objects.values_list("first_name", flat=True)) == ["Ana", "Cai"]
    assert set(Client.objects.values_list("therapist_id", flat=True)) == {alice.pk}
    assert Client.objects.get(first_name="Cai").status == "prospective"
    assert ClientContact.objects.get(kind="phone", client__first_name="Ana").value == (
        "+441614960789"
    )
    assert len(audited("client.add")) == 2
    [summary] = audited("client.import")
    assert summary.details == {"rows": 5, "added": 2, "skipped": 3}
    assert summary.actor_label == "alice"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"first_name,last_name\n", "no rows"),
        (b"name,email\nAna,a@example.org\n", "missing column(s) first_name, last_name"),
        (b'first_name,last_name\n"Ana,A\n', "not readable as CSV"),
    ],
)
def test_it_refuses_an_unusable_csv_file_with_a_reason(
    as_alice: HttpClient, content: bytes, says: str
) -> None:
    upload = SimpleUploadedFile("clients.csv", content, content_type="text/csv")
    response = as_alice.post("/dashboard/clients/import/", {"file": upload})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Client.objects.exists()


def test_another_practices_therapist_finds_none_of_these_pages(
    as_charlie: HttpClient, as_bob: HttpClient, rowan: Client
) -> None:
    item = actions.do_add_agenda_item(rowan, kind="other", source="therapist")
    base = f"/dashboard/clients/{rowan.pk}"
    gets = ["/", "/edit/", "/emergency-contact/", "/agreement/", "/next-session/"]
    posts = {
        "/edit/": {"first_name": "X", "last_name": "Y", "status": "past", "country": "GB"},
        "/status/": {"status": "past"},
        "/emergency-contact/": {"remove": "on"},
        "/reply/": {"channel": "portal", "text": "hello"},
        "/agreement/": {"channels": ["sms"], "reminder_detail": "full"},
        f"/agenda/{item.pk}/discussed/": {"note": ""},
    }
    for http in (as_charlie, as_bob):  # Bob is in the practice but Rowan is Alice's client
        for path in gets:
            assert http.get(base + path).status_code == 404, path
        for path, data in posts.items():
            assert http.post(base + path, data).status_code == 404, path
    rowan.refresh_from_db()
    item.refresh_from_db()
    assert rowan.status == "present" and item.discussed_at is None
    assert emergency_contact_of(rowan) is not None
    assert not SecureMessage.objects.exists()
    assert Client.objects.get(pk=rowan.pk).current_agreement().version == 1  # type: ignore[union-attr]
    assert not audited("client.emergency_contact_viewed")
    assert b"Rowan" not in as_charlie.get("/dashboard/clients/").content


def test_the_client_sees_their_current_agreement_in_the_portal(
    as_alice: HttpClient, rowan: Client
) -> None:
    as_alice.post(
        f"/dashboard/clients/{rowan.pk}/agreement/",
        {
            "channels": ["portal", "email"],
            "reminder_detail": "discreet",
            "session_content_by_email": "on",
            "session_content_agreed_on": "2026-11-30",
            "session_content_terms": "Homework sheets only.",
        },
    )
    portal = HttpClient()
    assert portal.post(f"/portal/signin/{do_issue_magic_link(rowan)}/").status_code == 302
    page = portal.get("/portal/preferences/").content.decode()
    assert "What you have agreed with Alder Tree Counselling" in page
    assert "email, portal" in page
    assert "discreet" in page
    assert "agreed on 30 November 2026" in page and "Homework sheets only." in page
    assert "Version 2" in page
