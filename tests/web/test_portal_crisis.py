"""The portal shows crisis numbers: at once after a message at risk, and in every page's footer.

The portal's reply path has no address a private reply may go to, so the page
itself carries the crisis resources of the practice's published policy, for the
client's country, as tel: (or sms:) links.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client as HttpClient

from boundaries.portal.actions import do_issue_magic_link
from boundaries.portal.models import SecureMessage
from boundaries.portal.views import SHOW_CRISIS

pytestmark = pytest.mark.django_db

URGENT_TEXT = "I'm going to kill myself tonight"
CONCERN_TEXT = "I keep thinking about ending it all"
ORDINARY_TEXT = "Could we move Thursday to 4pm?"


@pytest.fixture
def amara(demo_practice: Any) -> Any:
    return demo_practice.clients.get(first_name="Amara")  # GB


@pytest.fixture
def hannah(demo_practice: Any) -> Any:
    return demo_practice.clients.get(first_name="Hannah")  # US, in a GB practice


def signed_in(client: Any) -> HttpClient:
    http = HttpClient()
    assert http.post(f"/portal/signin/{do_issue_magic_link(client)}/").status_code == 302
    return http


def sent_crisis_section(page: str) -> str:
    match = re.search(r'<section class="card crisis" id="sent-crisis".*?</section>', page, re.S)
    return match.group(0) if match else ""


def footer(page: str) -> str:
    match = re.search(r'<footer class="crisis-footer".*?</footer>', page, re.S)
    assert match, "every portal page has the crisis footer"
    return match.group(0)


@pytest.mark.parametrize(("text", "risk"), [(URGENT_TEXT, "urgent"), (CONCERN_TEXT, "concern")])
def test_it_shows_the_crisis_numbers_at_once_after_a_message_at_risk(
    amara: Any, text: str, risk: str
) -> None:
    http = signed_in(amara)
    response = http.post("/portal/send/", {"text": text}, follow=True)
    assert SecureMessage.objects.get().inbox_message.risk == risk
    section = sent_crisis_section(response.content.decode())
    assert "Please do not wait for a reply" in section
    assert '<a href="tel:999">999</a>' in section
    assert '<a href="tel:116123">116 123</a>' in section  # Samaritans
    assert '<a href="tel:111">111</a>' in section  # NHS
    assert '<a href="sms:85258?body=SHOUT">85258</a>' in section  # Shout: a text line
    # Shown once, at the top of the page that follows the message; the footer stays.
    again = http.get("/portal/").content.decode()
    assert sent_crisis_section(again) == ""
    assert '<a href="tel:999">999</a>' in footer(again)


def test_it_does_not_put_the_numbers_on_top_after_an_ordinary_message(amara: Any) -> None:
    http = signed_in(amara)
    page = http.post("/portal/send/", {"text": ORDINARY_TEXT}, follow=True).content.decode()
    assert SecureMessage.objects.get().inbox_message.risk == "none"
    assert sent_crisis_section(page) == ""
    assert SHOW_CRISIS not in http.session
    assert '<a href="tel:999">999</a>' in footer(page)


def test_it_shows_the_numbers_for_the_clients_own_country(hannah: Any) -> None:
    http = signed_in(hannah)
    page = http.post("/portal/send/", {"text": URGENT_TEXT}, follow=True).content.decode()
    section = sent_crisis_section(page)
    assert '<a href="tel:911">911</a>' in section
    assert '<a href="tel:988">988</a>' in section
    assert "tel:999" not in section
    assert '<a href="tel:911">911</a>' in footer(page)
    assert "the United States" in footer(page)


def test_it_falls_back_to_the_practices_country_for_a_country_the_policy_does_not_list(
    amara: Any,
) -> None:
    from boundaries.practices.models import Client

    Client.objects.filter(pk=amara.pk).update(country="NZ")
    page = signed_in(amara).get("/portal/").content.decode()
    assert '<a href="tel:999">999</a>' in footer(page)


def test_every_portal_page_carries_the_numbers_in_its_footer(amara: Any) -> None:
    http = signed_in(amara)
    pages = {
        "/portal/": http.get("/portal/"),
        "/portal/files/": http.get("/portal/files/"),
        "/portal/preferences/": http.get("/portal/preferences/"),
        "agenda done": http.post("/portal/agenda/", {"kind": "policy_question", "note": ""}),
        "problem": http.post("/portal/send/", {"text": ""}),
    }
    for name, response in pages.items():
        assert response.status_code in {200, 400}, name
        text = footer(response.content.decode())
        assert '<a href="tel:999">999</a>' in text, name
        assert '<a href="tel:116123">116 123</a>' in text, name


def test_pages_before_sign_in_say_to_call_the_local_emergency_number(amara: Any) -> None:
    anonymous = HttpClient()
    for response in (
        anonymous.get("/portal/"),
        anonymous.get("/portal/signin/some-token/"),
        anonymous.post("/portal/signin/not-a-real-token/"),
    ):
        assert "call your local emergency number now" in footer(response.content.decode())


def test_a_practices_own_domain_serves_no_portal_page_to_carry_numbers(amara: Any) -> None:
    """The portal answers only on the installation's own host (docs/security.md)."""
    from boundaries.practices.actions import do_add_domain

    do_add_domain(amara.practice, "portal.riverside.example")
    page = HttpClient().get("/portal/signin/some-token/", HTTP_HOST="portal.riverside.example")
    assert page.status_code == 404
