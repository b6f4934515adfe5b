"""Two aids for the inbox's queries on PostgreSQL, measured at 10 million messages.

* A partial index on each practice's messages whose decision moved session
  content to the secure store (``quarantine_to_vault`` among ``actions``). The
  inbox listed them by joining every action run of the practice (76 ms for an
  owner of 10,000 messages); through this index it reads the newest 20. A flag
  column would have needed every such row rewritten (about 3.4 million at 10M
  messages, over half an hour); this index is built from the JSON in place.
* Statistics telling the planner that a message's client decides its practice.
  Without them it multiplies a therapist's two conditions (``practice_id = …``
  and ``client_id IN (their clients)``) as if independent, expects a handful of
  rows instead of thousands, and sorts all of the therapist's messages instead
  of reading the newest from the practice's index (158 ms instead of under 1 ms).

Both are PostgreSQL's (SQLite cannot index JSON containment and has no such
statistics; one practice on SQLite does not need them). The index is built
with a plain CREATE INDEX, which holds off inserts into inbox_message while it
builds (about a minute at 10M rows): on a large live database, migrate in a
quiet hour. docs/scaling.md.
"""

from typing import Any

from django.db import migrations

FORWARD = [
    (
        "CREATE INDEX IF NOT EXISTS inbox_message_quarantined ON inbox_message "
        "(practice_id, received_at, id) WHERE actions @> '[\"quarantine_to_vault\"]'::jsonb"
    ),
    (
        "CREATE STATISTICS IF NOT EXISTS inbox_message_client_practice (dependencies) "
        "ON client_id, practice_id FROM inbox_message"
    ),
    "ANALYZE inbox_message",
]
BACKWARD = [
    "DROP STATISTICS IF EXISTS inbox_message_client_practice",
    "DROP INDEX IF EXISTS inbox_message_quarantined",
]


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0009_message_fingerprint"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
