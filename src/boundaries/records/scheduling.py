"""Periodic jobs, enqueued once per time slot however many schedulers run.

``run_due(now)`` inserts a ``JobRun`` row per (job, slot); the unique
constraint makes a second scheduler's insert fail, so each job is enqueued
once per slot on SQLite or across machines on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django_tasks import task

from boundaries import clock
from boundaries.audit.store import write_checkpoint
from boundaries.backups.scheduled import run_scheduled_backup
from boundaries.inbox.digests import review_digest_job
from boundaries.practices.calendar_subscriptions import REFRESH_EVERY, refresh_calendars_job
from boundaries.records.chain_checks import verify_chain_job
from boundaries.records.models import JobRun
from boundaries.records.retention import apply_retention
from boundaries.reminders.sending import reminders_job


@task()
def retention_job() -> dict[str, int]:
    report = apply_retention(clock.now())
    return {
        "messages": report.messages_deleted,
        "login_attempts": report.login_attempts_deleted,
        "task_results": report.task_results_deleted,
        "reply_ledger": report.ledger_rows_deleted,
    }


@task()
def audit_checkpoint_job() -> dict[str, int | None]:
    checkpoint = write_checkpoint(clock.now())
    return {"seq": checkpoint.seq if checkpoint is not None else None}


@task()
def backup_job() -> dict[str, object]:
    report = run_scheduled_backup(clock.now())
    return {
        "path": str(report.backup.path),
        "size": report.backup.size,
        "audit_seq": report.backup.head.seq,
        "pruned": len(report.pruned),
    }


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    every: dt.timedelta
    enqueue: Callable[[], object]


JOBS: list[Job] = [
    Job("retention", dt.timedelta(days=1), retention_job.enqueue),
    Job("audit-checkpoint", dt.timedelta(hours=1), audit_checkpoint_job.enqueue),
    Job("backup", dt.timedelta(days=1), backup_job.enqueue),
    # Each therapist's same-day digest goes out at their own time: look every 5 minutes.
    Job("review-digest", dt.timedelta(minutes=5), review_digest_job.enqueue),
    # Therapists' own calendars, read by their iCalendar addresses (docs/calendar.md).
    Job("calendar-subscriptions", REFRESH_EVERY, refresh_calendars_job.enqueue),
    # Appointment reminders at the times clients chose (reminders.sending): a few minutes late
    # at most; each (appointment, offset) goes once however often this runs.
    Job("reminders", dt.timedelta(minutes=5), reminders_job.enqueue),
    # The whole audit chain, checked for the installation (records.chain_checks).
    Job("audit-verify", dt.timedelta(days=1), verify_chain_job.enqueue),
]


def run_due(now: dt.datetime) -> list[str]:
    enqueued = []
    for job in JOBS:
        slot = int(now.timestamp() // job.every.total_seconds())
        try:
            with transaction.atomic():
                JobRun.objects.create(name=job.name, slot=slot, enqueued_at=now)
                job.enqueue()
        except IntegrityError:
            continue  # another scheduler took this slot
        enqueued.append(job.name)
    return enqueued
