"""Fetching a file a platform holds for us (an MMS picture, a Messenger attachment).

What the channels share: the error a task acts on (``permanent`` when trying
again cannot help), an opener that never follows a redirect by itself, a read
that stops one byte past the limit, and ``fetch``, which follows redirects
only where the channel allows each hop and sends its credentials only with
the first request.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import IO, Any

__all__ = ["MediaError", "fetch", "opener", "read_limited", "refused"]

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 3


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


def fetch(
    url: str,
    *,
    platform: str,
    max_bytes: int,
    timeout: float,
    first_headers: Mapping[str, str] | None = None,
    may_follow: Callable[[str], str | None],
) -> bytes:
    """GET ``url``, following up to ``MAX_REDIRECTS`` redirects. Raises ``MediaError``.

    ``first_headers`` (credentials) go with the first request only: a redirect
    leads to signed storage. ``may_follow(next_url)`` returns why a hop must not
    be followed, or None; the caller has checked ``url`` itself.
    """
    headers = dict(first_headers or {})
    for _ in range(MAX_REDIRECTS + 1):
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - checked by caller
        try:
            with opener.open(request, timeout=timeout) as response:
                return read_limited(response, max_bytes)
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location", "") if 300 <= error.code < 400 else ""
            if not location:
                raise refused(platform, "media fetch", error.code) from None
            url = urllib.parse.urljoin(url, location)
            reason = may_follow(url)
            if reason is not None:
                raise MediaError(reason, permanent=True) from None
            headers = {}
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            logger.warning("%s media unreachable: %s", platform.lower(), type(error).__name__)
            raise MediaError(f"{platform} could not be reached", permanent=False) from None
    raise MediaError("too many redirects", permanent=True)
