"""A client who writes of risk in the portal sees the crisis numbers at once, in real Chromium,
on a desktop and on a phone, and the pages meet WCAG AA in axe."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

URGENT_TEXT = "I'm going to kill myself tonight"


@pytest.fixture
def rowan(practice: Any, alice: Any) -> Any:
    from boundaries.demo import demo_policy_source
    from boundaries.portal.actions import do_publish_policy
    from boundaries.practices import actions

    do_publish_policy(practice, source=demo_policy_source(), summary="First")
    client = actions.do_add_client(
        practice, first_name="Rowan", last_name="Ashby", therapist=alice, country="GB"
    )
    actions.do_set_agreement(client, channels=["phone", "portal"])
    return client


def portal_sign_in(page: Any, base: str, client: Any) -> None:
    from boundaries.portal.actions import do_issue_magic_link

    tab = page.page
    tab.goto(f"{base}/portal/signin/{do_issue_magic_link(client)}/")
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url("**/portal/")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_crisis_sent_in_the_portal_shows_the_crisis_numbers_at_once(
    request: pytest.FixtureRequest, live_server: Any, rowan: Any, width: str
) -> None:
    page = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    tab = page.page
    portal_sign_in(page, live_server.url, rowan)
    tab.get_by_label("Your message").fill(URGENT_TEXT)
    tab.get_by_role("button", name="Send securely").click()
    tab.wait_for_load_state()
    sent = tab.locator("#sent-crisis")
    assert sent.is_visible()
    assert tab.get_by_role("heading", name="Please do not wait for a reply").is_visible()
    # The numbers of the client's country, from the published policy, as links to call.
    emergency = sent.get_by_role("link", name="999")
    assert emergency.get_attribute("href") == "tel:999"
    assert emergency.is_visible()
    assert sent.get_by_role("link", name="116 123").get_attribute("href") == "tel:116123"
    assert sent.get_by_role("link", name="85258").get_attribute("href") == "sms:85258?body=SHOUT"
    # On a phone, the emergency number is on the first screen, not below the thread.
    box = emergency.bounding_box()
    assert box is not None and box["y"] + box["height"] < 844
    assert box["height"] >= 16
    footer = tab.locator("footer.crisis-footer")
    assert footer.get_by_role("link", name="999").get_attribute("href") == "tel:999"
    page.screenshot(f"portal-crisis-numbers-{width}")
    assert page.axe_violations() == []
    # Nothing leaves the site, and the message itself is shown only in the thread.
    assert all(url.startswith(live_server.url) for url in page.requests)
    tab.goto(live_server.url + "/portal/files/")
    assert tab.locator("footer.crisis-footer").get_by_role("link", name="999").is_visible()
    assert tab.locator("#sent-crisis").count() == 0
    assert page.axe_violations() == []
