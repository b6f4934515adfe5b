"""The error every action raises for a change it refuses, at the bottom of the layers.

It lives here, not in any app, so that every app can raise or catch it without
importing another app's actions.
"""

from __future__ import annotations

__all__ = ["ActionError"]


class ActionError(ValueError):
    """A change that cannot be made, with a message that says why."""
