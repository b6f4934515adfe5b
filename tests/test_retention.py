"""Retention: expired messages go, welfare checks and the audit log stay, and it is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Q

from boundaries.audit.models import AuditEntry
from boundaries.inbox.models import Message, ReplyLedger
from boundaries.practices import actions
from boundaries.records.models import JobRun
from boundaries.records.retention import apply_retention
from boundaries.records.scheduling import run_due
from boundaries.welfare.actions import ContactAttempt, do_open_welfare_check
from boundaries.welfare.models import WelfareCheck

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def message(practice: Any, received_at: dt.datetime, tag: str) -> Message:
    return Message.objects.create(
        practice=practice,
        channel="email",
        sender_status="unknown",
        content_hash=tag * 8,
        received_at=received_at,
        sealed=b"",
        actions=["deliver"],
    )


def test_it_erases_messages_older_than_the_practice_keeps_them_and_audits_it(
    practice: Any, alice: Any
) -> None:
    practice.message_retention_days = 30
    practice.save()
    old = message(practice, NOW - dt.timedelta(days=31), "old")
    recent = message(practice, NOW - dt.timedelta(days=29), "new")
    client = actions.do_add_client(practice, first_name="A", last_name="B", therapist=alice)
    do_open_welfare_check(
        client,
        alice,
        reason="unreachable",
        attempts=[ContactAttempt("phone", NOW - dt.timedelta(days=400), "no answer")],
    )
    audit_before = AuditEntry.objects.count()
    report = apply_retention(NOW)
    assert report.messages_deleted == 1
    assert not Message.objects.filter(pk=old.pk).exists()
    assert Message.objects.filter(pk=recent.pk).exists()
    assert WelfareCheck.objects.count() == 1
    assert AuditEntry.objects.count() > audit_before
    assert (
        AuditEntry.objects.filter(
            Q(action="retention.messages_deleted") | Q(action="retention.run")
        ).count()
        == 2
    )


def test_it_forgets_auto_reply_ledger_rows_once_the_loop_window_is_long_past(
    practice: Any, settings: Any
) -> None:
    settings.AUTO_REPLY_WINDOW_HOURS = 24

    def ledger(hours_ago: int, counterpart: str) -> ReplyLedger:
        return ReplyLedger.objects.create(
            practice=practice,
            channel="email",
            counterpart=counterpart * 64,
            last_replied_at=NOW - dt.timedelta(hours=hours_ago),
        )

    stale = ledger(49, "a")
    live = ledger(47, "b")
    report = apply_retention(NOW)
    assert report.ledger_rows_deleted == 1
    assert not ReplyLedger.objects.filter(pk=stale.pk).exists()
    assert ReplyLedger.objects.filter(pk=live.pk).exists()
    run = AuditEntry.objects.get(action="retention.run")
    assert run.details["reply_ledger"] == 1


def test_it_enqueues_each_periodic_job_once_per_period(db: Any) -> None:
    first = run_due(NOW)
    assert "retention" in first
    assert "retention" not in run_due(NOW + dt.timedelta(minutes=30))  # already enqueued today
    assert "retention" not in run_due(NOW + dt.timedelta(hours=3))
    assert "retention" in run_due(NOW + dt.timedelta(days=1))
    assert JobRun.objects.filter(name="retention").count() == 2
