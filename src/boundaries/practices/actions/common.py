"""What every practices action shares: who acted and its audit entry, the checks on practice
settings, the row lock."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from boundaries.audit.log import record
from boundaries.errors import ActionError
from boundaries.practices.models import (
    Practice,
)

__all__ = [
    "checked_country",
    "checked_limit",
    "checked_timezone",
    "lock_practice",
    "record_action",
    "who_acted",
]


def who_acted(actor: Any, actor_label: str) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return actor_label or "system"


def record_action(
    action: str,
    obj: Any,
    actor: Any,
    actor_label: str,
    details: dict[str, Any] | None = None,
    *,
    practice: Practice | None = None,
) -> None:
    """The audit entry of what an action did to ``obj``, in the action's transaction.

    It names who acted (``who_acted``) and ``obj``'s practice (``obj`` itself when it is
    one), or ``practice`` when that is given.
    """
    if practice is None:
        practice = obj if isinstance(obj, Practice) else obj.practice
    record(
        action=action,
        obj=obj,
        practice=practice,
        actor=actor,
        actor_label=who_acted(actor, actor_label),
        details=details,
    )


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
