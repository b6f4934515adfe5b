"""Whether a review's risk sign was in the words (an expression) or the model's alone.

Null on the reviews stored before: what found them was not kept."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0010_message_inbox_planner_help"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="in_words",
            field=models.BooleanField(default=None, null=True),
        ),
    ]
