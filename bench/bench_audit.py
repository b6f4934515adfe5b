"""Audit log: append and verify a million-entry hash chain; concurrent writers on PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/bench_audit.py [--entries 1000000] [--dir /tmp]
        [--pg postgres://postgres@127.0.0.1:5432/test] [--writers 4] [--per-writer 2500]

SQLite: a fresh database file under ``--dir`` (the project's settings: WAL,
synchronous=FULL, IMMEDIATE transactions) gets ``--entries`` entries through
``boundaries.audit.log.append`` in transactions of 10,000 (each entry hashed
and linked by the chain code), then ``boundaries.audit.store.verify`` checks
the whole chain from the database and prints the time.

PostgreSQL (with ``--pg``): a scratch database ``boundaries_bench_audit`` is
created next to the one named, ``--writers`` processes each call ``record()``
``--per-writer`` times, one transaction per entry as the actions do, and the
run prints entries per second, then checks that seqs are 1..N without a gap or
duplicate and that the whole chain verifies (no fork). The scratch database is
dropped afterwards. The machine and command are printed with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.machine import command, describe  # noqa: E402 (path set up above)

BATCH = 10_000
PG_DATABASE = "boundaries_bench_audit"


def setup_django(database_url: str, data_dir: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["BOUNDARIES_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "boundaries.settings"
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", "audit", verbosity=0)


def append_bulk(count: int) -> float:
    from django.db import transaction

    from boundaries.audit.log import append
    from boundaries.audit.models import AuditEntry

    start_time = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        entries = [
            AuditEntry(
                practice_id=None,
                actor_id=None,
                actor_label="bench",
                action=("message.received", "message.decided", "vault.file_opened")[n % 3],
                object_type="inbox.message",
                object_id=str(n),
                reason="",
                details={"channel": "email", "decision": "hold", "n": n},
                created_at=start_time + dt.timedelta(milliseconds=n),
            )
            for n in range(first, min(first + BATCH, count))
        ]
        with transaction.atomic():
            append(entries)
    return time.perf_counter() - started


def verify_all() -> tuple[float, float, Any]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from boundaries.audit.store import verify

    def cpu_now() -> float:
        # This process and the worker processes verify starts for large SQLite chains.
        times = os.times()
        return times.user + times.system + times.children_user + times.children_system

    started, cpu = time.perf_counter(), cpu_now()
    report = verify([Ed25519PrivateKey.generate().public_key()])
    return time.perf_counter() - started, cpu_now() - cpu, report


def sqlite_run(entries: int, directory: Path) -> None:
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        data = Path(scratch)
        setup_django(f"sqlite:///{data / 'bench.sqlite3'}", data)
        migrate()
        elapsed = append_bulk(entries)
        print(
            f"SQLite append (bulk, {BATCH:,} per transaction): {entries:,} entries in "
            f"{elapsed:.1f} s, {entries / elapsed:,.0f} entries/s"
        )
        size = (data / "bench.sqlite3").stat().st_size / 1024 / 1024
        for run in (1, 2, 3):
            seconds, cpu, report = verify_all()
            assert report.ok and report.entries == entries, report
            print(
                f"SQLite verify (run {run}): {report.entries:,} entries in {seconds:.2f} s, "
                f"{report.entries / seconds:,.0f} entries/s; CPU time {cpu:.2f} s "
                f"(database {size:,.0f} MiB, load average now {os.getloadavg()[0]:.1f})"
            )


def _pg_url(base: str, name: str) -> str:
    return base.rsplit("/", 1)[0] + "/" + name


def _pg_admin(base: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(base.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(statement)


def commit_baseline(url: str, count: int = 300) -> float:
    """Durable single-row commits per second with one writer and no audit: the disk's pace."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute("CREATE TABLE commit_probe (x int)")
        started = time.perf_counter()
        for n in range(count):
            conn.execute("INSERT INTO commit_probe VALUES (%s)", (n,))
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE commit_probe")
    return count / elapsed


def _writer(url: str, data_dir: str, number: int, count: int, go: Any) -> None:
    setup_django(url, Path(data_dir))
    from django.db import connection, transaction

    from boundaries.audit.log import record

    connection.ensure_connection()
    go.wait()
    for n in range(count):
        with transaction.atomic():
            record(
                action="bench.concurrent",
                practice=None,
                actor_label=f"writer-{number}",
                object_type="bench",
                object_id=str(n),
                details={"writer": number, "n": n},
            )
    connection.close()


def pg_run(base: str, writers: int, per_writer: int, directory: Path) -> None:
    _pg_admin(base, f"DROP DATABASE IF EXISTS {PG_DATABASE}")
    _pg_admin(base, f"CREATE DATABASE {PG_DATABASE}")
    url = _pg_url(base, PG_DATABASE)
    try:
        with tempfile.TemporaryDirectory(dir=directory) as scratch:
            context = multiprocessing.get_context("spawn")
            setup_in_child = context.Process(target=_migrate_child, args=(url, scratch))
            setup_in_child.start()
            setup_in_child.join()
            print(
                f"PostgreSQL baseline: {commit_baseline(url):,.0f} durable commits/s "
                "(one writer, one-row INSERT, no audit)"
            )
            go = context.Event()
            processes = [
                context.Process(target=_writer, args=(url, scratch, n, per_writer, go))
                for n in range(writers)
            ]
            for process in processes:
                process.start()
            time.sleep(3)  # let every writer set Django up and connect
            started = time.perf_counter()
            go.set()
            for process in processes:
                process.join()
            elapsed = time.perf_counter() - started
            assert all(process.exitcode == 0 for process in processes)
            total = writers * per_writer
            print(
                f"PostgreSQL append, {writers} writer processes, one entry per transaction: "
                f"{total:,} entries in {elapsed:.1f} s, {total / elapsed:,.0f} entries/s"
            )
            checker = context.Process(target=_check_child, args=(url, scratch, total))
            checker.start()
            checker.join()
            assert checker.exitcode == 0, "the chain forked or does not verify"
    finally:
        _pg_admin(base, f"DROP DATABASE IF EXISTS {PG_DATABASE}")


def _migrate_child(url: str, data_dir: str) -> None:
    setup_django(url, Path(data_dir))
    migrate()


def _check_child(url: str, data_dir: str, total: int) -> None:
    setup_django(url, Path(data_dir))
    from django.db.models import Count, Max, Min

    from boundaries.audit.models import AuditEntry

    stats = AuditEntry.objects.aggregate(n=Count("id"), low=Min("seq"), high=Max("seq"))
    linear = stats == {"n": total, "low": 1, "high": total}
    seconds, _, report = verify_all()
    print(
        f"PostgreSQL chain: seq 1..{stats['high']:,} with {stats['n']:,} rows "
        f"({'no gap, no duplicate' if linear else 'NOT LINEAR'}); verify "
        f"{'ok' if report.ok else report.problem} in {seconds:.2f} s"
    )
    if not (linear and report.ok):
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--pg", default="", help="a PostgreSQL URL; its server hosts a scratch DB")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--per-writer", type=int, default=2_500)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr] - a TextIOWrapper
    print(f"machine: {describe()} (load average {os.getloadavg()[0]:.1f})")
    print(f"command: {command()}")
    if args.pg:
        pg_run(args.pg, args.writers, args.per_writer, args.dir)
    if args.entries:
        sqlite_run(args.entries, args.dir)


if __name__ == "__main__":
    main()
