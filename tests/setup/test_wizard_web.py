"""The first-run setup through Django's test client: every step saves through its action,
with its audit entry, and nobody else can use it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as HttpClient

from boundaries.audit.models import AuditEntry
from boundaries.inbox.models import InboundRoute
from boundaries.practices.models import PolicyVersion, Practice, Therapist
from boundaries.setup.actions import first_run_key
from boundaries.setup.models import SetupProgress
from tests.web.signin import PASSWORDS, current_code, sign_in

pytestmark = pytest.mark.django_db

MORGAN_PASSWORD = "a long passphrase for morgan"


def create_first_account(http: HttpClient) -> Any:
    response = http.get("/dashboard/setup/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/setup/account/"
    page = http.get("/dashboard/setup/account/")
    assert b"Setup key" in page.content
    response = http.post(
        "/dashboard/setup/account/",
        {
            "key": first_run_key(),
            "username": "morgan",
            "email": "morgan@harbour.test",
            "password": MORGAN_PASSWORD,
        },
    )
    assert response.status_code == 302, response.content[:800]
    return get_user_model().objects.get(username="morgan")


def enrol(http: HttpClient, user: Any) -> list[str]:
    page = http.get("/dashboard/setup/account/")
    assert b"data:image/svg+xml;base64," in page.content
    response = http.post("/dashboard/setup/account/", {"code": current_code(user)})
    assert response.status_code == 302
    page = http.get("/dashboard/setup/account/")
    codes = page.context["codes"]
    assert len(codes) == 10
    http.post("/dashboard/setup/account/")
    return list(codes)


def run_wizard(http: HttpClient, user: Any) -> Practice:
    response = http.post(
        "/dashboard/setup/practice/",
        {
            "name": "Harbour Light Therapy",
            "country": "GB",
            "timezone": "Europe/London",
            "professional_body": "UKCP",
            "display_name": "Morgan Vale",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == "/dashboard/setup/policy/"
    practice = Practice.objects.get(name="Harbour Light Therapy")
    response = http.post(
        "/dashboard/setup/policy/",
        {
            "action": "fill",
            "phone": "020 7946 0555",
            "email": "hello@harbour.test",
            "website": "https://harbour.test",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    page = http.get("/dashboard/setup/policy/")
    assert b"Ready to publish" in page.content
    response = http.post(
        "/dashboard/setup/policy/",
        {"action": "save", "source": page.context["source"]["source"].value()},
    )
    assert response["Location"] == "/dashboard/setup/addresses/"
    for kind, address in (
        ("email", "Appointments@Harbour.test"),
        ("email", "@harbour.test"),
        ("sms", "+442079460100"),
        ("meta_page", "104857600000001"),
    ):
        response = http.post(
            "/dashboard/setup/addresses/", {"action": "add", "kind": kind, "address": address}
        )
        assert response.status_code == 302, response.content[:3000]
    http.post("/dashboard/setup/addresses/", {"action": "continue"})
    response = http.post(
        "/dashboard/setup/alerts/",
        {
            "action": "continue",
            "alert_email": "morgan.alerts@harbour.test",
            "alert_phone": "07911 123456",
            "digest_time": "08:30",
        },
    )
    assert response["Location"] == "/dashboard/setup/publish/"
    response = http.post("/dashboard/setup/publish/", {"summary": "First version"})
    assert response.status_code == 302, response.content[:3000]
    return practice


def test_it_runs_the_whole_setup_on_an_empty_installation() -> None:
    http = HttpClient()
    user = create_first_account(http)
    enrol(http, user)
    practice = run_wizard(http, user)
    therapist = Therapist.objects.get(user=user)
    assert therapist.role == Therapist.Role.OWNER and therapist.practice == practice
    assert therapist.alert_email == "morgan.alerts@harbour.test"
    assert therapist.alert_phone == "+447911123456"
    assert sorted(
        InboundRoute.objects.filter(practice=practice).values_list("address", flat=True)
    ) == [
        "+442079460100",
        "104857600000001",
        "@harbour.test",
        "appointments@harbour.test",
    ]
    version = PolicyVersion.objects.get(practice=practice)
    assert version.number == 1 and version.summary == "First version"
    assert SetupProgress.objects.get(practice=practice).is_finished
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "setup.first_account",
        "signin.enrolled_totp",
        "signin.recovery_codes_issued",
        "practice.create",
        "therapist.add",
        "setup.start",
        "setup.policy_draft",
        "route.add",
        "therapist.alert_contacts",
        "policy.publish",
        "setup.finish",
    } <= actions
    # Finished: the dashboard opens, and the setup sends to the settings.
    assert http.get("/dashboard/").status_code == 200
    assert http.get("/dashboard/setup/policy/")["Location"] == "/dashboard/settings/"


def test_it_refuses_the_first_account_without_the_right_key() -> None:
    http = HttpClient()
    response = http.post(
        "/dashboard/setup/account/",
        {
            "key": "aaaa-bbbb-cccc-dddd",
            "username": "mallory",
            "email": "m@x.test",
            "password": "a long enough passphrase",
        },
    )
    assert response.status_code == 200
    assert b"not this installation" in response.content
    assert not get_user_model().objects.exists()


def test_the_key_opens_nothing_once_an_account_exists(alice: Any) -> None:
    http = HttpClient()
    response = http.post(
        "/dashboard/setup/account/",
        {
            "key": first_run_key(),
            "username": "mallory",
            "email": "m@x.test",
            "password": "a long enough passphrase",
        },
    )
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert not get_user_model().objects.filter(username="mallory").exists()


def test_the_dashboard_sends_an_owner_back_to_an_unfinished_setup() -> None:
    http = HttpClient()
    user = create_first_account(http)
    enrol(http, user)
    http.post(
        "/dashboard/setup/practice/",
        {"name": "Harbour", "country": "GB", "timezone": "Europe/London", "display_name": "M"},
    )
    response = http.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/setup/"
    assert http.get("/dashboard/setup/")["Location"] == "/dashboard/setup/policy/"
    # Steps not reached yet send back to the step reached.
    assert http.get("/dashboard/setup/publish/")["Location"] == "/dashboard/setup/policy/"


def test_a_policy_with_placeholders_is_not_saved(alice: Any) -> None:
    http = HttpClient()
    user = create_first_account_for_existing(alice)
    sign_in(http, user)
    source = http.get("/dashboard/setup/policy/")
    assert source.status_code == 200
    page = http.post(
        "/dashboard/setup/policy/",
        {
            "action": "fill",
            "phone": "020 7946 0555",
            "email": "hello@example.com",
            "website": "https://harbour.test",
        },
    )
    assert page.status_code == 200
    assert b"still a placeholder" in page.content
    check = http.post("/dashboard/setup/policy/check/", {"source": "[practice\nname ="})
    assert b"check-error" in check.content


def create_first_account_for_existing(alice: Any) -> Any:
    """Alice's practice, started through the setup but not finished."""
    SetupProgress.objects.create(practice=alice.practice, reached="policy")
    return alice.user


def test_a_therapist_who_is_not_an_owner_cannot_use_the_setup(alice: Any, bob: Any) -> None:
    SetupProgress.objects.create(practice=alice.practice, reached="policy")
    http = HttpClient()
    sign_in(http, bob.user)
    assert http.get("/dashboard/setup/policy/").status_code == 404
    assert http.post("/dashboard/setup/policy/check/", {"source": "x"}).status_code == 404
    assert http.get("/dashboard/").status_code == 200


def test_an_account_without_a_practice_cannot_start_one_beside_existing_practices(
    alice: Any,
) -> None:
    stranger = get_user_model().objects.create_user(
        username="stranger", password=PASSWORDS["alice"]
    )
    http = HttpClient()
    sign_in(http, stranger, PASSWORDS["alice"])
    assert http.get("/dashboard/setup/practice/").status_code == 404
    assert current_code(stranger)


def test_an_operator_starts_a_practice_beside_others_and_a_us_one_needs_its_board(
    alice: Any,
) -> None:
    operator = get_user_model().objects.create_superuser(
        username="operator", email="ops@host.test", password=PASSWORDS["alice"]
    )
    http = HttpClient()
    sign_in(http, operator, PASSWORDS["alice"])
    assert http.get("/dashboard/")["Location"] == "/dashboard/setup/"
    response = http.post(
        "/dashboard/setup/practice/",
        {"name": "Cedar Counseling", "country": "US", "timezone": "America/Chicago",
         "display_name": "Casey Cedar"},
    )  # fmt: skip
    assert response["Location"] == "/dashboard/setup/policy/"
    details = {
        "action": "fill",
        "phone": "+1 312 496 0100",
        "email": "hello@cedar.test",
        "website": "https://cedar.test",
    }
    page = http.post("/dashboard/setup/policy/", details)
    assert b"still a placeholder" in page.content
    board = {
        "body_name": "Illinois Department of Financial and Professional Regulation",
        "body_short_name": "IDFPR",
        "body_address": "555 West Monroe Street, Chicago, IL 60661",
        "body_url": "https://idfpr.illinois.gov",
    }
    response = http.post("/dashboard/setup/policy/", {**details, **board})
    assert response.status_code == 302, response.content[:2000]
    assert Practice.objects.get(name="Cedar Counseling").setup_progress.reached == "addresses"
    assert Therapist.objects.get(user=operator).practice.country == "US"


def test_the_template_form_shows_the_saved_answers_again(alice: Any) -> None:
    SetupProgress.objects.create(practice=alice.practice, reached="policy")
    http = HttpClient()
    sign_in(http, alice.user)
    http.post(
        "/dashboard/setup/policy/",
        {"action": "fill", "phone": "020 7946 0555", "email": "hello@alder.test",
         "website": "https://alder.test"},
    )  # fmt: skip
    form = http.get("/dashboard/setup/policy/").context["details"]
    assert form.initial["phone"] == "+442079460555"
    assert form.initial["website"] == "https://alder.test"
