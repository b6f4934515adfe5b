"""Durability: SIGKILL the receiver at random moments; nothing acknowledged is lost or doubled.

A sender that behaves like a real MTA retries every message until it gets a
250. The receiver runs as a separate process on the test database and is
killed with SIGKILL (no chance to clean up) and restarted over and over.
Afterwards every message is stored exactly once and every crisis among them
raised exactly one alert.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import smtplib
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

import pytest
from django.db import connection

from boundaries.inbox.models import Alert, Message
from tests.channels.smtp_helpers import free_port, wait_for_port

MESSAGES = int(os.environ.get("BOUNDARIES_CRASH_TEST_MESSAGES", "10000"))
CRISIS_EVERY = 20


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


class Receiver:
    def __init__(self, port: int) -> None:
        self.port = port
        self.env = {**os.environ, "DATABASE_URL": database_url()}
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        # On a loaded machine a start can take longer than a minute: start again rather
        # than let the killer thread die and the senders retry forever.
        for attempt in range(3):
            self.process = subprocess.Popen(
                [sys.executable, "-m", "boundaries", "smtpd", "--port", str(self.port)],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_for_port(self.port, timeout=60)
            except TimeoutError:
                self.process.kill()
                self.process.wait()
                if attempt == 2:
                    raise
            else:
                return

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills += 1


def message(number: int) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "rowan@example.org"
    msg["To"] = "inbox@alder.example"
    msg["Subject"] = f"note {number}"
    msg["Message-ID"] = f"<crash-{number}@example.org>"
    if number % CRISIS_EVERY == 0:
        msg.set_content(f"I want to kill myself tonight, I have the pills here ({number})")
    else:
        msg.set_content(f"Running a bit late for our session, sorry ({number})")
    return msg


SENDERS = 4  # concurrent connections, like an MTA's delivery agents


def deliver_all(
    port: int, numbers: list[int], acknowledged: set[int], lock: threading.Lock
) -> None:
    """Send each message until it gets a 250, reconnecting after a kill or a 4xx."""
    client: smtplib.SMTP | None = None
    for number in numbers:
        data = message(number).as_bytes(policy=SMTP)
        while True:
            try:
                if client is None:
                    client = smtplib.SMTP("127.0.0.1", port, timeout=30)
                client.sendmail("rowan@example.org", ["inbox@alder.example"], data)
            except (smtplib.SMTPException, OSError):
                client = None
                time.sleep(0.05)
                continue
            with lock:
                acknowledged.add(number)
            break
    if client is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            client.quit()


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_it_keeps_every_acknowledged_message_exactly_once_across_sigkills(
    mail_practice: Any,
) -> None:
    port = free_port()
    receiver = Receiver(port)
    receiver.start()
    stop = threading.Event()

    def killer() -> None:
        # Kill at a random moment 1-4 s after each restart: mid-DATA, mid-commit or idle.
        rng = random.Random(99)
        while not stop.wait(rng.uniform(1.0, 4.0)):
            receiver.kill()
            receiver.start()

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    acknowledged: set[int] = set()
    lock = threading.Lock()
    senders = [
        threading.Thread(
            target=deliver_all, args=(port, list(range(i, MESSAGES, SENDERS)), acknowledged, lock)
        )
        for i in range(SENDERS)
    ]
    try:
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
    finally:
        stop.set()
        thread.join()
        receiver.kill()
    assert receiver.kills >= 3, "the receiver should have been killed several times"
    assert len(acknowledged) == MESSAGES
    stored = set(Message.objects.values_list("external_id", flat=True))
    assert Message.objects.count() == MESSAGES
    assert stored == {f"<crash-{n}@example.org>" for n in range(MESSAGES)}
    crises = MESSAGES // CRISIS_EVERY + (1 if MESSAGES % CRISIS_EVERY else 0)
    assert Message.objects.filter(crisis=True).count() == crises
    assert Alert.objects.count() == crises
