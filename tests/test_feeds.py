"""Atom and RSS feeds of posts and policy amendments validate (parsed back by feedparser)."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from django.test import Client as HttpClient

from boundaries.site.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_posts(demo_practice: Any) -> Any:
    Post.objects.create(
        practice=demo_practice,
        title="Winter opening hours",
        slug="winter",
        body="We close at 6.\n\nBack on the 2nd.",
    )
    Post.objects.create(
        practice=demo_practice, title="A new quiet room", slug="room", body="Now open."
    )
    return demo_practice


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_it_publishes_posts_as_a_valid_feed(with_posts: Any, fmt: str) -> None:
    response = HttpClient().get(f"/p/riverside/feeds/posts.{fmt}")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == ("atom10" if fmt == "atom" else "rss20")
    assert {entry.title for entry in feed.entries} == {"Winter opening hours", "A new quiet room"}
    assert all(entry.link.startswith("http") for entry in feed.entries)


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_it_publishes_policy_amendments_as_a_valid_feed(demo_practice: Any, fmt: str) -> None:
    from boundaries.demo import demo_policy_source
    from boundaries.portal.actions import do_publish_policy

    changed = demo_policy_source().replace("Riverside Talking Therapy", "Riverside Therapy", 1)
    do_publish_policy(demo_practice, source=changed, summary="Shorter practice name")
    feed = feedparser.parse(HttpClient().get(f"/p/riverside/feeds/policy.{fmt}").content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title.split(",")[0] for entry in feed.entries] == ["Version 2", "Version 1"]
    assert "Shorter practice name" in feed.entries[0].summary


def test_it_links_the_feeds_from_the_policy_page(demo_practice: Any) -> None:
    html = HttpClient().get("/").content.decode()
    assert "/p/riverside/feeds/posts.atom" in html
    assert "/p/riverside/feeds/policy.rss" in html


def test_it_shows_a_post_page_and_404s_an_unknown_one(with_posts: Any) -> None:
    assert "Back on the 2nd." in HttpClient().get("/p/riverside/posts/winter/").content.decode()
    assert HttpClient().get("/p/riverside/posts/nope/").status_code == 404
