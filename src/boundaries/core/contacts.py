"""Normalising the identifiers we match senders by: phone numbers, emails, handles."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

import phonenumbers

__all__ = [
    "ContactError",
    "DialPart",
    "dial_parts",
    "normalise_email",
    "normalise_handle",
    "normalise_phone",
]


class ContactError(ValueError):
    """An identifier that cannot be normalised. The message never repeats the value."""


def normalise_phone(raw: str, default_region: str) -> str:
    """Return the number in E.164 (``+447700900123``), reading national formats by region."""
    try:
        number = phonenumbers.parse(raw, default_region.upper())
    except phonenumbers.NumberParseException:
        raise ContactError("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ContactError(f"not a valid phone number for region {default_region.upper()}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """Lower-case and strip; require one @ with something on each side."""
    value = raw.strip().lower()
    local, sep, domain = value.rpartition("@")
    if not sep or not local or "." not in domain or " " in value:
        raise ContactError("not an email address")
    return value


def normalise_handle(raw: str) -> str:
    """A platform handle without the leading @, lower-cased (platforms treat them so)."""
    value = raw.strip().lstrip("@").lower()
    if not value or " " in value:
        raise ContactError("not a social handle")
    return value


# A run of digits, spaces and hyphens, optionally after a "+"; at least three digits
# (so "24/7" or "open 7 days" are not dialled).
_NUMBER = re.compile(r"\+?\d[\d\- ]*\d")
_MIN_DIGITS = 3
_TEXT_KEYWORD = re.compile(r"\btext\s+([A-Za-z0-9]+)\s+to\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DialPart:
    """A piece of a contact as written; ``href`` is a ``tel:``/``sms:`` target or empty."""

    text: str
    href: str = ""


def _dial_href(number: str, before: str) -> str:
    dial = re.sub(r"[^\d+]", "", number)
    lowered = before.lower()
    if re.search(r"\btext\b", lowered) and not re.search(r"\b(call|phone|ring)\b", lowered):
        keyword = _TEXT_KEYWORD.search(before)
        body = f"?body={urllib.parse.quote(keyword.group(1))}" if keyword else ""
        return f"sms:{dial}{body}"
    return f"tel:{dial}"


def dial_parts(text: str) -> tuple[DialPart, ...]:
    """A contact as people write it ("116 123", "call or text 988", "text SHOUT to 85258",
    "112 or 999"), split so that each number can be a link: ``tel:``, or ``sms:`` (with the
    keyword as the body) when the words before it ask for a text and not a call. The
    pieces joined give the text back unchanged; escaping is the caller's (HTML or not)."""
    parts: list[DialPart] = []
    position = 0
    for match in _NUMBER.finditer(text):
        number = match.group(0)
        if sum(c.isdigit() for c in number) < _MIN_DIGITS:
            continue
        before = text[position : match.start()]
        if before:
            parts.append(DialPart(before))
        parts.append(DialPart(number, _dial_href(number, before)))
        position = match.end()
    if position < len(text):
        parts.append(DialPart(text[position:]))
    return tuple(parts)
