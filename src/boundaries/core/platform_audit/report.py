"""The audit of a download: clients to remove, decline or unfollow, and what was unread.

``complete`` is true only when every list the audit needs was found and read
without a problem. An incomplete report is never an all-clear, however few
matches it has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from boundaries.core.platform_audit.matching import ClientIndex, RegisterClient
from boundaries.core.platform_audit.model import (
    ExportData,
    Finding,
    MatchBasis,
    Missing,
    Platform,
    Recommendation,
    Section,
    Unreadable,
)

__all__ = ["REQUIRED_SECTIONS", "ExportReport", "SectionSummary", "audit"]

# Without these lists an audit of the platform says nothing useful.
REQUIRED_SECTIONS = {
    Platform.FACEBOOK: (Section.CONNECTIONS,),
    Platform.INSTAGRAM: (Section.FOLLOWERS, Section.FOLLOWING),
    Platform.LINKEDIN: (Section.CONNECTIONS,),
}
NOTHING_FOUND = "no lists of friends, followers, requests or connections were found in this archive"
_SECTION_ORDER = list(Section)


@dataclass(frozen=True, slots=True)
class SectionSummary:
    platform: Platform
    section: Section
    people: int


@dataclass(frozen=True, slots=True)
class ExportReport:
    platforms: tuple[Platform, ...]
    sections: tuple[SectionSummary, ...]
    findings: tuple[Finding, ...]
    unreadable: tuple[Unreadable, ...]
    missing: tuple[Missing, ...]
    people_checked: int
    complete: bool

    @property
    def all_clear(self) -> bool:
        return self.complete and not self.findings

    @property
    def clients_found(self) -> int:
        return len({f.client_id for f in self.findings})

    def recommended(self, recommendation: Recommendation) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.recommendation == recommendation)

    @property
    def to_remove(self) -> tuple[Finding, ...]:
        return self.recommended(Recommendation.REMOVE)

    @property
    def to_decline(self) -> tuple[Finding, ...]:
        return self.recommended(Recommendation.DECLINE)

    @property
    def following_clients(self) -> tuple[Finding, ...]:
        return tuple(
            f for f in self.findings if f.section in {Section.FOLLOWING, Section.FOLLOWERS}
        )

    def problems(self) -> list[str]:
        """What makes the report incomplete, in plain words."""
        return [u.describe() for u in self.unreadable] + [m.describe() for m in self.missing]

    def to_dict(self) -> dict[str, Any]:
        """JSON form: client ids, reasons and counts; no one who is not a possible client."""
        return {
            "complete": self.complete,
            "people_checked": self.people_checked,
            "platforms": [p.value for p in self.platforms],
            "sections": [
                {"platform": s.platform.value, "section": s.section.value, "people": s.people}
                for s in self.sections
            ],
            "findings": [
                {
                    "client_id": f.client_id,
                    "platform": f.platform.value,
                    "section": f.section.value,
                    "shown_as": f.shown_as,
                    "confidence": f.confidence,
                    "basis": f.basis.value,
                    "reason": f.reason,
                }
                for f in self.findings
            ],
            "unreadable": [{"source": u.source, "problem": u.problem} for u in self.unreadable],
            "missing": [
                {"platform": m.platform.value, "section": m.section.value} for m in self.missing
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExportReport:
        return cls(
            platforms=tuple(Platform(p) for p in data["platforms"]),
            sections=tuple(
                SectionSummary(Platform(s["platform"]), Section(s["section"]), int(s["people"]))
                for s in data["sections"]
            ),
            findings=tuple(
                Finding(
                    client_id=int(f["client_id"]),
                    platform=Platform(f["platform"]),
                    section=Section(f["section"]),
                    shown_as=str(f["shown_as"]),
                    confidence=float(f["confidence"]),
                    basis=MatchBasis(f["basis"]),
                    reason=str(f["reason"]),
                )
                for f in data["findings"]
            ),
            unreadable=tuple(Unreadable(u["source"], u["problem"]) for u in data["unreadable"]),
            missing=tuple(
                Missing(Platform(m["platform"]), Section(m["section"])) for m in data["missing"]
            ),
            people_checked=int(data["people_checked"]),
            complete=bool(data["complete"]),
        )


def audit(
    export: ExportData, register: Iterable[RegisterClient] | ClientIndex, *, region: str = "GB"
) -> ExportReport:
    """Match everyone in every list against the register (present and past clients)."""
    index = (
        register
        if isinstance(register, ClientIndex)
        else ClientIndex(register, default_region=region)
    )
    findings: list[Finding] = []
    counts: dict[tuple[Platform, Section], int] = {}
    checked = 0
    for data in export.sections:
        key = (data.platform, data.section)
        counts[key] = counts.get(key, 0) + len(data.people)
        for person in data.people:
            checked += 1
            findings.extend(
                Finding(
                    client_id=m.client_id,
                    platform=data.platform,
                    section=data.section,
                    shown_as=person.shown_as,
                    confidence=m.confidence,
                    basis=m.basis,
                    reason=m.reason,
                )
                for m in index.match(person, data.platform)
            )
    unreadable = list(export.unreadable)
    if not export.sections and not unreadable:
        unreadable.append(Unreadable("", NOTHING_FOUND))
    missing = tuple(
        Missing(platform, section)
        for platform in export.platforms
        for section in REQUIRED_SECTIONS[platform]
        if (platform, section) not in counts
    )
    findings.sort(
        key=lambda f: (
            _SECTION_ORDER.index(f.section),
            -f.confidence,
            f.platform.value,
            f.client_id,
            f.shown_as,
        )
    )
    return ExportReport(
        platforms=export.platforms,
        sections=tuple(
            SectionSummary(p, s, n)
            for (p, s), n in sorted(
                counts.items(), key=lambda kv: (kv[0][0].value, _SECTION_ORDER.index(kv[0][1]))
            )
        ),
        findings=tuple(findings),
        unreadable=tuple(unreadable),
        missing=missing,
        people_checked=checked,
        complete=bool(export.sections) and not unreadable and not missing,
    )
