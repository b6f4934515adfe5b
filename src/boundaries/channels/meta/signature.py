"""Meta's webhook signature (``X-Hub-Signature-256``) and verification handshake.

Meta signs each POST with the app secret: ``sha256=`` followed by the hex
HMAC-SHA256 of the raw request body. Subscribing a webhook is a GET carrying
``hub.mode=subscribe``, ``hub.verify_token`` (a string the operator chose) and
``hub.challenge``, which is echoed back when the token matches. Pure functions.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["expected_signature", "is_valid_signature", "verify_challenge"]

_PREFIX = "sha256="


def expected_signature(body: bytes, app_secret: str) -> str:
    return _PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def is_valid_signature(body: bytes, header: str, app_secret: str) -> bool:
    """Whether ``header`` is Meta's signature of ``body``, compared in constant time."""
    if not app_secret or not header.startswith(_PREFIX):
        return False
    given = _PREFIX + header[len(_PREFIX) :].strip().lower()
    return hmac.compare_digest(expected_signature(body, app_secret).encode(), given.encode())


def verify_challenge(mode: str, token: str, challenge: str, verify_token: str) -> str | None:
    """The challenge to echo when the subscription request is ours; ``None`` otherwise."""
    if not verify_token or mode != "subscribe" or not challenge:
        return None
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    return challenge
