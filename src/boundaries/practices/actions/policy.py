"""Publishing a new version of a practice's communication policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from boundaries import clock
from boundaries.audit.log import record
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.versions import content_hash, policy_to_dict
from boundaries.errors import ActionError
from boundaries.portal.tasks import notify_clients_of_new_policy
from boundaries.practices.actions.common import who_acted
from boundaries.practices.models import (
    PolicyVersion,
    Practice,
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
        record(
            action="policy.publish",
            obj=version,
            practice=practice,
            actor=actor,
            actor_label=who_acted(actor, actor_label),
            details={"number": version.number, "hash": digest},
        )
        if version.number > 1:
            # Clause amendments: every present client is told (without content) and asked
            # to acknowledge it in the portal. Queued in this transaction: all or nothing.

            notify_clients_of_new_policy.enqueue(version.pk)
    return version


# ---------------------------------------------------------------------------- data rights
