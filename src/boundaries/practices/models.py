"""Practices, therapists, clients, agreements, appointments and agenda items.

Every private row carries its practice, and every private query is scoped by
it (see ``access.py``). Rows change only through ``actions.py``. Agreements and
policy versions are immutable: a change adds a new version.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, models

# Field defaults keep django.utils.timezone.now, not boundaries.clock.now: the landed
# migrations name that callable, so changing it would add a migration per field.
from django.utils import timezone as django_timezone

from boundaries import clock
from boundaries.core.reminders import QuietHours
from boundaries.core.types import AgreedChannel, ReminderDetail, SenderStatus
from boundaries.sql import placeholders

#: The agreed channels a reminder can go on (a phone call cannot carry one).
REMINDER_CHANNELS = (AgreedChannel.SMS, AgreedChannel.EMAIL, AgreedChannel.PORTAL)


class ImmutableError(ValueError):
    """Raised when code tries to edit a row whose history must not change."""


class Practice(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        # A tombstone: everything of the practice is gone, the row stays because the
        # audit log (append-only, hash-chained) refers to it. Nobody signs in to it.
        DELETED = "deleted", "Deleted (tombstone kept for the audit log)"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    timezone = models.CharField(max_length=64, default="Europe/London")
    professional_body = models.CharField(max_length=200, blank=True)
    # No reminder goes between these local times (core.reminders.QuietHours); equal: none.
    reminder_quiet_start = models.TimeField(
        default=datetime.time(21, 0), help_text="quiet hours begin (local time)"
    )
    reminder_quiet_end = models.TimeField(
        default=datetime.time(8, 0), help_text="quiet hours end (local time)"
    )
    message_retention_days = models.PositiveIntegerField(
        default=7 * 365,
        help_text="how long inbound messages are kept (the practice's records duty)",
    )
    created_at = models.DateTimeField(default=django_timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Limits a hosting operator sets per practice; 0 means unlimited (see actions.py).
    max_clients = models.PositiveIntegerField(
        default=0, help_text="clients in the register (erased clients do not count); 0 = no limit"
    )
    max_vault_bytes = models.PositiveBigIntegerField(
        default=0, help_text="bytes of files in the vault; 0 = no limit"
    )
    max_messages_per_day = models.PositiveIntegerField(
        default=0,
        help_text="inbound messages in 24 hours before they are flagged; 0 = no limit",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def current_policy(self) -> PolicyVersion | None:
        return self.policy_versions.order_by("-number").first()


class PracticeDomain(models.Model):
    """A host name that serves one practice's public site at ``/`` (e.g. policy.example.org).

    Stored lower-case, without a port or trailing dot, IDNA-encoded (``xn--``), so
    the unique constraint holds across practices whatever case a request uses.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="domains")
    hostname = models.CharField(max_length=253, unique=True)
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["hostname"]

    def __str__(self) -> str:
        return self.hostname


class Therapist(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner (sees every client of the practice)"
        THERAPIST = "therapist", "Therapist (sees their own clients)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="therapists")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.THERAPIST)
    display_name = models.CharField(max_length=200)
    # Where urgent alerts go. Alerts carry no client content, only a link.
    alert_email = models.EmailField(blank=True)
    alert_phone = models.CharField(max_length=20, blank=True, help_text="E.164")
    # When the day's content-free digest of "concern" messages goes out, in the practice's
    # time zone (inbox.digests): at or after this time, at most once a day.
    digest_time = models.TimeField(default=datetime.time(17, 0))

    def __str__(self) -> str:
        return self.display_name

    @property
    def sees_all_clients(self) -> bool:
        return self.role == self.Role.OWNER


class Client(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present client"
        PAST = "past", "Past client"
        PROSPECTIVE = "prospective", "Prospective client"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="clients")
    therapist = models.ForeignKey(
        Therapist, null=True, blank=True, on_delete=models.SET_NULL, related_name="clients"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    nicknames = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PRESENT)
    country = models.CharField(max_length=2, help_text="for crisis resources; ISO alpha-2")
    created_at = models.DateTimeField(default=django_timezone.now)
    # Set by actions.do_erase_client: the row is a tombstone that keeps the welfare
    # checks and the audit log pointing somewhere; names and contacts are gone.
    erased_at = models.DateTimeField(null=True, blank=True)
    # Someone to ring when the client is at risk: name, phone, relationship, sealed
    # (practices/emergency.py). Unlike the client's own contacts it is never matched
    # against a sender, so nothing needs it in the clear. Empty when none is recorded.
    sealed_emergency_contact = models.BinaryField(
        blank=True, default=b"", help_text="emergency contact, encrypted; empty if none"
    )

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["practice", "status"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def initials(self) -> str:
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()

    @property
    def sender_status(self) -> SenderStatus:
        return {
            self.Status.PRESENT: SenderStatus.PRESENT_CLIENT,
            self.Status.PAST: SenderStatus.PAST_CLIENT,
            self.Status.PROSPECTIVE: SenderStatus.PROSPECTIVE_CLIENT,
        }[self.Status(self.status)]

    def current_agreement(self) -> CommunicationAgreement | None:
        return current_agreements([self.pk]).get(self.pk)

    def next_appointment(self, now: Any = None) -> Appointment | None:
        return next_appointments([self.pk], now).get(self.pk)


class ClientContact(models.Model):
    """One way of recognising a client: an email, an E.164 phone, a handle or profile URL."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email address"
        PHONE = "phone", "Phone (E.164)"
        HANDLE = "handle", "Social handle"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    platform = models.CharField(max_length=30, blank=True, help_text="for handles")
    value = models.CharField(max_length=320, help_text="normalised: lower-case email, E.164")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind", "platform", "value"], name="unique_client_contact"
            )
        ]
        indexes = [models.Index(fields=["practice", "kind", "value"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.platform}:{self.value}" if self.platform else self.value


class CommunicationAgreement(models.Model):
    """One version of a client's agreement on how they may be contacted.

    Versions are never edited: ``actions.do_set_agreement`` adds a new one.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveIntegerField()
    channels = models.JSONField(help_text="agreed channels: email, sms, phone, portal")
    reminder_detail = models.CharField(
        max_length=10,
        choices=[(d.value, d.value) for d in ReminderDetail],
        default=ReminderDetail.DISCREET.value,
    )
    # Appointment reminders (reminders app): the channel they go on, '' for none; minutes
    # before the appointment, e.g. [2880, 120]; quiet hours, None for the practice's.
    reminder_channel = models.CharField(
        max_length=10,
        blank=True,
        default="",
        choices=[("", "no reminders")] + [(c.value, c.value) for c in REMINDER_CHANNELS],
    )
    reminder_offsets = models.JSONField(
        default=list, blank=True, help_text="minutes before the appointment, longest first"
    )
    reminder_quiet_start = models.TimeField(null=True, blank=True)
    reminder_quiet_end = models.TimeField(null=True, blank=True)
    session_content_by_email = models.BooleanField(default=False)
    session_content_agreed_on = models.DateField(null=True, blank=True)
    session_content_terms = models.TextField(blank=True)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=120)
    recorded_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["client", "version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="unique_agreement_version")
        ]

    def __str__(self) -> str:
        return f"agreement v{self.version} for client {self.client_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("an agreement version is never edited; add a new version")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("agreement history is kept")

    @property
    def agreed_channels(self) -> frozenset[AgreedChannel]:
        return frozenset(AgreedChannel(c) for c in self.channels)

    @property
    def detail(self) -> ReminderDetail:
        return ReminderDetail(self.reminder_detail)

    def quiet_hours(self, practice: Practice) -> QuietHours:
        """The client's own quiet hours, else the practice's."""
        if self.reminder_quiet_start is not None and self.reminder_quiet_end is not None:
            return QuietHours(self.reminder_quiet_start, self.reminder_quiet_end)
        return QuietHours(practice.reminder_quiet_start, practice.reminder_quiet_end)


class Appointment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="appointments")
    therapist = models.ForeignKey(
        Therapist, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    # The client's answer to a reminder (reminders app); a cancellation sets ``cancelled``.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=60, blank=True, help_text="who or which channel")
    uid = models.CharField(max_length=255, help_text="iCalendar UID, stable across imports")
    source = models.CharField(max_length=20, default="manual")
    # Set when the event came from a subscribed calendar: if it leaves that calendar
    # before it starts, the appointment is marked cancelled (practices.calendar).
    subscription = models.ForeignKey(
        "CalendarSubscription",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "uid"], name="unique_appointment_uid")
        ]
        indexes = [models.Index(fields=["client", "starts_at"])]

    def __str__(self) -> str:
        return f"appointment {self.pk} at {self.starts_at:%Y-%m-%d %H:%M}"


class AgendaItem(models.Model):
    """Something to bring to a client's next session. Never holds message content.

    Written below the ORM by ``boundaries.sql.insert_all`` in the inbound group commit
    (and ``practices.actions``): no ``save()`` runs and no ``pre_save``/``post_save``
    signal is sent, so this model must have neither (``tests/test_insert_all_models.py``).
    """

    class Kind(models.TextChoices):
        COMMUNICATION = "communication", "Discuss communication arrangements"
        POLICY_QUESTION = "policy_question", "Question about the policy"
        ONLINE_LIFE = "online_life", "Something from the client's online life"
        WELFARE_CHECK = "welfare_check", "Discuss the welfare check"
        AGREEMENT_CHANGE = "agreement_change", "Agreement changed"
        OTHER = "other", "Other"

    class Source(models.TextChoices):
        TRIAGE = "triage", "Triage decision"
        PORTAL = "portal", "Client portal"
        AGREEMENT = "agreement", "Agreement change"
        WELFARE = "welfare", "Welfare check"
        THERAPIST = "therapist", "Therapist"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="agenda_items")
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now)
    discussed_at = models.DateTimeField(null=True, blank=True)
    discussed_note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["practice", "client", "discussed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (client {self.client_id})"


class PolicyVersion(models.Model):
    """An immutable published version of a practice's policy."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="policy_versions")
    number = models.PositiveIntegerField()
    source = models.TextField(help_text="the policy.toml as published")
    data = models.JSONField(help_text="the validated policy, canonical form")
    content_hash = models.CharField(max_length=64)
    effective_date = models.DateField()
    summary = models.CharField(max_length=500)
    published_at = models.DateTimeField(default=django_timezone.now)
    published_by_label = models.CharField(max_length=120)

    class Meta:
        ordering = ["practice", "number"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="unique_policy_version")
        ]

    def __str__(self) -> str:
        return f"{self.practice} policy v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("a published policy version is never edited; publish a new one")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("published policy versions are kept")


class PolicyDraft(models.Model):
    """The owner's unpublished edit of the policy, kept between visits to the editor.

    One per practice; publishing a version removes it. Nothing in it reaches a
    client until it is published.
    """

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="policy_draft")
    source = models.TextField()
    summary = models.CharField(max_length=500, blank=True)
    saved_at = models.DateTimeField(default=django_timezone.now)
    saved_by_label = models.CharField(max_length=120)

    def __str__(self) -> str:
        return f"{self.practice} policy draft"


class CalendarFeed(models.Model):
    """A therapist's secret, revocable iCalendar feed of their sessions.

    Only a hash of the token is stored; the URL is shown once. Titles say
    nothing clinical: initials, or just "Appointment".
    """

    class Titles(models.TextChoices):
        INITIALS = "initials", "Initials only (e.g. 'A.O.')"
        GENERIC = "generic", "Just 'Appointment'"

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    titles = models.CharField(max_length=20, choices=Titles.choices, default=Titles.INITIALS)
    created_at = models.DateTimeField(default=django_timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed {self.pk} ({'revoked' if self.revoked_at else 'active'})"


class CalendarSubscription(models.Model):
    """A therapist's own calendar, read by its secret iCalendar address (docs/calendar.md).

    The address is a password in all but name (whoever holds it reads the
    calendar), so it is stored sealed; only its host is kept in the clear, for
    the therapist to recognise it. The worker refreshes it on a schedule.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey(
        Therapist, on_delete=models.CASCADE, related_name="calendar_subscriptions"
    )
    sealed_url = models.BinaryField()
    host = models.CharField(max_length=253)
    created_at = models.DateTimeField(default=django_timezone.now)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    last_problem = models.CharField(max_length=300, blank=True)
    events_seen = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"calendar subscription {self.pk} ({self.host})"


class UnmatchedEvent(models.Model):
    """An event from the therapist's calendar that matched no client: matched by hand, or
    marked "not a session" (``ignored_at``) so that later refreshes leave it alone.

    Its title may name someone, so it is stored sealed.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey(
        Therapist, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subscription = models.ForeignKey(
        CalendarSubscription,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="unmatched",
    )
    uid = models.CharField(max_length=255)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    sealed_summary = models.BinaryField(default=b"", blank=True)
    seen_at = models.DateTimeField(default=django_timezone.now)
    ignored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "uid"], name="unique_unmatched_event_uid")
        ]

    def __str__(self) -> str:
        return f"unmatched event {self.pk} at {self.starts_at:%Y-%m-%d %H:%M}"


class PolicyAcknowledgement(models.Model):
    """A client acknowledged a version of the policy (clause amendments)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="acknowledgements")
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="unique_acknowledgement")
        ]

    def __str__(self) -> str:
        return f"client {self.client_id} acknowledged v{self.version_id}"


def current_agreements(client_ids: Iterable[int]) -> dict[int, CommunicationAgreement]:
    """Each client's newest agreement version, for several clients with one query.

    Triage asks this for every arriving batch, so the query is written out
    (``raw`` skips the ORM's query building; the model still reads the rows).
    """
    wanted = sorted(set(client_ids))
    if not wanted:
        return {}
    table = connection.ops.quote_name(CommunicationAgreement._meta.db_table)
    versions = CommunicationAgreement.objects.raw(
        f"SELECT * FROM {table} WHERE client_id IN {placeholders(wanted)}"  # noqa: S608 - our table
        " ORDER BY client_id, version DESC",
        wanted,
    )
    found: dict[int, CommunicationAgreement] = {}
    for agreement in versions:
        found.setdefault(agreement.client_id, agreement)
    return found


def next_appointments(client_ids: Iterable[int], now: Any = None) -> dict[int, Appointment]:
    """Each client's next appointment that is not cancelled, with one query.

    Written out like ``current_agreements``: triage asks it for every batch that
    puts something on an agenda.
    """
    wanted = sorted(set(client_ids))
    if not wanted:
        return {}
    table = connection.ops.quote_name(Appointment._meta.db_table)
    # The ORM would store the time as this database stores times; a raw query must too.
    since = connection.ops.adapt_datetimefield_value(now or clock.now())
    upcoming = Appointment.objects.raw(
        f"SELECT * FROM {table} WHERE client_id IN {placeholders(wanted)}"  # noqa: S608 - our table
        " AND starts_at >= %s AND NOT cancelled ORDER BY client_id, starts_at",
        [*wanted, since],
    )
    found: dict[int, Appointment] = {}
    for appointment in upcoming:
        found.setdefault(appointment.client_id, appointment)
    return found
