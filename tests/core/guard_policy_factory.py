"""Policies for the guard's tests, built from the model's dataclasses.

The shared demo policy is being written beside the guard; these tests build their
own so they can switch clauses off and change severities one at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from boundaries.core.policy.model import (
    CLAUSE_ORDER,
    Clause,
    CrisisLine,
    CrisisResources,
    EthicsBody,
    Policy,
    PracticeDetails,
    ReplyTemplates,
    Severity,
)
from boundaries.core.policy.schema import DEFAULT_SEVERITIES
from boundaries.core.types import ClauseId

UK_CRISIS = CrisisResources(
    country="GB",
    emergency="999",
    lines=(
        CrisisLine("Samaritans", "116 123", "Any time, day or night, free."),
        CrisisLine("NHS", "111", "Urgent medical help that is not an emergency."),
    ),
)
US_CRISIS = CrisisResources(
    country="US",
    emergency="911",
    lines=(CrisisLine("988 Suicide & Crisis Lifeline", "988", "Call or text, any time."),),
)


def make_policy(
    country: str = "GB",
    *,
    disabled: Iterable[ClauseId] = (),
    severities: Mapping[ClauseId, Severity] | None = None,
) -> Policy:
    off = set(disabled)
    chosen = {**DEFAULT_SEVERITIES, **(severities or {})}
    clauses = {
        clause_id: Clause(
            id=clause_id,
            enabled=clause_id not in off,
            severity=chosen[clause_id],
            title=clause_id.value,
            text="",
            params={},
        )
        for clause_id in CLAUSE_ORDER
    }
    body = EthicsBody(
        name="UK Council for Psychotherapy",
        short_name="UKCP",
        address="America House, 2 America Square, London EC3N 2LU",
        url="https://www.psychotherapy.org.uk",
    )
    practice = PracticeDetails(
        name="Alder Tree Counselling",
        therapist_name="Alice Owner",
        country=country,
        timezone="Europe/London" if country == "GB" else "America/New_York",
        phone="+441632960123" if country == "GB" else "+12025550143",
        email="alice@alder.example",
        website="https://alder.example",
        professional_body=body,
    )
    return Policy(
        practice=practice,
        clauses=clauses,
        crisis={"GB": UK_CRISIS, "US": US_CRISIS},
        replies=ReplyTemplates(
            crisis="", redirect_social="", redirect_channel="", secure_channel=""
        ),
        secure_channel_name="the secure portal",
        feed_url="https://alder.example/feed.xml",
    )
