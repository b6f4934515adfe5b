"""Access-checked getters for inbound messages (the rule is ``practices.access``'s).

A therapist sees the messages of the clients they may see; messages from unknown
senders go to the practice's owners. Anything else is a 404, never a 403.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from boundaries.inbox.models import Message
from boundaries.practices.access import visible_to

__all__ = ["get_message_for", "messages_for"]


def messages_for(user: object) -> QuerySet[Message]:
    """Inbound messages this therapist may see: owners see all of the practice's;
    others see their own clients' (unknown senders go to the practice's owners)."""
    return visible_to(user, Message.objects.all(), therapist_field="client__therapist")


def get_message_for(user: object, message_id: int) -> Message:
    return get_object_or_404(messages_for(user), pk=message_id)
