"""``insert_all`` and ``enqueue_many`` write exactly the rows the ORM and django-tasks write.

Both run on the hot path of every arriving message, below the ORM's statement
building; these tests pin them to Django's own results on this run's database,
field by field, so a change in Django or django-tasks-db shows up here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from boundaries.core.types import Channel
from boundaries.inbox.models import ActionRun, Message
from boundaries.inbox.tasks import carry_out
from boundaries.queue import enqueue_many
from boundaries.sql import insert_all

# What differs between two rows written at different moments, by design.
_VARYING = {"id", "enqueued_at", "received_at", "updated_at", "created_at"}


def _message(practice: Any, n: int, **fields: Any) -> Message:
    values: dict[str, Any] = {
        "practice": practice,
        "channel": Channel.EMAIL.value,
        "sender_status": "unknown",
        "external_id": f"<m{n}@example.org>",
        "content_hash": f"{n:064x}",
        "size": 100 + n,
        "sealed": bytes([n % 256, 0, 255]) * 10,
        "crisis": n % 2 == 0,
        "risk": "urgent" if n % 2 == 0 else "none",  # a crisis is exactly an urgent message
        "labels": ["crisis", "é – ünïcode"],
        "scores": {"crisis": 0.25, "routine": 0.125},
        "actions": ["urgent_alert"],
        "clauses": [],
        "reasons": ["a reason with 'quotes' and \"double\" ones"],
    }
    return Message(**(values | fields))


def _row(obj: Any) -> dict[str, Any]:
    """A saved row as the database gives it back, without the fields that differ by moment."""
    fresh = type(obj).objects.get(pk=obj.pk)
    return {
        field.attname: getattr(fresh, field.attname)
        for field in type(obj)._meta.concrete_fields
        if field.attname not in _VARYING
    }


def test_insert_all_writes_the_rows_bulk_create_writes_and_sets_their_keys(practice: Any) -> None:
    ours = [_message(practice, n) for n in range(5)]
    django = [
        _message(practice, n, external_id=f"<d{n}@x>", content_hash=f"d{n}") for n in range(5)
    ]
    insert_all(ours)
    Message.objects.bulk_create(django)
    assert all(message.pk is not None for message in ours)
    assert len({message.pk for message in ours}) == 5
    assert [m.pk for m in ours] == sorted(m.pk for m in ours)  # in the order given
    for mine, theirs in zip(ours, django, strict=True):
        assert not mine._state.adding
        row, expected = _row(mine), _row(theirs)
        # Only the unique keys were made to differ.
        assert row | {"external_id": "", "content_hash": ""} == expected | {
            "external_id": "",
            "content_hash": "",
        }
        assert bytes(Message.objects.get(pk=mine.pk).sealed) == bytes(mine.sealed)


def test_insert_all_takes_up_a_related_key_assigned_before_the_related_row_was_saved(
    practice: Any,
) -> None:
    message = _message(practice, 1)
    run = ActionRun(message=message, action="urgent_alert")  # message has no key yet
    insert_all([message])
    insert_all([run])
    assert ActionRun.objects.get(pk=run.pk).message_id == message.pk


def test_insert_all_fills_defaults_and_auto_now_add(practice: Any) -> None:
    before = timezone.now()
    message = _message(practice, 2)
    insert_all([message])
    stored = Message.objects.get(pk=message.pk)
    assert stored.status == Message.Status.TRIAGED
    assert stored.over_daily_limit is False
    assert before - dt.timedelta(seconds=5) <= stored.received_at <= timezone.now()


def test_insert_all_writes_more_rows_than_one_statement_may_carry(practice: Any) -> None:
    # 14,000 rows of five values: more than one SQLite statement (999 values) or one
    # PostgreSQL statement bound on the server (65,535) may carry.
    messages = [_message(practice, n) for n in range(3)]
    insert_all(messages)
    runs = [ActionRun(message=messages[n % 3], action=f"a{n}") for n in range(14_000)]
    insert_all(runs)
    assert ActionRun.objects.filter(message__in=messages).count() == 14_000
    assert len({run.pk for run in runs}) == 14_000
    assert ActionRun.objects.get(pk=runs[-1].pk).action == "a13999"


def test_insert_all_keeps_a_primary_key_given_beforehand(practice: Any) -> None:
    message = _message(practice, 5)
    message.pk = 4242
    insert_all([message])
    assert Message.objects.get(pk=4242).content_hash == f"{5:064x}"


def test_insert_all_fails_whole_on_a_unique_violation_and_keeps_nothing(practice: Any) -> None:
    first = _message(practice, 3)
    insert_all([first])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_all([_message(practice, 4), _message(practice, 3)])
    assert list(Message.objects.values_list("pk", flat=True)) == [first.pk]


def test_enqueue_many_writes_the_rows_the_backend_writes(db: Any) -> None:
    urgent = carry_out.using(priority=100)
    later = carry_out.using(run_after=timezone.now() + dt.timedelta(hours=1))
    calls = [(carry_out, (1,)), (urgent, (2,)), (later, (3,))]
    with transaction.atomic():
        enqueue_many(calls)
    ours = list(DBTaskResult.objects.order_by("enqueued_at", "priority"))
    with transaction.atomic():
        theirs_ids = [task.enqueue(*args).id for task, args in calls]
    theirs = {str(row.id): row for row in DBTaskResult.objects.filter(id__in=theirs_ids)}
    assert len(ours) == 3
    for task_id, (task, args) in zip(theirs_ids, calls, strict=True):
        theirs_row = theirs[str(task_id)]
        mine = next(row for row in ours if row.args_kwargs == {"args": list(args), "kwargs": {}})
        assert _row(mine) == _row(theirs_row)
        # The worker reads a row back into the same task.
        assert mine.task == theirs_row.task == task.using(backend="default")
        assert mine.task_result.args == list(args)
    ready = {row.args_kwargs["args"][0] for row in DBTaskResult.objects.ready()}
    assert ready == {1, 2}  # the one to run in an hour is not ready yet


def test_enqueue_many_with_nothing_to_queue_writes_nothing(db: Any) -> None:
    enqueue_many([])
    assert not DBTaskResult.objects.exists()
