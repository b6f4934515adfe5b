"""Text messages as a reply channel and an alert channel, listed in ``channels.registry``.

Nothing automated is texted to a number that has opted out (STOP). A crisis
from such a number still raises the therapist's alert: the alert goes to the
therapist's phone, not to the sender.

A reply normally travels in the webhook's own TwiML answer: the webhook runs
the inbox's ``send_reply`` (with its loop-prevention ledger and every other
check) inside ``answering_in_twiml()``, and ``reply_by_sms`` then hands the
text back instead of calling the REST API. The worker uses the REST API for a
reply the webhook could not give.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar

from boundaries.channels.sms.models import SmsOptOut, number_digest
from boundaries.channels.sms.outbound import SmsSendError, send_sms, twilio_config
from boundaries.core.policy.reminders import RenderedReminder
from boundaries.inbox.delivery import RetryLaterError, Skip
from boundaries.inbox.models import InboundRoute, Message
from boundaries.inbox.sealing import Content
from boundaries.practices.models import Therapist

__all__ = [
    "TWIML_PROVIDER_ID",
    "alert_by_sms",
    "answering_in_twiml",
    "compose_by_sms",
    "notice_by_sms",
    "practice_number",
    "reminder_by_sms",
    "reply_by_sms",
]

logger = logging.getLogger(__name__)

TWIML_PROVIDER_ID = "twiml"  # what send_reply records when the reply went in the webhook answer
_twiml_reply: ContextVar[list[str] | None] = ContextVar("twiml_reply", default=None)


@contextlib.contextmanager
def answering_in_twiml() -> Iterator[list[str]]:
    """Within this block ``reply_by_sms`` collects the reply text instead of sending it."""
    collected: list[str] = []
    token = _twiml_reply.set(collected)
    try:
        yield collected
    finally:
        _twiml_reply.reset(token)


def practice_number(practice_id: int) -> str:
    """The practice's own Twilio number, else the system-wide ``TWILIO_FROM_NUMBER``."""
    route = (
        InboundRoute.objects.filter(practice_id=practice_id, kind=InboundRoute.Kind.SMS)
        .order_by("id")
        .first()
    )
    return route.address if route is not None else twilio_config().from_number


def reply_by_sms(message: Message, content: Content, text: str) -> str:
    if SmsOptOut.is_opted_out(message.practice_id, content.reply_address):
        raise Skip("the sender has opted out of text messages (STOP)")
    collected = _twiml_reply.get()
    if collected is not None:
        collected.append(text)
        return TWIML_PROVIDER_ID
    # Answer from the number the client wrote to, so the reply lands in the same thread.
    from_number = str(content.extra.get("to") or "") or practice_number(message.practice_id)
    try:
        return send_sms(content.reply_address, text, from_number=from_number)
    except SmsSendError as error:
        # Retried, then marked failed for the dashboard: a refused crisis reply must show.
        raise RetryLaterError(str(error)) from None


def alert_by_sms(therapist: Therapist, text: str) -> None:
    """The therapist's own alert phone; ``text`` is the content-free alert with a link."""
    try:
        send_sms(
            therapist.alert_phone,
            text,
            from_number=twilio_config().from_number or practice_number(therapist.practice_id),
        )
    except SmsSendError as error:
        raise RetryLaterError(str(error)) from None


def notice_by_sms(address: str, subject: str, text: str) -> None:
    """A content-free notice to a client who agreed to texts (the subject is not sent).

    The notice sender is not told the practice, so a number that has opted out of
    any practice's texts gets none.
    """
    if SmsOptOut.objects.filter(number_hash=number_digest(address), opted_out=True).exists():
        logger.info("sms notice not sent: the number has opted out (STOP)")
        return
    try:
        send_sms(address, text)
    except SmsSendError as error:
        raise RetryLaterError(str(error)) from None


def compose_by_sms(practice_id: int, address: str, subject: str, text: str) -> None:
    """A therapist's own text from the dashboard: sent as a notice is (opt-outs respected)."""
    notice_by_sms(address, "", text)


def reminder_by_sms(practice_id: int, address: str, reminder: RenderedReminder, full: bool) -> str:
    """An appointment reminder from the practice's number, so "C" or "X" comes back to it.

    A number that said STOP to this practice gets none (``Skip``: the reminder is
    recorded as not sent, and why). The subject and sender name are not sent: a
    text shows the number it came from.
    """
    if SmsOptOut.is_opted_out(practice_id, address):
        raise Skip("the client has opted out of text messages (STOP)")
    try:
        return send_sms(address, reminder.text, from_number=practice_number(practice_id))
    except SmsSendError as error:
        if error.permanent:
            raise Skip(str(error)) from None
        raise RetryLaterError(str(error)) from None
