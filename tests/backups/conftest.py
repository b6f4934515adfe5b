"""Backup test fixtures: a vault folder of its own; a practice with files and audit entries."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def vault_dir(tmp_path: Path, settings: Any) -> Path:
    """The vault storage in this test's own folder (restores replace it wholesale)."""
    location = tmp_path / "data" / "vault"
    location.mkdir(parents=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "vault": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


@pytest.fixture
def backup_dir(tmp_path: Path) -> Path:
    return tmp_path / "backups"


@pytest.fixture
def world(practice: Any, alice: Any, vault_dir: Path) -> dict[str, Any]:
    """Alice's practice with a client, two stored files and the audit entries they made."""
    from boundaries.practices.actions import do_add_client
    from boundaries.vault.files import store_file

    client = do_add_client(practice, first_name="Dana", last_name="Early", therapist=alice)
    files = [
        store_file(
            client=client,
            data=f"notes for session {number}\n".encode() * 200,
            filename=f"notes-{number}.txt",
            direction="from_client",
        )
        for number in (1, 2)
    ]
    return {"practice": practice, "alice": alice, "client": client, "files": files}


def vault_contents(root: Path) -> dict[str, str]:
    """Every file under the vault folder by relative path, with its SHA-256."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def unpack(path: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    """A snapshot's members, decrypted with the site's key (small test snapshots only)."""
    from boundaries.backups.snapshot import OBJECT_ID
    from boundaries.vault.crypto import decrypt_bytes
    from boundaries.vault.keys import keyring_from_settings

    plain = decrypt_bytes(path.read_bytes(), keyring=keyring_from_settings(), object_id=OBJECT_ID)
    members = []
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(plain)), mode="r:") as archive:
        for member in archive:
            handle = archive.extractfile(member)
            members.append((member, handle.read() if handle is not None else b""))
    return members


def repack(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    """Write members back as a snapshot sealed with the site's key: what a key holder can forge."""
    from boundaries.backups.snapshot import OBJECT_ID
    from boundaries.vault.crypto import encrypt_bytes
    from boundaries.vault.keys import keyring_from_settings

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:", format=tarfile.PAX_FORMAT) as archive:
        for member, data in members:
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    sealed = encrypt_bytes(
        gzip.compress(buffer.getvalue()), keyring=keyring_from_settings(), object_id=OBJECT_ID
    )
    path.write_bytes(sealed)
