"""What policy.toml may hold: its schema version, clause parameters, placeholders, defaults.

The loader (``core.policy.loader``) reads a file against these; the reference
(docs/policy-reference.md) describes the same table in prose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from boundaries.core.policy.model import ParamValue, Severity
from boundaries.core.types import ClauseId

__all__ = [
    "CLAUSE_PARAMS",
    "DEFAULT_FEED_PATH",
    "DEFAULT_PLATFORMS",
    "DEFAULT_SECURE_CHANNEL",
    "DEFAULT_SEVERITIES",
    "REPLY_PLACEHOLDERS",
    "SCHEMA_VERSION",
    "TEXT_PLACEHOLDERS",
    "ParamKind",
    "ParamSpec",
]

SCHEMA_VERSION = 1

#: What a cautious practice would choose when a clause does not say: block what cannot be
#: taken back, warn on the rest.
DEFAULT_SEVERITIES: Mapping[ClauseId, Severity] = {
    ClauseId.NO_CONNECTIONS: Severity.BLOCK,
    ClauseId.NO_SOCIAL_BUSINESS: Severity.BLOCK,
    ClauseId.REVIEWS: Severity.BLOCK,
    ClauseId.NO_ENDORSEMENTS: Severity.WARN,
    ClauseId.LOCATION: Severity.WARN,
    ClauseId.NO_SEARCHING: Severity.BLOCK,
    ClauseId.NO_FOLLOWING: Severity.BLOCK,
    ClauseId.SESSION_CONTENT_EMAIL: Severity.BLOCK,
    ClauseId.AMENDMENTS: Severity.WARN,
}

DEFAULT_SECURE_CHANNEL = "the secure client portal"
#: Appended to the practice's website when clause amendments does not name its feed.
DEFAULT_FEED_PATH = "/feeds/policy.atom"
DEFAULT_PLATFORMS: tuple[str, ...] = ("Facebook", "Instagram", "LinkedIn", "X", "TikTok")

ParamKind = Literal["text", "bool", "text_list", "phone", "url"]


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One parameter a clause takes. ``default`` None: derived from the practice details."""

    kind: ParamKind
    description: str
    default: ParamValue | None


#: Every clause's parameters. An enabled clause gets every one, defaults filled in.
CLAUSE_PARAMS: Mapping[ClauseId, Mapping[str, ParamSpec]] = {
    ClauseId.NO_CONNECTIONS: {
        "platforms": ParamSpec(
            "text_list", "platforms named in the text ({platforms})", DEFAULT_PLATFORMS
        ),
    },
    ClauseId.NO_SOCIAL_BUSINESS: {
        "phone": ParamSpec(
            "phone", "the number for changing appointments; default: practice.phone", None
        ),
    },
    ClauseId.REVIEWS: {},
    ClauseId.NO_ENDORSEMENTS: {},
    ClauseId.LOCATION: {
        "discreet_reminders": ParamSpec(
            "bool", "reminders never say what the appointment is for, unless agreed", True
        ),
    },
    ClauseId.NO_SEARCHING: {},
    ClauseId.NO_FOLLOWING: {},
    ClauseId.SESSION_CONTENT_EMAIL: {
        "secure_channel": ParamSpec(
            "text", "what the secure channel is called ({secure_channel})", DEFAULT_SECURE_CHANNEL
        ),
    },
    ClauseId.AMENDMENTS: {
        "feed_url": ParamSpec(
            "url", f"the feed of amendments; default: the website + {DEFAULT_FEED_PATH}", None
        ),
    },
}

#: Placeholders a clause's title and text may use; filled in when the file is loaded.
TEXT_PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "practice",
        "therapist",
        "phone",
        "email",
        "website",
        "ethics_body",
        "ethics_body_short",
        "ethics_body_url",
        "ethics_body_address",
        "secure_channel",
        "feed_url",
        "platforms",
    }
)
#: Placeholders of reply templates; triage fills them in for each reply.
REPLY_PLACEHOLDERS: frozenset[str] = frozenset(
    {"practice", "therapist", "phone", "channels", "secure_channel", "crisis_lines", "emergency"}
)
