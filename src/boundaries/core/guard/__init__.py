"""The outbound guard: checks a draft against the policy before it is sent (issue #8)."""

from boundaries.core.guard.check import ALWAYS_BLOCK, MAX_CLASSIFIED_CHARS, check
from boundaries.core.guard.model import (
    Draft,
    DraftPart,
    Finding,
    GuardResult,
    GuardRule,
    ImageMeta,
    OutboundChannel,
    Recipient,
    RecipientStatus,
    Span,
)

__all__ = [
    "ALWAYS_BLOCK",
    "MAX_CLASSIFIED_CHARS",
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
    "check",
]
