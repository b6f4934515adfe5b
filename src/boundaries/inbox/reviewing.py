"""What the therapist does with what triage raised: acknowledge or judge an alert, review a concern.

Each ``do_*`` changes its row and appends its audit entry in one transaction.
Callers pass a message they reached through ``inbox.access.get_message_for``
(so "may this person see it?" was answered there, with a 404); these functions
check only that the message has the row they change.

A therapist's judgement of an alert is their reading of the level once they have
read the message (``urgent``, ``concern`` or ``none``). It never changes the
message's own level, which stays triage's verdict: the difference between the
two is what the practice's alert precision counts (the dashboard's "At a
glance"), and what corrects the rubric and the classifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from boundaries import clock
from boundaries.audit.log import record
from boundaries.core.types import RiskLevel
from boundaries.errors import ActionError
from boundaries.inbox.models import Alert, Message, Review
from boundaries.practices.models import Practice

__all__ = [
    "AlertPrecision",
    "alert_precision",
    "do_acknowledge_alert",
    "do_judge_alert",
    "do_mark_reviewed",
]


def _details(message: Message, **more: Any) -> dict[str, Any]:
    # The client's id lets their data export's access log find the entry (ids, never content).
    return {"client": message.client_id, **more} if message.client_id else more


def do_acknowledge_alert(message: Message, *, actor: Any) -> bool:
    """ "I am dealing with this": the alert leaves the urgent list. False if it already had."""
    with transaction.atomic():
        updated = Alert.objects.filter(message=message, acknowledged_at__isnull=True).update(
            acknowledged_at=clock.now()
        )
        if updated:
            record(
                action="alert.acknowledged",
                obj=message,
                practice=message.practice,
                actor=actor,
                details=_details(message),
            )
    return bool(updated)


def do_judge_alert(message: Message, judgement: str, *, actor: Any) -> Alert:
    """Record the therapist's reading of an urgent message's level, audited.

    Judging also acknowledges the alert (the therapist has read it and decided),
    so it leaves the urgent list. A later judgement replaces an earlier one; each
    has its own audit entry, with the one before.
    """
    if judgement not in {level.value for level in RiskLevel}:
        raise ActionError(f"a judgement is urgent, concern or none, not {judgement!r}")
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(message=message).first()
        if alert is None:
            raise ActionError("this message raised no urgent alert")
        before = alert.judgement
        now = clock.now()
        alert.judgement = judgement
        alert.judged_at = now
        alert.judged_by = actor
        fields = ["judgement", "judged_at", "judged_by"]
        if alert.acknowledged_at is None:
            alert.acknowledged_at = now
            fields.append("acknowledged_at")
        alert.save(update_fields=fields)
        record(
            action="alert.judged",
            obj=message,
            practice=message.practice,
            actor=actor,
            details=_details(message, judgement=judgement, before=before or None),
        )
    return alert


def do_mark_reviewed(message: Message, *, actor: Any) -> Review:
    """A concern has been read: it leaves today's review list. Reviewing twice changes nothing."""
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(message=message).first()
        if review is None:
            raise ActionError("this message is not on the review list")
        if review.reviewed_at is None:
            review.reviewed_at = clock.now()
            review.reviewed_by = actor
            review.save(update_fields=["reviewed_at", "reviewed_by"])
            record(
                action="review.reviewed",
                obj=message,
                practice=message.practice,
                actor=actor,
                details=_details(message),
            )
    return review


@dataclass(frozen=True, slots=True)
class AlertPrecision:
    """Of the alerts the therapists judged, how many they confirmed as urgent.

    ``*_words`` count the alerts whose urgent sign an expression found in the words,
    ``*_model`` those the message model's urgency head raised.
    """

    judged: int
    confirmed: int
    concern: int
    no_risk: int
    judged_words: int = 0
    confirmed_words: int = 0
    judged_model: int = 0
    confirmed_model: int = 0

    @property
    def share(self) -> float | None:
        return self.confirmed / self.judged if self.judged else None


def alert_precision(practice: Practice) -> AlertPrecision:
    """The practice's own alert precision, from its judged alerts (one query)."""
    judged = ~Q(judgement="")
    urgent = Q(judgement=RiskLevel.URGENT.value)
    counts = Alert.objects.filter(practice=practice).aggregate(
        judged=Count("pk", filter=judged),
        confirmed=Count("pk", filter=urgent),
        concern=Count("pk", filter=Q(judgement=RiskLevel.CONCERN.value)),
        no_risk=Count("pk", filter=Q(judgement=RiskLevel.NONE.value)),
        judged_words=Count("pk", filter=judged & Q(in_words=True)),
        confirmed_words=Count("pk", filter=urgent & Q(in_words=True)),
        judged_model=Count("pk", filter=judged & Q(in_words=False)),
        confirmed_model=Count("pk", filter=urgent & Q(in_words=False)),
    )
    return AlertPrecision(**counts)
