"""What a sender is and how it answers: the types shared by the inbox tasks and every channel.

The channels' senders and the inbox tasks both import from here, and neither
from the other, so the table in ``boundaries.channels.registry`` can sit above
both without an import cycle.
"""

from __future__ import annotations

from collections.abc import Callable

from boundaries.core.policy.reminders import RenderedReminder
from boundaries.inbox.models import Message
from boundaries.inbox.sealing import Content
from boundaries.practices.models import Therapist

__all__ = [
    "ALERT_SUBJECT",
    "AlertSender",
    "ComposeSender",
    "NoticeSender",
    "ReminderSender",
    "ReplySender",
    "RetryLaterError",
    "Skip",
]

ALERT_SUBJECT = "Urgent: a message needs your attention now"


class Skip(Exception):  # noqa: N818 - a result, not an error
    """The action is deliberately not carried out; the message says why (no content)."""


class RetryLaterError(Exception):
    """Try again later (network down, provider busy)."""


#: A reply on the channel a message came in on: (message, content, text) -> provider id.
ReplySender = Callable[[Message, Content, str], str]
#: An alert to a therapist ("email", "sms"): (therapist, text) -> None.
AlertSender = Callable[[Therapist, str], None]
#: A content-free notice to a client by agreed channel: (address, subject, text) -> None.
NoticeSender = Callable[[str, str, str], None]
#: A therapist's own message to a client: (practice id, address, subject, text) -> None.
ComposeSender = Callable[[int, str, str, str], None]
#: An appointment reminder on the client's agreed channel:
#: (practice id, address, reminder, level is full) -> provider id. Raises ``Skip`` (opted out).
ReminderSender = Callable[[int, str, RenderedReminder, bool], str]
