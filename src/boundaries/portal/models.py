"""The client portal: sign-in links, portal accounts and secure messages.

A client signs in with a single-use link that expires after 15 minutes and
is bound to them, plus an authenticator code if they chose one. Messages
are sealed with the vault's key; notifications about them say only that
there is a new secure message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

# Field defaults keep django.utils.timezone.now, not boundaries.clock.now: the landed
# migrations name that callable, so changing it would add a migration per field.
from django.utils import timezone as django_timezone


class PortalAccount(models.Model):
    """Links a client to a Django user, so sign-in, sessions and TOTP work as for therapists."""

    client = models.OneToOneField(
        "practices.Client", on_delete=models.CASCADE, related_name="portal"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_account"
    )
    created_at = models.DateTimeField(default=django_timezone.now)

    def __str__(self) -> str:
        return f"portal account of client {self.client_id}"


class MagicLink(models.Model):
    client = models.ForeignKey("practices.Client", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sign-in link for client {self.client_id}"


class SecureMessage(models.Model):
    class Direction(models.TextChoices):
        FROM_CLIENT = "from_client", "From the client"
        TO_CLIENT = "to_client", "To the client"

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(
        "practices.Client", on_delete=models.CASCADE, related_name="secure_messages"
    )
    direction = models.CharField(max_length=20, choices=Direction.choices)
    sealed = models.BinaryField()
    created_at = models.DateTimeField(default=django_timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    inbox_message = models.ForeignKey(
        "inbox.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"secure message {self.pk} ({self.direction})"
