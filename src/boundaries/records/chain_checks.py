"""Checking the whole audit chain in the worker, never inside a web request.

The chain is one for the installation; at a host's scale it holds tens of millions
of entries, and checking them takes about 1.5 s a million (docs/benchmarks.md,
"Audit"): more than a web request may take, and no practice owner should be able to
make the web server do it at will. "Verify the chain" on the audit page queues
``verify_chain_job`` for that practice (one waiting request at a time), and the
scheduler runs it daily for the installation. Each run writes its result as an
``audit.chain_verified`` entry, for the practice that asked or for none, and the
audit page shows the newest one that concerns the practice: counts and the first
bad entry's sequence number, never another practice's entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django_tasks import task

from boundaries.audit.log import record
from boundaries.audit.models import AuditEntry
from boundaries.audit.signing import SigningKeyError, signing_key
from boundaries.audit.store import verify
from boundaries.practices.models import Practice

__all__ = [
    "REQUESTED",
    "VERIFIED",
    "ChainCheck",
    "do_request_chain_check",
    "latest_chain_check",
    "verify_chain_job",
    "waiting_chain_check",
]

VERIFIED = "audit.chain_verified"
REQUESTED = "audit.chain_verify_requested"
_OBJECT_TYPE = "audit.chain"  # both entries' object type: the index on it finds them at once


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """One finished check of the whole chain, as the audit page shows it."""

    ok: bool
    entries: int
    checkpoints: int
    problem: str
    checkpoint_problems: tuple[str, ...]
    key_problem: str
    checked_at: dt.datetime
    by_schedule: bool

    @classmethod
    def from_entry(cls, entry: AuditEntry) -> ChainCheck:
        details: dict[str, Any] = entry.details if isinstance(entry.details, dict) else {}
        return cls(
            ok=bool(details.get("ok")),
            entries=int(details.get("entries") or 0),
            checkpoints=int(details.get("checkpoints") or 0),
            problem=str(details.get("problem") or ""),
            checkpoint_problems=tuple(str(p) for p in details.get("checkpoint_problems") or ()),
            key_problem=str(details.get("key_problem") or ""),
            checked_at=entry.created_at,
            by_schedule=entry.practice_id is None,
        )


@task()
def verify_chain_job(practice_id: int | None = None) -> dict[str, Any]:
    """Check every entry's hash and link and every signed checkpoint, as the CLI does."""
    try:
        keys = [signing_key().public_key()]
        key_problem = ""
    except SigningKeyError:
        keys, key_problem = [], "The audit signing key is not configured: checkpoints not checked."
    report = verify(keys)
    details = {
        "ok": report.ok,
        "entries": report.entries,
        "last_seq": report.last_seq,
        "checkpoints": report.checkpoints,
        "problem": str(report.problem) if report.problem is not None else "",
        "checkpoint_problems": [str(p) for p in report.checkpoint_problems[:5]],
        "key_problem": key_problem,
    }
    practice = Practice.objects.filter(pk=practice_id).first() if practice_id else None
    with transaction.atomic():
        record(
            action=VERIFIED,
            practice=practice,
            actor_label="worker",
            object_type=_OBJECT_TYPE,
            object_id=str(report.last_seq),
            details=details,
        )
    return details


def _newest(action: str, scope: Q) -> AuditEntry | None:
    return (
        AuditEntry.objects.filter(scope, object_type=_OBJECT_TYPE, action=action)
        .order_by("-seq")
        .first()
    )


def latest_chain_check(practice: Practice) -> ChainCheck | None:
    """The newest finished check the practice asked for, or the daily one if newer."""
    entry = _newest(VERIFIED, Q(practice=practice) | Q(practice__isnull=True))
    return ChainCheck.from_entry(entry) if entry is not None else None


def waiting_chain_check(practice: Practice) -> bool:
    """True while the practice's last request has no result yet."""
    asked = _newest(REQUESTED, Q(practice=practice))
    if asked is None:
        return False
    done = _newest(VERIFIED, Q(practice=practice))
    return done is None or done.seq < asked.seq


def do_request_chain_check(practice: Practice, *, actor: Any) -> bool:
    """Queue a check of the whole chain for ``practice``; False if one is already waiting."""
    with transaction.atomic():
        Practice.objects.select_for_update().filter(pk=practice.pk).first()
        if waiting_chain_check(practice):
            return False
        record(
            action=REQUESTED,
            practice=practice,
            actor=actor,
            object_type=_OBJECT_TYPE,
            object_id="",
            details={},
        )
        verify_chain_job.enqueue(practice.pk)
    return True
