"""Forgotten password: a single-use emailed link; the second factor still applies after."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client as HttpClient
from django.test import override_settings

from boundaries.audit.models import AuditEntry
from tests.web.signin import current_code, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "seven tired otters wading upstream"


@pytest.fixture
def alice_with_email(alice: Any) -> Any:
    alice.user.email = "alice@alder.example"
    alice.user.save(update_fields=["email"])
    sign_in(HttpClient(), alice.user)  # enrols her authenticator, as in real use
    return alice


def ask_for_link(http: HttpClient, email: str) -> Any:
    return http.post("/account/password/forgotten/", {"email": email})


def link_in(message: Any) -> str:
    """The path of the reset link, which must start with SITE_URL (never the request's host)."""
    site = re.escape(settings.SITE_URL.rstrip("/"))
    match = re.search(site + r"(/account/password/new/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_therapist_sets_a_new_password_and_still_needs_their_code(
    alice_with_email: Any,
) -> None:
    http = HttpClient()
    assert "/account/password/forgotten/" in http.get("/account/login/").content.decode()
    response = ask_for_link(http, "Alice@Alder.example")
    assert response.status_code == 302
    assert response["Location"] == "/account/password/sent/"
    (message,) = mail.outbox
    assert message.to == ["alice@alder.example"]
    assert message.subject == "Reset your Boundaries password"
    form_page = http.get(link_in(message), follow=True)
    assert b"Choose a new password" in form_page.content
    done = http.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done["Location"] == "/account/password/changed/"
    entry = AuditEntry.objects.get(action="account.password_reset")
    assert entry.practice_id == alice_with_email.practice_id

    fresh = HttpClient()
    old = fresh.post(
        "/account/login/", {"username": "alice", "password": "correct horse battery staple"}
    )
    assert old.status_code == 200  # the old password no longer works
    new = fresh.post("/account/login/", {"username": "alice", "password": NEW_PASSWORD})
    assert new.status_code == 302
    assert new["Location"].startswith("/account/login/code/")
    assert fresh.get("/dashboard/").status_code == 302  # not in without the code
    code = fresh.post("/account/login/code/", {"code": current_code(alice_with_email.user)})
    assert code.status_code == 302
    assert fresh.get("/dashboard/").status_code == 200


def test_a_link_works_only_once(alice_with_email: Any) -> None:
    http = HttpClient()
    ask_for_link(http, "alice@alder.example")
    link = link_in(mail.outbox[0])
    page = http.get(link, follow=True)
    http.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    again = HttpClient().get(link, follow=True)
    assert b"This link no longer works" in again.content
    assert AuditEntry.objects.filter(action="account.password_reset").count() == 1


def test_an_unknown_address_gets_the_same_answer_and_no_email(alice_with_email: Any) -> None:
    response = ask_for_link(HttpClient(), "someone@elsewhere.example")
    assert response.status_code == 302
    assert response["Location"] == "/account/password/sent/"
    assert mail.outbox == []


def test_it_refuses_a_weak_new_password(alice_with_email: Any) -> None:
    http = HttpClient()
    ask_for_link(http, "alice@alder.example")
    page = http.get(link_in(mail.outbox[0]), follow=True)
    response = http.post(
        page.redirect_chain[-1][0], {"new_password1": "password1", "new_password2": "password1"}
    )
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="account.password_reset").exists()


def test_repeated_requests_are_throttled(alice_with_email: Any) -> None:
    http = HttpClient()
    statuses = [ask_for_link(http, "alice@alder.example").status_code for _ in range(7)]
    assert statuses == [302] * 5 + [429] * 2
    assert len(mail.outbox) == 5


@override_settings(
    SITE_URL="https://therapy.example.org/",
    BOUNDARIES_ALLOWED_HOSTS=["testserver", "*.practices.example.net"],
)
@pytest.mark.parametrize("host", ["testserver", "anything.practices.example.net"])
def test_the_emailed_link_names_site_url_whatever_host_the_request_named(
    alice_with_email: Any, host: str
) -> None:
    response = HttpClient().post(
        "/account/password/forgotten/", {"email": "alice@alder.example"}, HTTP_HOST=host
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    links = re.findall(r"\S+://\S+", message.body)
    assert len(links) == 1
    assert links[0].startswith("https://therapy.example.org/account/password/new/")
    assert host not in message.body
