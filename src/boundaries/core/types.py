"""The core's vocabulary: what arrives, who sent it, and what we decide.

Plain frozen data with no framework imports, so the triage rules, the
classifiers and the guard can be tested and benchmarked on their own. Every
name here is stable: it is stored in the database, written to the audit log and
printed by ``boundaries triage --format json``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "PUBLIC_CHANNELS",
    "SOCIAL_CHANNELS",
    "Action",
    "AgreedChannel",
    "AgreementTerms",
    "Attachment",
    "Channel",
    "ClauseId",
    "Decision",
    "InboundMessage",
    "Label",
    "ReminderDetail",
    "RiskLevel",
    "SenderContext",
    "SenderStatus",
]


class ClauseId(enum.StrEnum):
    """The nine clauses of the policy, by the ids used in policy.toml, anchors and tests."""

    NO_CONNECTIONS = "no-connections"
    NO_SOCIAL_BUSINESS = "no-social-business"
    REVIEWS = "reviews"
    NO_ENDORSEMENTS = "no-endorsements"
    LOCATION = "location"
    NO_SEARCHING = "no-searching"
    NO_FOLLOWING = "no-following"
    SESSION_CONTENT_EMAIL = "session-content-email"
    AMENDMENTS = "amendments"
    # Not a clause a practice can switch off: the override that stands above all nine.
    SAFETY = "safety"


class Channel(enum.StrEnum):
    """Where an inbound message arrived."""

    EMAIL = "email"
    SMS = "sms"
    SOCIAL_DM = "social_dm"
    SOCIAL_COMMENT = "social_comment"
    REVIEW = "review"
    CONNECTION_REQUEST = "connection_request"
    PORTAL = "portal"
    VOICEMAIL_TRANSCRIPT = "voicemail_transcript"


#: Channels run by a social platform: never secure, never for practice business.
SOCIAL_CHANNELS = frozenset(
    {Channel.SOCIAL_DM, Channel.SOCIAL_COMMENT, Channel.REVIEW, Channel.CONNECTION_REQUEST}
)
#: Channels where anything we write is seen by the public: we write nothing there.
PUBLIC_CHANNELS = frozenset({Channel.SOCIAL_COMMENT, Channel.REVIEW})


class AgreedChannel(enum.StrEnum):
    """Channels a client can agree to be contacted on (clause no-social-business)."""

    EMAIL = "email"
    SMS = "sms"
    PHONE = "phone"
    PORTAL = "portal"


class ReminderDetail(enum.StrEnum):
    """How much an appointment reminder may say (clause location: lock screens).

    ``full`` names the practice and the therapist; ``discreet`` says "appointment"
    and nothing that tells what kind; ``minimal`` gives the date and time only
    (``core.policy.reminders``). ``standard``, the name ``full`` had before there
    were three levels, still reads as ``full``.
    """

    FULL = "full"
    DISCREET = "discreet"
    MINIMAL = "minimal"
    STANDARD = "full"  # the old name of FULL: an alias, never stored

    @classmethod
    def _missing_(cls, value: object) -> ReminderDetail | None:
        return cls.FULL if value == "standard" else None

    @property
    def is_discreet(self) -> bool:
        """Discreet or minimal: nothing on a lock screen may say what the appointment is."""
        return self is not ReminderDetail.FULL


class Label(enum.StrEnum):
    """What a message is about, as the classifiers see it."""

    CRISIS = "crisis"
    SCHEDULING = "scheduling"
    SESSION_CONTENT = "session_content"
    POLICY_QUESTION = "policy_question"
    SOLICITATION = "solicitation"
    OTHER = "other"


class RiskLevel(enum.StrEnum):
    """How soon a message needs a clinician (docs/risk-levels.md is the rubric).

    ``urgent``: act now (a plan, intent, means at hand, an attempt happening...);
    ``concern``: read it today (a wish to be gone without plan, strong urges,
    hopelessness, a relapse); ``none``: everything else. ``rank`` orders them by
    severity (0, 1, 2), so ``max(levels, key=lambda level: level.rank)`` is the worst.
    """

    NONE = "none"
    CONCERN = "concern"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return _RISK_RANK[self]

    @classmethod
    def worst(cls, *levels: RiskLevel) -> RiskLevel:
        """The most severe of ``levels`` (``none`` when there are none)."""
        return max(levels, key=_RISK_RANK.__getitem__, default=cls.NONE)


_RISK_RANK = {RiskLevel.NONE: 0, RiskLevel.CONCERN: 1, RiskLevel.URGENT: 2}


class Action(enum.StrEnum):
    """What happens to a message. The order in a Decision is the order to carry them out."""

    URGENT_ALERT = "urgent_alert"
    CRISIS_RESOURCES_REPLY = "crisis_resources_reply"
    #: A risk sign that is not urgent: top of the inbox and the same-day digest, no page.
    REVIEW_TODAY = "review_today"
    REDIRECT_REPLY = "redirect_reply"
    SECURE_CHANNEL_REPLY = "secure_channel_reply"
    AGENDA_ITEM = "agenda_item"
    QUARANTINE_TO_VAULT = "quarantine_to_vault"
    DECLINE_CONNECTION = "decline_connection"
    NO_RESPONSE = "no_response"
    DELIVER = "deliver"


class SenderStatus(enum.StrEnum):
    """Who the sender is to the practice, as far as the register can tell."""

    PRESENT_CLIENT = "present_client"
    PAST_CLIENT = "past_client"
    PROSPECTIVE_CLIENT = "prospective_client"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Attachment:
    """What we know of an attachment without opening it."""

    filename: str | None
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message as a channel adapter hands it to triage."""

    channel: Channel
    sender: str  # the identity as the channel gives it: address, E.164 number, platform id
    text: str
    received_at: datetime
    subject: str = ""
    platform: str | None = None  # facebook, instagram, linkedin, google, ... for social channels
    attachments: tuple[Attachment, ...] = ()
    #: Written by a machine, not a person: a bounce, an out-of-office, a mailing list
    #: (RFC 3834 ``Auto-Submitted``, ``Precedence: bulk``, ``List-Id``, a null sender).
    automated: bool = False


@dataclass(frozen=True, slots=True)
class AgreementTerms:
    """The part of a client's communication agreement that the rules need."""

    channels: frozenset[AgreedChannel]
    reminder_detail: ReminderDetail = ReminderDetail.DISCREET
    session_content_by_email: bool = False


@dataclass(frozen=True, slots=True)
class SenderContext:
    """What the register says about the sender. ``country`` picks the crisis resources."""

    status: SenderStatus = SenderStatus.UNKNOWN
    country: str | None = None  # ISO 3166-1 alpha-2, e.g. "GB", "US"
    agreement: AgreementTerms | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """What triage decided, and why, in a form a therapist can read.

    ``risk`` is the message's level; ``crisis`` is true exactly when it is urgent.
    ``expressed_risk`` is the level the curated expressions found in the words
    themselves; a ``concern`` above it was raised by the message model alone, which
    is often wrong on short ordinary messages (docs/classifiers.md), so the inbox
    lists the concerns in the words first; an ``urgent`` above it was read by the
    model's urgency head, and its alert says so.
    """

    scores: Mapping[Label, float]
    risk: RiskLevel
    actions: tuple[Action, ...]
    clauses: tuple[ClauseId, ...]
    reasons: tuple[str, ...]
    reply: str | None = None
    agenda_note: str | None = None
    labels: frozenset[Label] = field(default_factory=frozenset)
    expressed_risk: RiskLevel = RiskLevel.NONE

    @property
    def crisis(self) -> bool:
        """Urgent: the therapist is alerted now and the sender gets crisis resources."""
        return self.risk is RiskLevel.URGENT
