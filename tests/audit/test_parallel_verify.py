"""Large SQLite chains are verified in seq ranges by worker processes; the verdict and the
first bad seq must be exactly those of the serial check, whatever was tampered with."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import IntegrityError, connection, transaction

from boundaries.audit import store
from boundaries.audit.models import AuditEntry, ChainHead
from tests.audit.conftest import append_entries
from tests.audit.test_log import ENTRIES, delete, insert, modify, reorder, truncate

pytestmark = pytest.mark.django_db(transaction=True)


def fresh_chain() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(AuditEntry._meta.db_table)}")  # noqa: S608
    ChainHead.objects.all().delete()
    append_entries(ENTRIES)


def both(key: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.setattr(store, "PARALLEL_MIN", 10**9)
    serial = store.verify([key.public_key()])
    monkeypatch.setattr(store, "PARALLEL_MIN", 1)
    parallel = store.verify([key.public_key()])
    return str(serial.problem), str(parallel.problem)


@pytest.fixture(autouse=True)
def _sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the parallel check reads the SQLite file directly")


def test_the_parallel_check_passes_an_intact_chain_and_counts_every_entry(
    signing_key: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    append_entries(ENTRIES)
    monkeypatch.setattr(store, "PARALLEL_MIN", 1)
    report = store.verify([signing_key.public_key()])
    assert report.ok
    assert (report.entries, report.last_seq) == (ENTRIES, ENTRIES)


@pytest.mark.parametrize("tamper", [modify, delete, insert, reorder, truncate])
def test_the_parallel_check_names_the_same_first_bad_entry_as_the_serial_one(
    tamper: Callable[[random.Random], int],
    signing_key: Ed25519PrivateKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(f"parallel-{tamper.__name__}")
    for trial in range(8):
        fresh_chain()
        while True:  # a forged actor id may break a foreign key here: draw again
            try:
                with transaction.atomic():
                    tamper(rng)
                break
            except IntegrityError:
                continue
        serial, parallel = both(signing_key, monkeypatch)
        assert serial != "None", (tamper.__name__, trial)
        assert parallel == serial, (tamper.__name__, trial)
