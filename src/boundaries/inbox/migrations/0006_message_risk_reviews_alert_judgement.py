"""Risk levels for messages, the review-today list, and the therapist's judgement of an alert.

``Message.risk`` (none, concern, urgent; docs/risk-levels.md) joins ``crisis``,
which stays true exactly when the level is urgent (a check constraint). Messages
stored before this had only the crisis verdict: those are set ``urgent`` and the
rest ``none`` (a ``concern`` cannot be told apart afterwards). ``Review`` is one
row per ``concern`` message; ``Alert`` gains the therapist's judgement of the level.

Reversing drops the new columns and table; ``crisis`` still holds every verdict.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def urgent_where_crisis(apps, schema_editor):
    Message = apps.get_model("inbox", "Message")
    Message.objects.filter(crisis=True).update(risk="urgent")


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0005_reply_ledger_kind"),
        ("practices", "0006_practice_domains_limits_tombstones"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="risk",
            field=models.CharField(
                choices=[("none", "none"), ("concern", "concern"), ("urgent", "urgent")],
                default="none",
                max_length=10,
            ),
        ),
        migrations.RunPython(urgent_where_crisis, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.CheckConstraint(
                condition=models.Q(("crisis", True), ("risk", "urgent"))
                | models.Q(("crisis", False), models.Q(("risk", "urgent"), _negated=True)),
                name="message_crisis_is_urgent",
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                fields=["practice", "risk", "received_at"], name="inbox_message_risk"
            ),
        ),
        migrations.AlterField(
            model_name="actionrun",
            name="action",
            field=models.CharField(
                choices=[
                    ("urgent_alert", "urgent_alert"),
                    ("crisis_resources_reply", "crisis_resources_reply"),
                    ("review_today", "review_today"),
                    ("redirect_reply", "redirect_reply"),
                    ("secure_channel_reply", "secure_channel_reply"),
                    ("agenda_item", "agenda_item"),
                    ("quarantine_to_vault", "quarantine_to_vault"),
                    ("decline_connection", "decline_connection"),
                    ("no_response", "no_response"),
                    ("deliver", "deliver"),
                ],
                max_length=40,
            ),
        ),
        migrations.CreateModel(
            name="Review",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "message",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="review",
                        to="inbox.message",
                    ),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="practices.practice",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(fields=["practice", "reviewed_at"], name="inbox_review_open")
                ],
            },
        ),
        migrations.AddField(
            model_name="alert",
            name="judgement",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not judged yet"),
                    ("urgent", "Urgent: it needed acting on now"),
                    ("concern", "Concern: it needed reading today"),
                    ("none", "No risk"),
                ],
                default="",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="alert",
            name="judged_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="alert",
            name="judged_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
