"""The therapist's side of risk levels in real Chromium, on a desktop and on a phone: a concern
under "Review today" until it is reviewed, and an urgent message's "who to call" screen whose
buttons record the therapist's judgement. Every page meets WCAG AA in axe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.test_dashboard import sign_in
from tests.web.signin import PASSWORDS, current_code

pytestmark = pytest.mark.django_db(transaction=True)

URGENT_TEXT = "I'm going to kill myself tonight"
CONCERN_TEXT = "I keep thinking about ending it all"


@pytest.fixture
def rowan(practice: Any, alice: Any) -> Any:
    from boundaries.practices import actions
    from boundaries.practices.emergency import EmergencyContact

    client = actions.do_add_client(
        practice,
        first_name="Rowan",
        last_name="Ashby",
        therapist=alice,
        phones=["+441614960123"],
        emergency=EmergencyContact("Sam Brookfield", "0161 496 0456", "partner"),
    )
    actions.do_set_agreement(client, channels=["sms", "phone", "portal"])
    return client


def text_from_rowan(practice: Any, text: str, sid: str) -> Any:
    from boundaries.core.types import Channel, InboundMessage
    from boundaries.inbox.actions import Arrival, do_ingest

    message = InboundMessage(
        channel=Channel.SMS, sender="+441614960123", text=text, received_at=dt.datetime.now(dt.UTC)
    )
    return do_ingest(
        practice, Arrival(message=message, raw=text.encode(), external_id=sid, reply_address="")
    ).message


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_concern_is_reviewed_and_an_urgent_message_is_judged_from_one_screen(
    request: pytest.FixtureRequest, live_server: Any, alice: Any, rowan: Any, width: str
) -> None:
    from boundaries.audit.models import AuditEntry
    from boundaries.inbox.models import Alert, Review

    page = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    practice = rowan.practice
    concern = text_from_rowan(practice, CONCERN_TEXT, f"SMconcern{width}")
    urgent = text_from_rowan(practice, URGENT_TEXT, f"SMurgent{width}")
    assert (concern.risk, urgent.risk) == ("concern", "urgent")
    sign_in(page, live_server.url, alice.user)
    tab = page.page

    # Review today: the concern, under the urgent section, until it is marked reviewed.
    review = tab.locator("#review-today")
    assert tab.get_by_role("heading", name="Review today").is_visible()
    assert "from RA" in review.inner_text()
    assert "ending it all" not in tab.content()
    page.screenshot(f"dashboard-review-today-{width}")
    assert page.axe_violations() == []
    review.get_by_role("link").first.click()
    tab.wait_for_url(f"**/dashboard/messages/{concern.pk}/")
    assert tab.get_by_role("heading", name="Risk level: Concern").is_visible()
    page.screenshot(f"dashboard-concern-message-{width}")
    assert page.axe_violations() == []
    tab.go_back()
    review.get_by_role("button", name="Reviewed").click()
    tab.wait_for_load_state()
    assert "Nothing to review today" in tab.locator("#review-today").inner_text()
    assert Review.objects.get(message=concern).reviewed_by == alice.user

    # The urgent message: its level on its page, then the one screen to act from.
    tab.locator("#crisis").get_by_role("link").first.click()
    tab.wait_for_url(f"**/dashboard/messages/{urgent.pk}/")
    assert tab.get_by_role("heading", name="Risk level: Urgent").is_visible()
    page.screenshot(f"dashboard-urgent-message-{width}")
    assert page.axe_violations() == []
    tab.get_by_role("link", name="Act on this: who to call").click()
    tab.get_by_label("Password").fill(PASSWORDS[alice.user.username])
    tab.get_by_label("Code from your authenticator app").fill(current_code(alice.user))
    tab.get_by_role("button", name="Confirm").click()
    tab.wait_for_url(f"**/dashboard/messages/{urgent.pk}/act/")
    assert tab.get_by_role("heading", name="Rowan Ashby").is_visible()
    phone = tab.get_by_role("link", name="+44 161 496 0123")
    assert phone.get_attribute("href") == "tel:+441614960123"
    assert phone.is_visible()
    emergency = tab.get_by_role("link", name="+44 161 496 0456")
    assert emergency.get_attribute("href") == "tel:+441614960456"
    assert "Sam Brookfield" in tab.content() and "phone, portal, sms" in tab.content()
    page.screenshot(f"dashboard-urgent-act-{width}")
    assert page.axe_violations() == []

    tab.get_by_role("button", name="Not a risk").click()
    tab.wait_for_url(f"**/dashboard/messages/{urgent.pk}/act/")
    assert "Recorded: Not a risk" in tab.get_by_role("status").inner_text()
    alert = Alert.objects.get(message=urgent)
    assert (alert.judgement, alert.judged_by) == ("none", alice.user)
    assert AuditEntry.objects.filter(action="alert.judged", actor=alice.user).count() == 1
    tab.get_by_role("button", name="Concern, not urgent").click()
    tab.wait_for_url(f"**/dashboard/messages/{urgent.pk}/act/")
    assert Alert.objects.get(message=urgent).judgement == "concern"
    page.screenshot(f"dashboard-urgent-judged-{width}")
    assert page.axe_violations() == []

    # At a glance: the practice's own alert precision, with its counts.
    tab.goto(live_server.url + "/dashboard/insights/")
    precision = tab.locator("#alert-precision")
    assert "0%" in precision.inner_text()
    assert "Of the 1 urgent alert judged in this practice" in precision.inner_text()
    precision.scroll_into_view_if_needed()
    page.screenshot(f"dashboard-alert-precision-{width}")
    assert page.axe_violations() == []
    assert all(url.startswith(live_server.url) for url in page.requests)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_urgent_screen_says_plainly_when_the_sender_is_not_a_known_client(
    request: pytest.FixtureRequest, live_server: Any, practice: Any, alice: Any, width: str
) -> None:
    from boundaries.core.types import Channel, InboundMessage
    from boundaries.inbox.actions import Arrival, do_ingest

    page = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    stranger = InboundMessage(
        channel=Channel.SMS,
        sender="+441614960999",
        text=URGENT_TEXT,
        received_at=dt.datetime.now(dt.UTC),
    )
    urgent = do_ingest(
        practice,
        Arrival(message=stranger, raw=URGENT_TEXT.encode(), external_id=f"SMx{width}"),
    ).message
    sign_in(page, live_server.url, alice.user)
    tab = page.page
    tab.goto(f"{live_server.url}/dashboard/messages/{urgent.pk}/act/")
    tab.get_by_label("Password").fill(PASSWORDS[alice.user.username])
    tab.get_by_label("Code from your authenticator app").fill(current_code(alice.user))
    tab.get_by_role("button", name="Confirm").click()
    tab.wait_for_url(f"**/dashboard/messages/{urgent.pk}/act/")
    assert tab.get_by_role("heading", name="The sender is not a known client").is_visible()
    assert "+44 161 496 0999" not in tab.content() and "4960999" not in tab.content()
    assert tab.get_by_role("button", name="Not a risk").is_visible()
    page.screenshot(f"dashboard-urgent-unknown-sender-{width}")
    assert page.axe_violations() == []
