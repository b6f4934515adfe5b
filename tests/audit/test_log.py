"""The chain on the real database: record(), verify, checkpoints, tampering by raw SQL."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, transaction

from boundaries.audit import chain
from boundaries.audit.log import append, record
from boundaries.audit.models import AuditCheckpoint, AuditEntry, ChainHead
from boundaries.audit.store import AuditChainError, VerifyReport, verify, write_checkpoint
from tests.audit.conftest import append_entries

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)
ENTRIES = 40
BIG = 10**12  # a parking seq while rows swap places under the unique constraint


def table() -> str:
    return connection.ops.quote_name(AuditEntry._meta.db_table)


def sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("{table}", table()), params)


def check(key: Ed25519PrivateKey) -> VerifyReport:
    return verify([key.public_key()])


def test_it_links_each_entry_to_the_one_before(signing_key: Ed25519PrivateKey) -> None:
    append_entries(5)
    rows = list(AuditEntry.objects.values_list("seq", "prev_hash", "entry_hash"))
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0][1] == chain.GENESIS
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, 5))
    head = ChainHead.objects.get()
    assert (head.seq, head.entry_hash) == (5, rows[-1][2])
    report = check(signing_key)
    assert report.ok
    assert (report.entries, report.last_seq) == (5, 5)


def test_it_stores_details_as_canonical_text_on_sqlite() -> None:
    """So verification hashes the stored text as it is (PostgreSQL's jsonb reorders keys)."""
    if connection.vendor != "sqlite":
        pytest.skip("jsonb keeps its own key order; verification canonicalizes it")
    append_entries(1)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT details FROM {table()}")  # noqa: S608 - our table name
        (stored,) = cursor.fetchone()
    assert stored == chain.canonical_details(AuditEntry.objects.get().details)
    assert stored.index('"alpha"') < stored.index('"number"') < stored.index('"zeta"')


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(action="x", practice=None)


def test_it_verifies_entries_written_by_the_actions(practice: Any, signing_key: Any) -> None:
    assert AuditEntry.objects.filter(practice=practice).exists()
    assert check(signing_key).ok


def test_it_appends_a_batch_under_one_lock(signing_key: Ed25519PrivateKey) -> None:
    append_entries(2)
    batch = [
        AuditEntry(
            actor_label="bench",
            action="bulk",
            object_type="t",
            object_id=str(n),
            details={"n": n},
            created_at=NOW + dt.timedelta(microseconds=n),
        )
        for n in range(500)
    ]
    with transaction.atomic():
        append(batch)
    assert ChainHead.objects.get().seq == 502
    assert check(signing_key).ok


def test_it_signs_a_checkpoint_once_per_new_head(signing_key: Ed25519PrivateKey) -> None:
    assert write_checkpoint(NOW) is None  # nothing to sign yet
    append_entries(3)
    checkpoint = write_checkpoint(NOW)
    assert checkpoint is not None
    assert (checkpoint.seq, checkpoint.entry_hash) == (3, ChainHead.objects.get().entry_hash)
    assert checkpoint.key_fingerprint == chain.fingerprint(signing_key.public_key())
    assert write_checkpoint(NOW + dt.timedelta(hours=1)) is None
    append_entries(2)
    assert write_checkpoint(NOW + dt.timedelta(hours=2)).seq == 5
    report = check(signing_key)
    assert report.ok
    assert report.checkpoints == 2


def test_it_verifies_text_sqlite_and_python_escape_differently(signing_key: Any) -> None:
    with transaction.atomic():
        record(
            action="client.renamed",
            practice=None,
            actor_label="Zoë Ångström 東京",
            reason='said "stop"\ttab\nnewline \\ \x01 \u2028 \U0001f600',
            details={"note": "naïve", "ctl": "\x1f"},
        )
    append_entries(2)
    assert check(signing_key).ok


def test_it_refuses_to_sign_over_a_tampered_chain(signing_key: Ed25519PrivateKey) -> None:
    append_entries(4)
    write_checkpoint(NOW)
    append_entries(4)
    sql("UPDATE {table} SET reason = 'edited' WHERE seq = 6")
    with pytest.raises(AuditChainError, match="seq 6: contents do not match"):
        write_checkpoint(NOW + dt.timedelta(hours=1))


def test_the_scheduler_enqueues_the_checkpoint_job_hourly() -> None:
    from boundaries.records.scheduling import JOBS

    job = next(job for job in JOBS if job.name == "audit-checkpoint")
    assert job.every == dt.timedelta(hours=1)


# Tampering through raw SQL, each trial rolled back to the intact log.


def modify(rng: random.Random) -> int:
    seq = rng.randrange(1, ENTRIES + 1)
    column, value = rng.choice(
        [
            ("action", "'vault.file_deleted'"),
            ("reason", "'no reason'"),
            ("object_id", "'999'"),
            ("actor_label", "'mallory'"),
            ("details", """'{"number": 1}'"""),
            ("prev_hash", "'" + "1" * 64 + "'"),
            ("entry_hash", "'" + "2" * 64 + "'"),
            ("actor_id", "424242"),
            ("created_at", "created_at"),  # replaced below: a second later
        ]
    )
    if column == "created_at":
        shifted = AuditEntry.objects.get(seq=seq).created_at + dt.timedelta(seconds=1)
        AuditEntry.objects.filter(seq=seq).update(created_at=shifted)
    else:
        sql(f"UPDATE {{table}} SET {column} = {value} WHERE seq = %s", seq)  # noqa: S608 - constants
    return seq


def delete(rng: random.Random) -> int:
    seq = rng.randrange(1, ENTRIES)
    sql("DELETE FROM {table} WHERE seq = %s", seq)
    return seq


def insert(rng: random.Random) -> int:
    """Make room by renumbering, then insert a well-formed forged entry."""
    seq = rng.randrange(1, ENTRIES + 1)
    sql("UPDATE {table} SET seq = seq + %s WHERE seq >= %s", BIG, seq)
    sql("UPDATE {table} SET seq = seq - %s + 1 WHERE seq >= %s", BIG, BIG)
    prev = AuditEntry.objects.get(seq=seq - 1).entry_hash if seq > 1 else chain.GENESIS
    fields = {
        "seq": seq,
        "prev_hash": prev,
        "created_at": NOW,
        "practice_id": None,
        "actor_id": None,
        "actor_label": "mallory",
        "action": "forged",
        "object_type": "t",
        "object_id": "1",
        "reason": "",
        "details": {},
    }
    digest = chain.entry_hash(
        **{**fields, "created_at": chain.canonical_time(NOW), "details": "{}"}
    )
    AuditEntry.objects.bulk_create([AuditEntry(entry_hash=digest, **fields)])
    return seq + 1  # the forged entry is consistent; its successor's link is not


def reorder(rng: random.Random) -> int:
    first, second = sorted(rng.sample(range(1, ENTRIES + 1), 2))
    sql("UPDATE {table} SET seq = %s WHERE seq = %s", BIG, first)
    sql("UPDATE {table} SET seq = %s WHERE seq = %s", first, second)
    sql("UPDATE {table} SET seq = %s WHERE seq = %s", second, BIG)
    return first


def truncate(rng: random.Random) -> int:
    keep = rng.randrange(0, ENTRIES)
    sql("DELETE FROM {table} WHERE seq > %s", keep)
    return keep + 1


@pytest.mark.parametrize("tamper", [modify, delete, insert, reorder, truncate])
def test_it_names_the_first_bad_entry_after_raw_sql_tampering(
    tamper: Callable[[random.Random], int], signing_key: Ed25519PrivateKey
) -> None:
    append_entries(ENTRIES)
    assert check(signing_key).ok
    rng = random.Random(tamper.__name__)
    for trial in range(12):
        with transaction.atomic():
            first_bad = tamper(rng)
            report = check(signing_key)
            transaction.set_rollback(True)
        assert report.problem is not None, (tamper.__name__, trial)
        assert report.problem.seq == first_bad, (tamper.__name__, trial, str(report.problem))
    assert check(signing_key).ok


def test_it_detects_a_forged_checkpoint_signature(signing_key: Ed25519PrivateKey) -> None:
    append_entries(5)
    write_checkpoint(NOW)
    AuditCheckpoint.objects.update(signature="ab" * 64)
    report = check(signing_key)
    assert report.checkpoint_problems == ["checkpoint at seq 5: signature does not verify"]
    assert not report.ok


def test_it_detects_history_rewritten_and_resigned_with_another_key(
    signing_key: Ed25519PrivateKey,
) -> None:
    append_entries(10)
    write_checkpoint(NOW)
    # Mallory edits seq 3, recomputes every hash after it and re-signs with her own key.
    rows = [chain.Entry(*row) for rows in _rows() for row in rows]
    rows[2] = rows[2]._replace(reason="covered up")
    with connection.cursor() as cursor:
        prev = rows[1].entry_hash
        for row in rows[2:]:
            fields = row._replace(prev_hash=prev)._asdict()
            del fields["entry_hash"]
            prev = chain.entry_hash(**fields)
            cursor.execute(
                f"UPDATE {table()} SET reason = %s, prev_hash = %s, entry_hash = %s "  # noqa: S608
                "WHERE seq = %s",
                [row.reason, fields["prev_hash"], prev, row.seq],
            )
    ChainHead.objects.update(entry_hash=prev)
    mallory = Ed25519PrivateKey.generate()
    AuditCheckpoint.objects.all().delete()
    write_checkpoint(NOW, private_key=mallory)
    report = check(signing_key)
    mallory_id = chain.fingerprint(mallory.public_key())[:16]
    assert report.checkpoint_problems == [
        f"checkpoint at seq 10: signed by an unknown key {mallory_id}…"
    ]
    # With the old checkpoint kept instead, the rewrite shows at the checkpoint's seq.
    AuditCheckpoint.objects.all().delete()
    AuditCheckpoint.objects.create(**_signed(signing_key, 10, rows[9].entry_hash))
    report = check(signing_key)
    assert report.problem is not None
    assert report.problem.seq == 10
    assert "signed checkpoint" in report.problem.what


def test_it_detects_truncation_past_the_last_checkpoint_with_the_head_rewritten(
    signing_key: Ed25519PrivateKey,
) -> None:
    append_entries(20)
    write_checkpoint(NOW)
    sql("DELETE FROM {table} WHERE seq > 15")
    ChainHead.objects.update(seq=15, entry_hash=AuditEntry.objects.get(seq=15).entry_hash)
    report = check(signing_key)
    assert report.problem is not None
    assert report.problem.seq == 16
    assert "signed checkpoint covers seq 20" in report.problem.what


def test_it_detects_truncation_after_the_last_checkpoint_through_the_head(
    signing_key: Ed25519PrivateKey,
) -> None:
    append_entries(20)
    write_checkpoint(NOW)
    append_entries(5)
    sql("DELETE FROM {table} WHERE seq > 22")
    report = check(signing_key)
    assert report.problem is not None
    assert report.problem.seq == 23
    assert "chain head says seq 25" in report.problem.what


def _rows() -> Any:
    from boundaries.audit.store import iter_batches

    return iter_batches()


def _signed(key: Ed25519PrivateKey, seq: int, digest: str) -> dict[str, Any]:
    signed = chain.sign_checkpoint(
        key, seq=seq, entry_hash=digest, signed_at=chain.canonical_time(NOW)
    )
    return {
        "seq": seq,
        "entry_hash": digest,
        "signed_at": NOW,
        "key_fingerprint": signed.key_fingerprint,
        "signature": signed.signature,
    }


def test_iter_batches_matches_the_orm_on_this_database() -> None:
    from boundaries.audit.store import _iter_batches_orm, iter_batches

    append_entries(7)
    fast = [row for rows in iter_batches(batch=3) for row in rows]
    portable = [row for rows in _iter_batches_orm(1, None, 3) for row in rows]
    assert [row[:11] for row in fast] == [row[:11] for row in portable]
    verifier = chain.ChainVerifier()
    assert verifier.feed(portable) is None
