"""The therapist's dashboard in real Chromium: sign-in with TOTP, a crisis that appears
without a reload and is acknowledged, the guard as you type, and accessibility."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from boundaries.core.types import Channel, InboundMessage
from tests.web.signin import PASSWORDS, current_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client_ana(practice: Any, alice: Any) -> Any:
    from boundaries.practices import actions

    client = actions.do_add_client(
        practice,
        first_name="Ana",
        last_name="Adebayo",
        therapist=alice,
        phones=["+441614960123"],
    )
    actions.do_set_agreement(client, channels=["sms", "email", "portal"])
    return client


def sign_in(page: Any, base: str, user: Any) -> None:
    tab = page.page
    tab.goto(base + "/account/login/")
    tab.get_by_label("Username").fill(user.username)
    tab.get_by_label("Password").fill(PASSWORDS[user.username])
    tab.get_by_role("button", name="Continue").click()
    tab.wait_for_url("**/account/setup/authenticator/**")
    assert page.axe_violations() == []
    tab.get_by_label("Six-digit code").fill(current_code(user))
    tab.get_by_role("button", name="Confirm").click()
    tab.wait_for_load_state()
    # First sign-in shows the recovery codes once; then the dashboard.
    if "recovery" in tab.url:
        page.screenshot("dashboard-recovery-codes")
        assert page.axe_violations() == []
        tab.get_by_role("link", name="I have kept them safe").click()
    tab.goto(base + "/dashboard/")
    assert tab.get_by_role("heading", name="Urgent: possible risk to life").is_visible()


def crisis_sms(practice: Any) -> Any:
    from boundaries.inbox.actions import Arrival, do_ingest

    text = "i cant keep going. i have the pills saved up and i want to end it tonight"
    message = InboundMessage(
        channel=Channel.SMS,
        sender="+441614960123",
        text=text,
        received_at=dt.datetime.now(dt.UTC),
    )
    return do_ingest(
        practice,
        Arrival(message=message, raw=text.encode(), external_id="SMbrowser1", reply_address=""),
    )


def test_a_crisis_appears_at_the_top_without_a_reload_and_is_acknowledged(
    live_server: Any, page: Any, practice: Any, alice: Any, client_ana: Any
) -> None:
    sign_in(page, live_server.url, alice.user)
    tab = page.page
    crisis = tab.locator("#crisis")
    assert "No open crisis alerts" in crisis.inner_text()
    ingested = crisis_sms(practice)
    assert ingested.decision is not None and ingested.decision.crisis
    # htmx polls every 5 s under the strict CSP: the alert shows up on its own.
    tab.wait_for_selector("#crisis.crisis li", timeout=15_000)
    assert "from AA" in crisis.inner_text()
    assert "pills" not in tab.content()  # the list never shows content
    page.screenshot("dashboard-crisis")
    assert page.axe_violations() == []
    crisis.get_by_role("link").first.click()
    tab.wait_for_load_state()
    assert page.axe_violations() == []
    tab.get_by_role("button", name="I am dealing with this").click()
    tab.wait_for_load_state()
    tab.goto(live_server.url + "/dashboard/")
    assert "No open crisis alerts" in tab.locator("#crisis").inner_text()


def test_the_guard_explains_a_review_request_as_the_therapist_types(
    live_server: Any, page: Any, alice: Any, client_ana: Any
) -> None:
    sign_in(page, live_server.url, alice.user)
    tab = page.page
    tab.goto(live_server.url + "/dashboard/compose/")
    tab.get_by_label("To").select_option(str(client_ana.pk))
    tab.get_by_label("Channel").select_option("sms")
    tab.get_by_label("Message").press_sequentially(
        "Thanks for today! Would you mind leaving me a review on Google?", delay=5
    )
    finding = tab.locator("#findings li")
    finding.first.wait_for(timeout=10_000)
    assert "no-endorsements" in tab.locator("#findings").inner_text()
    page.screenshot("dashboard-compose-guard")
    assert page.axe_violations() == []
    tab.get_by_label("Message").fill("See you on Thursday at 3.")
    tab.get_by_label("Message").press("End")
    tab.get_by_label("Message").press_sequentially(" ", delay=5)
    tab.wait_for_selector("#findings .ok", timeout=10_000)


def test_every_dashboard_page_meets_wcag_aa_in_axe(
    live_server: Any, page: Any, alice: Any, client_ana: Any
) -> None:
    sign_in(page, live_server.url, alice.user)
    tab = page.page
    for path in (
        "/dashboard/",
        "/dashboard/clients/",
        f"/dashboard/clients/{client_ana.pk}/",
        "/dashboard/next-sessions/",
        "/dashboard/policy/",
        "/dashboard/insights/",
        "/dashboard/calendar/",
        "/dashboard/compose/",
    ):
        tab.goto(live_server.url + path)
        assert tab.title(), path
        assert page.axe_violations() == [], path
    page.screenshot("dashboard-insights")


def test_a_forgotten_password_is_asked_for_by_keyboard_alone_and_meets_aa(
    live_server: Any, page: Any, alice: Any
) -> None:
    tab = page.page
    tab.goto(live_server.url + "/account/login/")
    tab.get_by_role("link", name="Forgotten your password?").focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/account/password/forgotten/")
    assert page.axe_violations() == []
    tab.get_by_label("Email address").fill("alice@alder.example")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/account/password/sent/")
    assert tab.get_by_role("heading", name="Check your email").is_visible()
    assert page.axe_violations() == []


def test_a_texts_pictures_are_pointed_to_on_its_content_page_and_meet_aa(
    live_server: Any, page: Any, alice: Any, client_ana: Any
) -> None:
    from urllib.parse import urlencode

    from boundaries.inbox.actions import Arrival, do_ingest

    text = "here is my sleep diary from this week"
    webhook = {"From": "+441614960123", "Body": text, "NumMedia": "2"}
    message = InboundMessage(
        channel=Channel.SMS, sender="+441614960123", text=text, received_at=dt.datetime.now(dt.UTC)
    )
    stored = do_ingest(
        client_ana.practice,
        Arrival(
            message=message,
            raw=urlencode(webhook).encode(),
            external_id="SMbrowser2",
            reply_address="",
        ),
    ).message
    sign_in(page, live_server.url, alice.user)
    tab = page.page
    tab.goto(f"{live_server.url}/dashboard/messages/{stored.pk}/content/")
    # Content asks for the password and a fresh code again.
    tab.get_by_label("Password").fill(PASSWORDS[alice.user.username])
    tab.get_by_label("Code from your authenticator app").fill(current_code(alice.user))
    tab.get_by_role("button", name="Confirm").click()
    tab.wait_for_url(f"**/dashboard/messages/{stored.pk}/content/")
    assert tab.get_by_role("heading", name="Files sent with this message").is_visible()
    tab.get_by_role("link", name="their files").click()
    tab.wait_for_url(f"**/dashboard/clients/{client_ana.pk}/files/")
    tab.go_back()
    assert page.axe_violations() == []
    page.screenshot("dashboard-message-files-sent")
    # The icon is ours, named by every page: the browser never asks for /favicon.ico (a 404).
    assert any(url.endswith(".svg") and "/static/site/icon" in url for url in page.requests)
    assert not any(url.endswith("/favicon.ico") for url in page.requests)
