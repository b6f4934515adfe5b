"""Group commit: deliveries that arrive together share one transaction, and each is answered.

The receiver's committer takes whatever queued up while the previous commit was
on its way to disk. These tests drive the real handler on a real database; the
only thing added is a spy that records how many deliveries each commit held.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
from email.policy import SMTP
from typing import Any

import pytest
from aiosmtpd.smtp import Envelope

from boundaries.audit.models import AuditEntry
from boundaries.channels.email import smtpd
from boundaries.inbox.actions import do_ingest, do_ingest_many
from boundaries.inbox.models import ActionRun, Alert, Message
from tests.channels.smtp_helpers import email
from tests.tenancy.conftest import email_arrival

CRISIS_TEXT = "I can't do this anymore. I have the pills ready and I want to end it tonight."
TEXTS = [
    "Could we move Thursday to 4pm?",
    CRISIS_TEXT,
    "Running ten minutes late, sorry",
    "Is it all right if I follow you on Instagram?",
    "Thank you for last week",
]


def _envelope(text: str, message_id: str, to: str = "inbox@alder.example") -> Envelope:
    envelope = Envelope()
    envelope.mail_from = "rowan@example.org"
    envelope.rcpt_tos = [to]
    envelope.original_content = email(text, message_id=message_id).as_bytes(policy=SMTP)
    return envelope


def _deliver_together(handler: smtpd.Handler, envelopes: list[Envelope]) -> list[str]:
    async def all_at_once() -> list[str]:
        return list(
            await asyncio.gather(*(handler.handle_DATA(None, None, each) for each in envelopes))
        )

    try:
        return asyncio.run(all_at_once())
    finally:
        handler.close()  # its database thread and connection


@pytest.fixture
def commits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many deliveries each commit of the receiver held (a spy around the real one)."""
    sizes: list[int] = []
    real = smtpd.ingest_emails

    def spy(deliveries: list[smtpd.Delivery]) -> list[int | Exception]:
        sizes.append(len(deliveries))
        return real(deliveries)

    monkeypatch.setattr(smtpd, "ingest_emails", spy)
    return sizes


def test_deliveries_that_arrive_together_share_one_commit_and_each_get_250(
    mail_practice: Any, commits: list[int]
) -> None:
    envelopes = [_envelope(text, f"<together-{n}@example.org>") for n, text in enumerate(TEXTS)]
    replies = _deliver_together(smtpd.Handler(), envelopes)
    assert replies == [smtpd.OK] * len(TEXTS)
    assert commits == [len(TEXTS)]
    stored = Message.objects.order_by("id")
    assert [m.external_id for m in stored] == [f"<together-{n}@example.org>" for n in range(5)]
    assert [m.crisis for m in stored] == [False, True, False, False, False]
    assert Alert.objects.get().message == stored[1]
    assert AuditEntry.objects.filter(action="message.triaged").count() == len(TEXTS)
    assert ActionRun.objects.filter(message=stored[1], action="urgent_alert").exists()


def test_a_commit_is_never_larger_than_the_batch_limit(
    mail_practice: Any, commits: list[int]
) -> None:
    envelopes = [_envelope(f"note {n} about Thursday", f"<cap-{n}@example.org>") for n in range(7)]
    replies = _deliver_together(smtpd.Handler(max_batch=3), envelopes)
    assert replies == [smtpd.OK] * 7
    assert commits == [3, 3, 1]
    assert Message.objects.count() == 7


def test_a_delivery_that_fails_does_not_hold_back_the_others_in_its_commit(
    mail_practice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = smtpd._ingest_together

    def fails_on_one(deliveries: list[smtpd.Delivery]) -> list[int]:
        if any(b"POISON" in delivery.raw for delivery in deliveries):
            raise RuntimeError("a bug that only this message trips")
        return real(deliveries)

    monkeypatch.setattr(smtpd, "_ingest_together", fails_on_one)
    texts = ["see you Tuesday", "POISON", "running late", CRISIS_TEXT]
    envelopes = [_envelope(text, f"<poison-{n}@example.org>") for n, text in enumerate(texts)]
    replies = _deliver_together(smtpd.Handler(), envelopes)
    assert replies == [smtpd.OK, smtpd.TRY_LATER, smtpd.OK, smtpd.OK]
    assert set(Message.objects.values_list("external_id", flat=True)) == {
        "<poison-0@example.org>",
        "<poison-2@example.org>",
        "<poison-3@example.org>",
    }
    assert Alert.objects.count() == 1


def test_a_repeat_inside_one_batch_is_stored_once(mail_practice: Any, commits: list[int]) -> None:
    same = [_envelope("see you Tuesday", "<twice@example.org>") for _ in range(3)]
    replies = _deliver_together(smtpd.Handler(), same)
    assert replies == [smtpd.OK] * 3
    assert commits == [3]
    assert Message.objects.count() == 1
    assert AuditEntry.objects.filter(action="message.triaged").count() == 1


def test_ingest_many_answers_in_order_with_repeats_and_earlier_copies_marked(
    mail_practice: Any,
) -> None:
    rowan = "rowan@example.org"
    earlier = do_ingest(mail_practice, email_arrival(rowan, "already here", 1))
    results = do_ingest_many(
        [
            (mail_practice, email_arrival(rowan, "new one", 2)),
            (mail_practice, email_arrival(rowan, "already here", 1)),
            (mail_practice, email_arrival("stranger@example.net", CRISIS_TEXT, 3)),
            (mail_practice, email_arrival(rowan, "new one", 2)),
        ]
    )
    assert [r.created for r in results] == [True, False, True, False]
    assert results[1].message == earlier.message
    assert results[3].message == results[0].message
    assert results[0].message.client is not None  # Rowan, found by her address
    assert results[2].message.client is None
    assert results[2].message.sender_status == "unknown"
    assert results[2].decision is not None and results[2].decision.crisis
    assert Message.objects.count() == 3


def test_two_messages_sharing_an_id_in_one_batch_are_both_stored(mail_practice: Any) -> None:
    scheduling = email_arrival("rowan@example.org", "can we move thursday", 7)
    crisis = dataclasses.replace(
        email_arrival("sam@example.net", CRISIS_TEXT, 8), external_id=scheduling.external_id
    )
    results = do_ingest_many(
        [(mail_practice, scheduling), (mail_practice, crisis), (mail_practice, crisis)]
    )
    assert [r.created for r in results] == [True, True, False]
    assert results[2].message == results[1].message
    assert Alert.objects.get().message == results[1].message
    entries = AuditEntry.objects.filter(action="message.triaged").order_by("id")
    assert [entry.details.get("id_reused", False) for entry in entries] == [False, True]


def test_a_message_stored_before_fingerprints_is_still_known_by_its_content(
    mail_practice: Any,
) -> None:
    # Rows stored before the fingerprint existed have none; their sealed content still
    # says whether a later arrival under the same id is the same message.
    original = email_arrival("rowan@example.org", "see you Tuesday", 9)
    stored = do_ingest(mail_practice, original).message
    Message.objects.filter(pk=stored.pk).update(fingerprint=None)
    relayed = dataclasses.replace(original, raw=b"Received: from mx.example.net\r\n" + original.raw)
    assert do_ingest(mail_practice, relayed).message == stored
    other = dataclasses.replace(
        email_arrival("rowan@example.org", "see you Wednesday", 9), external_id=original.external_id
    )
    assert do_ingest(mail_practice, other).created
    assert Message.objects.count() == 2


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="reads SQLite's query plans; PostgreSQL picks plans by table statistics",
)
def test_the_repeat_check_looks_messages_up_by_their_unique_indexes(mail_practice: Any) -> None:
    # The model's newest-first default order once made this walk every message of
    # the practice, so ingesting slowed down as the inbox grew.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from boundaries.inbox.actions import _existing_many, content_hash, fingerprint_of

    without_id = dataclasses.replace(
        email_arrival("rowan@example.org", "no Message-ID", 3), external_id=""
    )
    arrivals = [
        email_arrival("rowan@example.org", "see you Tuesday", 1),
        email_arrival("rowan@example.org", "running late", 2),
        without_id,
    ]
    with CaptureQueriesContext(connection) as captured:
        _existing_many(
            [(mail_practice, arrival) for arrival in arrivals],
            [content_hash(arrival) for arrival in arrivals],
            [fingerprint_of(arrival) for arrival in arrivals],
        )
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plans.append(" ".join(str(row[-1]) for row in cursor.fetchall()))
    # One statement: a SELECT along a unique index for each way of being a repeat.
    assert len(plans) == 1
    by_raw, by_id, by_fingerprint = plans[0].split("UNION ALL")
    assert "unique_message_content_before_fingerprints" in by_raw
    assert "content_hash=?" in by_raw
    # The identity index (a table constraint: SQLite names it sqlite_autoindex_...).
    assert "(practice_id=? AND channel=? AND external_id=?)" in by_id
    assert "(practice_id=? AND channel=? AND external_id=? AND fingerprint=?)" in by_fingerprint
    assert "inbox_message_recent" not in plans[0]
    assert "SCAN" not in plans[0]
