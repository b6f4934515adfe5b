"""Ingesting a message: store once, triage, and queue what the decision asks — atomically.

``do_ingest`` is the only way a message enters Boundaries, whatever the
channel. The stored message, its decision and risk level, its alert (for an
urgent message) or its place on today's review list (for a concern), its
agenda item, its audit entry and the task that carries out its actions commit
together or not at all; a channel adapter acknowledges the sender only after
``do_ingest`` returns.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction

from boundaries import clock
from boundaries.audit.log import append
from boundaries.audit.log import entry as audit_entry
from boundaries.core.decision_json import decision_to_dict
from boundaries.core.policy.model import Policy
from boundaries.core.policy.templates import demo_policy
from boundaries.core.triage import decide
from boundaries.core.types import Action, Decision, InboundMessage, Label, RiskLevel
from boundaries.inbox.identity import fingerprint
from boundaries.inbox.limits import note_inbound_limit
from boundaries.inbox.models import ActionRun, Alert, Message, Review
from boundaries.inbox.sealing import Content, seal, unseal
from boundaries.inbox.tasks import carry_out
from boundaries.inbox.triage import find_clients, policy_for, sender_contexts
from boundaries.practices.actions.agenda import agenda_entries, agenda_items
from boundaries.practices.models import AgendaItem, Client, Practice
from boundaries.queue import enqueue_many
from boundaries.sql import insert_all, placeholders

logger = logging.getLogger(__name__)

_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Arrival:
    """What a channel adapter hands over: the parsed message and what came on the wire."""

    message: InboundMessage
    raw: bytes
    external_id: str = ""
    reply_address: str = ""  # where an automated reply may go; '' when none may be sent
    auto_generated: bool = False  # RFC 3834 and friends: never auto-reply
    client_id: int | None = None  # set when the channel itself authenticates the client (portal)
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. In-Reply-To data for threading


@dataclass(frozen=True, slots=True)
class Ingested:
    message: Message
    created: bool
    decision: Decision | None


def content_hash(arrival: Arrival) -> str:
    digest = hashlib.sha256()
    digest.update(arrival.message.channel.value.encode())
    digest.update(b"\0")
    digest.update(arrival.raw or arrival.message.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def fingerprint_of(arrival: Arrival) -> str:
    """The arrival's fingerprint: what makes it this message (``inbox.identity``)."""
    message = arrival.message
    return fingerprint(
        channel=message.channel.value,
        sender=message.sender,
        subject=message.subject,
        text=message.text,
        raw=arrival.raw,
    )


def _sealed_fingerprint(message: Message) -> str:
    """The fingerprint of a message stored before fingerprints, read from its sealed content."""
    content = unseal(
        bytes(message.sealed), practice_id=message.practice_id, content_hash=message.content_hash
    )
    return fingerprint(
        channel=message.channel,
        sender=content.sender,
        subject=content.subject,
        text=content.text,
        raw=content.raw,
    )


@dataclass(frozen=True, slots=True)
class _Known:
    """What is already stored for one arrival."""

    repeat: Message | None  # this very message, stored before
    id_reused: bool = False  # another message under the same channel id is stored


def _existing(practice: Practice, arrival: Arrival, digest: str, print_: str) -> Message | None:
    return _existing_many([(practice, arrival)], [digest], [print_])[0].repeat


def _existing_many(
    batch: Sequence[tuple[Practice, Arrival]], digests: Sequence[str], prints: Sequence[str]
) -> list[_Known]:
    """For each arrival, its stored copy if any, and whether its id is another's (one query).

    A repeat has the same channel id and the same fingerprint (``inbox.identity``);
    a stored message with the same id and another fingerprint is a different
    message, and the arrival is stored too. Every arrival passes through here
    before it is stored, so the lookup is one written-out statement: SELECTs
    joined by UNION ALL, each along a unique index (an OR of them, or the
    model's newest-first default order, would walk every message of the
    practice): by channel id; by fingerprint for arrivals without one; and by
    raw bytes for rows stored before fingerprints existed that have no id.
    Only a repeat, or a row from before fingerprints that shares the id, is
    loaded; the latter is unsealed to read its fingerprint.
    """
    practices = sorted({practice.pk for practice, _ in batch})
    channels = sorted({arrival.message.channel.value for _, arrival in batch})
    external_ids = sorted({arrival.external_id for _, arrival in batch if arrival.external_id})
    without_id = sorted(
        {p for (_, arrival), p in zip(batch, prints, strict=True) if not arrival.external_id}
    )
    table = connection.ops.quote_name(Message._meta.db_table)
    where = f"practice_id IN {placeholders(practices)} AND channel IN {placeholders(channels)}"
    head = (
        "SELECT id, practice_id, channel, external_id, content_hash, fingerprint"  # noqa: S608 - quoted table name; values are placeholders
        f" FROM {table} WHERE {where}"
    )
    wanted_digests = sorted(set(digests))
    # Rows from before fingerprints, by raw bytes; only those without an id are used here
    # (saying ``external_id = ''`` would lead SQLite to the other index).
    sql = f"{head} AND fingerprint IS NULL AND content_hash IN {placeholders(wanted_digests)}"
    params: list[Any] = [*practices, *channels, *wanted_digests]
    if external_ids:
        sql += f" UNION ALL {head} AND external_id IN {placeholders(external_ids)}"
        params += [*practices, *channels, *external_ids]
    if without_id:
        sql += (
            f" UNION ALL {head} AND external_id = '' AND fingerprint IN {placeholders(without_id)}"
        )
        params += [*practices, *channels, *without_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted(set(cursor.fetchall()))
    if not rows:
        return [_Known(None)] * len(batch)
    by_id: dict[tuple[int, str, str], list[tuple[int, str | None]]] = {}
    by_print: dict[tuple[int, str, str], int] = {}  # no id, fingerprint known
    by_raw: dict[tuple[int, str, str], int] = {}  # no id, stored before fingerprints
    for pk, practice_id, channel, external_id, digest, stored_print in rows:
        if external_id:
            by_id.setdefault((practice_id, channel, external_id), []).append((pk, stored_print))
        elif stored_print is None:
            by_raw[(practice_id, channel, digest)] = pk
        else:
            by_print[(practice_id, channel, stored_print)] = pk
    # Load what may be a repeat: same fingerprint, or none yet (read from the sealed copy).
    wanted = set(by_print.values()) | set(by_raw.values())
    for (practice, arrival), print_ in zip(batch, prints, strict=True):
        key = (practice.pk, arrival.message.channel.value, arrival.external_id)
        wanted.update(pk for pk, stored in by_id.get(key, []) if stored in {print_, None})
    stored = Message.objects.in_bulk(wanted) if wanted else {}
    sealed_prints = {
        pk: _sealed_fingerprint(message)
        for pk, message in stored.items()
        if message.fingerprint is None and message.external_id
    }
    found: list[_Known] = []
    for (practice, arrival), digest, print_ in zip(batch, digests, prints, strict=True):
        channel = arrival.message.channel.value
        if not arrival.external_id:
            pk = by_print.get((practice.pk, channel, print_)) or by_raw.get(
                (practice.pk, channel, digest)
            )
            found.append(_Known(stored.get(pk) if pk else None))
            continue
        same = others = 0
        match: Message | None = None
        for pk, stored_print in by_id.get((practice.pk, channel, arrival.external_id), []):
            if (stored_print or sealed_prints.get(pk)) == print_:
                same += 1
                match = match or stored[pk]
            else:
                others += 1
        found.append(_Known(match, id_reused=match is None and others > 0))
    return found


def text_for_triage(message: InboundMessage) -> InboundMessage:
    """Drop quoted lines of earlier mail, so our own replies quoted back are not re-triaged."""
    if "\n>" not in "\n" + message.text:
        return message
    return dataclasses.replace(message, text=_QUOTED_LINE.sub("", message.text))


def do_ingest(practice: Practice, arrival: Arrival) -> Ingested:
    """Store, triage and queue one inbound message exactly once."""
    return do_ingest_many([(practice, arrival)])[0]


@dataclass(slots=True)
class _Triaged:
    """One new arrival, read and decided, ready to be written."""

    practice: Practice
    arrival: Arrival
    digest: str
    fingerprint: str
    id_reused: bool  # another message under the same channel id was stored before it
    client: Client | None
    status: str
    decision: Decision
    sealed: bytes
    scores: dict[str, float]
    message: Message | None = None


def do_ingest_many(batch: Sequence[tuple[Practice, Arrival]]) -> list[Ingested]:
    """Store, triage and queue several inbound messages, each exactly once, in one commit.

    The SMTP receiver hands over whatever arrived while the previous commit was
    on its way to disk (group commit): one transaction, one fsync and one audit
    chain lock for all of them. Results are in the order of ``batch``. A
    repeat — the same channel id and fingerprint as a stored message or one
    earlier in the batch — is returned with ``created=False``. A different
    message under an id already used is stored, and its audit entry says so.
    If two deliveries of one message race (another process stores it first),
    the batch is redone one message at a time, so every message still gets its
    own answer.
    """
    digests = [content_hash(arrival) for _, arrival in batch]
    prints = [fingerprint_of(arrival) for _, arrival in batch]
    known = _existing_many(batch, digests, prints)
    results: list[Ingested | None] = [
        None if k.repeat is None else Ingested(k.repeat, created=False, decision=None)
        for k in known
    ]
    # The same message twice in one batch (two RCPT TO for one practice, a retry that
    # overtook its original): the first is stored, the others point at it.
    first_of: dict[tuple[int, str, str, str], int] = {}
    prints_by_id: dict[tuple[int, str, str], set[str]] = {}
    repeats: dict[int, int] = {}
    fresh: dict[int, bool] = {}  # index -> id reused
    for index, ((practice, arrival), print_) in enumerate(zip(batch, prints, strict=True)):
        if results[index] is not None:
            continue
        channel = arrival.message.channel.value
        key = (practice.pk, channel, arrival.external_id, print_)
        if key in first_of:
            repeats[index] = first_of[key]
            continue
        first_of[key] = index
        earlier = prints_by_id.setdefault((practice.pk, channel, arrival.external_id), set())
        fresh[index] = known[index].id_reused or bool(arrival.external_id and earlier)
        earlier.add(print_)
    decided = _triage(
        [batch[i] for i in fresh],
        [(digests[i], prints[i], reused) for i, reused in fresh.items()],
    )
    triaged = dict(zip(fresh, decided, strict=True))
    if triaged:
        try:
            _store(list(triaged.values()))
        except IntegrityError:
            if len(batch) == 1:
                # The same message arrived twice at once; the other delivery stored it.
                duplicate = _existing(batch[0][0], batch[0][1], digests[0], prints[0])
                if duplicate is None:
                    raise
                return [Ingested(duplicate, created=False, decision=None)]
            return [do_ingest(practice, arrival) for practice, arrival in batch]
    for index, item in triaged.items():
        assert item.message is not None
        results[index] = Ingested(item.message, created=True, decision=item.decision)
        logger.info(
            "message stored id=%s channel=%s risk=%s actions=%s",
            item.message.pk,
            item.message.channel,
            item.message.risk,
            ",".join(item.message.actions),
        )
        if item.id_reused:
            logger.warning(
                "message %s reuses the channel id of another message; stored as its own",
                item.message.pk,
            )
    for index, earlier_index in repeats.items():
        stored = results[earlier_index]
        assert stored is not None
        results[index] = Ingested(stored.message, created=False, decision=None)
    done = [result for result in results if result is not None]
    assert len(done) == len(batch)
    return done


def _triage(
    batch: list[tuple[Practice, Arrival]], identities: list[tuple[str, str, bool]]
) -> list[_Triaged]:
    """Find each sender, decide under the practice's policy and seal the content.

    ``identities`` holds each arrival's content hash, fingerprint and whether
    its channel id was already another message's.
    """
    if not batch:
        return []
    found = iter(
        find_clients(
            [
                (practice, arrival.message)
                for practice, arrival in batch
                if arrival.client_id is None
            ]
        )
    )
    portal_ids = {arrival.client_id for _, arrival in batch if arrival.client_id is not None}
    by_id = Client.objects.in_bulk(portal_ids) if portal_ids else {}
    clients: list[Client | None] = []
    for practice, arrival in batch:
        if arrival.client_id is None:
            clients.append(next(found))
        else:
            client = by_id.get(arrival.client_id)
            clients.append(
                client if client is not None and client.practice_id == practice.pk else None
            )
    contexts = sender_contexts(
        [(practice, client) for (practice, _), client in zip(batch, clients, strict=True)]
    )
    policies: dict[int, Policy] = {}
    triaged = []
    for (practice, arrival), (digest, print_, id_reused), client, context in zip(
        batch, identities, clients, contexts, strict=True
    ):
        if practice.pk not in policies:
            # No published policy yet: crisis detection must still work, so triage with the
            # country template; replies other than crisis resources are not sent (see tasks).
            policies[practice.pk] = policy_for(practice) or demo_policy(practice.country)
        decision = decide(text_for_triage(arrival.message), policies[practice.pk], context)
        sealed = seal(
            Content(
                sender=arrival.message.sender,
                subject=arrival.message.subject,
                text=arrival.message.text,
                reply_address=arrival.reply_address,
                raw=arrival.raw,
                extra={
                    **arrival.extra,
                    "auto_generated": arrival.auto_generated,
                    "reply": decision.reply or "",
                    "agenda_note": decision.agenda_note or "",
                },
            ),
            practice_id=practice.pk,
            content_hash=digest,
        )
        triaged.append(
            _Triaged(
                practice=practice,
                arrival=arrival,
                digest=digest,
                fingerprint=print_,
                id_reused=id_reused,
                client=client,
                status=context.status.value,
                decision=decision,
                sealed=sealed,
                scores=decision_to_dict(decision)["scores"],
            )
        )
    return triaged


def _store(items: list[_Triaged]) -> None:
    """Write the messages, their actions, alerts, reviews, agenda items, audit entries and tasks."""
    now = clock.now()
    with transaction.atomic():
        # Over the practice's daily limit a message is still stored, triaged and acted
        # on (a crisis must never be dropped); it is flagged and the operator is told.
        practices = {item.practice.pk: item.practice for item in items}
        arriving = Counter(item.practice.pk for item in items)
        over_limit = {
            pk: note_inbound_limit(practices[pk], now, count) for pk, count in arriving.items()
        }
        messages = []
        for item in items:
            decision = item.decision
            messages.append(
                Message(
                    practice=item.practice,
                    channel=item.arrival.message.channel.value,
                    platform=item.arrival.message.platform or "",
                    client=item.client,
                    sender_status=item.status,
                    external_id=item.arrival.external_id[:998],
                    content_hash=item.digest,
                    fingerprint=item.fingerprint,
                    received_at=item.arrival.message.received_at,
                    size=len(item.arrival.raw),
                    sealed=item.sealed,
                    risk=decision.risk.value,
                    crisis=decision.crisis,
                    labels=sorted(label.value for label in decision.labels),
                    scores=item.scores,
                    actions=[action.value for action in decision.actions],
                    clauses=[clause.value for clause in decision.clauses],
                    reasons=list(decision.reasons),
                    over_daily_limit=over_limit[item.practice.pk].pop(0),
                )
            )
        insert_all(messages)
        for item, message in zip(items, messages, strict=True):
            item.message = message
        insert_all(
            [
                ActionRun(message=message, action=action.value)
                for message, item in zip(messages, items, strict=True)
                for action in item.decision.actions
            ]
        )
        insert_all(
            [
                Alert(
                    practice=item.practice,
                    message=message,
                    created_at=now,
                    in_words=item.decision.expressed_risk is RiskLevel.URGENT,
                )
                for message, item in zip(messages, items, strict=True)
                if item.decision.crisis
            ]
        )
        insert_all(
            [
                Review(
                    practice=item.practice,
                    message=message,
                    created_at=now,
                    in_words=item.decision.expressed_risk is not RiskLevel.NONE,
                )
                for message, item in zip(messages, items, strict=True)
                if Action.REVIEW_TODAY in item.decision.actions
            ]
        )
        agenda = agenda_items(
            [
                (item.client, _agenda_kind(item.decision), item.decision.agenda_note or "")
                for item in items
                if Action.AGENDA_ITEM in item.decision.actions and item.client is not None
            ],
            source=AgendaItem.Source.TRIAGE,
        )
        insert_all(agenda)
        append(
            [
                audit_entry(
                    action="message.triaged",
                    obj=message,
                    practice=item.practice,
                    actor_label="triage",
                    details={
                        "channel": message.channel,
                        "risk": message.risk,
                        "crisis": message.crisis,
                        "actions": message.actions,
                        "clauses": message.clauses,
                        "client": item.client.pk if item.client else None,
                        **({"over_daily_limit": True} if message.over_daily_limit else {}),
                        # Another message came under this channel id before: noted, no content.
                        **({"id_reused": True} if item.id_reused else {}),
                    },
                )
                for message, item in zip(messages, items, strict=True)
            ]
            + agenda_entries(agenda, practices, actor_label="triage")
        )
        enqueue_many(
            [
                (carry_out.using(priority=100 if message.crisis else 0), (message.pk,))
                for message in messages
            ]
        )


def _agenda_kind(decision: Decision) -> str:
    if Label.POLICY_QUESTION in decision.labels:
        return AgendaItem.Kind.POLICY_QUESTION
    return AgendaItem.Kind.COMMUNICATION
