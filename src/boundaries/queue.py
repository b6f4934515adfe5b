"""Queueing many tasks with one INSERT.

django-tasks enqueues one task per call, and its database backend makes each
call one ``INSERT`` built by the ORM. A group commit that stores sixteen
messages would then spend more on queueing their sixteen tasks than on storing
the messages themselves. ``enqueue_many`` writes the same rows the backend
writes (``DatabaseBackend._task_to_db_task`` plus its ``pre_save`` default
for ``run_after``) with one INSERT (``boundaries.sql.insert_all``) and sends the same
``task_enqueued`` signal for each. ``tests/test_sql.py`` compares its rows
with the backend's own, field by field, so an upgrade of django-tasks-db that
changes them fails a test instead of queueing tasks no worker picks up. Like
``bulk_create``, it runs no ``DBTaskResult.save()`` and sends no
``pre_save``/``post_save`` signal: the one receiver, django-tasks-db's
``set_run_after``, is reproduced above, and ``tests/test_insert_all_models.py``
fails if another appears.

Under any other backend (or with its ``id_function`` option) it falls back
to ``enqueue``, one task at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django_tasks.base import Task
from django_tasks.signals import task_enqueued
from django_tasks.utils import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from boundaries.sql import insert_all


def enqueue_many(calls: Sequence[tuple[Task[Any, Any], tuple[Any, ...]]]) -> None:
    """Queue each ``(task, args)``, in order, in the caller's transaction."""
    if not calls:
        return
    backends = {task.get_backend() for task, _ in calls}
    backend = next(iter(backends))
    if (
        len(backends) != 1
        or not isinstance(backend, DatabaseBackend)
        or backend.options.get("id_function")
    ):
        for task, args in calls:
            task.enqueue(*args)
        return
    for task in {task for task, _ in calls}:
        backend.validate_task(task)
    rows = [
        DBTaskResult(
            args_kwargs=normalize_json({"args": args, "kwargs": {}}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after or get_date_max(),
            backend_name=backend.alias,
        )
        for task, args in calls
    ]
    insert_all(rows)
    if task_enqueued.has_listeners(type(backend)):
        for row in rows:
            task_enqueued.send(type(backend), task_result=row.task_result)
