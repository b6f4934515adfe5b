"""Written-out SQL for the hot paths: many-row INSERTs and ``IN`` lists.

``QuerySet.bulk_create`` compiles its INSERT afresh on every call. When the
SMTP receiver's group commit writes a few rows into each of six tables, that
compiling costs more CPU than the writing. ``insert_all`` writes the same
rows with Django's own value preparation — each field's ``pre_save`` (so
defaults and ``auto_now_add`` apply) and ``get_db_prep_save`` (JSON, dates,
UUIDs, binary) — into a statement whose text depends only on the model and
the number of rows, and sets the new primary keys from ``RETURNING``, as
``bulk_create`` does.

Only SQLite and PostgreSQL, the two databases Boundaries runs on, take this
path; any other database gets ``bulk_create``. ``tests/test_sql.py`` checks
that both write the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.models import AutoField, BigAutoField, Field, Model, SmallAutoField

_VENDORS = {"sqlite", "postgresql"}
#: At most this many values in one statement, so a large audit import is cut into
#: pieces: Django lets SQLite take 999, and PostgreSQL takes 65,535 when the psycopg
#: backend binds on the server (its ``server_side_binding`` option).
_MAX_PARAMETERS = 32_766


_Shape = tuple[list[Field[Any, Any]], str, str]
_shapes: dict[tuple[type[Model], str], _Shape] = {}


def _shape(model: type[Model], connection: Any) -> _Shape:
    """The fields written, ``INSERT INTO table (columns)`` and the RETURNING clause."""
    key = (model, connection.vendor)
    if key not in _shapes:
        meta = model._meta
        quote = connection.ops.quote_name
        generated = isinstance(meta.pk, AutoField | BigAutoField | SmallAutoField)
        fields = [field for field in meta.concrete_fields if not (generated and field is meta.pk)]
        columns = ", ".join(quote(field.column) for field in fields)
        returning = f" RETURNING {quote(meta.pk.column)}" if generated else ""
        _shapes[key] = (fields, f"INSERT INTO {quote(meta.db_table)} ({columns})", returning)
    return _shapes[key]


def insert_all(objects: Sequence[Model]) -> None:
    """Insert unsaved instances of one model, in order; each gets its primary key.

    What it bypasses, as ``bulk_create`` does: the model's ``save()`` (and any
    override of it), the ``pre_save`` and ``post_save`` signals, ``full_clean()``
    validation, and multi-table inheritance (only the model's own table is
    written). What it keeps: each field's ``pre_save`` (defaults, ``auto_now_add``),
    ``get_db_prep_save`` and the related-object checks of Django's private
    ``Model._prepare_related_fields_for_save``, the same call ``bulk_create`` makes.

    The models written with it: inbox ``Message``, ``ActionRun``, ``Alert``,
    ``Review`` (the inbound group commit, ``inbox.actions``), practices
    ``AgendaItem``, audit ``AuditEntry`` (``audit.log.append``) and django-tasks'
    ``DBTaskResult`` (``queue.enqueue_many``). ``tests/test_insert_all_models.py``
    fails if one of them gains a ``save()`` override or a ``pre_save``/``post_save``
    receiver.
    """
    if not objects:
        return
    model = type(objects[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields, insert, returning = _shape(model, connection)
    if (
        connection.vendor not in _VENDORS
        or not connection.features.can_return_rows_from_bulk_insert
        # A key the database would generate (RETURNING it), given beforehand:
        # bulk_create writes it.
        or (returning and any(obj.pk is not None for obj in objects))
    ):
        model._default_manager.using(alias).bulk_create(objects)
        return
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(
        1, min(connection.ops.bulk_batch_size(fields, objects), _MAX_PARAMETERS // len(fields))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objects), size):
            chunk = objects[start : start + size]
            params: list[Any] = []
            for obj in chunk:
                # Takes up a related object's key assigned after the assignment (as
                # bulk_create does), and refuses an unsaved one.
                obj._prepare_related_fields_for_save(operation_name="insert_all")  # type: ignore[attr-defined]  # private Django API, the one bulk_create uses
                params.extend(
                    field.get_db_prep_save(field.pre_save(obj, True), connection)
                    for field in fields
                )
            cursor.execute(f"{insert} VALUES {', '.join([row] * len(chunk))}{returning}", params)
            if returning:
                for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                    obj.pk = pk
    for obj in objects:
        obj._state.adding = False
        obj._state.db = alias


def placeholders(values: Sequence[Any]) -> str:
    """``(%s, %s, …)``, one parameter per value, for an ``IN`` list."""
    return "(" + ", ".join(["%s"] * len(values)) + ")"
