"""The therapist's side of risk levels: a "Review today" list for concerns, and one screen to
act on an urgent message and say whether it was urgent (docs/risk-levels.md)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client as HttpClient

from boundaries.audit.models import AuditEntry
from boundaries.inbox.actions import do_ingest
from boundaries.inbox.models import Alert, Review
from boundaries.practices import actions
from boundaries.practices.emergency import EmergencyContact
from tests.tenancy.conftest import email_arrival
from tests.web.signin import reauthenticate, sign_in

pytestmark = pytest.mark.django_db

URGENT_TEXT = "I'm going to kill myself tonight"
CONCERN_TEXT = "I keep thinking about ending it all"
ORDINARY_TEXT = "Could we move Thursday to 4pm?"


@pytest.fixture
def rowan(practice: Any, alice: Any) -> Any:
    client = actions.do_add_client(
        practice,
        first_name="Rowan",
        last_name="Ashby",
        therapist=alice,
        emails=["rowan@example.org"],
        phones=["0161 496 0123"],
        emergency=EmergencyContact("Sam Brookfield", "0161 496 0456", "partner"),
    )
    actions.do_set_agreement(client, channels=["email", "phone", "portal"])
    return client


def arrive(practice: Any, text: str, number: int, sender: str = "rowan@example.org") -> Any:
    return do_ingest(practice, email_arrival(sender, text, number)).message


def signed_in(user: Any, *, confirmed: bool = False) -> HttpClient:
    http = HttpClient()
    sign_in(http, user)
    if confirmed:
        reauthenticate(http, user)
    return http


def section(page: str, section_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', page, re.S)
    assert match, section_id
    return match.group(0)


# ---------------------------------------------------------------------------- review today


def test_it_lists_a_concern_under_review_today_and_hides_it_once_reviewed(
    practice: Any, alice: Any, rowan: Any
) -> None:
    concern = arrive(practice, CONCERN_TEXT, 1)
    ordinary = arrive(practice, ORDINARY_TEXT, 2)
    assert (concern.risk, ordinary.risk) == ("concern", "none")
    http = signed_in(alice.user)
    page = http.get("/dashboard/").content.decode()
    listed = section(page, "review-today")
    assert f"/dashboard/messages/{concern.pk}/" in listed
    assert "from RA" in listed
    assert f"/dashboard/messages/{ordinary.pk}/" not in listed
    assert "ending it all" not in page  # the list never shows content
    assert http.post(f"/dashboard/messages/{concern.pk}/reviewed/").status_code == 302
    review = Review.objects.get(message=concern)
    assert review.reviewed_by == alice.user and review.reviewed_at is not None
    entry = AuditEntry.objects.get(action="review.reviewed")
    assert (entry.actor, entry.object_id) == (alice.user, str(concern.pk))
    assert entry.details == {"client": rowan.pk}
    after = http.get("/dashboard/").content.decode()
    assert "Nothing to review today" in section(after, "review-today")
    # It is not lost: it is with the recent messages now.
    assert f"/dashboard/messages/{concern.pk}/" in after


#: No expression of risk, but the message model reads a sign in it (docs/classifiers.md).
MODEL_ONLY_TEXT = "I have been feeling so low and empty this week, nothing helps"


def test_a_sign_in_the_words_is_listed_before_the_models_reading(
    practice: Any, alice: Any, rowan: Any
) -> None:
    words = arrive(practice, CONCERN_TEXT, 1)
    model_only = arrive(practice, MODEL_ONLY_TEXT, 2)  # newer, yet listed second
    assert (words.risk, model_only.risk) == ("concern", "concern")
    assert Review.objects.get(message=words).in_words is True
    assert Review.objects.get(message=model_only).in_words is False
    listed = section(signed_in(alice.user).get("/dashboard/").content.decode(), "review-today")
    first = listed.index(f"/dashboard/messages/{words.pk}/")
    second = listed.index(f"/dashboard/messages/{model_only.pk}/")
    assert first < second
    assert listed.index(">in the words</span>") < second < listed.index(">model only</span>")
    # A review stored before the field existed shows neither badge, after the others.
    Review.objects.filter(message=model_only).update(in_words=None)
    listed = section(signed_in(alice.user).get("/dashboard/").content.decode(), "review-today")
    assert ">model only</span>" not in listed
    assert listed.index(f"/dashboard/messages/{words.pk}/") < listed.index(
        f"/dashboard/messages/{model_only.pk}/"
    )


def test_reviewing_twice_writes_one_audit_entry(practice: Any, alice: Any, rowan: Any) -> None:
    concern = arrive(practice, CONCERN_TEXT, 1)
    http = signed_in(alice.user)
    http.post(f"/dashboard/messages/{concern.pk}/reviewed/")
    http.post(f"/dashboard/messages/{concern.pk}/reviewed/")
    assert AuditEntry.objects.filter(action="review.reviewed").count() == 1


def test_only_a_concern_can_be_marked_reviewed(practice: Any, alice: Any, rowan: Any) -> None:
    ordinary = arrive(practice, ORDINARY_TEXT, 1)
    http = signed_in(alice.user)
    assert http.post(f"/dashboard/messages/{ordinary.pk}/reviewed/").status_code == 404
    assert http.get(f"/dashboard/messages/{ordinary.pk}/reviewed/").status_code == 405


@pytest.mark.parametrize(
    ("text", "level", "says"),
    [
        (URGENT_TEXT, "Urgent", "Act now"),
        (CONCERN_TEXT, "Concern", "Read it today"),
        (ORDINARY_TEXT, "No risk sign", "No risk sign"),
    ],
)
@pytest.mark.usefixtures("rowan")
def test_the_message_page_shows_the_level_and_the_reasons(
    practice: Any, alice: Any, text: str, level: str, says: str
) -> None:
    message = arrive(practice, text, 1)
    page = signed_in(alice.user).get(f"/dashboard/messages/{message.pk}/").content.decode()
    assert f"Risk level: {level}" in page
    assert says in page
    for reason in message.reasons:
        assert reason.replace("'", "&#x27;").replace('"', "&quot;") in page


def test_a_concerns_page_has_the_reviewed_button_and_an_urgent_one_who_to_call(
    practice: Any, alice: Any, rowan: Any
) -> None:
    concern = arrive(practice, CONCERN_TEXT, 1)
    urgent = arrive(practice, URGENT_TEXT, 2)
    http = signed_in(alice.user)
    assert (
        f"/dashboard/messages/{concern.pk}/reviewed/"
        in http.get(f"/dashboard/messages/{concern.pk}/").content.decode()
    )
    page = http.get(f"/dashboard/messages/{urgent.pk}/").content.decode()
    assert f"/dashboard/messages/{urgent.pk}/act/" in page
    assert "/reviewed/" not in page


# ---------------------------------------------------------------------------- acting on urgent


def test_the_urgent_screen_asks_for_a_fresh_sign_in_first(
    practice: Any, alice: Any, rowan: Any
) -> None:
    urgent = arrive(practice, URGENT_TEXT, 1)
    response = signed_in(alice.user).get(f"/dashboard/messages/{urgent.pk}/act/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm/")
    assert not AuditEntry.objects.filter(action="alert.contacts_viewed").exists()


def test_the_urgent_screen_shows_who_to_call_and_is_audited(
    practice: Any, alice: Any, rowan: Any
) -> None:
    urgent = arrive(practice, URGENT_TEXT, 1)
    page = (
        signed_in(alice.user, confirmed=True)
        .get(f"/dashboard/messages/{urgent.pk}/act/")
        .content.decode()
    )
    assert "Rowan Ashby" in page
    assert '<a class="phone" href="tel:+441614960123">+44 161 496 0123</a>' in page
    assert "email, phone, portal" in page
    assert "Sam Brookfield" in page and "(partner)" in page
    assert '<a class="phone" href="tel:+441614960456">+44 161 496 0456</a>' in page
    assert '<a href="tel:999">999</a>' in page  # emergency services for the client's country
    assert "kill myself" not in page  # content stays behind "Read the message"
    entry = AuditEntry.objects.get(action="alert.contacts_viewed")
    assert entry.actor == alice.user and entry.object_id == str(urgent.pk)
    assert entry.details == {"known_client": True, "client": rowan.pk, "emergency_contact": True}


def test_the_urgent_screen_says_when_no_emergency_contact_is_recorded(
    practice: Any, alice: Any, rowan: Any
) -> None:
    actions.do_set_emergency_contact(rowan, None, actor_label="test")
    urgent = arrive(practice, URGENT_TEXT, 1)
    http = signed_in(alice.user, confirmed=True)
    page = http.get(f"/dashboard/messages/{urgent.pk}/act/").content.decode()
    assert "No emergency contact is recorded for Rowan" in page


def test_the_urgent_screen_says_plainly_when_the_sender_is_not_a_known_client(
    practice: Any, alice: Any, rowan: Any
) -> None:
    urgent = arrive(practice, URGENT_TEXT, 1, sender="stranger@example.net")
    assert urgent.client is None
    http = signed_in(alice.user, confirmed=True)
    page = http.get(f"/dashboard/messages/{urgent.pk}/act/").content.decode()
    assert "The sender is not a known client" in page
    assert "Rowan" not in page and "tel:+44" not in page
    assert "stranger@example.net" not in page
    entry = AuditEntry.objects.get(action="alert.contacts_viewed")
    assert entry.details == {"known_client": False}


def test_a_message_without_an_alert_has_no_urgent_screen(
    practice: Any, alice: Any, rowan: Any
) -> None:
    concern = arrive(practice, CONCERN_TEXT, 1)
    http = signed_in(alice.user, confirmed=True)
    assert http.get(f"/dashboard/messages/{concern.pk}/act/").status_code == 404
    assert (
        http.post(f"/dashboard/messages/{concern.pk}/act/", {"judgement": "none"}).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("button", "judgement"),
    [
        ("Not a risk", "none"),
        ("Concern, not urgent", "concern"),
        ("Urgent: I am acting on it", "urgent"),
    ],
)
def test_each_button_records_the_judgement_on_the_alert_with_an_audit_entry(
    practice: Any, alice: Any, rowan: Any, button: str, judgement: str
) -> None:
    urgent = arrive(practice, URGENT_TEXT, 1)
    http = signed_in(alice.user, confirmed=True)
    page = http.get(f"/dashboard/messages/{urgent.pk}/act/").content.decode()
    assert f'name="judgement" value="{judgement}"' in page and button in page
    response = http.post(f"/dashboard/messages/{urgent.pk}/act/", {"judgement": judgement})
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/messages/{urgent.pk}/act/"
    alert = Alert.objects.get(message=urgent)
    assert (alert.judgement, alert.judged_by) == (judgement, alice.user)
    assert alert.judged_at is not None
    assert alert.acknowledged_at is not None  # judged: it leaves the urgent list
    entry = AuditEntry.objects.get(action="alert.judged")
    assert entry.actor == alice.user and entry.object_id == str(urgent.pk)
    assert entry.details == {"client": rowan.pk, "judgement": judgement, "before": None}
    # The message keeps triage's level: the judgement is the therapist's, beside it.
    urgent.refresh_from_db()
    assert (urgent.risk, urgent.crisis) == ("urgent", True)
    assert "Recorded:" in http.get(f"/dashboard/messages/{urgent.pk}/act/").content.decode()
    assert "No open crisis alerts" in http.get("/dashboard/").content.decode()


def test_a_changed_judgement_is_audited_with_the_one_before(
    practice: Any, alice: Any, rowan: Any
) -> None:
    urgent = arrive(practice, URGENT_TEXT, 1)
    http = signed_in(alice.user, confirmed=True)
    http.post(f"/dashboard/messages/{urgent.pk}/act/", {"judgement": "urgent"})
    http.post(f"/dashboard/messages/{urgent.pk}/act/", {"judgement": "concern"})
    assert Alert.objects.get(message=urgent).judgement == "concern"
    details = [e.details for e in AuditEntry.objects.filter(action="alert.judged").order_by("seq")]
    assert [(d["judgement"], d["before"]) for d in details] == [
        ("urgent", None),
        ("concern", "urgent"),
    ]


def test_it_refuses_a_judgement_that_is_not_a_level(practice: Any, alice: Any, rowan: Any) -> None:
    urgent = arrive(practice, URGENT_TEXT, 1)
    http = signed_in(alice.user, confirmed=True)
    assert (
        http.post(f"/dashboard/messages/{urgent.pk}/act/", {"judgement": "maybe"}).status_code
        == 400
    )
    assert http.post(f"/dashboard/messages/{urgent.pk}/act/").status_code == 400
    assert Alert.objects.get(message=urgent).judgement == ""
    assert not AuditEntry.objects.filter(action="alert.judged").exists()


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_other_therapists_get_404_for_the_screen_the_judgement_and_the_review(
    request: pytest.FixtureRequest, practice: Any, alice: Any, rowan: Any, persona: str
) -> None:
    urgent = arrive(practice, URGENT_TEXT, 1)
    concern = arrive(practice, CONCERN_TEXT, 2)
    other = request.getfixturevalue(persona)
    http = signed_in(other.user, confirmed=True)
    assert http.get(f"/dashboard/messages/{urgent.pk}/act/").status_code == 404
    assert (
        http.post(f"/dashboard/messages/{urgent.pk}/act/", {"judgement": "none"}).status_code == 404
    )
    assert http.post(f"/dashboard/messages/{concern.pk}/reviewed/").status_code == 404
    assert Alert.objects.get(message=urgent).judgement == ""
    assert Review.objects.get(message=concern).reviewed_at is None
    assert not AuditEntry.objects.filter(
        action__in=["alert.judged", "alert.contacts_viewed", "review.reviewed"]
    ).exists()


def test_the_urgent_screens_views_are_in_the_clients_access_log(
    practice: Any, alice: Any, rowan: Any
) -> None:
    import io
    import json
    import zipfile

    from boundaries.data_rights.export import do_export_client

    urgent = arrive(practice, URGENT_TEXT, 1)
    http = signed_in(alice.user, confirmed=True)
    http.get(f"/dashboard/messages/{urgent.pk}/act/")
    http.post(f"/dashboard/messages/{urgent.pk}/act/", {"judgement": "concern"})
    handle, _ = do_export_client(rowan, actor_label="test")
    with handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        log = [json.loads(line) for line in archive.read("access_log.jsonl").splitlines()]
    assert {"alert.contacts_viewed", "alert.judged"} <= {row["action"] for row in log}


# ---------------------------------------------------------------------------- at a glance


def test_at_a_glance_says_no_alerts_judged_yet(practice: Any, alice: Any, rowan: Any) -> None:
    arrive(practice, URGENT_TEXT, 1)
    page = signed_in(alice.user).get("/dashboard/insights/").content.decode()
    assert "No alerts judged yet" in section(page, "alert-precision")


def test_at_a_glance_shows_the_practices_alert_precision_with_counts(
    practice: Any, alice: Any, rowan: Any, charlie: Any
) -> None:
    urgent = [arrive(practice, URGENT_TEXT + "!" * n, n) for n in range(1, 5)]
    http = signed_in(alice.user, confirmed=True)
    for message, judgement in zip(urgent, ["urgent", "urgent", "concern", "none"], strict=True):
        http.post(f"/dashboard/messages/{message.pk}/act/", {"judgement": judgement})
    shown = section(http.get("/dashboard/insights/").content.decode(), "alert-precision")
    assert "50%" in shown
    assert "Of the 4 urgent alerts judged in this practice, 2 were confirmed as urgent" in shown
    assert "1 was a concern, not urgent, and 1 not a risk" in shown
    # Another practice's page counts only its own alerts.
    other = signed_in(charlie.user).get("/dashboard/insights/").content.decode()
    assert "No alerts judged yet" in section(other, "alert-precision")


# ---------------------------------------------------------------- where an alert came from

#: No curated expression names this; the message model's urgency head reads it as urgent.
MODEL_URGENT_TEXT = (
    "I took my husband's heart pills, all of them, about 10 minutes ago. I can't undo it now."
)


def test_an_alert_says_whether_the_sign_was_in_the_words_or_the_models_reading(
    practice: Any, alice: Any, rowan: Any
) -> None:
    words = arrive(practice, URGENT_TEXT, 1)
    model = arrive(practice, MODEL_URGENT_TEXT, 2)
    assert (words.risk, model.risk) == ("urgent", "urgent")
    assert Alert.objects.get(message=words).in_words is True
    assert Alert.objects.get(message=model).in_words is False
    listed = section(signed_in(alice.user).get("/dashboard/").content.decode(), "crisis")
    items = {
        int(match.group(1)): match.group(0)
        for match in re.finditer(r'<li><a href="/dashboard/messages/(\d+)/".*?</li>', listed, re.S)
    }
    assert ">in the words</span>" in items[words.pk]
    assert "model's reading" not in items[words.pk]
    assert ">model&#x27;s reading</span>" in items[model.pk] or (
        ">model's reading</span>" in items[model.pk]
    )
    assert "in the words" not in items[model.pk]
    # The message page gives the model's reason in plain words, never the message's.
    page = signed_in(alice.user).get(f"/dashboard/messages/{model.pk}/").content.decode()
    assert "the message model reads danger now (urgency 0." in page


def test_at_a_glance_counts_the_alert_precision_of_each_source(
    practice: Any, alice: Any, rowan: Any
) -> None:
    http = signed_in(alice.user, confirmed=True)
    judged = [
        (arrive(practice, URGENT_TEXT, 1), "urgent"),
        (arrive(practice, URGENT_TEXT + "!", 2), "concern"),
        (arrive(practice, MODEL_URGENT_TEXT, 3), "urgent"),
        (arrive(practice, MODEL_URGENT_TEXT + "!", 4), "none"),
        (arrive(practice, MODEL_URGENT_TEXT + "!!", 5), "none"),
    ]
    for message, judgement in judged:
        http.post(f"/dashboard/messages/{message.pk}/act/", {"judgement": judgement})
    shown = section(http.get("/dashboard/insights/").content.decode(), "alert-precision")
    assert "Of the 5 urgent alerts judged in this practice, 2 were confirmed as urgent" in shown
    assert "With the sign in the words: 1 of 2 confirmed." in shown
    assert "From the message model&#x27;s reading: 1 of 3 confirmed." in shown or (
        "From the message model's reading: 1 of 3 confirmed." in shown
    )
