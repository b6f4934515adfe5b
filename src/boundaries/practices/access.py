"""One way to read what is private: access-checked getters.

A therapist sees their practice's clients — all of them if their role allows,
otherwise only their own. Anything else is a 404, never a 403, so that the
existence of a record is not confirmed to someone who may not see it.
The getters for inbound messages, which build on these, are in ``inbox.access``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from boundaries.practices.models import Client, Therapist

M = TypeVar("M", bound=Model)


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


def owner_for(user: Any) -> Therapist:
    """The signed-in therapist when they own the practice (see every client, manage it)."""
    therapist = therapist_for(user)
    if not therapist.sees_all_clients:
        raise Http404
    return therapist


def visible_to(user: Any, rows: QuerySet[M], *, therapist_field: str) -> QuerySet[M]:
    """The practice's ``rows`` this therapist may see: all if their role allows, else
    those whose ``therapist_field`` (a lookup such as ``client__therapist``) is them."""
    therapist = therapist_for(user)
    rows = rows.filter(practice_id=therapist.practice_id)
    if not therapist.sees_all_clients:
        rows = rows.filter(**{therapist_field: therapist})
    return rows


def clients_for(user: Any) -> QuerySet[Client]:
    return visible_to(user, Client.objects.all(), therapist_field="therapist")


def get_client_for(user: Any, client_id: int) -> Client:
    return get_object_or_404(clients_for(user), pk=client_id)
