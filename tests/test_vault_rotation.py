"""Key rotation reaches every sealed column, so no record is left under a retired key."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from boundaries.vault.rotation import SEALED_FIELDS


def test_every_sealed_binary_column_is_rewrapped_by_a_rotation() -> None:
    sealed = {
        (model._meta.app_label, model.__name__, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.BinaryField) and field.name.startswith("sealed")
    }
    assert sealed, "no sealed column found: the check itself is broken"
    assert sealed <= set(SEALED_FIELDS), f"not rotated: {sorted(sealed - set(SEALED_FIELDS))}"
