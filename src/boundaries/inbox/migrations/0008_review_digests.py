"""The same-day digest of "concern" messages: one row per therapist per day, and what it counted.

Also an index of the reviews nobody has read yet, which the digest job asks for
every few minutes across all practices.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0007_reply_ledger_crisis_text_slots"),
        ("practices", "0008_therapist_digest_time"),
    ]

    operations = [
        migrations.CreateModel(
            name="Digest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(help_text="the date in the practice's time zone")),
                ("claimed_at", models.DateTimeField()),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "practice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="practices.practice",
                    ),
                ),
                (
                    "therapist",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="practices.therapist",
                    ),
                ),
                (
                    "reviews",
                    models.ManyToManyField(blank=True, related_name="digests", to="inbox.review"),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("therapist", "day"), name="unique_digest_per_day"
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(
                condition=models.Q(("reviewed_at__isnull", True)),
                fields=["created_at"],
                name="inbox_review_unread",
            ),
        ),
    ]
