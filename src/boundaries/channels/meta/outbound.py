"""Private messages through Meta's Send API: the only way Boundaries ever writes on Meta.

``POST {META_GRAPH_BASE}/v19.0/me/messages?access_token=<Page access token>``
with a JSON body ``{"recipient": ..., "messaging_type": "RESPONSE",
"message": {"text": ...}}``. The recipient is ``{"id": <PSID or IGSID>}`` for
an answer to a direct message, or ``{"comment_id": ...}`` / ``{"post_id": ...}``
for a private reply to a public comment or visitor post. There is deliberately
no function here that writes a public comment: what is said in public can
confirm that someone is a client.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from django.conf import settings

__all__ = ["GRAPH_VERSION", "MetaSendError", "page_access_token", "send_private_message"]

logger = logging.getLogger(__name__)

GRAPH_VERSION = "v19.0"
MAX_TEXT_CHARS = 2000  # the Send API's limit for a text message
TIMEOUT_SECONDS = 15
_RECIPIENT_KEYS = frozenset({"id", "comment_id", "post_id"})


class MetaSendError(Exception):
    """The Graph API did not accept the message. ``permanent`` when retrying cannot help."""

    def __init__(self, reason: str, *, permanent: bool, status: int = 0, code: int = 0) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.status = status
        self.code = code


def page_access_token(account_id: str) -> str:
    """The token for this Page (``META_PAGE_ACCESS_TOKENS``), else ``META_PAGE_ACCESS_TOKEN``.

    ``META_PAGE_ACCESS_TOKENS`` is a mapping, or ``page-id=token`` items as the
    environment gives them.
    """
    raw = getattr(settings, "META_PAGE_ACCESS_TOKENS", None) or {}
    per_page: Mapping[str, str] = (
        raw
        if isinstance(raw, Mapping)
        else {key.strip(): value.strip() for key, _, value in (str(i).partition("=") for i in raw)}
    )
    token = per_page.get(account_id)
    return str(token or getattr(settings, "META_PAGE_ACCESS_TOKEN", "") or "")


def _error_code(body: bytes) -> int:
    try:
        data = json.loads(body)
    except ValueError:
        return 0
    error = data.get("error") if isinstance(data, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, int) else 0


def send_private_message(recipient: Mapping[str, str], text: str, *, account_id: str = "") -> str:
    """Send one private message; returns the Graph API's message id. Raises ``MetaSendError``."""
    if len(recipient) != 1 or not set(recipient) <= _RECIPIENT_KEYS:
        raise ValueError("a private message goes to one id, comment_id or post_id")
    token = page_access_token(account_id)
    if not token:
        raise MetaSendError("META_PAGE_ACCESS_TOKEN is not configured", permanent=False)
    base = str(getattr(settings, "META_GRAPH_BASE", "") or "https://graph.facebook.com")
    query = urllib.parse.urlencode({"access_token": token})
    url = f"{base.rstrip('/')}/{GRAPH_VERSION}/me/messages?{query}"
    body = json.dumps(
        {
            "recipient": dict(recipient),
            "messaging_type": "RESPONSE",
            "message": {"text": text[:MAX_TEXT_CHARS]},
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is our own setting, https by default
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - the URL comes from our settings, not from input
            data = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        status, code = error.code, _error_code(error.read())
        logger.warning("graph api refused a message status=%s code=%s", status, code)
        raise MetaSendError(
            f"Meta refused the message (HTTP {status}, error {code})",
            permanent=400 <= status < 500 and status != 429,
            status=status,
            code=code,
        ) from None
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        logger.warning("graph api unreachable: %s", type(error).__name__)
        raise MetaSendError("Meta could not be reached", permanent=False) from None
    message_id = data.get("message_id") if isinstance(data, dict) else None
    return str(message_id or "")
