"""A practice's first day, in Debian's Chromium on a 390 px phone, with no shell command.

On an empty installation: the whole first-run setup, then a client added, their
agreement recorded, the therapist's calendar subscribed (served on loopback), a
second policy version edited and published, and a test alert from Settings that
reaches a real SMTP peer on loopback. Every page reached passes axe-core with no
violation of any impact and never scrolls sideways at 390 px.
"""

from __future__ import annotations

from typing import Any

import pytest

from boundaries.practices.models import Appointment, Client, PolicyVersion, Therapist
from tests.browser.test_calendar_policy_audit import calendar_url
from tests.browser.test_setup_wizard import check, first_run, relay
from tests.channels.smtp_helpers import Recorder

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = 390

__all__ = ["calendar_url", "relay"]  # fixtures, used by name


def test_a_practice_is_set_up_and_used_from_a_phone_with_no_command_line(
    live_server: Any, relay: Recorder, calendar_url: str, phone_page: Any
) -> None:
    page, tab, base = phone_page, phone_page.page, live_server.url
    user = first_run(page, base, relay, PHONE)
    practice = Therapist.objects.get(user=user).practice

    # A client, with the address the calendar's invitation uses.
    tab.goto(base + "/dashboard/clients/")
    check(page, PHONE, "day-clients")
    tab.get_by_role("link", name="Add a client").click()
    tab.wait_for_url("**/dashboard/clients/new/")
    check(page, PHONE, "day-client-add")
    tab.get_by_label("First name").fill("Ana")
    tab.get_by_label("Last name").fill("Adebayo")
    tab.get_by_label("Email addresses, one a line").fill("ana@example.org")
    tab.get_by_label("Phone numbers, one a line").fill("0161 496 0123")
    tab.get_by_role("button", name="Add client").click()
    client = Client.objects.get(practice=practice, first_name="Ana")
    tab.wait_for_url(f"**/dashboard/clients/{client.pk}/")
    check(page, PHONE, "day-client")

    # Their agreement: email and texts (the portal is ticked already), discreet reminders
    # by text two days and two hours before.
    tab.get_by_role("link", name="Record the agreement").click()
    tab.wait_for_url("**/agreement/")
    check(page, PHONE, "day-agreement")
    tab.get_by_label("Email", exact=True).check()
    tab.get_by_label("Text messages").check()
    tab.get_by_label("Discreet: says appointment, nothing that tells what kind").check()
    tab.get_by_label("By text message").check()
    tab.get_by_label("When, before each session").fill("48h, 2h")
    tab.get_by_role("button", name="Record this agreement").click()
    tab.wait_for_url(f"**/dashboard/clients/{client.pk}/")
    agreement = client.current_agreement()
    assert agreement is not None
    assert set(agreement.channels) == {"email", "portal", "sms"}
    assert agreement.reminder_detail == "discreet"
    assert (agreement.reminder_channel, agreement.reminder_offsets) == ("sms", [2880, 120])

    # The therapist's own calendar, by its private address: Ana's session is matched.
    tab.goto(base + "/dashboard/calendar/")
    check(page, PHONE, "day-calendar")
    tab.get_by_label("Your calendar's private address").fill(calendar_url)
    tab.get_by_role("button", name="Read this calendar").click()
    tab.wait_for_url("**/dashboard/calendar/**")
    check(page, PHONE, "day-calendar-subscribed")
    assert Appointment.objects.filter(client=client, uid="b-1").exists()

    # A second policy version: edited, checked, previewed and published.
    tab.goto(base + "/dashboard/policy/")
    check(page, PHONE, "day-policy")
    tab.get_by_role("link", name="Edit the policy").click()
    tab.wait_for_url("**/dashboard/policy/edit/")
    editor = tab.get_by_label("Your policy (TOML)")
    editor.fill(editor.input_value().replace("Harbour Light Therapy", "Harbour Light", 1))
    tab.locator("#policy-check").get_by_text("The policy is valid.").wait_for()
    check(page, PHONE, "day-policy-edit")
    tab.get_by_role("button", name="Preview").click()
    tab.wait_for_load_state()
    check(page, PHONE, "day-policy-preview")
    tab.get_by_label("What changed, in a sentence").fill("A shorter practice name")
    tab.get_by_role("button", name="Publish").click()
    tab.wait_for_url("**/dashboard/policy/?published=2")
    check(page, PHONE, "day-policy-published")
    assert PolicyVersion.objects.filter(practice=practice, number=2).exists()

    # A test alert from Settings reaches the SMTP peer (the setup sent the first).
    tab.goto(base + "/dashboard/settings/")
    check(page, PHONE, "day-settings")
    tab.get_by_role("button", name="Send a test alert").click()
    tab.wait_for_load_state()
    check(page, PHONE, "day-settings-alert-sent")
    assert len(relay.messages) == 2
    assert relay.messages[1][1] == ["morgan.alerts@harbour.test"]
    assert b"test alert" in relay.messages[1][2]
    # Nothing on any page came from anywhere but the site itself.
    assert not [url for url in page.requests if not url.startswith((base, "data:"))]
