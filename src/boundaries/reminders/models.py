"""Appointment reminders sent (or held back), and what the therapist needs to hear about them.

One ``Reminder`` row per (appointment, offset, appointment time): the row is the
claim, inserted before the reminder goes, so two workers (or the job run twice)
send it once. A moved appointment has a new time and so new rows; a cancelled
one gets none. No row holds the reminder's words or the client's address.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

# Field defaults keep django.utils.timezone.now, as every app here does.
from django.utils import timezone as django_timezone


class Reminder(models.Model):
    class Status(models.TextChoices):
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        HELD = "held", "Held back by the guard"
        SKIPPED = "skipped", "Not sent"
        FAILED = "failed", "Failed"

    class Answer(models.TextChoices):
        NONE = "", "No answer"
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    appointment = models.ForeignKey(
        "practices.Appointment", on_delete=models.CASCADE, related_name="reminders"
    )
    client = models.ForeignKey("practices.Client", on_delete=models.CASCADE, related_name="+")
    offset_minutes = models.PositiveIntegerField()
    starts_at = models.DateTimeField(help_text="the appointment's time when this was claimed")
    due_at = models.DateTimeField()
    channel = models.CharField(max_length=10)
    detail = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    reason = models.CharField(
        max_length=600, blank=True, help_text="why not sent: the guard's findings; no content"
    )
    provider_id = models.CharField(max_length=998, blank=True)
    claimed_at = models.DateTimeField(default=django_timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_via = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-due_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "offset_minutes", "starts_at"], name="unique_reminder"
            )
        ]
        indexes = [models.Index(fields=["client", "status", "sent_at"])]

    def __str__(self) -> str:
        return f"reminder {self.pk} ({self.status}) for appointment {self.appointment_id}"


class AppointmentNotice(models.Model):
    """Something about an appointment the therapist must see: a cancellation, a held reminder.

    Shown on the dashboard until marked seen. Never holds a message's words; a
    cancellation is never rebooked by Boundaries: the therapist decides.
    """

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", "The client cancelled an appointment"
        REMINDER_HELD = "reminder_held", "A reminder was not sent"

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey(
        "practices.Therapist", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appointment = models.ForeignKey(
        "practices.Appointment", on_delete=models.CASCADE, related_name="notices"
    )
    reminder = models.ForeignKey(
        Reminder, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=600, blank=True, help_text="why; no client content")
    created_at = models.DateTimeField(default=django_timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["practice", "created_at"],
                condition=Q(seen_at__isnull=True),
                name="reminders_notice_unseen",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} notice for appointment {self.appointment_id}"
