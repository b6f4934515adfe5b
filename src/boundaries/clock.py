"""The one clock the web layer asks for the time, so tests can move it.

Session timeouts, magic-link expiry and throttling windows all read
``clock.now()``. Tests call ``clock.travel(delta)``/``clock.reset()``; nothing
else changes it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

_offset = dt.timedelta(0)


def now() -> dt.datetime:
    return timezone.now() + _offset


def travel(delta: dt.timedelta) -> None:
    """Move the clock forward (tests only)."""
    global _offset  # noqa: PLW0603 - one process-wide offset is the point
    _offset += delta


def reset() -> None:
    global _offset  # noqa: PLW0603 - one process-wide offset is the point
    _offset = dt.timedelta(0)
