"""The IMAP poller against a real Dovecot on loopback: idempotent, and quarantine after commit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from imapclient import IMAPClient

from boundaries.channels.email.imap import poll_account, seal_password
from boundaries.inbox.models import MailboxAccount, Message
from tests.channels import dovecot
from tests.channels.smtp_helpers import email

pytestmark = pytest.mark.skipif(
    not dovecot.available(), reason="dovecot is not installed (python3 dev.py test installs it)"
)

SESSION_CONTENT = (
    "I wanted to write down what came up after Tuesday. The nightmares about my dad are back "
    "and I keep thinking about what you said about grief coming in waves."
)


@pytest.fixture
def server() -> Iterator[dovecot.ImapServer]:
    with dovecot.dovecot() as running:
        yield running


def connect(server: dovecot.ImapServer) -> IMAPClient:
    client = IMAPClient(server.host, port=server.port, ssl=False)
    client.login(server.username, server.password)
    client.select_folder("INBOX")
    return client


@pytest.fixture
def account(mail_practice: Any, server: dovecot.ImapServer) -> Any:
    return MailboxAccount.objects.create(
        practice=mail_practice,
        host=server.host,
        port=server.port,
        use_ssl=False,
        username=server.username,
        sealed_password=seal_password(mail_practice.pk, server.username, server.password),
    )


def append(server: dovecot.ImapServer, text: str, message_id: str) -> None:
    client = connect(server)
    client.append("INBOX", email(text, message_id=message_id).as_bytes())
    client.logout()


def test_it_ingests_two_different_messages_that_share_a_message_id(
    server: Any, account: Any
) -> None:
    append(server, "Can we move Thursday to 4?", "<shared@example.org>")
    append(server, "I have decided to end my life tonight", "<shared@example.org>")
    assert poll_account(account).stored == 2
    assert [m.crisis for m in Message.objects.order_by("id")] == [False, True]


def test_it_ingests_new_mail_once_however_often_it_polls(server: Any, account: Any) -> None:
    append(server, "Can we move Thursday to 4?", "<m1@example.org>")
    append(server, "Running late, sorry", "<m2@example.org>")
    first = poll_account(account)
    again = poll_account(account)
    assert (first.fetched, first.stored) == (2, 2)
    assert (again.fetched, again.stored) == (0, 0)
    append(server, "See you next week", "<m3@example.org>")
    assert poll_account(account).stored == 1
    assert Message.objects.count() == 3


def test_it_rereads_safely_when_uidvalidity_changes(server: Any, account: Any) -> None:
    append(server, "Can we move Thursday to 4?", "<m1@example.org>")
    poll_account(account)
    account.uidvalidity = 1  # what we would see if the provider rebuilt the mailbox
    account.save()
    result = poll_account(account)
    assert result.fetched == 1
    assert result.stored == 0  # recognised by Message-ID: no second copy
    assert Message.objects.count() == 1


def test_it_moves_quarantined_session_content_out_of_the_mailbox_after_storing_it(
    server: Any, account: Any
) -> None:
    append(server, SESSION_CONTENT, "<journal@example.org>")
    append(server, "Is 4pm on Friday still ok?", "<ok@example.org>")
    result = poll_account(account)
    assert result.removed == 1
    stored = Message.objects.get(external_id="<journal@example.org>")
    assert "quarantine_to_vault" in stored.actions
    client = connect(server)
    remaining = client.fetch(client.search(["ALL"]), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    client.logout()
    ids = b" ".join(v[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"] for v in remaining.values())
    assert b"journal@example.org" not in ids
    assert b"ok@example.org" in ids
