"""The vocabulary of an export audit: who is in a platform's lists, and what we found.

Plain frozen data. A ``Person`` is what a platform's download says about one
entry of one list; a ``Finding`` says which client it may be, how sure we are,
why, and what the policy recommends doing about it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from boundaries.core.types import ClauseId

__all__ = [
    "ExportData",
    "Finding",
    "MatchBasis",
    "Missing",
    "Person",
    "Platform",
    "Recommendation",
    "Section",
    "SectionData",
    "Unreadable",
]


class Platform(enum.StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    LINKEDIN = "linkedin"

    @property
    def label(self) -> str:
        return {"facebook": "Facebook", "instagram": "Instagram", "linkedin": "LinkedIn"}[self]


class Section(enum.StrEnum):
    """One list in a platform's download."""

    CONNECTIONS = "connections"  # Facebook friends, LinkedIn connections
    REQUESTS_RECEIVED = "requests_received"
    REQUESTS_SENT = "requests_sent"
    FOLLOWING = "following"
    FOLLOWERS = "followers"

    @property
    def label(self) -> str:
        return SECTION_LABELS[self]


SECTION_LABELS = {
    Section.CONNECTIONS: "friends and connections",
    Section.REQUESTS_RECEIVED: "requests you have received",
    Section.REQUESTS_SENT: "requests you have sent",
    Section.FOLLOWING: "accounts you follow",
    Section.FOLLOWERS: "your followers",
}


class Recommendation(enum.StrEnum):
    REMOVE = "remove"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    UNFOLLOW = "unfollow"
    REMOVE_FOLLOWER = "remove_follower"

    @property
    def label(self) -> str:
        return RECOMMENDATION_LABELS[self]


RECOMMENDATION_LABELS = {
    Recommendation.REMOVE: "Remove the connection",
    Recommendation.DECLINE: "Decline the request without responding",
    Recommendation.WITHDRAW: "Withdraw your request",
    Recommendation.UNFOLLOW: "Unfollow",
    Recommendation.REMOVE_FOLLOWER: "Remove as a follower",
}

# What the policy asks for each list, and which clause asks it.
POLICY_FOR_SECTION: dict[Section, tuple[Recommendation, ClauseId]] = {
    Section.CONNECTIONS: (Recommendation.REMOVE, ClauseId.NO_CONNECTIONS),
    Section.REQUESTS_RECEIVED: (Recommendation.DECLINE, ClauseId.NO_CONNECTIONS),
    Section.REQUESTS_SENT: (Recommendation.WITHDRAW, ClauseId.NO_CONNECTIONS),
    Section.FOLLOWING: (Recommendation.UNFOLLOW, ClauseId.NO_FOLLOWING),
    Section.FOLLOWERS: (Recommendation.REMOVE_FOLLOWER, ClauseId.NO_FOLLOWING),
}


class MatchBasis(enum.StrEnum):
    """What a match rests on, strongest first."""

    HANDLE = "handle"
    PROFILE_URL = "profile_url"
    EMAIL = "email"
    PHONE = "phone"
    FULL_NAME = "full_name"
    NICKNAME = "nickname"
    NAME_VARIANT = "name_variant"
    HANDLE_SPELLS_NAME = "handle_spells_name"
    INITIAL = "initial"


@dataclass(frozen=True, slots=True)
class Person:
    """One entry of one list, as the platform's download gives it (any field may be empty)."""

    name: str = ""
    handle: str = ""
    url: str = ""
    email: str = ""
    phone: str = ""

    @property
    def shown_as(self) -> str:
        if self.name:
            return self.name
        if self.handle:
            return f"@{self.handle}"
        return self.url or self.email or self.phone or "(no name)"


@dataclass(frozen=True, slots=True)
class SectionData:
    platform: Platform
    section: Section
    source: str  # the file's path inside the archive
    people: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Part of the download that could not be read: the audit is then not complete."""

    source: str  # the path inside the archive, or "" for the archive itself
    problem: str

    def describe(self) -> str:
        return f"{self.source}: {self.problem}" if self.source else self.problem


@dataclass(frozen=True, slots=True)
class Missing:
    """A list the audit needs that this download does not contain."""

    platform: Platform
    section: Section

    def describe(self) -> str:
        return f"{self.platform.label}: no list of {self.section.label} in this download"


@dataclass(frozen=True, slots=True)
class Finding:
    """A person in one of the therapist's lists who may be a client."""

    client_id: int
    platform: Platform
    section: Section
    shown_as: str
    confidence: float
    basis: MatchBasis
    reason: str

    @property
    def recommendation(self) -> Recommendation:
        return POLICY_FOR_SECTION[self.section][0]

    @property
    def clause(self) -> ClauseId:
        return POLICY_FOR_SECTION[self.section][1]

    @property
    def certain(self) -> bool:
        """Identifiers the practice holds are certain; names alone never are."""
        return self.confidence >= 1.0


@dataclass(frozen=True, slots=True)
class ExportData:
    """Everything read from one download: the lists, and what could not be read."""

    sections: tuple[SectionData, ...]
    unreadable: tuple[Unreadable, ...]
    files_seen: int = 0
    files_skipped: int = 0

    @property
    def platforms(self) -> tuple[Platform, ...]:
        found = {s.platform for s in self.sections}
        return tuple(p for p in Platform if p in found)
