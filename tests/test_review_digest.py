"""The same-day digest of "concern" messages: one content-free email a day at each therapist's
time, in the practice's time zone, over a real SMTP relay, with the clock moved."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import threading
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings

from boundaries import clock
from boundaries.audit.models import AuditEntry
from boundaries.channels import registry
from boundaries.inbox.actions import do_ingest
from boundaries.inbox.digests import DIGEST_SUBJECT, send_due_digests
from boundaries.inbox.models import Digest, Review
from boundaries.practices.actions import do_add_client, do_add_therapist
from boundaries.practices.models import Practice, Therapist
from boundaries.records import scheduling
from tests.channels.conftest import add_rowan, alder_practice, run_worker
from tests.channels.smtp_helpers import Recorder, free_port, recorder
from tests.tenancy.conftest import email_arrival

CONCERN_TEXT = "I keep thinking about ending it all"
URGENT_TEXT = "I'm going to kill myself tonight"
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
DAY = dt.date(2026, 6, 10)


def at(day: dt.date, hour: int, minute: int = 0, zone: ZoneInfo = LONDON) -> dt.datetime:
    """Move the one clock to this local time; returns it."""
    when = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    clock.reset()
    clock.travel(when - clock.now())
    return clock.now()


@pytest.fixture
def relay() -> Iterator[Recorder]:
    """The outgoing mail server: a real SMTP peer on loopback that keeps what it is given."""
    with (
        recorder() as (port, peer),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            SITE_URL="https://therapy.example.org",
        ),
    ):
        yield peer
    clock.reset()


@pytest.fixture
def alder(transactional_db: Any) -> Practice:
    """Alder (London): Alice owns it (digest 17:00) and sees Rowan; Bob (digest 09:00) sees Sam."""
    practice, alice = alder_practice()
    add_rowan(practice, alice, channels=["email", "phone"], emails=["rowan@example.org"])
    bob = do_add_therapist(
        practice,
        username="bob",
        password="another long passphrase",
        display_name="Bob Member",
        email="bob@alder.example",
    )
    Therapist.objects.filter(pk=bob.pk).update(digest_time=dt.time(9, 0))
    do_add_client(
        practice, first_name="Sam", last_name="Birch", therapist=bob, emails=["sam@example.org"]
    )
    return practice


def mails_to(peer: Recorder, address: str) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(content, policy=email.policy.default)  # type: ignore[misc]
        for _, rcpt_tos, content in peer.messages
        if address in rcpt_tos
    ]


def body(message: Any) -> str:
    return str(message.get_content())


_numbers = iter(range(1, 10_000))


def concern(practice: Practice, sender: str = "rowan@example.org", text: str = CONCERN_TEXT) -> Any:
    ingested = do_ingest(practice, email_arrival(sender, text, next(_numbers)))
    assert ingested.message.risk == ("urgent" if text == URGENT_TEXT else "concern")
    return ingested.message


def test_it_sends_one_content_free_email_at_the_therapists_time_and_no_more_that_day(
    alder: Practice, relay: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_: Any) -> None:
        raise AssertionError("a digest is never a text or a page")

    monkeypatch.setitem(registry.NOTICE_SENDERS, "sms", never)
    monkeypatch.setitem(registry.ALERT_SENDERS, "sms", never)
    Therapist.objects.filter(user__username="alice").update(alert_phone="+442079460999")
    at(DAY, 15, 0)
    concern(alder)
    at(DAY, 16, 59)
    assert send_due_digests(clock.now()) == 0
    at(DAY, 17, 0)
    assert send_due_digests(clock.now()) == 1
    (digest,) = mails_to(relay, "alice@alder.example")
    assert digest["Subject"] == DIGEST_SUBJECT
    assert digest["Auto-Submitted"] == "auto-generated"
    assert body(digest).strip() == (
        "1 message is waiting for you to read today. Open Boundaries to see them: "
        "https://therapy.example.org/dashboard/#review-today"
    )
    # Later the same day: another concern, but one digest a day is the most.
    at(DAY, 17, 30)
    concern(alder)
    assert send_due_digests(clock.now()) == 0
    at(DAY, 23, 59)
    assert send_due_digests(clock.now()) == 0
    # The next day at the same time both unread messages are counted.
    at(DAY + dt.timedelta(days=1), 17, 5)
    assert send_due_digests(clock.now()) == 1
    latest = mails_to(relay, "alice@alder.example")[-1]
    assert body(latest).startswith("2 messages are waiting for you to read today.")
    everything = b"".join(content for _, _, content in relay.messages).lower()
    for private in (b"rowan", b"ashby", b"ending", b"note ", b"rowan@example.org"):
        assert private not in everything
    assert len(relay.messages) == 2


def test_without_anything_new_there_is_no_digest_the_next_day(
    alder: Practice, relay: Recorder
) -> None:
    at(DAY, 10)
    concern(alder)
    at(DAY, 17)
    assert send_due_digests(clock.now()) == 1
    at(DAY + dt.timedelta(days=1), 17)
    assert send_due_digests(clock.now()) == 0  # still unread, but already counted
    assert len(relay.messages) == 1


def test_read_concerns_and_other_levels_never_make_a_digest(
    alder: Practice, relay: Recorder
) -> None:
    at(DAY, 10)
    read = concern(alder)
    Review.objects.filter(message=read).update(reviewed_at=clock.now())
    do_ingest(alder, email_arrival("rowan@example.org", URGENT_TEXT, next(_numbers)))
    do_ingest(alder, email_arrival("rowan@example.org", "Running late, sorry", next(_numbers)))
    at(DAY, 18)
    assert send_due_digests(clock.now()) == 0
    assert mails_to(relay, "alice@alder.example") == []


def test_it_goes_to_the_clients_therapist_else_to_every_owner(
    alder: Practice, relay: Recorder
) -> None:
    olive = do_add_therapist(
        alder,
        username="olive",
        password="a fourth long passphrase",
        display_name="Olive Owner",
        email="olive@alder.example",
        role=Therapist.Role.OWNER,
    )
    Therapist.objects.filter(pk=olive.pk).update(alert_email="olive.alerts@alder.example")
    at(DAY, 8)
    concern(alder, sender="sam@example.org")  # Bob's client
    concern(alder, sender="stranger@example.net")  # nobody's client: the owners
    at(DAY, 9, 30)
    assert send_due_digests(clock.now()) == 1  # Bob's time; the owners' is 17:00
    assert len(mails_to(relay, "bob@alder.example")) == 1
    at(DAY, 17)
    assert send_due_digests(clock.now()) == 2
    for owner in ("alice@alder.example", "olive.alerts@alder.example"):
        (digest,) = mails_to(relay, owner)
        assert body(digest).startswith("1 message is waiting")
    assert mails_to(relay, "olive@alder.example") == []  # the alert address wins
    assert len(mails_to(relay, "bob@alder.example")) == 1


def test_the_digest_time_is_read_in_the_practices_time_zone(
    alder: Practice, relay: Recorder
) -> None:
    Practice.objects.filter(pk=alder.pk).update(timezone="America/New_York")
    at(DAY, 9, zone=NEW_YORK)
    concern(alder)
    at(DAY, 17, 30)  # London; 12:30 in New York
    assert send_due_digests(clock.now()) == 0
    at(DAY, 17, 0, zone=NEW_YORK)
    assert send_due_digests(clock.now()) == 1
    assert Digest.objects.get().day == DAY


def test_another_workers_claim_stands_this_one_down_until_it_is_stale(
    alder: Practice, relay: Recorder
) -> None:
    at(DAY, 12)
    concern(alder)
    now = at(DAY, 17)
    alice = Therapist.objects.get(user__username="alice")
    Digest.objects.create(practice=alder, therapist=alice, day=DAY, claimed_at=now)
    assert send_due_digests(clock.now()) == 0
    at(DAY, 17, 10)
    assert send_due_digests(clock.now()) == 0
    at(DAY, 17, 16)  # the other worker died before sending
    assert send_due_digests(clock.now()) == 1
    assert len(mails_to(relay, "alice@alder.example")) == 1
    assert Digest.objects.get().sent_at is not None


def test_two_workers_at_once_send_one_digest(alder: Practice, relay: Recorder) -> None:
    at(DAY, 12)
    concern(alder)
    now = at(DAY, 17)
    start = threading.Barrier(2)
    sent: list[int] = []

    def worker() -> None:
        try:
            start.wait(10)
            sent.append(send_due_digests(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(sent) == [0, 1]
    assert len(mails_to(relay, "alice@alder.example")) == 1


def test_a_digest_the_relay_refused_goes_out_on_the_next_run(
    alder: Practice, relay: Recorder
) -> None:
    at(DAY, 12)
    concern(alder)
    at(DAY, 17)
    with override_settings(EMAIL_PORT=free_port()):  # nothing listens there
        assert send_due_digests(clock.now()) == 0
    assert not Digest.objects.exists()
    at(DAY, 17, 5)
    assert send_due_digests(clock.now()) == 1
    assert len(mails_to(relay, "alice@alder.example")) == 1


def test_each_digest_sent_is_audited_without_content(alder: Practice, relay: Recorder) -> None:
    at(DAY, 12)
    concern(alder)
    concern(alder)
    at(DAY, 17)
    send_due_digests(clock.now())
    entry = AuditEntry.objects.get(action="digest.sent")
    alice = Therapist.objects.get(user__username="alice")
    assert entry.details == {"therapist": alice.pk, "messages": 2}
    assert entry.practice_id == alder.pk


def test_the_scheduler_enqueues_the_digest_and_a_worker_sends_it(
    alder: Practice, relay: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only this job: the others (backups, retention) are not what this test is about.
    digest_jobs = [job for job in scheduling.JOBS if job.name == "review-digest"]
    assert [job.every for job in digest_jobs] == [dt.timedelta(minutes=5)]
    monkeypatch.setattr(scheduling, "JOBS", digest_jobs)
    at(DAY, 12)
    concern(alder)
    at(DAY, 17, 1)
    run_worker()  # the concern's own actions
    assert scheduling.run_due(clock.now()) == ["review-digest"]
    assert scheduling.run_due(clock.now()) == []  # once per five-minute slot
    run_worker()
    assert len(mails_to(relay, "alice@alder.example")) == 1
