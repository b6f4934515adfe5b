"""Who has opted out of automated texts from a practice (carrier STOP / START keywords)."""

from __future__ import annotations

import hashlib

from django.db import models

# Field defaults keep django.utils.timezone.now, not boundaries.clock.now: the landed
# migrations name that callable, so changing it would add a migration per field.
from django.utils import timezone as django_timezone


def number_digest(number: str) -> str:
    """SHA-256 of the E.164 number, so the table holds no phone numbers.

    Not keyed with a secret on purpose: a rotated secret would silently forget
    every opt-out, and texting someone who said STOP is the failure to avoid.
    """
    return hashlib.sha256(number.strip().encode()).hexdigest()


class SmsOptOut(models.Model):
    """The latest carrier keyword a number sent to a practice: opted out, or back in."""

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    number_hash = models.CharField(max_length=64, help_text="SHA-256 of the E.164 number")
    opted_out = models.BooleanField(default=True)
    changed_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        app_label = "sms"
        constraints = [
            models.UniqueConstraint(fields=["practice", "number_hash"], name="unique_sms_opt_out")
        ]

    def __str__(self) -> str:
        state = "opted out" if self.opted_out else "opted back in"
        return f"{state} at {self.changed_at:%Y-%m-%d %H:%M}"

    @classmethod
    def is_opted_out(cls, practice_id: int, number: str) -> bool:
        return cls.objects.filter(
            practice_id=practice_id, number_hash=number_digest(number), opted_out=True
        ).exists()
