"""The therapist marks an appointment notice (a cancellation, a held reminder) as seen."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from boundaries import clock
from boundaries.audit.log import record
from boundaries.reminders.models import AppointmentNotice

__all__ = ["do_mark_notice_seen"]


def do_mark_notice_seen(notice: AppointmentNotice, *, actor: Any) -> bool:
    with transaction.atomic():
        changed = AppointmentNotice.objects.filter(pk=notice.pk, seen_at__isnull=True).update(
            seen_at=clock.now()
        )
        if changed:
            record(
                action="appointment.notice_seen",
                obj=notice,
                practice=notice.practice,
                actor=actor,
                details={"kind": notice.kind, "appointment": notice.appointment_id},
            )
    return bool(changed)
