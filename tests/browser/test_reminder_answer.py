"""A reminder's email link in real Chromium, on a phone and a desktop: the time, two buttons a
thumb can press, nothing else on the page, nothing fetched from elsewhere, WCAG AA in axe."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail

from boundaries import clock
from boundaries.demo import demo_policy_source
from boundaries.portal.actions import do_publish_policy
from boundaries.practices import actions
from boundaries.reminders.sending import send_due_reminders

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def link(practice: Any, alice: Any) -> str:
    """The path of the link in Rowan's discreet email reminder, sent by the reminder run."""
    do_publish_policy(practice, source=demo_policy_source(), summary="First")
    rowan = actions.do_add_client(
        practice, first_name="Rowan", last_name="Ashby", therapist=alice,
        emails=["rowan@example.org"],
    )  # fmt: skip
    midnight = dt.time(0, 0)  # no quiet hours: the test runs at any time of day
    actions.do_set_agreement(
        rowan, channels=["email"], reminder_channel="email", reminder_offsets=[24 * 60],
        reminder_quiet_hours=(midnight, midnight),
    )  # fmt: skip
    starts = (clock.now() + dt.timedelta(hours=23)).replace(second=0, microsecond=0)
    actions.do_add_appointment(rowan, starts_at=starts)
    send_due_reminders(clock.now())
    (sent,) = mail.outbox
    found = re.search(r"https?://[^/\s]+(/r/[^\s]+/)", str(sent.body))
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_email_link_page_shows_the_time_and_two_buttons_and_confirms(
    request: pytest.FixtureRequest, live_server: Any, link: str, width: str
) -> None:
    page = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    tab = page.page
    tab.goto(live_server.url + link)
    assert tab.get_by_role("heading", name="Appointment").is_visible()
    text = tab.locator("body").inner_text()
    for word in ("Alder", "Counselling", "Alice", "Rowan", "therap"):
        assert word.lower() not in text.lower()
    for name in ("Confirm", "Cancel this appointment"):
        box = tab.get_by_role("button", name=name).bounding_box()
        assert box is not None and box["height"] >= 44
    overflow = tab.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    page.screenshot(f"reminder-link-{width}")
    assert page.axe_violations() == []
    tab.get_by_role("button", name="Confirm").click()
    tab.wait_for_load_state()
    assert "is confirmed" in tab.locator("[role=status]").inner_text()
    assert all(url.startswith(live_server.url) for url in page.requests)
