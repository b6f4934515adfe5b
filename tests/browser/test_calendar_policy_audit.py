"""In Debian's Chromium, on a desktop and a 390 px phone: subscribe to a calendar served on
loopback, edit, check, preview, compare and publish the policy, then filter the audit log
and verify its chain. Every page passes axe-core and never scrolls sideways."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest
from django.test import override_settings

from boundaries.core.policy.templates import render_template
from boundaries.portal.actions import do_publish_policy
from boundaries.practices import actions
from boundaries.practices.models import Appointment, PolicyVersion
from tests.channels.conftest import run_worker
from tests.web.signin import PASSWORDS, current_code

pytestmark = pytest.mark.django_db(transaction=True)


def alder_source() -> str:
    return render_template(
        "GB",
        practice_name="Alder Tree Counselling",
        therapist_name="Alice Owner",
        phone="+442079460123",
        email="hello@alder.example",
        website="https://alder.example",
    )


def calendar_file() -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//A therapist's calendar//EN")
    calendar.add("version", "2.0")
    start = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    for uid, days, attendee, title in (
        ("b-1", 2, "mailto:ana@example.org", "Session"),
        ("b-2", 3, "", "Session: Sam (new referral)"),
    ):
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("summary", title)
        event.add("dtstart", start + dt.timedelta(days=days))
        event.add("dtend", start + dt.timedelta(days=days, minutes=50))
        if attendee:
            event.add("attendee", attendee)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


@pytest.fixture
def calendar_url() -> Iterator[str]:
    body = calendar_file()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with override_settings(CALENDAR_ALLOW_LOOPBACK=True):
        yield f"http://127.0.0.1:{server.server_address[1]}/private-token/basic.ics"
    server.shutdown()
    server.server_close()


@pytest.fixture
def alder(practice: Any, alice: Any) -> Any:
    for first, last, email in (("Ana", "Adebayo", "ana@example.org"), ("Sam", "Sutton", "")):
        client = actions.do_add_client(
            practice,
            first_name=first,
            last_name=last,
            therapist=alice,
            emails=[email] if email else [],
        )
        actions.do_set_agreement(client, channels=["email", "portal"])
    do_publish_policy(practice, source=alder_source(), summary="First version")
    return practice


def sign_in(page: Any, base: str, user: Any) -> None:
    tab = page.page
    tab.goto(base + "/account/login/")
    tab.get_by_label("Username").fill(user.username)
    tab.get_by_label("Password").fill(PASSWORDS[user.username])
    tab.get_by_role("button", name="Continue").click()
    tab.wait_for_url("**/account/setup/authenticator/**")
    tab.get_by_label("Six-digit code").fill(current_code(user))
    tab.get_by_role("button", name="Confirm").click()
    tab.wait_for_load_state()


def check_page(page: Any, name: str) -> None:
    """axe-core finds nothing serious, and the page is no wider than the screen."""
    tab = page.page
    assert page.axe_violations() == [], name
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    viewport = tab.evaluate("() => window.innerWidth")
    assert width <= viewport, f"{name}: {width}px wide in a {viewport}px window"
    page.screenshot(f"{name}-{viewport}")


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_calendar_then_policy_then_audit_on_a_desktop_and_a_phone(
    live_server: Any,
    request: pytest.FixtureRequest,
    alder: Any,
    calendar_url: str,
    device: str,
) -> None:
    page = request.getfixturevalue(device)
    alice = request.getfixturevalue("alice")
    tab = page.page
    console_errors: list[str] = []
    tab.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    base = live_server.url
    sign_in(page, base, alice.user)

    # Calendar: subscribe, see what matched, match the rest by hand.
    tab.goto(base + "/dashboard/calendar/")
    check_page(page, "calendar-empty")
    tab.get_by_label("Your calendar's private address").fill(calendar_url)
    tab.get_by_role("button", name="Read this calendar").click()
    tab.wait_for_url("**/dashboard/calendar/**")
    assert tab.get_by_text("127.0.0.1", exact=True).is_visible()
    assert "private-token" not in tab.content()
    assert tab.get_by_text("Session: Sam (new referral)").is_visible()
    check_page(page, "calendar-subscribed")
    tab.get_by_label("Client for the event").select_option(label="Sam Sutton")
    tab.get_by_role("button", name="Match").click()
    tab.wait_for_url("**/dashboard/calendar/**")
    assert "None: every upcoming event" in tab.content()
    assert set(Appointment.objects.values_list("uid", flat=True)) == {"b-1", "b-2"}

    # Policy: a mistake is named as you type; preview and compare; publish.
    tab.goto(base + "/dashboard/policy/")
    check_page(page, "policy")
    tab.get_by_role("link", name="Edit the policy").click()
    tab.wait_for_url("**/dashboard/policy/edit/")
    editor = tab.get_by_label("Your policy (TOML)")
    editor.fill(alder_source().replace("enabled = true", 'enabled = "yes"', 1))
    tab.locator("#policy-check").get_by_text("clauses.no-connections.enabled").wait_for()
    check_page(page, "policy-edit-error")
    editor.fill(alder_source().replace("Alder Tree Counselling", "Alder Counselling", 1))
    tab.locator("#policy-check").get_by_text("The policy is valid.").wait_for()
    tab.get_by_role("button", name="Preview").click()
    tab.wait_for_load_state()
    assert tab.get_by_role("heading", name="What changed since version 1").is_visible()
    assert tab.locator(".policy-diff del").first.is_visible()
    assert tab.get_by_role("heading", name="Preview: the public page").is_visible()
    check_page(page, "policy-preview")
    tab.get_by_label("What changed, in a sentence").fill("A shorter practice name")
    tab.get_by_role("button", name="Publish").click()
    tab.wait_for_url("**/dashboard/policy/?published=2")
    assert PolicyVersion.objects.filter(practice=alder, number=2).exists()
    tab.get_by_role("link", name="Compare with 1").click()
    tab.wait_for_url("**/dashboard/policy/versions/2/diff/")
    check_page(page, "policy-version-diff")
    tab.goto(base + "/dashboard/policy/acknowledgements/")
    check_page(page, "policy-acknowledgements")

    # Audit log: filter by action and client, then verify the chain.
    tab.goto(base + "/dashboard/audit/")
    check_page(page, "audit")
    tab.get_by_label("Action (or its start").fill("policy.")
    tab.get_by_role("button", name="Show").click()
    tab.wait_for_url("**/dashboard/audit/?**")
    assert tab.get_by_text("policy.publish").first.is_visible()
    assert "calendar.subscribed" not in tab.content()
    tab.get_by_label("Action (or its start").fill("")
    tab.get_by_label("Client", exact=True).select_option(label="Sam Sutton")
    tab.get_by_role("button", name="Show").click()
    tab.wait_for_url("**/dashboard/audit/?**")
    assert tab.get_by_text("appointment.matched_by_hand").is_visible()
    check_page(page, "audit-filtered")
    tab.get_by_role("button", name="Verify the chain").click()
    tab.wait_for_load_state()
    assert tab.get_by_text("The check is queued.").is_visible()
    check_page(page, "audit-check-queued")
    run_worker()  # the worker checks the whole chain, off the web request
    tab.reload()
    assert tab.get_by_text("The audit log is intact.").is_visible()
    check_page(page, "audit-verified")
    # Nothing the strict CSP refused (no inline style or script), no other console error.
    assert console_errors == []
