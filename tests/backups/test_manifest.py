"""The manifest's checks on plain data: malformed manifests, differing members, newer code."""

from __future__ import annotations

import json
from typing import Any

import pytest

from boundaries.backups.manifest import (
    ChainHeadInfo,
    FileEntry,
    Manifest,
    ManifestError,
    check_files,
    check_member_name,
    parse_manifest,
    unknown_migrations,
)

HASH_A = "a" * 64
HASH_B = "b" * 64


def manifest() -> Manifest:
    return Manifest(
        created_at="2026-03-01T12:00:00Z",
        engine="sqlite",
        database_file="database/boundaries.sqlite3",
        audit_head=ChainHeadInfo(42, HASH_A),
        migrations={"audit": ("0001_initial", "0002_chain")},
        files=(
            FileEntry("database/boundaries.sqlite3", HASH_A, 4096),
            FileEntry("vault/1/ab/ab12.bvlt", HASH_B, 100),
        ),
        software_version="0.1.0",
    )


def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(manifest().to_json())
    return loaded


def test_it_reads_back_what_it_writes() -> None:
    assert parse_manifest(manifest().to_json()) == manifest()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("format"), "not a Boundaries backup manifest"),
        (lambda d: d.update(version=2), "format version 2 is not supported"),
        (lambda d: d.pop("created_at"), "created_at is missing"),
        (lambda d: d["database"].update(engine="mysql"), "database engine 'mysql'"),
        (lambda d: d["audit_head"].update(seq="42"), "audit_head seq"),
        (lambda d: d["audit_head"].update(seq=True), "audit_head seq"),
        (lambda d: d["audit_head"].update(entry_hash="xyz"), "audit_head entry_hash"),
        (lambda d: d.update(migrations={"audit": "0001"}), "migrations of 'audit'"),
        (lambda d: d["files"][1].update(path="../etc/passwd"), "unexpected member"),
        (lambda d: d["files"][1].update(path="vault/../../x"), "unsafe member name"),
        (lambda d: d["files"][1].update(path="/abs"), "unexpected member"),
        (lambda d: d["files"][1].update(sha256="B" * 64), "bad sha256"),
        (lambda d: d["files"][1].update(size=-1), "bad size"),
        (lambda d: d["files"].append(dict(d["files"][1])), "listed twice"),
        (lambda d: d["files"].pop(0), "is not listed"),
    ],
)
def test_it_refuses_a_malformed_manifest_saying_what_is_wrong(change: Any, message: str) -> None:
    data = document()
    change(data)
    with pytest.raises(ManifestError, match=message):
        parse_manifest(json.dumps(data).encode())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "the snapshot has no manifest"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"{", "not JSON"),
    ],
)
def test_it_refuses_a_missing_or_unreadable_manifest(data: bytes | None, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        parse_manifest(data)


def test_it_finds_no_difference_when_the_members_match() -> None:
    found = {"database/boundaries.sqlite3": (HASH_A, 4096), "vault/1/ab/ab12.bvlt": (HASH_B, 100)}
    assert check_files(manifest(), found) == []


def test_it_names_each_member_that_differs_from_the_manifest() -> None:
    found = {
        "database/boundaries.sqlite3": (HASH_B, 4096),
        "vault/1/cd/cd34.bvlt": (HASH_B, 7),
    }
    assert check_files(manifest(), found) == [
        "database/boundaries.sqlite3 does not match its SHA-256 in the manifest",
        "vault/1/ab/ab12.bvlt is listed in the manifest but missing from the snapshot",
        "vault/1/cd/cd34.bvlt is in the snapshot but not in the manifest",
    ]
    assert check_files(manifest(), {"database/boundaries.sqlite3": (HASH_A, 1)})[0] == (
        "database/boundaries.sqlite3 is 1 bytes, the manifest says 4096"
    )


def test_it_accepts_only_the_member_names_a_backup_writes() -> None:
    assert check_member_name("manifest.json") is None
    assert check_member_name("database/boundaries.pgdump") is None
    assert check_member_name("vault/1/ab/x.bvlt") is None
    for bad in ("vault", "other/x", "vault//x", "vault/./x", "database/../x", "vault/a\\b"):
        assert check_member_name(bad) is not None, bad


def test_it_names_migrations_from_a_newer_version() -> None:
    known = {"audit": {"0001_initial"}, "vault": {"0001_initial"}}
    snapshot = {
        "audit": ["0001_initial", "0002_chain"],
        "vault": ["0001_initial"],
        "removed_app": ["0001_initial"],  # an app this version no longer has: ignored
    }
    assert unknown_migrations(snapshot, known) == ["audit.0002_chain"]
