"""Twilio's request signature (``X-Twilio-Signature``), exactly as Twilio documents it.

Twilio signs each webhook with the account's auth token: HMAC-SHA1 over the
full URL it requested, followed by every POST parameter sorted by name, each
name immediately followed by its value, then base64. Pure functions: no
Django, no settings.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

__all__ = ["expected_signature", "is_valid_signature", "url_variants"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def expected_signature(url: str, params: Mapping[str, Sequence[str]], auth_token: str) -> str:
    """The signature Twilio sends for a POST of ``params`` to ``url``.

    A repeated parameter contributes each distinct value, in sorted order (as
    Twilio's own helper libraries compute it).
    """
    payload = url
    for name in sorted(params):
        for value in sorted(set(params[name])):
            payload += name + value
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def url_variants(url: str) -> list[str]:
    """The URL as given, plus the same URL with the default port added or removed.

    Twilio signs the URL as configured in the console; a proxy in front of us
    may add or drop ``:443``, so both spellings are tried (Twilio's libraries do
    the same).
    """
    parts = urlsplit(url)
    variants = [url]
    default = _DEFAULT_PORTS.get(parts.scheme)
    if default is None or not parts.hostname:
        return variants
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    userinfo = parts.netloc.rpartition("@")[0]
    prefix = f"{userinfo}@" if userinfo else ""
    if parts.port is None:
        netloc = f"{prefix}{host}:{default}"
    elif parts.port == default:
        netloc = f"{prefix}{host}"
    else:
        return variants
    variants.append(urlunsplit(parts._replace(netloc=netloc)))
    return variants


def is_valid_signature(
    urls: Iterable[str],
    params: Mapping[str, Sequence[str]],
    signature: str,
    auth_token: str,
) -> bool:
    """Whether ``signature`` is Twilio's for any of ``urls``, compared in constant time."""
    if not auth_token or not signature:
        return False
    given = signature.strip().encode()
    valid = False
    for url in urls:
        for variant in url_variants(url):
            expected = expected_signature(variant, params, auth_token).encode()
            # Evaluate every candidate, so timing does not tell which one matched.
            valid |= hmac.compare_digest(expected, given)
    return valid
