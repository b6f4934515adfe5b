"""What the tasks moving a platform's files into a client's vault share: the record of a run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from boundaries import clock
from boundaries.audit.log import record

#: A move that keeps meeting a busy platform gives up after this many runs.
MAX_ATTEMPTS = 6


def finish_move(
    task: Any, message: Any, *, action: str, attempt: int, later: bool, details: dict[str, Any]
) -> None:
    """Audit one run of ``task`` for ``message``; when something is to be tried again, queue
    the next run (backoff 10 s, doubling, at most 10 minutes) in the same transaction."""
    with transaction.atomic():
        record(
            action=action,
            obj=message,
            practice=message.practice,
            actor_label="worker",
            details={**details, "attempt": attempt, **({"retrying": True} if later else {})},
        )
        if later:
            backoff = dt.timedelta(seconds=min(600, 5 * 2**attempt))
            task.using(run_after=clock.now() + backoff).enqueue(message.pk, attempt + 1)
