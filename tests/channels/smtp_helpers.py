"""Real SMTP servers on loopback for tests: our receiver, and a peer that records mail."""

from __future__ import annotations

import smtplib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any


def free_port() -> int:
    # aiosmtpd's Controller(port=0) cannot work (it connects to check it started).
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on port {port}")


@contextmanager
def receiver() -> Iterator[int]:
    """Our SMTP receiver in this process, on a free loopback port."""
    from boundaries.channels.email.smtpd import make_controller

    port = free_port()
    controller = make_controller("127.0.0.1", port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


class Recorder:
    """An SMTP peer that keeps what it receives (the 'internet' our replies go to)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@contextmanager
def recorder() -> Iterator[tuple[int, Recorder]]:
    from aiosmtpd.controller import Controller

    port = free_port()
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


def send(port: int, raw: bytes | EmailMessage, *, sender: str, to: str) -> tuple[int, bytes]:
    """Send one message; returns the server's final reply code and text."""
    # On the wire, lines end in CRLF (RFC 5321); smtplib does not fix bare LFs in bytes.
    data = raw.as_bytes(policy=SMTP) if isinstance(raw, EmailMessage) else raw
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo()
        code, text = client.mail(sender)
        if code != 250:
            return code, text
        code, text = client.rcpt(to)
        if code not in {250, 251}:
            return code, text
        return client.data(data)


def email(
    text: str,
    *,
    sender: str = "rowan@example.org",
    to: str = "inbox@alder.example",
    subject: str = "Hello",
    message_id: str = "",
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or f"<{abs(hash((text, subject, sender)))}@example.org>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    return message
