"""The practice's public posts, offered as feeds so nobody needs a social account.

Clause no-endorsements: people can follow without liking or following anything.
"""

from __future__ import annotations

from django.db import models

# Field defaults keep django.utils.timezone.now, not boundaries.clock.now: the landed
# migrations name that callable, so changing it would add a migration per field.
from django.utils import timezone as django_timezone


class Post(models.Model):
    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    body = models.TextField(help_text="plain text; blank lines separate paragraphs")
    published_at = models.DateTimeField(default=django_timezone.now, db_index=True)

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "slug"], name="unique_post_slug")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/p/{self.practice.slug}/posts/{self.slug}/"
