"""The public policy page in real Chromium: clause anchors, feeds, no third-party requests, AA."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import feedparser
import pytest

from boundaries.core.policy.model import CLAUSE_ORDER

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_the_policy_without_a_single_third_party_request(
    live_server: Any, page: Any, demo_practice: Any
) -> None:
    page.page.goto(live_server.url + "/")
    for clause_id in CLAUSE_ORDER:
        assert page.page.locator(f"#{clause_id}").count() == 1, clause_id
    page.screenshot("public-policy-page")
    host = urlparse(live_server.url).netloc
    foreign = [url for url in page.requests if urlparse(url).netloc not in {host, ""}]
    assert foreign == []
    assert page.axe_violations() == []


def test_it_works_without_javascript(browser: Any, live_server: Any, demo_practice: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + "/")
    assert tab.locator("#session-content-email").count() == 1
    tab.get_by_role("link", name="Version history").first.click()
    # A click starts the navigation; read the page only once the new one has loaded.
    tab.wait_for_url("**/p/riverside/versions/")
    tab.wait_for_load_state()
    assert "Versions of the policy" in tab.content()
    context.close()


def test_it_offers_feeds_a_feed_reader_can_parse(
    live_server: Any, page: Any, demo_practice: Any
) -> None:
    for path in ("/p/riverside/feeds/posts.atom", "/p/riverside/feeds/policy.rss"):
        response = page.page.request.get(live_server.url + path)
        assert response.ok
        assert not feedparser.parse(response.body()).bozo
