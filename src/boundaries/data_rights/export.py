"""Exports: all of a practice's records (operators), and one client's own data (right of access).

Both are zip files with a ``manifest.json`` that lists every other file with its
SHA-256 and size; the SHA-256 of the manifest itself goes into the audit entry
that records the export, so an export can later be matched to its entry and
checked for changes.

A practice export keeps content as it is stored: sealed rows stay sealed
(base64 in the JSON) and vault files stay encrypted, readable only with the
installation's master key. ``decrypt=True`` adds the plaintext next to them
(messages, portal messages, welfare records, emergency contacts, files) for a
practice that is leaving for another system: handle that zip as the health
records it then is.
A client's export is always readable: it is for the client.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from django.core import serializers
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from boundaries import clock
from boundaries.audit.log import record
from boundaries.audit.models import AuditEntry
from boundaries.inbox.models import Message
from boundaries.inbox.sealing import unseal
from boundaries.portal.actions import message_text
from boundaries.portal.models import SecureMessage
from boundaries.practices.emergency import emergency_contact_of
from boundaries.practices.models import Client, Practice
from boundaries.practices.scope import practice_scoped_models
from boundaries.vault.crypto import VaultIntegrityError
from boundaries.vault.files import RolledBackError, filename, open_decrypted, vault_storage
from boundaries.vault.keys import KeyringError
from boundaries.vault.models import VaultObject
from boundaries.welfare.actions import export_dict
from boundaries.welfare.models import WelfareCheck
from boundaries.welfare.pdf import render_pdf

__all__ = ["ExportResult", "do_export_client", "do_export_practice", "export_client_zip"]

PRACTICE_FORMAT = "boundaries-practice-export/1"
CLIENT_FORMAT = "boundaries-client-export/1"
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(slots=True)
class ExportResult:
    manifest_sha256: str
    files: int
    rows: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)


class _Hashing(io.RawIOBase):
    """A writable that hashes and counts what passes through to ``target``."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.digest.update(chunk)
        self.size += len(chunk)
        self.target.write(chunk)
        return len(chunk)


class _ZipWriter:
    """Writes zip members, remembering each one's hash for the manifest."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.entries: list[dict[str, Any]] = []

    @contextmanager
    def _member(self, name: str) -> Iterator[_Hashing]:
        with self.archive.open(name, "w", force_zip64=True) as target:
            hashing = _Hashing(target)
            yield hashing
        self.entries.append(
            {"path": name, "sha256": hashing.digest.hexdigest(), "bytes": hashing.size}
        )

    def write_bytes(self, name: str, data: bytes) -> None:
        with self._member(name) as member:
            member.write(data)

    def write_json(self, name: str, value: Any) -> None:
        text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
        self.write_bytes(name, text.encode() + b"\n")

    def write_lines(self, name: str, values: Iterable[Any]) -> int:
        """JSON Lines: one record a line, so a large table is never held in memory."""
        count = 0
        with self._member(name) as member:
            for value in values:
                line = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
                member.write(line.encode() + b"\n")
                count += 1
        return count

    def write_stream(self, name: str, source: IO[bytes]) -> None:
        with self._member(name) as member:
            while chunk := source.read(1024 * 1024):
                member.write(chunk)

    def write_records(self, name: str, queryset: Any) -> int:
        """Rows in Django's JSON serialization (sealed binary fields as base64), streamed."""
        serializer = serializers.get_serializer("json")()
        count = 0

        def counted() -> Iterator[Any]:
            nonlocal count
            for row in queryset.order_by("pk").iterator(chunk_size=2000):
                count += 1
                yield row

        with self._member(name) as member:
            text = io.TextIOWrapper(cast(IO[bytes], member), encoding="utf-8", write_through=True)
            serializer.serialize(counted(), stream=text)
            text.flush()
            text.detach()
        return count

    def finish(self, header: dict[str, Any]) -> str:
        manifest = json.dumps(
            {**header, "files": self.entries}, indent=2, ensure_ascii=False, sort_keys=True
        ).encode()
        self.archive.writestr("manifest.json", manifest)
        return hashlib.sha256(manifest).hexdigest()


def _safe_name(name: str) -> str:
    """A file name from a client that cannot climb out of its folder when unzipped."""
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return base[:120] or "file"


def _vault_errors() -> tuple[type[BaseException], ...]:

    return (VaultIntegrityError, RolledBackError, KeyringError, OSError, ValueError)


# ---------------------------------------------------------------------------- practice


def _accounts(practice: Practice) -> Iterator[dict[str, Any]]:
    """Therapists' sign-in names and emails; never password hashes or second factors."""
    for therapist in practice.therapists.select_related("user").order_by("pk"):
        yield {
            "therapist": therapist.pk,
            "display_name": therapist.display_name,
            "role": therapist.role,
            "username": therapist.user.get_username(),
            "email": therapist.user.email,
        }


def _decrypted_messages(practice: Practice, unreadable: list[str]) -> Iterator[dict[str, Any]]:

    for message in Message.objects.filter(practice=practice).order_by("pk").iterator(2000):
        try:
            content = unseal(
                bytes(message.sealed), practice_id=practice.pk, content_hash=message.content_hash
            )
        except _vault_errors():
            unreadable.append(f"inbox.message {message.pk}")
            yield {"message": message.pk, "unreadable": True}
            continue
        yield {
            "message": message.pk,
            "sender": content.sender,
            "subject": content.subject,
            "text": content.text,
        }


def _decrypted_portal(queryset: Any, unreadable: list[str]) -> Iterator[dict[str, Any]]:

    for message in queryset.order_by("pk").iterator(2000):
        row = {
            "secure_message": message.pk,
            "client": message.client_id,
            "direction": message.direction,
            "created_at": message.created_at,
            "read_at": message.read_at,
        }
        try:
            row["text"] = message_text(message)
        except _vault_errors():
            unreadable.append(f"portal.securemessage {message.pk}")
            row["unreadable"] = True
        yield row


def _welfare(queryset: Any, unreadable: list[str]) -> list[dict[str, Any]]:

    checks = []
    for check in queryset.order_by("pk"):
        try:
            checks.append(export_dict(check))
        except _vault_errors():
            unreadable.append(f"welfare.welfarecheck {check.pk}")
            checks.append({"welfare_check": check.pk, "unreadable": True})
    return checks


def _files(
    writer: _ZipWriter, objects: Any, *, encrypted: bool, decrypted: bool, unreadable: list[str]
) -> list[dict[str, Any]]:

    listed = []
    for obj in objects.order_by("pk"):
        row: dict[str, Any] = {
            "object_id": obj.object_id,
            "client": obj.client_id,
            "content_type": obj.content_type,
            "bytes": obj.size,
            "direction": obj.direction,
            "created_at": obj.created_at,
            "metadata_removed": obj.removed,
        }
        if encrypted:
            row["encrypted_path"] = f"vault/{obj.object_id}.bvlt"
            try:
                with vault_storage().open(obj.storage_name, "rb") as sealed:
                    writer.write_stream(row["encrypted_path"], sealed)
            except OSError:
                unreadable.append(f"vault.vaultobject {obj.object_id}")
                row["encrypted_path"] = None
        if decrypted:
            try:
                name = _safe_name(filename(obj))
                with open_decrypted(obj, require_clean=False) as plain:
                    row["path"] = f"files/{obj.object_id}/{name}"
                    writer.write_stream(row["path"], plain)
            except _vault_errors():
                unreadable.append(f"vault.vaultobject {obj.object_id}")
                row["unreadable"] = True
        listed.append(row)
    return listed


def _atomic_zip(out: Path) -> tuple[IO[bytes], Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.fchmod(descriptor, 0o600)  # health records: readable by the operator's user only
    return os.fdopen(descriptor, "wb"), Path(partial)


def do_export_practice(
    practice: Practice, out: Path, *, decrypt: bool = False, actor_label: str = "operator"
) -> ExportResult:
    """Write every record of ``practice`` to ``out`` (a zip), then audit the export."""

    handle, partial = _atomic_zip(out)
    rows: dict[str, int] = {}
    unreadable: list[str] = []
    try:
        with handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            writer = _ZipWriter(archive)
            for model, path in practice_scoped_models():
                label = model._meta.label_lower
                queryset = model._base_manager.filter(
                    **({path: practice} if path else {"pk": practice.pk})
                )
                rows[label] = writer.write_records(f"records/{label}.json", queryset)
            audit = AuditEntry.objects.filter(practice=practice)
            rows["audit.auditentry"] = writer.write_records("records/audit.auditentry.json", audit)
            writer.write_lines("accounts.jsonl", _accounts(practice))
            files = _files(
                writer,
                VaultObject.objects.filter(practice=practice),
                encrypted=True,
                decrypted=decrypt,
                unreadable=unreadable,
            )
            writer.write_json("vault.json", files)
            if decrypt:
                writer.write_lines(
                    "decrypted/messages.jsonl", _decrypted_messages(practice, unreadable)
                )
                writer.write_lines(
                    "decrypted/secure_messages.jsonl",
                    _decrypted_portal(SecureMessage.objects.filter(practice=practice), unreadable),
                )
                writer.write_json(
                    "decrypted/welfare_checks.json",
                    _welfare(WelfareCheck.objects.filter(practice=practice), unreadable),
                )
                writer.write_lines(
                    "decrypted/emergency_contacts.jsonl",
                    _decrypted_emergency_contacts(practice, unreadable),
                )
            digest = writer.finish(
                {
                    "format": PRACTICE_FORMAT,
                    "practice": practice.pk,
                    "slug": practice.slug,
                    "created_at": clock.now().isoformat(),
                    "decrypted": decrypt,
                    "rows": rows,
                    "unreadable": unreadable,
                    "note": (
                        "records/*.json: Django's JSON serialization, one file per table; "
                        "sealed fields are base64 and, like vault/*.bvlt, open only with "
                        "the installation's master key"
                        + ("; decrypted/ and files/ hold the plaintext" if decrypt else "")
                    ),
                }
            )
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        record(
            action="practice.exported",
            obj=practice,
            practice=practice,
            actor_label=actor_label,
            details={
                "manifest_sha256": digest,
                "decrypted": decrypt,
                "rows": sum(rows.values()),
                "unreadable": len(unreadable),
            },
        )
    return ExportResult(digest, len(writer.entries) + 1, rows, unreadable)


# ---------------------------------------------------------------------------- one client


def _emergency_contact(client: Client, unreadable: list[str]) -> dict[str, Any] | None:
    try:
        contact = emergency_contact_of(client)
    except _vault_errors():
        unreadable.append(f"client {client.pk} emergency contact")
        return {"unreadable": True}
    return contact.as_dict() if contact else None


def _decrypted_emergency_contacts(
    practice: Practice, unreadable: list[str]
) -> Iterator[dict[str, Any]]:
    clients = Client.objects.filter(practice=practice).exclude(sealed_emergency_contact=b"")
    for client in clients.order_by("pk").iterator(2000):
        yield {"client": client.pk, "emergency_contact": _emergency_contact(client, unreadable)}


def _register_entry(client: Client, unreadable: list[str]) -> dict[str, Any]:
    return {
        "client": client.pk,
        "first_name": client.first_name,
        "last_name": client.last_name,
        "nicknames": client.nicknames,
        "status": client.status,
        "country": client.country,
        "therapist": client.therapist.display_name if client.therapist else None,
        "added": client.created_at,
        "erased": client.erased_at,
        "contacts": [
            {"kind": c.kind, "platform": c.platform, "value": c.value}
            for c in client.contacts.order_by("pk")
        ],
        # Someone the client named to be rung when they are at risk (sealed at rest).
        "emergency_contact": _emergency_contact(client, unreadable),
    }


def _client_messages(client: Client, unreadable: list[str]) -> list[dict[str, Any]]:

    rows = []
    for message in Message.objects.filter(practice_id=client.practice_id, client=client).order_by(
        "received_at", "pk"
    ):
        row: dict[str, Any] = {
            "message": message.pk,
            "channel": message.channel,
            "platform": message.platform,
            "received_at": message.received_at,
            "crisis": message.crisis,
            "labels": message.labels,
            "actions": message.actions,
            "policy_clauses": message.clauses,
            "reasons": message.reasons,
        }
        try:
            content = unseal(
                bytes(message.sealed),
                practice_id=message.practice_id,
                content_hash=message.content_hash,
            )
            row |= {"sender": content.sender, "subject": content.subject, "text": content.text}
        except _vault_errors():
            unreadable.append(f"message {message.pk}")
            row["unreadable"] = True
        rows.append(row)
    return rows


def _access_log(client: Client) -> Iterator[dict[str, Any]]:
    """What was done with the client's records and by whom (ids and decisions, no content)."""

    entries = AuditEntry.objects.filter(practice_id=client.practice_id).filter(
        Q(object_type="practices.client", object_id=str(client.pk)) | Q(details__client=client.pk)
    )
    for entry in entries.order_by("seq").iterator(2000):
        yield {
            "seq": entry.seq,
            "at": entry.created_at,
            "who": entry.actor_label,
            "action": entry.action,
            "record": f"{entry.object_type}:{entry.object_id}",
        }


def export_client_zip(client: Client, target: IO[bytes]) -> ExportResult:
    """Write one client's own data to ``target`` as a zip (no audit entry: see do_export_client)."""

    unreadable: list[str] = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        writer = _ZipWriter(archive)
        writer.write_json("register_entry.json", _register_entry(client, unreadable))
        writer.write_json(
            "agreements.json",
            [
                {
                    "version": a.version,
                    "channels": a.channels,
                    "reminder_detail": a.reminder_detail,
                    "reminder_channel": a.reminder_channel,
                    "reminder_minutes_before": a.reminder_offsets,
                    "reminder_quiet_hours": [a.reminder_quiet_start, a.reminder_quiet_end],
                    "session_content_by_email": a.session_content_by_email,
                    "session_content_agreed_on": a.session_content_agreed_on,
                    "session_content_terms": a.session_content_terms,
                    "note": a.note,
                    "recorded_at": a.recorded_at,
                    "recorded_by": a.recorded_by_label,
                }
                for a in client.agreements.order_by("version")
            ],
        )
        writer.write_json(
            "agenda_items.json",
            [
                {
                    "kind": item.get_kind_display(),
                    "source": item.get_source_display(),
                    "note": item.note,
                    "added": item.created_at,
                    "discussed": item.discussed_at,
                    "discussed_note": item.discussed_note,
                }
                for item in client.agenda_items.order_by("created_at", "pk")
            ],
        )
        writer.write_json(
            "appointments.json",
            [
                {"starts": a.starts_at, "ends": a.ends_at, "cancelled": a.cancelled}
                for a in client.appointments.order_by("starts_at")
            ],
        )
        writer.write_json("messages.json", _client_messages(client, unreadable))
        writer.write_json(
            "portal_messages.json",
            list(_decrypted_portal(SecureMessage.objects.filter(client=client), unreadable)),
        )
        writer.write_json(
            "files.json",
            _files(
                writer,
                VaultObject.objects.filter(client=client),
                encrypted=False,
                decrypted=True,
                unreadable=unreadable,
            ),
        )
        writer.write_json(
            "policy_acknowledgements.json",
            [
                {"version": ack.version.number, "acknowledged_at": ack.acknowledged_at}
                for ack in client.acknowledgements.select_related("version").order_by("pk")
            ],
        )
        checks = _welfare(client.welfare_checks.all(), unreadable)
        writer.write_json("welfare_checks.json", checks)
        for check in checks:
            if not check.get("unreadable"):
                writer.write_bytes(f"welfare-check-{check['welfare_check']}.pdf", render_pdf(check))
        writer.write_lines("access_log.jsonl", _access_log(client))
        digest = writer.finish(
            {
                "format": CLIENT_FORMAT,
                "client": client.pk,
                "practice": client.practice.name,
                "created_at": clock.now().isoformat(),
                "unreadable": unreadable,
            }
        )
    return ExportResult(digest, len(writer.entries) + 1, {}, unreadable)


def do_export_client(
    client: Client, *, actor: Any = None, actor_label: str = "", via: str = "dashboard"
) -> tuple[IO[bytes], ExportResult]:
    """A client's own data as a zip in a temporary file (the caller closes it), audited."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    try:
        result = export_client_zip(client, handle)
        with transaction.atomic():
            record(
                action="client.exported",
                obj=client,
                practice=client.practice,
                actor=actor,
                actor_label=actor_label,
                details={
                    "manifest_sha256": result.manifest_sha256,
                    "files": result.files,
                    "unreadable": len(result.unreadable),
                    "via": via,
                },
            )
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle, result


def export_filename(client: Client, today: dt.date | None = None) -> str:
    return f"client-{client.pk}-data-{(today or timezone.localdate(clock.now())):%Y%m%d}.zip"
