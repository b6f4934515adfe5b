"""Therapist sign-in: password then a mandatory code, throttling, session limits, re-auth."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client as HttpClient
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from boundaries import clock
from tests.web.signin import PASSWORDS, current_code, reauthenticate, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reset_clock() -> Iterator[None]:
    clock.reset()
    yield
    clock.reset()


def test_it_keeps_the_dashboard_closed_after_a_password_alone(alice: Any) -> None:
    http = HttpClient()
    http.post("/account/login/", {"username": "alice", "password": PASSWORDS["alice"]})
    response = http.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/code/")


def test_it_makes_a_new_therapist_set_up_an_authenticator_and_shows_recovery_codes(
    alice: Any,
) -> None:
    http = HttpClient()
    http.post("/account/login/", {"username": "alice", "password": PASSWORDS["alice"]})
    assert http.get("/account/login/code/")["Location"].startswith("/account/setup/authenticator/")
    page = http.get("/account/setup/authenticator/").content.decode()
    assert "data:image/svg+xml;base64," in page
    response = http.post("/account/setup/authenticator/", {"code": current_code(alice.user)})
    codes_page = http.get(response["Location"]).content.decode()
    assert StaticToken.objects.filter(device__user=alice.user).count() == 10
    token = StaticToken.objects.filter(device__user=alice.user).first()
    assert token is not None and token.token in codes_page
    assert http.get("/dashboard/").status_code == 200


def test_it_rejects_a_wrong_code(alice: Any) -> None:
    sign_in(HttpClient(), alice.user)
    http = HttpClient()
    http.post("/account/login/", {"username": "alice", "password": PASSWORDS["alice"]})
    response = http.post("/account/login/code/", {"code": "000000"})
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    assert http.get("/dashboard/").status_code == 302


def test_it_accepts_a_recovery_code_once(alice: Any) -> None:
    sign_in(HttpClient(), alice.user)
    code = StaticToken.objects.filter(device__user=alice.user).first()
    assert code is not None
    for attempt in range(2):
        http = HttpClient()
        http.post("/account/login/", {"username": "alice", "password": PASSWORDS["alice"]})
        response = http.post("/account/login/code/", {"code": code.token})
        assert (response.status_code == 302) == (attempt == 0)


def test_it_throttles_repeated_wrong_passwords_even_when_the_right_one_follows(alice: Any) -> None:
    http = HttpClient()
    for _ in range(5):
        http.post("/account/login/", {"username": "alice", "password": "wrong guess"})
    response = http.post("/account/login/", {"username": "alice", "password": PASSWORDS["alice"]})
    assert response.status_code == 429
    clock.travel(dt.timedelta(minutes=16))
    response = http.post("/account/login/", {"username": "alice", "password": PASSWORDS["alice"]})
    assert response.status_code == 302


def test_it_ends_a_session_after_15_minutes_idle(alice: Any) -> None:
    http = HttpClient()
    sign_in(http, alice.user)
    clock.travel(dt.timedelta(minutes=14))
    assert http.get("/dashboard/").status_code == 200
    clock.travel(dt.timedelta(minutes=14))
    assert http.get("/dashboard/").status_code == 200  # activity reset the idle timer
    clock.travel(dt.timedelta(minutes=16))
    response = http.get("/dashboard/")
    assert response.status_code == 302
    assert "expired=1" in response["Location"]


def test_it_ends_a_session_after_12_hours_however_active(alice: Any) -> None:
    http = HttpClient()
    sign_in(http, alice.user)
    minutes = 0
    while http.get("/dashboard/").status_code == 200 and minutes < 13 * 60:
        clock.travel(dt.timedelta(minutes=10))  # busy: never idle for 15 minutes
        minutes += 10
    assert 12 * 60 <= minutes <= 12 * 60 + 10


def test_it_asks_for_password_and_code_again_before_showing_message_content(alice: Any) -> None:
    http = HttpClient()
    sign_in(http, alice.user)
    response = http.get("/dashboard/messages/1/content/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm/")


def test_it_requires_reauthentication_to_be_recent(alice: Any) -> None:
    http = HttpClient()
    sign_in(http, alice.user)
    reauthenticate(http, alice.user)
    assert http.get("/dashboard/messages/999/content/").status_code == 404  # allowed, no message
    clock.travel(dt.timedelta(minutes=6))
    assert http.get("/dashboard/messages/999/content/").status_code == 302


def test_it_hashes_passwords_with_argon2(alice: Any) -> None:
    assert alice.user.password.startswith("argon2")
    assert TOTPDevice.objects.filter(user=alice.user).count() == 0


def session_key(http: HttpClient) -> str:
    return http.cookies[settings.SESSION_COOKIE_NAME].value


def assert_rotated(http: HttpClient, before: str) -> str:
    after = session_key(http)
    assert after != before
    assert not SessionStore().exists(before)  # the old id is gone, not merely replaced
    return after


def test_it_gives_the_session_a_new_id_at_every_step_up_in_privilege(alice: Any) -> None:
    sign_in(HttpClient(), alice.user)  # enrols her authenticator
    http = HttpClient()
    anonymous = http.session.session_key  # a visitor's session, before signing in
    http.post("/account/login/", {"username": "alice", "password": PASSWORDS["alice"]})
    after_password = assert_rotated(http, anonymous)
    http.post("/account/login/code/", {"code": current_code(alice.user)})
    after_code = assert_rotated(http, after_password)
    assert http.get("/dashboard/").status_code == 200
    reauthenticate(http, alice.user)
    assert_rotated(http, after_code)
    assert http.get("/dashboard/messages/999/content/").status_code == 404  # still signed in


def test_it_gives_the_session_a_new_id_when_an_authenticator_is_enrolled(alice: Any) -> None:
    http = HttpClient()
    http.post("/account/login/", {"username": "alice", "password": PASSWORDS["alice"]})
    after_password = session_key(http)
    http.get("/account/setup/authenticator/")
    http.post("/account/setup/authenticator/", {"code": current_code(alice.user)})
    assert_rotated(http, after_password)
    assert http.get("/dashboard/").status_code == 200
