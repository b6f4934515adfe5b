"""What the outbound guard reads and what it answers.

The guard looks at a draft before it leaves the practice. The core does no I/O,
so attachments arrive as metadata (the caller has already read the EXIF), and
the recipient arrives as what the client register says about them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from boundaries.core.policy.model import Severity
from boundaries.core.types import AgreedChannel, ClauseId

__all__ = [
    "AGREEABLE_CHANNELS",
    "PUBLIC_OUTBOUND",
    "SOCIAL_OUTBOUND",
    "Draft",
    "DraftPart",
    "Finding",
    "GuardResult",
    "GuardRule",
    "ImageMeta",
    "OutboundChannel",
    "Recipient",
    "RecipientStatus",
    "Span",
]


class OutboundChannel(enum.StrEnum):
    """Where the therapist is about to send something."""

    EMAIL = "email"
    SMS = "sms"
    PORTAL = "portal"
    SOCIAL_DM = "social_dm"
    SOCIAL_POST = "social_post"
    REVIEW_REPLY = "review_reply"
    COMMENT_REPLY = "comment_reply"


#: Channels run by a social platform: never secure, never for practice business.
SOCIAL_OUTBOUND = frozenset(
    {
        OutboundChannel.SOCIAL_DM,
        OutboundChannel.SOCIAL_POST,
        OutboundChannel.REVIEW_REPLY,
        OutboundChannel.COMMENT_REPLY,
    }
)
#: Channels whose every word the public can read.
PUBLIC_OUTBOUND = frozenset(
    {OutboundChannel.SOCIAL_POST, OutboundChannel.REVIEW_REPLY, OutboundChannel.COMMENT_REPLY}
)
#: The outbound channels a client's agreement can allow, and the agreement's name for each.
AGREEABLE_CHANNELS: dict[OutboundChannel, AgreedChannel] = {
    OutboundChannel.EMAIL: AgreedChannel.EMAIL,
    OutboundChannel.SMS: AgreedChannel.SMS,
    OutboundChannel.PORTAL: AgreedChannel.PORTAL,
}


class RecipientStatus(enum.StrEnum):
    """Who the draft goes to, as far as the register can tell."""

    PRESENT_CLIENT = "present_client"
    PAST_CLIENT = "past_client"
    UNKNOWN = "unknown"
    PUBLIC = "public"  # a post or a public reply: everyone reads it

    @property
    def is_client(self) -> bool:
        return self in {RecipientStatus.PRESENT_CLIENT, RecipientStatus.PAST_CLIENT}


@dataclass(frozen=True, slots=True)
class Recipient:
    """The register's view of the recipient. ``country`` picks the crisis footer."""

    status: RecipientStatus
    country: str | None = None  # ISO 3166-1 alpha-2; None falls back to the practice's


@dataclass(frozen=True, slots=True)
class ImageMeta:
    """What the caller read from an attached image before handing it to the guard."""

    has_gps: bool
    content_type: str = "image/jpeg"
    size: int = 0


@dataclass(frozen=True, slots=True)
class Draft:
    """A message the therapist (or an automated reply) is about to send."""

    text: str
    subject: str = ""
    is_automated: bool = False
    attachments: tuple[ImageMeta, ...] = ()
    #: An appointment reminder: it answers nothing, so it carries no crisis footer, and at
    #: the discreet and minimal levels nothing in it may say what the appointment is.
    is_reminder: bool = False


class DraftPart(enum.StrEnum):
    SUBJECT = "subject"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Span:
    """Where in the draft a finding points: ``part[start:end]``."""

    part: DraftPart
    start: int
    end: int


class GuardRule(enum.StrEnum):
    """The guard's rules. Stable ids: stored with overrides and written to the audit log."""

    REVIEW_REPLY_CHANNEL = "review-reply-channel"
    REVIEW_REPLY_TEXT = "review-reply-text"
    SOCIAL_APPOINTMENT = "social-appointment"
    SOCIAL_CHANNEL_CLIENT = "social-channel-client"
    CHANNEL_NOT_AGREED = "channel-not-agreed"
    DISCREET_LOCK_SCREEN = "discreet-lock-screen"
    ENDORSEMENT_REQUEST = "endorsement-request"
    CONNECTION_OFFER = "connection-offer"
    SEARCHED_CLIENT = "searched-client"
    FOLLOWED_CLIENT = "followed-client"
    LOCATION_DETAIL = "location-detail"
    IMAGE_GPS = "image-gps"
    SESSION_CONTENT_UNAGREED = "session-content-unagreed"
    CRISIS_FOOTER_MISSING = "crisis-footer-missing"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the draft would break, the clause that says so, and why, in plain words.

    ``explanation`` never quotes the draft, so a finding can be stored and audited
    without carrying client content; ``span`` lets a screen highlight the words.
    """

    clause: ClauseId
    rule: GuardRule
    severity: Severity
    explanation: str
    span: Span | None = None
    attachment: int | None = None  # index into Draft.attachments


@dataclass(frozen=True, slots=True)
class GuardResult:
    """Every finding for one draft, in the order the rules ran."""

    findings: tuple[Finding, ...]

    @property
    def blocked(self) -> bool:
        """At least one finding blocks: the draft cannot be sent as it is."""
        return any(finding.severity is Severity.BLOCK for finding in self.findings)

    @property
    def needs_reason(self) -> bool:
        """Only warnings: sending needs a typed reason, which the caller audits."""
        return bool(self.findings) and not self.blocked

    @property
    def clauses(self) -> frozenset[ClauseId]:
        return frozenset(finding.clause for finding in self.findings)
