"""The client screens in real Chromium, on a phone and a desktop: add a client, record
and change their agreement, mark the agenda item the change created as discussed.

Every page reached must fit the screen (no horizontal scroll) and pass axe-core.
"""

from __future__ import annotations

from typing import Any

import pytest

from boundaries.practices.models import AgendaItem, Client
from tests.browser.test_dashboard import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def check_page(page: Any, name: str) -> None:
    tab = page.page
    tab.wait_for_load_state()
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    viewport = tab.evaluate("() => window.innerWidth")
    assert width <= viewport, f"{name}: {width} px wide in a {viewport} px window"
    assert page.axe_violations() == [], name
    page.screenshot(f"clients-{name}-{viewport}")


@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_a_therapist_adds_a_client_records_the_agreement_and_marks_the_agenda_discussed(
    live_server: Any, request: pytest.FixtureRequest, screen: str, alice: Any
) -> None:
    page = request.getfixturevalue(screen)
    tab = page.page
    sign_in(page, live_server.url, alice.user)
    tab.goto(live_server.url + "/dashboard/clients/")
    check_page(page, "list")
    tab.get_by_role("link", name="Add a client").click()
    tab.wait_for_url("**/dashboard/clients/new/")
    check_page(page, "add")
    tab.get_by_label("First name").fill("Rowan")
    tab.get_by_label("Last name").fill("Ashby")
    tab.get_by_label("Phone numbers, one a line").fill("0161 496 0123")
    tab.get_by_label("Email addresses, one a line").fill("rowan@example.org")
    tab.get_by_label("Emergency contact: name").fill("Sam Brookfield")
    tab.get_by_label("Emergency contact: phone number").fill("0161 496 0456")
    tab.get_by_role("button", name="Add client").click()
    client = Client.objects.get(first_name="Rowan")
    tab.wait_for_url(f"**/dashboard/clients/{client.pk}/")
    assert tab.get_by_role("link", name="Call +44 161 496 0123").get_attribute("href") == (
        "tel:+441614960123"
    )
    check_page(page, "client")

    tab.get_by_role("link", name="Emergency contact").click()
    tab.wait_for_url("**/emergency-contact/")
    assert tab.get_by_role("link", name="Call +44 161 496 0456").is_visible()
    check_page(page, "emergency")
    tab.go_back()

    tab.get_by_role("link", name="Record the agreement").click()
    tab.wait_for_url("**/agreement/")
    check_page(page, "agreement")
    tab.get_by_label("Email", exact=True).check()
    tab.get_by_label("Full: the time, the practice's name and the therapist's").check()
    tab.get_by_role("button", name="Record this agreement").click()
    tab.wait_for_url(f"**/dashboard/clients/{client.pk}/")
    assert tab.get_by_text("Agreement version 1 recorded.").is_visible()

    # A change is a new version, and goes on the next session's agenda.
    tab.get_by_role("link", name="Change the agreement").click()
    tab.wait_for_url("**/agreement/")
    tab.get_by_label("Text messages").check()
    tab.get_by_role("button", name="Record this agreement").click()
    tab.wait_for_url(f"**/dashboard/clients/{client.pk}/")
    assert tab.get_by_text("Agreement version 2 recorded.").is_visible()
    check_page(page, "client-with-agenda")
    # The Reply is checked by the guard as the therapist types, as on Write.
    tab.get_by_label("Your reply").press_sequentially(
        "Would you mind leaving me a review on Google?", delay=5
    )
    tab.locator("#findings li").first.wait_for(timeout=10_000)
    assert "no-endorsements" in tab.locator("#findings").inner_text()

    tab.get_by_role("link", name="Next session", exact=True).click()
    tab.wait_for_url("**/next-session/")
    check_page(page, "next-session")
    tab.get_by_label("Note (optional, no clinical content)").fill("texts are fine for reminders")
    tab.get_by_role("button", name="Mark discussed").click()
    tab.wait_for_url("**/next-session/")
    assert tab.get_by_text("Marked as discussed").is_visible()
    check_page(page, "next-session-done")
    item = AgendaItem.objects.get(client=client)
    assert item.discussed_at is not None
    assert item.discussed_note == "texts are fine for reminders"

    tab.goto(live_server.url + "/dashboard/clients/import/")
    check_page(page, "import")
    tab.goto(live_server.url + "/dashboard/next-sessions/")
    check_page(page, "next-sessions")
