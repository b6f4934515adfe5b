"""``boundaries imap``: mailboxes at the practice's mail provider, polled over IMAP."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer
from imapclient.exceptions import IMAPClientError

from boundaries.channels.email.imap import poll_account, seal_password
from boundaries.cli.inputs import PracticeOpt, get_practice, port_number, whole_seconds
from boundaries.cli.output import err, fail, out
from boundaries.inbox.models import MailboxAccount

__all__ = ["app"]

app = typer.Typer(help="Mailboxes at the practice's provider, polled over IMAP.")


@app.command("add")
def imap_add(
    host: Annotated[str, typer.Option()],
    username: Annotated[str, typer.Option()],
    port: Annotated[int, typer.Option(callback=port_number)] = 993,
    ssl: Annotated[bool, typer.Option("--ssl/--no-ssl")] = True,
    folder: Annotated[str, typer.Option()] = "INBOX",
    practice: PracticeOpt = None,
) -> None:
    """Add a mailbox; the password is read from standard input and stored encrypted."""
    password = sys.stdin.readline().rstrip("\n")
    if not password:
        fail("give the mailbox password on standard input")
    target = get_practice(practice)
    account = MailboxAccount.objects.create(
        practice=target,
        host=host,
        port=port,
        use_ssl=ssl,
        username=username,
        folder=folder,
        sealed_password=seal_password(target.pk, username, password),
    )
    out.print(f"Added mailbox {account.pk}. Poll it with `boundaries imap poll`.")


@app.command("poll")
def imap_poll(
    once: Annotated[bool, typer.Option(help="poll each mailbox once, then exit")] = False,
    interval: Annotated[
        int, typer.Option(help="seconds between polls", callback=whole_seconds)
    ] = 60,
) -> None:
    """Fetch new mail from every mailbox and triage it."""
    while True:
        for account in MailboxAccount.objects.select_related("practice"):
            try:
                result = poll_account(account)
            except (IMAPClientError, OSError) as error:
                err.print(f"mailbox {account.pk}: {type(error).__name__}: will retry")
                continue
            out.print(
                f"mailbox {account.pk}: {result.fetched} fetched, {result.stored} new, "
                f"{result.removed} moved into the vault"
            )
        if once:
            return
        time.sleep(interval)
