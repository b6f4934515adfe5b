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

Connections are rationed (``Doorman``): at most ``SMTPD_MAX_CONNECTIONS`` at
once and ``SMTPD_MAX_CONNECTIONS_PER_ADDRESS`` from one client address, each
closed with ``421`` after RFC 5321's timeouts of silence (5 minutes awaiting a
command, 3 between blocks of DATA). When every place is taken, the connection
silent longest (at least ``SMTPD_STRESS_TIMEOUT``) makes room for a newcomer,
so idle connections can never starve real deliveries. Refusals are logged as
counts at most once a minute, and a connection reset by its peer is not logged
at all: an attack must not turn into a flood of log lines.

Django keeps one database connection per thread. Each receiver does its
database work on a thread of its own and closes that connection when it
stops, so a receiver started later (after a restore swapped the SQLite file,
say) never inherits a connection to a file that is gone.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import resource
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import OperationalError, close_old_connections, connections

from boundaries.channels.email.ingest import arrival_from_email
from boundaries.inbox.actions import do_ingest_many
from boundaries.inbox.models import InboundRoute

logger = logging.getLogger(__name__)
T = TypeVar("T")

OK = "250 2.0.0 Message accepted"
TOO_BIG = "552 5.3.4 Message too big for this system"
NO_MAILBOX = "550 5.1.1 No such mailbox here"
TRY_LATER = "451 4.3.0 Temporary failure, please try again later"
DISK_FULL = "452 4.3.1 Insufficient system storage, please try again later"
FULL = "421 4.3.2 Too many connections, please try again later"
FULL_FOR_ADDRESS = "421 4.7.0 Too many connections from your address, please try again later"
MADE_ROOM = "421 4.3.2 Connection idle while the server is busy, closing"
TIMED_OUT = "421 4.4.2 Timeout exceeded, closing connection"

#: File descriptors kept free for the database, logs and the listening socket itself
#: when the connection limit is fitted under the process's open-files limit.
RESERVED_FILES = 256
#: Refusals are summed up in the log at most this often.
REPORT_EVERY_SECONDS = 60.0
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


class Guest(Protocol):
    """What the doorman needs of a connection."""

    in_data: bool
    last_heard: float

    def close_with(self, reply: str) -> None: ...


class Doorman:
    """Who may hold one of the receiver's connections.

    At most ``total`` at once and ``per_address`` from one client address. With
    every place taken, the connection silent longest gives its place to the
    newcomer (``421``) if it has been silent for ``stress_timeout`` seconds, as
    Postfix shortens its timeouts under stress; one in the middle of DATA never
    does. Everything runs on the receiver's event loop thread: no locks.
    """

    def __init__(
        self,
        *,
        total: int,
        per_address: int,
        stress_timeout: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.per_address = per_address
        self.stress_timeout = stress_timeout
        self._clock = clock
        # Least recently heard first; a connection moves to the end whenever it speaks.
        self._open: OrderedDict[Guest, str] = OrderedDict()
        self._by_address: Counter[str] = Counter()
        self._refused: Counter[str] = Counter()
        self._reported_at = float("-inf")

    def __len__(self) -> int:
        return len(self._open)

    def admit(self, guest: Guest, address: str) -> str | None:
        """Let ``guest`` in, or say the ``421`` it gets instead."""
        if self._by_address[address] >= self.per_address:
            return self._refuse("per address", FULL_FOR_ADDRESS)
        if len(self._open) >= self.total and not self._make_room():
            return self._refuse("full", FULL)
        self._open[guest] = address
        self._by_address[address] += 1
        return None

    def heard(self, guest: Guest) -> None:
        if guest in self._open:
            self._open.move_to_end(guest)

    def left(self, guest: Guest) -> None:
        address = self._open.pop(guest, None)
        if address is not None:
            self._by_address[address] -= 1
            if not self._by_address[address]:
                del self._by_address[address]

    def _make_room(self) -> bool:
        now = self._clock()
        for guest in self._open:
            if now - guest.last_heard < self.stress_timeout:
                return False  # everyone after it spoke more recently still
            if not guest.in_data:
                self.left(guest)
                guest.close_with(MADE_ROOM)
                self._refused["made room"] += 1
                return True
        return False

    def _refuse(self, why: str, reply: str) -> str:
        self._refused[why] += 1
        now = self._clock()
        if now - self._reported_at >= REPORT_EVERY_SECONDS:
            counts = " ".join(
                f"{k.replace(' ', '_')}={v}" for k, v in sorted(self._refused.items())
            )
            logger.warning("smtpd: connections refused (%s); open=%s", counts, len(self._open))
            self._refused.clear()
            self._reported_at = now
        return reply


class QuietLoopErrors:
    """The receiver's event loop exception handler: one line, never a traceback per peer.

    A peer that resets its connection is routine on the internet and says
    nothing about us: not logged. Running out of file descriptors makes asyncio
    report each failed ``accept()`` with a traceback, many times a second (1,100
    idle connections under a limit of 1,024 open files once wrote 45,000
    tracebacks, 20 MB, in ten seconds): here it is one warning a minute.
    Anything else goes to asyncio's own handler.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._reported_at = float("-inf")
        self._missed = 0

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if isinstance(error, ConnectionError | TimeoutError):
            return
        if isinstance(error, OSError) and error.errno in _OUT_OF_RESOURCES:
            self._missed += 1
            now = self._clock()
            if now - self._reported_at >= REPORT_EVERY_SECONDS:
                logger.warning(
                    "smtpd: out of file descriptors or memory (%s); could not accept %s "
                    "connection(s); raise LimitNOFILE or lower SMTPD_MAX_CONNECTIONS",
                    errno.errorcode.get(error.errno or 0, error.errno),
                    self._missed,
                )
                self._reported_at = now
                self._missed = 0
            return
        loop.default_exception_handler(context)


_OUT_OF_RESOURCES = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}


def raise_open_files_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit; return the new soft limit.

    Each connection takes a file descriptor, and systemd's default soft limit
    (1,024) is below the receiver's connection limit.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError):
            logger.warning("smtpd: could not raise the open-files limit above %s", soft)
            return soft
        return wanted
    return soft


def connection_limit(wanted: int) -> int:
    """``wanted``, or fewer if the open-files limit cannot hold that many connections."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or wanted <= soft - RESERVED_FILES:
        return wanted
    fitted = max(1, soft - RESERVED_FILES)
    logger.warning(
        "smtpd: open-files limit %s holds %s connections, not SMTPD_MAX_CONNECTIONS=%s",
        soft,
        fitted,
        wanted,
    )
    return fitted


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
    # aiosmtpd is imported here, where a receiver is made: the web and worker processes
    # import this module for its helpers and never need it.
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    doorman = Doorman(
        total=connection_limit(settings.SMTPD_MAX_CONNECTIONS),
        per_address=settings.SMTPD_MAX_CONNECTIONS_PER_ADDRESS,
        stress_timeout=settings.SMTPD_STRESS_TIMEOUT,
    )
    data_timeout = float(settings.SMTPD_DATA_TIMEOUT)

    class Session(SMTP):
        """aiosmtpd's session, admitted by the doorman and timed out by silence.

        It also remembers the addresses it has parsed. An MTA sends the same
        few envelope addresses over and over, and the library parses each with
        the email package's full RFC 5322 grammar (one twentieth of the
        receiver's time under load). Its own parse still decides every
        address; a repeat is answered from memory.
        """

        in_data = False
        last_heard = 0.0
        _admitted = False
        _committing = False  # the sender waits for our answer: not silence on its part

        def connection_made(self, transport: Any) -> None:
            peer = transport.get_extra_info("peername")
            refusal = doorman.admit(self, str(peer[0]) if peer else "")
            if refusal is not None:
                transport.write(refusal.encode() + b"\r\n")
                transport.close()
                return
            self._admitted = True
            self.last_heard = time.monotonic()
            super().connection_made(transport)

        def connection_lost(self, error: Exception | None) -> None:
            if not self._admitted:
                return  # refused at the door: aiosmtpd never started on it
            doorman.left(self)
            super().connection_lost(error)

        def data_received(self, data: bytes) -> None:
            self.last_heard = time.monotonic()
            doorman.heard(self)
            super().data_received(data)

        async def smtp_DATA(self, arg: str) -> None:  # noqa: N802 - aiosmtpd's name
            self.in_data = True
            try:
                await super().smtp_DATA(arg)
            finally:
                self.in_data = False

        async def _call_handler_hook(self, command: str, *args: Any) -> Any:
            if command != "DATA":
                return await super()._call_handler_hook(command, *args)
            self._committing = True
            try:
                return await super()._call_handler_hook(command, *args)
            finally:
                self._committing = False
                self.last_heard = time.monotonic()

        def _timeout_cb(self) -> None:
            # aiosmtpd's timer counts from the last command; RFC 5321 4.5.3.2 counts
            # silence, and gives DATA its own limit between blocks.
            limit = data_timeout if self.in_data else float(self._timeout_duration)
            silent = time.monotonic() - self.last_heard
            if silent < limit or self._committing:
                self._reset_timeout(max(limit - silent, 0.1))
                return
            self.close_with(TIMED_OUT)

        def close_with(self, reply: str) -> None:
            transport = self.transport
            if isinstance(transport, asyncio.WriteTransport) and not transport.is_closing():
                transport.write(reply.encode() + b"\r\n")
                transport.close()

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
        #: Who holds the receiver's connections (read by tests and ``boundaries smtpd``).
        doorman: Doorman

        def factory(self) -> SMTP:
            return Session(self.handler, **self.SMTP_kwargs)

        def stop(self, no_assert: bool = False) -> None:
            super().stop(no_assert=no_assert)
            self.handler.close()

    loop = asyncio.new_event_loop()
    loop.set_exception_handler(QuietLoopErrors())
    controller = ReceiverController(
        Handler(),
        loop=loop,
        hostname=host,
        port=port,
        data_size_limit=settings.SMTPD_MAX_MESSAGE_BYTES,
        decode_data=False,
        enable_SMTPUTF8=True,
        server_hostname=settings.SMTPD_HOSTNAME,
        timeout=float(settings.SMTPD_COMMAND_TIMEOUT),
    )
    controller.doorman = doorman
    return controller
