"""The agenda: things a client or the system asks to discuss at the next session."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from boundaries import clock
from boundaries.audit.log import append, record
from boundaries.audit.log import entry as audit_entry
from boundaries.audit.models import AuditEntry
from boundaries.errors import ActionError
from boundaries.practices.actions.common import who_acted
from boundaries.practices.models import (
    AgendaItem,
    Client,
    Practice,
    next_appointments,
)
from boundaries.sql import insert_all


def do_add_agenda_item(
    client: Client,
    *,
    kind: str,
    source: str,
    note: str = "",
    actor: Any = None,
    actor_label: str = "",
) -> AgendaItem:
    return do_add_agenda_items(
        [(client, kind, note)], source=source, actor=actor, actor_label=actor_label
    )[0]


def do_add_agenda_items(
    wanted: Sequence[tuple[Client, str, str]],
    *,
    source: str,
    actor: Any = None,
    actor_label: str = "",
) -> list[AgendaItem]:
    """Add (client, kind, note) items, each on its client's next appointment, in one go."""
    items = agenda_items(wanted, source=source)
    practices = Practice.objects.in_bulk({item.practice_id for item in items})
    with transaction.atomic():
        insert_all(items)
        append(agenda_entries(items, practices, actor=actor, actor_label=actor_label))
    return items


def agenda_items(wanted: Sequence[tuple[Client, str, str]], *, source: str) -> list[AgendaItem]:
    """Unsaved agenda items for (client, kind, note), each on its client's next appointment.

    For a caller that saves them in a transaction of its own, together with
    ``agenda_entries`` for the audit log (the inbox's group commit).
    """
    for _, kind, _ in wanted:
        if kind not in AgendaItem.Kind.values:
            raise ActionError(f"unknown agenda kind {kind!r}")
    if source not in AgendaItem.Source.values:
        raise ActionError(f"unknown agenda source {source!r}")
    if not wanted:
        return []
    next_ones = next_appointments(client.pk for client, _, _ in wanted)
    return [
        AgendaItem(
            practice_id=client.practice_id,
            client=client,
            appointment=next_ones.get(client.pk),
            kind=kind,
            source=source,
            note=note[:500],
        )
        for client, kind, note in wanted
    ]


def agenda_entries(
    items: Sequence[AgendaItem],
    practices: Mapping[int, Practice],
    *,
    actor: Any = None,
    actor_label: str = "",
) -> list[AuditEntry]:
    """The audit entries for saved agenda items (``practices`` by id holds their practices)."""
    label = who_acted(actor, actor_label)
    return [
        audit_entry(
            action="agenda.add",
            obj=item,
            practice=practices[item.practice_id],
            actor=actor,
            actor_label=label,
            details={"client": item.client.pk, "kind": item.kind, "source": item.source},
        )
        for item in items
    ]


def do_mark_agenda_discussed(
    item: AgendaItem, *, note: str = "", actor: Any = None, actor_label: str = ""
) -> AgendaItem:
    if item.discussed_at is not None:
        raise ActionError("this agenda item is already marked as discussed")
    with transaction.atomic():
        item.discussed_at = clock.now()
        item.discussed_note = note[:1000]
        item.save(update_fields=["discussed_at", "discussed_note"])
        record(
            action="agenda.discussed",
            obj=item,
            practice=item.client.practice,
            actor=actor,
            actor_label=who_acted(actor, actor_label),
            # The client's id, so the entry is in the access log of their data export.
            details={"client": item.client_id, "note": bool(item.discussed_note)},
        )
    return item
