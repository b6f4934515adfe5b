"""Booking appointments, and the client's confirmation or cancellation of one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from boundaries import clock
from boundaries.errors import ActionError
from boundaries.practices.actions.common import record_action
from boundaries.practices.models import (
    AgendaItem,
    Appointment,
    Client,
)


def do_add_appointment(
    client: Client,
    *,
    starts_at: dt.datetime,
    duration: dt.timedelta = dt.timedelta(minutes=50),
    uid: str = "",
    source: str = "manual",
    actor: Any = None,
    actor_label: str = "",
) -> Appointment:
    if timezone.is_naive(starts_at):
        raise ActionError("an appointment time needs a timezone")
    with transaction.atomic():
        appointment = Appointment.objects.create(
            practice_id=client.practice_id,
            client=client,
            therapist=client.therapist,
            starts_at=starts_at,
            ends_at=starts_at + duration,
            uid=uid or f"appt-{client.pk}-{int(starts_at.timestamp())}",
            source=source,
        )
        # Agenda items waiting for "the next session" attach to it if it is the earliest.
        AgendaItem.objects.filter(
            client=client, discussed_at__isnull=True, appointment__isnull=True
        ).update(appointment=appointment)
        details = {"client": client.pk}
        record_action(
            "appointment.add", appointment, actor, actor_label, details, practice=client.practice
        )
    return appointment


def do_confirm_appointment(
    appointment: Appointment, *, via: str, actor: Any = None, actor_label: str = ""
) -> bool:
    """The client confirmed (answering a reminder). False when it was cancelled or confirmed."""
    with transaction.atomic():
        changed = Appointment.objects.filter(
            pk=appointment.pk, cancelled=False, confirmed_at__isnull=True
        ).update(confirmed_at=clock.now())
        return _answered(
            appointment, changed, "appointment.confirmed", via, actor=actor, actor_label=actor_label
        )


def do_cancel_appointment(
    appointment: Appointment, *, via: str, actor: Any = None, actor_label: str = ""
) -> bool:
    """Mark the appointment cancelled (never rebooked). False when it already was.

    Telling the therapist is the caller's part (``reminders.answers``), in the same
    transaction.
    """
    with transaction.atomic():
        changed = Appointment.objects.filter(pk=appointment.pk, cancelled=False).update(
            cancelled=True, cancelled_at=clock.now(), cancelled_by=via[:60]
        )
        return _answered(
            appointment, changed, "appointment.cancelled", via, actor=actor, actor_label=actor_label
        )


def _answered(
    appointment: Appointment, changed: int, action: str, via: str, *, actor: Any, actor_label: str
) -> bool:
    """Record the client's answer when it changed the appointment; whether it did."""
    if changed:
        details = {"client": appointment.client_id, "via": via}
        record_action(action, appointment, actor, actor_label, details)
    return bool(changed)
