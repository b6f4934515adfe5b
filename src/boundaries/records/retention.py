"""Retention: keep what the records duties require, erase the rest, and say so in the audit log.

Welfare checks and the audit log are kept. Inbound messages (including
quarantined session content) follow the practice's records policy
(``Practice.message_retention_days``). Sign-in attempts, finished task
results and the auto-reply ledger (which holds only digests of addresses and
words, to stop mail loops) are kept only as long as they are useful.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from boundaries.accounts.models import LoginAttempt
from boundaries.audit.log import record
from boundaries.inbox.models import Message, ReplyLedger
from boundaries.practices.models import Practice

LOGIN_ATTEMPTS_KEPT = dt.timedelta(days=1)
TASK_RESULTS_KEPT = dt.timedelta(days=30)
#: A ledger row only matters inside the loop-protection window; twice that is a margin.
LEDGER_WINDOWS_KEPT = 2


@dataclass(frozen=True, slots=True)
class RetentionReport:
    messages_deleted: int
    login_attempts_deleted: int
    task_results_deleted: int
    ledger_rows_deleted: int = 0


def apply_retention(now: dt.datetime) -> RetentionReport:
    messages = 0
    for practice in Practice.objects.all():
        cutoff = now - dt.timedelta(days=practice.message_retention_days)
        with transaction.atomic():
            expired = Message.objects.filter(practice=practice, received_at__lt=cutoff)
            count = expired.count()
            if count:
                expired.delete()
                record(
                    action="retention.messages_deleted",
                    practice=practice,
                    actor_label="retention",
                    object_type="inbox.message",
                    object_id="*",
                    details={"count": count, "older_than": cutoff.date().isoformat()},
                )
        messages += count
    logins, _ = LoginAttempt.objects.filter(at__lt=now - LOGIN_ATTEMPTS_KEPT).delete()
    from django_tasks_db.models import DBTaskResult

    tasks, _ = DBTaskResult.objects.filter(
        finished_at__lt=now - TASK_RESULTS_KEPT, status__in=["SUCCESSFUL", "FAILED"]
    ).delete()
    window = dt.timedelta(hours=settings.AUTO_REPLY_WINDOW_HOURS)
    ledger, _ = ReplyLedger.objects.filter(
        last_replied_at__lt=now - LEDGER_WINDOWS_KEPT * window
    ).delete()
    with transaction.atomic():
        record(
            action="retention.run",
            practice=None,
            actor_label="retention",
            details={
                "messages": messages,
                "login_attempts": logins,
                "task_results": tasks,
                "reply_ledger": ledger,
            },
        )
    return RetentionReport(messages, logins, tasks, ledger)
