"""Pictures sent by MMS: fetched from Twilio into the client's vault, then deleted at Twilio.

Twilio keeps an MMS's media until it is deleted (REST API, Media resource):
``GET /2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{Sid}``
answers with a redirect to the file on Twilio's storage, and ``DELETE`` on the
same resource (``.json``) removes it (204). The webhook's ``MediaUrl{n}`` fields
name those resources. Our account credentials go only to that resource on the
configured API host; the redirect is followed without them.
"""

from __future__ import annotations

import base64
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from boundaries.channels.remote_files import MediaError, fetch, opener, refused
from boundaries.channels.sms.outbound import TIMEOUT_SECONDS, TwilioConfig
from boundaries.channels.sms.parse import media_count

__all__ = ["MediaError", "MediaRef", "delete_media", "fetch_media", "media_refs"]

logger = logging.getLogger(__name__)

_MEDIA_PATH = re.compile(
    r"^/2010-04-01/Accounts/(?P<account>AC[0-9a-f]{32})/Messages/MM[0-9a-f]{32}"
    r"/Media/(?P<sid>ME[0-9a-f]{32})$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class MediaRef:
    number: int  # 1-based, as the client sent them
    url: str  # the Media resource at the configured API host
    sid: str  # ME...


def media_refs(
    params: Mapping[str, Sequence[str]], config: TwilioConfig
) -> tuple[list[MediaRef], int]:
    """The webhook's media that belong to this account's API, and how many others were named."""
    base = urllib.parse.urlsplit(config.api_base)
    refs: list[MediaRef] = []
    foreign = 0
    for n in range(media_count(params)):
        url = urllib.parse.urlsplit((params.get(f"MediaUrl{n}") or [""])[0])
        match = _MEDIA_PATH.match(url.path)
        if (
            (url.scheme, url.netloc) != (base.scheme, base.netloc)
            or match is None
            or match["account"] != config.account_sid
            or url.query
        ):
            foreign += 1
            continue
        resource = f"{base.scheme}://{base.netloc}{url.path}"
        refs.append(MediaRef(number=n + 1, url=resource, sid=match["sid"]))
    return refs, foreign


def _auth(config: TwilioConfig) -> dict[str, str]:
    pair = base64.b64encode(f"{config.account_sid}:{config.auth_token}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def fetch_media(ref: MediaRef, config: TwilioConfig, *, max_bytes: int) -> bytes:
    """The media's bytes, at most ``max_bytes``. Raises ``MediaError``."""

    def may_follow(url: str) -> str | None:
        if urllib.parse.urlsplit(url).scheme not in {"https", "http"}:
            return "Twilio redirected to an unusable address"
        return None  # Twilio's signed storage link; our credentials stay with its API

    return fetch(
        ref.url,
        platform="Twilio",
        max_bytes=max_bytes,
        timeout=TIMEOUT_SECONDS,
        first_headers=_auth(config),
        may_follow=may_follow,
    )


def delete_media(ref: MediaRef, config: TwilioConfig) -> None:
    """Remove the media at Twilio; already gone counts as done. Raises ``MediaError``."""
    request = urllib.request.Request(  # noqa: S310 - checked above
        ref.url + ".json", method="DELETE", headers=_auth(config)
    )
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS):
            return
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return
        raise refused("Twilio", "media delete", error.code) from None
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        logger.warning("twilio media unreachable: %s", type(error).__name__)
        raise MediaError("Twilio could not be reached", permanent=False) from None
