"""Which channel sends what: one table, read from top to bottom.

Every sender a channel offers is listed here, the way ``INSTALLED_APPS`` lists
the apps; nothing registers itself by being imported. The inbox, the reminders
and the portal reach this table through ``boundaries.inbox.delivery.senders()``,
which reads the setting ``BOUNDARIES_SENDERS`` (it names ``SENDERS`` below): the
channels import the inbox, so the inbox must not import them. A channel missing
from a table has no sender of that kind (the inbox then skips the action and
says so). ``tests/test_sender_registry.py`` checks that every channel that can be
replied to, and every alert and notice kind, has its row.
"""

from __future__ import annotations

from typing import Final

from boundaries.channels.email.senders import (
    alert_by_email,
    compose_by_email,
    notice_by_email,
    reminder_by_email,
    reply_by_email,
)
from boundaries.channels.meta.senders import reply_in_private, reply_to_public_post_in_private
from boundaries.channels.sms.senders import (
    alert_by_sms,
    compose_by_sms,
    notice_by_sms,
    reminder_by_sms,
    reply_by_sms,
)
from boundaries.core.policy.reminders import RenderedReminder
from boundaries.core.types import Channel
from boundaries.inbox.delivery import (
    AlertSender,
    ComposeSender,
    NoticeSender,
    ReminderSender,
    ReplySender,
    Senders,
)

__all__ = [
    "ALERT_SENDERS",
    "COMPOSE_SENDERS",
    "NOTICE_SENDERS",
    "REMINDER_SENDERS",
    "REPLY_SENDERS",
    "SENDERS",
]

#: Replies by the channel the message came in on. Reviews, connection requests,
#: portal messages (answered in the portal) and voicemail transcripts have none.
REPLY_SENDERS: Final[dict[str, ReplySender]] = {
    Channel.EMAIL: reply_by_email,
    Channel.SMS: reply_by_sms,
    Channel.SOCIAL_DM: reply_in_private,
    Channel.SOCIAL_COMMENT: reply_to_public_post_in_private,
}

#: The ways a therapist is alerted, in the order they are tried.
ALERT_SENDERS: Final[dict[str, AlertSender]] = {
    "email": alert_by_email,
    "sms": alert_by_sms,
}

#: Content-free notices to a client, by the channel the client agreed to.
NOTICE_SENDERS: Final[dict[str, NoticeSender]] = {
    "email": notice_by_email,
    "sms": notice_by_sms,
}

#: A therapist's own message to a client from the dashboard, by channel.
COMPOSE_SENDERS: Final[dict[str, ComposeSender]] = {
    "email": compose_by_email,
    "sms": compose_by_sms,
}


def _shown_in_portal(practice_id: int, address: str, reminder: RenderedReminder, full: bool) -> str:
    """A portal reminder is its stored row: the portal shows it, with Confirm and Cancel."""
    return "portal"


#: Appointment reminders, by the channel the client chose for them (reminders.sending).
REMINDER_SENDERS: Final[dict[str, ReminderSender]] = {
    "email": reminder_by_email,
    "sms": reminder_by_sms,
    "portal": _shown_in_portal,
}


#: All of the above, as the inbox's ``Senders`` interface (``settings.BOUNDARIES_SENDERS``).
SENDERS: Final[Senders] = Senders(
    reply=REPLY_SENDERS,
    alert=ALERT_SENDERS,
    notice=NOTICE_SENDERS,
    compose=COMPOSE_SENDERS,
    reminder=REMINDER_SENDERS,
)
