"""A Twilio inbound-message webhook's form fields to an ``InboundMessage``.

Twilio posts ``application/x-www-form-urlencoded`` fields: ``MessageSid``,
``From``, ``To``, ``Body``, ``NumMedia`` and ``MediaUrl{n}`` /
``MediaContentType{n}`` for MMS, and more we do not need. Pure: no Django.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from boundaries.core.contacts import ContactError, normalise_phone
from boundaries.core.types import Attachment, Channel, InboundMessage

__all__ = ["Keyword", "ParsedSms", "SmsFormatError", "keyword_of", "media_count", "parse_sms"]

MAX_TEXT_CHARS = 10_000  # Twilio concatenates at most 1,600 characters; leave room for MMS text
MAX_MEDIA = 10  # Twilio's limit per MMS
_MESSAGE_SID = re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$")


class SmsFormatError(ValueError):
    """The request is not an inbound message as Twilio sends it. Never repeats a value."""


class Keyword(enum.StrEnum):
    """Carrier keywords (CTIA; Twilio's defaults). The whole message must be the keyword."""

    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


_KEYWORDS: dict[str, Keyword] = {
    **dict.fromkeys(
        ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"),
        Keyword.OPT_OUT,
    ),
    **dict.fromkeys(("START", "YES", "UNSTOP"), Keyword.OPT_IN),
    **dict.fromkeys(("HELP", "INFO"), Keyword.HELP),
}


def keyword_of(text: str) -> Keyword | None:
    """The carrier keyword this message is, if it is one (case and surrounding space ignored)."""
    word = text.strip().rstrip(".!").strip().upper()
    return _KEYWORDS.get(word)


@dataclass(frozen=True, slots=True)
class ParsedSms:
    message: InboundMessage
    message_sid: str
    to: str  # the practice's number, E.164 when it can be read
    reply_address: str  # the sender in E.164; '' when a reply cannot go there (short code, name)
    keyword: Keyword | None


def _first(params: Mapping[str, Sequence[str]], name: str) -> str:
    values = params.get(name) or ()
    return values[0] if values else ""


def media_count(params: Mapping[str, Sequence[str]]) -> int:
    """How many media the webhook names (``NumMedia``), within Twilio's limit."""
    try:
        return min(max(int(_first(params, "NumMedia") or 0), 0), MAX_MEDIA)
    except ValueError:
        return 0


def _phone(raw: str, region: str) -> str:
    try:
        return normalise_phone(raw, region)
    except ContactError:
        return ""


def parse_sms(params: Mapping[str, Sequence[str]], *, region: str, now: datetime) -> ParsedSms:
    """Read one inbound message. ``region`` reads numbers Twilio did not send in E.164."""
    sid = _first(params, "MessageSid") or _first(params, "SmsMessageSid")
    if not _MESSAGE_SID.match(sid):
        raise SmsFormatError("MessageSid is missing or not a Twilio message id")
    raw_from = _first(params, "From").strip()
    if not raw_from:
        raise SmsFormatError("From is missing")
    to = _phone(_first(params, "To"), region) or _first(params, "To").strip()
    sender = _phone(raw_from, region)
    attachments = tuple(
        Attachment(
            filename=None,
            content_type=_first(params, f"MediaContentType{n}") or "application/octet-stream",
            size=0,  # still at Twilio; sms.tasks moves a client's pictures to the vault
        )
        for n in range(media_count(params))
    )
    text = _first(params, "Body")[:MAX_TEXT_CHARS]
    message = InboundMessage(
        channel=Channel.SMS,
        sender=sender or raw_from,
        text=text,
        received_at=now,
        attachments=attachments,
    )
    return ParsedSms(
        message=message,
        message_sid=sid,
        to=to,
        reply_address=sender,
        keyword=keyword_of(text),
    )
