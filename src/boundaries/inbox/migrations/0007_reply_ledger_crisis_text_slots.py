"""A crisis reply's loop-guard slot is keyed by the message's words too.

Loop protection is for automated senders; a person's new crisis message must
always get crisis resources, so only the same words again within the window
share a slot. Crisis rows written before this have an empty ``text_digest`` and
simply stop matching: at worst a sender gets one more crisis reply, never fewer.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0006_message_risk_reviews_alert_judgement"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="replyledger",
            name="unique_reply_ledger_slot",
        ),
        migrations.AddField(
            model_name="replyledger",
            name="text_digest",
            field=models.CharField(
                blank=True, default="", help_text="crisis slots: HMAC of the words", max_length=64
            ),
        ),
        migrations.AddConstraint(
            model_name="replyledger",
            constraint=models.UniqueConstraint(
                fields=("practice", "channel", "counterpart", "kind", "text_digest"),
                name="unique_reply_ledger_text_slot",
            ),
        ),
    ]
