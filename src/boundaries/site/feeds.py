"""Atom and RSS feeds of the practice's public posts and of policy amendments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed

from boundaries.practices.models import PolicyVersion, Practice
from boundaries.site.hosts import practice_for_request
from boundaries.site.models import Post

ITEMS = 30


class PostsFeed(Feed):  # type: ignore[type-arg]  # django-stubs: Feed is generic
    """Posts: follow the practice without following it on a social platform."""

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Practice:
        return practice_for_request(request, slug)

    def title(self, obj: Practice) -> str:
        return f"{obj.name}: posts"

    def link(self, obj: Practice) -> str:
        return f"/p/{obj.slug}/"

    def description(self, obj: Practice) -> str:
        return f"Public posts from {obj.name}."

    def items(self, obj: Practice) -> Any:
        return Post.objects.filter(practice=obj)[:ITEMS]

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.body

    def item_pubdate(self, item: Post) -> dt.datetime:
        return item.published_at

    def item_guid(self, item: Post) -> str:
        return f"post-{item.practice.slug}-{item.pk}"


class PostsAtomFeed(PostsFeed):
    feed_type = Atom1Feed
    subtitle = PostsFeed.description


class AmendmentsFeed(Feed):  # type: ignore[type-arg]  # django-stubs: Feed is generic
    """Every published version of the policy, with what changed (clause amendments)."""

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Practice:
        return practice_for_request(request, slug)

    def title(self, obj: Practice) -> str:
        return f"{obj.name}: changes to the social media and communications policy"

    def link(self, obj: Practice) -> str:
        return f"/p/{obj.slug}/versions/"

    def description(self, obj: Practice) -> str:
        return "Each new version of the policy, with a summary of what changed."

    def items(self, obj: Practice) -> Any:
        return PolicyVersion.objects.filter(practice=obj).order_by("-number")[:ITEMS]

    def item_title(self, item: PolicyVersion) -> str:
        return f"Version {item.number}, in effect from {item.effective_date:%d %B %Y}"

    def item_description(self, item: PolicyVersion) -> str:
        return item.summary

    def item_link(self, item: PolicyVersion) -> str:
        return f"/p/{item.practice.slug}/versions/{item.number}/"

    def item_pubdate(self, item: PolicyVersion) -> dt.datetime:
        return item.published_at

    def item_guid(self, item: PolicyVersion) -> str:
        return f"policy-{item.practice.slug}-{item.number}-{item.content_hash[:16]}"


class AmendmentsAtomFeed(AmendmentsFeed):
    feed_type = Atom1Feed
    subtitle = AmendmentsFeed.description
