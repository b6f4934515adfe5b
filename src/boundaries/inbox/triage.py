"""The bridge from stored data to the pure triage core: who sent it, under which policy."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from boundaries.core.policy.model import Policy
from boundaries.core.types import (
    AgreementTerms,
    Channel,
    InboundMessage,
    SenderContext,
    SenderStatus,
)
from boundaries.practices.models import Client, ClientContact, Practice, current_agreements

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
    """``find_client`` for several messages with one query; a present client wins, then the
    contact recorded first."""
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
    contacts = list(
        ClientContact.objects.filter(
            practice_id__in={key[0] for key in keys},
            kind__in={key[1] for key in keys},
            value__in={key[2] for key in keys},
        )
        .select_related("client")
        .order_by("client__status", "id")
    )
    found: list[Client | None] = []
    for key in wanted:
        match = None
        if key is not None:
            practice_id, kind_value, value, platform = key
            match = next(
                (
                    contact.client
                    for contact in contacts
                    if contact.practice_id == practice_id
                    and contact.kind == kind_value
                    and contact.value == value
                    and (not platform or contact.platform == platform)
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
                reminder_detail=latest.reminder_detail,  # type: ignore[arg-type]
                session_content_by_email=latest.session_content_by_email,
            )
        contexts.append(
            SenderContext(status=client.sender_status, country=client.country, agreement=terms)
        )
    return contexts


@functools.lru_cache(maxsize=256)
def _policy_version(practice_id: int, number: int, content_hash: str) -> Policy:
    from boundaries.core.policy.versions import policy_from_dict
    from boundaries.practices.models import PolicyVersion

    version = PolicyVersion.objects.get(practice_id=practice_id, number=number)
    return policy_from_dict(version.data)


def policy_for(practice: Practice) -> Policy | None:
    """The practice's current published policy, cached per version (versions never change)."""
    current = (
        practice.policy_versions.order_by("-number").values_list("number", "content_hash").first()
    )
    if current is None:
        return None
    return _policy_version(practice.pk, current[0], current[1])
