"""Storing and reading encrypted files through Django's storage API.

Uploads are size-limited, typed by their content (never their name),
stripped of metadata, encrypted in a streaming format and saved to the
``vault`` storage (local files by default; any Django storage, such as an
S3-compatible one, can be configured). A file that cannot be cleaned is
stored but flagged and is never handed on to anyone.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import tempfile
import uuid
from typing import IO, Any, BinaryIO, cast

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Sum

from boundaries.audit.log import record
from boundaries.vault.crypto import decrypt_bytes, decrypt_stream, encrypt_bytes, encrypt_stream
from boundaries.vault.keys import keyring_from_settings
from boundaries.vault.models import VaultObject
from boundaries.vault.sanitize import HEAD_SIZE, UploadRejectedError, check_upload, clean


class NotCleanError(Exception):
    """A flagged file is never sent on."""


class RolledBackError(Exception):
    """The stored bytes are not the ones recorded: an older or foreign copy was put back."""


class HashingReader(io.RawIOBase):
    """Reads through to ``source`` while hashing everything read."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.source.read(len(buffer))
        buffer[: len(data)] = data
        self.digest.update(data)
        return len(data)


def _check_digest(digest: str, obj: VaultObject) -> None:
    if not hmac.compare_digest(digest, obj.sealed_sha256):
        raise RolledBackError("the stored file is not the one recorded for this object")


def sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(1024 * 1024):
        digest.update(chunk)
    return digest.hexdigest()


def vault_storage() -> Any:
    return storages["vault"]


def _name_id(object_id: str) -> str:
    return f"{object_id}:filename"


def store_file(
    *,
    client: Any,
    data: bytes,
    filename: str,
    direction: str,
    actor: Any = None,
    actor_label: str = "",
    source: str = "",
) -> VaultObject:
    """Check, clean, encrypt and store one upload. Raises UploadRejectedError with a reason,
    including the practice's storage limit (checked first, and again with the row locked)."""
    kind = check_upload(data[:HEAD_SIZE], len(data), max_bytes=settings.VAULT_MAX_UPLOAD_BYTES)
    result = clean(data, kind, max_bytes=settings.VAULT_MAX_UPLOAD_BYTES)
    with transaction.atomic():
        check_vault_room(client.practice_id, len(result.data))
    object_id = uuid.uuid4().hex
    keyring = keyring_from_settings()
    with tempfile.TemporaryFile() as sealed:
        encrypt_stream(io.BytesIO(result.data), sealed, keyring=keyring, object_id=object_id)
        sealed.seek(0)
        sealed_sha256 = sha256_of(sealed)
        sealed.seek(0)
        name = vault_storage().save(
            f"{client.practice_id}/{object_id[:2]}/{object_id}.bvlt", File(sealed)
        )
    try:
        with transaction.atomic():
            check_vault_room(client.practice_id, len(result.data))  # locks the practice row
            obj = VaultObject.objects.create(
                practice_id=client.practice_id,
                client=client,
                object_id=object_id,
                storage_name=name,
                sealed_sha256=sealed_sha256,
                sealed_filename=encrypt_bytes(
                    filename[:255].encode(), keyring=keyring, object_id=_name_id(object_id)
                ),
                content_type=kind,
                size=len(result.data),
                cleaned=result.cleaned,
                problem=(result.problem or "")[:300],
                removed=list(result.removed),
                direction=direction,
                source=source,
            )
            record(
                action="vault.stored",
                obj=obj,
                practice=client.practice,
                actor=actor,
                actor_label=actor_label,
                details={
                    "type": kind,
                    "size": obj.size,
                    "cleaned": obj.cleaned,
                    "removed": obj.removed,
                },
            )
    except UploadRejectedError:
        vault_storage().delete(name)  # the limit was reached meanwhile: no orphan on disk
        raise
    return obj


def check_vault_room(practice_id: int, size: int) -> None:
    """Refuse a file that would take the practice's vault over its storage limit.

    Call inside the transaction that records the file: the practice row is locked,
    so two uploads that check the limit queue instead of both passing it.
    """
    # By app label, as VaultObject's ForeignKey names it: the vault imports nothing from practices.
    practice_model = apps.get_model("practices", "Practice")
    limit = (
        practice_model.objects.select_for_update()
        .values_list("max_vault_bytes", flat=True)
        .get(pk=practice_id)
    )
    if not limit:
        return
    used = VaultObject.objects.filter(practice_id=practice_id).aggregate(total=Sum("size"))
    if (used["total"] or 0) + size > limit:
        raise UploadRejectedError(
            "the practice's file storage is full "
            f"(limit {limit:,} bytes); ask the practice to remove "
            "files or its host to raise the limit"
        )


def filename(obj: VaultObject) -> str:
    return decrypt_bytes(
        bytes(obj.sealed_filename),
        keyring=keyring_from_settings(),
        object_id=_name_id(obj.object_id),
    ).decode()


def open_decrypted(obj: VaultObject, *, require_clean: bool = True) -> IO[bytes]:
    """The whole plaintext in a temporary file, authenticated before anyone reads a byte."""
    if require_clean and not obj.cleaned:
        raise NotCleanError(obj.problem or "this file could not be cleaned of metadata")
    plain = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    try:
        with vault_storage().open(obj.storage_name, "rb") as sealed:
            reader = HashingReader(sealed)
            decrypt_stream(
                cast(BinaryIO, reader),
                plain,
                keyring=keyring_from_settings(),
                object_id=obj.object_id,
            )
            reader.digest.update(sealed.read())  # anything after the final chunk counts too
        _check_digest(reader.digest.hexdigest(), obj)
    except BaseException:
        plain.close()  # a failed decryption leaves only an authenticated prefix: discard it
        raise
    plain.seek(0)
    return plain
