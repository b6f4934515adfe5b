"""Practices' own domains: each serves its practice's public site at /, and nothing of another's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.test import override_settings

from boundaries.practices import actions
from boundaries.practices.models import PracticeDomain
from tests.tenancy.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_practices(db: Any) -> tuple[Any, Any]:
    alder = actions.do_create_practice(
        name="Alder Counselling",
        country="GB",
        slug="alder",
        domains=["policy.alder.example", "www.alder-counselling.example"],
    )
    birch = actions.do_create_practice(
        name="Birch Psychotherapy",
        country="US",
        slug="birch",
        domains=["birch.example", "policy.birch.example"],
    )
    publish(alder, versions=3)
    publish(birch, versions=1)
    return alder, birch


def get(host: str, path: str) -> Any:
    return HttpClient().get(path, HTTP_HOST=host)


def test_it_serves_each_practice_at_the_root_of_each_of_its_domains(
    two_practices: tuple[Any, Any],
) -> None:
    alder, birch = two_practices
    for practice, hosts in (
        (alder, ["policy.alder.example", "www.alder-counselling.example"]),
        (birch, ["birch.example", "policy.birch.example"]),
    ):
        for host in hosts:
            response = get(host, "/")
            assert response.status_code == 200, host
            html = response.content.decode()
            assert practice.name in html
            other = birch if practice is alder else alder
            assert other.name not in html


def test_it_reads_the_host_whatever_its_case_and_port(two_practices: tuple[Any, Any]) -> None:
    response = get("Policy.Alder.EXAMPLE:8443", "/")
    assert response.status_code == 200
    assert "Alder Counselling" in response.content.decode()


def test_it_serves_versions_posts_and_feeds_at_the_root_of_a_domain(
    two_practices: tuple[Any, Any],
) -> None:
    from boundaries.site.models import Post

    alder, _ = two_practices
    Post.objects.create(practice=alder, title="Opening hours", slug="hours", body="Open.")
    assert get("policy.alder.example", "/versions/").status_code == 200
    assert get("policy.alder.example", "/versions/3/").status_code == 200
    assert get("policy.alder.example", "/posts/").status_code == 200
    assert get("policy.alder.example", "/posts/hours/").status_code == 200
    for feed in ("posts.atom", "posts.rss", "policy.atom", "policy.rss"):
        response = get("policy.alder.example", f"/feeds/{feed}")
        assert response.status_code == 200, feed
        assert b"Alder Counselling" in response.content


def test_it_reveals_nothing_of_one_practice_on_anothers_domain(
    two_practices: tuple[Any, Any],
) -> None:
    from boundaries.site.models import Post

    alder, _birch = two_practices
    Post.objects.create(practice=alder, title="Opening hours", slug="hours", body="Open.")
    # Alder has versions 1-3, Birch only 1: Alder's later versions do not exist on Birch's host.
    assert get("birch.example", "/versions/3/").status_code == 404
    assert get("birch.example", "/versions/2/").status_code == 404
    assert get("birch.example", "/posts/hours/").status_code == 404
    # Another practice's /p/<slug>/ is not served under this practice's name either.
    for path in ("/p/alder/", "/p/alder/versions/", "/p/alder/feeds/posts.atom"):
        assert get("birch.example", path).status_code == 404, path
    assert get("birch.example", "/p/birch/").status_code == 200
    versions = get("birch.example", "/versions/").content.decode()
    assert "Version 1 of Birch" in versions
    assert "Alder" not in versions


def test_it_keeps_every_practice_under_p_slug_on_the_installations_own_host(
    two_practices: tuple[Any, Any],
) -> None:
    assert get("testserver", "/p/alder/").status_code == 200
    assert get("testserver", "/p/birch/").status_code == 200
    assert get("testserver", "/p/alder/versions/3/").status_code == 200
    # Two practices and no default: the installation's root does not guess.
    assert get("testserver", "/").status_code == 404


def test_it_refuses_an_unknown_host_as_django_does(two_practices: tuple[Any, Any]) -> None:
    assert get("unknown.example", "/").status_code == 400
    assert get("alder.example", "/").status_code == 400  # a near miss is still unknown
    assert get("evil.policy.alder.example", "/").status_code == 400


@override_settings(BOUNDARIES_ALLOWED_HOSTS=["testserver", "*.hosted.example"])
def test_it_admits_a_whole_domain_written_with_a_star(two_practices: tuple[Any, Any]) -> None:
    alder, _ = two_practices
    assert get("anything.hosted.example", "/p/alder/").status_code == 200
    # A subdomain that no practice has serves no practice at the root.
    assert get("anything.hosted.example", "/").status_code == 404
    actions.do_add_domain(alder, "alder.hosted.example")
    assert "Alder Counselling" in get("alder.hosted.example", "/").content.decode()
    assert get("other.example", "/").status_code == 400


def test_it_stops_serving_a_domain_once_removed(two_practices: tuple[Any, Any]) -> None:
    alder, _ = two_practices
    actions.do_remove_domain(alder, "POLICY.alder.example")
    assert get("policy.alder.example", "/").status_code == 400
    assert get("www.alder-counselling.example", "/").status_code == 200


def test_it_keeps_a_domain_to_one_practice(two_practices: tuple[Any, Any]) -> None:
    alder, birch = two_practices
    with pytest.raises(actions.ActionError, match="already the domain of another practice"):
        actions.do_add_domain(birch, "Policy.Alder.Example.")
    with pytest.raises(actions.ActionError, match="already the domain of this practice"):
        actions.do_add_domain(alder, "policy.alder.example")
    assert PracticeDomain.objects.filter(hostname="policy.alder.example").count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://alder.example/", "without https"),
        ("alder.example:8000", "without a port"),
        ("*.alder.example", "wildcards"),
        ("localhost", "full host name"),
        ("192.0.2.10", "IP address"),
        ("-alder.example", "not a valid host name"),
        ("alder_counselling.example", "not a valid host name"),
        ("a" * 64 + ".example", "not a valid host name"),
        ("", "a domain is needed"),
        ("testserver.", "full host name"),
    ],
)
def test_it_refuses_what_is_not_a_host_name(practice: Any, value: str, message: str) -> None:
    with pytest.raises(actions.ActionError, match=message):
        actions.do_add_domain(practice, value)


def test_it_stores_international_names_as_requests_carry_them(practice: Any) -> None:
    domain = actions.do_add_domain(practice, "Beratung-Müller.example")
    assert domain.hostname == "xn--beratung-mller-psb.example"


@override_settings(BOUNDARIES_ALLOWED_HOSTS=["testserver", "therapy.example.org"])
def test_it_refuses_the_installations_own_host_name(practice: Any) -> None:
    with pytest.raises(actions.ActionError, match="this installation's own host names"):
        actions.do_add_domain(practice, "therapy.example.org")


def test_it_audits_domain_changes(practice: Any) -> None:
    from boundaries.audit.models import AuditEntry

    actions.do_add_domain(practice, "alder.example")
    actions.do_remove_domain(practice, "alder.example")
    assert list(
        AuditEntry.objects.filter(action__startswith="practice.domain").values_list(
            "action", "details__hostname"
        )
    ) == [("practice.domain_added", "alder.example"), ("practice.domain_removed", "alder.example")]


def _sample_path(pattern: str) -> str:
    """A concrete path for a URL pattern of the main urlconf (converters filled in)."""
    filled = re.sub(r"<int:\w+>", "1", pattern)
    filled = re.sub(r"<(?:str:|slug:)?\w+>", "x", filled)
    return "/" + filled


def test_it_serves_nothing_but_the_public_site_on_a_practices_domain(
    two_practices: tuple[Any, Any],
) -> None:
    """Sign-in, password reset, dashboard, portal, calendar feeds and webhooks answer only on
    the installation's own names: on a practice's domain (run by someone else) they are 404."""
    from tests.web.test_authorization_matrix import all_patterns

    private = [p for p in all_patterns() if not p.startswith(("p/", "feeds/", "versions/"))]
    private = [p for p in private if p not in {"", "posts/", "posts/<slug:post_slug>/"}]
    assert {"account/login/", "account/password/forgotten/", "dashboard/", "portal/"} <= set(
        private
    )
    for pattern in private:
        path = _sample_path(pattern)
        for method in ("get", "post"):
            response = getattr(HttpClient(), method)(path, HTTP_HOST="policy.alder.example")
            assert response.status_code == 404, (method, path, response.status_code)
            assert "sessionid" not in response.cookies
            assert "csrftoken" not in response.cookies
    # The installation's own host still serves them.
    assert HttpClient().get("/account/login/", HTTP_HOST="testserver").status_code == 200
    assert HttpClient().get("/account/password/forgotten/").status_code == 200


def test_a_password_reset_asked_on_another_practices_domain_sends_nothing(
    two_practices: tuple[Any, Any],
) -> None:
    """The attack: a practice's domain (its owner controls where it points) asks for a
    reset of another practice's therapist, hoping the emailed link names that domain."""
    alder, _ = two_practices
    sam = actions.do_add_therapist(
        alder, username="sam", password="a long enough passphrase", display_name="Sam"
    )
    sam.user.email = "sam@alder.example"
    sam.user.save(update_fields=["email"])
    asked = {"email": "sam@alder.example"}
    response = HttpClient().post("/account/password/forgotten/", asked, HTTP_HOST="birch.example")
    assert response.status_code == 404
    assert mail.outbox == []
    # On the installation's own host the same request is answered, from SITE_URL.
    assert HttpClient().post("/account/password/forgotten/", asked).status_code == 302
    (message,) = mail.outbox
    assert "birch.example" not in message.body
