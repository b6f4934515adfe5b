"""An index for each practice's newest messages (docs/scaling.md, measured at 10M rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0003_message_over_daily_limit"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                fields=["practice", "received_at", "id"], name="inbox_message_recent"
            ),
        ),
    ]
