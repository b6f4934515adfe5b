"""The SMTP receiver: 250 only after commit, exactly once, clear refusals, no mail loops."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator
from email.policy import SMTP as SMTP_POLICY
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings

from boundaries import clock
from boundaries.audit.models import AuditEntry
from boundaries.inbox.models import ActionRun, Alert, Message
from boundaries.inbox.sealing import unseal
from tests.channels.conftest import run_worker
from tests.channels.smtp_helpers import Recorder, email, receiver, recorder, send

CRISIS_TEXT = "I can't do this anymore. I have the pills ready and I want to end it tonight."
#: Session content the model does not read as a risk (score 0.011): a secure-channel reply.
SESSION_TEXT = (
    "Attached is the thought record from our last session about the argument with my manager "
    "at work."
)


def test_it_stores_an_accepted_message_encrypted_and_answers_250(mail_practice: Any) -> None:
    with receiver() as port:
        code, _ = send(
            port,
            email("Could we talk about Tuesday?"),
            sender="rowan@example.org",
            to="inbox@alder.example",
        )
    assert code == 250
    message = Message.objects.get()
    assert message.client is not None
    assert b"Tuesday" not in bytes(message.sealed)
    content = unseal(
        message.sealed, practice_id=message.practice_id, content_hash=message.content_hash
    )
    assert "Tuesday" in content.text


def test_it_stores_a_retried_message_only_once(mail_practice: Any) -> None:
    msg = email("Running ten minutes late, sorry", message_id="<retry-1@example.org>")
    with receiver() as port:
        assert send(port, msg, sender="rowan@example.org", to="inbox@alder.example")[0] == 250
        assert send(port, msg, sender="rowan@example.org", to="inbox@alder.example")[0] == 250
    assert Message.objects.count() == 1


def test_a_different_message_under_a_repeated_message_id_is_stored_and_alerted(
    mail_practice: Any,
) -> None:
    # Whoever sends chooses the Message-ID: a second message that reuses one must never
    # be taken for a repeat of the first, least of all when it is a crisis.
    with receiver() as port:
        first = email("can we move thursday", message_id="<x@p>")
        assert send(port, first, sender="rowan@example.org", to="inbox@alder.example")[0] == 250
        crisis = email(
            "I have decided to end my life tonight", sender="sam@example.net", message_id="<x@p>"
        )
        assert send(port, crisis, sender="sam@example.net", to="inbox@alder.example")[0] == 250
    stored = list(Message.objects.order_by("id"))
    assert [message.external_id for message in stored] == ["<x@p>", "<x@p>"]
    assert [message.crisis for message in stored] == [False, True]
    assert Alert.objects.get().message == stored[1]
    # The reuse is noted, without content: in the audit entry of the later message.
    entries = AuditEntry.objects.filter(action="message.triaged").order_by("id")
    assert [entry.details.get("id_reused", False) for entry in entries] == [False, True]


def test_the_same_sender_and_message_id_with_another_body_is_another_message(
    mail_practice: Any,
) -> None:
    with receiver() as port:
        for text in ("see you at 4", "see you at 5"):
            reply = send(
                port,
                email(text, message_id="<same@example.org>", subject="Thursday"),
                sender="rowan@example.org",
                to="inbox@alder.example",
            )
            assert reply[0] == 250
    assert Message.objects.count() == 2


@pytest.mark.parametrize("message_id", ["<redelivered@example.org>", ""])
def test_an_exact_redelivery_through_other_relays_is_stored_once(
    mail_practice: Any, message_id: str
) -> None:
    # A relay that retries adds its own trace headers: the message is still the same one,
    # with or without a Message-ID.
    message = email("Running ten minutes late, sorry")
    del message["Message-ID"]
    if message_id:
        message["Message-ID"] = message_id
    raw = message.as_bytes(policy=SMTP_POLICY)
    relayed = [
        raw,
        b"Received: from mx1.example.net by mx0.example.net; Sun, 6 Dec 2026 10:00:00 +0000\r\n"
        + raw,
        b"Received: from mx2.example.net by mx1.example.net; Sun, 6 Dec 2026 10:05:00 +0000\r\n"
        b"Return-Path: <rowan@example.org>\r\n" + raw,
    ]
    with receiver() as port:
        for copy in relayed:
            assert send(port, copy, sender="rowan@example.org", to="inbox@alder.example")[0] == 250
    assert Message.objects.count() == 1


def test_it_refuses_mail_for_a_mailbox_it_does_not_serve_with_550(mail_practice: Any) -> None:
    with receiver() as port:
        code, _ = send(port, email("hi"), sender="x@example.org", to="nobody@elsewhere.example")
    assert code == 550
    assert Message.objects.count() == 0


def test_envelope_addresses_are_judged_the_same_every_time_they_come(mail_practice: Any) -> None:
    # The receiver remembers addresses it has parsed; a bad one must stay bad on
    # every connection, and a good one good.
    import smtplib

    with receiver() as port:
        for _ in range(3):
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
                client.ehlo()
                assert client.docmd("MAIL", "FROM:<a@b@c>")[0] == 553
                assert client.docmd("MAIL", "FROM:<rowan@example.org>")[0] == 250
                assert client.docmd("RCPT", "TO:<<inbox@alder.example>>")[0] == 553
                assert client.docmd("RCPT", "TO:<inbox@alder.example>")[0] == 250
        for _ in range(2):
            assert (
                send(port, email("hi again"), sender="rowan@example.org", to="inbox@alder.example")[
                    0
                ]
                == 250
            )
    assert Message.objects.count() == 1  # the same message twice is stored once


def test_it_refuses_a_message_over_the_size_limit_with_a_5xx(mail_practice: Any) -> None:
    with override_settings(SMTPD_MAX_MESSAGE_BYTES=10_000), receiver() as port:
        code, _ = send(
            # Ordinary 70-character lines: the size, not the line length, is what is refused.
            port,
            email(("x" * 70 + "\n") * 700),
            sender="rowan@example.org",
            to="inbox@alder.example",
        )
    assert code == 552
    assert Message.objects.count() == 0


def test_it_raises_one_alert_for_a_crisis_with_no_content_in_it(mail_practice: Any) -> None:
    with receiver() as port:
        code, _ = send(
            port,
            email(CRISIS_TEXT, subject="tonight"),
            sender="rowan@example.org",
            to="inbox@alder.example",
        )
    assert code == 250
    message = Message.objects.get()
    assert message.crisis
    assert Alert.objects.filter(message=message).count() == 1
    run_worker()
    alerts = [m for m in mail.outbox if m.to == ["alice@alder.example"]]
    assert len(alerts) == 1
    assert alerts[0].subject == "Urgent: a message needs your attention now"
    assert "pills" not in alerts[0].body and "Rowan" not in alerts[0].body
    replies = [m for m in mail.outbox if m.to == ["rowan@example.org"]]
    assert len(replies) == 1
    assert "116 123" in replies[0].body  # Samaritans, for a client in the UK
    assert "pills" not in replies[0].body
    assert Alert.objects.get().sent_at is not None


def test_it_threads_replies_and_marks_them_as_automatic(mail_practice: Any) -> None:
    msg = email(
        "Here is my journal from this week. It's about my mum and the panic attacks.",
        message_id="<journal@example.org>",
    )
    with receiver() as port:
        send(port, msg, sender="rowan@example.org", to="inbox@alder.example")
    run_worker()
    (reply,) = [m for m in mail.outbox if m.to == ["rowan@example.org"]]
    assert reply.extra_headers["In-Reply-To"] == "<journal@example.org>"
    assert "<journal@example.org>" in reply.extra_headers["References"]
    assert reply.extra_headers["Auto-Submitted"] == "auto-replied"


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"List-Id": "<news.example.org>"},
    ],
)
def test_it_never_replies_to_automatic_or_list_mail(
    mail_practice: Any, headers: dict[str, str]
) -> None:
    msg = email("Can we move Thursday to 4pm?", headers=headers)
    with receiver() as port:
        send(port, msg, sender="rowan@example.org", to="inbox@alder.example")
    run_worker()
    assert not [m for m in mail.outbox if m.to == ["rowan@example.org"]]
    skipped = ActionRun.objects.filter(status=ActionRun.Status.SKIPPED)
    assert all("automatically" in run.detail or "RFC 3834" in run.detail for run in skipped)


def test_it_ends_a_loop_with_an_auto_responder_after_one_reply(mail_practice: Any) -> None:
    """An auto-responder that ignores RFC 3834 answers everything; we answer it once."""
    with receiver() as our_port, recorder() as (peer_port, peer):
        backend = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": peer_port,
        }
        with override_settings(**backend):
            send(
                our_port,
                email(
                    # Session content from an unknown address: it gets the secure-channel reply.
                    "I've been having panic attacks again and can't sleep, here is what "
                    "happened with my mum last week",
                    sender="robot@vendor.example",
                    message_id="<r0@vendor.example>",
                ),
                sender="robot@vendor.example",
                to="inbox@alder.example",
            )
            for round_number in range(1, 5):
                run_worker()
                replies_to_robot = [m for m in peer.messages if "robot@vendor.example" in m[1]]
                # The responder answers every message it gets, without Auto-Submitted.
                send(
                    our_port,
                    email(
                        f"Thanks for your message (auto answer {round_number})",
                        sender="robot@vendor.example",
                        message_id=f"<r{round_number}@vendor.example>",
                    ),
                    sender="robot@vendor.example",
                    to="inbox@alder.example",
                )
            run_worker()
    replies_to_robot = [m for m in peer.messages if "robot@vendor.example" in m[1]]
    assert len(replies_to_robot) == 1
    assert Message.objects.count() == 5


#: The crisis email the loop guard once held back (means at hand, intent, a time).
SECOND_CRISIS_TEXT = "I've got the pills and I'm going to take them all tonight"


@pytest.fixture
def relay() -> Iterator[Recorder]:
    """The outgoing mail server our replies and alerts are handed to: a real SMTP peer."""
    with recorder() as (port, peer):
        backend = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port,
        }
        with override_settings(**backend):
            yield peer
    clock.reset()


def _to(peer: Recorder, address: str) -> list[bytes]:
    return [content for _, rcpt_tos, content in peer.messages if address in rcpt_tos]


def test_a_recent_ordinary_reply_never_holds_back_a_crisis_reply(
    mail_practice: Any, relay: Recorder
) -> None:
    """The loop guard keeps one slot per sender for ordinary replies and one per crisis."""
    with receiver() as port:
        for n, text in enumerate([SESSION_TEXT, CRISIS_TEXT]):
            send(
                port,
                # A subject of its own: "Hello" alone tips this short note to "other" (no reply).
                email(text, subject="Thought record", message_id=f"<slot-{n}@example.org>"),
                sender="rowan@example.org",
                to="inbox@alder.example",
            )
            run_worker()
    replies = _to(relay, "rowan@example.org")
    assert len(replies) == 2
    assert b"secure" in replies[0] and b"has been alerted" not in replies[0]
    assert b"has been alerted" in replies[1] and b"116 123" in replies[1]


def test_a_new_crisis_gets_its_reply_after_earlier_routine_and_crisis_replies(
    mail_practice: Any, relay: Recorder
) -> None:
    """Loop protection is for automated senders: a person's crisis is always answered,
    whatever was sent to them before, over real SMTP in and out."""
    with receiver() as port:
        for n, text in enumerate([SESSION_TEXT, CRISIS_TEXT, SECOND_CRISIS_TEXT]):
            send(
                port,
                email(text, subject="tonight", message_id=f"<again-{n}@example.org>"),
                sender="rowan@example.org",
                to="inbox@alder.example",
            )
            run_worker()
            clock.travel(dt.timedelta(hours=3))  # well inside the 24-hour window
    replies = _to(relay, "rowan@example.org")
    assert len(replies) == 3
    assert [b"has been alerted" in reply for reply in replies] == [False, True, True]
    assert b"116 123" in replies[2] and b"pills" not in replies[2]
    assert len(_to(relay, "alice@alder.example")) == 2  # each crisis alerted the therapist
    latest = Message.objects.get(external_id="<again-2@example.org>")
    assert latest.action_runs.get(action="crisis_resources_reply").status == ActionRun.Status.DONE


def test_the_same_crisis_words_twice_in_the_window_get_one_reply_and_two_alerts(
    mail_practice: Any, relay: Recorder
) -> None:
    with receiver() as port:
        for n, text in enumerate([CRISIS_TEXT, "  " + CRISIS_TEXT.upper() + "\n"]):
            send(
                port,
                email(text, subject="tonight", message_id=f"<twice-{n}@example.org>"),
                sender="rowan@example.org",
                to="inbox@alder.example",
            )
            run_worker()
            clock.travel(dt.timedelta(hours=1))
    assert len(_to(relay, "rowan@example.org")) == 1
    assert len(_to(relay, "alice@alder.example")) == 2
    second = Message.objects.get(external_id="<twice-1@example.org>")
    run = second.action_runs.get(action="crisis_resources_reply")
    assert run.status == ActionRun.Status.SKIPPED
    assert "same crisis message" in run.detail
    # After the window the same words are answered again.
    clock.travel(dt.timedelta(hours=24))
    with receiver() as port:
        send(
            port,
            email(CRISIS_TEXT, subject="tonight", message_id="<twice-2@example.org>"),
            sender="rowan@example.org",
            to="inbox@alder.example",
        )
    run_worker()
    assert len(_to(relay, "rowan@example.org")) == 2


def test_an_automatic_mail_that_reads_as_a_crisis_gets_no_reply_but_still_alerts(
    mail_practice: Any, relay: Recorder
) -> None:
    with receiver() as port:
        send(
            port,
            email(CRISIS_TEXT, headers={"Auto-Submitted": "auto-replied"}),
            sender="rowan@example.org",
            to="inbox@alder.example",
        )
    run_worker()
    assert _to(relay, "rowan@example.org") == []
    assert len(_to(relay, "alice@alder.example")) == 1
    run = ActionRun.objects.get(action="crisis_resources_reply")
    assert run.status == ActionRun.Status.SKIPPED and "RFC 3834" in run.detail


def test_the_reply_ledger_holds_no_address_or_words(mail_practice: Any, relay: Recorder) -> None:
    from boundaries.inbox.models import ReplyLedger

    with receiver() as port:
        send(port, email(CRISIS_TEXT), sender="rowan@example.org", to="inbox@alder.example")
    run_worker()
    (row,) = ReplyLedger.objects.values()
    flat = " ".join(str(value) for value in row.values()).lower()
    assert "rowan" not in flat and "pills" not in flat and "tonight" not in flat
    assert len(row["text_digest"]) == 64


def test_two_workers_answering_one_sender_at_once_send_one_reply(mail_practice: Any) -> None:
    """The reply slot is claimed by inserting it: a second worker that found no row to lock
    waits for the first one's claim and stands down, on SQLite and on PostgreSQL."""
    import threading

    from django.db import connection as this_threads_connection
    from django.db import transaction
    from django.utils import timezone

    from boundaries.inbox.models import ReplyLedger
    from boundaries.inbox.tasks import Skip, reply_slot, send_reply

    with receiver() as port:
        send(port, email(CRISIS_TEXT), sender="rowan@example.org", to="inbox@alder.example")
    message = Message.objects.get()
    content = unseal(
        message.sealed, practice_id=message.practice_id, content_hash=message.content_hash
    )
    claimed, release = threading.Event(), threading.Event()
    outcome: list[str] = []

    def first_worker() -> None:  # mid-claim: its row inserted, not yet committed
        try:
            with transaction.atomic():
                ReplyLedger.objects.create(
                    **reply_slot(message, content), last_replied_at=timezone.now()
                )
                claimed.set()
                release.wait(30)
        finally:
            this_threads_connection.close()

    def second_worker() -> None:
        try:
            outcome.append(send_reply(message, content))
        except Skip as skip:
            outcome.append(f"skipped: {skip}")
        finally:
            this_threads_connection.close()

    first = threading.Thread(target=first_worker)
    first.start()
    assert claimed.wait(30)
    second = threading.Thread(target=second_worker)
    second.start()
    second.join(1.0)  # it waits for the first claim (a row lock or SQLite's write lock)
    release.set()
    first.join(30)
    second.join(30)
    assert outcome == [
        "skipped: the same crisis message was already answered with crisis resources recently"
    ]
    assert [m for m in mail.outbox if m.to == ["rowan@example.org"]] == []
    assert ReplyLedger.objects.count() == 1


def test_it_asks_the_sender_to_retry_when_the_database_is_locked(mail_practice: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the write lock is SQLite's; PostgreSQL takes row locks instead")
    with receiver() as port:
        blocker = sqlite3.connect(connection.settings_dict["NAME"], timeout=1)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with override_settings():
                connection.close()  # the receiver's thread opens its own connection
                code, _ = send(
                    port,
                    email("Are we still on for Friday?"),
                    sender="rowan@example.org",
                    to="inbox@alder.example",
                )
        finally:
            blocker.rollback()
            blocker.close()
        assert code == 451
        assert Message.objects.count() == 0
        code, _ = send(
            port,
            email("Are we still on for Friday?"),
            sender="rowan@example.org",
            to="inbox@alder.example",
        )
    assert code == 250
    assert Message.objects.count() == 1


def test_a_new_receiver_reads_the_database_file_a_restore_put_in_place(
    mail_practice: Any, tmp_path: Any
) -> None:
    """A restore swaps the SQLite file; a receiver started after it must read the new one."""
    if connection.vendor != "sqlite":
        pytest.skip("a restore swaps the SQLite file; PostgreSQL restores inside the server")
    from pathlib import Path

    from boundaries.backups.database import sqlite_replace
    from boundaries.inbox.models import InboundRoute

    with receiver() as port:  # its database connection opens on the old file
        assert (
            send(port, email("hi"), sender="rowan@example.org", to="inbox@alder.example")[0] == 250
        )
    live = Path(connection.settings_dict["NAME"])
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(live) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    connection.close()
    sqlite_replace(live, copy)
    InboundRoute.objects.create(
        practice=mail_practice, kind="email", address="second@alder.example"
    )
    with receiver() as port:
        code, _ = send(
            port, email("on the new file"), sender="rowan@example.org", to="second@alder.example"
        )
    assert code == 250
    assert Message.objects.count() == 2


def test_it_takes_mail_again_after_the_database_dropped_its_connection(
    mail_practice: Any,
) -> None:
    """A database restart kills the receiver's session; RCPT reconnects instead of 451 forever."""
    if connection.vendor != "postgresql":
        pytest.skip("ends the receiver's session from the server side, which SQLite has not")
    from boundaries.inbox.models import InboundRoute

    InboundRoute.objects.create(
        practice=mail_practice, kind="email", address="second@alder.example"
    )
    with receiver() as port:
        assert (
            send(port, email("hi"), sender="rowan@example.org", to="inbox@alder.example")[0] == 250
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1  # the receiver's own session
        # A recipient RCPT has not seen yet, so RCPT itself must ask the database.
        replies = [
            send(port, email(f"try {n}"), sender="rowan@example.org", to="second@alder.example")[0]
            for n in range(2)
        ]
    assert replies == [250, 250], replies


MALFORMED = [
    b"From rowan@example.org\nSubject no colon here\n\nbody without headers that parse\n",
    (
        b"From: rowan@example.org\nContent-Type: multipart/mixed; boundary=XX\n\n"
        b"--XX\nContent-Type: text/plain\n\nhello, the boundary never closes\n"
    ),
    b"From: rowan@example.org\nSubject: =?utf-8?B?not-base64!!?=\n\nbad encoded word\n",
    "From: rowan@example.org\nSubject: caf\xe9 \xff\xfe 8-bit\n\n8-bit\n".encode("latin-1"),
    (
        b"From: rowan@example.org\nContent-Type: message/rfc822\n\n"
        b"From: inner@example.org\nSubject: nested\n\ninner body\n"
    ),
    (
        b"From: rowan@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
        b"Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        b"!!!notbase64\n--b--\n"
    ),
    b"From: rowan@example.org\nContent-Type: text/plain; charset=x-no-such-charset\n\nhi\n",
]


@pytest.mark.parametrize("raw", MALFORMED, ids=range(len(MALFORMED)))
def test_it_stores_malformed_mail_instead_of_crashing(mail_practice: Any, raw: bytes) -> None:
    with receiver() as port:
        code, _ = send(port, raw, sender="rowan@example.org", to="inbox@alder.example")
    assert code == 250
    assert Message.objects.count() == 1


def test_its_logs_carry_no_envelope_address_or_content(
    mail_practice: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with receiver() as port:
        code, _ = send(
            port,
            email("Could we talk about Tuesday?"),
            sender="rowan@example.org",
            to="inbox@alder.example",
        )
    assert code == 250
    assert any("message stored" in record.getMessage() for record in caplog.records)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "rowan@example.org" not in logged
    assert "Tuesday" not in logged
