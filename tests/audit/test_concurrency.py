"""Several writers at once still make one linear chain (threads, each with its own connection)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from boundaries.audit.models import AuditEntry, ChainHead
from boundaries.audit.store import verify
from tests.audit.conftest import append_entries

WRITERS = 4
EACH = 25


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_chain_from_concurrent_writers(signing_key: Any) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        try:
            start.wait()
            append_entries(EACH, label=f"writer-{number}")
        except BaseException as error:  # noqa: BLE001 - reported by the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    total = WRITERS * EACH
    seqs = list(AuditEntry.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    labels = set(AuditEntry.objects.values_list("actor_label", flat=True))
    assert labels == {f"writer-{n}" for n in range(WRITERS)}
    assert ChainHead.objects.get().seq == total
    report = verify([signing_key.public_key()])
    assert report.ok, report.problem
    assert report.entries == total
