"""What a sender is and how it answers: the interface between the inbox and the channels.

The inbox (and the reminders and notices above it) decide *that* something is
sent; a channel knows *how*. The channels import the inbox (to store what
arrives), so the inbox must not import them back. It names the senders it needs
here, as the :class:`Senders` interface, and reads the one table that fills it
from the setting ``BOUNDARIES_SENDERS``, the way Django reads its mail backend
from ``EMAIL_BACKEND``. The table is ``boundaries.channels.registry.SENDERS``;
``tests/test_sender_registry.py`` checks that the setting names it and that every
channel has its row.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

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
    "Senders",
    "Skip",
    "senders",
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


@dataclass(frozen=True, slots=True)
class Senders:
    """Every sender of every channel, by what it sends. Filled in ``channels.registry``."""

    #: Replies by the channel the message came in on.
    reply: Mapping[str, ReplySender]
    #: The ways a therapist is alerted, in the order they are tried.
    alert: Mapping[str, AlertSender]
    #: Content-free notices to a client, by the channel the client agreed to.
    notice: Mapping[str, NoticeSender]
    #: A therapist's own message to a client from the dashboard, by channel.
    compose: Mapping[str, ComposeSender]
    #: Appointment reminders, by the channel the client chose for them.
    reminder: Mapping[str, ReminderSender]


def senders() -> Senders:
    """The table named by ``settings.BOUNDARIES_SENDERS`` (read once per setting value)."""
    return _load(str(settings.BOUNDARIES_SENDERS))


@functools.cache
def _load(path: str) -> Senders:
    table = import_string(path)
    if not isinstance(table, Senders):
        raise ImproperlyConfigured(
            f"BOUNDARIES_SENDERS names {path}, which is a {type(table).__name__}, not Senders"
        )
    return table
