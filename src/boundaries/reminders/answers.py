"""A client's answer to a reminder: confirm or cancel, by text, email link or portal button.

Every answer goes through ``do_answer``: the reminder records it once (a link
is single-use, a second "X" changes nothing), the appointment is confirmed or
cancelled (``practices.actions.appointments``), and a cancellation becomes a
notice on the therapist's dashboard and a content-free email: it is put to
the therapist, never rebooked.

A text message is an answer only when triage found no risk in it
(``answer_by_sms``): a message that also suggests risk is the therapist's to
read, with its alert, and nothing is cancelled on its strength.

The email link carries a signed token naming the reminder (``django.core.signing``,
salted, valid until the appointment starts). Its page shows the day and time
and nothing else; confirming or cancelling is a POST, so a mail scanner that
opens links changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction

from boundaries import clock
from boundaries.audit.log import record
from boundaries.core.policy.reminders import format_when
from boundaries.core.reminders import ReminderAnswer, answer_of
from boundaries.core.types import RiskLevel
from boundaries.inbox.models import Message
from boundaries.practices.actions.appointments import (
    do_cancel_appointment,
    do_confirm_appointment,
)
from boundaries.practices.models import Practice
from boundaries.reminders.models import AppointmentNotice, Reminder
from boundaries.reminders.tasks import tell_therapist_of_cancellation

__all__ = [
    "Answered",
    "answer_by_sms",
    "answer_link",
    "answer_text",
    "do_answer",
    "reminder_for_token",
    "when_of",
]

logger = logging.getLogger(__name__)

_SALT = "boundaries.reminders.answer"


@dataclass(frozen=True, slots=True)
class Answered:
    """What happened: ``done`` false when the reminder was answered before or is out of date."""

    done: bool
    answer: ReminderAnswer
    when: str


def when_of(reminder: Reminder) -> str:
    practice = reminder.practice
    return format_when(reminder.appointment.starts_at, practice.timezone, practice.country)


def answer_link(reminder: Reminder) -> str:
    token = signing.dumps({"r": reminder.pk}, salt=_SALT, compress=True)
    return f"{settings.SITE_URL.rstrip('/')}/r/{token}/"


def reminder_for_token(token: str) -> Reminder | None:
    """The reminder a link names, while its appointment is still to come; else None."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    reminder_id = data.get("r") if isinstance(data, dict) else None
    if not isinstance(reminder_id, int):
        return None
    reminder = (
        Reminder.objects.select_related("appointment", "practice", "client")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.appointment.starts_at <= clock.now():
        return None
    return reminder


def _answerable(reminder: Reminder, now: dt.datetime) -> bool:
    appointment = reminder.appointment
    return (
        reminder.status == Reminder.Status.SENT
        and not reminder.answered_at
        and not appointment.cancelled
        and appointment.starts_at == reminder.starts_at  # not moved since
        and appointment.starts_at > now
    )


def do_answer(
    reminder: Reminder, answer: ReminderAnswer, *, via: str, actor_label: str = "client"
) -> Answered:
    """Record the answer once, confirm or cancel, and put a cancellation to the therapist."""
    now = clock.now()
    when = when_of(reminder)
    with transaction.atomic():
        # The conditional update is the single use: a second answer (or a replayed link) finds
        # the row answered and changes nothing.
        taken = Reminder.objects.filter(
            pk=reminder.pk, answered_at__isnull=True, status=Reminder.Status.SENT
        ).update(
            answer=Reminder.Answer.CONFIRMED
            if answer is ReminderAnswer.CONFIRM
            else Reminder.Answer.CANCELLED,
            answered_at=now,
            answered_via=via[:20],
        )
        if not taken or not _answerable(reminder, now):
            if taken:
                # Out of date (moved, cancelled, started): keep the answer, do nothing with it.
                logger.info("reminder %s answered after its appointment changed", reminder.pk)
            return Answered(done=False, answer=answer, when=when)
        appointment = reminder.appointment
        record(
            action=f"reminder.{answer.value}",
            obj=reminder,
            practice=reminder.practice,
            actor_label=actor_label,
            details={"appointment": appointment.pk, "via": via},
        )
        if answer is ReminderAnswer.CONFIRM:
            do_confirm_appointment(appointment, via=via, actor_label=actor_label)
            return Answered(done=True, answer=answer, when=when)
        do_cancel_appointment(appointment, via=via, actor_label=actor_label)
        notice = AppointmentNotice.objects.create(
            practice_id=reminder.practice_id,
            therapist_id=appointment.therapist_id,
            appointment=appointment,
            reminder=reminder,
            kind=AppointmentNotice.Kind.CANCELLED,
            detail=f"Cancelled by the client in answer to a reminder ({via}).",
        )
        record(
            action="appointment.notice",
            obj=notice,
            practice=reminder.practice,
            actor_label=actor_label,
            details={"kind": notice.kind, "appointment": appointment.pk},
        )
        transaction.on_commit(lambda: tell_therapist_of_cancellation.enqueue(notice.pk))
    return Answered(done=True, answer=answer, when=when)


def answer_by_sms(practice: Practice, message: Message, text: str) -> str:
    """The text to answer with when ``message`` confirms or cancels a reminder; '' otherwise.

    Called by the Twilio webhook after ``do_ingest`` has triaged the message, in its
    transaction. Only a whole-message answer ("C", "X", "confirm") from a known
    client, with no risk found, to the latest text reminder of an appointment to come.
    """
    answer = answer_of(text)
    if answer is None or message.client_id is None or message.risk != RiskLevel.NONE.value:
        return ""
    reminder = (
        Reminder.objects.select_related("appointment", "practice", "client")
        .filter(
            practice=practice,
            client_id=message.client_id,
            channel="sms",
            status=Reminder.Status.SENT,
            appointment__cancelled=False,
            appointment__starts_at__gt=clock.now(),
        )
        .order_by("-sent_at", "-id")
        .first()
    )
    if reminder is None:
        return ""
    answered = do_answer(reminder, answer, via="sms", actor_label="sms answer")
    return answer_text(answered)


def answer_text(answered: Answered) -> str:
    """What the client is told: the time and what happened, nothing that says what it is."""
    if not answered.done:
        return (
            f"We could not change {answered.when} from here: it was answered already or has "
            "changed. Please telephone us if you need to."
        )
    if answered.answer is ReminderAnswer.CONFIRM:
        return f"Thank you: {answered.when} is confirmed."
    return f"{answered.when} is cancelled. We will be in touch about another time."
