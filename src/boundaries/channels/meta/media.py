"""Files a client sends by Messenger or Instagram DM, fetched from Meta into their vault.

Meta's messaging webhook names each attachment by a link to its CDN
(``message.attachments[].payload.url``: ``*.fbcdn.net``, ``*.fbsbx.com``,
``*.cdninstagram.com``). The link is signed and expires after a while, and
there is nothing to delete: so the file is fetched soon after the message is
stored and kept, encrypted, in the client's vault.

Only links to Meta's own hosts are fetched (``META_MEDIA_HOSTS``, over
``META_MEDIA_SCHEMES``), redirects included: a signed webhook still should not
make this server fetch an address of someone else's choosing. Nothing from our
side (no token, no cookie) goes with the request.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boundaries.channels.remote_files import MediaError, fetch

__all__ = [
    "MediaError",
    "MediaRef",
    "attachment_count",
    "fetch_media",
    "media_refs",
    "stored_event",
]

TIMEOUT_SECONDS = 20


@dataclass(frozen=True, slots=True)
class MediaRef:
    number: int  # 1-based, in the order the client sent them
    kind: str  # Meta's attachment type: image, video, audio, file, ...
    url: str


def allowed(url: str, *, hosts: Sequence[str], schemes: Sequence[str]) -> bool:
    """Whether ``url`` is on one of Meta's hosts (or a subdomain of one) over an allowed scheme."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme not in schemes or not host or parts.username or parts.password:
        return False
    return any(host == known or host.endswith("." + known) for known in hosts)


def stored_event(raw: bytes) -> dict[str, Any]:
    """The ``messaging`` event a stored direct message was made from (``parse._raw``), or an
    empty one when the bytes hold none."""
    try:
        stored = json.loads(raw)
    except ValueError:
        return {}
    event = stored.get("messaging") if isinstance(stored, dict) else None
    return event if isinstance(event, dict) else {}


def _attachment_items(event: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    message = event.get("message")
    items = message.get("attachments") if isinstance(message, Mapping) else None
    return [i for i in items if isinstance(i, Mapping) and i] if isinstance(items, list) else []


def attachment_count(event: Mapping[str, Any]) -> int:
    """How many attachments a stored messaging event named, fetchable or not."""
    return len(_attachment_items(event))


def media_refs(
    event: Mapping[str, Any], *, hosts: Sequence[str], schemes: Sequence[str]
) -> tuple[list[MediaRef], int]:
    """The attachments of one stored messaging event that we may fetch, and how many we may not.

    ``event`` is the ``messaging`` item as the webhook delivered it. A link that
    is missing, not a string or not on Meta's hosts counts as not fetchable.
    """
    refs: list[MediaRef] = []
    other = 0
    for number, item in enumerate(_attachment_items(event), start=1):
        payload = item.get("payload")
        url = payload.get("url") if isinstance(payload, Mapping) else None
        if isinstance(url, str) and allowed(url, hosts=hosts, schemes=schemes):
            refs.append(MediaRef(number=number, kind=str(item.get("type") or "file"), url=url))
        else:
            other += 1
    return refs, other


def fetch_media(
    ref: MediaRef, *, max_bytes: int, hosts: Sequence[str], schemes: Sequence[str]
) -> bytes:
    """The file's bytes, at most ``max_bytes``. Raises ``MediaError``."""

    def may_follow(url: str) -> str | None:
        if allowed(url, hosts=hosts, schemes=schemes):
            return None
        return "Meta redirected the link away from its own hosts"

    return fetch(
        ref.url,
        platform="Meta",
        max_bytes=max_bytes,
        timeout=TIMEOUT_SECONDS,
        may_follow=may_follow,
    )
