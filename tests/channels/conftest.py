from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


def alder_practice() -> tuple[Any, Any]:
    """Alder practice with a published policy and its owner, Alice: each channel's start."""
    from boundaries.demo import demo_policy_source
    from boundaries.portal.actions import do_publish_policy
    from boundaries.practices import actions
    from boundaries.practices.models import Therapist

    practice = actions.do_create_practice(name="Alder Tree Counselling", country="GB", slug="alder")
    alice = actions.do_add_therapist(
        practice,
        username="alice",
        password="correct horse battery staple",
        display_name="Alice Owner",
        email="alice@alder.example",
        role=Therapist.Role.OWNER,
    )
    do_publish_policy(practice, source=demo_policy_source(), summary="First")
    return practice, alice


def signed_in_alice(*, confirmed: bool) -> Any:
    """A browser session for Alice, signed in with password and code; ``confirmed`` when she
    has also just re-entered both (what a message's content and attachments ask for)."""
    from django.test import Client as HttpClient

    from boundaries.practices.models import Therapist
    from tests.web.signin import reauthenticate, sign_in

    alice = Therapist.objects.get(user__username="alice").user
    http = HttpClient()
    sign_in(http, alice)
    if confirmed:
        reauthenticate(http, alice)
    return http


def add_rowan(practice: Any, alice: Any, *, channels: list[str], **contact: Any) -> Any:
    """Rowan, Alice's client, who agreed to ``channels`` and has a session in three days."""
    from boundaries.practices import actions

    rowan = actions.do_add_client(
        practice, first_name="Rowan", last_name="Ashby", therapist=alice, **contact
    )
    actions.do_set_agreement(rowan, channels=channels)
    actions.do_add_appointment(
        rowan, starts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3), uid="next"
    )
    return rowan


@contextmanager
def fake_api(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    """A third-party HTTP API's stand-in on a loopback port, for as long as the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def mail_practice(transactional_db: Any) -> Any:
    """Alder practice with a published policy, a mailbox, and a client who emails."""
    from boundaries.inbox.models import InboundRoute

    practice, alice = alder_practice()
    InboundRoute.objects.create(practice=practice, kind="email", address="inbox@alder.example")
    add_rowan(practice, alice, channels=["email", "phone"], emails=["rowan@example.org"])
    return practice


def run_worker() -> None:
    """Run every queued task in this process, on the test's own database connection.

    The worker closes "old" connections between tasks; inside a test's transaction that
    would close the test's connection, so that one call is switched off here.
    """
    from unittest import mock

    from django.core.management import call_command

    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _run_db_worker(call_command)


def _run_db_worker(call_command: Any) -> None:
    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--queue-name", "*",
        verbosity=0,
    )  # fmt: skip
