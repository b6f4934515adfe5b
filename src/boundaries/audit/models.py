"""The audit log: who did what to which record, when and why — never content.

Entries are written by ``record()`` inside the same transaction as the change
they describe (see the ``actions`` modules), so a change without its audit
entry cannot be committed. Rows are never updated or deleted by the
application: ``save()`` refuses updates and ``delete()`` refuses outright.

Each entry is a link in a hash chain (``seq``, ``prev_hash``, ``entry_hash``;
see ``boundaries.audit.chain``). ``ChainHead`` is the one row that appends
lock, so concurrent writers queue instead of forking the chain, and
``AuditCheckpoint`` rows carry Ed25519 signatures over the chain's state made
with a key that lives outside the database.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One link of the append-only audit chain.

    Written below the ORM by ``boundaries.sql.insert_all`` (``audit.log.append``): the
    ``save()`` below, which refuses an update, does not run, and no ``pre_save``/
    ``post_save`` signal is sent. ``insert_all`` only ever inserts, so nothing is lost;
    ``tests/test_insert_all_models.py`` fails if another override or a receiver appears.
    """

    seq = models.PositiveBigIntegerField(unique=True, help_text="position in the chain, from 1")
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)
    practice = models.ForeignKey(
        "practices.Practice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=120, help_text="who acted, e.g. 'cli', 'system'")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    reason = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["practice", "object_type", "object_id"]),
            # The dashboard's log viewer pages one practice's entries by seq (keyset).
            models.Index(fields=["practice", "seq"], name="audit_practice_seq"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("audit entries are append-only")


class ChainHead(models.Model):
    """The newest link of the chain; one row (id 1), locked by every append."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_one_chain_head")
        ]

    def __str__(self) -> str:
        return f"chain head at seq {self.seq}"


class AuditCheckpoint(models.Model):
    """A signature over (seq, entry_hash, signed_at) by the audit signing key."""

    seq = models.PositiveBigIntegerField(unique=True)
    entry_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the public key")
    signature = models.CharField(max_length=128, help_text="Ed25519, hex")

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"checkpoint at seq {self.seq}"
