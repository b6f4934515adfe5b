"""Access-checked getters for inbound messages (the rule is ``practices.access``'s).

A therapist sees the messages of the clients they may see; messages from unknown
senders go to the practice's owners. Anything else is a 404, never a 403.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from boundaries.inbox.models import Message
from boundaries.practices.access import clients_for, therapist_for

__all__ = ["get_message_for", "messages_for"]


def messages_for(user: object) -> QuerySet[Message]:
    """Inbound messages this therapist may see: owners see all of the practice's;
    others see their own clients' (unknown senders go to the practice's owners)."""
    therapist = therapist_for(user)
    messages = Message.objects.filter(practice_id=therapist.practice_id)
    if therapist.sees_all_clients:
        return messages
    # Their clients' ids, listed (a caseload, not a crowd), rather than a join: with the
    # ids PostgreSQL reads the newest messages from the practice's index instead of
    # fetching and sorting all of the therapist's (docs/scaling.md).
    own = clients_for(user).values_list("pk", flat=True)
    return messages.filter(client_id__in=list(own))


def get_message_for(user: object, message_id: int, related: tuple[str, ...] = ()) -> Message:
    """One message this therapist may see; ``related`` are read in the same query."""
    messages = messages_for(user)
    if related:
        messages = messages.select_related(*related)
    return get_object_or_404(messages, pk=message_id)
