"""Scale-out in small: two worker processes compete for one queue; every task runs exactly once.

The full-size version is ``bench/bench_scale.py``. Here 200 messages are
ingested through ``do_ingest`` while two ``boundaries worker`` processes poll
the same database queue (row locks with SKIP LOCKED on PostgreSQL, an
EXCLUSIVE transaction around each claim on SQLite). Afterwards every
``carry_out`` task ran once, by one worker; every action ran once; no message
got two replies and no reply slot was used twice; every crisis raised exactly
one alert, which was sent.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count

MESSAGES = 200
CLIENTS = 20
CRISIS_EVERY = 10
TEXTS = [
    "Hi, can we move Thursday to 4pm? Thanks",
    "Running ten minutes late, sorry!",
    "Is it ok if I leave you a review online?",
    "Could you send me the invoice for last month please?",
]
CRISIS = "I want to kill myself tonight, I have the pills here"
REPLY_ACTIONS = ("crisis_resources_reply", "redirect_reply", "secure_channel_reply")


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def start_worker() -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "boundaries", "worker", "--interval", "0.05"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
def busy_practice(transactional_db: Any) -> Any:
    from boundaries.demo import demo_policy_source
    from boundaries.inbox.models import InboundRoute
    from boundaries.portal.actions import do_publish_policy
    from boundaries.practices import actions
    from boundaries.practices.models import Therapist

    practice = actions.do_create_practice(name="Scale Test Practice", country="GB", slug="scale")
    therapist = actions.do_add_therapist(
        practice,
        username="owner",
        password="a long enough passphrase",
        display_name="Owner",
        email="owner@scale.example",
        role=Therapist.Role.OWNER,
    )
    do_publish_policy(practice, source=demo_policy_source(), summary="First")
    InboundRoute.objects.create(practice=practice, kind="email", address="inbox@scale.example")
    for n in range(CLIENTS):
        client = actions.do_add_client(
            practice,
            first_name=f"Client{n}",
            last_name="Scale",
            emails=[f"client{n}@example.org"],
            therapist=therapist,
        )
        actions.do_set_agreement(client, channels=["email", "phone"])
    return practice


def ingest(practice: Any, number: int) -> None:
    from django.utils import timezone

    from boundaries.core.types import Channel, InboundMessage
    from boundaries.inbox.actions import Arrival, do_ingest

    # A quarter from strangers (redirect replies), the rest from clients; senders repeat,
    # so most replies meet an already-used reply slot and must be skipped, not doubled.
    sender = (
        f"stranger{number % 7}@elsewhere.example"
        if number % 4 == 1
        else f"client{number % CLIENTS}@example.org"
    )
    text = CRISIS if number % CRISIS_EVERY == 0 else TEXTS[number % len(TEXTS)]
    text = f"{text} ({number})"
    result = do_ingest(
        practice,
        Arrival(
            message=InboundMessage(
                channel=Channel.EMAIL,
                sender=sender,
                subject=f"note {number}",
                text=text,
                received_at=timezone.now(),
            ),
            raw=f"From: {sender}\r\n\r\n{text}".encode(),
            external_id=f"<scale-{number}@example.org>",
            reply_address=sender,
        ),
    )
    assert result.created


def wait_until_carried_out(deadline: float) -> None:
    from boundaries.inbox.models import Message

    while Message.objects.filter(status=Message.Status.TRIAGED).exists():
        assert time.monotonic() < deadline, "the workers did not carry out every message in time"
        time.sleep(0.1)


def stop(workers: list[subprocess.Popen[bytes]]) -> list[str]:
    errors = []
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            _, stderr = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            _, stderr = worker.communicate()
        if b"Traceback" in (stderr or b""):
            errors.append(stderr.decode(errors="replace")[-2000:])
    return errors


@pytest.mark.timeout(180)
def test_two_workers_carry_out_every_task_exactly_once(busy_practice: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from boundaries.inbox.models import ActionRun, Alert, Message, ReplyLedger

    workers = [start_worker(), start_worker()]
    try:
        time.sleep(2)  # both are polling the empty queue before the first message arrives
        for number in range(MESSAGES):
            ingest(busy_practice, number)
        wait_until_carried_out(time.monotonic() + 120)
    finally:
        errors = stop(workers)
    assert errors == []

    messages = Message.objects.filter(practice=busy_practice)
    assert messages.count() == MESSAGES
    assert set(messages.values_list("status", flat=True)) == {Message.Status.DONE}

    tasks = list(DBTaskResult.objects.filter(task_path__endswith="carry_out"))
    assert len(tasks) == MESSAGES
    assert sorted(task.args_kwargs["args"][0] for task in tasks) == sorted(
        messages.values_list("pk", flat=True)
    )
    assert {task.status for task in tasks} == {"SUCCESSFUL"}
    assert all(len(task.worker_ids) == 1 for task in tasks), "a task was claimed twice"
    # The two processes really competed for the one queue.
    assert len({task.worker_ids[0] for task in tasks}) == 2

    runs = ActionRun.objects.filter(message__practice=busy_practice)
    assert not runs.filter(status=ActionRun.Status.PENDING).exists()
    assert set(runs.values_list("attempts", flat=True)) == {1}, "an action ran twice"

    sent = runs.filter(action__in=REPLY_ACTIONS, status="done", detail__startswith="sent")
    per_message = sent.values("message_id").order_by().annotate(n=Count("id"))
    assert all(row["n"] == 1 for row in per_message), "a message got two replies"
    # One reply per reply slot (sender, and crisis or not), however many messages came.
    assert sent.count() == ReplyLedger.objects.filter(practice=busy_practice).count()
    assert 0 < sent.count() < MESSAGES

    crises = messages.filter(crisis=True)
    assert crises.count() >= MESSAGES // CRISIS_EVERY
    assert Alert.objects.filter(message__in=crises).count() == crises.count()
    assert not Alert.objects.filter(message__in=crises, sent_at__isnull=True).exists()
