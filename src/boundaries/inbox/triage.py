"""The bridge from stored data to the pure triage core: who sent it, under which policy."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db import connection

from boundaries.core.policy.model import Policy
from boundaries.core.policy.versions import policy_from_dict
from boundaries.core.types import (
    AgreementTerms,
    Channel,
    InboundMessage,
    SenderContext,
    SenderStatus,
)
from boundaries.practices.models import (
    Client,
    ClientContact,
    PolicyVersion,
    Practice,
    current_agreements,
)
from boundaries.sql import placeholders

_KIND_BY_CHANNEL = {
    Channel.EMAIL: ClientContact.Kind.EMAIL,
    Channel.SMS: ClientContact.Kind.PHONE,
    Channel.VOICEMAIL_TRANSCRIPT: ClientContact.Kind.PHONE,
    Channel.SOCIAL_DM: ClientContact.Kind.HANDLE,
    Channel.SOCIAL_COMMENT: ClientContact.Kind.HANDLE,
    Channel.REVIEW: ClientContact.Kind.HANDLE,
    Channel.CONNECTION_REQUEST: ClientContact.Kind.HANDLE,
}


def find_client(practice: Practice, message: InboundMessage) -> Client | None:
    """The client this sender is, by an identifier the practice already holds (never by name)."""
    return find_clients([(practice, message)])[0]


def find_clients(arrivals: Sequence[tuple[Practice, InboundMessage]]) -> list[Client | None]:
    """``find_client`` for several messages with one query.

    When several clients hold the sender's address, a present client wins, then a
    prospective one, then a past one; among equals, the contact recorded first.
    Every arriving batch asks this, so the query is written out (``Client.objects.raw``
    skips the ORM's query building; the model still reads the row).
    """
    wanted: list[tuple[int, str, str, str] | None] = []
    for practice, message in arrivals:
        kind = _KIND_BY_CHANNEL.get(message.channel)
        if kind is None or not message.sender:
            wanted.append(None)
            continue
        value = message.sender.strip().lower().lstrip("@")
        platform = (message.platform or "") if kind == ClientContact.Kind.HANDLE else ""
        wanted.append((practice.pk, str(kind), value, platform))
    keys = [key for key in wanted if key is not None]
    if not keys:
        return [None] * len(arrivals)
    quote = connection.ops.quote_name
    clients, contacts = quote(Client._meta.db_table), quote(ClientContact._meta.db_table)
    practices = sorted({key[0] for key in keys})
    kinds = sorted({key[1] for key in keys})
    values = sorted({key[2] for key in keys})
    sql = (
        f"SELECT {clients}.*, {contacts}.practice_id AS contact_practice_id,"  # noqa: S608 - quoted table names; values are placeholders
        f" {contacts}.kind AS contact_kind, {contacts}.value AS contact_value,"
        f" {contacts}.platform AS contact_platform"
        f" FROM {contacts} JOIN {clients} ON {clients}.id = {contacts}.client_id"
        f" WHERE {contacts}.practice_id IN {placeholders(practices)}"
        f" AND {contacts}.kind IN {placeholders(kinds)}"
        f" AND {contacts}.value IN {placeholders(values)}"
        f" ORDER BY CASE {clients}.status WHEN %s THEN 0 WHEN %s THEN 1 ELSE 2 END,"
        f" {contacts}.id"
    )
    statuses = [Client.Status.PRESENT.value, Client.Status.PROSPECTIVE.value]
    holders: list[Any] = list(Client.objects.raw(sql, [*practices, *kinds, *values, *statuses]))
    found: list[Client | None] = []
    for key in wanted:
        match = None
        if key is not None:
            practice_id, kind_value, value, platform = key
            match = next(
                (
                    client
                    for client in holders
                    if client.contact_practice_id == practice_id
                    and client.contact_kind == kind_value
                    and client.contact_value == value
                    and (not platform or client.contact_platform == platform)
                ),
                None,
            )
        found.append(match)
    return found


def sender_context(practice: Practice, client: Client | None) -> SenderContext:
    return sender_contexts([(practice, client)])[0]


def sender_contexts(senders: Sequence[tuple[Practice, Client | None]]) -> list[SenderContext]:
    """Who each sender is to the practice, with their current agreement (one query for all)."""
    current = current_agreements(client.pk for _, client in senders if client is not None)
    contexts = []
    for practice, client in senders:
        if client is None:
            contexts.append(SenderContext(status=SenderStatus.UNKNOWN, country=practice.country))
            continue
        latest = current.get(client.pk)
        terms = None
        if latest is not None:
            terms = AgreementTerms(
                channels=latest.agreed_channels,
                reminder_detail=latest.detail,
                session_content_by_email=latest.session_content_by_email,
            )
        contexts.append(
            SenderContext(status=client.sender_status, country=client.country, agreement=terms)
        )
    return contexts


@functools.lru_cache(maxsize=256)
def _policy_version(practice_id: int, number: int, content_hash: str) -> Policy:
    version = PolicyVersion.objects.get(practice_id=practice_id, number=number)
    return policy_from_dict(version.data)


def policy_for(practice: Practice) -> Policy | None:
    """The practice's current published policy, cached per version (versions never change).

    Asked for every batch of arriving messages, so the one-row look-up is written
    out rather than built by the ORM each time.
    """
    table = connection.ops.quote_name(PolicyVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT number, content_hash FROM {table} WHERE practice_id = %s"  # noqa: S608 - quoted table name; values are parameters
            " ORDER BY number DESC LIMIT 1",
            [practice.pk],
        )
        current = cursor.fetchone()
    if current is None:
        return None
    return _policy_version(practice.pk, current[0], current[1])
