"""The worker's reminder run: find what is due, claim it, guard it, send it on the agreed channel.

``records.scheduling`` enqueues ``reminders_job`` every five minutes. Each run:

1. looks at appointments to come, not cancelled, whose client's current agreement
   names a reminder channel (``CommunicationAgreement.reminder_channel``);
2. works out when each of the client's reminders is due (``core.reminders.due_at``:
   quiet hours move it to their end, or drop it if that is after the start);
3. for each due reminder not yet claimed, inserts its ``Reminder`` row (the unique
   (appointment, offset, start) makes a second run, or a second worker, stand
   down), then renders it at the client's level of detail, passes it through the
   guard as a reminder draft with the client's agreement, and only then sends it
   through the ``reminder`` table of ``inbox.delivery.senders()``.

When several of a client's reminders are due at once (an appointment booked at
short notice), only the latest-due goes; the others are recorded as not sent.
A reminder the guard finds anything in is held, not sent, and the therapist sees
why on the dashboard. A provider that is busy (``RetryLaterError``) gives the
claim back, so the next run tries again; a claim is otherwise never taken
twice: a reminder that may have gone is not sent again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django_tasks import task

from boundaries import clock
from boundaries.audit.log import record
from boundaries.core.guard import Draft, OutboundChannel, Recipient, RecipientStatus, check
from boundaries.core.policy.loader import display_phone
from boundaries.core.policy.model import Policy
from boundaries.core.policy.reminders import RenderedReminder, render_reminder
from boundaries.core.policy.templates import demo_policy
from boundaries.core.reminders import MAX_OFFSET, due_at
from boundaries.core.types import ReminderDetail
from boundaries.inbox.delivery import RetryLaterError, Skip, senders
from boundaries.inbox.triage import policy_for, sender_context
from boundaries.practices.models import (
    Appointment,
    Client,
    ClientContact,
    CommunicationAgreement,
    Practice,
    current_agreements,
)
from boundaries.reminders.answers import answer_link
from boundaries.reminders.models import AppointmentNotice, Reminder

__all__ = ["RunReport", "reminders_job", "send_due_reminders"]

logger = logging.getLogger(__name__)

#: How to answer, by channel; added after the template's text.
SMS_ANSWER = "Reply C to confirm or X to cancel."
PORTAL_ANSWER = ""  # the portal shows Confirm and Cancel buttons beside it
_GUARD_CHANNELS = {
    "sms": OutboundChannel.SMS,
    "email": OutboundChannel.EMAIL,
    "portal": OutboundChannel.PORTAL,
}
_CHUNK = 500
_CONTACT_KINDS = {"sms": ClientContact.Kind.PHONE, "email": ClientContact.Kind.EMAIL}


@dataclass
class RunReport:
    sent: int = 0
    held: int = 0
    skipped: int = 0
    retry: int = 0
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Due:
    appointment: Appointment
    agreement: CommunicationAgreement
    offset: int
    due: dt.datetime


def _due(now: dt.datetime) -> tuple[list[_Due], list[_Due]]:
    """What to send now, and what is due but superseded by a later reminder (to record)."""
    upcoming = {
        "cancelled": False,
        "starts_at__gt": now,
        "starts_at__lte": now + dt.timedelta(minutes=MAX_OFFSET + 60),
        "client__erased_at__isnull": True,
        "practice__status": Practice.Status.ACTIVE,
    }
    appointments = list(Appointment.objects.filter(**upcoming).select_related("practice", "client"))
    if not appointments:
        return [], []
    client_ids = sorted({a.client_id for a in appointments})
    agreements: dict[int, CommunicationAgreement] = {}
    for first in range(0, len(client_ids), _CHUNK):  # SQLite's limit on query parameters
        agreements.update(current_agreements(client_ids[first : first + _CHUNK]))
    # The same filter through the join, not a list of ids: a host has many appointments.
    claimed = set(
        Reminder.objects.filter(
            **{f"appointment__{lookup}": value for lookup, value in upcoming.items()}
        ).values_list("appointment_id", "offset_minutes", "starts_at")
    )
    send: list[_Due] = []
    superseded: list[_Due] = []
    for appointment in appointments:
        agreement = agreements.get(appointment.client_id)
        if agreement is None or not agreement.reminder_channel:
            continue
        quiet = agreement.quiet_hours(appointment.practice)
        waiting = []
        for offset in agreement.reminder_offsets:
            if (appointment.pk, offset, appointment.starts_at) in claimed:
                continue
            due = due_at(appointment.starts_at, offset, quiet, appointment.practice.timezone)
            if due is not None and due <= now:
                waiting.append(_Due(appointment, agreement, offset, due))
        if waiting:
            waiting.sort(key=lambda d: d.due)
            send.append(waiting[-1])
            superseded.extend(waiting[:-1])
    return send, superseded


def _claim(item: _Due, now: dt.datetime, status: str, reason: str = "") -> Reminder | None:
    """Insert the row for (appointment, offset, start); None when another run has it."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                practice_id=item.appointment.practice_id,
                appointment=item.appointment,
                client_id=item.appointment.client_id,
                offset_minutes=item.offset,
                starts_at=item.appointment.starts_at,
                due_at=item.due,
                channel=item.agreement.reminder_channel,
                detail=item.agreement.reminder_detail,
                status=status,
                reason=reason,
                claimed_at=now,
            )
    except IntegrityError:
        return None


def _address(client: Client, channel: str) -> str:
    kind = _CONTACT_KINDS.get(channel)
    if kind is None:
        return ""
    contact = ClientContact.objects.filter(client=client, kind=kind).order_by("id").first()
    return contact.value if contact is not None else ""


def compose(reminder: Reminder, policy: Policy) -> RenderedReminder:
    """The reminder's words at the client's level, with how to answer on its channel."""
    practice = reminder.practice
    answer = {
        "sms": SMS_ANSWER,
        "email": f"To confirm or cancel, open {answer_link(reminder)}",
        "portal": PORTAL_ANSWER,
    }[reminder.channel]
    return render_reminder(
        policy.reminder_templates,
        ReminderDetail(reminder.detail),
        starts_at=reminder.starts_at,
        timezone=practice.timezone,
        country=practice.country,
        practice_name=policy.practice.name,
        therapist_name=policy.practice.therapist_name,
        phone=display_phone(policy.practice.phone),
        answer=answer,
    )


def _finish(reminder: Reminder, status: str, *, reason: str = "", provider_id: str = "") -> None:
    """Record the outcome and its audit entry; a reminder not sent becomes a notice."""
    now = clock.now()
    with transaction.atomic():
        Reminder.objects.filter(pk=reminder.pk).update(
            status=status,
            reason=reason[:600],
            provider_id=provider_id[:998],
            sent_at=now if status == Reminder.Status.SENT else None,
        )
        record(
            action=f"reminder.{status}",
            obj=reminder,
            practice=reminder.practice,
            actor_label="worker",
            details={
                "appointment": reminder.appointment_id,
                "offset_minutes": reminder.offset_minutes,
                "channel": reminder.channel,
                "detail": reminder.detail,
                "reason": reason[:600],
            },
        )
        if status in {Reminder.Status.HELD, Reminder.Status.FAILED} or (
            status == Reminder.Status.SKIPPED and reason
        ):
            AppointmentNotice.objects.create(
                practice_id=reminder.practice_id,
                therapist_id=reminder.appointment.therapist_id,
                appointment=reminder.appointment,
                reminder=reminder,
                kind=AppointmentNotice.Kind.REMINDER_HELD,
                detail=reason[:600],
            )


def _send_one(reminder: Reminder, report: RunReport) -> None:
    client = reminder.client
    practice = reminder.practice
    policy = policy_for(practice) or demo_policy(practice.country)
    address = _address(client, reminder.channel)
    if reminder.channel in _CONTACT_KINDS and not address:
        _finish(
            reminder, Reminder.Status.SKIPPED, reason=f"no {reminder.channel} address on record"
        )
        report.skipped += 1
        return
    rendered = compose(reminder, policy)
    context = sender_context(practice, client)
    status = {
        Client.Status.PRESENT: RecipientStatus.PRESENT_CLIENT,
        Client.Status.PAST: RecipientStatus.PAST_CLIENT,
    }.get(Client.Status(client.status), RecipientStatus.UNKNOWN)
    result = check(
        Draft(
            text=rendered.text,
            subject=rendered.subject if reminder.channel == "email" else "",
            is_reminder=True,
        ),
        _GUARD_CHANNELS[reminder.channel],
        Recipient(status=status, country=client.country),
        policy,
        context.agreement,
    )
    if result.findings:
        # An automated message cannot give a reason for a warning: anything found holds it.
        why = " ".join(f"[{f.clause}] {f.explanation}" for f in result.findings)
        _finish(reminder, Reminder.Status.HELD, reason=f"The guard held this reminder: {why}")
        report.held += 1
        report.reasons.append(why)
        return
    sender = senders().reminder[reminder.channel]
    try:
        provider_id = sender(
            practice.pk, address, rendered, ReminderDetail(reminder.detail) is ReminderDetail.FULL
        )
    except Skip as skip:
        _finish(reminder, Reminder.Status.SKIPPED, reason=str(skip))
        report.skipped += 1
        return
    except (RetryLaterError, OSError) as error:
        logger.warning("reminder %s not sent yet: %s", reminder.pk, type(error).__name__)
        Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING).delete()
        report.retry += 1
        return
    _finish(reminder, Reminder.Status.SENT, provider_id=provider_id)
    report.sent += 1


def send_due_reminders(now: dt.datetime) -> RunReport:
    """Send every reminder due at ``now`` (safe to run twice, or on two workers at once)."""
    report = RunReport()
    send, superseded = _due(now)
    for item in superseded:
        row = _claim(item, now, Reminder.Status.SKIPPED, reason="a later reminder was due by then")
        if row is not None:
            report.skipped += 1
    for item in send:
        reminder = _claim(item, now, Reminder.Status.SENDING)
        if reminder is None:
            continue  # another run claimed it
        _send_one(reminder, report)
    return report


@task()
def reminders_job() -> dict[str, int]:
    report = send_due_reminders(clock.now())
    return {"sent": report.sent, "held": report.held, "skipped": report.skipped}
