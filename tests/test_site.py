"""The public policy page: the current version, every clause anchor, no third parties."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client as HttpClient

from boundaries.core.policy.model import CLAUSE_ORDER

pytestmark = pytest.mark.django_db


def test_it_serves_the_current_policy_with_all_nine_clause_anchors(demo_practice: Any) -> None:
    response = HttpClient().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for clause_id in CLAUSE_ORDER:
        assert f'id="{clause_id}"' in html, clause_id
    assert "Version 1" in html
    assert "versions/" in html


def test_it_serves_each_practice_under_its_own_path(demo_practice: Any, charlie: Any) -> None:
    assert HttpClient().get("/p/riverside/").status_code == 200
    assert HttpClient().get("/p/no-such-practice/").status_code == 404
    # Two practices and no default: the root does not guess.
    assert HttpClient().get("/").status_code == 404


def test_it_names_the_appointment_phone_and_the_ethics_body(demo_practice: Any) -> None:
    html = HttpClient().get("/").content.decode()
    assert "+442079460123" in html
    assert "UKCP" in html


def test_it_loads_nothing_from_other_sites(demo_practice: Any) -> None:
    html = HttpClient().get("/").content.decode()
    sources = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources, "the page should at least load its own stylesheet"
    assert all(src.startswith("/") for src in sources), sources
    assert "<script" not in html


def test_it_sends_strict_security_headers(demo_practice: Any) -> None:
    response = HttpClient().get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "geolocation=()" in response.headers["Permissions-Policy"]


def test_it_lists_versions_and_shows_what_changed(demo_practice: Any) -> None:
    from boundaries.demo import demo_policy_source
    from boundaries.portal.actions import do_publish_policy

    changed = demo_policy_source().replace("Riverside Talking Therapy", "Riverside Therapy", 1)
    do_publish_policy(demo_practice, source=changed, summary="Shorter practice name")
    listing = HttpClient().get("/versions/").content.decode()
    assert "Version 2" in listing
    assert "Shorter practice name" in listing
    detail = HttpClient().get("/versions/2/")
    assert detail.status_code == 200
    assert "<ins" in detail.content.decode() or "<del" in detail.content.decode()
    assert HttpClient().get("/versions/9/").status_code == 404


def test_error_pages_are_our_own_and_say_nothing_about_the_server(demo_practice: Any) -> None:
    """404, 403, 400 and 500: our words, a specific title, the crisis advice, and no path,
    exception or server detail (the 500 page renders without the database or a request)."""
    from django.template.loader import render_to_string

    missing = HttpClient().get("/no-such-page/?token=secret-ish")
    body = missing.content.decode()
    assert missing.status_code == 404
    assert "<title>Page not found — Boundaries</title>" in body
    assert "no-such-page" not in body and "secret-ish" not in body
    assert "Not Found" not in body
    for name, title in (
        ("500.html", "Something went wrong"),
        ("403.html", "Not allowed"),
        ("403_csrf.html", "Form expired"),
        ("400.html", "Request not understood"),
    ):
        page = render_to_string(name)
        assert f"<title>{title} — Boundaries</title>" in page
        assert "call your local emergency number" in page
        assert "Traceback" not in page and "Server Error" not in page
