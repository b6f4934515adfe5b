"""When two arrivals are the same message, and when they only share an id.

A channel's own id (an email's Message-ID, Twilio's MessageSid, Meta's message
or comment id) is chosen by whoever sends, and nothing stops two different
messages from carrying the same one: mail programs that reuse a Message-ID,
a forged one, test fixtures. De-duplicating on the id alone once answered a
crisis message ``250`` and dropped it because an appointment request had come
with the same Message-ID.

So a repeat is the same message: the same channel id *and* the same
fingerprint, a SHA-256 of the sender, the subject and the body. For email the
body is the raw bytes after the header block, with line ends and trailing
blanks normalised, so an exact redelivery whose relays added their own
``Received`` lines is still a repeat. For the other channels it is the text.
The fingerprint holds no content in clear; the content itself stays sealed.

Byte-identical arrivals (``actions.content_hash``) are always repeats, whatever the id.
Pure functions: no Django, no I/O.
"""

from __future__ import annotations

import hashlib
import re

from boundaries.core.types import Channel

__all__ = ["fingerprint"]

# Lines that are a header field ("name:", RFC 5322 2.2), the continuation of one (folded,
# 2.2.3) or an mbox "From " line: the email package's own test (email.feedparser.headerRE).
# Matched from the start, so a 25 MB message is not split into lines to find its body.
_HEADER_BLOCK = re.compile(rb"(?:(?:From |[!-9;-~]*:|[ \t])[^\r\n]*(?:\r\n|\r|\n|\Z))*")
_LINE_END = re.compile(rb"\r\n|\r|\n")
_TRAILING_BLANKS = re.compile(rb"[ \t]+\n")
_VERSION = b"fingerprint-1"


def fingerprint(*, channel: str, sender: str, subject: str, text: str, raw: bytes) -> str:
    """SHA-256 of what makes a message itself: channel, sender, subject and body."""
    if channel == Channel.EMAIL.value:
        body = _email_body(raw)
    else:
        body = _normal(text.encode("utf-8", "surrogatepass"))
    digest = hashlib.sha256(_VERSION)
    for part in (
        channel.encode(),
        sender.strip().lower().encode("utf-8", "surrogatepass"),
        " ".join(subject.split()).encode("utf-8", "surrogatepass"),
        body,
    ):
        # Each part length-prefixed, so no two different tuples hash the same bytes.
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _email_body(raw: bytes) -> bytes:
    """The raw body: what follows the header block, as the email package reads it.

    Relays add trace headers (``Received``, ``Return-Path``, ``Delivered-To``) at the
    top, inside the header block, so they never reach the body. The block ends at
    the first blank line, or at the first line that is neither a header field nor
    its continuation (mail without the blank line is common enough; that line
    then starts the body).
    """
    start = _HEADER_BLOCK.match(raw).end()  # type: ignore[union-attr]  # matches even b""
    blank = _LINE_END.match(raw, start)
    return _normal(raw[blank.end() if blank else start :])


def _normal(data: bytes) -> bytes:
    """LF line ends, no blanks at line ends, no blank lines at the end.

    Plain ``bytes.replace`` first: these run over every message the receiver takes,
    and a regular expression over a 25 MB body costs most of a second.
    """
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if b" \n" in data or b"\t\n" in data:
        data = _TRAILING_BLANKS.sub(b"\n", data)
    return data.rstrip(b" \t\n")
