"""Append audit entries to the hash chain. Call ``record()`` inside the transaction of the change.

Appends serialize on the one ``ChainHead`` row: ``select_for_update()`` on
PostgreSQL, the write lock that SQLite's IMMEDIATE transactions take at BEGIN.
A writer reads the head, links its entries to it and moves it on, all in the
transaction of the change, so two writers can never both take the same seq;
the unique ``seq`` is the backstop if anything bypasses the lock.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec

from django.db import IntegrityError, transaction

from boundaries import clock
from boundaries.audit.chain import GENESIS, canonical_details, canonical_time, entry_hash
from boundaries.audit.models import AuditEntry, ChainHead
from boundaries.sql import insert_all

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

__all__ = ["append", "entry", "record", "record_read"]

P = ParamSpec("P")


def entry(
    *,
    action: str,
    obj: Model | None = None,
    practice: Model | None,  # a Practice (the audit floor sits below practices)
    actor: Any = None,  # a User, an AnonymousUser or None
    actor_label: str = "",
    reason: str = "",
    details: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    """An unsaved entry, for ``append`` to link with others under one lock (see ``record``).

    ``details`` holds ids and decisions only, never content.
    """
    user = actor if actor is not None and actor.is_authenticated else None
    label = actor_label or (user.get_username() if user is not None else "system")
    return AuditEntry(
        practice_id=practice.pk if practice is not None else None,
        actor=user,
        actor_label=label[:120],
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        reason=reason[:500],
        details=details or {},
        created_at=clock.now(),
    )


def _appended(make: Callable[P, AuditEntry]) -> Callable[P, AuditEntry]:
    def record(*args: P.args, **kwargs: P.kwargs) -> AuditEntry:
        """Append one entry, made from the arguments ``entry`` takes, on its own."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("audit.record() must run inside the transaction of the change")
        made = make(*args, **kwargs)
        append([made])
        return made

    return record


record = _appended(entry)


def record_read(
    request: HttpRequest, action: str, obj: Model | None, practice: Model | None, **details: Any
) -> None:
    """Audit what the signed-in user looked at, downloaded or exported, in a transaction of
    its own (a read changes nothing else). ``details`` are ids and formats, never content."""
    with transaction.atomic():
        record(action=action, obj=obj, practice=practice, actor=request.user, details=details)


def append(entries: Sequence[AuditEntry]) -> None:
    """Link unsaved entries onto the chain, in order, and insert them (one lock for all)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit entries must be appended inside a transaction")
    if not entries:
        return
    seq, prev = _locked_head()
    for entry in entries:
        text = canonical_details(entry.details)
        # Stored with sorted keys, so the text SQLite keeps is already canonical
        # and verification takes its fast path.
        entry.details = json.loads(text)
        seq += 1
        entry.seq = seq
        entry.prev_hash = prev
        prev = entry.entry_hash = entry_hash(
            seq=seq,
            prev_hash=entry.prev_hash,
            created_at=canonical_time(entry.created_at),
            practice_id=entry.practice_id,
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            reason=entry.reason,
            details=text,
        )
    insert_all(entries)
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            f"UPDATE {_head_table()} SET seq = %s, entry_hash = %s WHERE id = 1",  # noqa: S608 - our own quoted table name; values are parameters
            [seq, prev],
        )


def _locked_head() -> tuple[int, str]:
    """The chain head's seq and hash, locked until the transaction ends; made on first use.

    Every write in Boundaries passes through here, so the statements are
    written out (the ORM would build them afresh each time); on PostgreSQL the
    row lock is ``FOR UPDATE``, SQLite's write transaction already excludes
    other writers.
    """
    head = _read_locked_head()
    if head is not None:
        return head
    # First append (or an emptied table): start from the newest entry, if any.
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    seq, digest = last if last is not None else (0, GENESIS)
    try:
        with transaction.atomic():
            ChainHead.objects.create(id=1, seq=seq, entry_hash=digest)
    except IntegrityError:
        pass  # another writer made it first; wait for its lock below
    head = _read_locked_head()
    assert head is not None
    return head


def _head_table() -> str:
    return str(transaction.get_connection().ops.quote_name(ChainHead._meta.db_table))


def _read_locked_head() -> tuple[int, str] | None:
    connection = transaction.get_connection()
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seq, entry_hash FROM {_head_table()} WHERE id = 1{lock}"  # noqa: S608 - our table
        )
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), str(row[1]))
