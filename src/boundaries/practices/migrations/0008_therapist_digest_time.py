"""When each therapist's same-day digest of "concern" messages goes out (practice's time zone)."""

import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0007_client_emergency_contact"),
    ]

    operations = [
        migrations.AddField(
            model_name="therapist",
            name="digest_time",
            field=models.TimeField(default=datetime.time(17, 0)),
        ),
    ]
