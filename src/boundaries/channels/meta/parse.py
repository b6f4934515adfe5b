"""Meta webhook payloads (``object: page`` and ``object: instagram``) to inbound messages.

What becomes a message:

- ``entry[].messaging[]`` events with a ``message`` (Messenger and Instagram
  direct messages) → ``Channel.SOCIAL_DM``; echoes of our own messages are not.
- ``entry[].changes[]`` with ``field: feed`` and ``item: comment`` (or a
  visitor's post) on a Page, or ``field: comments`` / ``live_comments`` on
  Instagram → ``Channel.SOCIAL_COMMENT``.
- ``field: ratings`` (Page ratings and recommendations) → ``Channel.REVIEW``.

Everything else (reads, deliveries, reactions, edits, removals, mentions,
unknown fields) is returned as an ignored *kind*, such as
``page.messaging.read``, so the caller can log what it skipped without content.
Each event's raw bytes are that event alone, so one practice's stored message
never holds another practice's data from the same batch. Pure: no Django.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from boundaries.core.types import Attachment, Channel, InboundMessage

__all__ = ["MetaEvent", "MetaFormatError", "ParsedWebhook", "parse_webhook"]

MAX_TEXT_CHARS = 20_000
PLATFORMS = {"page": "facebook", "instagram": "instagram"}
_ATTACHMENT_TYPES = {
    "image": "image/*",
    "video": "video/*",
    "audio": "audio/*",
    "file": "application/octet-stream",
}
_VISITOR_POST_ITEMS = frozenset({"post", "status", "photo", "video"})
_OTHER_MESSAGING = ("read", "delivery", "reaction", "postback", "referral", "optin", "standby")
_EARLIEST = datetime(2004, 1, 1, tzinfo=UTC)


class MetaFormatError(ValueError):
    """The body is not a webhook payload at all (not JSON, not an object)."""


@dataclass(frozen=True, slots=True)
class MetaEvent:
    """One message for the practice that owns ``account_id`` (a Page id or an IG account id)."""

    account_id: str
    message: InboundMessage
    external_id: str
    reply_address: str  # the platform-scoped id a private reply may go to; '' for none
    recipient: dict[str, str]  # the Send API recipient for a private reply; {} for none
    raw: bytes


@dataclass(frozen=True, slots=True)
class ParsedWebhook:
    events: tuple[MetaEvent, ...] = ()
    ignored: tuple[str, ...] = field(default=())
    # The newest time stamped in the (signed) body: how the webhook tells a replay from a
    # retry. None when the body carries no time it can read.
    sent_at: datetime | None = None


def _obj(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _id(value: object) -> str:
    """Ids arrive as strings, and sometimes as numbers in older payloads."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, str | int):
        return str(value).strip()
    return ""


def _text(value: object) -> str:
    return value[:MAX_TEXT_CHARS] if isinstance(value, str) else ""


def _moment(value: object, *, now: datetime) -> datetime:
    """A platform timestamp, in seconds or milliseconds (Meta uses both), or ``now``.

    Milliseconds since 1970 pass 10**11 in 1973 and seconds will not until the
    year 5138, so the size tells which it is.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return now
    seconds = value / 1000 if abs(value) >= 10**11 else value
    try:
        moment = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return now
    if moment < _EARLIEST or moment > now + timedelta(days=1):
        return now
    return moment


def _stamp(value: object) -> datetime | None:
    """A time Meta stamped in the body, or None when there is none that can be read."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value / 1000 if value >= 10**11 else value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _raw(obj: str, account_id: str, part: str, event: dict[str, Any]) -> bytes:
    return json.dumps(
        {"object": obj, "entry_id": account_id, part: event},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def _messaging(
    obj: str, account_id: str, event: dict[str, Any], entry_time: object, now: datetime
) -> MetaEvent | str:
    message = _obj(event.get("message"))
    if not message:
        kind = next((k for k in _OTHER_MESSAGING if k in event), "other")
        return f"{obj}.messaging.{kind}"
    if message.get("is_echo"):
        return f"{obj}.messaging.echo"
    if message.get("is_deleted"):
        return f"{obj}.messaging.deleted"
    mid = _id(message.get("mid"))
    sender = _id(_obj(event.get("sender")).get("id"))
    if not mid or not sender:
        return f"{obj}.messaging.incomplete"
    if sender == account_id:
        return f"{obj}.messaging.own"
    attachments = tuple(
        Attachment(
            filename=None,
            content_type=_ATTACHMENT_TYPES.get(str(item.get("type")), "application/octet-stream"),
            size=0,  # not known yet: a task fetches the file into the client's vault (media)
        )
        for item in map(_obj, _list(message.get("attachments")))
        if item
    )
    text = _text(message.get("text"))
    if not text and not attachments:
        return f"{obj}.messaging.empty"
    moment = _moment(event.get("timestamp", entry_time), now=now)
    return MetaEvent(
        account_id=account_id,
        message=InboundMessage(
            channel=Channel.SOCIAL_DM,
            sender=sender,
            text=text,
            received_at=moment,
            platform=PLATFORMS[obj],
            attachments=attachments,
        ),
        external_id=mid,
        reply_address=sender,
        recipient={"id": sender},
        raw=_raw(obj, account_id, "messaging", event),
    )


def _public(
    obj: str,
    account_id: str,
    change: dict[str, Any],
    *,
    channel: Channel,
    external_id: str,
    sender: str,
    text: str,
    moment: datetime,
    recipient: dict[str, str],
) -> MetaEvent:
    return MetaEvent(
        account_id=account_id,
        message=InboundMessage(
            channel=channel, sender=sender, text=text, received_at=moment, platform=PLATFORMS[obj]
        ),
        external_id=external_id,
        reply_address=sender if recipient else "",
        recipient=recipient,
        raw=_raw(obj, account_id, "change", change),
    )


def _page_change(
    account_id: str, change: dict[str, Any], entry_time: object, now: datetime
) -> MetaEvent | str:
    name = str(change.get("field") or "other")
    value = _obj(change.get("value"))
    item = str(value.get("item") or "other")
    verb = str(value.get("verb") or "")
    if "created_time" in value:  # seconds in feed and ratings changes
        moment = _moment(value.get("created_time"), now=now)
    else:
        moment = _moment(entry_time, now=now)
    if name == "feed":
        if verb != "add":
            return f"page.feed.{item}.{verb or 'other'}"
        sender = _id(_obj(value.get("from")).get("id"))
        if not sender or sender == account_id:
            return f"page.feed.{item}.own"
        if item == "comment":
            comment_id = _id(value.get("comment_id"))
            if not comment_id:
                return "page.feed.comment.incomplete"
            return _public(
                "page", account_id, change,
                channel=Channel.SOCIAL_COMMENT, external_id=comment_id, sender=sender,
                text=_text(value.get("message")), moment=moment,
                recipient={"comment_id": comment_id},
            )  # fmt: skip
        if item in _VISITOR_POST_ITEMS:
            post_id = _id(value.get("post_id"))
            if not post_id:
                return f"page.feed.{item}.incomplete"
            return _public(
                "page", account_id, change,
                channel=Channel.SOCIAL_COMMENT, external_id=post_id, sender=sender,
                text=_text(value.get("message")), moment=moment,
                recipient={"post_id": post_id},
            )  # fmt: skip
        return f"page.feed.{item}"
    if name == "ratings":
        if verb not in {"add", "edit"}:
            return f"page.ratings.{item}.{verb or 'other'}"
        reviewer = _id(value.get("reviewer_id")) or _id(_obj(value.get("from")).get("id"))
        if item == "rating":
            story = _id(value.get("open_graph_story_id"))
            created = _id(value.get("created_time"))
            external_id = story or (f"rating:{reviewer}:{created}" if reviewer else "")
            text = _text(value.get("review_text"))
        else:  # someone commenting under a review: as public as the review itself
            external_id = _id(value.get("comment_id"))
            text = _text(value.get("comment_message") or value.get("message"))
        if not external_id:
            return f"page.ratings.{item}.incomplete"
        if verb == "edit":
            external_id = f"{external_id}:edit:{_id(value.get('created_time'))}"
        return _public(
            "page", account_id, change,
            channel=Channel.REVIEW, external_id=external_id, sender=reviewer, text=text,
            moment=moment, recipient={},
        )  # fmt: skip
    return f"page.changes.{name}"


def _instagram_change(
    account_id: str, change: dict[str, Any], entry_time: object, now: datetime
) -> MetaEvent | str:
    name = str(change.get("field") or "other")
    if name not in {"comments", "live_comments"}:
        return f"instagram.changes.{name}"
    value = _obj(change.get("value"))
    comment_id = _id(value.get("id"))
    sender = _id(_obj(value.get("from")).get("id"))
    if not comment_id or not sender:
        return f"instagram.{name}.incomplete"
    if sender == account_id:
        return f"instagram.{name}.own"
    return _public(
        "instagram", account_id, change,
        channel=Channel.SOCIAL_COMMENT, external_id=comment_id, sender=sender,
        text=_text(value.get("text")), moment=_moment(entry_time, now=now),
        recipient={"comment_id": comment_id},
    )  # fmt: skip


def parse_webhook(body: bytes, *, now: datetime) -> ParsedWebhook:
    """Read one webhook delivery. Raises ``MetaFormatError`` only when it is not JSON at all."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurd nesting
        raise MetaFormatError("the body is not JSON") from None
    if not isinstance(payload, dict):
        raise MetaFormatError("the body is not a JSON object")
    obj = payload.get("object")
    if obj not in PLATFORMS:
        return ParsedWebhook(ignored=(f"object.{obj if isinstance(obj, str) else 'other'}",))
    events: list[MetaEvent] = []
    ignored: list[str] = []
    stamps: list[datetime] = []
    for entry in map(_obj, _list(payload.get("entry"))):
        stamps.extend(
            stamp
            for stamp in (
                _stamp(entry.get("time")),
                *(_stamp(_obj(e).get("timestamp")) for e in _list(entry.get("messaging"))),
            )
            if stamp is not None
        )
        account_id = _id(entry.get("id"))
        if not account_id:
            ignored.append(f"{obj}.entry.incomplete")
            continue
        results: list[MetaEvent | str] = [
            _messaging(obj, account_id, event, entry.get("time"), now)
            for event in map(_obj, _list(entry.get("messaging")))
        ]
        for change in map(_obj, _list(entry.get("changes"))):
            if obj == "page":
                results.append(_page_change(account_id, change, entry.get("time"), now))
            else:
                results.append(_instagram_change(account_id, change, entry.get("time"), now))
        if not results:
            ignored.append(f"{obj}.entry.{'standby' if 'standby' in entry else 'empty'}")
        for result in results:
            if isinstance(result, MetaEvent):
                events.append(result)
            else:
                ignored.append(result)
    return ParsedWebhook(
        events=tuple(events), ignored=tuple(ignored), sent_at=max(stamps, default=None)
    )
