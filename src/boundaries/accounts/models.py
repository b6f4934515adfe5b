"""Sign-in attempts, kept only as long as throttling needs them (no passwords, hashed names)."""

from __future__ import annotations

from django.db import models


class LoginAttempt(models.Model):
    username_hash = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{'success' if self.succeeded else 'failure'} at {self.at:%Y-%m-%d %H:%M}"
