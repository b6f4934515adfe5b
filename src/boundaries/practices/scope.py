"""Which rows belong to a practice, in every table: for export and deletion.

Found from the models' foreign keys, not from a list, so a table another app
adds later is exported and deleted with the rest. A model belongs to a practice
if it has a foreign key to ``Practice``, or to a model that does (a client, a
therapist, a message, a welfare check ...), up to three steps away. Sign-in
accounts (the user model) are not followed: they are handled on their own.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import models

from boundaries.practices.models import Practice

__all__ = ["KEPT_MODELS", "path_to_practice", "practice_scoped_models"]

# The audit log is never deleted or changed; its entries keep pointing at the practice.
KEPT_MODELS = frozenset({"audit.auditentry"})
MAX_DEPTH = 3


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[models.Model, models.Model]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is not None
    ]


def path_to_practice(model: type[models.Model], depth: int = 0) -> str | None:
    """The lookup from ``model`` to its practice (``"client__practice"``), or None."""
    if depth > MAX_DEPTH:
        return None
    keys = _foreign_keys(model)
    for key in keys:
        if key.related_model is Practice:
            return key.name
    user_label = settings.AUTH_USER_MODEL.lower()
    for key in keys:
        target = key.related_model
        if target is model or not isinstance(target, type):
            continue
        if target._meta.label_lower == user_label:
            continue
        inner = path_to_practice(target, depth + 1)
        if inner is not None:
            return f"{key.name}__{inner}"
    return None


@cache
def practice_scoped_models() -> tuple[tuple[type[models.Model], str], ...]:
    """Every model with rows of a practice, with its lookup, the audit log excepted.

    ``Practice`` itself is listed with an empty lookup.
    """
    found: list[tuple[type[models.Model], str]] = [(Practice, "")]
    for model in apps.get_models():
        if model is Practice or model._meta.label_lower in KEPT_MODELS:
            continue
        path = path_to_practice(model)
        if path is not None:
            found.append((model, path))
    return tuple(found)
