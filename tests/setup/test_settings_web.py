"""The settings page: who may change what (owners the practice, everyone their own alerts and
sign-in), every change audited, and nothing of another practice reachable."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from boundaries.audit.models import AuditEntry
from boundaries.inbox.models import InboundRoute
from boundaries.inbox.routes import do_add_route
from boundaries.practices.models import Therapist
from tests.channels.smtp_helpers import Recorder, recorder
from tests.web.signin import reauthenticate, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def relay() -> Iterator[Recorder]:
    """The outgoing mail server: a real SMTP peer on loopback."""
    with (
        recorder() as (port, peer),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            SITE_URL="https://therapy.example.org",
        ),
    ):
        yield peer


def signed_in(user: Any) -> HttpClient:
    http = HttpClient()
    sign_in(http, user)
    return http


def test_an_owner_sees_and_changes_everything(alice: Any, bob: Any) -> None:
    http = signed_in(alice.user)
    page = http.get("/dashboard/settings/")
    assert page.status_code == 200
    for heading in (b"Practice", b"Where messages arrive", b"Therapists", b"Bob Member"):
        assert heading in page.content
    http.post(
        "/dashboard/settings/practice/",
        {"name": "Alder Tree Therapy", "timezone": "Europe/London", "professional_body": "BACP"},
    )
    http.post("/dashboard/settings/addresses/", {"kind": "email", "address": "hello@alder.test"})
    http.post(f"/dashboard/settings/team/{bob.pk}/role/", {"role": "owner"})
    http.post(
        "/dashboard/settings/team/",
        {"username": "cara", "display_name": "Cara New", "email": "cara@alder.test",
         "role": "therapist"},
    )  # fmt: skip
    alice.practice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.practice.name == "Alder Tree Therapy"
    assert InboundRoute.objects.filter(practice=alice.practice, address="hello@alder.test").exists()
    assert bob.role == Therapist.Role.OWNER
    assert Therapist.objects.get(user__username="cara").practice == alice.practice
    page = http.get("/dashboard/settings/")
    assert b"first password, shown only now" in page.content
    assert b"first password" not in http.get("/dashboard/settings/").content  # shown once
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    for action in ("practice.details", "route.add", "therapist.role", "therapist.add"):
        assert action in actions


def test_a_therapist_who_is_not_an_owner_cannot_change_roles_or_the_practice(
    alice: Any, bob: Any
) -> None:
    route = do_add_route(alice.practice, kind="email", address="hello@alder.test")
    http = signed_in(bob.user)
    page = http.get("/dashboard/settings/")
    assert page.status_code == 200
    assert b"Therapists" not in page.content and b"hello@alder.test" not in page.content
    assert (
        http.post(f"/dashboard/settings/team/{bob.pk}/role/", {"role": "owner"}).status_code == 404
    )
    assert (
        http.post(f"/dashboard/settings/team/{alice.pk}/role/", {"role": "therapist"}).status_code
        == 404
    )
    assert (
        http.post(
            "/dashboard/settings/addresses/", {"kind": "email", "address": "x@y.test"}
        ).status_code
        == 404
    )
    assert http.post(f"/dashboard/settings/addresses/{route.pk}/remove/").status_code == 404
    assert (
        http.post("/dashboard/settings/practice/", {"name": "Mine", "timezone": "UTC"}).status_code
        == 404
    )
    assert http.post("/dashboard/settings/team/", {"username": "eve", "display_name": "Eve",
                     "email": "e@x.test", "role": "owner"}).status_code == 404  # fmt: skip
    bob.refresh_from_db()
    alice.refresh_from_db()
    assert bob.role == Therapist.Role.THERAPIST and alice.role == Therapist.Role.OWNER
    assert InboundRoute.objects.filter(pk=route.pk).exists()
    # Their own alert contacts are theirs to change.
    http.post(
        "/dashboard/settings/alerts/",
        {"alert_email": "bob.alerts@alder.test", "alert_phone": "", "digest_time": "09:15"},
    )
    bob.refresh_from_db()
    assert bob.alert_email == "bob.alerts@alder.test" and f"{bob.digest_time:%H:%M}" == "09:15"


def test_another_practices_therapist_reaches_nothing_of_this_one(
    alice: Any, bob: Any, charlie: Any
) -> None:
    charlie.role = Therapist.Role.OWNER
    charlie.save(update_fields=["role"])
    route = do_add_route(alice.practice, kind="sms", address="+442079460199")
    http = signed_in(charlie.user)
    page = http.get("/dashboard/settings/")
    assert page.status_code == 200
    for secret in (b"Alder", b"Bob Member", b"+442079460199", b"Alice"):
        assert secret not in page.content
    assert (
        http.post(f"/dashboard/settings/team/{bob.pk}/role/", {"role": "owner"}).status_code == 404
    )
    assert http.post(f"/dashboard/settings/addresses/{route.pk}/remove/").status_code == 404
    bob.refresh_from_db()
    assert bob.role == Therapist.Role.THERAPIST
    assert InboundRoute.objects.filter(pk=route.pk).exists()
    # An address another practice holds is refused without saying whose.
    http.post("/dashboard/settings/addresses/", {"kind": "sms", "address": "+442079460199"})
    assert InboundRoute.objects.filter(address="+442079460199").count() == 1


def test_a_practice_keeps_its_last_owner(alice: Any) -> None:
    http = signed_in(alice.user)
    http.post(f"/dashboard/settings/team/{alice.pk}/role/", {"role": "therapist"})
    alice.refresh_from_db()
    assert alice.role == Therapist.Role.OWNER
    assert b"at least one owner" in http.get("/dashboard/settings/").content


def test_new_recovery_codes_replace_the_old_ones(alice: Any) -> None:
    http = signed_in(alice.user)
    before = set(
        StaticToken.objects.filter(device__user=alice.user).values_list("token", flat=True)
    )
    http.post("/dashboard/settings/recovery-codes/")
    page = http.get("/dashboard/settings/")
    fresh = set(page.context["fresh_codes"])
    assert len(fresh) == 10 and not fresh & before
    stored = set(
        StaticToken.objects.filter(device__user=alice.user).values_list("token", flat=True)
    )
    assert stored == fresh
    assert AuditEntry.objects.filter(action="signin.recovery_codes_issued").count() == 2


def test_signing_out_everywhere_else_ends_the_other_session(alice: Any) -> None:
    laptop = signed_in(alice.user)
    phone = signed_in(alice.user)
    assert len(laptop.get("/dashboard/settings/").context["sessions"]) == 2
    laptop.post("/dashboard/settings/sessions/")
    assert laptop.get("/dashboard/settings/").status_code == 200
    assert phone.get("/dashboard/settings/").status_code == 302  # back to the sign-in
    assert AuditEntry.objects.filter(action="signin.sessions_ended").exists()


def test_a_test_alert_arrives_without_content(alice: Any, relay: Recorder) -> None:
    http = signed_in(alice.user)
    http.post(
        "/dashboard/settings/alerts/",
        {"alert_email": "alice.alerts@alder.test", "alert_phone": "", "digest_time": "17:00"},
    )
    http.post("/dashboard/settings/alerts/test/")
    page = http.get("/dashboard/settings/")
    assert b"Sent" in page.content and b"alice.alerts@alder.test" in page.content
    (_sender, recipients, raw) = relay.messages[-1]
    assert recipients == ["alice.alerts@alder.test"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_content()  # type: ignore[attr-defined]
    assert "test alert" in body and "https://therapy.example.org/dashboard/" in body
    assert AuditEntry.objects.filter(action="alert.test").exists()


def test_a_new_phone_replaces_the_authenticator_after_a_fresh_password_and_code(
    alice: Any,
) -> None:
    http = signed_in(alice.user)
    assert "/account/confirm/" in http.get("/dashboard/settings/authenticator/")["Location"]
    reauthenticate(http, alice.user)
    old = TOTPDevice.objects.get(user=alice.user, confirmed=True)
    page = http.get("/dashboard/settings/authenticator/")
    assert b"data:image/svg+xml;base64," in page.content
    new = TOTPDevice.objects.get(user=alice.user, confirmed=False)
    wrong = http.post("/dashboard/settings/authenticator/", {"code": "000000"})
    assert wrong.status_code == 200 and TOTPDevice.objects.filter(pk=old.pk).exists()
    # A wrong code makes django-otp wait before the next try; a person waits, the test resets it.
    TOTPDevice.objects.filter(pk=new.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    response = http.post(
        "/dashboard/settings/authenticator/",
        {"code": f"{totp(new.bin_key, step=new.step, digits=new.digits):06d}"},
    )
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=alice.user).values_list("pk", "confirmed")) == [
        (new.pk, True)
    ]
    assert http.get("/dashboard/settings/").status_code == 200  # still signed in, on the new one
    assert AuditEntry.objects.filter(action="signin.replaced_totp").exists()
