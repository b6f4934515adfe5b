"""The receiver cannot be starved: connection limits, RFC 5321 timeouts, a quiet log.

Everything runs on loopback. The small tests drive a receiver in this process
with tiny limits; the large one starts ``boundaries smtpd`` as systemd would
(a soft limit of 1,024 open files), holds 2,000 idle connections against it
from twenty loopback addresses, delivers 100 real messages meanwhile, then
resets a tenth of the idle connections; the receiver's log must stay small.
"""

from __future__ import annotations

import contextlib
import os
import resource
import smtplib
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email.policy import SMTP
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from boundaries.inbox.models import Message
from tests.channels.smtp_helpers import email, free_port, send, wait_for_port
from tests.channels.test_smtp_crash import database_url

IDLE_CONNECTIONS = 2000
IDLE_ADDRESSES = 20  # 100 connections from each: half of them over the per-address limit
DELIVERIES = 100
SENDERS = 4
#: What the test process needs open at once: the idle sockets, the senders, some spare.
FILES_NEEDED = IDLE_CONNECTIONS + 400


def greeting(port: int, source: str = "127.0.0.1") -> tuple[socket.socket, bytes]:
    """Connect from ``source`` and read the first line the receiver says."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    return sock, read_line(sock)


def read_line(sock: socket.socket) -> bytes:
    line = b""
    while not line.endswith(b"\r\n"):
        chunk = sock.recv(1)
        if not chunk:
            break
        line += chunk
    return line


def reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a peer that vanishes does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@contextlib.contextmanager
def limited_receiver(**limits: int) -> Iterator[int]:
    with override_settings(**limits):
        from boundaries.channels.email.smtpd import make_controller

        port = free_port()
        controller = make_controller("127.0.0.1", port)
        controller.start()
        time.sleep(0.3)  # aiosmtpd's start-up check connects once: let it leave
        try:
            yield port
        finally:
            controller.stop()


def greeted_within(port: int, source: str, seconds: float = 10.0) -> bytes:
    """The first greeting that is not a refusal, trying again while one connection closes."""
    deadline = time.monotonic() + seconds
    while True:
        sock, line = greeting(port, source)
        sock.close()
        if line.startswith(b"220 ") or time.monotonic() > deadline:
            return line
        time.sleep(0.05)


def test_it_answers_421_beyond_its_connection_limits_and_lets_in_after_one_leaves(
    mail_practice: Any,
) -> None:
    with limited_receiver(
        SMTPD_MAX_CONNECTIONS=5, SMTPD_MAX_CONNECTIONS_PER_ADDRESS=3, SMTPD_STRESS_TIMEOUT=60
    ) as port:
        held = [greeting(port, "127.0.0.2") for _ in range(3)]
        assert all(line.startswith(b"220 ") for _, line in held)
        sock, line = greeting(port, "127.0.0.2")
        assert line.startswith(b"421 4.7.0"), line  # a fourth from one address
        assert sock.recv(100) == b""  # and closed
        held += [greeting(port, "127.0.0.3") for _ in range(2)]
        assert all(line.startswith(b"220 ") for _, line in held)
        sock, line = greeting(port, "127.0.0.4")
        assert line.startswith(b"421 4.3.2"), line  # full, and nobody idle long enough
        held.pop()[0].close()
        assert greeted_within(port, "127.0.0.4").startswith(b"220 ")
        for sock, _ in held:
            sock.close()


def test_when_full_the_connection_silent_longest_makes_room(mail_practice: Any) -> None:
    with limited_receiver(SMTPD_MAX_CONNECTIONS=3, SMTPD_STRESS_TIMEOUT=1) as port:
        idle = [greeting(port, f"127.0.0.{n}")[0] for n in (2, 3, 4)]
        time.sleep(1.2)
        idle[1].sendall(b"NOOP\r\n")  # this one is not idle any more
        assert read_line(idle[1]).startswith(b"250")
        code, _ = send(port, email("can we move thursday"), sender="rowan@example.org",
                       to="inbox@alder.example")  # fmt: skip
        assert code == 250
        assert read_line(idle[0]).startswith(b"421 4.3.2")  # the one silent longest
        for sock in idle:
            sock.close()
    assert Message.objects.count() == 1


def test_it_closes_a_silent_connection_with_421_but_not_a_slow_one(mail_practice: Any) -> None:
    with limited_receiver(SMTPD_COMMAND_TIMEOUT=1, SMTPD_DATA_TIMEOUT=1) as port:
        silent, _ = greeting(port)
        # Slow but never silent for a whole second: commands and DATA in dribbles.
        slow, line = greeting(port)
        assert line.startswith(b"220 ")
        for command in (b"EHLO slow.example.net", b"MAIL FROM:<rowan@example.org>",
                        b"RCPT TO:<inbox@alder.example>", b"DATA"):  # fmt: skip
            time.sleep(0.6)
            slow.sendall(command + b"\r\n")
            while (reply := read_line(slow))[3:4] == b"-":
                pass
            assert reply[:1] in {b"2", b"3"}, reply
        raw = email("I'll be there at four").as_bytes(policy=SMTP)
        for chunk in [raw[i : i + 40] for i in range(0, len(raw), 40)][:4]:
            time.sleep(0.6)
            slow.sendall(chunk)
        slow.sendall(raw[160:] + b"\r\n.\r\n")
        assert read_line(slow).startswith(b"250 ")
        assert read_line(silent).startswith(b"421 4.4.2")
        assert silent.recv(100) == b""
        slow.close()
    assert Message.objects.count() == 1


def _open_files_for_this_test() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < FILES_NEEDED:
        if hard != resource.RLIM_INFINITY and hard < FILES_NEEDED:
            pytest.skip(
                f"holding {IDLE_CONNECTIONS} connections needs {FILES_NEEDED} open files; "
                f"this machine's hard limit (ulimit -Hn) is {hard}"
            )
        resource.setrlimit(resource.RLIMIT_NOFILE, (FILES_NEEDED, hard))


def _like_systemd() -> None:
    """In the receiver's process: systemd's default soft limit of 1,024 open files."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_2000_idle_connections_neither_starve_100_deliveries_nor_flood_the_log(
    mail_practice: Any, tmp_path: Path
) -> None:
    _open_files_for_this_test()
    port = free_port()
    log = tmp_path / "smtpd.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "text",
        "SMTPD_STRESS_TIMEOUT": "1",  # 10 s in production; the test waits less
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "boundaries", "smtpd", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=_like_systemd,  # noqa: PLW1509 - sets one limit, no threads yet
        )
    idle: list[socket.socket] = []
    try:
        wait_for_port(port, timeout=120)
        # A receiver that stops accepting must not make this loop outlast its own
        # 5-minute idle timeout, which would free it: give up opening after a minute.
        deadline = time.monotonic() + 60
        for number in range(IDLE_CONNECTIONS):
            if time.monotonic() > deadline:
                break
            source = f"127.0.1.{1 + number % IDLE_ADDRESSES}"
            with contextlib.suppress(OSError):
                idle.append(
                    socket.create_connection(
                        ("127.0.0.1", port), timeout=2, source_address=(source, 0)
                    )
                )
        time.sleep(1.5)  # every idle connection is now silent for longer than the stress timeout
        outcomes = _deliver(port)
        # Then a tenth of them vanish with a TCP reset, as peers do: nothing to log.
        for sock in idle[::10]:
            reset(sock)
        time.sleep(1)
    finally:
        for sock in idle:
            with contextlib.suppress(OSError):
                sock.close()
        process.terminate()
        process.wait(timeout=30)
    assert outcomes == [250] * DELIVERIES
    assert Message.objects.count() == DELIVERIES
    assert len(idle) == IDLE_CONNECTIONS  # every one connected (and was answered)
    text = log.read_text(errors="replace")
    lines = text.splitlines()
    assert "Traceback" not in text
    # One line per message stored, the start-up line, and a few summaries of refusals.
    assert len(lines) <= DELIVERIES + 20, lines[-20:]
    assert len(text) < 40_000
    assert any("connections refused" in line for line in lines)


def _deliver(port: int) -> list[int]:
    """Deliver ``DELIVERIES`` messages from 127.0.0.1, ``SENDERS`` at a time; their reply codes."""
    outcomes: list[int] = [0] * DELIVERIES
    failed = threading.Event()

    def sender(first: int) -> None:
        for number in range(first, DELIVERIES, SENDERS):
            if failed.is_set():
                return
            try:
                with smtplib.SMTP(
                    "127.0.0.1", port, timeout=15, source_address=("127.0.0.1", 0)
                ) as client:
                    client.sendmail(
                        "rowan@example.org",
                        ["inbox@alder.example"],
                        email(f"Running late for session {number}, sorry").as_bytes(policy=SMTP),
                    )
                outcomes[number] = 250
            except (smtplib.SMTPException, OSError) as error:
                outcomes[number] = getattr(error, "smtp_code", -1)
                failed.set()  # one is enough to fail the test: stop early

    threads = [threading.Thread(target=sender, args=(first,)) for first in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return outcomes
