"""Every inbound message, stored once, encrypted, with its decision and what was done.

A message, its decision, its alert and the tasks that carry out its actions
are written in one transaction (``actions.do_ingest``), so a crash can lose
none of them without losing all of them — and the sender is only told
"accepted" after that commit.

``Message``, ``ActionRun``, ``Alert`` and ``Review`` are written below the ORM by
``boundaries.sql.insert_all`` in that group commit: no ``save()`` runs and no
``pre_save``/``post_save`` signal is sent, so these models must have neither
(``tests/test_insert_all_models.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# Field defaults keep django.utils.timezone.now, not boundaries.clock.now: the landed
# migrations name that callable, so changing it would add a migration per field.
from django.utils import timezone as django_timezone

from boundaries.core.types import Action, Channel, RiskLevel


class InboundRoute(models.Model):
    """Which practice an address belongs to: a mailbox, a phone number, a page id."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email address"
        SMS = "sms", "Phone number (E.164)"
        META_PAGE = "meta_page", "Facebook Page or Instagram account id"

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    address = models.CharField(max_length=320, help_text="normalised: lower-case email, E.164")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "address"], name="unique_inbound_route")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.address}"


class Message(models.Model):
    """One inbound message and its decision (the content is sealed separately).

    Written below the ORM (see the module docstring).
    """

    class Status(models.TextChoices):
        TRIAGED = "triaged", "Triaged; actions queued"
        DONE = "done", "Actions carried out"
        FAILED = "failed", "An action failed; needs attention"

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=30, choices=[(c.value, c.value) for c in Channel])
    platform = models.CharField(max_length=30, blank=True)
    client = models.ForeignKey(
        "practices.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender_status = models.CharField(max_length=30)
    external_id = models.CharField(
        max_length=998, blank=True, help_text="Message-ID, MessageSid or platform message id"
    )
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the raw message")
    # What makes the message itself (inbox.identity): a repeat has the same external_id
    # and the same fingerprint. None for messages stored before it existed; their sealed
    # content gives it when a later arrival shares their id.
    fingerprint = models.CharField(  # noqa: DJ001 - NULL, unlike '', never collides in the index
        max_length=64, null=True, blank=True, help_text="SHA-256 of sender, subject and body"
    )
    received_at = models.DateTimeField(default=django_timezone.now, db_index=True)
    size = models.PositiveIntegerField(default=0)
    sealed = models.BinaryField(help_text="sender, subject, text and raw bytes, encrypted")
    # The decision, without content: what, which clauses, why.
    # The risk level (docs/risk-levels.md); ``crisis`` is kept, true exactly when it is
    # urgent (a check constraint holds them together), for the queries that ask only that.
    risk = models.CharField(
        max_length=10, choices=[(r.value, r.value) for r in RiskLevel], default=RiskLevel.NONE.value
    )
    crisis = models.BooleanField(default=False)
    labels = models.JSONField(default=list)
    scores = models.JSONField(default=dict)
    actions = models.JSONField(default=list)
    clauses = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TRIAGED)
    # The practice's daily message limit was reached when this arrived. Such a message is
    # still stored, triaged and acted on (a crisis is never dropped); the flag tells the
    # operator, who is also told in the logs (inbox.limits.note_inbound_limit).
    over_daily_limit = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            # Two messages may share a channel id (whoever sends chooses it), or their
            # words (a portal client writing the same thing twice), never both. Rows
            # without a fingerprint (NULL) never conflict here.
            models.UniqueConstraint(
                fields=["practice", "channel", "external_id", "fingerprint"],
                name="unique_message_external_id_fingerprint",
            ),
            # Rows stored before fingerprints, found by their raw bytes (inbox.actions).
            models.UniqueConstraint(
                fields=["practice", "channel", "content_hash"],
                condition=Q(fingerprint__isnull=True),
                name="unique_message_content_before_fingerprints",
            ),
            models.CheckConstraint(
                condition=Q(crisis=True, risk=RiskLevel.URGENT.value)
                | (Q(crisis=False) & ~Q(risk=RiskLevel.URGENT.value)),
                name="message_crisis_is_urgent",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "crisis", "received_at"]),
            # The inbox's urgent and review-today sections, newest first, per practice.
            models.Index(fields=["practice", "risk", "received_at"], name="inbox_message_risk"),
            models.Index(fields=["practice", "status"]),
            # The dashboard's newest-first lists and the daily-limit count, per practice:
            # without it a practice's lists sort all of its messages (docs/scaling.md).
            models.Index(fields=["practice", "received_at", "id"], name="inbox_message_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} message {self.pk}"


class ActionRun(models.Model):
    """One action of a decision and whether it has been carried out. Once per message.

    Written below the ORM (see the module docstring).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="action_runs")
    action = models.CharField(max_length=40, choices=[(a.value, a.value) for a in Action])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    detail = models.CharField(
        max_length=300, blank=True, help_text="why skipped/failed; no content"
    )
    attempts = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "action"], name="unique_action_per_message")
        ]

    def __str__(self) -> str:
        return f"{self.action} for message {self.message_id}: {self.status}"


class _MessageNotice(models.Model):
    """What one message asks of the therapist (an alert, a review), newest first."""

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class Alert(_MessageNotice):
    """An urgent alert to the therapist. Exactly one per crisis message.

    Written below the ORM (see the module docstring).

    ``judgement`` is the therapist's own reading of the message's level once they
    have read it ('' until they say), so alerts that were not urgent can be
    counted and the rubric and classifier corrected.
    """

    class Judgement(models.TextChoices):
        UNJUDGED = "", "Not judged yet"
        URGENT = RiskLevel.URGENT.value, "Urgent: it needed acting on now"
        CONCERN = RiskLevel.CONCERN.value, "Concern: it needed reading today"
        NONE = RiskLevel.NONE.value, "No risk"

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="alert")
    #: A curated expression found the urgent sign in the words; false when the message
    #: model's urgency head read it (docs/classifiers.md); null on alerts stored before
    #: it was recorded. Shown beside the alert, and the practice's alert precision is
    #: counted for each, so a therapist learns how far to trust the model's pages.
    in_words = models.BooleanField(null=True, default=None)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    judgement = models.CharField(
        max_length=10, choices=Judgement.choices, blank=True, default=Judgement.UNJUDGED
    )
    judged_at = models.DateTimeField(null=True, blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"alert for message {self.message_id}"


class Review(_MessageNotice):
    """A ``concern`` message on the therapist's list to read today. Exactly one per such message.

    Written below the ORM (see the module docstring).

    Written in the same transaction as the message (``actions.do_ingest``); the
    same-day digest counts the reviews nobody has marked read yet.
    """

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="review")
    #: The curated expressions found the sign in the words (``Decision.expressed_risk``);
    #: false when the message model alone raised it; null on reviews stored before it
    #: was recorded. The list shows those in the words first.
    in_words = models.BooleanField(null=True, default=None)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(_MessageNotice.Meta):
        indexes = [
            # The review list and the digest ask for each practice's reviews not yet read.
            models.Index(fields=["practice", "reviewed_at"], name="inbox_review_open"),
            # The digest job asks for every practice's at once, every few minutes.
            models.Index(
                fields=["created_at"],
                condition=Q(reviewed_at__isnull=True),
                name="inbox_review_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"review of message {self.message_id}"


class Digest(models.Model):
    """One therapist's same-day digest of ``concern`` messages: at most one a day.

    The row is the claim (``digests.send_due_digests``): two workers cannot both
    insert it, so a therapist gets one digest a day however many workers run.
    ``sent_at`` stays empty until the mail server took the message; a claim whose
    sending failed is removed, and one left by a worker that died is taken over
    after a while. ``reviews`` are the messages it counted, so the next day's
    digest goes out only when something new arrived.
    """

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey("practices.Therapist", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="the date in the practice's time zone")
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reviews = models.ManyToManyField(Review, related_name="digests", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["therapist", "day"], name="unique_digest_per_day")
        ]

    def __str__(self) -> str:
        return f"digest for therapist {self.therapist_id} on {self.day}"


class ReplyLedger(models.Model):
    """When we last replied automatically to a counterpart, to stop mail loops.

    ``counterpart`` is a SHA-256 of the normalised address, so the ledger holds
    no addresses. A crisis reply has its own slot (``kind``): an earlier redirect
    to the same sender must never hold back the crisis resources. A crisis slot
    is also keyed by ``text_digest``, a keyed digest of the message's normalised
    words (``tasks.crisis_text_digest``): a person's new crisis message is always
    answered, and only the same words again within the window are not.
    """

    class Kind(models.TextChoices):
        ROUTINE = "routine", "routine reply"
        CRISIS = "crisis", "crisis reply"

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=30)
    counterpart = models.CharField(max_length=64)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ROUTINE)
    text_digest = models.CharField(
        max_length=64, blank=True, default="", help_text="crisis slots: HMAC of the words"
    )
    last_replied_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "channel", "counterpart", "kind", "text_digest"],
                name="unique_reply_ledger_text_slot",
            )
        ]

    def __str__(self) -> str:
        return f"last reply on {self.channel} at {self.last_replied_at:%Y-%m-%d %H:%M}"


class MailboxAccount(models.Model):
    """A mailbox at the practice's provider that Boundaries polls over IMAP.

    ``last_uid`` and ``uidvalidity`` make polling idempotent (RFC 3501: UIDs
    only mean something within one UIDVALIDITY). The password is sealed with
    the vault's master key.
    """

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=993)
    use_ssl = models.BooleanField(default=True)
    username = models.CharField(max_length=320)
    sealed_password = models.BinaryField()
    folder = models.CharField(max_length=200, default="INBOX")
    uidvalidity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"IMAP {self.username}@{self.host}:{self.port}/{self.folder}"
