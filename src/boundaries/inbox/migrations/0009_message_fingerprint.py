"""A message is a repeat only with the same channel id *and* the same fingerprint.

Until now a second message that reused a Message-ID (or MessageSid, or Meta id)
was taken for a repeat and dropped, and so was a portal message whose words had
been sent before. The fingerprint (inbox.identity) is a SHA-256 of sender,
subject and body; rows stored before it have none (NULL), which a unique index
never compares: the inbox reads theirs from their sealed content when a later
arrival shares their id, and finds those without an id by their raw bytes, as
before, through the content index narrowed to them. New indexes are in place
before the old ones go.
"""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0008_review_digests"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="fingerprint",
            field=models.CharField(
                blank=True,
                help_text="SHA-256 of sender, subject and body",
                max_length=64,
                null=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.UniqueConstraint(
                fields=("practice", "channel", "external_id", "fingerprint"),
                name="unique_message_external_id_fingerprint",
            ),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.UniqueConstraint(
                condition=Q(fingerprint__isnull=True),
                fields=("practice", "channel", "content_hash"),
                name="unique_message_content_before_fingerprints",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="message",
            name="unique_message_external_id",
        ),
        migrations.RemoveConstraint(
            model_name="message",
            name="unique_message_content",
        ),
    ]
