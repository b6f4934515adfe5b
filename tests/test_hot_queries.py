"""The look-ups every arriving message makes, written out in SQL, answer as the ORM did.

Triage asks who a sender is, their current agreement and their next
appointment for every batch of arriving messages; these are written-out
queries (``Model.objects.raw``), so here they are checked on this run's
database for the cases the ORM used to decide for them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from bench.bench_scale import PAGES, page_paths
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boundaries.core.types import Channel, InboundMessage
from boundaries.dashboard import client_views, views
from boundaries.dashboard.views import quarantined_messages
from boundaries.inbox.access import messages_for
from boundaries.inbox.actions import do_ingest
from boundaries.inbox.triage import find_clients
from boundaries.practices import actions
from boundaries.practices.models import Appointment, current_agreements, next_appointments
from tests.tenancy.conftest import email_arrival
from tests.web.signin import sign_in


def _from(sender: str, channel: Channel = Channel.EMAIL, platform: str = "") -> InboundMessage:
    return InboundMessage(
        channel=channel,
        sender=sender,
        text="hello",
        subject="",
        received_at=timezone.now(),
        platform=platform,
    )


def test_a_present_client_wins_over_a_past_or_prospective_one_with_the_same_address(
    practice: Any,
) -> None:
    # Recorded first, so the contact order alone would pick them.
    past = actions.do_add_client(
        practice, first_name="Pat", last_name="Past", status="past", emails=["shared@example.org"]
    )
    prospective = actions.do_add_client(
        practice,
        first_name="Pro",
        last_name="Spective",
        status="prospective",
        emails=["shared@example.org", "two@example.org"],
    )
    present = actions.do_add_client(
        practice, first_name="Pre", last_name="Sent", emails=["shared@example.org"]
    )
    actions.do_add_client(
        practice, first_name="Old", last_name="Only", status="past", emails=["two@example.org"]
    )
    found = find_clients(
        [
            (practice, _from("Shared@Example.org ")),
            (practice, _from("two@example.org")),
            (practice, _from("nobody@example.org")),
        ]
    )
    assert [client.pk if client else None for client in found] == [
        present.pk,
        prospective.pk,
        None,
    ]
    assert past.pk not in [client.pk for client in found if client]
    assert found[0] is not None and found[0].first_name == "Pre"  # a whole client, not a stub


def test_a_handle_matches_only_on_its_platform_and_only_in_its_practice(
    practice: Any, charlie: Any
) -> None:
    ours = actions.do_add_client(
        practice, first_name="Ida", last_name="Insta", handles={"instagram": "ida.b"}
    )
    theirs = actions.do_add_client(
        charlie.practice, first_name="Ida", last_name="Elsewhere", handles={"instagram": "ida.b"}
    )
    found = find_clients(
        [
            (practice, _from("@ida.b", Channel.SOCIAL_DM, "instagram")),
            (practice, _from("ida.b", Channel.SOCIAL_DM, "facebook")),
            (charlie.practice, _from("ida.b", Channel.SOCIAL_DM, "instagram")),
        ]
    )
    assert [client.pk if client else None for client in found] == [ours.pk, None, theirs.pk]


def test_the_current_agreement_is_the_newest_version_for_each_client(practice: Any) -> None:
    one = actions.do_add_client(practice, first_name="One", last_name="A")
    two = actions.do_add_client(practice, first_name="Two", last_name="B")
    actions.do_set_agreement(one, channels=["email", "phone"])
    newest = actions.do_set_agreement(one, channels=["phone"], reminder_detail="standard")
    only = actions.do_set_agreement(two, channels=["email"])
    three = actions.do_add_client(practice, first_name="Three", last_name="C")
    current = current_agreements([one.pk, two.pk, three.pk])
    assert current == {one.pk: newest, two.pk: only}
    assert current[one.pk].channels == ["phone"]
    assert current_agreements([]) == {}


def test_the_next_appointment_skips_past_and_cancelled_ones_across_time_zones(
    practice: Any,
) -> None:
    client = actions.do_add_client(practice, first_name="Tz", last_name="Client")
    other = actions.do_add_client(practice, first_name="No", last_name="Sessions")
    now = timezone.now()
    actions.do_add_appointment(client, starts_at=now - dt.timedelta(minutes=1), uid="gone")
    cancelled = actions.do_add_appointment(client, starts_at=now + dt.timedelta(minutes=5), uid="c")
    Appointment.objects.filter(pk=cancelled.pk).update(cancelled=True)
    # Given in New York time: stored as UTC, compared as the same instant.
    soon = (now + dt.timedelta(minutes=30)).astimezone(ZoneInfo("America/New_York"))
    nearest = actions.do_add_appointment(client, starts_at=soon, uid="soon")
    actions.do_add_appointment(client, starts_at=now + dt.timedelta(days=3), uid="later")
    assert next_appointments([client.pk, other.pk], now) == {client.pk: nearest}
    # From a moment after it started, the next one is three days on.
    later = next_appointments([client.pk], now + dt.timedelta(hours=1))
    assert later[client.pk].uid == "later"
    assert next_appointments([]) == {}


# ---------------------------------------------------------------------------- dashboard pages
# The pages the scale bench times (bench/bench_scale.py, PAGES): each runs the same
# number of queries however many clients and messages the practice has, and the
# inbox's lists read their indexes on PostgreSQL (docs/scaling.md).

ROUTINE = "Hi, can we move Thursday to 4pm? Thanks"
SESSION_CONTENT = (
    "I wanted to tell you how the week went. Work was hard and I argued with my sister again."
)
CONCERN = "I don't want to be here anymore. I've been thinking about ending it."
CRISIS = "I have pills saved up and I am going to take them all tonight. Goodbye."
#: Queries a page may run (sign-in checks included); a page over it lists rows one by one.
#: The client's page is the widest (agreement, next session, agenda, messages, contacts,
#: reminders): 19. That the count does not grow with rows is asserted separately.
MOST_QUERIES_A_PAGE = 20


def _fill(practice: Any, owner: Any, member: Any, clients: int, first: int) -> None:
    """Clients of both therapists, each with an agreement, an appointment and four messages."""
    for n in range(first, first + clients):
        email = f"client{n}@example.org"
        client = actions.do_add_client(
            practice,
            first_name=f"Client{n}",
            last_name="Scale",
            therapist=owner if n % 2 else member,
            emails=[email],
        )
        actions.do_set_agreement(client, channels=["email", "phone"])
        actions.do_add_appointment(
            client, starts_at=timezone.now() + dt.timedelta(days=n + 1), uid=f"s{n}"
        )
        for k, text in enumerate((ROUTINE, SESSION_CONTENT, CONCERN, CRISIS)):
            do_ingest(practice, email_arrival(email, text, n * 10 + k))
    do_ingest(practice, email_arrival(f"stranger{first}@example.org", ROUTINE, first * 10 + 9))


def _queries_per_page(user: Any) -> dict[str, int]:
    http = HttpClient()
    sign_in(http, user)
    counts = {}
    for name, path in page_paths(user):
        http.get(path)  # the first request of a session may set things up
        with CaptureQueriesContext(connection) as captured:
            response = http.get(path)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured)
    return counts


def test_every_dashboard_page_runs_as_many_queries_with_more_clients_and_messages(
    practice: Any, alice: Any, bob: Any
) -> None:
    _fill(practice, alice, bob, clients=2, first=0)
    few = {user.username: _queries_per_page(user) for user in (alice.user, bob.user)}
    _fill(practice, alice, bob, clients=6, first=2)
    many = {user.username: _queries_per_page(user) for user in (alice.user, bob.user)}
    assert many == few  # nothing is fetched a row at a time
    for pages in many.values():
        assert set(pages) == {name for name, _ in PAGES}
        assert max(pages.values()) <= MOST_QUERIES_A_PAGE, pages
        # A page view writes no session row: "last seen" moves in steps (accounts.security).
    http = HttpClient()
    sign_in(http, alice.user)
    http.get("/dashboard/")
    with CaptureQueriesContext(connection) as captured:
        http.get("/dashboard/")
    assert not [q for q in captured.captured_queries if "UPDATE" in q["sql"]]


def test_the_quarantine_list_is_the_messages_with_a_quarantine_action_run(
    practice: Any, alice: Any, bob: Any
) -> None:
    _fill(practice, alice, bob, clients=3, first=0)
    for user in (alice.user, bob.user):
        messages = messages_for(user)
        listed = list(quarantined_messages(messages).values_list("pk", flat=True))
        runs = messages.filter(action_runs__action="quarantine_to_vault")
        assert sorted(listed) == sorted(runs.values_list("pk", flat=True))
        assert listed  # the session-content emails
        assert listed == sorted(listed, reverse=True)  # newest first
    # Bob sees only his own clients' messages among them.
    bobs = quarantined_messages(messages_for(bob.user)).values_list("client__therapist", flat=True)
    assert set(bobs) == {bob.pk}


def test_on_postgresql_the_inbox_lists_read_their_indexes(
    practice: Any, alice: Any, bob: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the partial index and the planner statistics are PostgreSQL's")
    _fill(practice, alice, bob, clients=2, first=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_statistic_ext WHERE stxname = 'inbox_message_client_practice'"
        )
        assert cursor.fetchone()[0] == 1
        # Tiny tables are cheapest read whole; forbid that to see which index a query can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for user in (alice.user, bob.user):
            query = quarantined_messages(messages_for(user))[:20].query
            sql, params = query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "inbox_message_quarantined" in plan, plan
            assert "inbox_actionrun" not in plan


def test_the_client_register_pages_by_name_without_counting(
    practice: Any, alice: Any, bob: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_views, "CLIENTS_PAGE", 2)
    alices = [
        actions.do_add_client(practice, first_name="Pat", last_name=last, therapist=alice)
        for last in ("Young", "Adams", "Moss", "Baker", "Baker")
    ]
    actions.do_add_client(practice, first_name="Zed", last_name="Aaron", therapist=bob)
    http = HttpClient()
    sign_in(http, alice.user)
    seen: list[str] = []
    path = reverse("dashboard:clients")
    with CaptureQueriesContext(connection) as captured:
        while True:
            page = http.get(path).content.decode()
            seen += re.findall(r'<a [^>]*href="/dashboard/clients/\d+/">([^<]+)</a>', page)
            found = re.search(r'href="(/dashboard/clients/\?after=\d+)"', page)
            if not found:
                break
            path = found.group(1)
    assert seen == ["Zed Aaron", "Pat Adams", "Pat Baker", "Pat Baker", "Pat Moss", "Pat Young"]
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    # Bob, who sees only his own client, starts afresh after one of Alice's: the page
    # says nothing about a client he may not see.
    bobs = HttpClient()
    sign_in(bobs, bob.user)
    page = bobs.get(reverse("dashboard:clients") + f"?after={alices[0].pk}").content.decode()
    assert re.findall(r'<a [^>]*href="/dashboard/clients/\d+/">([^<]+)</a>', page) == ["Zed Aaron"]


def test_the_next_sessions_page_shows_a_bounded_list(
    practice: Any, alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "AGENDA_PAGE", 2)
    client = actions.do_add_client(practice, first_name="Ann", last_name="Open")
    for note in ("one", "two", "three"):
        actions.do_add_agenda_item(client, kind="other", source="therapist", note=note)
    http = HttpClient()
    sign_in(http, alice.user)
    page = http.get(reverse("dashboard:agenda")).content.decode()
    assert page.count("<strong>Other</strong> — ") == 2
    assert "Showing the first 2 items" in page
