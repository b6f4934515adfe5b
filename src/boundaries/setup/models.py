"""How far a practice's first-run setup has come, and the policy it is drafting."""

from __future__ import annotations

from django.db import models

# Field defaults keep django.utils.timezone.now like the other apps' models.
from django.utils import timezone as django_timezone

STEPS = ("account", "practice", "policy", "addresses", "alerts", "publish")


class SetupProgress(models.Model):
    """One per practice created through the setup (the browser's or ``boundaries setup``).

    A practice without this row was set up another way and is never sent to the wizard.
    """

    practice = models.OneToOneField(
        "practices.Practice", on_delete=models.CASCADE, related_name="setup_progress"
    )
    reached = models.CharField(
        max_length=20, default="policy", help_text="the furthest step reached"
    )
    policy_draft = models.TextField(blank=True, help_text="the policy.toml being written")
    started_at = models.DateTimeField(default=django_timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        state = "finished" if self.finished_at else f"at {self.reached}"
        return f"setup of practice {self.practice_id} ({state})"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def has_reached(self, step: str) -> bool:
        return STEPS.index(self.reached) >= STEPS.index(step)
