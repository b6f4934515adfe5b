"""Every page of the product, on a 390 px phone and a 1280 px desktop, in real Chromium.

The pages come from the URL configuration itself: a route that is neither visited
(``PAGES``, or passed through while signing in) nor named in ``NOT_PAGES`` with a reason
fails ``test_every_route_is_visited_or_explained``. To add a page, add a ``Visit`` to
``PAGES``: its URL name, who opens it (``ANYONE``, ``THERAPIST`` or ``CLIENT``) and how to
build its arguments from the demo scene (tests/browser/scene.py); give the scene what the
page needs if it has nothing to show yet.

Each page must: answer 200 (or the status named), have a specific <title> (not just
"Boundaries" or "Secure messages"), not scroll sideways (``scrollWidth`` within the
viewport), have every tap target at least 44 px high on the phone (a link inside a
sentence is exempt, as WCAG 2.5.8 allows), log nothing to the console (a CSP refusal is
a console error), and have no axe-core violation of any impact.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from boundaries.portal.actions import do_issue_magic_link
from tests.browser.scene import DEMO_PASSWORD, DEMO_USERNAME, Scene, build_scene
from tests.web.signin import current_code

pytestmark = pytest.mark.django_db(transaction=True)

ANYONE, THERAPIST, CLIENT = "anyone", "therapist", "client"


@dataclass(frozen=True, slots=True)
class Visit:
    """One page to open: ``reverse(name, args=args(scene))`` as ``who``."""

    name: str
    who: str = THERAPIST
    args: Callable[[Scene], tuple[Any, ...]] = lambda _scene: ()
    status: int = 200


def _slug(scene: Scene) -> tuple[Any, ...]:
    return (scene.practice.slug,)


# Pages, in the order a person would meet them. The sign-in pages (login, enroll,
# recovery_codes, second_factor, reauth) are checked on the way in as well.
PAGES: tuple[Visit, ...] = (
    # The public site, at the root (the installation's default practice) and under /p/<slug>/.
    Visit("site:home", ANYONE),
    Visit("site:home_versions", ANYONE),
    Visit("site:home_version", ANYONE, lambda s: (1,)),
    Visit("site:home_posts", ANYONE),
    Visit("site:home_post", ANYONE, lambda s: (s.post_slug,)),
    Visit("site:policy", ANYONE, _slug),
    Visit("site:versions", ANYONE, _slug),
    Visit("site:version", ANYONE, lambda s: (s.practice.slug, 1)),
    Visit("site:posts", ANYONE, _slug),
    Visit("site:post", ANYONE, lambda s: (s.practice.slug, s.post_slug)),
    # Signing in and a forgotten password.
    Visit("accounts:login", ANYONE),
    Visit("accounts:password_reset", ANYONE),
    Visit("accounts:password_reset_sent", ANYONE),
    Visit("accounts:password_reset_done", ANYONE),
    Visit(
        "accounts:password_reset_confirm",
        ANYONE,
        lambda s: (
            urlsafe_base64_encode(force_bytes(s.therapist.user.pk)),
            default_token_generator.make_token(s.therapist.user),
        ),
    ),
    Visit("portal:signin", ANYONE, lambda s: (do_issue_magic_link(s.portal_client),)),
    Visit("portal:home", ANYONE, status=403),  # signed out: how to sign in
    # An email reminder's answer link (no sign-in: the token is the key).
    Visit("reminders:answer", ANYONE, lambda s: (s.reminder_token,)),
    # The therapist's dashboard.
    Visit("dashboard:home"),
    Visit("dashboard:message", args=lambda s: (s.urgent_message,)),
    Visit("dashboard:message", args=lambda s: (s.concern_message,)),
    Visit("dashboard:message", args=lambda s: (s.ordinary_message,)),
    Visit("dashboard:message_content", args=lambda s: (s.ordinary_message,)),
    Visit("dashboard:act", args=lambda s: (s.urgent_message,)),
    Visit("dashboard:compose"),
    Visit("dashboard:clients"),
    Visit("dashboard:client_add"),
    Visit("dashboard:client_import"),
    Visit("dashboard:client", args=lambda s: (s.client.pk,)),
    Visit("dashboard:client", args=lambda s: (s.portal_client.pk,)),
    Visit("dashboard:client_edit", args=lambda s: (s.client.pk,)),
    Visit("dashboard:client_emergency", args=lambda s: (s.client.pk,)),
    Visit("dashboard:client_agreement", args=lambda s: (s.client.pk,)),
    Visit("dashboard:client_next_session", args=lambda s: (s.portal_client.pk,)),
    Visit("dashboard:secure_messages", args=lambda s: (s.portal_client.pk,)),
    Visit("dashboard:client_files", args=lambda s: (s.portal_client.pk,)),
    Visit("dashboard:agenda"),
    Visit("dashboard:policy"),
    Visit("dashboard:policy_edit"),
    Visit("dashboard:policy_version_diff", args=lambda s: (s.policy_version,)),
    Visit("dashboard:policy_acknowledgements"),
    Visit("dashboard:insights"),
    Visit("dashboard:calendar"),
    Visit("dashboard:audit"),
    Visit("dashboard:settings"),
    Visit("dashboard:settings_authenticator"),  # after the fresh confirmation above
    Visit("welfare:index"),
    Visit("welfare:open"),
    Visit("welfare:detail", args=lambda s: (s.welfare_check,)),
    Visit("exports:index"),
    Visit("exports:detail", args=lambda s: (s.export_audit,)),
    # The client's portal.
    Visit("portal:home", CLIENT),
    Visit("portal:files", CLIENT),
    Visit("portal:preferences", CLIENT),
)

#: Routes that are not pages a person reads, and why.
NOT_PAGES: dict[str, str] = {
    "healthz": "a probe for the load balancer (plain text)",
    "readyz": "a probe for the load balancer (plain text)",
    "calendar_feed": "an iCalendar download",
    "channels:twilio_sms": "a provider's webhook (POST, signed)",
    "channels:meta_webhook": "a provider's webhook (signed)",
    "accounts:logout": "POST only",
    "dashboard:message_attachment": "a download",
    "dashboard:acknowledge": "POST only",
    "dashboard:reviewed": "POST only",
    "dashboard:portal_link": "POST only",
    "dashboard:client_export": "a download (zip)",
    "dashboard:client_file": "a download",
    "dashboard:compose_check": "POST only (htmx fragment of the Write page)",
    "dashboard:notice_seen": "POST only",
    "dashboard:client_status": "POST only",
    "dashboard:client_reply": "POST only",
    "dashboard:agenda_discussed": "POST only",
    "dashboard:policy_check": "POST only (htmx fragment of the policy editor)",
    "dashboard:policy_remind": "POST only",
    "dashboard:calendar_subscribe": "POST only",
    "dashboard:calendar_subscription_refresh": "POST only",
    "dashboard:calendar_subscription_remove": "POST only",
    "dashboard:calendar_import": "POST only (the import's report is the Calendar page)",
    "dashboard:calendar_event_match": "POST only",
    "dashboard:calendar_event_ignore": "POST only",
    "dashboard:audit_verify": "POST only (its result is the audit log page)",
    "dashboard:audit_export": "a download (CSV)",
    **{
        f"dashboard:settings_{name}": "POST only (each section of the Settings page)"
        for name in (
            "practice",
            "add_route",
            "remove_route",
            "alerts",
            "test_alert",
            "recovery_codes",
            "sign_out_others",
            "add_therapist",
            "set_role",
        )
    },
    **{
        f"dashboard:setup{step}": "covered by tests/browser/test_setup_wizard.py "
        "(only an unfinished installation has it)"
        for step in (
            "",
            "_account",
            "_practice",
            "_policy",
            "_policy_check",
            "_addresses",
            "_alerts",
            "_publish",
        )
    },
    "welfare:add": "POST only",
    "welfare:export": "a download (PDF or JSON)",
    "exports:download": "a download (HTML report or PDF)",
    "portal:send": "POST only",
    "portal:agenda": "POST only",
    "portal:acknowledge": "POST only",
    "portal:answer_reminder": "POST only (its buttons are on the portal's home page)",
    "portal:download": "a download",
    **{
        f"site:{home}{feed}": "a feed (Atom or RSS)"
        for home in ("", "home_")
        for feed in ("posts_atom", "posts_rss", "policy_atom", "policy_rss")
    },
}

#: Checked on the way in (sign-in, first sign-in, a fresh confirmation for content).
PASSED_THROUGH = {
    "accounts:login",
    "accounts:enroll",
    "accounts:recovery_codes",
    "accounts:second_factor",
    "accounts:reauth",
}

GENERIC_TITLES = {"", "boundaries", "secure messages", "riverside talking therapy"}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
MIN_TARGET = 44
MIN_CHART_TEXT = 12

_TAP_TARGETS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[role=button], [tabindex]:not([tabindex="-1"])';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    let box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not rendered (closed <details>)
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (el.matches('input[type=checkbox], input[type=radio]') && el.labels && el.labels.length) {
      box = el.labels[0].getBoundingClientRect();  // the label is the target
    }
    if (box.height >= MIN_TARGET - 0.5) continue;
    if (el.tagName === 'A') {
      // A link inside a sentence: its block holds more words than the link's own.
      let block = el.parentElement;
      while (block && getComputedStyle(block).display.startsWith('inline')) {
        block = block.parentElement;
      }
      const own = el.textContent.replace(/\\s+/g, ' ').trim();
      const all = block ? block.textContent.replace(/\\s+/g, ' ').trim() : own;
      if (all.length > own.length + 2) continue;
    }
    const name = (el.textContent || el.getAttribute('aria-label') || el.name || '').trim();
    small.push(`${el.tagName.toLowerCase()} "${name.slice(0, 40)}" ${Math.round(box.height)} px`);
  }
  return small;
}""".replace("MIN_TARGET", str(MIN_TARGET))

_CHART_TEXT = """() => Array.from(document.querySelectorAll('svg.chart text')).map(t => {
  const scale = t.ownerSVGElement.getScreenCTM().a;
  return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale];
})"""


def route_names() -> set[str]:
    """Every named route of the installation's URL configuration, as ``namespace:name``."""

    def walk(patterns: list[Any], namespace: tuple[str, ...]) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield ":".join((*namespace, pattern.name))

    return set(walk(get_resolver().url_patterns, ()))


def test_every_route_is_visited_or_explained() -> None:
    visited = {visit.name for visit in PAGES} | PASSED_THROUGH
    unexplained = route_names() - visited - set(NOT_PAGES)
    assert not unexplained, f"add these routes to PAGES or NOT_PAGES: {sorted(unexplained)}"
    stale = (visited | set(NOT_PAGES)) - route_names()
    assert not stale, f"no longer routes: {sorted(stale)}"


class Checker:
    """Opens pages in one browser context and collects every problem it finds."""

    def __init__(self, browser: Any, base: str, width: str) -> None:
        w, h = WIDTHS[width]
        self.width = width
        self.base = base
        self.context = browser.new_context(
            viewport={"width": w, "height": h}, is_mobile=width == "phone"
        )
        self.tab = self.context.new_page()
        self.console: list[str] = []
        self.tab.on("console", self._console)
        self.tab.on("pageerror", lambda error: self.console.append(str(error)))
        self.problems: list[str] = []
        self.checked: set[str] = set()

    def _console(self, message: Any) -> None:
        if message.type not in {"error", "warning"}:
            return
        # An error page's own status (asserted apart) is logged as a failed load of itself.
        if (
            message.location.get("url") == self.tab.url
            and "responded with a status" in message.text
        ):
            return
        self.console.append(message.text)

    def check(self, expected_status: int = 200, status: int | None = None) -> None:
        """Check the page the tab shows now."""
        tab = self.tab
        tab.wait_for_load_state("load")
        path = urlparse(tab.url).path
        where = f"{self.width} {path}"
        if status is not None and status != expected_status:
            self.problems.append(f"{where}: status {status}")
        with contextlib.suppress(Resolver404):  # an error page has no route of its own
            self.checked.add(resolve(path).view_name)
        title = tab.title()
        if title.strip().lower() in GENERIC_TITLES or " — " not in title:
            self.problems.append(f"{where}: title {title!r} does not say which page this is")
        wide = tab.evaluate("() => document.documentElement.scrollWidth")
        if wide > WIDTHS[self.width][0]:
            self.problems.append(f"{where}: {wide} px wide, scrolls sideways")
        if self.width == "phone":
            self.problems += [f"{where}: tap target {t}" for t in tab.evaluate(_TAP_TARGETS)]
        for text, size in tab.evaluate(_CHART_TEXT):
            if size < MIN_CHART_TEXT:
                self.problems.append(f"{where}: chart text {text!r} is {size:.1f} px")
        self.problems += [f"{where}: console: {line}" for line in self.console]
        self.console.clear()
        self.problems += [f"{where}: axe: {v}" for v in self.axe()]

    def axe(self) -> list[str]:
        from tests.browser.conftest import RecordedPage

        page = RecordedPage.__new__(RecordedPage)
        page.page = self.tab
        return page.axe_violations(impacts=("minor", "moderate", "serious", "critical"))

    def open(self, visit: Visit, scene: Scene) -> None:
        response = self.tab.goto(self.base + reverse(visit.name, args=visit.args(scene)))
        self.check(visit.status, response.status if response else None)

    def sign_in_therapist(self) -> None:
        tab = self.tab
        tab.goto(self.base + reverse("accounts:login"))
        self.check()
        tab.get_by_label("Username").fill(DEMO_USERNAME)
        tab.get_by_label("Password").fill(DEMO_PASSWORD)
        tab.get_by_role("button", name="Continue").click()
        tab.wait_for_load_state()
        user = _demo_user()
        self.check()  # the authenticator's enrolment, or the code
        if "/setup/authenticator/" in tab.url:
            tab.get_by_label("Six-digit code").fill(current_code(user))
            tab.get_by_role("button", name="Confirm").click()
            tab.wait_for_url("**/recovery-codes/**")
            self.check()
            tab.get_by_role("link", name="I have kept them safe").click()
        else:
            tab.get_by_label(re.compile("code", re.IGNORECASE)).first.fill(current_code(user))
            tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_url("**/dashboard/**")

    def confirm_again(self, scene: Scene) -> None:
        """Content pages ask for the password and a fresh code: check that page, pass it."""
        tab = self.tab
        tab.goto(self.base + reverse("dashboard:message_content", args=(scene.ordinary_message,)))
        tab.wait_for_url("**/account/confirm/**")
        self.check()
        tab.get_by_label("Password").fill(DEMO_PASSWORD)
        tab.get_by_label(re.compile("code", re.IGNORECASE)).fill(current_code(_demo_user()))
        tab.get_by_role("button", name="Confirm").click()
        tab.wait_for_url("**/content/")

    def sign_in_client(self, scene: Scene) -> None:
        self.tab.goto(f"{self.base}/portal/signin/{do_issue_magic_link(scene.portal_client)}/")
        self.tab.get_by_role("button", name="Sign in").click()
        self.tab.wait_for_url("**/portal/")

    def close(self) -> None:
        self.context.close()


def _demo_user() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=DEMO_USERNAME)


@pytest.fixture
def scene(db: Any) -> Scene:
    return build_scene()


def test_every_page_works_on_a_phone_and_a_desktop(
    live_server: Any, browser: Any, scene: Scene
) -> None:
    problems: list[str] = []
    checked: set[str] = set()
    for width in WIDTHS:
        for who in (ANYONE, THERAPIST, CLIENT):
            checker = Checker(browser, live_server.url, width)
            try:
                if who == THERAPIST:
                    checker.sign_in_therapist()
                    checker.confirm_again(scene)
                elif who == CLIENT:
                    checker.sign_in_client(scene)
                for visit in PAGES:
                    if visit.who == who:
                        checker.open(visit, scene)
                if who == ANYONE:
                    # Our own "not found" page, never Django's bare one.
                    response = checker.tab.goto(live_server.url + "/no-such-page/")
                    assert response is not None and response.status == 404
                    assert "This page is not here" in checker.tab.content()
                    checker.check()
            finally:
                checker.close()
            problems += checker.problems
            checked |= checker.checked
    # A second sign-in asks for the code (the first enrolled the authenticator).
    assert "accounts:enroll" in checked
    missing = {visit.name for visit in PAGES} - checked
    assert not missing, f"these pages were never reached (redirected?): {sorted(missing)}"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_send_on_write_shows_the_result_and_keeps_the_header(
    live_server: Any, browser: Any, scene: Scene, width: str
) -> None:
    """ "Send" swaps only the Write page's result region: the header and navigation stay,
    the form is empty again (what was sent is not sent twice) and nothing is refused by
    the page's CSP."""
    checker = Checker(browser, live_server.url, width)
    try:
        checker.sign_in_therapist()
        tab = checker.tab
        tab.goto(live_server.url + reverse("dashboard:compose"))
        tab.get_by_label("To").select_option(str(scene.portal_client.pk))
        tab.get_by_label("Channel").select_option("portal")
        tab.get_by_label("Message").fill("See you on Thursday at 3.")
        tab.get_by_role("button", name="Send").click()
        status = tab.get_by_role("status")
        status.wait_for(timeout=10_000)
        assert status.inner_text() == "Sent as a secure portal message."
        assert tab.get_by_role("navigation", name="Main").is_visible()
        assert tab.get_by_role("link", name="Boundaries").is_visible()
        assert tab.get_by_label("Message").input_value() == ""
        assert tab.locator("main h1").count() == 1
        checker.check()
        assert checker.problems == []
    finally:
        checker.close()
