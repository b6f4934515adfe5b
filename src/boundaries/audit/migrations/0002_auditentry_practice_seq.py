"""An index for paging one practice's entries by seq (the dashboard's audit log viewer)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_entries"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["practice", "seq"], name="audit_practice_seq"),
        ),
    ]
