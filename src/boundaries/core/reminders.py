"""When a reminder is due, and what a client's answer to one means. Pure: times are arguments.

Quiet hours are a local span (21:00 to 08:00 by default, in the practice's time
zone) in which no reminder goes: a reminder due inside them goes when they end,
unless that is at or after the appointment; then it does not go at all (the
client chose when to be reminded, and a reminder after the start is no use).

An answer is a whole message: "C" or "confirm" confirms, "X" or "cancel my
appointment" cancels. A bare "CANCEL" is not among them: carriers and Twilio
read it as STOP (``channels.sms.parse``), so a reminder asks for X.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "DEFAULT_OFFSETS",
    "MAX_OFFSET",
    "MIN_OFFSET",
    "QuietHours",
    "ReminderAnswer",
    "answer_of",
    "due_at",
    "normal_offsets",
    "parse_offset",
    "show_offset",
]

#: Two days and two hours before, unless the client chose otherwise.
DEFAULT_OFFSETS: tuple[int, ...] = (48 * 60, 2 * 60)
#: The earliest and latest a reminder may be set before an appointment, in minutes.
MIN_OFFSET = 15
MAX_OFFSET = 14 * 24 * 60


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local times between which nothing is sent; ``start == end`` means none."""

    start: dt.time
    end: dt.time

    def contains(self, local: dt.time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # across midnight

    def end_after(self, local: dt.datetime) -> dt.datetime:
        """The end of the quiet hours ``local`` falls in (same zone, wall-clock time)."""
        end = local.replace(
            hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0, fold=0
        )
        if end <= local:
            end += dt.timedelta(days=1)
        return end


def due_at(
    starts_at: dt.datetime, offset_minutes: int, quiet: QuietHours, timezone: str
) -> dt.datetime | None:
    """When the reminder ``offset_minutes`` before ``starts_at`` goes, or None if it never does."""
    zone = zoneinfo.ZoneInfo(timezone)
    due = (starts_at - dt.timedelta(minutes=offset_minutes)).astimezone(zone)
    if not quiet.contains(due.timetz().replace(tzinfo=None)):
        return due.astimezone(dt.UTC)
    # Wall-clock arithmetic, then back to an instant: a DST change inside the quiet hours
    # moves the end by the hour the clocks moved, as a person would expect.
    moved = quiet.end_after(due.replace(tzinfo=None)).replace(tzinfo=zone)
    moved_utc = moved.astimezone(dt.UTC)
    return moved_utc if moved_utc < starts_at else None


class ReminderAnswer(enum.StrEnum):
    CONFIRM = "confirm"
    CANCEL = "cancel"


_CONFIRM = {"c", "confirm", "confirmed", "i confirm", "yes confirm", "confirm appointment"}
_CANCEL = {
    "x",
    "cancel appointment",
    "cancel my appointment",
    "cancel the appointment",
    "please cancel my appointment",
    "please cancel the appointment",
    "i need to cancel",
}
_NOT_WORDS = re.compile(r"[^\w\s]")


def answer_of(text: str) -> ReminderAnswer | None:
    """What a whole message answers to a reminder, if it is one of the answers."""
    words = " ".join(_NOT_WORDS.sub(" ", text).split()).casefold()
    if words in _CONFIRM:
        return ReminderAnswer.CONFIRM
    if words in _CANCEL:
        return ReminderAnswer.CANCEL
    return None


_OFFSET = re.compile(r"^\s*(\d+)\s*(m|min|h|d)\s*$", re.IGNORECASE)
_UNIT_MINUTES = {"m": 1, "min": 1, "h": 60, "d": 24 * 60}


def parse_offset(text: str) -> int:
    """ "48h", "2h", "90m", "1d" to minutes. Raises ``ValueError`` with a sentence to show."""
    match = _OFFSET.match(text)
    if match is None:
        raise ValueError(f"a reminder time looks like 48h, 2h, 90m or 1d, not {text!r}")
    minutes = int(match.group(1)) * _UNIT_MINUTES[match.group(2).lower()]
    if not MIN_OFFSET <= minutes <= MAX_OFFSET:
        raise ValueError(
            f"a reminder goes between {MIN_OFFSET} minutes and {MAX_OFFSET // (24 * 60)} days "
            f"before the appointment, not {text.strip()!r}"
        )
    return minutes


def show_offset(minutes: int) -> str:
    """Minutes as "48h" or "90m"."""
    if minutes % 60:
        return f"{minutes}m"
    return f"{minutes // 60}h"


def normal_offsets(minutes: Iterable[int]) -> list[int]:
    """Distinct, longest first (the order they fall due)."""
    return sorted(set(minutes), reverse=True)
