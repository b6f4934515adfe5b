import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("practices", "0002_therapist_alert_contacts"),
    ]

    operations = [
        migrations.CreateModel(
            name="SmsOptOut",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "number_hash",
                    models.CharField(help_text="SHA-256 of the E.164 number", max_length=64),
                ),
                ("opted_out", models.BooleanField(default=True)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "practice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="practices.practice",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("practice", "number_hash"), name="unique_sms_opt_out"
                    )
                ],
            },
        ),
    ]
