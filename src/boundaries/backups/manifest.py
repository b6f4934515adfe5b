"""A snapshot's manifest: what it holds and the checks a restore makes on it, as pure functions.

The manifest is ``manifest.json``, the last member of the snapshot's tar. It
names the database engine, the Django migrations applied in the snapshot (per
app), the audit chain's head (seq and entry hash) and every other member's
SHA-256 and size. A restore refuses a snapshot whose manifest is missing or
malformed, whose members differ from it, or whose migrations this version of
Boundaries does not know.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FORMAT",
    "MANIFEST_NAME",
    "VERSION",
    "ChainHeadInfo",
    "FileEntry",
    "Manifest",
    "ManifestError",
    "check_files",
    "check_member_name",
    "parse_manifest",
    "unknown_migrations",
]

FORMAT = "boundaries-backup"
VERSION = 1
MANIFEST_NAME = "manifest.json"
ENGINES = ("sqlite", "postgresql")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MAX_MANIFEST_BYTES = 256 * 1024 * 1024


class ManifestError(ValueError):
    """The manifest is missing, malformed or does not match what the snapshot holds."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    path: str  # inside the tar: "database/..." or "vault/..."
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class ChainHeadInfo:
    seq: int
    entry_hash: str


@dataclass(frozen=True, slots=True)
class Manifest:
    created_at: str  # UTC, ISO 8601
    engine: str  # "sqlite" or "postgresql"
    database_file: str  # the member holding the database snapshot
    audit_head: ChainHeadInfo
    migrations: Mapping[str, tuple[str, ...]]
    files: tuple[FileEntry, ...]
    vault_included: bool = True
    software_version: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at,
            "software_version": self.software_version,
            "database": {"engine": self.engine, "file": self.database_file},
            "migrations": {app: list(names) for app, names in sorted(self.migrations.items())},
            "audit_head": {"seq": self.audit_head.seq, "entry_hash": self.audit_head.entry_hash},
            "vault_included": self.vault_included,
            "files": [
                {"path": item.path, "sha256": item.sha256, "size": item.size} for item in self.files
            ],
        }
        return json.dumps(document, indent=1, sort_keys=True).encode("utf-8")


def check_member_name(name: str) -> str | None:
    """What is wrong with a tar member's name, or None: only relative names we write."""
    if name == MANIFEST_NAME:
        return None
    parts = name.split("/")
    if parts[0] not in {"database", "vault"} or len(parts) < 2:
        return f"unexpected member {name!r}"
    if any(part in {"", ".", ".."} for part in parts) or "\\" in name or "\x00" in name:
        return f"unsafe member name {name!r}"
    return None


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise ManifestError(f"the manifest is malformed: {what}")


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def parse_manifest(data: bytes | None) -> Manifest:
    """The manifest from its JSON bytes; ``ManifestError`` saying what is wrong."""
    if data is None:
        raise ManifestError("the snapshot has no manifest")
    if len(data) > _MAX_MANIFEST_BYTES:
        raise ManifestError("the manifest is malformed: it is implausibly large")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ManifestError("the manifest is malformed: it is not JSON") from None
    _require(isinstance(document, dict), "not a JSON object")
    if document.get("format") != FORMAT:
        raise ManifestError("the manifest is malformed: not a Boundaries backup manifest")
    if document.get("version") != VERSION:
        raise ManifestError(
            f"the snapshot's format version {document.get('version')!r} is not supported "
            f"(this version of Boundaries reads version {VERSION})"
        )
    created_at = document.get("created_at")
    _require(isinstance(created_at, str) and bool(created_at), "created_at is missing")
    database = document.get("database")
    _require(isinstance(database, dict), "database is missing")
    engine, database_file = database.get("engine"), database.get("file")
    _require(engine in ENGINES, f"database engine {engine!r} is not one of {ENGINES}")
    _require(isinstance(database_file, str), "database file is missing")
    head = document.get("audit_head")
    _require(isinstance(head, dict), "audit_head is missing")
    _require(_int(head.get("seq")), "audit_head seq is not a whole number")
    _require(
        isinstance(head.get("entry_hash"), str) and bool(_HEX64.fullmatch(head["entry_hash"])),
        "audit_head entry_hash is not a SHA-256 in hex",
    )
    migrations = document.get("migrations")
    _require(isinstance(migrations, dict), "migrations are missing")
    for app, names in migrations.items():
        _require(
            isinstance(names, list) and all(isinstance(name, str) for name in names),
            f"migrations of {app!r} are not a list of names",
        )
    files = document.get("files")
    _require(isinstance(files, list), "files are missing")
    entries: list[FileEntry] = []
    seen: set[str] = set()
    for item in files:
        _require(isinstance(item, dict), "a file entry is not an object")
        path, sha256, size = item.get("path"), item.get("sha256"), item.get("size")
        _require(isinstance(path, str), "a file entry has no path")
        wrong = check_member_name(path) if path != MANIFEST_NAME else "it names itself"
        _require(wrong is None, f"file entry {path!r}: {wrong}")
        _require(path not in seen, f"{path!r} is listed twice")
        _require(isinstance(sha256, str) and bool(_HEX64.fullmatch(sha256)), f"{path}: bad sha256")
        _require(_int(size), f"{path}: bad size")
        seen.add(path)
        entries.append(FileEntry(path, sha256, size))
    _require(database_file in seen, f"the database file {database_file!r} is not listed")
    vault_included = document.get("vault_included", True)
    _require(isinstance(vault_included, bool), "vault_included is not true or false")
    return Manifest(
        created_at=created_at,
        engine=engine,
        database_file=database_file,
        audit_head=ChainHeadInfo(head["seq"], head["entry_hash"]),
        migrations={app: tuple(names) for app, names in migrations.items()},
        files=tuple(entries),
        vault_included=vault_included,
        software_version=str(document.get("software_version", "")),
    )


def check_files(manifest: Manifest, found: Mapping[str, tuple[str, int]]) -> list[str]:
    """Differences between the manifest and the members found ({path: (sha256, size)})."""
    problems: list[str] = []
    listed = {item.path: item for item in manifest.files}
    for path, item in listed.items():
        if path not in found:
            problems.append(f"{path} is listed in the manifest but missing from the snapshot")
            continue
        sha256, size = found[path]
        if size != item.size:
            problems.append(f"{path} is {size} bytes, the manifest says {item.size}")
        elif sha256 != item.sha256:
            problems.append(f"{path} does not match its SHA-256 in the manifest")
    problems.extend(
        f"{path} is in the snapshot but not in the manifest"
        for path in sorted(set(found) - set(listed))
    )
    return problems


def unknown_migrations(
    snapshot: Mapping[str, Sequence[str]], known: Mapping[str, set[str]]
) -> list[str]:
    """Migrations applied in the snapshot that this code does not have, as ``app.name``.

    Apps this installation does not have at all are left out: their tables are
    simply unused. An unknown migration of an installed app means the snapshot
    was made by a newer version of Boundaries.
    """
    return [
        f"{app}.{name}"
        for app, names in sorted(snapshot.items())
        if app in known
        for name in names
        if name not in known[app]
    ]
