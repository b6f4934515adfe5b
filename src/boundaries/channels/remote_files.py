"""Fetching a file a platform holds for us (an MMS picture, a Messenger attachment).

What the channels share: the error a task acts on (``permanent`` when trying
again cannot help), an opener that never follows a redirect by itself (each
channel checks a hop before following it, and decides which credentials go
with it), and a read that stops one byte past the limit.
"""

from __future__ import annotations

import logging
import urllib.request
from typing import IO, Any

__all__ = ["MediaError", "opener", "read_limited", "refused"]

logger = logging.getLogger(__name__)


class MediaError(Exception):
    """The platform did not hand the file over (or delete it). ``permanent`` when retrying
    cannot help."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # surfaces as HTTPError 30x: the channel follows it itself


opener = urllib.request.build_opener(_NoRedirect)


def read_limited(response: IO[bytes], max_bytes: int) -> bytes:
    data = response.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise MediaError(f"larger than the upload limit ({max_bytes:,} bytes)", permanent=True)
    return data


def refused(platform: str, what: str, status: int) -> MediaError:
    """The error for an HTTP refusal: 429 and 5xx are the platform being busy (try again);
    any other 4xx (an expired link, a wrong credential) will fail the same way again."""
    logger.warning("%s refused a %s status=%s", platform.lower(), what, status)
    permanent = 400 <= status < 500 and status != 429
    return MediaError(f"{platform} refused the {what} (HTTP {status})", permanent=permanent)
