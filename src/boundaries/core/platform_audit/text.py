"""Text repair and the normal forms names, handles and profile URLs are compared in."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = [
    "fold",
    "handle_from_url",
    "name_tokens",
    "normalise_handle_for",
    "normalise_platform",
    "repair_mojibake",
    "repair_strings",
]


def repair_mojibake(text: str) -> str:
    """Undo Facebook's and Instagram's Latin-1 escaping of UTF-8 ("JosÃ©" -> "José").

    Their downloads write each UTF-8 byte as its own ``\\u00XX`` escape. The
    repair is applied only when it round-trips: the text must be all Latin-1
    code points and those bytes valid UTF-8, so correct text is left alone.
    """
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def repair_strings(value: Any) -> Any:
    """``repair_mojibake`` applied to every string in parsed JSON, keys included."""
    if isinstance(value, str):
        return repair_mojibake(value)
    if isinstance(value, list):
        return [repair_strings(item) for item in value]
    if isinstance(value, dict):
        return {repair_mojibake(str(k)): repair_strings(v) for k, v in value.items()}
    return value


# Letters NFKD does not take apart into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"}
)
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_TOKEN = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: casefold, NFKD, combining marks dropped."""
    if text.isascii():  # most names: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_tokens(name: str) -> tuple[str, ...]:
    """A name's words in folded form; punctuation and whitespace collapse, apostrophes vanish.

    ``"Anne-Marie  O'Neil"`` -> ``("anne", "marie", "oneil")``.
    """
    return tuple(_TOKEN.findall(_APOSTROPHES.sub("", fold(name))))


_PLATFORM_ALIASES = {
    "fb": "facebook",
    "facebook": "facebook",
    "ig": "instagram",
    "insta": "instagram",
    "instagram": "instagram",
    "li": "linkedin",
    "linkedin": "linkedin",
}


def normalise_platform(platform: str) -> str:
    value = platform.strip().lower()
    return _PLATFORM_ALIASES.get(value, value)


def handle_from_url(url: str) -> tuple[str, str]:
    """``(platform, handle)`` for a Facebook, Instagram or LinkedIn profile URL, or empty."""
    raw = url.strip()
    if not raw:
        return "", ""
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
    except ValueError:
        return "", ""
    host = (parts.hostname or "").lower()
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if host == "instagram.com" or host.endswith(".instagram.com"):
        if segments and segments[0] == "_u":
            segments = segments[1:]
        return ("instagram", segments[0].lower()) if segments else ("", "")
    if host in {"fb.com", "facebook.com"} or host.endswith(".facebook.com"):
        if segments and segments[0] == "profile.php":
            ids = parse_qs(parts.query).get("id", [])
            return ("facebook", f"id:{ids[0]}") if ids else ("", "")
        return ("facebook", segments[0].lower()) if segments else ("", "")
    if host == "linkedin.com" or host.endswith(".linkedin.com"):
        if len(segments) >= 2 and segments[0] == "in":
            return "linkedin", segments[1].lower()
        return "", ""
    return "", ""


def normalise_handle_for(platform: str, raw: str) -> tuple[str, str]:
    """A client's or a list entry's handle as ``(platform, handle)``: URLs become handles."""
    value = raw.strip()
    url_platform, handle = handle_from_url(value) if "/" in value else ("", "")
    if handle:
        return url_platform, handle
    return normalise_platform(platform), value.lstrip("@").lower()
