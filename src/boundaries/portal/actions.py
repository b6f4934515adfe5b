"""Everything the portal changes: sign-in links, messages, preferences, agenda, and the
policy's versions as clients meet them (published and told, acknowledged, reminded)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from boundaries import clock
from boundaries.audit.log import record
from boundaries.audit.models import AuditEntry
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.versions import content_hash, policy_to_dict
from boundaries.core.types import Channel, InboundMessage
from boundaries.errors import ActionError
from boundaries.inbox.actions import Arrival, do_ingest
from boundaries.portal.models import MagicLink, PortalAccount, SecureMessage
from boundaries.portal.tasks import (
    notify_client_of_secure_message,
    notify_clients_of_new_policy,
    remind_clients_of_policy,
)
from boundaries.practices.actions.agenda import do_add_agenda_item
from boundaries.practices.actions.agreements import do_set_agreement
from boundaries.practices.actions.common import record_action, who_acted
from boundaries.practices.models import (
    AgendaItem,
    Client,
    CommunicationAgreement,
    PolicyAcknowledgement,
    PolicyDraft,
    PolicyVersion,
    Practice,
)
from boundaries.sealed import seal_json, unseal_json

LINK_LIFETIME = dt.timedelta(minutes=15)
MAX_MESSAGE_CHARS = 20_000


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_issue_magic_link(client: Client, *, actor: Any = None) -> str:
    """A single-use sign-in token for this client, valid for 15 minutes. Returned once."""
    if client.status == Client.Status.PAST:
        raise ActionError("past clients do not have portal access")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        link = MagicLink.objects.create(
            client=client, token_hash=_hash(token), created_at=now, expires_at=now + LINK_LIFETIME
        )
        record(action="portal.link_issued", obj=link, practice=client.practice, actor=actor)
    return token


def do_redeem_magic_link(token: str) -> Client:
    """The client the link belongs to; the link is spent. Raises ActionError otherwise."""
    now = clock.now()
    with transaction.atomic():
        link = MagicLink.objects.select_for_update().filter(token_hash=_hash(token)).first()
        if link is None:
            raise ActionError("this sign-in link is not valid")
        if link.used_at is not None:
            raise ActionError("this sign-in link has already been used; ask for a new one")
        if now > link.expires_at:
            raise ActionError("this sign-in link has expired; ask for a new one")
        spent = MagicLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
        if spent != 1:
            raise ActionError("this sign-in link has already been used; ask for a new one")
        client = link.client
        record(
            action="portal.signin",
            obj=link,
            practice=client.practice,
            actor_label=f"client {client.pk}",
        )
    return client


def portal_user(client: Client) -> Any:
    """The Django user behind a client's portal account (created on first sign-in)."""
    account = PortalAccount.objects.filter(client=client).select_related("user").first()
    if account is not None:
        return account.user
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.create_user(username=f"client-{client.pk}-{secrets.token_hex(4)}")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        try:
            with transaction.atomic():
                PortalAccount.objects.create(client=client, user=user)
        except IntegrityError:  # created at the same moment by another request
            user.delete()
            return PortalAccount.objects.get(client=client).user
    return user


def _object_id(message: SecureMessage) -> str:
    return f"portal:{message.practice_id}:{message.client_id}:{message.created_at.isoformat()}"


def message_text(message: SecureMessage) -> str:
    return str(unseal_json(bytes(message.sealed), object_id=_object_id(message))["text"])


def _store(client: Client, direction: str, text: str) -> SecureMessage:
    if not text.strip():
        raise ActionError("the message is empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ActionError(f"a message can be at most {MAX_MESSAGE_CHARS:,} characters")
    message = SecureMessage(
        practice_id=client.practice_id, client=client, direction=direction, created_at=clock.now()
    )
    message.sealed = seal_json({"text": text}, object_id=_object_id(message))
    message.save()
    return message


def do_send_from_client(client: Client, text: str) -> SecureMessage:
    """A client's secure message: stored sealed, and triaged like every channel (crisis first)."""
    with transaction.atomic():
        message = _store(client, SecureMessage.Direction.FROM_CLIENT, text)
        arrival = Arrival(
            message=InboundMessage(
                channel=Channel.PORTAL,
                sender=f"portal:{client.pk}",
                text=text,
                received_at=message.created_at,
            ),
            raw=text.encode(),
            external_id=f"portal-{message.pk}",
            client_id=client.pk,
        )
        ingested = do_ingest(client.practice, arrival)
        message.inbox_message = ingested.message
        message.save(update_fields=["inbox_message"])
        record(
            action="portal.message_from_client",
            obj=message,
            practice=client.practice,
            actor_label=f"client {client.pk}",
        )
    return message


def do_send_to_client(client: Client, text: str, *, actor: Any) -> SecureMessage:
    """The therapist's secure message; the client is told on an agreed channel, without content."""
    with transaction.atomic():
        message = _store(client, SecureMessage.Direction.TO_CLIENT, text)
        record(
            action="portal.message_to_client", obj=message, practice=client.practice, actor=actor
        )
        notify_client_of_secure_message.enqueue(message.pk)
    return message


def do_mark_read(messages: Iterable[SecureMessage]) -> None:
    ids = [m.pk for m in messages if m.read_at is None]
    if ids:
        SecureMessage.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=clock.now())


def do_set_preferences(
    client: Client, *, channels: list[str], discreet: bool
) -> CommunicationAgreement:
    """The client's own choice: a new agreement version, on the next session's agenda."""
    current = client.current_agreement()
    return do_set_agreement(
        client,
        channels=channels,
        # The portal asks only "discreet or not": a client on minimal stays on minimal.
        reminder_detail=(
            ("minimal" if current and current.reminder_detail == "minimal" else "discreet")
            if discreet
            else "full"
        ),
        session_content_by_email=bool(
            current and current.session_content_by_email and "email" in channels
        ),
        session_content_agreed_on=current.session_content_agreed_on if current else None,
        session_content_terms=current.session_content_terms if current else "",
        note="changed by the client in the portal",
        source=AgendaItem.Source.PORTAL,
        actor_label=f"client {client.pk}",
    )


def do_request_agenda(client: Client, *, kind: str, note: str) -> AgendaItem:
    if kind not in {AgendaItem.Kind.ONLINE_LIFE, AgendaItem.Kind.POLICY_QUESTION}:
        raise ActionError("choose what you would like to bring")
    return do_add_agenda_item(
        client,
        kind=kind,
        source=AgendaItem.Source.PORTAL,
        note=note.strip()[:500],
        actor_label=f"client {client.pk}",
    )


def do_publish_policy(
    practice: Practice,
    *,
    source: str,
    filename: str = "policy.toml",
    summary: str,
    effective_date: dt.date | None = None,
    actor: Any = None,
    actor_label: str = "",
) -> PolicyVersion:
    """Validate and publish a new immutable version (clause ``amendments``)."""
    policy = load_policy(source, filename=filename)  # raises PolicyError, one clear line
    if policy.practice.country != practice.country:
        raise ActionError(
            f"the policy is for country {policy.practice.country} "
            f"but the practice is in {practice.country}"
        )
    if not summary.strip():
        raise ActionError("say in a few words what changed (the change summary is published)")
    digest = content_hash(policy)
    with transaction.atomic():
        Practice.objects.select_for_update().filter(pk=practice.pk).first()
        current = practice.current_policy()
        if current is not None and current.content_hash == digest:
            raise ActionError(
                f"nothing changed: the policy is identical to version {current.number}"
            )
        version = PolicyVersion.objects.create(
            practice=practice,
            number=(current.number + 1) if current else 1,
            source=source,
            data=policy_to_dict(policy),
            content_hash=digest,
            effective_date=effective_date or timezone.localdate(clock.now()),
            summary=summary.strip()[:500],
            published_by_label=who_acted(actor, actor_label),
        )
        # The owner's draft became this version (or is overtaken by it): not kept.
        PolicyDraft.objects.filter(practice=practice).delete()
        record_action(
            "policy.publish",
            version,
            actor,
            actor_label,
            {"number": version.number, "hash": digest},
        )
        if version.number > 1:
            # Clause amendments: every present client is told (without content) and asked
            # to acknowledge it in the portal. Queued in this transaction: all or nothing.
            notify_clients_of_new_policy.enqueue(version.pk)
    return version


def do_acknowledge(client: Client, version: PolicyVersion) -> PolicyAcknowledgement:
    if version.practice_id != client.practice_id:
        raise ActionError("that policy belongs to another practice")
    with transaction.atomic():
        ack, created = PolicyAcknowledgement.objects.get_or_create(
            client=client,
            version=version,
            defaults={"practice_id": client.practice_id, "acknowledged_at": clock.now()},
        )
        if created:
            record(
                action="policy.acknowledged",
                obj=version,
                practice=client.practice,
                actor_label=f"client {client.pk}",
                details={"client": client.pk, "version": version.number},
            )
    return ack


def unacknowledged_clients(version: PolicyVersion) -> QuerySet[Client]:
    """Present clients of the version's practice who have not acknowledged it."""
    return Client.objects.filter(
        practice_id=version.practice_id, status=Client.Status.PRESENT
    ).exclude(acknowledgements__version=version)


#: One reminder a day at most: a client should not be pressed about the policy.
REMINDER_GAP = dt.timedelta(days=1)


def do_remind_unacknowledged(version: PolicyVersion, *, actor: Any = None) -> int:
    """Queue a content-free reminder to every present client who has not acknowledged
    ``version`` (clause ``amendments``); returns how many are waiting."""
    if version.practice.current_policy() != version:
        raise ActionError("only the current version can be acknowledged; remind about that one")
    waiting = unacknowledged_clients(version).count()
    if not waiting:
        raise ActionError("every present client has acknowledged this version")
    recent = AuditEntry.objects.filter(
        practice_id=version.practice_id,
        action="policy.reminders_requested",
        object_type="practices.policyversion",
        object_id=str(version.pk),
        created_at__gte=clock.now() - REMINDER_GAP,
    )
    if recent.exists():
        raise ActionError(
            "a reminder about this version went out less than a day ago; "
            "clients will have it in their inbox"
        )
    with transaction.atomic():
        record(
            action="policy.reminders_requested",
            obj=version,
            practice=version.practice,
            actor=actor,
            details={"version": version.number, "clients": waiting},
        )
        remind_clients_of_policy.enqueue(version.pk)
    return waiting
