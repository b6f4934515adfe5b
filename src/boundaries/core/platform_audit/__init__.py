"""Boundary audit of the therapist's own platform downloads (clauses no-connections, no-following).

Pure: takes the bytes of a Facebook, Instagram or LinkedIn download and the
client register as plain data, and returns a report of clients to remove,
requests to decline without responding, clients followed or following, and
everything that could not be read. Never reads anyone's profile online.
"""

from __future__ import annotations

from boundaries.core.platform_audit.archive import read_export
from boundaries.core.platform_audit.matching import ClientIndex, Match, RegisterClient
from boundaries.core.platform_audit.model import (
    ExportData,
    Finding,
    MatchBasis,
    Missing,
    Person,
    Platform,
    Recommendation,
    Section,
    SectionData,
    Unreadable,
)
from boundaries.core.platform_audit.report import ExportReport, SectionSummary, audit
from boundaries.core.platform_audit.text import repair_mojibake

__all__ = [
    "ClientIndex",
    "ExportData",
    "ExportReport",
    "Finding",
    "Match",
    "MatchBasis",
    "Missing",
    "Person",
    "Platform",
    "Recommendation",
    "RegisterClient",
    "Section",
    "SectionData",
    "SectionSummary",
    "Unreadable",
    "audit",
    "read_export",
    "repair_mojibake",
]
