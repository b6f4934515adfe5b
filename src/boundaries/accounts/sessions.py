"""A person's signed-in sessions: listed on the settings page, and signed out from there.

Sessions live in Django's database store; a session belongs to a user when its
data names them. Reading every unexpired session is fine at a practice's scale
(a few per therapist); it is only done when someone opens their settings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.models import Session
from django.db import transaction

from boundaries import clock
from boundaries.audit.log import record

__all__ = ["SignedIn", "do_sign_out_other_sessions", "sessions_of"]


@dataclass(frozen=True, slots=True)
class SignedIn:
    key_hint: str  # the last four characters: enough to tell them apart, useless to steal
    started: dt.datetime | None
    last_seen: dt.datetime | None
    current: bool


def _stamp(value: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _theirs(user: Any) -> list[tuple[Session, dict[str, Any]]]:
    found = []
    for session in Session.objects.filter(expire_date__gt=clock.now()):
        data = session.get_decoded()
        if data.get("_auth_user_id") == str(user.pk):
            found.append((session, data))
    return found


def sessions_of(user: Any, current_key: str | None) -> list[SignedIn]:
    listed = [
        SignedIn(
            key_hint=session.session_key[-4:],
            started=_stamp(data.get("auth_started")),
            last_seen=_stamp(data.get("last_seen")),
            current=session.session_key == current_key,
        )
        for session, data in _theirs(user)
    ]
    return sorted(
        listed, key=lambda s: (not s.current, s.started or dt.datetime.min.replace(tzinfo=dt.UTC))
    )


def do_sign_out_other_sessions(user: Any, current_key: str | None) -> int:
    """End every session of USER but this one; returns how many ended."""
    others = [s.session_key for s, _ in _theirs(user) if s.session_key != current_key]
    with transaction.atomic():
        Session.objects.filter(session_key__in=others).delete()
        record(
            action="signin.sessions_ended",
            practice=getattr(getattr(user, "therapist", None), "practice", None),
            actor=user,
            details={"ended": len(others)},
        )
    return len(others)
