"""Normalising the identifiers we match senders by: phone numbers, emails, handles."""

from __future__ import annotations

import phonenumbers

__all__ = ["ContactError", "normalise_email", "normalise_handle", "normalise_phone"]


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
