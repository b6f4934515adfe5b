"""Master-key rotation: rewrap every data key under the new key; content is not re-encrypted.

The operator sets the new key as ``BOUNDARIES_MASTER_KEY`` (or its file) and
lists the old one in ``BOUNDARIES_MASTER_KEYS_OLD``, runs ``boundaries vault
rotate-key``, checks it reports nothing left, and then removes the old key.
Files get their new header through a durable copy and an atomic rename (a
crash cannot leave a torn header); sealed database fields are updated row by
row. Rows already under the primary key are skipped, so an
interrupted rotation can simply be run again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction

from boundaries.audit.log import record
from boundaries.vault.crypto import HEADER_SIZE, parse_header, rewrap, rewrap_blob
from boundaries.vault.files import vault_storage
from boundaries.vault.keys import Keyring
from boundaries.vault.models import VaultObject

# Every sealed column: (app label, model, field). A test fails when a model gains a
# binary column named ``sealed*`` that is not listed here (tests/test_vault_rotation.py).
SEALED_FIELDS: list[tuple[str, str, str]] = [
    ("inbox", "Message", "sealed"),
    ("inbox", "MailboxAccount", "sealed_password"),
    ("welfare", "WelfareEntry", "sealed"),
    ("portal", "SecureMessage", "sealed"),
    ("vault", "VaultObject", "sealed_filename"),
    ("practices", "Client", "sealed_emergency_contact"),
    ("exports", "ExportAudit", "sealed"),
    ("practices", "CalendarSubscription", "sealed_url"),
    ("practices", "UnmatchedEvent", "sealed_summary"),
]


@dataclass
class RotationReport:
    rewrapped_rows: int = 0
    rewrapped_files: int = 0
    already_current: int = 0


def _needs(blob: bytes, keyring: Keyring) -> bool:
    return parse_header(blob[:HEADER_SIZE]).key_id != keyring.primary_id


def count_objects() -> int:
    total: int = sum(apps.get_model(app, model).objects.count() for app, model, _ in SEALED_FIELDS)
    return total + int(apps.get_model("vault", "VaultObject").objects.count())


def _rows() -> Iterator[tuple[Any, str, int, bytes]]:
    for app, model_name, field in SEALED_FIELDS:
        model = apps.get_model(app, model_name)
        for pk, blob in model.objects.values_list("pk", field).iterator(chunk_size=500):
            if blob:
                yield model, field, pk, bytes(blob)


def rotate(keyring: Keyring, *, step: Callable[[], None] = lambda: None) -> RotationReport:
    """Rewrap everything not under ``keyring``'s primary key (old keys must be in the keyring)."""
    report = RotationReport()
    for model, field, pk, blob in _rows():
        if _needs(blob, keyring):
            # A queryset update: append-only models refuse save(), and a rewrap changes no content.
            model.objects.filter(pk=pk).update(**{field: rewrap_blob(blob, keyring, keyring)})
            report.rewrapped_rows += 1
        else:
            report.already_current += 1
        step()
    storage = vault_storage()
    for obj in VaultObject.objects.iterator(chunk_size=500):
        with storage.open(obj.storage_name, "rb") as handle:
            header = handle.read(HEADER_SIZE)
        if _needs(header, keyring):
            digest = _replace_header(storage, obj.storage_name, rewrap(header, keyring, keyring))
            VaultObject.objects.filter(pk=obj.pk).update(sealed_sha256=digest)
            report.rewrapped_files += 1
        else:
            report.already_current += 1
        step()
    with transaction.atomic():
        record(
            action="vault.rotated",
            practice=None,
            actor_label="operator",
            details={
                "rows": report.rewrapped_rows,
                "files": report.rewrapped_files,
                "current": report.already_current,
                "key_id": keyring.primary_id.hex(),
            },
        )
    return report


def _replace_header(storage: Any, name: str, header: bytes) -> str:
    """Write a copy with the new header, make it durable, then swap it in atomically.

    Rewriting the header in place could leave a torn header (and an unreadable
    object) if the machine stopped mid-write; a copy and a rename cannot.
    Returns the SHA-256 of the new stored bytes.
    """
    import hashlib
    import os
    import tempfile
    from pathlib import Path

    from django.core.files import File

    digest = hashlib.sha256(header)
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        target = Path(path)
        with (
            target.open("rb") as source,
            tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as fresh,
        ):
            source.seek(HEADER_SIZE)
            fresh.write(header)
            while chunk := source.read(1024 * 1024):
                fresh.write(chunk)
                digest.update(chunk)
            fresh.flush()
            os.fsync(fresh.fileno())
        Path(fresh.name).replace(target)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return digest.hexdigest()
    with storage.open(name, "rb") as source, tempfile.TemporaryFile() as copy:  # remote storage
        source.read(HEADER_SIZE)
        copy.write(header)
        while chunk := source.read(1024 * 1024):
            copy.write(chunk)
            digest.update(chunk)
        copy.seek(0)
        storage.delete(name)
        storage.save(name, File(copy))
    return digest.hexdigest()
