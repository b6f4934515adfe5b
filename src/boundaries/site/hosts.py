"""Which host names this installation answers to, and which practice a host name means.

A hosting operator gives each practice one or more host names of its own
(``PracticeDomain``: e.g. ``policy.alder-counselling.example``), so the
practice's public site is served at ``/`` on that name. Those names live in the
database, while Django's ``ALLOWED_HOSTS`` is a list fixed at start-up; so
Django's own check is opened (``ALLOWED_HOSTS = ["*"]``) and this middleware,
first in the chain, does the check instead, against:

- ``BOUNDARIES_ALLOWED_HOSTS`` (the installation's own names, with Django's
  patterns: ``.example.net`` or ``*.example.net`` for a domain and every
  subdomain), and
- every registered practice domain.

Anything else is refused exactly as Django refuses it: ``DisallowedHost``, a 400.
A request on a practice's domain carries ``request.host_practice``, and the
public site serves only that practice there (``practice_for_request``). It is
also routed by ``site.domain_urls``, which holds the public site and its feeds
and nothing else: sign-in, password reset, the dashboard, the portal and the
webhooks answer only on the installation's own names, so a practice's domain
(and whoever runs it) never handles a sign-in, a token or a session.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port, validate_host

from boundaries.practices.actions.domains import django_host_patterns
from boundaries.practices.models import Practice, PracticeDomain

__all__ = [
    "PRACTICE_DOMAIN_URLCONF",
    "PracticeHostMiddleware",
    "django_host_patterns",
    "practice_for_request",
]

#: What a practice's own domain serves: the public site and its feeds only.
PRACTICE_DOMAIN_URLCONF = "boundaries.site.domain_urls"


class PracticeHostMiddleware:
    """Admit the installation's hosts and the practices' domains; refuse the rest with a 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.get_host()  # honours USE_X_FORWARDED_HOST; Django's check is open
        domain, _port = split_domain_port(host)
        if not domain:
            raise DisallowedHost(f"Invalid HTTP_HOST header: {host!r}.")
        patterns = django_host_patterns(settings.BOUNDARIES_ALLOWED_HOSTS)
        request.host_practice = None  # type: ignore[attr-defined]  # read by the public site
        # The installation's own exact names never belong to a practice (do_add_domain
        # refuses them), so health probes and the dashboard's host need no database.
        if domain in patterns:
            return self.get_response(request)
        practice_domain = (
            PracticeDomain.objects.select_related("practice")
            .filter(hostname=domain, practice__status=Practice.Status.ACTIVE)
            .first()
        )
        if practice_domain is not None:
            request.host_practice = practice_domain.practice  # type: ignore[attr-defined]  # read by the public site
            request.urlconf = PRACTICE_DOMAIN_URLCONF
        elif not validate_host(domain, patterns):
            raise DisallowedHost(
                f"Invalid HTTP_HOST header: {host!r}. Add it to BOUNDARIES_ALLOWED_HOSTS "
                "or register it as a practice's domain (boundaries practice domain add)."
            )
        return self.get_response(request)


def practice_for_request(request: HttpRequest, slug: str | None) -> Practice:
    """The practice a public page is about, or 404.

    On a practice's own domain only that practice is served, at ``/`` and at its
    ``/p/<slug>/``; another practice's slug there is a 404, so nothing of one
    practice appears under another's name. On the installation's own hosts
    every active practice is at ``/p/<slug>/``, and ``/`` shows the default one.
    """
    host_practice: Practice | None = getattr(request, "host_practice", None)
    active = Practice.objects.filter(status=Practice.Status.ACTIVE)
    practice: Practice | None
    if host_practice is not None:
        if slug is not None and slug != host_practice.slug:
            raise Http404
        return host_practice
    if slug is not None:
        practice = active.filter(slug=slug).first()
    else:
        default = getattr(settings, "BOUNDARIES_DEFAULT_PRACTICE", "")
        practice = active.filter(slug=default).first() if default else None
        if practice is None:
            candidates = list(active[:2])
            practice = candidates[0] if len(candidates) == 1 else None
    if practice is None:
        raise Http404
    return practice
