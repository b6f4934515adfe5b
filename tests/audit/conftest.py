"""Fixtures for the audit tests: a signing key in a temporary file, and a log with entries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@pytest.fixture
def signing_key_file(tmp_path: Path, settings: Any) -> Path:
    from boundaries.audit.signing import generate_key_file

    path = generate_key_file(tmp_path / "audit-signing.key")
    settings.AUDIT_SIGNING_KEY_FILE = str(path)
    return path


@pytest.fixture
def signing_key(signing_key_file: Path) -> Ed25519PrivateKey:
    from boundaries.audit.signing import load_key_file

    return load_key_file(signing_key_file)


def append_entries(count: int, *, label: str = "test") -> None:
    """``count`` entries through ``record()``, one transaction each, as the actions write them."""
    from django.db import transaction

    from boundaries.audit.log import record

    for number in range(count):
        with transaction.atomic():
            record(
                action="test.appended",
                practice=None,
                actor_label=label,
                object_type="tests.thing",
                object_id=str(number),
                details={"number": number, "zeta": [1, 2], "alpha": {"b": 1, "a": None}},
            )
