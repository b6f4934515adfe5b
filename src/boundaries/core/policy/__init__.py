"""The practice's policy: model, loader, templates, rendering and versions.

``load_policy``, ``PolicyError`` and ``demo_policy`` are imported on first use
(PEP 562), so importing the model alone stays cheap and the loader and
templates, which import the model, never form a cycle with this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from boundaries.core.policy.errors import PolicyError
    from boundaries.core.policy.loader import load_policy
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

_LAZY = {
    "PolicyError": "boundaries.core.policy.errors",
    "load_policy": "boundaries.core.policy.loader",
    "demo_policy": "boundaries.core.policy.templates",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
