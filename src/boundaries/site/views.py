"""The public site: the practice's current policy, its history, and how to reach the practice.

Public by design, so no login and no client data. Which practice a page is about
comes from the address (``/p/<slug>/``) or from the host name, when a practice
has a domain of its own (``hosts.practice_for_request``). No third-party scripts,
fonts or widgets; everything works without JavaScript.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from boundaries.core.policy.render import render_html
from boundaries.core.policy.versions import diff_policies, policy_from_dict, render_diff_html
from boundaries.practices.models import PolicyVersion
from boundaries.site.hosts import practice_for_request
from boundaries.site.models import Post


def policy_page(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    practice = practice_for_request(request, slug)
    version = practice.current_policy()
    if version is None:
        return render(request, "site/no_policy.html", {"practice": practice}, status=404)
    policy = policy_from_dict(version.data)
    return render(
        request,
        "site/policy.html",
        {
            "practice": practice,
            "version": version,
            "policy": policy,
            "policy_html": mark_safe(render_html(policy)),  # noqa: S308 - renderer escapes all text
            "earlier_versions": version.number > 1,
        },
    )


def versions(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    practice = practice_for_request(request, slug)
    return render(
        request,
        "site/versions.html",
        {"practice": practice, "versions": practice.policy_versions.order_by("-number")},
    )


def version_detail(request: HttpRequest, number: int, slug: str | None = None) -> HttpResponse:
    practice = practice_for_request(request, slug)
    version = PolicyVersion.objects.filter(practice=practice, number=number).first()
    if version is None:
        raise Http404
    policy = policy_from_dict(version.data)
    previous = PolicyVersion.objects.filter(practice=practice, number=number - 1).first()
    diff_html = ""
    if previous is not None:
        diff_html = render_diff_html(diff_policies(policy_from_dict(previous.data), policy))
    return render(
        request,
        "site/version.html",
        {
            "practice": practice,
            "version": version,
            "previous": previous,
            "policy_html": mark_safe(render_html(policy)),  # noqa: S308 - renderer escapes all text
            "diff_html": mark_safe(diff_html),  # noqa: S308 - renderer escapes all text
        },
    )


def posts(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    practice = practice_for_request(request, slug)
    return render(
        request,
        "site/posts.html",
        {"practice": practice, "posts": Post.objects.filter(practice=practice)},
    )


def post_detail(request: HttpRequest, post_slug: str, slug: str | None = None) -> HttpResponse:
    practice = practice_for_request(request, slug)
    post = Post.objects.filter(practice=practice, slug=post_slug).first()
    if post is None:
        raise Http404
    paragraphs = [p.strip() for p in post.body.split("\n\n") if p.strip()]
    return render(
        request, "site/post.html", {"practice": practice, "post": post, "paragraphs": paragraphs}
    )
