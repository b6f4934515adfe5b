"""Telling the therapist that a client cancelled: one content-free email, from the worker."""

from __future__ import annotations

import logging

from django.conf import settings
from django_tasks import task

from boundaries.audit.log import record
from boundaries.inbox.delivery import senders
from boundaries.practices.models import Therapist
from boundaries.reminders.models import AppointmentNotice

__all__ = ["CANCELLATION_SUBJECT", "cancellation_text", "tell_therapist_of_cancellation"]

logger = logging.getLogger(__name__)

CANCELLATION_SUBJECT = "An appointment was cancelled"


def cancellation_text() -> str:
    """No name, no time: who and when are on the dashboard, behind the sign-in."""
    link = f"{settings.SITE_URL.rstrip('/')}/dashboard/#appointment-notices"
    return (
        "A client cancelled an appointment in answer to a reminder. Nothing has been rebooked. "
        f"Open Boundaries to see which one: {link}"
    )


@task()
def tell_therapist_of_cancellation(notice_id: int) -> None:
    notice = (
        AppointmentNotice.objects.select_related("practice", "therapist__user")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        return
    recipients = (
        [notice.therapist]
        if notice.therapist is not None
        else list(
            Therapist.objects.filter(
                practice=notice.practice, role=Therapist.Role.OWNER
            ).select_related("user")
        )
    )
    for therapist in recipients:
        address = therapist.alert_email or therapist.user.email
        if not address:
            continue
        try:
            senders().notice["email"](address, CANCELLATION_SUBJECT, cancellation_text())
        except OSError as error:  # the relay refused or is down: the dashboard still shows it
            logger.warning(
                "cancellation notice %s not emailed: %s", notice.pk, type(error).__name__
            )
            continue
        record(
            action="appointment.notice_emailed",
            obj=notice,
            practice=notice.practice,
            actor_label="worker",
            details={"therapist": therapist.pk},
        )
