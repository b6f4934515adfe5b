"""Words for the ids a page would otherwise show raw (``social_dm``, ``quarantine_to_vault``).

``{% load labels %}`` then ``{{ message.channel|channel_name }}`` and
``{{ message.actions|action_names }}`` (one: ``action_name``). An id we have no words
for is shown as it is, so a new channel or action is never hidden.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from boundaries.core.types import Action, Channel

register = template.Library()

CHANNEL_NAMES: dict[str, str] = {
    Channel.EMAIL: "Email",
    Channel.SMS: "Text message",
    Channel.SOCIAL_DM: "Direct message",
    Channel.SOCIAL_COMMENT: "Comment",
    Channel.REVIEW: "Review",
    Channel.CONNECTION_REQUEST: "Connection request",
    Channel.PORTAL: "Portal message",
    Channel.VOICEMAIL_TRANSCRIPT: "Voicemail",
}
ACTION_NAMES: dict[str, str] = {
    Action.URGENT_ALERT: "urgent alert sent to you",
    Action.CRISIS_RESOURCES_REPLY: "crisis numbers sent",
    Action.REVIEW_TODAY: "on today's review list",
    Action.REDIRECT_REPLY: "asked to use an agreed channel",
    Action.SECURE_CHANNEL_REPLY: "asked to use the secure portal",
    Action.AGENDA_ITEM: "added to the next session",
    Action.QUARANTINE_TO_VAULT: "moved to the secure store",
    Action.DECLINE_CONNECTION: "connection declined",
    Action.NO_RESPONSE: "no reply sent",
    Action.DELIVER: "delivered to you",
}


@register.filter
def channel_name(value: str) -> str:
    """``social_dm`` -> ``Direct message``."""
    return CHANNEL_NAMES.get(value, value)


@register.filter
def action_name(value: str) -> str:
    """``quarantine_to_vault`` -> ``moved to the secure store``."""
    return ACTION_NAMES.get(value, value)


@register.filter
def action_names(values: Iterable[str]) -> str:
    """``["deliver", "agenda_item"]`` -> ``delivered to you, added to the next session``."""
    return ", ".join(ACTION_NAMES.get(v, v) for v in values)
