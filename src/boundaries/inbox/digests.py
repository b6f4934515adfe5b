"""The same-day digest: one content-free email a day to each therapist with ``concern`` messages.

A ``concern`` message (docs/risk-levels.md) is read today, not now: it waits at
the top of the inbox, and at the time each therapist chose (``Therapist.digest_time``,
17:00 by default, in the practice's time zone) they get one email saying how
many messages are waiting, with a link to the dashboard — no names, no text, no
subject lines. Never a text message or a page: that is for urgent messages.

The scheduler enqueues ``review_digest_job`` every few minutes
(``records.scheduling``). On each run every therapist whose digest time has
passed today, who has had no digest today, and who has an unread ``concern``
message that no earlier digest counted gets one. Who that is follows the
alerts: the client's therapist, else the practice's owners.

At most one a day: the ``Digest`` row for (therapist, day) is inserted before
the mail goes out, so a second worker's insert fails and it stands down. A
claim whose sending failed is removed (the next run tries again); a claim left
by a worker that died before sending is taken over after ``STALE_CLAIM``.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django_tasks import task

from boundaries import clock
from boundaries.audit.log import record
from boundaries.inbox.delivery import senders
from boundaries.inbox.models import Digest, Review
from boundaries.practices.models import Practice, Therapist

__all__ = ["DIGEST_SUBJECT", "STALE_CLAIM", "digest_text", "review_digest_job", "send_due_digests"]

logger = logging.getLogger(__name__)

DIGEST_SUBJECT = "Messages to read today"
#: A claim not marked sent after this long belongs to a worker that died; another takes it.
STALE_CLAIM = dt.timedelta(minutes=15)


def digest_text(count: int) -> str:
    """The whole email: a number and a link. Nothing about who wrote or what."""
    link = f"{settings.SITE_URL.rstrip('/')}/dashboard/#review-today"
    waiting = "1 message is" if count == 1 else f"{count} messages are"
    return f"{waiting} waiting for you to read today. Open Boundaries to see them: {link}"


@dataclass(frozen=True, slots=True)
class _Due:
    therapist: Therapist
    day: dt.date
    reviews: list[int]  # every unread review of theirs, the new ones among them


def _local(now: dt.datetime, practice: Practice) -> dt.datetime:
    try:
        zone = zoneinfo.ZoneInfo(practice.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        logger.warning("practice %s has an unknown time zone; digests use UTC", practice.pk)
        zone = zoneinfo.ZoneInfo("UTC")
    return now.astimezone(zone)


def _due(now: dt.datetime) -> list[_Due]:
    """Who gets a digest now, and which unread reviews it counts (a few queries, not per row)."""
    unread = list(
        Review.objects.filter(
            reviewed_at__isnull=True, practice__status=Practice.Status.ACTIVE
        ).values_list("pk", "practice_id", "message__client__therapist_id")
    )
    if not unread:
        return []
    without_therapist = {practice_id for _, practice_id, therapist in unread if therapist is None}
    owners: dict[int, list[int]] = defaultdict(list)
    for pk, practice_id in Therapist.objects.filter(
        practice_id__in=without_therapist, role=Therapist.Role.OWNER
    ).values_list("pk", "practice_id"):
        owners[practice_id].append(pk)
    waiting: dict[int, list[int]] = defaultdict(list)
    for review, practice_id, therapist_id in unread:
        for recipient_id in [therapist_id] if therapist_id is not None else owners[practice_id]:
            waiting[recipient_id].append(review)
    counted = set(
        Digest.reviews.through.objects.filter(
            digest__therapist_id__in=waiting,
            digest__sent_at__isnull=False,
            review__reviewed_at__isnull=True,
        ).values_list("digest__therapist_id", "review_id")
    )
    fresh = {
        recipient_id: reviews
        for recipient_id, reviews in waiting.items()
        if any((recipient_id, review) not in counted for review in reviews)
    }
    due = []
    for recipient in Therapist.objects.filter(pk__in=fresh).select_related("practice", "user"):
        local = _local(now, recipient.practice)
        if local.time() >= recipient.digest_time:
            due.append(_Due(recipient, local.date(), sorted(fresh[recipient.pk])))
    # Today's digest already sent (or being sent): asked here, so the claim's insert
    # fails only when two workers race.
    taken = set(
        Digest.objects.filter(
            therapist_id__in=[d.therapist.pk for d in due], day__in={d.day for d in due}
        )
        .filter(Q(sent_at__isnull=False) | Q(claimed_at__gte=now - STALE_CLAIM))
        .values_list("therapist_id", "day")
    )
    return [d for d in due if (d.therapist.pk, d.day) not in taken]


def _claim(due: _Due, now: dt.datetime) -> Digest | None:
    """Insert today's digest row for the therapist, or take over a dead worker's claim."""
    therapist = due.therapist
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    practice_id=therapist.practice_id,
                    therapist=therapist,
                    day=due.day,
                    claimed_at=now,
                )
        except IntegrityError:
            # Sent already today, or another worker is sending it: only a stale claim is ours.
            taken = Digest.objects.filter(
                therapist=therapist,
                day=due.day,
                sent_at__isnull=True,
                claimed_at__lt=now - STALE_CLAIM,
            ).update(claimed_at=now)
            if not taken:
                return None
            digest = Digest.objects.get(therapist=therapist, day=due.day)
            digest.reviews.clear()
        digest.reviews.add(*due.reviews)
    return digest


def _send(digest: Digest, due: _Due) -> bool:
    therapist = due.therapist
    address = therapist.alert_email or therapist.user.email
    sender = senders().notice["email"]
    try:
        sender(address, DIGEST_SUBJECT, digest_text(len(due.reviews)))
    except OSError as error:  # smtplib's errors are OSErrors: the relay is down or refused it
        logger.warning("digest %s not sent: %s", digest.pk, type(error).__name__)
        Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).delete()
        return False
    with transaction.atomic():
        Digest.objects.filter(pk=digest.pk).update(sent_at=clock.now())
        record(
            action="digest.sent",
            obj=digest,
            practice=therapist.practice,
            actor_label="worker",
            details={"therapist": therapist.pk, "messages": len(due.reviews)},
        )
    return True


def send_due_digests(now: dt.datetime) -> int:
    """Send every digest that is due at ``now``; returns how many went out."""
    sent = 0
    for due in _due(now):
        therapist = due.therapist
        if not (therapist.alert_email or therapist.user.email):
            logger.warning("therapist %s has no email address for the digest", therapist.pk)
            continue
        digest = _claim(due, now)
        if digest is not None and _send(digest, due):
            sent += 1
    return sent


@task()
def review_digest_job() -> dict[str, int]:
    return {"sent": send_due_digests(clock.now())}
