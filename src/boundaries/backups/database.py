"""The database side of a snapshot: take it, open it for checks, put it in place.

SQLite: the online backup API copies a consistent snapshot while the service
runs; the copy is switched to rollback-journal mode so it is one
self-contained file. A restore checks the file opened read-only and then
renames a fully written copy over the live file.

PostgreSQL: ``pg_dump --format=custom`` inside an exported snapshot, so the
chain head and migrations written to the manifest are exactly those of the
dump. A restore loads the dump into a scratch database (``<name>_restore_check``)
and checks it there; only then is the live database emptied and loaded from
the same dump in a single transaction, so a failure leaves it as it was.

Connections here are plain DB-API ones (``sqlite3``, ``psycopg``) to files and
databases other than Django's, so the audit chain is read with our own SQL and
checked with ``boundaries.audit.chain``'s pure verifier.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import psycopg

from boundaries.audit import chain
from boundaries.audit.models import AuditCheckpoint, AuditEntry, ChainHead
from boundaries.backups.manifest import ChainHeadInfo

__all__ = [
    "DATABASE_ERRORS",
    "PostgresTarget",
    "SnapshotError",
    "SnapshotFacts",
    "engine_of",
    "read_facts",
    "sqlite_snapshot",
    "verify_chain",
]

BATCH = 20_000
# libpq connection parameters that may appear in Django's OPTIONS (others are Django's own).
_LIBPQ_OPTIONS = frozenset(
    {
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "sslcrl",
        "connect_timeout",
        "application_name",
        "options",
        "target_session_attrs",
        "service",
        "passfile",
        "gssencmode",
        "channel_binding",
    }
)


# What the DB-API drivers raise when a snapshot's tables are missing or unreadable.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, psycopg.Error)


class SnapshotError(Exception):
    """The database snapshot does not open, or what it holds does not verify."""


class Cursor(Protocol):
    def execute(self, sql: str, params: Any = ..., /) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


def engine_of(settings_dict: Mapping[str, Any]) -> str:
    engine = str(settings_dict["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgres" in engine:
        return "postgresql"
    raise SnapshotError(f"backups support SQLite and PostgreSQL, not {engine}")


def _tables() -> tuple[str, str, str]:
    return (
        AuditEntry._meta.db_table,
        ChainHead._meta.db_table,
        AuditCheckpoint._meta.db_table,
    )


# Facts read from a snapshot --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SnapshotFacts:
    head: ChainHeadInfo
    migrations: dict[str, tuple[str, ...]]


def read_facts(cursor: Cursor) -> SnapshotFacts:
    """The audit chain head and the applied migrations, as the snapshot holds them."""
    entries, heads, _ = _tables()
    cursor.execute(f'SELECT seq, entry_hash FROM "{heads}" WHERE id = 1')  # noqa: S608 - our table
    row = cursor.fetchone()
    if row is None:  # no head row yet: the newest entry is the head
        cursor.execute(
            f'SELECT seq, entry_hash FROM "{entries}" ORDER BY seq DESC LIMIT 1'  # noqa: S608 - our own table name, quoted; no input
        )
        row = cursor.fetchone() or (0, chain.GENESIS)
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    return SnapshotFacts(
        ChainHeadInfo(int(row[0]), str(row[1])),
        {app: tuple(names) for app, names in migrations.items()},
    )


_TIME = {
    "sqlite": (
        "CASE WHEN length({c}) = 19 THEN replace({c}, ' ', 'T') || '.000000Z' "
        "ELSE replace({c}, ' ', 'T') || 'Z' END"
    ),
    "postgresql": "to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
}
_DETAILS = {"sqlite": "details", "postgresql": "details::text"}
_PLACEHOLDER = {"sqlite": "?", "postgresql": "%s"}


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    problem: str | None


def verify_chain(
    cursor: Cursor, vendor: str, head: ChainHeadInfo, trusted: Mapping[str, Any] | None = None
) -> ChainReport:
    """Check every audit entry's hash and link up to ``head``, and the checkpoints.

    A checkpoint pins the entry hash at its seq. Its signature is checked when
    ``trusted`` (fingerprint -> Ed25519 public key) holds the key that made it;
    checkpoints by other keys (an older key, another machine's) still pin.
    """
    entries, _, checkpoints_table = _tables()
    cursor.execute(
        f"SELECT seq, entry_hash, {_TIME[vendor].format(c='signed_at')}, key_fingerprint, "  # noqa: S608 - our own table and a fixed expression; no input
        f'signature FROM "{checkpoints_table}" ORDER BY seq'
    )
    pins: dict[int, str] = {}
    checkpoints = []
    for row in cursor.fetchall():
        checkpoint = chain.Checkpoint(int(row[0]), str(row[1]), str(row[2]), row[3], row[4])
        if trusted and checkpoint.key_fingerprint in trusted:
            wrong = chain.verify_checkpoint(checkpoint, trusted)
            if wrong is not None:
                return ChainReport(0, f"audit checkpoint at seq {checkpoint.seq}: {wrong}")
        pins[checkpoint.seq] = checkpoint.entry_hash
        checkpoints.append(checkpoint)
    mark = _PLACEHOLDER[vendor]
    query = (
        f"SELECT seq, prev_hash, entry_hash, {_TIME[vendor].format(c='created_at')}, "  # noqa: S608 - our own table and a fixed expression; no input
        f"practice_id, actor_id, actor_label, action, object_type, object_id, reason, "
        f'{_DETAILS[vendor]} FROM "{entries}" WHERE seq >= {mark} AND seq <= {mark} '
        f"ORDER BY seq LIMIT {BATCH}"
    )
    verifier = chain.ChainVerifier(expected=pins)
    start = 1
    while True:
        cursor.execute(query, (start, head.seq))
        rows = cursor.fetchall()
        if verifier.feed(rows) is not None or len(rows) < BATCH:
            break
        start = rows[-1][0] + 1
    problem = verifier.finish(head=(head.seq, head.entry_hash), checkpoints=checkpoints)
    return ChainReport(verifier.count, None if problem is None else f"audit entry {problem}")


# SQLite ----------------------------------------------------------------------------------


def sqlite_snapshot(live: Path, destination: Path) -> None:
    """A consistent copy of the live database, safe while the service writes to it."""
    if not live.exists():
        raise SnapshotError(f"the database file {live} does not exist")
    source = sqlite3.connect(live, timeout=30)
    try:
        target = sqlite3.connect(destination)
        try:
            source.backup(target, pages=4096)
            # One self-contained file: no -wal beside it, opens read-only anywhere.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()


@contextlib.contextmanager
def open_sqlite_readonly(path: Path) -> Iterator[sqlite3.Connection]:
    """The snapshot opened read-only, after SQLite's own structural check."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise SnapshotError(f"the database snapshot does not open ({error})") from None
    try:
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as error:
            raise SnapshotError(f"the database snapshot does not open ({error})") from None
        if result is None or result[0] != "ok":
            raise SnapshotError(f"the database snapshot is damaged ({result})")
        yield connection
    finally:
        connection.close()


def sqlite_replace(live: Path, restored: Path) -> None:
    """Put ``restored`` in place of ``live`` with one atomic rename of a fully written file.

    The caller has closed Django's connections; the service must be stopped
    (a process that still has the old file open keeps writing to it).
    """
    temporary = live.with_name(f".{live.name}.restoring-{os.getpid()}")
    shutil.copyfile(restored, temporary)
    if live.exists():
        shutil.copymode(live, temporary)
    else:
        temporary.chmod(0o600)
    with temporary.open("rb+") as handle:
        os.fsync(handle.fileno())
    if live.exists():
        # Fold the old file's write-ahead log into it and let it go: a -wal left
        # beside the new file would be replayed onto it.
        old = sqlite3.connect(live, timeout=30)
        try:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            old.close()
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            live.with_name(live.name + suffix).unlink()
    temporary.replace(live)
    _fsync_dir(live.parent)


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# PostgreSQL ------------------------------------------------------------------------------


class PostgresTarget:
    """Connection settings from Django's ``DATABASES`` entry, for psycopg and the pg_* tools.

    The password goes to the tools through ``PGPASSWORD``, never on a command line.
    """

    def __init__(self, settings_dict: Mapping[str, Any]) -> None:
        self.name = str(settings_dict["NAME"])
        self.password = str(settings_dict.get("PASSWORD") or "")
        params: dict[str, str] = {}
        for key, setting in (("user", "USER"), ("host", "HOST"), ("port", "PORT")):
            if settings_dict.get(setting):
                params[key] = str(settings_dict[setting])
        options = settings_dict.get("OPTIONS") or {}
        params.update({k: str(v) for k, v in options.items() if k in _LIBPQ_OPTIONS})
        self.params = params

    @property
    def scratch_name(self) -> str:
        return f"{self.name[:49]}_restore_check"

    def conninfo(self, database: str | None = None) -> str:
        from psycopg.conninfo import make_conninfo

        return make_conninfo(dbname=database or self.name, **self.params)

    def connect(self, database: str | None = None, *, autocommit: bool = False) -> Any:
        from psycopg.conninfo import make_conninfo

        conninfo = self.conninfo(database)
        if self.password:
            conninfo = make_conninfo(conninfo, password=self.password)
        return psycopg.connect(conninfo, autocommit=autocommit)

    def _tool(self, command: list[str]) -> list[str]:
        executable = shutil.which(command[0])
        if executable is None:
            raise SnapshotError(f"{command[0]} is not installed (PostgreSQL client tools)")
        return [executable, *command[1:]]

    def _env(self) -> dict[str, str]:
        env = {**os.environ}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def run(self, command: list[str]) -> None:
        """Run a pg_* tool; ``SnapshotError`` with its last error line if it fails."""
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments are ours
            self._tool(command), env=self._env(), capture_output=True, check=False
        )
        if result.returncode != 0:
            lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise SnapshotError(f"{command[0]} failed: {lines[-1] if lines else 'no message'}")

    def dump(self, destination: Path) -> SnapshotFacts:
        """``pg_dump`` of an exported snapshot, and the facts read inside that snapshot."""
        with self.connect() as connection:
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            facts = read_facts(connection.cursor())
            # No compression here: the whole snapshot file is compressed once.
            self.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--compress=0",
                    f"--snapshot={snapshot}",
                    f"--file={destination}",
                    f"--dbname={self.conninfo()}",
                ]
            )
            connection.rollback()
        return facts

    def drop_scratch(self) -> None:
        with self.connect(autocommit=True) as connection:
            # Dropping makes the server checkpoint: only when there is something to drop.
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.scratch_name]
            ).fetchone()
            if exists:
                connection.execute(f'DROP DATABASE "{self.scratch_name}" WITH (FORCE)')

    @contextlib.contextmanager
    def scratch(self, dump: Path) -> Iterator[Any]:
        """The dump restored into a scratch database, connected; dropped afterwards."""
        self.drop_scratch()
        with self.connect(autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.scratch_name}" TEMPLATE template0')
        try:
            try:
                self.run(
                    [
                        "pg_restore",
                        "--exit-on-error",
                        "--no-owner",
                        "--no-privileges",
                        f"--dbname={self.conninfo(self.scratch_name)}",
                        str(dump),
                    ]
                )
            except SnapshotError as error:
                raise SnapshotError(f"the database snapshot does not restore ({error})") from None
            with self.connect(self.scratch_name) as connection:
                yield connection
        finally:
            self.drop_scratch()

    def replace(self, dump: Path) -> None:
        """Empty the live database and load the dump, all in one transaction."""
        # Every table and sequence in the schema Django uses goes; CASCADE takes the rest.
        preamble = """
DO $$
DECLARE item record;
BEGIN
  FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I.%I CASCADE', current_schema(), item.tablename);
  END LOOP;
  FOR item IN SELECT sequence_name FROM information_schema.sequences
              WHERE sequence_schema = current_schema() LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', current_schema(), item.sequence_name);
  END LOOP;
END $$;
"""
        # pg_restore turns the dump into SQL that streams straight into psql.
        restore = self._tool(["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(dump)])
        load = self._tool(
            [
                "psql",
                "--no-psqlrc",
                "--quiet",
                "--set=ON_ERROR_STOP=1",
                "--single-transaction",
                f"--command={preamble}",
                "--file=-",
                f"--dbname={self.conninfo()}",
            ]
        )
        with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as load_err:
            producer = subprocess.Popen(  # noqa: S603 - fixed tool, arguments are ours
                restore, env=self._env(), stdout=subprocess.PIPE, stderr=restore_err
            )
            consumer = subprocess.Popen(  # noqa: S603 - fixed tool, arguments are ours
                load,
                env=self._env(),
                stdin=producer.stdout,
                stdout=subprocess.DEVNULL,
                stderr=load_err,
            )
            assert producer.stdout is not None
            producer.stdout.close()  # psql holds the only read end now
            load_code = consumer.wait()
            restore_code = producer.wait()
            for name, code, errors in (
                ("pg_restore", restore_code, restore_err),
                ("psql", load_code, load_err),
            ):
                if code != 0:
                    errors.seek(0)
                    lines = errors.read().decode("utf-8", "replace").strip().splitlines()
                    raise SnapshotError(
                        f"{name} failed, the database was left as it was: "
                        f"{lines[-1] if lines else 'no message'}"
                    )
