"""Port 25 as deployed: the shipped Postfix configuration in front of the receiver.

A private Postfix (``tests/channels/postfix.py``) runs ``deploy/postfix/main.cf``
on loopback and relays to our receiver: a sender on the internet gets
STARTTLS, an unknown recipient is refused during the session (Postfix asks
the receiver), and a message it accepts is stored.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from email.policy import SMTP
from typing import Any

import pytest

from boundaries.inbox.models import Message
from tests.channels import postfix
from tests.channels.smtp_helpers import email, receiver

pytestmark = pytest.mark.skipif(
    not postfix.available(), reason="postfix is not installed (python3 dev.py test installs it)"
)


def test_mail_through_the_shipped_postfix_is_encrypted_checked_and_stored(
    mail_practice: Any,
) -> None:
    with (
        receiver() as smtp_port,
        postfix.postfix(relay_domains="alder.example", nexthop=f"[127.0.0.1]:{smtp_port}") as mta,
    ):
        with smtplib.SMTP("127.0.0.1", mta.port, timeout=60) as client:
            client.ehlo("mx.sender.example")
            assert client.has_extn("starttls")
            # Self-signed, as the container makes one when no certificate is given.
            client.starttls(context=ssl._create_unverified_context())  # noqa: S323 - a test
            client.ehlo("mx.sender.example")
            assert client.sock is not None
            assert client.sock.version() in {"TLSv1.2", "TLSv1.3"}  # type: ignore[attr-defined]
            assert client.mail("rowan@example.org")[0] == 250
            assert client.rcpt("nobody@alder.example")[0] == 550  # the receiver said so
            assert client.rcpt("inbox@alder.example")[0] == 250
            code, _ = client.data(email("Could we move Thursday to 4?").as_bytes(policy=SMTP))
            assert code == 250  # queued by Postfix
        deadline = time.monotonic() + 60
        while not Message.objects.exists():
            assert time.monotonic() < deadline, mta.log.read_text()[-3000:]
            time.sleep(0.2)
        log = mta.log.read_text()
    message = Message.objects.get()
    assert message.client is not None  # Rowan, found by her address
    assert "warning" not in log.lower(), log
