"""An export audit laid out for people: grouped by what to do, with the clients the viewer sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from boundaries.core.platform_audit import ExportReport, Finding, Recommendation
from boundaries.core.platform_audit.model import POLICY_FOR_SECTION, Section
from boundaries.platform_audit.models import ExportAudit
from boundaries.practices.access import clients_for

GROUPS = [
    (Recommendation.REMOVE, "Connections with clients to remove"),
    (Recommendation.DECLINE, "Requests from clients to decline, without responding"),
    (Recommendation.WITHDRAW, "Requests you sent to clients, to withdraw"),
    (Recommendation.UNFOLLOW, "Clients you follow, to unfollow"),
    (Recommendation.REMOVE_FOLLOWER, "Clients who follow you, to remove as followers"),
]
_CLAUSES = dict(POLICY_FOR_SECTION.values())
_NOTES = {
    Recommendation.DECLINE: (
        "Decline quietly: no reply or explanation on the platform."
        " If the client raises it, talk about it in a session."
    ),
}


@dataclass(frozen=True, slots=True)
class Row:
    client: str
    client_id: int
    status: str
    platform: str
    shown_as: str
    confidence: int  # percent
    certain: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Group:
    title: str
    clause: str
    note: str
    rows: list[Row]


def _row(finding: Finding, clients: dict[int, Any]) -> Row:
    client = clients.get(finding.client_id)
    return Row(
        client=str(client) if client is not None else "A client you no longer see",
        client_id=finding.client_id if client is not None else 0,
        status=client.get_status_display() if client is not None else "",
        platform=finding.platform.label,
        shown_as=finding.shown_as,
        confidence=round(finding.confidence * 100),
        certain=finding.certain,
        reason=finding.reason,
    )


def groups_for(report: ExportReport, user: Any) -> list[Group]:
    ids = {f.client_id for f in report.findings}
    clients = {c.pk: c for c in clients_for(user).filter(pk__in=ids)}
    return [
        Group(
            title=title,
            clause=_CLAUSES[rec].value,
            note=_NOTES.get(rec, ""),
            rows=[_row(f, clients) for f in report.findings if f.recommendation == rec],
        )
        for rec, title in GROUPS
    ]


def summary_lines(report: ExportReport) -> list[str]:
    """Counts per list, e.g. "Facebook: 412 friends and connections"."""
    return [f"{s.platform.label}: {s.people:,} in {s.section.label}" for s in report.sections]


def context(audit: ExportAudit, user: Any) -> dict[str, Any]:
    report = audit.report
    return {
        "audit": audit,
        "report": report,
        "groups": groups_for(report, user),
        "summary": summary_lines(report),
        "problems": report.problems(),
    }


__all__ = ["GROUPS", "Group", "Row", "Section", "context", "groups_for", "summary_lines"]
