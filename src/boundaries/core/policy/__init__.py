"""The practice's policy: model, loader, templates, rendering and versions.

The submodules import each other by their full names (``core.policy.model``,
never this package), so this package can hand their names on at its top.
"""

from __future__ import annotations

from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import load_policy
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
from boundaries.core.policy.templates import demo_policy

__all__ = [
    "CLAUSE_ORDER",
    "Clause",
    "CrisisLine",
    "CrisisResources",
    "EthicsBody",
    "Policy",
    "PolicyError",
    "PracticeDetails",
    "ReplyTemplates",
    "Severity",
    "demo_policy",
    "load_policy",
]
