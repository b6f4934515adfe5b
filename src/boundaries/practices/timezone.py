"""Times on every page in the practice's own time zone, not the server's (UTC).

A therapist, and a client in the portal, read "14:05" as their practice's wall
clock: the welfare-check record, the inbox and the agenda all say when something
happened in the time zone the practice set (``Practice.timezone``). Pages with no
signed-in practice (the public site, sign-in) keep the server's zone.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

__all__ = ["PracticeTimeZoneMiddleware", "practice_zone"]


def practice_zone(user: Any) -> zoneinfo.ZoneInfo | None:
    """The zone of the signed-in therapist's or portal client's practice, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    therapist = getattr(user, "therapist", None)
    if therapist is not None:
        name = therapist.practice.timezone
    else:
        account = getattr(user, "portal_account", None)
        if account is None:
            return None
        name = account.client.practice.timezone
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class PracticeTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        zone = practice_zone(request.user)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
