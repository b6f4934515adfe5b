"""Which scheduled job ran for which time slot: one row per (job, slot), so it runs once."""

from __future__ import annotations

from django.db import models


class JobRun(models.Model):
    name = models.CharField(max_length=60)
    slot = models.BigIntegerField(help_text="time slot number: seconds since the epoch // period")
    enqueued_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="unique_job_slot")]

    def __str__(self) -> str:
        return f"{self.name} slot {self.slot}"
