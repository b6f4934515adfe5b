"""Alert latency: from the SMTP 250 of an urgent message to its alert at the outgoing mail server.

    .venv/bin/python bench/bench_alert.py [--urgent 30] [--backlog 5000] [--postgres]

Runs the product as in production, each part its own process on a fresh
database (SQLite in WAL mode by default, PostgreSQL at 127.0.0.1:5432 with
``--postgres``): the SMTP receiver (``boundaries smtpd``) and one worker
(``boundaries worker``, i.e. ``db_worker`` with its default polling interval).
The outgoing mail server is an aiosmtpd sink on loopback in this process, so
the clock that reads the 250 and the clock that sees the alert arrive are
the same (``time.perf_counter``).

Two measurements, each of ``--urgent`` urgent messages sent one at a time
(the next after the previous one's alert arrived, with a random pause of
0.2–1 s so the 250 falls anywhere in the worker's polling cycle):

- **idle**: nothing else queued;
- **behind a backlog**: the worker is stopped while ``--backlog`` ordinary
  messages are delivered (stored, triaged, their tasks queued), then started,
  and the urgent messages are sent while it works through them.

Prints p50, p99 and the maximum of each, how much of the backlog was still
queued when the last alert arrived, the machine and the command.
"""

from __future__ import annotations

import argparse
import os
import random
import smtplib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from bench.machine import command, describe  # noqa: E402
from tests.channels.smtp_helpers import free_port, wait_for_port  # noqa: E402

INBOX = "inbox@riverside-therapy.example"
THERAPIST = "sam@riverside-therapy.example"  # the demo practice's owner: alerts go to her
ORDINARY = [
    "Hi, can we move Thursday to 4pm? Thanks",
    "Running ten minutes late, sorry!",
    "I wanted to tell you how the week went. Work was hard and I argued with my sister again.",
    "Is it ok if I leave you a review online?",
    "Great offer on office supplies this week only",
    "Thank you, see you next week.",
]
URGENT = "I'm going to kill myself tonight."
SENDERS = [
    "amara.okafor@example.org",
    "ben.hughes@example.org",
    "chloe.martin@example.org",
    "someone@example.net",
]


class Sink:
    """The outgoing mail server: records when each alert to the therapist arrives."""

    def __init__(self) -> None:
        self.alerts: list[float] = []
        self.other = 0
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook
        now = time.perf_counter()
        with self.arrived:
            if THERAPIST in envelope.rcpt_tos and b"Subject: Urgent" in envelope.content:
                self.alerts.append(now)
            else:
                self.other += 1
            self.arrived.notify_all()
        return "250 OK"

    def wait_for_alert(self, count: int, timeout: float) -> float | None:
        """When the alert numbered ``count`` (from 1) arrived, or None after ``timeout``."""
        with self.arrived:
            if self.arrived.wait_for(lambda: len(self.alerts) >= count, timeout):
                return self.alerts[count - 1]
        return None


def django(env: dict[str, str], script: str) -> str:
    """Run a few lines with Django set up, in a process of their own; returns what they print."""
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def environment(workdir: Path, sink_port: int, *, postgres: bool) -> dict[str, str]:
    """The processes' settings, on a fresh database with the demo practice."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "boundaries.settings",
        "BOUNDARIES_DATA_DIR": str(workdir),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink_port),
    }
    if postgres:
        subprocess.run(
            [
                "dropdb",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "--if-exists",
                "boundaries_bench_alert",
            ],
            check=True,
        )
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "boundaries_bench_alert"], check=True
        )
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/boundaries_bench_alert"
    setup_database(env)
    return env


def setup_database(env: dict[str, str]) -> None:
    django(
        env,
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from boundaries.demo import load_demo\n"
        "load_demo()\n"
        "from boundaries.inbox.models import Message\n"
        "Message.objects.all().delete()\n",
    )


def queued(env: dict[str, str]) -> int:
    return int(
        django(
            env,
            "from django_tasks_db.models import DBTaskResult\n"
            "print(DBTaskResult.objects.filter(status='READY').count())\n",
        )
    )


def message(text: str, sender: str, message_id: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = INBOX
    msg["Subject"] = "bench"
    msg["Message-ID"] = message_id
    msg.set_content(text)
    return msg


def deliver_backlog(port: int, count: int, clients: int = 4) -> None:
    def client(index: int) -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
            for n in range(index, count, clients):
                text = f"{ORDINARY[n % len(ORDINARY)]} ({n})"
                smtp.send_message(message(text, SENDERS[n % 3], f"<backlog-{n}@example.org>"))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure(port: int, sink: Sink, count: int, label: str, rng: random.Random) -> list[float]:
    """Send ``count`` urgent messages one at a time; seconds from each 250 to its alert."""
    latencies = []
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        for n in range(-1, count):  # the first, unmeasured, waits out the worker's start
            before = len(sink.alerts)
            smtp.send_message(
                message(f"{URGENT} ({label} {n})", SENDERS[3], f"<urgent-{label}-{n}@example.org>")
            )
            accepted = time.perf_counter()  # send_message returns on the 250
            arrived = sink.wait_for_alert(before + 1, timeout=120)
            if arrived is None:
                raise SystemExit(f"no alert within 120 s for urgent message {label} {n}")
            if n >= 0:
                latencies.append(arrived - accepted)
            time.sleep(rng.uniform(0.2, 1.0))
    return latencies


def summary(latencies: list[float]) -> str:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return (
        f"p50 {statistics.median(latencies):.3f} s, p99 {cuts[98]:.3f} s, "
        f"max {max(latencies):.3f} s ({len(latencies)} alerts)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urgent", type=int, default=30)
    parser.add_argument("--backlog", type=int, default=5000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="bench-alert-"))
    sink = Sink()
    sink_port = free_port()
    relay = Controller(sink, hostname="127.0.0.1", port=sink_port)
    relay.start()
    env = environment(workdir, sink_port, postgres=args.postgres)
    port = free_port()
    log = (workdir / "processes.log").open("w")
    boundaries = [sys.executable, "-m", "boundaries"]
    receiver = subprocess.Popen(
        [*boundaries, "smtpd", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    worker: subprocess.Popen[bytes] | None = None

    def start_worker() -> subprocess.Popen[bytes]:
        started = subprocess.Popen([*boundaries, "worker"], env=env, stdout=log, stderr=log)
        time.sleep(3)  # Django set-up and the worker's random start-up delay (under 1 s)
        return started

    try:
        wait_for_port(port, timeout=60)
        worker = start_worker()
        idle = measure(port, sink, args.urgent, "idle", rng)
        worker.terminate()
        worker.wait(timeout=60)
        started = time.perf_counter()
        deliver_backlog(port, args.backlog)
        delivered_in = time.perf_counter() - started
        waiting = queued(env)
        worker = start_worker()
        behind = measure(port, sink, args.urgent, "backlog", rng)
        left = queued(env)
    finally:
        for process in (worker, receiver):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
        relay.stop()
        log.close()
    database = "PostgreSQL 127.0.0.1:5432" if args.postgres else "SQLite (WAL, synchronous=FULL)"
    print(f"machine:  {describe()}")
    print(f"command:  {command()}")
    print(f"database: {database}; one receiver, one worker (default polling interval)")
    print(f"idle:            {summary(idle)}")
    print(
        f"behind backlog:  {summary(behind)}; {waiting} tasks queued at the start "
        f"({args.backlog} messages delivered in {delivered_in:.1f} s), {left} still queued "
        "after the last alert"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
