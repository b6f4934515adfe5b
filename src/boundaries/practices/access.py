"""One way to read what is private: access-checked getters.

A therapist sees their practice's clients — all of them if their role allows,
otherwise only their own. Anything else is a 404, never a 403, so that the
existence of a record is not confirmed to someone who may not see it.
The getters for inbound messages, which build on these, are in ``inbox.access``.
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
