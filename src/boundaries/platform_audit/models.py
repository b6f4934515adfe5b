"""Boundary audits of the therapist's own platform downloads (clauses no-connections, no-following).

Least data kept: the download itself is never stored. An audit keeps only
what was found about clients (client ids, how each was recognised, the
recommendation), counts, and what could not be read; that report is sealed
with the vault's key. Audits are never edited, so they can be compared over
time.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import models

# Field defaults keep django.utils.timezone.now, not boundaries.clock.now: the landed
# migrations name that callable, so changing it would add a migration per field.
from django.utils import timezone as django_timezone

from boundaries.core.platform_audit import ExportReport
from boundaries.sealed import unseal_json


class ImmutableAuditError(ValueError):
    """An export audit records what a download showed on a date; it is never edited."""


class ExportAudit(models.Model):
    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey(
        "practices.Therapist", on_delete=models.PROTECT, related_name="export_audits"
    )
    platforms = models.JSONField(default=list, help_text="facebook, instagram, linkedin")
    created_at = models.DateTimeField(default=django_timezone.now)
    complete = models.BooleanField(
        help_text="every list the audit needs was found and read without a problem"
    )
    people_checked = models.PositiveIntegerField(default=0)
    clients_found = models.PositiveIntegerField(default=0)
    problems = models.PositiveIntegerField(default=0, help_text="parts that could not be read")
    archive_sha256 = models.CharField(max_length=64, help_text="of the uploaded zip")
    sealed = models.BinaryField(help_text="the report as JSON, encrypted")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the report JSON")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["practice", "therapist", "created_at"])]

    def __str__(self) -> str:
        return f"export audit {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableAuditError("an export audit is never edited; run a new one")
        super().save(*args, **kwargs)

    @property
    def object_id(self) -> str:
        return sealed_object_id(self.practice_id, self.content_hash)

    @cached_property
    def report(self) -> ExportReport:
        return ExportReport.from_dict(unseal_json(bytes(self.sealed), object_id=self.object_id))

    @property
    def platform_labels(self) -> str:
        return ", ".join(p.capitalize().replace("Linkedin", "LinkedIn") for p in self.platforms)


def sealed_object_id(practice_id: int, content_hash: str) -> str:
    """Binds a sealed report to its practice and content: moved to another row, it does not open."""
    return f"exports:{practice_id}:{content_hash}"
