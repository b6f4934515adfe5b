"""What every practices action shares: who acted, the checks on practice settings, the row lock."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from boundaries.errors import ActionError
from boundaries.practices.models import (
    Practice,
)

__all__ = ["checked_country", "checked_limit", "checked_timezone", "lock_practice", "who_acted"]


def who_acted(actor: Any, actor_label: str) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return actor_label or "system"


def checked_country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ActionError(f"country must be a two-letter ISO code such as GB or US, not {value!r}")
    return code


def checked_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ActionError(
            f"timezone must be an IANA name such as Europe/London, not {name!r}"
        ) from None
    return name


def checked_limit(name: str, value: int) -> int:
    if value < 0:
        raise ActionError(f"{name} must be 0 (no limit) or more, not {value}")
    return value


def lock_practice(practice_id: int) -> Practice:
    """The practice row, locked to the end of the transaction, so two changes that
    check a limit queue instead of both passing it."""
    return Practice.objects.select_for_update().get(pk=practice_id)
