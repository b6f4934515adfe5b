"""Raw RFC 5322 bytes to an inbox ``Arrival``: shared by the SMTP receiver and the IMAP poller."""

from __future__ import annotations

from typing import Any

from boundaries import clock
from boundaries.channels.email.parse import parse_email
from boundaries.inbox.actions import Arrival, do_ingest


def ingest_raw_email(practice: Any, raw: bytes, *, envelope_sender: str = "") -> Any:
    """Parse and ingest one message for one practice; returns inbox ``Ingested``."""
    return do_ingest(practice, arrival_from_email(raw, envelope_sender=envelope_sender))


def arrival_from_email(raw: bytes, *, envelope_sender: str = "") -> Any:
    """The inbox ``Arrival`` for raw RFC 5322 bytes (the parser never raises)."""
    parsed = parse_email(raw, now=clock.now())
    sender = envelope_sender.strip().lower()
    return Arrival(
        message=parsed.message,
        raw=raw,
        external_id=parsed.message_id,
        reply_address=parsed.sender_address or sender,
        auto_generated=parsed.auto_generated or sender == "<>",
        extra={"references": list(parsed.references)},
    )
