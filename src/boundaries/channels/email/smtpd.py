"""The SMTP receiver: ``250`` only after the message is committed, never a crash.

Replies follow RFC 5321: 250 once the message is committed (so a sender that
got 250 can forget it), 4xx when we may succeed later (database busy or
locked, disk full), 5xx for what we will never accept (too large, no such
mailbox). Malformed content is accepted and stored as it is: the parser never
raises.

Commits are grouped: DATA does not commit on its own but joins a queue, and
one committer stores whatever queued up while the previous commit was on its
way to disk, in one transaction with one fsync (``do_ingest_many``). Each
sender still gets its 250 only after the commit that holds its message.

Django keeps one database connection per thread. Each receiver does its
database work on a thread of its own and closes that connection when it
stops, so a receiver started later (after a restore swapped the SQLite file,
say) never inherits a connection to a file that is gone.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import OperationalError, close_old_connections, connections

logger = logging.getLogger(__name__)
T = TypeVar("T")

OK = "250 2.0.0 Message accepted"
TOO_BIG = "552 5.3.4 Message too big for this system"
NO_MAILBOX = "550 5.1.1 No such mailbox here"
TRY_LATER = "451 4.3.0 Temporary failure, please try again later"
DISK_FULL = "452 4.3.1 Insufficient system storage, please try again later"

#: At most this many deliveries share one commit.
MAX_BATCH = 64
#: RCPT trusts a recipient found to be served for this long without asking the
#: database again. DATA always looks the route up afresh, so a route removed
#: meanwhile still ends in a 550, never in mail stored for the wrong practice.
ROUTE_MEMORY_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message as an SMTP transaction handed it over."""

    raw: bytes
    mail_from: str
    recipients: list[str]


def practices_by_recipient(recipients: Iterable[str]) -> dict[str, list[Any]]:
    """For each recipient (normalised), the practices its address or its @domain routes to."""
    from boundaries.inbox.models import InboundRoute

    keys = {_normal(recipient): _route_keys(recipient) for recipient in recipients}
    wanted = {key for both in keys.values() for key in both}
    routes = InboundRoute.objects.filter(kind=InboundRoute.Kind.EMAIL, address__in=wanted)
    by_address: dict[str, list[Any]] = {}
    for route in routes.select_related("practice"):
        by_address.setdefault(route.address, []).append(route.practice)
    return {
        recipient: [practice for key in both for practice in by_address.get(key, [])]
        for recipient, both in keys.items()
    }


def served_recipients(recipients: Iterable[str]) -> dict[str, list[Any]]:
    """``practices_by_recipient`` on a connection that is fresh and healthy.

    Like Django's request cycle, each lookup first drops a connection that is
    past ``CONN_MAX_AGE`` or broke (a database restart), so RCPT never keeps
    answering 451 on a dead connection.
    """
    close_old_connections()
    return practices_by_recipient(recipients)


def _normal(recipient: str) -> str:
    return recipient.strip().lower()


def _route_keys(recipient: str) -> tuple[str, str]:
    address = _normal(recipient)
    return address, "@" + address.rpartition("@")[2]


def ingest_emails(deliveries: list[Delivery]) -> list[int | Exception]:
    """Store several deliveries in one commit; for each, how many practices got it, or why not.

    A database or storage failure fails them all (nothing was committed, and
    every sender is asked to retry). Anything else is retried one delivery at a
    time, so one message that trips a bug cannot hold the others back.
    """
    close_old_connections()
    try:
        return list(_ingest_together(deliveries))
    except (OperationalError, OSError):
        raise
    except Exception:
        if len(deliveries) == 1:
            raise
        logger.exception("smtpd: a batch of %s failed; storing one at a time", len(deliveries))
    outcomes: list[int | Exception] = []
    for delivery in deliveries:
        try:
            outcomes.extend(_ingest_together([delivery]))
        except Exception as error:  # noqa: BLE001 - becomes that delivery's SMTP reply
            outcomes.append(error)
    return outcomes


def _ingest_together(deliveries: list[Delivery]) -> list[int]:
    from boundaries.channels.email.ingest import arrival_from_email
    from boundaries.inbox.actions import do_ingest_many

    practices = practices_by_recipient(
        {recipient for delivery in deliveries for recipient in delivery.recipients}
    )
    batch: list[tuple[Any, Any]] = []
    counts = []
    for delivery in deliveries:
        # An empty reverse-path (bounces) arrives as "" or "<>": never answer it.
        sender = delivery.mail_from.strip() or "<>"
        arrival = arrival_from_email(delivery.raw, envelope_sender=sender)
        targets = {
            practice.pk: practice
            for recipient in delivery.recipients
            for practice in practices.get(_normal(recipient), [])
        }
        batch.extend((practice, arrival) for practice in targets.values())
        counts.append(len(targets))
    do_ingest_many(batch)
    return counts


class Handler:
    """aiosmtpd handler. Hooks are named by aiosmtpd's protocol."""

    def __init__(self, max_batch: int = MAX_BATCH) -> None:
        self.max_batch = max_batch
        # Recipients recently found to be served, and until when that is trusted.
        self._served: dict[str, float] = {}
        self._queue: asyncio.Queue[tuple[Delivery, asyncio.Future[int]]] | None = None
        self._committer: asyncio.Task[None] | None = None
        self._database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtpd-db")

    async def _on_database_thread(self, function: Callable[[Any], T], argument: Any) -> T:
        return await sync_to_async(function, thread_sensitive=False, executor=self._database)(
            argument
        )

    def close(self) -> None:
        """Close this receiver's database connection and its thread; call after the server stops."""
        self._database.submit(connections.close_all).result()
        self._database.shutdown(wait=True)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        key = _normal(address)
        if self._served.get(key, 0.0) < time.monotonic():
            try:
                routes = await self._on_database_thread(served_recipients, [address])
            except OperationalError:
                return TRY_LATER
            if not routes[key]:
                return NO_MAILBOX
            self._served[key] = time.monotonic() + ROUTE_MEMORY_SECONDS
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Recipient OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if len(raw) > settings.SMTPD_MAX_MESSAGE_BYTES:
            return TOO_BIG
        try:
            stored = await self._commit(
                Delivery(raw, envelope.mail_from or "", list(envelope.rcpt_tos))
            )
        except OperationalError:
            logger.warning("smtpd: database unavailable; asked the sender to retry")
            return TRY_LATER
        except OSError as error:
            logger.warning("smtpd: storage error errno=%s; asked the sender to retry", error.errno)
            return DISK_FULL if error.errno in {errno.ENOSPC, errno.EDQUOT} else TRY_LATER
        except Exception:
            logger.exception("smtpd: unexpected error; asked the sender to retry")
            return TRY_LATER
        if stored == 0:
            return NO_MAILBOX
        return OK

    async def _commit(self, delivery: Delivery) -> int:
        """Queue the delivery for the next group commit and wait until it is on disk."""
        loop = asyncio.get_running_loop()
        if (
            self._committer is None
            or self._committer.done()
            or self._committer.get_loop() is not loop
        ):
            # First delivery on this event loop (a queue belongs to one loop).
            self._queue = asyncio.Queue()
            self._committer = loop.create_task(self._commit_forever(self._queue))
        assert self._queue is not None
        done: asyncio.Future[int] = loop.create_future()
        self._queue.put_nowait((delivery, done))
        return await done

    async def _commit_forever(
        self, queue: asyncio.Queue[tuple[Delivery, asyncio.Future[int]]]
    ) -> None:
        while True:
            waiting = [await queue.get()]
            while len(waiting) < self.max_batch and not queue.empty():
                waiting.append(queue.get_nowait())
            try:
                outcomes = await self._on_database_thread(
                    ingest_emails, [delivery for delivery, _ in waiting]
                )
            except Exception as error:  # noqa: BLE001 - every delivery waiting gets the answer
                outcomes = [error] * len(waiting)
            for (_, done), outcome in zip(waiting, outcomes, strict=True):
                if done.done():
                    continue  # the client has gone
                if isinstance(outcome, Exception):
                    done.set_exception(outcome)
                else:
                    done.set_result(outcome)


#: MAIL FROM and RCPT TO arguments already parsed, and what the SMTP library made of them.
_PARSED_ADDRESSES: dict[tuple[str, int], tuple[str | None, str | None]] = {}
_PARSED_ADDRESSES_MAX = 4096


def make_controller(host: str, port: int) -> Any:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class Session(SMTP):
        """aiosmtpd's session, remembering the addresses it has parsed.

        An MTA sends the same few envelope addresses over and over, and the
        library parses each with the email package's full RFC 5322 grammar
        (one twentieth of the receiver's time under load). Its own parse still
        decides every address; a repeat is answered from memory.
        """

        def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
            key = (arg, self.local_part_limit)
            parsed = _PARSED_ADDRESSES.get(key)
            if parsed is None:
                parsed = super()._getaddr(arg)
                if len(_PARSED_ADDRESSES) >= _PARSED_ADDRESSES_MAX:
                    _PARSED_ADDRESSES.clear()
                _PARSED_ADDRESSES[key] = parsed
            return parsed

    class ReceiverController(Controller):
        def factory(self) -> SMTP:
            return Session(self.handler, **self.SMTP_kwargs)

        def stop(self, no_assert: bool = False) -> None:
            super().stop(no_assert=no_assert)
            self.handler.close()

    return ReceiverController(
        Handler(),
        hostname=host,
        port=port,
        data_size_limit=settings.SMTPD_MAX_MESSAGE_BYTES,
        decode_data=False,
        enable_SMTPUTF8=True,
        server_hostname=settings.SMTPD_HOSTNAME,
    )
