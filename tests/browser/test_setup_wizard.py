"""The first-run setup in Debian's Chromium, on an empty installation, at desktop and phone
widths: the QR code renders, the policy is checked as it is typed, the test alert reaches a
real SMTP peer on loopback, every page passes axe and none scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from boundaries.inbox.models import InboundRoute
from boundaries.practices.models import PolicyVersion, Therapist
from boundaries.setup.actions import first_run_key
from tests.channels.smtp_helpers import Recorder, recorder
from tests.web.signin import current_code

pytestmark = pytest.mark.django_db(transaction=True)

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
#: The elements that stick out past the right edge, to say what to fix.
WIDEST = """(width) => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width)
  .slice(0, 5)
  .map(e => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.fixture
def relay() -> Iterator[Recorder]:
    with (
        recorder() as (port, peer),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ),
    ):
        yield peer


def check(page: Any, width: int, name: str, *, scroll: bool = True) -> None:
    """No accessibility violation of any impact, and no sideways scrolling."""
    tab = page.page
    tab.wait_for_load_state()
    assert page.axe_violations(ALL_IMPACTS) == [], tab.url
    wide = tab.evaluate("() => document.documentElement.scrollWidth")
    if scroll:
        assert wide <= width, f"{tab.url} is {wide} px wide at {width} px: " + str(
            tab.evaluate(WIDEST, width)
        )
    page.screenshot(f"setup-{name}-{width}")


@pytest.mark.parametrize(("screen", "width"), [("page", 1280), ("phone_page", 390)])
def test_the_whole_setup_runs_in_the_browser_on_an_empty_installation(
    live_server: Any, relay: Recorder, request: pytest.FixtureRequest, screen: str, width: int
) -> None:
    page = request.getfixturevalue(screen)
    tab = page.page
    base = live_server.url

    # 1. The first account, with the setup key, then the authenticator.
    tab.goto(base + "/dashboard/")
    tab.wait_for_url("**/dashboard/setup/account/")
    check(page, width, "first-account")
    tab.get_by_label("Setup key").fill(first_run_key())
    tab.get_by_label("Username").fill("morgan")
    tab.get_by_label("Your email").fill("morgan@harbour.test")
    tab.get_by_label("Password").fill("a long passphrase for morgan")
    tab.get_by_role("button", name="Create my account").click()
    tab.wait_for_selector("img.qr")
    qr_width = tab.locator("img.qr").evaluate("img => img.complete ? img.naturalWidth : 0")
    assert qr_width > 0, "the QR code did not render"
    check(page, width, "authenticator")
    user = get_user_model().objects.get(username="morgan")
    tab.get_by_label("Six-digit code").fill(current_code(user))
    tab.get_by_role("button", name="Confirm").click()
    tab.wait_for_selector("ul.codes li")
    assert tab.locator("ul.codes li").count() == 10
    check(page, width, "recovery-codes")
    tab.get_by_role("button", name="I have kept them safe: continue").click()

    # 2. The practice.
    tab.wait_for_url("**/dashboard/setup/practice/")
    check(page, width, "practice")
    tab.get_by_label("Practice name").fill("Harbour Light Therapy")
    tab.get_by_label("Country").select_option("GB")
    tab.get_by_label("Time zone").fill("Europe/London")
    tab.get_by_label("Professional body").fill("UKCP")
    tab.get_by_label("Your name as clients know it").fill("Morgan Vale")
    tab.get_by_role("button", name="Save and continue").click()

    # 3. The policy: the template filled in, then edited as a file, checked as it is typed.
    tab.wait_for_url("**/dashboard/setup/policy/")
    check(page, width, "policy")
    tab.get_by_label("Phone number for changing appointments").fill("020 7946 0555")
    tab.get_by_label("Email clients may write to").fill("hello@harbour.test")
    tab.get_by_label("Your website").fill("https://harbour.test")
    tab.get_by_role("button", name="Fill in the policy").click()
    tab.wait_for_selector("#policy-check .ok")
    assert "Ready to publish" in tab.locator("#policy-check").inner_text()
    source = tab.locator("textarea[name=source]")
    good = source.input_value()
    source.fill(good.replace("hello@harbour.test", "hello@example.com"))
    tab.wait_for_selector("#policy-check .check-error")
    assert "still a placeholder" in tab.locator("#policy-check").inner_text()
    check(page, width, "policy-error")
    source.fill(good)
    tab.wait_for_selector("#policy-check .ok")
    tab.locator("#policy-source").get_by_role("button", name="Save and continue").click()

    # 4. Where messages arrive.
    tab.wait_for_url("**/dashboard/setup/addresses/")
    for kind, address in (("email", "appointments@harbour.test"), ("sms", "+442079460100")):
        tab.get_by_label("Kind of address").select_option(kind)
        tab.locator("input[name=address]").fill(address)
        tab.get_by_role("button", name="Add this address").click()
        tab.wait_for_selector(f"text={address}")
    check(page, width, "addresses")
    tab.get_by_role("button", name="Continue").click()

    # 5. Urgent alerts, and a test alert that reaches the SMTP peer.
    tab.wait_for_url("**/dashboard/setup/alerts/")
    check(page, width, "alerts")
    tab.get_by_label("Email for urgent alerts").fill("morgan.alerts@harbour.test")
    tab.get_by_role("button", name="Save", exact=True).click()
    tab.wait_for_load_state()
    tab.get_by_role("button", name="Send a test alert").click()
    tab.wait_for_selector("text=Check that it arrived")
    check(page, width, "alert-sent")
    assert [rcpt for _, rcpt, _ in relay.messages] == [["morgan.alerts@harbour.test"]]
    assert b"test alert" in relay.messages[0][2]
    tab.get_by_role("button", name="Save and continue").click()

    # 6. Publish version 1: the dashboard opens.
    tab.wait_for_url("**/dashboard/setup/publish/")
    check(page, width, "publish")
    tab.get_by_role("button", name="Publish version 1").click()
    tab.wait_for_url("**/dashboard/?welcome=1")
    # The inbox's own width at 390 px is the phone-first work's (issue 17, item 9).
    check(page, width, "dashboard", scroll=False)

    therapist = Therapist.objects.get(user=user)
    assert therapist.role == Therapist.Role.OWNER
    assert PolicyVersion.objects.get(practice=therapist.practice).number == 1
    assert InboundRoute.objects.filter(practice=therapist.practice).count() == 2
    tab.goto(base + "/dashboard/settings/")
    check(page, width, "settings")
    assert not [
        url for url in page.requests if not url.startswith(base) and not url.startswith("data:")
    ]
