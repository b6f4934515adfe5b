"""The policy as data: what policy.toml says once the loader has validated it.

One ``Policy`` drives the published text, the triage rules and the outbound
guard, so the three can never drift apart. Objects are frozen: a published
version is a value, never edited in place.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from boundaries.core.policy.reminders import DEFAULT_REMINDERS, ReminderTemplates
from boundaries.core.types import ClauseId

__all__ = [
    "CLAUSE_ORDER",
    "Clause",
    "CrisisLine",
    "CrisisResources",
    "EthicsBody",
    "Policy",
    "PracticeDetails",
    "ReplyTemplates",
    "Severity",
]

#: The nine clauses in the order they are published.
CLAUSE_ORDER: tuple[ClauseId, ...] = (
    ClauseId.NO_CONNECTIONS,
    ClauseId.NO_SOCIAL_BUSINESS,
    ClauseId.REVIEWS,
    ClauseId.NO_ENDORSEMENTS,
    ClauseId.LOCATION,
    ClauseId.NO_SEARCHING,
    ClauseId.NO_FOLLOWING,
    ClauseId.SESSION_CONTENT_EMAIL,
    ClauseId.AMENDMENTS,
)

ParamValue = str | bool | int | tuple[str, ...]


class Severity(enum.StrEnum):
    """How the outbound guard treats a finding under a clause."""

    BLOCK = "block"
    WARN = "warn"


@dataclass(frozen=True, slots=True)
class EthicsBody:
    """Where a client can take a concern (clause reviews)."""

    name: str  # "UK Council for Psychotherapy"
    short_name: str  # "UKCP"
    address: str
    url: str
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class PracticeDetails:
    name: str
    therapist_name: str
    country: str  # ISO 3166-1 alpha-2
    timezone: str  # IANA name
    phone: str  # E.164: the number for changing appointments (clause no-social-business)
    email: str
    website: str
    professional_body: EthicsBody


@dataclass(frozen=True, slots=True)
class CrisisLine:
    name: str  # "Samaritans"
    contact: str  # "116 123", "988", "text SHOUT to 85258"
    description: str  # our words: when to use it


@dataclass(frozen=True, slots=True)
class CrisisResources:
    """Who to contact in an emergency in one country. The footer of every automated reply."""

    country: str
    emergency: str  # "999", "911"
    lines: tuple[CrisisLine, ...]

    def footer(self) -> str:
        """One short paragraph, plain text, that fits an SMS."""
        parts = [f"{line.name} {line.contact}" for line in self.lines]
        return (
            f"If you are in danger or thinking of ending your life, call {self.emergency} now"
            + (f", or contact {', '.join(parts)}" if parts else "")
            + "."
        )


@dataclass(frozen=True, slots=True)
class ReplyTemplates:
    """Texts of automated replies, with ``{placeholder}`` fields filled in by triage.

    Placeholders: ``{practice}``, ``{therapist}``, ``{phone}``, ``{channels}``,
    ``{secure_channel}``, ``{crisis_lines}``, ``{emergency}``. The crisis footer
    is appended by triage to every reply; templates do not include it.
    """

    crisis: str
    redirect_social: str
    redirect_channel: str
    secure_channel: str


@dataclass(frozen=True, slots=True)
class Clause:
    id: ClauseId
    enabled: bool
    severity: Severity
    title: str
    text: str  # the published wording, Markdown-light: paragraphs separated by blank lines
    params: Mapping[str, ParamValue]


@dataclass(frozen=True, slots=True)
class Policy:
    practice: PracticeDetails
    clauses: Mapping[ClauseId, Clause]  # all nine, enabled or not
    crisis: Mapping[str, CrisisResources]  # by country code; must include the practice's country
    replies: ReplyTemplates
    secure_channel_name: str
    feed_url: str
    effective_date: str | None = None  # ISO date, set on publication
    summary: str = ""  # change summary of this version
    #: The [reminders] table; None when the file has none (the built-in wording is used,
    #: and the stored form and content hash of older versions stay as they were).
    reminders: ReminderTemplates | None = None

    @property
    def reminder_templates(self) -> ReminderTemplates:
        return self.reminders if self.reminders is not None else DEFAULT_REMINDERS

    def clause(self, clause_id: ClauseId) -> Clause:
        return self.clauses[clause_id]

    def enabled(self, clause_id: ClauseId) -> bool:
        clause = self.clauses.get(clause_id)
        return clause is not None and clause.enabled

    def crisis_for(self, country: str | None) -> CrisisResources:
        """Resources for the sender's country, falling back to the practice's own."""
        if country and country.upper() in self.crisis:
            return self.crisis[country.upper()]
        return self.crisis[self.practice.country]
