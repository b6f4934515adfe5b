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

import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boundaries.channels.remote_files import MediaError, opener, read_limited, refused

__all__ = ["MediaError", "MediaRef", "fetch_media", "media_refs"]

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 3
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


def media_refs(
    event: Mapping[str, Any], *, hosts: Sequence[str], schemes: Sequence[str]
) -> tuple[list[MediaRef], int]:
    """The attachments of one stored messaging event that we may fetch, and how many we may not.

    ``event`` is the ``messaging`` item as the webhook delivered it. A link that
    is missing, not a string or not on Meta's hosts counts as not fetchable.
    """
    message = event.get("message")
    items = message.get("attachments") if isinstance(message, Mapping) else None
    if not isinstance(items, list):
        return [], 0
    refs: list[MediaRef] = []
    other = 0
    for number, item in enumerate((i for i in items if isinstance(i, Mapping) and i), start=1):
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
    url = ref.url
    for _ in range(MAX_REDIRECTS + 1):
        request = urllib.request.Request(url)  # noqa: S310 - scheme and host checked
        try:
            with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                return read_limited(response, max_bytes)
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location", "") if 300 <= error.code < 400 else ""
            if not location:
                raise refused("Meta", "file", error.code) from None
            url = urllib.parse.urljoin(url, location)
            if not allowed(url, hosts=hosts, schemes=schemes):
                raise MediaError(
                    "Meta redirected the link away from its own hosts", permanent=True
                ) from None
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            logger.warning("meta media unreachable: %s", type(error).__name__)
            raise MediaError("Meta's servers could not be reached", permanent=False) from None
    raise MediaError("too many redirects", permanent=True)
