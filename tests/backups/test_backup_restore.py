"""Backup and restore on the database this run uses (SQLite, or PostgreSQL with DATABASE_URL).

A restore puts back exactly the snapshot: data written after the backup is
gone, the vault files are byte for byte those backed up. A snapshot that does
not verify is refused with one line and exit code 2, and the live data stays.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from typer.testing import CliRunner

from boundaries.audit.models import AuditEntry, ChainHead
from boundaries.backups.snapshot import CHUNK_SIZE, create_backup
from boundaries.cli.app import app
from boundaries.practices.models import Client
from boundaries.vault.crypto import HEADER_SIZE, TAG_SIZE
from boundaries.vault.files import open_decrypted
from boundaries.vault.keys import generate_master_key
from boundaries.vault.models import VaultObject
from tests.backups.conftest import repack, unpack, vault_contents

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()
POSTGRES = connection.vendor == "postgresql"


def late_changes(world: dict[str, Any]) -> Client:
    """What happens after the backup: a new client with a file, which a restore must undo."""
    from boundaries.practices.actions import do_add_client
    from boundaries.vault.files import store_file

    late = do_add_client(
        world["practice"], first_name="Lee", last_name="Late", therapist=world["alice"]
    )
    store_file(client=late, data=b"written after the backup\n", filename="late.txt",
               direction="from_client")  # fmt: skip
    return late


def scratch_databases() -> list[str]:
    if not POSTGRES:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", ["%restore_check"])
        return [row[0] for row in cursor.fetchall()]


def leftovers(vault_dir: Path) -> list[str]:
    """Staging folders, set-aside vault folders or half-written files a restore left behind."""
    return [
        path.name
        for path in vault_dir.parent.iterdir()
        if path.name.startswith((".boundaries-restore-", ".vault.before-restore"))
    ]


def test_it_restores_the_snapshot_and_undoes_what_came_after(
    world: dict[str, Any], vault_dir: Path, backup_dir: Path
) -> None:
    backed_up_vault = vault_contents(vault_dir)
    head = ChainHead.objects.get(pk=1)
    result = create_backup(backup_dir)
    assert result.head.seq == head.seq and result.head.entry_hash == head.entry_hash
    assert result.files == 3  # the database and two vault files
    late = late_changes(world)
    assert vault_contents(vault_dir) != backed_up_vault

    outcome = runner.invoke(app, ["restore", str(result.path), "--yes"])

    assert outcome.exit_code == 0, outcome.output
    assert "Restored the database and vault files" in outcome.stdout
    assert not Client.objects.filter(pk=late.pk).exists()
    assert Client.objects.filter(pk=world["client"].pk, last_name="Early").exists()
    assert vault_contents(vault_dir) == backed_up_vault
    assert ChainHead.objects.get(pk=1).seq == head.seq
    assert AuditEntry.objects.order_by("-seq").first().seq == head.seq  # type: ignore[union-attr]
    assert leftovers(vault_dir) == []
    assert scratch_databases() == []
    for obj in VaultObject.objects.all():  # the restored files open with the site's key
        with open_decrypted(obj) as plain:
            assert plain.read().startswith(b"notes for session")


def test_the_backup_command_prints_the_path_size_and_chain_head(
    world: dict[str, Any], backup_dir: Path
) -> None:
    outcome = runner.invoke(app, ["backup", "--output", str(backup_dir)])
    assert outcome.exit_code == 0, outcome.output
    (written,) = backup_dir.glob("boundaries-*.backup")
    head = ChainHead.objects.get(pk=1)
    assert f"Backup written: {written}" in outcome.stdout
    assert f"audit chain head: seq {head.seq}, {head.entry_hash}" in outcome.stdout
    assert "size " in outcome.stdout
    assert written.stat().st_mode & 0o077 == 0
    data = written.read_bytes()
    assert b"SQLite format 3" not in data and b"PGDMP" not in data
    assert b"Early" not in data and b"manifest" not in data


def test_it_asks_before_replacing_and_a_no_changes_nothing(
    world: dict[str, Any], vault_dir: Path, backup_dir: Path
) -> None:
    result = create_backup(backup_dir)
    late = late_changes(world)
    before = vault_contents(vault_dir)
    outcome = runner.invoke(app, ["restore", str(result.path)], input="n\n")
    assert outcome.exit_code == 1
    assert "verifies" in outcome.stdout and "Nothing was changed." in outcome.stdout
    assert Client.objects.filter(pk=late.pk).exists()
    assert vault_contents(vault_dir) == before
    assert leftovers(vault_dir) == [] and scratch_databases() == []


# Refusals --------------------------------------------------------------------------------


def wrong_master_key(path: Path, settings: Any) -> None:
    settings.MASTER_KEY = generate_master_key()
    settings.MASTER_KEY_FILE = ""


def cut_at_a_chunk_edge(path: Path, settings: Any) -> None:
    data = path.read_bytes()
    assert len(data) > HEADER_SIZE + 2 * (CHUNK_SIZE + TAG_SIZE)
    path.write_bytes(data[: HEADER_SIZE + CHUNK_SIZE + TAG_SIZE])


def cut_in_half(path: Path, settings: Any) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 7])


def flip_one_byte(path: Path, settings: Any) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))


def _edit_manifest(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    members = unpack(path)
    for index, (member, data) in enumerate(members):
        if member.name == "manifest.json":
            document = json.loads(data)
            change(document)
            members[index] = (member, json.dumps(document).encode())
    repack(path, members)


def manifest_names_another_chain_head(path: Path, settings: Any) -> None:
    _edit_manifest(path, lambda d: d["audit_head"].update(entry_hash="f" * 64))


def manifest_with_another_file_hash(path: Path, settings: Any) -> None:
    _edit_manifest(path, lambda d: d["files"][-1].update(sha256="e" * 64))


def manifest_removed(path: Path, settings: Any) -> None:
    repack(path, [(m, data) for m, data in unpack(path) if m.name != "manifest.json"])


REFUSALS = [
    (wrong_master_key, "encrypted with another master key"),
    (cut_at_a_chunk_edge, "the snapshot is cut short"),
    (cut_in_half, "the snapshot does not authenticate"),
    (flip_one_byte, "the snapshot does not authenticate"),
    (manifest_names_another_chain_head, "differs from the manifest's"),
    (manifest_with_another_file_hash, "does not match its SHA-256 in the manifest"),
    (manifest_removed, "the snapshot has no manifest"),
]


@pytest.mark.parametrize("case", REFUSALS, ids=[damage.__name__ for damage, _ in REFUSALS])
def test_it_refuses_a_snapshot_that_does_not_verify_and_changes_nothing(
    world: dict[str, Any],
    vault_dir: Path,
    backup_dir: Path,
    settings: Any,
    case: tuple[Callable[[Path, Any], None], str],
) -> None:
    damage, reason = case
    big = vault_dir / "1" / "zz" / "big.bvlt"  # stored files are ciphertext: incompressible
    big.parent.mkdir(parents=True)
    big.write_bytes(os.urandom(3 * CHUNK_SIZE))
    result = create_backup(backup_dir)
    late = late_changes(world)
    live_vault = vault_contents(vault_dir)
    damage(result.path, settings)

    outcome = runner.invoke(app, ["restore", str(result.path), "--yes"])

    assert outcome.exit_code == 2, outcome.output
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, outcome.stderr
    assert lines[0].startswith(f"error: refusing to restore {result.path.name}: ")
    assert reason in lines[0]
    assert lines[0].endswith("nothing was changed")
    assert Client.objects.filter(pk=late.pk).exists()
    assert vault_contents(vault_dir) == live_vault
    assert leftovers(vault_dir) == [] and scratch_databases() == []


def test_it_refuses_a_snapshot_whose_audit_log_was_tampered_with_before_the_backup(
    world: dict[str, Any], vault_dir: Path, backup_dir: Path
) -> None:
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    second = AuditEntry.objects.order_by("seq").values_list("seq", flat=True)[1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET reason = 'rewritten' WHERE seq = %s",  # noqa: S608
            [second],
        )
    result = create_backup(backup_dir)
    late = late_changes(world)

    outcome = runner.invoke(app, ["restore", str(result.path), "--yes"])

    assert outcome.exit_code == 2
    assert (
        f"the audit log in the snapshot does not verify: audit entry seq {second}: "
        "contents do not match entry_hash" in outcome.stderr
    )
    assert Client.objects.filter(pk=late.pk).exists()
    assert leftovers(vault_dir) == [] and scratch_databases() == []


@pytest.mark.skipif(POSTGRES, reason="edits the SQLite file inside the snapshot")
def test_it_refuses_a_snapshot_whose_audit_row_was_edited_inside_it_by_a_key_holder(
    world: dict[str, Any], vault_dir: Path, backup_dir: Path, tmp_path: Path
) -> None:
    """Even with the master key and a manifest made to match, the chain gives it away."""
    import hashlib

    result = create_backup(backup_dir)
    members = unpack(result.path)
    database = tmp_path / "snapshot.sqlite3"
    index = next(i for i, (m, _) in enumerate(members) if m.name.startswith("database/"))
    database.write_bytes(members[index][1])
    with sqlite3.connect(database) as edit:
        edit.execute("UPDATE audit_auditentry SET action = 'nothing.happened' WHERE seq = 1")
    edit.close()
    edited = database.read_bytes()
    members[index] = (members[index][0], edited)
    manifest_index = next(i for i, (m, _) in enumerate(members) if m.name == "manifest.json")
    document = json.loads(members[manifest_index][1])
    for item in document["files"]:
        if item["path"].startswith("database/"):
            item.update(sha256=hashlib.sha256(edited).hexdigest(), size=len(edited))
    members[manifest_index] = (members[manifest_index][0], json.dumps(document).encode())
    repack(result.path, members)

    outcome = runner.invoke(app, ["restore", str(result.path), "--yes"])

    assert outcome.exit_code == 2
    assert "audit entry seq 1: contents do not match entry_hash" in outcome.stderr


def test_it_refuses_a_file_that_is_not_a_snapshot(
    world: dict[str, Any], vault_dir: Path, tmp_path: Path
) -> None:
    bogus = tmp_path / "holiday.jpg"
    bogus.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 500)
    outcome = runner.invoke(app, ["restore", str(bogus), "--yes"])
    assert outcome.exit_code == 2
    assert "not an encrypted Boundaries snapshot" in outcome.stderr
    missing = runner.invoke(app, ["restore", str(tmp_path / "nope.backup"), "--yes"])
    assert missing.exit_code == 2
    assert "No such file" in missing.stderr


# The scheduled job -----------------------------------------------------------------------


def test_the_daily_job_takes_a_backup_and_prunes_by_the_rule(
    world: dict[str, Any], backup_dir: Path, settings: Any
) -> None:
    from boundaries.backups.retention import backup_name
    from boundaries.backups.scheduled import run_scheduled_backup
    from boundaries.records.scheduling import JOBS

    assert any(job.name == "backup" and job.every == dt.timedelta(days=1) for job in JOBS)
    settings.BOUNDARIES_BACKUP_DIR = str(backup_dir)
    settings.BOUNDARIES_BACKUP_KEEP = "3,0,0"
    now = dt.datetime(2026, 6, 10, 2, 0, tzinfo=dt.UTC)
    backup_dir.mkdir()
    for days in range(1, 6):
        (backup_dir / backup_name(now - dt.timedelta(days=days))).write_bytes(b"older")

    report = run_scheduled_backup(now)

    assert report.backup.path.name == "boundaries-20260610T020000Z.backup"
    assert sorted(path.name for path in report.pruned) == [
        "boundaries-20260605T020000Z.backup",
        "boundaries-20260606T020000Z.backup",
        "boundaries-20260607T020000Z.backup",
    ]
    assert sorted(path.name for path in backup_dir.iterdir()) == [
        "boundaries-20260608T020000Z.backup",
        "boundaries-20260609T020000Z.backup",
        "boundaries-20260610T020000Z.backup",
    ]
