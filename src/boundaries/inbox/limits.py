"""A practice's daily message limit, as messages arrive (set with ``do_set_practice_limits``)."""

from __future__ import annotations

import datetime as dt
import logging

from boundaries.inbox.models import Message
from boundaries.practices.models import Practice

__all__ = ["note_inbound_limit"]

logger = logging.getLogger(__name__)


def note_inbound_limit(practice: Practice, now: dt.datetime, arriving: int = 1) -> list[bool]:
    """For each of ``arriving`` messages arriving now, in order: is it over the daily limit?

    Over the limit, a message is still stored, triaged and acted on: refusing it
    could lose a crisis, which is the worst failure this system can have. It is
    flagged (``Message.over_daily_limit``) and the operator is told in the logs.
    """
    if not practice.max_messages_per_day:
        return [False] * arriving
    received = Message.objects.filter(
        practice_id=practice.pk, received_at__gt=now - dt.timedelta(days=1)
    ).count()
    flags = [received + n >= practice.max_messages_per_day for n in range(arriving)]
    if flags and flags[-1]:
        logger.warning(
            "practice %s is over its daily message limit (%s in 24 hours, limit %s): "
            "message stored, triaged and flagged",
            practice.pk,
            received + arriving,
            practice.max_messages_per_day,
        )
    return flags
