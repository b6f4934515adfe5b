"""The audit log in the browser: the practice's own entries, filtered and paged by keyset,
the chain verified from the page, and an export that is itself audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from boundaries import clock
from boundaries.audit.log import record
from boundaries.audit.models import AuditEntry
from boundaries.practices import actions
from boundaries.practices.models import Therapist
from boundaries.records.chain_checks import verify_chain_job
from boundaries.records.scheduling import JOBS
from tests.channels.conftest import run_worker
from tests.web.signin import reauthenticate, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def rowan(practice: Any, alice: Any) -> Any:
    return actions.do_add_client(
        practice, first_name="Rowan", last_name="Ashby", therapist=alice, emails=["r@example.org"]
    )


@pytest.fixture
def owner(alice: Any) -> HttpClient:
    http = HttpClient()
    sign_in(http, alice.user)
    return http


def entries_on_page(html: str) -> int:
    return html.count("<tr>") - 1  # the header row


def test_it_filters_by_client_actor_action_and_date(
    owner: HttpClient, practice: Any, alice: Any, rowan: Any, charlie: Any
) -> None:
    with transaction.atomic():
        record(action="client.viewed", obj=rowan, practice=practice, actor=alice.user)
        record(action="client.viewed", obj=rowan, practice=charlie.practice, actor=charlie.user)
    page = owner.get("/dashboard/audit/", {"client": rowan.pk}).content.decode()
    assert "client.viewed" in page and "Rowan Ashby" in page
    assert "client.add" in page  # the record of adding Rowan names the client too
    only_views = owner.get(
        "/dashboard/audit/", {"client": rowan.pk, "action": "client.viewed"}
    ).content.decode()
    assert "client.add" not in only_views
    by_alice = owner.get("/dashboard/audit/", {"actor": alice.user.pk}).content.decode()
    assert "charlie" not in by_alice
    tomorrow = (clock.now() + dt.timedelta(days=2)).date().isoformat()
    later = owner.get("/dashboard/audit/", {"date_from": tomorrow}).content.decode()
    assert "No entries match these filters" in later
    # Another practice's entries never show, whatever the filters.
    everything = owner.get("/dashboard/audit/").content.decode()
    assert "charlie" not in everything and "Elsewhere" not in everything


def test_it_pages_by_keyset_not_offset(owner: HttpClient, practice: Any) -> None:
    with transaction.atomic():
        for number in range(120):
            record(
                action="test.filler",
                practice=practice,
                object_type="test",
                object_id=str(number),
            )
    with CaptureQueriesContext(connection) as queries:
        first = owner.get("/dashboard/audit/", {"action": "test."}).content.decode()
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
    assert entries_on_page(first) == 50
    newest = AuditEntry.objects.filter(action="test.filler").order_by("-seq")
    cursor = newest[49].seq
    assert f"before={cursor}" in first
    second = owner.get("/dashboard/audit/", {"action": "test.", "before": cursor}).content.decode()
    assert entries_on_page(second) == 50
    assert f"test {newest[50].object_id}<" in second.replace("</td>", "<")
    third = owner.get(
        "/dashboard/audit/", {"action": "test.", "before": newest[99].seq}
    ).content.decode()
    assert entries_on_page(third) == 20 and "Older entries" not in third


def test_verify_queues_a_check_in_the_worker_then_shows_intact_then_tampered(
    owner: HttpClient, practice: Any, rowan: Any
) -> None:
    response = owner.post("/dashboard/audit/verify/")
    assert response.status_code == 302
    page = owner.get(response["Location"]).content.decode()
    assert "The check is queued." in page
    assert "The audit log is intact." not in page  # nothing was checked in the request
    # A second press while it waits queues nothing more.
    again = owner.get(owner.post("/dashboard/audit/verify/")["Location"]).content.decode()
    assert "A check is already queued." in again
    assert AuditEntry.objects.filter(action="audit.chain_verify_requested").count() == 1
    run_worker()
    page = owner.get("/dashboard/audit/").content.decode()
    assert "The audit log is intact." in page and "asked from this page" in page
    assert "queued" not in page
    verified = AuditEntry.objects.get(action="audit.chain_verified")
    assert verified.practice == practice and verified.details["ok"] is True
    # Someone with database access edits history behind the application's back.
    AuditEntry.objects.filter(action="client.add").update(actor_label="nobody")
    owner.post("/dashboard/audit/verify/")
    run_worker()
    page = owner.get("/dashboard/audit/").content.decode()
    assert "The audit log does not verify." in page
    assert "First bad entry" in page


def test_the_daily_check_is_shown_to_every_practice(
    owner: HttpClient, practice: Any, rowan: Any
) -> None:
    assert "audit-verify" in [job.name for job in JOBS]
    verify_chain_job.enqueue(None)
    run_worker()
    page = owner.get("/dashboard/audit/").content.decode()
    assert "The audit log is intact." in page and "the daily check" in page


def test_the_export_asks_for_a_fresh_sign_in_holds_the_filtered_rows_and_is_audited(
    owner: HttpClient, alice: Any, practice: Any, rowan: Any
) -> None:
    with transaction.atomic():
        record(
            action="client.viewed",
            obj=rowan,
            practice=practice,
            actor=alice.user,
            reason="=HYPERLINK(1)",
        )
    assert owner.get("/dashboard/audit/export.csv").status_code == 302  # re-authenticate
    reauthenticate(owner, alice.user)
    response = owner.get("/dashboard/audit/export.csv", {"action": "client.viewed"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["seq", "time", "actor", "action"]
    assert [row[3] for row in rows[1:]] == ["client.viewed"]
    assert rows[1][6] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    entry = AuditEntry.objects.get(action="audit.exported")
    assert entry.details == {"filters": {"action": "client.viewed"}}
    assert entry.actor == alice.user


def test_only_owners_see_the_log_and_another_practice_sees_only_its_own(
    practice: Any, rowan: Any, bob: Any, charlie: Any
) -> None:
    member = HttpClient()
    sign_in(member, bob.user)
    assert member.get("/dashboard/audit/").status_code == 404
    assert member.post("/dashboard/audit/verify/").status_code == 404
    assert member.get("/dashboard/audit/export.csv").status_code in {302, 404}
    # The owner of another practice sees their own log, and nothing of Alder's.
    dana = actions.do_add_therapist(
        charlie.practice,
        username="dana",
        password="dana's long passphrase",
        display_name="Dana Owner",
        role=Therapist.Role.OWNER,
    )
    outsider = HttpClient()
    sign_in(outsider, dana.user, "dana's long passphrase")
    page = outsider.get("/dashboard/audit/").content.decode()
    assert "therapist.add" in page or "practice.create" in page
    assert "Rowan" not in page and "alice" not in page
    assert outsider.get("/dashboard/audit/", {"client": rowan.pk}).status_code == 200
    filtered = outsider.get("/dashboard/audit/", {"client": rowan.pk}).content.decode()
    assert "Rowan" not in filtered  # not one of Dana's clients: the filter is refused
