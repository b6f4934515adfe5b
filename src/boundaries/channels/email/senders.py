"""Email as a reply, alert, notice and compose channel (listed in ``channels.registry``)."""

from __future__ import annotations

from email.utils import formataddr

from django.conf import settings

from boundaries.channels.email.outbound import send_email
from boundaries.core.policy.reminders import RenderedReminder
from boundaries.inbox.delivery import ALERT_SUBJECT
from boundaries.inbox.models import InboundRoute, Message
from boundaries.inbox.sealing import Content
from boundaries.practices.models import Therapist


def practice_address(practice_id: int) -> str:
    route = InboundRoute.objects.filter(
        practice_id=practice_id, kind=InboundRoute.Kind.EMAIL
    ).first()
    return route.address if route is not None else str(settings.DEFAULT_FROM_EMAIL)


def reply_by_email(message: Message, content: Content, text: str) -> str:
    subject = content.subject.strip()
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}" if subject else "Your message"
    references = content.extra.get("references") or []
    return send_email(
        sender=practice_address(message.practice_id),
        to=content.reply_address,
        subject=subject[:200],
        body=text,
        in_reply_to=message.external_id,
        references=[str(r) for r in references],
    )


def alert_by_email(therapist: Therapist, text: str) -> None:
    send_email(
        sender=str(settings.DEFAULT_FROM_EMAIL),
        to=therapist.alert_email or therapist.user.email,
        subject=ALERT_SUBJECT,
        body=text,
        auto_submitted="auto-generated",
    )


def notice_by_email(address: str, subject: str, text: str) -> None:
    send_email(
        sender=str(settings.DEFAULT_FROM_EMAIL),
        to=address,
        subject=subject,
        body=text,
        auto_submitted="auto-generated",
    )


def compose_by_email(practice_id: int, address: str, subject: str, text: str) -> None:
    """A therapist's own message from the dashboard: from the practice, not auto-generated."""
    send_email(
        sender=practice_address(practice_id),
        to=address,
        subject=subject or "A message from your therapist",
        body=text,
        auto_submitted="",
    )


def reminder_by_email(
    practice_id: int, address: str, reminder: RenderedReminder, full: bool
) -> str:
    """An appointment reminder. Discreet and minimal ones come from the neutral sender name
    at the system's address: the practice's own address can say what it is."""
    mailbox = practice_address(practice_id) if full else str(settings.DEFAULT_FROM_EMAIL)
    return send_email(
        sender=formataddr((reminder.sender_name, mailbox)),
        to=address,
        subject=reminder.subject[:200],
        body=reminder.text,
        auto_submitted="auto-generated",
    )
