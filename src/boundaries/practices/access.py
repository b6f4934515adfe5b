"""One way to read what is private: access-checked getters.

A therapist sees their practice's clients — all of them if their role allows,
otherwise only their own. Anything else is a 404, never a 403, so that the
existence of a record is not confirmed to someone who may not see it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from boundaries.practices.models import Client, Therapist


def therapist_for(user: Any) -> Therapist:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        therapist: Therapist = user.therapist
    except Therapist.DoesNotExist:
        raise Http404 from None
    if not therapist.practice.is_active:  # a deleted practice's tombstone: nothing to see
        raise Http404
    return therapist


def clients_for(user: Any) -> QuerySet[Client]:
    therapist = therapist_for(user)
    clients = Client.objects.filter(practice_id=therapist.practice_id)
    if not therapist.sees_all_clients:
        clients = clients.filter(therapist=therapist)
    return clients


def get_client_for(user: Any, client_id: int) -> Client:
    try:
        return clients_for(user).get(pk=client_id)
    except Client.DoesNotExist:
        raise Http404 from None


def messages_for(user: Any) -> Any:
    """Inbound messages this therapist may see: owners see all of the practice's;
    others see their own clients' (unknown senders go to the practice's owners)."""
    from boundaries.inbox.models import Message

    therapist = therapist_for(user)
    messages = Message.objects.filter(practice_id=therapist.practice_id)
    if not therapist.sees_all_clients:
        # Their clients' ids, listed (a caseload, not a crowd), rather than a join: with
        # the ids PostgreSQL reads the newest messages from the practice's index instead
        # of fetching and sorting all of the therapist's (docs/scaling.md).
        own = Client.objects.filter(practice_id=therapist.practice_id, therapist=therapist)
        messages = messages.filter(client_id__in=list(own.values_list("pk", flat=True)))
    return messages


def get_message_for(user: Any, message_id: int, related: tuple[str, ...] = ()) -> Any:
    """One message this therapist may see; ``related`` are read in the same query."""
    from boundaries.inbox.models import Message

    messages = messages_for(user)
    if related:
        messages = messages.select_related(*related)
    try:
        return messages.get(pk=message_id)
    except Message.DoesNotExist:
        raise Http404 from None
