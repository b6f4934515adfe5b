"""SMTP end to end: messages accepted (stored, encrypted, triaged, committed) per second.

    .venv/bin/python bench/bench_smtp.py [--messages 3000] [--senders 4] [--postgres]

Starts the real receiver (``boundaries smtpd``) as a subprocess on a fresh
database — SQLite in WAL mode with synchronous=FULL (a commit is on disk
before the 250), or PostgreSQL with ``--postgres`` (127.0.0.1:5432) — and
sends from several concurrent SMTP clients over loopback, each reusing its
connection as a real MTA does. Every 250 means the message was committed
with its triage decision.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import command, describe  # noqa: E402
from tests.channels.smtp_helpers import free_port, wait_for_port  # noqa: E402

TEXTS = [
    "Hi, can we move Thursday to 4pm? Thanks",
    "Running ten minutes late, sorry!",
    "I wanted to tell you how the week went. Work was hard and I argued with my sister again.",
    "Is it ok if I leave you a review online?",
    "I don't want to be here anymore. I've been thinking about ending it.",
    "Great offer on office supplies this week only",
]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    # After the command name: field 14 (utime) and 15 (stime) of proc(5), counted from 1.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def setup_database(env: dict[str, str]) -> None:
    script = (
        "import django, os; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from boundaries.demo import load_demo; load_demo();"
        "from boundaries.inbox.models import InboundRoute, Message; Message.objects.all().delete()"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-smtp-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "boundaries.settings",
        "BOUNDARIES_DATA_DIR": str(workdir),
    }
    if args.postgres:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "boundaries_bench"],
            check=True,
        )
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "boundaries_bench"], check=True
        )
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/boundaries_bench"
    setup_database(env)
    port = free_port()
    receiver = subprocess.Popen(
        [sys.executable, "-m", "boundaries", "smtpd", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=60)
        per_sender = args.messages // args.senders
        accepted = [0] * args.senders

        def sender(index: int) -> None:
            with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
                for n in range(per_sender):
                    msg = EmailMessage()
                    msg["From"] = "amara.okafor@example.org"
                    msg["To"] = "inbox@riverside-therapy.example"
                    msg["Subject"] = "bench"
                    msg["Message-ID"] = f"<bench-{index}-{n}@example.org>"
                    msg.set_content(f"{TEXTS[n % len(TEXTS)]} ({index}/{n})")
                    client.send_message(msg)
                    accepted[index] += 1

        receiver_cpu = cpu_seconds(receiver.pid)
        clients_cpu = time.process_time()
        started = time.perf_counter()
        threads = [threading.Thread(target=sender, args=(i,)) for i in range(args.senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        receiver_cpu = cpu_seconds(receiver.pid) - receiver_cpu
        clients_cpu = time.process_time() - clients_cpu
    finally:
        receiver.terminate()
        receiver.wait(timeout=30)
    total = sum(accepted)
    database = "PostgreSQL 127.0.0.1:5432" if args.postgres else "SQLite (WAL, synchronous=FULL)"
    print(f"machine:  {describe()}")
    print(f"command:  {command()}")
    print(f"database: {database}")
    print(
        f"accepted and triaged: {total} messages in {elapsed:.1f} s = "
        f"{total / elapsed:,.0f} messages/s ({args.senders} concurrent SMTP clients)"
    )
    if total and receiver_cpu:
        print(
            f"CPU:      receiver {receiver_cpu:.1f} s ({receiver_cpu / elapsed:.0%} of a core, "
            f"{receiver_cpu / total * 1000:.2f} ms per message), "
            f"clients {clients_cpu:.1f} s ({clients_cpu / elapsed:.0%} of a core)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
