"""The owner's unpublished edit of the policy, kept between visits to the editor."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0010_reminder_preferences"),
    ]

    operations = [
        migrations.CreateModel(
            name="PolicyDraft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.TextField()),
                ("summary", models.CharField(blank=True, max_length=500)),
                ("saved_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("saved_by_label", models.CharField(max_length=120)),
                (
                    "practice",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="policy_draft",
                        to="practices.practice",
                    ),
                ),
            ],
        ),
    ]
