"""The JSON form of triage input and output: stable names, documented in docs/triage.md.

Input (one object per line for ``boundaries triage``)::

    {"text": "...", "channel": "sms", "subject": "", "sender": "present_client",
     "country": "GB", "agreed_channels": ["email", "sms"],
     "session_content_by_email": false, "platform": null}

Only ``text`` is required. Output is ``decision_to_dict``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from boundaries.core.types import (
    AgreedChannel,
    AgreementTerms,
    Channel,
    Decision,
    InboundMessage,
    SenderContext,
    SenderStatus,
)

__all__ = ["SCHEMA_VERSION", "InputError", "decision_to_dict", "request_from_dict"]

SCHEMA_VERSION = 2

_KNOWN_KEYS = frozenset(
    {
        "text",
        "subject",
        "channel",
        "sender",
        "sender_id",
        "country",
        "agreed_channels",
        "session_content_by_email",
        "platform",
        "automated",
        "received_at",
        "id",
    }
)


class InputError(ValueError):
    """A triage request that cannot be read; the message says which key and what was expected."""


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """A JSON-safe dict; scores rounded to four places, lists in a stable order."""
    return {
        "schema": SCHEMA_VERSION,
        "risk": decision.risk.value,
        "crisis": decision.crisis,
        "expressed_risk": decision.expressed_risk.value,
        "labels": sorted(label.value for label in decision.labels),
        "scores": {
            label.value: round(float(score), 4) for label, score in sorted(decision.scores.items())
        },
        "actions": [action.value for action in decision.actions],
        "clauses": [clause.value for clause in decision.clauses],
        "reasons": list(decision.reasons),
        "reply": decision.reply,
        "agenda_note": decision.agenda_note,
    }


def _choice(data: Mapping[str, Any], key: str, kind: type[Any], default: Any) -> Any:
    value = data.get(key, default)
    if value is None:
        return default
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InputError(f"{key}: expected one of {allowed}, got {value!r}") from None


def _string(data: Mapping[str, Any], key: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise InputError(f"{key}: expected a string, got {type(value).__name__}")
    return value


def request_from_dict(
    data: Any, *, now: datetime, defaults: Mapping[str, Any] | None = None
) -> tuple[InboundMessage, SenderContext]:
    """Read one triage request. ``defaults`` fill keys the object leaves out (CLI flags).

    ``now`` is the arrival time of a request that gives no ``received_at`` (the core
    reads no clock: the caller passes its own).
    """
    if not isinstance(data, Mapping):
        raise InputError(f"expected a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise InputError(
            f"unknown key {unknown[0]!r}; known keys: {', '.join(sorted(_KNOWN_KEYS))}"
        )
    merged: dict[str, Any] = {**(defaults or {}), **data}
    if "text" not in merged:
        raise InputError("text: required")
    text = _string(merged, "text")
    channel = _choice(merged, "channel", Channel, Channel.EMAIL)
    status = _choice(merged, "sender", SenderStatus, SenderStatus.UNKNOWN)
    country = _string(merged, "country").upper() or None
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise InputError(f"country: expected a two-letter ISO 3166 code, got {country!r}")
    agreement = None
    if merged.get("agreed_channels") is not None:
        raw = merged["agreed_channels"]
        if isinstance(raw, str):
            raw = [part.strip() for part in raw.split(",") if part.strip()]
        if not isinstance(raw, list):
            raise InputError("agreed_channels: expected a list of channel names")
        channels = frozenset(
            _choice({"agreed_channels": c}, "agreed_channels", AgreedChannel, None) for c in raw
        )
        flag = merged.get("session_content_by_email", False)
        if not isinstance(flag, bool):
            raise InputError("session_content_by_email: expected true or false")
        agreement = AgreementTerms(channels=channels, session_content_by_email=flag)
    automated = merged.get("automated", False)
    if not isinstance(automated, bool):
        raise InputError("automated: expected true or false")
    received = _string(merged, "received_at")
    try:
        received_at = datetime.fromisoformat(received) if received else now
    except ValueError:
        raise InputError(f"received_at: expected an ISO 8601 time, got {received!r}") from None
    message = InboundMessage(
        channel=channel,
        sender=_string(merged, "sender_id"),
        text=text,
        received_at=received_at,
        subject=_string(merged, "subject"),
        platform=_string(merged, "platform") or None,
        automated=automated,
    )
    return message, SenderContext(status=status, country=country, agreement=agreement)
