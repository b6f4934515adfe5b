"""Take a snapshot (``create_backup``) and check one before it replaces anything (``checked``).

A snapshot file is one vault object (``boundaries.vault.crypto``: AES-256-GCM
chunks under a fresh data key wrapped by the master key, object id
``OBJECT_ID``) whose plaintext is a gzip-compressed tar::

    database/boundaries.sqlite3   or   database/boundaries.pgdump
    vault/<practice>/<xx>/<object>.bvlt ...   (the vault storage's files, as stored)
    manifest.json                 (last: the hashes of everything above)

Everything streams: tar -> gzip -> encryption run in two threads joined by a
pipe, so memory stays at a few megabytes whatever the size. The database is
snapshotted first, then the vault files are read; a file stored in between is
included (and unused), which is harmless.

A restore decrypts, decompresses and unpacks into a staging folder beside the
vault, hashing each member; then checks the manifest, the members against it,
the migrations against this code, that the database snapshot opens, and that
its audit chain verifies up to the head the manifest names. Only a snapshot
that passes every check is put in place (``CheckedSnapshot.apply``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gzip
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol, TypeVar, cast

from boundaries import clock
from boundaries.audit import chain
from boundaries.audit.signing import DEV_KEY_NAME, SigningKeyError, load_key_file
from boundaries.backups import database
from boundaries.backups.database import PostgresTarget, SnapshotError, SnapshotFacts
from boundaries.backups.manifest import (
    MANIFEST_NAME,
    ChainHeadInfo,
    FileEntry,
    Manifest,
    ManifestError,
    check_files,
    check_member_name,
    parse_manifest,
    unknown_migrations,
)
from boundaries.backups.retention import backup_name
from boundaries.vault.crypto import (
    IntegrityReason,
    VaultIntegrityError,
    decrypt_stream,
    encrypt_stream,
)
from boundaries.vault.files import HashingReader
from boundaries.vault.keys import Keyring, keyring_from_settings

__all__ = [
    "CHUNK_SIZE",
    "OBJECT_ID",
    "BackupError",
    "BackupResult",
    "CheckedSnapshot",
    "Reporter",
    "RestoreRefusedError",
    "checked",
    "create_backup",
]

OBJECT_ID = "boundaries-backup-v1"
COMPRESS_LEVEL = 6
# Smaller than the vault's default chunk, so a copy cut short is named as cut at a chunk edge.
CHUNK_SIZE = 256 * 1024
_COPY = 1024 * 1024
_T = TypeVar("_T")


_SNAPSHOT_FAILURES: tuple[type[Exception], ...] = (
    SnapshotError,
    OSError,
    *database.DATABASE_ERRORS,
)


class BackupError(Exception):
    """A backup could not be taken; nothing was written."""


class RestoreRefusedError(Exception):
    """The snapshot does not verify; nothing was changed."""


class Reporter(Protocol):
    """Where progress goes (a Rich progress bar on the command line)."""

    def stage(self, description: str, total: int | None) -> None: ...
    def advance(self, amount: int) -> None: ...


class _Silent:
    def stage(self, description: str, total: int | None) -> None:
        pass

    def advance(self, amount: int) -> None:
        pass


class _Reading(HashingReader):
    """Reads through to ``source``, hashing, counting and reporting every byte."""

    def __init__(self, source: IO[bytes], reporter: Reporter) -> None:
        super().__init__(source)
        self.reporter = reporter
        self.size = 0

    def readinto(self, buffer: Any) -> int:
        count = super().readinto(buffer)
        self.size += count
        self.reporter.advance(count)
        return count


def _piped(produce: Callable[[BinaryIO], None], consume: Callable[[BinaryIO], _T]) -> _T:
    """Run ``produce`` (writing) in a thread and ``consume`` (reading) here, joined by a pipe.

    The producer's error wins: when decryption fails, the unpacking that saw
    the stream end early is not the cause.
    """
    read_fd, write_fd = os.pipe()
    produced: list[BaseException] = []

    def run() -> None:
        try:
            with os.fdopen(write_fd, "wb") as writer:
                produce(cast(BinaryIO, writer))
        except BaseException as error:  # noqa: BLE001 - handed to the calling thread below
            produced.append(error)

    thread = threading.Thread(target=run, name="backup-pipe", daemon=True)
    consumed: BaseException | None = None
    with os.fdopen(read_fd, "rb") as reader:
        thread.start()
        try:
            result = consume(cast(BinaryIO, reader))
            while reader.read(_COPY):  # let the producer finish (and authenticate the end)
                pass
        except BaseException as error:  # noqa: BLE001 - re-raised below, after the join
            consumed = error
        finally:
            reader.close()  # a producer still writing gets a broken pipe and stops
            thread.join()
    if produced and not (isinstance(produced[0], BrokenPipeError) and consumed is not None):
        raise produced[0]
    if consumed is not None:
        raise consumed
    return result


# Taking a backup -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int
    engine: str
    head: ChainHeadInfo
    files: int
    vault_included: bool


def _software_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("boundaries")
    except PackageNotFoundError:
        return ""


def _vault_root() -> Path | None:
    """The local folder the vault storage keeps its files in; None for remote storage."""
    from django.core.files.storage import FileSystemStorage, storages

    storage = storages["vault"]
    if not isinstance(storage, FileSystemStorage):
        return None
    return Path(storage.location)


def _vault_files(root: Path | None) -> list[tuple[str, Path]]:
    if root is None or not root.exists():
        return []
    return [
        (f"vault/{path.relative_to(root).as_posix()}", path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    ]


def _unique(directory: Path, name: str) -> Path:
    path = directory / name
    number = 2
    while path.exists():
        path = directory / name.replace(".backup", f"-{number}.backup")
        number += 1
    return path


def _created_at(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _default_database(refusal: type[Exception]) -> tuple[dict[str, Any], str]:
    """The default database's settings and engine; ``refusal`` when it is not one we copy."""
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    try:
        return settings_dict, database.engine_of(settings_dict)
    except SnapshotError as error:
        raise refusal(str(error)) from None


def create_backup(
    output_dir: Path | None = None,
    *,
    now: dt.datetime | None = None,
    keyring: Keyring | None = None,
    reporter: Reporter | None = None,
) -> BackupResult:
    """Write one encrypted snapshot of the database and vault files into ``output_dir``."""
    from django.conf import settings

    report = reporter or _Silent()
    settings_dict, engine = _default_database(BackupError)
    keys = keyring or keyring_from_settings()
    moment = now or clock.now()
    directory = Path(output_dir or settings.BOUNDARIES_BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = _unique(directory, backup_name(moment))
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work_name:
        report.stage("Snapshotting the database", None)
        try:
            db_file, facts = _snapshot_database(engine, settings_dict, Path(work_name))
        except _SNAPSHOT_FAILURES as error:
            raise BackupError(f"the database could not be snapshotted: {error}") from None
        vault_root = _vault_root()
        members = [(f"database/{db_file.name}", db_file), *_vault_files(vault_root)]
        header = Manifest(
            created_at=_created_at(moment),
            engine=engine,
            database_file=members[0][0],
            audit_head=facts.head,
            migrations=facts.migrations,
            files=(),
            vault_included=vault_root is not None,
            software_version=_software_version(),
        )
        report.stage("Writing the encrypted snapshot", sum(p.stat().st_size for _, p in members))
        partial = directory / f".{final.name}.partial"
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:

                def encrypt(reader: BinaryIO) -> None:
                    encrypt_stream(
                        reader, out, keyring=keys, object_id=OBJECT_ID, chunk_size=CHUNK_SIZE
                    )

                _piped(lambda writer: _write_tar(writer, members, header, report), encrypt)
                out.flush()
                os.fsync(out.fileno())
            partial.replace(final)
        except OSError as error:
            raise BackupError(f"the snapshot could not be written: {error}") from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
    return BackupResult(
        path=final,
        size=final.stat().st_size,
        engine=engine,
        head=facts.head,
        files=len(members),
        vault_included=vault_root is not None,
    )


def _write_tar(
    writer: BinaryIO, members: list[tuple[str, Path]], header: Manifest, report: Reporter
) -> None:
    """The members, then the manifest with their hashes, as a gzip-compressed tar."""
    entries: list[FileEntry] = []
    with (
        gzip.GzipFile(fileobj=writer, mode="wb", compresslevel=COMPRESS_LEVEL, mtime=0) as packed,
        tarfile.open(fileobj=packed, mode="w|", format=tarfile.PAX_FORMAT) as archive,
    ):
        for name, path in members:
            with path.open("rb") as source:
                info = tarfile.TarInfo(name)
                status = os.fstat(source.fileno())
                info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o600
                reading = _Reading(source, report)
                archive.addfile(info, cast(IO[bytes], reading))
                entries.append(FileEntry(name, reading.digest.hexdigest(), reading.size))
        manifest = dataclasses.replace(header, files=tuple(entries)).to_json()
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size, info.mode = len(manifest), 0o600
        archive.addfile(info, io.BytesIO(manifest))


def _snapshot_database(
    engine: str, settings_dict: dict[str, Any], work: Path
) -> tuple[Path, SnapshotFacts]:
    if engine == "sqlite":
        db_file = work / "boundaries.sqlite3"
        database.sqlite_snapshot(Path(settings_dict["NAME"]), db_file)
        with database.open_sqlite_readonly(db_file) as connection:
            return db_file, database.read_facts(connection.cursor())
    db_file = work / "boundaries.pgdump"
    return db_file, PostgresTarget(settings_dict).dump(db_file)


# Checking and restoring ------------------------------------------------------------------


class _ArchiveError(Exception):
    pass


def _unpack(reader: BinaryIO, staging: Path) -> tuple[dict[str, tuple[str, int]], bytes | None]:
    """Members into ``staging`` with their SHA-256 and size; the manifest's bytes."""
    found: dict[str, tuple[str, int]] = {}
    manifest: bytes | None = None
    with (
        gzip.GzipFile(fileobj=reader, mode="rb") as compressed,
        tarfile.open(fileobj=compressed, mode="r|") as archive,
    ):
        for member in archive:
            wrong = check_member_name(member.name)
            if wrong is not None:
                raise _ArchiveError(wrong)
            if member.isdir():
                continue
            if not member.isfile():
                raise _ArchiveError(f"{member.name} is not a regular file")
            if member.name in found or (member.name == MANIFEST_NAME and manifest is not None):
                raise _ArchiveError(f"{member.name} appears twice")
            source = archive.extractfile(member)
            if source is None:
                raise _ArchiveError(f"{member.name} cannot be read")
            if member.name == MANIFEST_NAME:
                manifest = source.read()
                continue
            target = staging / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest, size = hashlib.sha256(), 0
            with target.open("xb") as out:
                while chunk := source.read(_COPY):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            found[member.name] = (digest.hexdigest(), size)
        while compressed.read(_COPY):  # to the end, so gzip checks its CRC and length
            pass
    return found, manifest


def _decryption_refusal(error: VaultIntegrityError) -> str:
    if error.reason == IntegrityReason.UNKNOWN_KEY:
        return (
            f"the snapshot was encrypted with another master key ({error}); set the key "
            f"in use when it was made (BOUNDARIES_MASTER_KEY, or add it to "
            f"BOUNDARIES_MASTER_KEYS_OLD)"
        )
    if error.reason == IntegrityReason.UNSUPPORTED_FORMAT:
        return "the file is not an encrypted Boundaries snapshot"
    if error.reason == IntegrityReason.WRONG_OBJECT:
        return "the file is another encrypted object (a vault file?), not a snapshot"
    if error.reason == IntegrityReason.TRUNCATED:
        return f"the snapshot is cut short ({error}); copy it again"
    return f"the snapshot does not authenticate: it was altered, damaged or cut short ({error})"


@dataclass(slots=True)
class CheckedSnapshot:
    """A snapshot that passed every check, unpacked and ready to put in place."""

    path: Path
    manifest: Manifest
    entries_verified: int
    staging: Path
    settings_dict: dict[str, Any]
    vault_root: Path | None
    to_migrate: list[str] = field(default_factory=list)  # migrations newer than the snapshot
    applied: bool = False

    @property
    def database_file(self) -> Path:
        return self.staging / self.manifest.database_file

    def apply(self) -> None:
        """Replace the database, then the vault folder, with the snapshot's."""
        from django.db import connections

        connections.close_all()  # Django reconnects to the new database on next use
        try:
            if self.manifest.engine == "sqlite":
                database.sqlite_replace(Path(self.settings_dict["NAME"]), self.database_file)
            else:
                PostgresTarget(self.settings_dict).replace(self.database_file)
        except SnapshotError as error:
            raise RestoreRefusedError(str(error)) from None
        if self.manifest.vault_included and self.vault_root is not None:
            _swap_folder(self.staging / "vault", self.vault_root)
        self.applied = True


def _swap_folder(new: Path, live: Path) -> None:
    """Rename ``new`` into the place of ``live`` (same parent, so each rename is atomic)."""
    new.mkdir(exist_ok=True)  # a snapshot of an empty vault has no vault members
    old = live.with_name(f".{live.name}.before-restore-{os.getpid()}")
    if live.exists():
        live.replace(old)
    new.replace(live)
    shutil.rmtree(old, ignore_errors=True)


def _trusted_keys() -> dict[str, Any]:
    """The site's audit public key if its key file exists (never creates one)."""
    from django.conf import settings

    configured = getattr(settings, "AUDIT_SIGNING_KEY_FILE", "") or ""
    path = Path(configured) if configured else Path(settings.DATA_DIR) / DEV_KEY_NAME
    if not path.exists():
        return {}
    try:
        public = load_key_file(path).public_key()
    except SigningKeyError:
        return {}
    return {chain.fingerprint(public): public}


def _known_migrations() -> dict[str, set[str]]:
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    known: dict[str, set[str]] = {config.label: set() for config in apps.get_app_configs()}
    for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations:
        known.setdefault(app, set()).add(name)
    return known


def _check_database(
    manifest: Manifest, db_file: Path, settings_dict: dict[str, Any]
) -> tuple[SnapshotFacts, int]:
    trusted = _trusted_keys()
    if manifest.engine == "sqlite":
        with database.open_sqlite_readonly(db_file) as connection:
            cursor = connection.cursor()
            facts = _read_facts(cursor)
            _facts_match(manifest, facts)
            report = database.verify_chain(cursor, "sqlite", facts.head, trusted)
    else:
        with PostgresTarget(settings_dict).scratch(db_file) as connection:
            cursor = connection.cursor()
            facts = _read_facts(cursor)
            _facts_match(manifest, facts)
            report = database.verify_chain(cursor, "postgresql", facts.head, trusted)
    if report.problem is not None:
        raise SnapshotError(f"the audit log in the snapshot does not verify: {report.problem}")
    return facts, report.entries


def _read_facts(cursor: Any) -> SnapshotFacts:
    try:
        return database.read_facts(cursor)
    except database.DATABASE_ERRORS as error:  # the tables are not there or not readable
        raise SnapshotError(f"the database snapshot cannot be read ({error})") from None


def _facts_match(manifest: Manifest, facts: SnapshotFacts) -> None:
    if facts.head != manifest.audit_head:
        raise SnapshotError(
            f"the audit chain head in the database snapshot (seq {facts.head.seq}, "
            f"{facts.head.entry_hash[:12]}…) differs from the manifest's (seq "
            f"{manifest.audit_head.seq}, {manifest.audit_head.entry_hash[:12]}…)"
        )
    if dict(facts.migrations) != dict(manifest.migrations):
        raise SnapshotError("the migrations in the database snapshot differ from the manifest's")


def _unpack_decrypted(
    path: Path, keys: Keyring, staging: Path, report: Reporter
) -> tuple[dict[str, tuple[str, int]], bytes | None]:
    def decrypt(writer: BinaryIO) -> None:
        with path.open("rb") as source:
            reading = _Reading(source, report)
            decrypt_stream(cast(BinaryIO, reading), writer, keyring=keys, object_id=OBJECT_ID)

    try:
        return _piped(decrypt, lambda reader: _unpack(reader, staging))
    except VaultIntegrityError as error:
        raise RestoreRefusedError(_decryption_refusal(error)) from None
    except _ArchiveError as error:
        raise RestoreRefusedError(f"the snapshot holds something unexpected: {error}") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise RestoreRefusedError(
            f"the snapshot is not a readable backup archive ({error})"
        ) from None


def _check_manifest(
    manifest_bytes: bytes | None,
    found: dict[str, tuple[str, int]],
    engine: str,
    known: dict[str, set[str]],
) -> Manifest:
    try:
        manifest = parse_manifest(manifest_bytes)
    except ManifestError as error:
        raise RestoreRefusedError(str(error)) from None
    problems = check_files(manifest, found)
    if problems:
        more = f" (and {len(problems) - 1} more differences)" if len(problems) > 1 else ""
        raise RestoreRefusedError(f"the snapshot does not match its manifest: {problems[0]}{more}")
    if manifest.engine != engine:
        raise RestoreRefusedError(
            f"the snapshot is of a {manifest.engine} database; this installation uses "
            f"{engine} (restore it on a {manifest.engine} installation)"
        )
    newer = unknown_migrations(manifest.migrations, known)
    if newer:
        raise RestoreRefusedError(
            f"the snapshot was made by a newer version of Boundaries (it has migration "
            f"{newer[0]}, which this version does not): upgrade first"
        )
    return manifest


@contextlib.contextmanager
def checked(
    path: Path, *, keyring: Keyring | None = None, reporter: Reporter | None = None
) -> Iterator[CheckedSnapshot]:
    """Decrypt, unpack and check a snapshot; yield it only if every check passes.

    Raises ``RestoreRefusedError`` (one line saying why) otherwise. The staging
    folder and any scratch database are removed on the way out.
    """
    from django.conf import settings

    report = reporter or _Silent()
    settings_dict, engine = _default_database(RestoreRefusedError)
    keys = keyring or keyring_from_settings()
    try:
        size = path.stat().st_size
    except OSError as error:
        raise RestoreRefusedError(f"{path}: {error.strerror or error}") from None
    vault_root = _vault_root()
    parent = vault_root.parent if vault_root is not None else Path(settings.DATA_DIR)
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=".boundaries-restore-"))
    try:
        report.stage("Decrypting and unpacking", size)
        found, manifest_bytes = _unpack_decrypted(path, keys, staging, report)
        known = _known_migrations()
        manifest = _check_manifest(manifest_bytes, found, engine, known)
        report.stage("Checking the database and the audit log", None)
        try:
            _, entries = _check_database(manifest, staging / manifest.database_file, settings_dict)
        except SnapshotError as error:
            raise RestoreRefusedError(str(error)) from None
        except database.DATABASE_ERRORS as error:  # e.g. no right to create the scratch database
            raise RestoreRefusedError(
                f"the database snapshot could not be checked ({error})"
            ) from None
        yield CheckedSnapshot(
            path=path,
            manifest=manifest,
            entries_verified=entries,
            staging=staging,
            settings_dict=dict(settings_dict),
            vault_root=vault_root,
            to_migrate=[
                f"{app}.{name}"
                for app, names in sorted(known.items())
                for name in sorted(names)
                if name not in manifest.migrations.get(app, ())
            ],
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
