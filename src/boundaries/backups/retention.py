"""Which scheduled backups to keep: the grandfather-father-son rule, as a pure function.

Backups are grouped by calendar day, ISO week and calendar month (UTC). The
newest backup of each of the ``daily`` most recent days that have a backup is
kept, likewise for the ``weekly`` most recent weeks and the ``monthly`` most
recent months; a backup kept by one rule counts for the others too. Periods
without a backup do not use up a slot, so a machine that was off for a week
still keeps seven daily backups. The newest backup is always kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

__all__ = [
    "BACKUP_NAME",
    "Keep",
    "backup_name",
    "parse_backup_name",
    "parse_keep",
    "to_keep",
    "to_prune",
]

# boundaries-20260301T120000Z.backup, with "-2", "-3" ... when two are made in one second.
BACKUP_NAME = re.compile(r"boundaries-(\d{8}T\d{6}Z)(?:-\d+)?\.backup")
_NAME_TIME = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True, slots=True)
class Keep:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def parse_keep(text: str) -> Keep:
    """``"7,4,12"`` (daily, weekly, monthly) as a ``Keep``; ``ValueError`` naming the problem."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise ValueError(
            f"BOUNDARIES_BACKUP_KEEP must be three whole numbers 'daily,weekly,monthly' "
            f"such as '7,4,12', not {text!r}"
        )
    daily, weekly, monthly = (int(part) for part in parts)
    return Keep(daily, weekly, monthly)


def backup_name(created_at: dt.datetime) -> str:
    """The file name for a backup made at ``created_at`` (timezone-aware)."""
    if created_at.tzinfo is None:
        raise ValueError("backup times must be timezone-aware")
    return f"boundaries-{created_at.astimezone(dt.UTC).strftime(_NAME_TIME)}.backup"


def parse_backup_name(name: str) -> dt.datetime | None:
    """When the backup called ``name`` was made, or None if it is not a backup's name."""
    match = BACKUP_NAME.fullmatch(name)
    if match is None:
        return None
    try:
        return dt.datetime.strptime(match[1], _NAME_TIME).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _day(moment: dt.datetime) -> Hashable:
    return moment.astimezone(dt.UTC).date()


def _week(moment: dt.datetime) -> Hashable:
    year, week, _ = moment.astimezone(dt.UTC).isocalendar()
    return (year, week)


def _month(moment: dt.datetime) -> Hashable:
    utc = moment.astimezone(dt.UTC)
    return (utc.year, utc.month)


def to_keep(times: Iterable[dt.datetime], keep: Keep) -> set[dt.datetime]:
    """The backup times the rule keeps (a subset of ``times``)."""
    newest_first = sorted(set(times), reverse=True)
    kept: set[dt.datetime] = set(newest_first[:1])
    rules: tuple[tuple[int, Callable[[dt.datetime], Hashable]], ...] = (
        (keep.daily, _day),
        (keep.weekly, _week),
        (keep.monthly, _month),
    )
    for slots, period in rules:
        periods: list[Hashable] = []
        for moment in newest_first:
            key = period(moment)
            if periods and periods[-1] == key:
                continue  # an older backup in a period that already has its newest kept
            if len(periods) == slots:
                break
            periods.append(key)
            kept.add(moment)
    return kept


def to_prune(times: Iterable[dt.datetime], keep: Keep) -> list[dt.datetime]:
    """The backup times the rule lets go, oldest first."""
    unique = set(times)
    return sorted(unique - to_keep(unique, keep))
