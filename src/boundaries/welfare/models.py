"""Welfare checks: the break-glass record of clause ``no-searching``.

A therapist may search for a client online only when they fear for the
client's safety and the usual contact has failed. The record says why, what
contact was tried, every search and what it found, every action, and the
outcome. It is append-only: a correction is a new entry that points at the
entry it corrects. Entry text is sealed with the vault's key; each entry's
hash goes into the audit chain, so a changed entry is detectable.
"""

from __future__ import annotations

from typing import Any

from django.db import models

# Field defaults keep django.utils.timezone.now, not boundaries.clock.now: the landed
# migrations name that callable, so changing it would add a migration per field.
from django.utils import timezone as django_timezone


class AppendOnlyError(ValueError):
    """Welfare records are never edited or deleted."""


class WelfareCheck(models.Model):
    practice = models.ForeignKey("practices.Practice", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        "practices.Client", on_delete=models.PROTECT, related_name="welfare_checks"
    )
    opened_by = models.ForeignKey("practices.Therapist", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=django_timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"welfare check {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and list(update_fields or []) != ["closed_at"]:
            raise AppendOnlyError("a welfare check is never edited; add an entry")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("welfare checks are kept")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class WelfareEntry(models.Model):
    class Kind(models.TextChoices):
        REASON = "reason", "Why I fear for the client's safety"
        CONTACT_ATTEMPT = "contact_attempt", "Usual contact tried"
        SEARCH = "search", "Search made"
        ACTION = "action", "Action taken"
        CORRECTION = "correction", "Correction"
        OUTCOME = "outcome", "Outcome"

    check_record = models.ForeignKey(WelfareCheck, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(help_text="when it happened, as the therapist records it")
    recorded_at = models.DateTimeField(default=django_timezone.now)
    recorded_by = models.ForeignKey(
        "practices.Therapist", on_delete=models.PROTECT, related_name="+"
    )
    sealed = models.BinaryField(help_text="the entry's fields as JSON, encrypted")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the plaintext JSON")
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    class Meta:
        ordering = ["check_record", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["check_record", "number"], name="unique_welfare_entry_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("a welfare entry is never edited; add a correction")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("welfare entries are kept")
