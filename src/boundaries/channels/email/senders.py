"""Email as a reply channel and an alert channel, registered with the inbox tasks."""

from __future__ import annotations

from django.conf import settings

from boundaries.channels.email.outbound import send_email
from boundaries.inbox.models import InboundRoute, Message
from boundaries.inbox.sealing import Content
from boundaries.inbox.tasks import ALERT_SENDERS, ALERT_SUBJECT, NOTICE_SENDERS, REPLY_SENDERS
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


REPLY_SENDERS["email"] = reply_by_email
ALERT_SENDERS["email"] = alert_by_email
NOTICE_SENDERS["email"] = notice_by_email
