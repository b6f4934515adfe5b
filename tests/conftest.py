"""Shared fixtures: personas and a demo practice, on whichever database this run uses."""

from __future__ import annotations

from typing import Any

import pytest


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    name = "PostgreSQL" if "postgres" in engine else "SQLite" if "sqlite" in engine else engine
    host = settings.DATABASES["default"].get("HOST") or "local file/memory"
    return f"database: {name} ({host})"


@pytest.fixture
def practice(db: Any) -> Any:
    from boundaries.practices.actions import do_create_practice

    return do_create_practice(name="Alder Tree Counselling", country="GB", slug="alder")


@pytest.fixture
def alice(practice: Any) -> Any:
    """Alice owns the practice and sees every client."""
    from boundaries.practices.actions import do_add_therapist
    from boundaries.practices.models import Therapist

    return do_add_therapist(
        practice,
        username="alice",
        password="correct horse battery staple",
        display_name="Alice Owner",
        role=Therapist.Role.OWNER,
    )


@pytest.fixture
def bob(practice: Any) -> Any:
    """Bob is a therapist in Alice's practice who sees only his own clients."""
    from boundaries.practices.actions import do_add_therapist

    return do_add_therapist(
        practice, username="bob", password="another long passphrase", display_name="Bob Member"
    )


@pytest.fixture
def charlie(db: Any) -> Any:
    """Charlie is a therapist in another practice."""
    from boundaries.practices.actions import do_add_therapist, do_create_practice

    other = do_create_practice(name="Elsewhere Therapy", country="US", slug="elsewhere")
    return do_add_therapist(
        other, username="charlie", password="a third long passphrase", display_name="Charlie"
    )


@pytest.fixture
def demo_practice(db: Any) -> Any:
    from boundaries.demo import load_demo

    practice, _ = load_demo()
    return practice
