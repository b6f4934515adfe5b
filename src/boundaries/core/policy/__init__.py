"""The practice's policy: model, loader, templates, rendering and versions.

The submodules import each other by their full names (``core.policy.model``,
never this package), so this package can hand their names on at its top: all of
``core.policy.model``'s, and the loader's, the error's and the demo policy's.
"""

from __future__ import annotations

from boundaries.core.policy import model
from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.model import *  # noqa: F403 - its __all__, handed on below
from boundaries.core.policy.templates import demo_policy

__all__ = ["PolicyError", "demo_policy", "load_policy"]
__all__ += model.__all__
