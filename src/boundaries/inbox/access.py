"""Access-checked getters for inbound messages (the rule is ``practices.access``'s).

A therapist sees the messages of the clients they may see; messages from unknown
senders go to the practice's owners. Anything else is a 404, never a 403.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from boundaries.inbox.models import Message
from boundaries.practices.access import therapist_for

__all__ = ["get_message_for", "messages_for"]


def messages_for(user: object) -> QuerySet[Message]:
    """Inbound messages this therapist may see: owners see all of the practice's;
    others see their own clients' (unknown senders go to the practice's owners)."""
    therapist = therapist_for(user)
    messages = Message.objects.filter(practice_id=therapist.practice_id)
    if not therapist.sees_all_clients:
        messages = messages.filter(client__therapist=therapist)
    return messages


def get_message_for(user: object, message_id: int) -> Message:
    try:
        return messages_for(user).get(pk=message_id)
    except Message.DoesNotExist:
        raise Http404 from None
