"""RFC 5322 bytes to an ``InboundMessage``, without ever raising on malformed input.

Mail from the real world breaks every rule: headers without colons, broken
MIME boundaries, undeclared 8-bit bytes, bad encoded-words, charsets Python
does not know, nested message/rfc822. The standard library's parser raises on
some of it (most often while decoding a header on access), so every step here
has a fallback and the result is always a message we can store and triage.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message

import nh3

from boundaries.core.types import Attachment, Channel, InboundMessage

__all__ = ["ParsedEmail", "email_attachments", "parse_email"]

MAX_TEXT_CHARS = 200_000  # triage and storage of the body text; the raw bytes are kept whole
_AUTOMATED_SENDERS = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|notifications?)[@+\-.]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ParsedEmail:
    message: InboundMessage
    message_id: str
    sender_address: str  # lower-case, '' when none could be read
    recipients: tuple[str, ...]  # To/Cc/Delivered-To addresses, lower-case
    references: tuple[str, ...]
    auto_generated: bool  # RFC 3834 / bulk / list / bounce: never auto-reply
    defects: int


def _header(msg: Message, name: str) -> str:
    """A header as text, decoding encoded-words, never raising."""
    try:
        raw = msg.get(name)
    except Exception:  # noqa: BLE001 - the parser raises many types on broken headers
        return ""
    if raw is None:
        return ""
    try:
        parts = email.header.decode_header(str(raw))
        text = "".join(
            chunk.decode(charset or "utf-8", errors="replace")
            if isinstance(chunk, bytes)
            else chunk
            for chunk, charset in parts
        )
    except Exception:  # noqa: BLE001 - HeaderParseError, binascii, LookupError...: keep raw text
        text = str(raw)
    return " ".join(text.split())[:2000]


def _addresses(msg: Message, *names: str) -> tuple[str, ...]:
    found: list[str] = []
    for name in names:
        try:
            values = msg.get_all(name) or []
            pairs = email.utils.getaddresses([str(v) for v in values])
        except Exception:  # noqa: BLE001, S112 - malformed address lists raise assorted errors
            continue
        found.extend(addr.strip().lower() for _, addr in pairs if "@" in addr)
    return tuple(dict.fromkeys(found))


def _decode_part(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - broken transfer encodings raise assorted errors
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = "utf-8"
    try:
        charset = part.get_content_charset() or "utf-8"
        return payload.decode(charset, errors="replace")
    except (LookupError, ValueError):
        return payload.decode("utf-8", errors="replace")


def _html_to_text(html: str) -> str:
    return " ".join(nh3.clean(html, tags=set()).split())


def _walk(msg: Message) -> tuple[str, list[Attachment]]:
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    for part, attachment in _leaf_parts(msg):
        if attachment is not None:
            attachments.append(attachment[0])
            continue
        text = _decode_part(part)
        (html if part.get_content_type() == "text/html" else plain).append(text)
    body = "\n".join(plain) if any(p.strip() for p in plain) else _html_to_text("\n".join(html))
    return body[:MAX_TEXT_CHARS], attachments


def _leaf_parts(msg: Message) -> Iterator[tuple[Message, tuple[Attachment, bytes] | None]]:
    """Each readable leaf part, with its attachment and decoded bytes when it is one."""
    try:
        parts = list(msg.walk())
    except Exception:  # noqa: BLE001 - deeply broken structures
        parts = [msg]
    for part in parts[:500]:
        try:
            ctype = part.get_content_type()
            disposition = (part.get("Content-Disposition") or "").lower()
            filename = part.get_filename()
        except Exception:  # noqa: BLE001, S112 - a broken part is skipped, the rest is kept
            continue
        if part.is_multipart() or ctype == "message/rfc822":
            continue
        if "attachment" in disposition or filename or not ctype.startswith("text/"):
            try:
                payload = part.get_payload(decode=True)
            except Exception:  # noqa: BLE001 - a part that cannot be decoded is kept as empty
                payload = None
            data = payload if isinstance(payload, bytes) else b""
            yield part, (Attachment(filename=filename, content_type=ctype, size=len(data)), data)
            continue
        yield part, None


def email_attachments(raw: bytes) -> list[tuple[Attachment, bytes]]:
    """The attachments of a stored email, in the order ``parse_email`` lists them."""
    return [attachment for _, attachment in _leaf_parts(_message(raw)) if attachment is not None]


def _message(raw: bytes) -> Message:
    try:
        return email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception:  # noqa: BLE001 - last resort: treat the whole thing as text
        msg = Message()
        msg.set_payload(raw.decode("utf-8", errors="replace"))
        return msg


def _received_at(msg: Message, fallback: datetime) -> datetime:
    try:
        parsed = email.utils.parsedate_to_datetime(_header(msg, "Date"))
    except (TypeError, ValueError, IndexError):
        return fallback
    if parsed.tzinfo is None:
        return fallback
    return parsed.astimezone(UTC)


def _auto_generated(msg: Message, sender: str) -> bool:
    auto_submitted = _header(msg, "Auto-Submitted").lower()
    precedence = _header(msg, "Precedence").lower()
    return (
        auto_submitted not in {"", "no"}
        or precedence in {"bulk", "list", "junk", "auto_reply"}
        or bool(_header(msg, "List-Id") or _header(msg, "List-Unsubscribe"))
        or bool(_header(msg, "X-Auto-Response-Suppress"))
        or not sender
        or bool(_AUTOMATED_SENDERS.match(sender))
        or _header(msg, "Return-Path").strip() == "<>"
    )


def parse_email(raw: bytes, *, now: datetime) -> ParsedEmail:
    """Parse whatever arrived. Never raises for any input bytes."""
    msg = _message(raw)
    senders = _addresses(msg, "From") or _addresses(msg, "Sender", "Return-Path")
    sender = senders[0] if senders else ""
    text, attachments = _walk(msg)
    message_id = _header(msg, "Message-ID").strip()[:998]
    references = tuple(_header(msg, "References").split()) + tuple(
        _header(msg, "In-Reply-To").split()
    )
    automated = _auto_generated(msg, sender)
    inbound = InboundMessage(
        channel=Channel.EMAIL,
        sender=sender,
        subject=_header(msg, "Subject")[:500],
        text=text,
        received_at=_received_at(msg, now),
        attachments=tuple(attachments),
        automated=automated,
    )
    return ParsedEmail(
        message=inbound,
        message_id=message_id,
        sender_address=sender,
        recipients=_addresses(msg, "Delivered-To", "X-Original-To", "To", "Cc"),
        references=references[:50],
        auto_generated=automated,
        defects=len(getattr(msg, "defects", []) or []),
    )
