"""The database side of the chain: stream entries to the verifier, sign checkpoints, export.

Entries are read in keyset-paginated batches of plain tuples, with the
timestamp formatted by the database itself (``canonical_time``'s format), so
the verifier's loop does one JSON encoding and one SHA-256 per entry and no
ORM conversion at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import IntegrityError, connection

from boundaries.audit import chain
from boundaries.audit.chain import ChainVerifier, Checkpoint, Problem
from boundaries.audit.models import AuditCheckpoint, AuditEntry, ChainHead
from boundaries.audit.signing import signing_key

__all__ = [
    "AuditChainError",
    "VerifyReport",
    "export",
    "iter_batches",
    "verify",
    "write_checkpoint",
]

BATCH = 20_000
_TIME_SQLITE = (
    "CASE WHEN length(created_at) = 19 THEN replace(created_at, ' ', 'T') "
    "|| '.000000Z' ELSE replace(created_at, ' ', 'T') || 'Z' END"
)
_COLUMNS = (
    "seq, prev_hash, entry_hash, {time}, practice_id, actor_id, actor_label, action, "
    "object_type, object_id, reason, {details}"
)
_SQL_BY_VENDOR = {
    # Django keeps UTC as 'YYYY-MM-DD HH:MM:SS[.ffffff]' text on SQLite.
    "sqlite": {
        "time": _TIME_SQLITE,
        "details": "details",
    },
    "postgresql": {
        "time": "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
        "details": "details::text",
    },
}


class AuditChainError(RuntimeError):
    """The chain does not verify, so a checkpoint must not be signed over it."""


# SQLite builds the hashed JSON array itself: one string per row to fetch and hash.
_ENCODED_SQLITE = (
    f"seq, prev_hash, entry_hash, json_array(seq, prev_hash, {_TIME_SQLITE}, practice_id, "
    "actor_id, actor_label, action, object_type, object_id, reason, details)"
)


def iter_encoded_batches(
    first_seq: int = 1, last_seq: int | None = None, *, batch: int = BATCH
) -> Iterator[list[tuple[Any, ...]]] | None:
    """Rows ``(seq, prev_hash, entry_hash, payload)`` for ``ChainVerifier.feed_encoded``.

    None where the database cannot build the payload (only SQLite does, for now).
    """
    if connection.vendor != "sqlite":
        return None
    return _keyset(_ENCODED_SQLITE, first_seq, last_seq, batch)


def _keyset(
    columns: str, first_seq: int, last_seq: int | None, batch: int
) -> Iterator[list[tuple[Any, ...]]]:
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    limit = "" if last_seq is None else " AND seq <= %s"
    query = (
        f"SELECT {columns} FROM {table} "  # noqa: S608 - only our own column names
        f"WHERE seq >= %s{limit} ORDER BY seq LIMIT {int(batch)}"
    )
    start = first_seq
    with connection.cursor() as cursor:
        while True:
            cursor.execute(query, [start] if last_seq is None else [start, last_seq])
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            if len(rows) < batch:
                return
            start = rows[-1][0] + 1


#: From this many entries, SQLite chains are checked in ranges by worker processes.
PARALLEL_MIN = 200_000
PARALLEL_WORKERS = 4


@dataclass(frozen=True, slots=True)
class _RangeResult:
    first_seq: int | None  # seq of the range's first row (None: no rows in the range)
    first_prev: str  # that row's prev_hash
    next_seq: int
    last_hash: str
    count: int
    problem: Problem | None


def _verify_range(
    path: str, table: str, first: int, last: int, expected: dict[int, str]
) -> _RangeResult:
    """In a worker process: check seqs ``first..last`` on a connection of its own."""
    import sqlite3

    query = (
        f"SELECT {_ENCODED_SQLITE} FROM {table} "  # noqa: S608 - only our own names
        f"WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT {BATCH}"
    )
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verifier: ChainVerifier | None = None
        first_row: tuple[int, str] | None = None
        start = first
        while True:
            rows = database.execute(query, (start, last)).fetchall()
            if not rows:
                break
            if verifier is None:
                first_row = (rows[0][0], rows[0][1])
                verifier = ChainVerifier(first_seq=first, prev_hash=rows[0][1], expected=expected)
            if verifier.feed_encoded(rows) is not None or len(rows) < BATCH:
                break
            start = rows[-1][0] + 1
    finally:
        database.close()
    if verifier is None or first_row is None:
        return _RangeResult(None, "", first, "", 0, None)
    return _RangeResult(
        first_row[0],
        first_row[1],
        verifier.next_seq,
        verifier.last_hash,
        verifier.count,
        verifier.problem,
    )


def _next_seq_after(seq: int) -> int | None:
    value: int | None = (
        AuditEntry.objects.filter(seq__gt=seq).order_by("seq").values_list("seq", flat=True).first()
    )
    return value


def _feed_parallel(
    verifier: ChainVerifier,
    last_seq: int | None,
    progress: Callable[[int], None] | None,
) -> bool:
    """Check a large SQLite chain in seq ranges on several cores, then stitch the ranges.

    Each range is checked like the whole chain, anchored at its first row; the
    stitch checks each anchor against the range before, in the order the serial
    check would, so the verdict and the first bad seq are the same (a test
    compares the two on random tamperings).
    """
    workers = min(os.cpu_count() or 1, PARALLEL_WORKERS)
    if (
        connection.vendor != "sqlite"
        or connection.in_atomic_block  # workers would not see uncommitted rows
        or last_seq is None
        or last_seq < PARALLEL_MIN
        or workers < 2
        or verifier.next_seq != 1
    ):
        return False
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    path = str(connection.settings_dict["NAME"])
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    size = -(-last_seq // workers)
    ranges = [(lo, min(lo + size - 1, last_seq)) for lo in range(1, last_seq + 1, size)]
    pinned = verifier._expected
    jobs = [
        (path, table, lo, hi, {seq: h for seq, h in pinned.items() if lo <= seq <= hi})
        for lo, hi in ranges
    ]
    connection.close()  # forked workers must never share this connection
    with ProcessPoolExecutor(len(jobs), mp_context=multiprocessing.get_context("fork")) as pool:
        results = list(pool.map(_verify_range, *zip(*jobs, strict=True)))
    prev = chain.GENESIS
    expected_seq = 1
    for (lo, hi), result in zip(ranges, results, strict=True):
        problem: Problem | None = None
        if result.first_seq == lo and result.first_prev != prev:
            # The serial check tests the link before the row's own hash.
            problem = Problem(lo, f"prev_hash does not match the hash of seq {lo - 1}")
        else:
            problem = result.problem
        verifier.count += result.count
        if progress is not None:
            progress(result.count)
        if problem is None and result.next_seq != hi + 1:
            # The range ran out early: the serial check would meet the next row's seq.
            found = _next_seq_after(hi)
            if found is not None:
                problem = chain._seq_problem(result.next_seq, found)
        if problem is not None:
            verifier.problem = problem
            verifier.next_seq = problem.seq
            return True
        if result.first_seq is None:
            break
        prev = result.last_hash
        expected_seq = result.next_seq
    verifier.next_seq = expected_seq
    verifier.last_hash = prev
    return True


def _feed_all(
    verifier: ChainVerifier,
    first_seq: int,
    last_seq: int | None,
    progress: Callable[[int], None] | None = None,
) -> None:
    if first_seq == 1 and _feed_parallel(verifier, last_seq, progress):
        return
    encoded = iter_encoded_batches(first_seq, last_seq)
    batches = encoded if encoded is not None else iter_batches(first_seq, last_seq)
    feed = verifier.feed_encoded if encoded is not None else verifier.feed
    for rows in batches:
        if feed(rows) is not None:
            return
        if progress is not None:
            progress(len(rows))


def iter_batches(
    first_seq: int = 1, last_seq: int | None = None, *, batch: int = BATCH
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows shaped like ``chain.Entry`` in seq order, ``batch`` at a time."""
    sql = _SQL_BY_VENDOR.get(connection.vendor)
    if sql is None:
        yield from _iter_batches_orm(first_seq, last_seq, batch)
        return
    yield from _keyset(_COLUMNS.format(**sql), first_seq, last_seq, batch)


def _iter_batches_orm(
    first_seq: int, last_seq: int | None, batch: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Any other database: through the ORM, converting in Python (slower)."""
    entries = AuditEntry.objects.filter(seq__gte=first_seq).order_by("seq")
    if last_seq is not None:
        entries = entries.filter(seq__lte=last_seq)
    rows = entries.values_list(*chain.Entry._fields).iterator(chunk_size=batch)
    current: list[tuple[Any, ...]] = []
    for row in rows:
        current.append(
            (*row[:3], chain.canonical_time(row[3]), *row[4:11], chain.canonical_details(row[11]))
        )
        if len(current) == batch:
            yield current
            current = []
    if current:
        yield current


def checkpoints() -> list[Checkpoint]:
    return [
        Checkpoint(
            cp.seq,
            cp.entry_hash,
            chain.canonical_time(cp.signed_at),
            cp.key_fingerprint,
            cp.signature,
        )
        for cp in AuditCheckpoint.objects.order_by("seq")
    ]


@dataclass(slots=True)
class VerifyReport:
    entries: int = 0
    last_seq: int = 0
    checkpoints: int = 0
    problem: Problem | None = None  # the first bad entry
    checkpoint_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.checkpoint_problems


def verify(
    trusted_keys: Sequence[Ed25519PublicKey],
    *,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Check every checkpoint's signature, then the whole chain against them and the head.

    Checkpoints and the head are read before the entries, so entries appended
    while this runs are left for the next run rather than reported.
    """
    trusted = {chain.fingerprint(key): key for key in trusted_keys}
    report = VerifyReport()
    valid: list[Checkpoint] = []
    for checkpoint in checkpoints():
        wrong = chain.verify_checkpoint(checkpoint, trusted)
        if wrong is None:
            valid.append(checkpoint)
        else:
            report.checkpoint_problems.append(f"checkpoint at seq {checkpoint.seq}: {wrong}")
    report.checkpoints = len(valid)
    head_row = ChainHead.objects.filter(pk=1).values_list("seq", "entry_hash").first()
    head = (head_row[0], head_row[1]) if head_row is not None else None
    if on_total is not None:
        total = head[0] if head else AuditEntry.objects.count()
        on_total(max([total, *(cp.seq for cp in valid)]))
    verifier = ChainVerifier(expected={cp.seq: cp.entry_hash for cp in valid})
    _feed_all(verifier, 1, head[0] if head else None, progress)
    if head is None and not verifier.count and not valid:
        head = (0, chain.GENESIS)
    report.problem = verifier.finish(head=head, checkpoints=valid)
    report.entries = verifier.count
    report.last_seq = verifier.last_seq
    return report


def write_checkpoint(now: Any, private_key: Any = None) -> AuditCheckpoint | None:
    """Sign the chain head, after checking the entries since the last checkpoint.

    Returns None when there is nothing new to sign. Raises ``AuditChainError``
    rather than sign over a chain that does not verify.
    """
    key = private_key if private_key is not None else signing_key()
    public = key.public_key()
    head = ChainHead.objects.filter(pk=1).first()
    if head is None or head.seq == 0:
        return None
    last = AuditCheckpoint.objects.order_by("-seq").first()
    if last is not None and last.seq >= head.seq:
        return None
    start, anchor = 1, chain.GENESIS
    if last is not None and last.key_fingerprint == chain.fingerprint(public):
        previous = Checkpoint(
            last.seq,
            last.entry_hash,
            chain.canonical_time(last.signed_at),
            last.key_fingerprint,
            last.signature,
        )
        wrong = chain.verify_checkpoint(previous, {last.key_fingerprint: public})
        if wrong is not None:
            raise AuditChainError(f"checkpoint at seq {last.seq}: {wrong}")
        start, anchor = last.seq + 1, last.entry_hash
    verifier = ChainVerifier(first_seq=start, prev_hash=anchor)
    _feed_all(verifier, start, head.seq)
    problem = verifier.finish(head=(head.seq, head.entry_hash))
    if problem is not None:
        raise AuditChainError(str(problem))
    signed_at = now  # DateTimeField keeps microseconds on SQLite and PostgreSQL
    signed = chain.sign_checkpoint(
        key, seq=head.seq, entry_hash=head.entry_hash, signed_at=chain.canonical_time(signed_at)
    )
    try:
        return AuditCheckpoint.objects.create(
            seq=signed.seq,
            entry_hash=signed.entry_hash,
            signed_at=signed_at,
            key_fingerprint=signed.key_fingerprint,
            signature=signed.signature,
        )
    except IntegrityError:
        return None  # another scheduler signed this seq a moment ago


def export(
    first_seq: int, last_seq: int, public_keys: Sequence[Ed25519PublicKey]
) -> dict[str, Any]:
    """Entries ``first_seq..last_seq``, the hash they hang from, the checkpoints over them."""
    if first_seq < 1 or last_seq < first_seq:
        raise ValueError(
            f"--from must be at least 1 and --to at least --from ({first_seq}..{last_seq})"
        )
    entries = [
        chain.export_entry(row) for rows in iter_batches(first_seq, last_seq) for row in rows
    ]
    if not entries or entries[0]["seq"] != first_seq or entries[-1]["seq"] != last_seq:
        raise ValueError(f"the log does not hold seq {first_seq} to {last_seq}")
    covering = [cp._asdict() for cp in checkpoints() if first_seq - 1 <= cp.seq <= last_seq]
    return {
        "format": chain.EXPORT_FORMAT,
        "version": 1,
        "from_seq": first_seq,
        "to_seq": last_seq,
        "anchor": {"seq": first_seq - 1, "entry_hash": entries[0]["prev_hash"]},
        "public_keys": [
            {"fingerprint": chain.fingerprint(key), "pem": chain.public_key_pem(key)}
            for key in public_keys
        ],
        "checkpoints": covering,
        "entries": entries,
    }
