"""Absolute links that are read somewhere else: in mail, in texts, in a calendar app.

Every such link is built from ``SITE_URL``, the address the operator configured,
never from the request's ``Host`` header. A request's host is whatever the
sender wrote, and every practice's own domain is admitted (``site.hosts``): a
link built from it would send a therapist's password-reset token, or a client's
sign-in token, to whoever runs that domain. ``SITE_URL`` names the
installation's own host, the only one that serves sign-in, the dashboard and the
portal.
"""

from __future__ import annotations

from django.conf import settings

__all__ = ["site_link", "site_url"]


def site_url() -> str:
    """``SITE_URL`` without a trailing slash, e.g. ``https://therapy.example.org``."""
    return str(settings.SITE_URL).rstrip("/")


def site_link(path: str) -> str:
    """``SITE_URL`` followed by ``path`` (which starts with ``/``)."""
    if not path.startswith("/"):
        raise ValueError(f"a site path starts with '/': {path!r}")
    return site_url() + path
