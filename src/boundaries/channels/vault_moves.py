"""What the tasks moving a platform's files into a client's vault share: the message they
read, the storing of one file, the record of a run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from boundaries import clock
from boundaries.audit.log import record
from boundaries.inbox.models import Message
from boundaries.inbox.sealing import Content, unseal
from boundaries.vault.files import store_file
from boundaries.vault.models import VaultObject

#: A move that keeps meeting a busy platform gives up after this many runs.
MAX_ATTEMPTS = 6


def client_message(message_id: int) -> tuple[Message, Content] | None:
    """The message and its unsealed content; None when no known client sent it (nothing moves)."""
    message = Message.objects.select_related("practice", "client").get(pk=message_id)
    if message.client is None:
        return None
    content = unseal(
        bytes(message.sealed), practice_id=message.practice_id, content_hash=message.content_hash
    )
    return message, content


def store_sent(message: Message, data: bytes, *, filename: str, source: str, channel: str) -> None:
    """One file the client sent with ``message`` into their vault (``UploadRejectedError``
    when it is refused); ``source`` says where it came from, so it is never fetched twice."""
    store_file(
        client=message.client,
        data=data,
        filename=filename,
        direction=VaultObject.Direction.FROM_CLIENT,
        actor_label=channel,
        source=source,
    )


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
