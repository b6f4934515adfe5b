"""Encrypted files: one vault object per file, its content only ever on disk encrypted.

The file name is sealed too (names say things). What remains in clear is
what the system needs to act safely: the sniffed type, the size, whether
metadata was stripped, and why not if it could not be.
"""

from __future__ import annotations

from django.db import models

# Field defaults keep django.utils.timezone.now, not boundaries.clock.now: the landed
# migrations name that callable, so changing it would add a migration per field.
from django.utils import timezone as django_timezone


class VaultObject(models.Model):
    class Direction(models.TextChoices):
        FROM_CLIENT = "from_client", "Shared by the client"
        TO_CLIENT = "to_client", "Shared with the client"

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(
        "practices.Client", on_delete=models.CASCADE, related_name="vault_objects"
    )
    object_id = models.CharField(max_length=64, unique=True)
    storage_name = models.CharField(max_length=255)
    sealed_sha256 = models.CharField(
        max_length=64, help_text="hash of the stored bytes: an older copy put back is detected"
    )
    sealed_filename = models.BinaryField()
    content_type = models.CharField(max_length=100, help_text="sniffed from the content")
    size = models.BigIntegerField()
    cleaned = models.BooleanField(help_text="metadata stripped; only clean files are ever sent on")
    problem = models.CharField(max_length=300, blank=True)
    removed = models.JSONField(default=list, help_text="kinds of metadata removed, no values")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    source = models.CharField(
        max_length=100,
        blank=True,
        default="",
        help_text="where it was fetched from, e.g. twilio:ME…; a second fetch is refused",
    )
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~models.Q(source=""), name="vault_unique_source"
            )
        ]

    def __str__(self) -> str:
        return f"vault object {self.object_id}"
