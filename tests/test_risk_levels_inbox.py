"""Risk levels in the inbox: stored with each message, a review row for a concern, an alert
for an urgent one, all in the commit that stores the message (docs/risk-levels.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from boundaries.audit.models import AuditEntry
from boundaries.inbox.actions import do_ingest, do_ingest_many
from boundaries.inbox.models import ActionRun, Alert, Message, Review
from tests.channels.conftest import add_rowan, alder_practice, run_worker
from tests.tenancy.conftest import email_arrival

URGENT_TEXT = "I'm going to kill myself tonight"
CONCERN_TEXT = "I keep thinking about ending it all"
ORDINARY_TEXT = "Could we move Thursday to 4pm?"


@pytest.fixture
def alder(transactional_db: Any) -> Any:
    """Alder practice (published policy), Alice its owner, and Rowan, her client, by email."""
    practice, alice = alder_practice()
    add_rowan(practice, alice, channels=["email", "phone"], emails=["rowan@example.org"])
    return practice


def test_a_concern_is_stored_with_its_level_and_a_review_and_no_alert(alder: Any) -> None:
    ingested = do_ingest(alder, email_arrival("rowan@example.org", CONCERN_TEXT, 1))
    message = Message.objects.get(pk=ingested.message.pk)
    assert message.risk == "concern"
    assert not message.crisis
    assert "review_today" in message.actions and "urgent_alert" not in message.actions
    review = Review.objects.get()
    assert review.message == message and review.practice == alder
    assert review.reviewed_at is None and review.reviewed_by is None
    assert not Alert.objects.exists()
    entry = AuditEntry.objects.get(action="message.triaged")
    assert entry.details["risk"] == "concern"


def test_an_urgent_message_is_stored_as_a_crisis_with_an_alert_and_no_review(alder: Any) -> None:
    ingested = do_ingest(alder, email_arrival("rowan@example.org", URGENT_TEXT, 1))
    message = Message.objects.get(pk=ingested.message.pk)
    assert (message.risk, message.crisis) == ("urgent", True)
    assert Alert.objects.get().message == message
    assert Alert.objects.get().judgement == ""
    assert not Review.objects.exists()


def test_an_ordinary_message_has_level_none_and_neither_row(alder: Any) -> None:
    do_ingest(alder, email_arrival("rowan@example.org", ORDINARY_TEXT, 1))
    assert Message.objects.get().risk == "none"
    assert not Alert.objects.exists() and not Review.objects.exists()


def test_the_worker_marks_review_today_done_as_on_the_review_list(alder: Any) -> None:
    do_ingest(alder, email_arrival("rowan@example.org", CONCERN_TEXT, 1))
    run_worker()
    run = ActionRun.objects.get(action="review_today")
    assert run.status == ActionRun.Status.DONE
    assert run.detail == "on today's review list"


def test_a_batch_writes_each_level_its_own_rows_in_one_commit(alder: Any) -> None:
    texts = [
        ORDINARY_TEXT,
        URGENT_TEXT,
        CONCERN_TEXT,
        "Running ten minutes late, sorry",
        CONCERN_TEXT,
    ]
    results = do_ingest_many(
        [(alder, email_arrival("rowan@example.org", text, n)) for n, text in enumerate(texts)]
    )
    messages = [Message.objects.get(pk=result.message.pk) for result in results]
    assert [m.risk for m in messages] == ["none", "urgent", "concern", "none", "concern"]
    assert [m.crisis for m in messages] == [False, True, False, False, False]
    assert set(Review.objects.values_list("message_id", flat=True)) == {
        messages[2].pk,
        messages[4].pk,
    }
    assert list(Alert.objects.values_list("message_id", flat=True)) == [messages[1].pk]


def _queries_to_ingest(practice: Any, texts: list[str], start: int) -> int:
    batch = [
        (practice, email_arrival("rowan@example.org", text, start + n))
        for n, text in enumerate(texts)
    ]
    with CaptureQueriesContext(connection) as captured:
        do_ingest_many(batch)
    return len(captured.captured_queries)


def test_reviews_and_alerts_cost_no_query_per_message(alder: Any) -> None:
    """The group commit stays a fixed number of statements however many concerns it holds."""
    mixed = [CONCERN_TEXT + f" ({n})" if n % 2 else URGENT_TEXT + f" ({n})" for n in range(4)]
    _queries_to_ingest(alder, ["warm-up"], 1000)  # caches: policy, statement shapes
    small = _queries_to_ingest(alder, mixed, 0)
    large = _queries_to_ingest(alder, [text + " again" for text in mixed * 4], 100)
    assert Review.objects.count() == 2 + 8
    assert Alert.objects.count() == 2 + 8
    assert large == small


def test_a_stored_message_cannot_be_a_crisis_without_being_urgent(alder: Any) -> None:
    from django.db import IntegrityError, transaction

    ingested = do_ingest(alder, email_arrival("rowan@example.org", CONCERN_TEXT, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.filter(pk=ingested.message.pk).update(crisis=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.filter(pk=ingested.message.pk).update(risk="urgent")


def test_the_migration_makes_stored_crises_urgent_and_can_be_reversed(alder: Any) -> None:
    do_ingest(alder, email_arrival("rowan@example.org", URGENT_TEXT, 1))
    do_ingest(alder, email_arrival("rowan@example.org", ORDINARY_TEXT, 2))
    before, after = (
        ("inbox", "0005_reply_ledger_kind"),
        ("inbox", "0006_message_risk_reviews_alert_judgement"),
    )
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([before])
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "inbox_message"
        )
    }
    assert "risk" not in columns
    executor = MigrationExecutor(connection)
    executor.migrate([after])
    apps = executor.loader.project_state([after]).apps
    old_message = apps.get_model("inbox", "Message")
    assert sorted(old_message.objects.values_list("crisis", "risk")) == [
        (False, "none"),
        (True, "urgent"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
