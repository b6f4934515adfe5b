"""The outbound guard: checks a draft against the policy before it is sent (issue #8).

The package hands on ``check`` and its limits, and all of ``core.guard.model``'s names.
"""

from boundaries.core.guard import model
from boundaries.core.guard.check import ALWAYS_BLOCK, MAX_CLASSIFIED_CHARS, check
from boundaries.core.guard.model import *  # noqa: F403 - its __all__, handed on below

__all__ = ["ALWAYS_BLOCK", "MAX_CLASSIFIED_CHARS", "check"]
__all__ += model.__all__
