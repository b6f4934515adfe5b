"""``insert_all`` writes below the ORM: the models it writes must lose nothing by that.

It runs no ``save()`` and sends no ``pre_save``/``post_save`` signal, so a model
it writes that gains a ``save()`` override or a receiver would silently skip it
on the group commit's path. Either change must come with a change to the writer.
"""

from __future__ import annotations

import pytest
from django.db.models import Model
from django.db.models.signals import ModelSignal, post_save, pre_save
from django_tasks_db.models import DBTaskResult
from django_tasks_db.signal_handlers import set_run_after

from boundaries.audit.models import AuditEntry
from boundaries.inbox.models import ActionRun, Alert, Message, Review
from boundaries.practices.models import AgendaItem

WRITTEN_BY_INSERT_ALL: list[type[Model]] = [
    Message,
    ActionRun,
    Alert,
    Review,
    AgendaItem,
    AuditEntry,
    DBTaskResult,
]
#: Overrides ``insert_all`` may bypass, and why that loses nothing.
KNOWN_SAVE_OVERRIDES = {
    AuditEntry: "refuses an update; insert_all only inserts",
}


@pytest.mark.parametrize("model", WRITTEN_BY_INSERT_ALL, ids=lambda model: model.__name__)
def test_it_writes_no_model_with_a_save_override(model: type[Model]) -> None:
    overriders = [cls for cls in model.__mro__ if "save" in vars(cls) and cls is not Model]
    assert overriders == ([model] if model in KNOWN_SAVE_OVERRIDES else [])


def test_it_knows_what_the_audit_entrys_save_does() -> None:
    entry = AuditEntry(pk=1)
    with pytest.raises(ValueError, match="append-only"):
        entry.save()


#: Receivers whose effect the writer reproduces itself, and where.
KNOWN_RECEIVERS = {
    (DBTaskResult, "pre_save"): [set_run_after],  # queue.enqueue_many sets run_after
}


@pytest.mark.parametrize("model", WRITTEN_BY_INSERT_ALL, ids=lambda model: model.__name__)
@pytest.mark.parametrize(("name", "signal"), [("pre_save", pre_save), ("post_save", post_save)])
def test_it_writes_no_model_with_a_save_signal_receiver(
    model: type[Model], name: str, signal: ModelSignal
) -> None:
    # Django 5 gives (sync, async) receivers; has_listeners alone would not say which.
    receivers = list(signal._live_receivers(model)[0])
    assert receivers == KNOWN_RECEIVERS.get((model, name), [])
