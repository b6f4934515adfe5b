"""Running a boundary audit of a platform download: the one way an ``ExportAudit`` is made."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import IO, Any

from django.db import transaction

from boundaries import clock
from boundaries.audit.log import record
from boundaries.core.platform_audit import ExportReport, RegisterClient, audit, read_export
from boundaries.errors import ActionError
from boundaries.platform_audit.models import ExportAudit, sealed_object_id
from boundaries.practices.access import clients_for
from boundaries.practices.models import Client, ClientContact, Therapist
from boundaries.sealed import digest, seal_json

__all__ = ["ZIP_MAGIC", "do_import_export", "register_for"]

# A local file header, or the end record of an empty archive.
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def register_for(therapist: Therapist) -> list[RegisterClient]:
    """Present and past clients this therapist may see, as plain data for the core.

    A therapist who sees only their own clients is checked against only those:
    an audit must not tell them who a colleague's clients are.
    """
    clients = (
        clients_for(therapist.user)
        .filter(status__in=[Client.Status.PRESENT, Client.Status.PAST])
        .prefetch_related("contacts")
    )
    register = []
    for client in clients:
        contacts = list(client.contacts.all())
        register.append(
            RegisterClient(
                id=client.pk,
                first_name=client.first_name,
                last_name=client.last_name,
                status=client.status,
                nicknames=tuple(str(n) for n in client.nicknames or ()),
                emails=tuple(c.value for c in contacts if c.kind == ClientContact.Kind.EMAIL),
                phones=tuple(c.value for c in contacts if c.kind == ClientContact.Kind.PHONE),
                handles=tuple(
                    (c.platform, c.value) for c in contacts if c.kind == ClientContact.Kind.HANDLE
                ),
            )
        )
    return register


def _bytes(file: IO[bytes] | bytes) -> bytes:
    if isinstance(file, bytes):
        return file
    file.seek(0)
    return file.read()


def do_import_export(
    therapist: Therapist,
    file: IO[bytes] | bytes,
    *,
    actor: Any = None,
    actor_label: str = "",
    progress: Callable[[str], None] | None = None,
) -> ExportAudit:
    """Audit the therapist's own download and keep the report (sealed), audited.

    Raises ``ActionError`` only for a file that is not a zip at all; a damaged
    zip gives an audit marked incomplete that names what could not be read.
    """
    step = progress or (lambda _stage: None)
    data = _bytes(file)
    if not data.startswith(ZIP_MAGIC):
        raise ActionError(
            "that file is not a zip archive: upload the download as the platform sent it"
        )
    step("read")
    export = read_export(data)
    step("match")
    report: ExportReport = audit(export, register_for(therapist), region=therapist.practice.country)
    step("save")
    stored = report.to_dict()
    content_hash = digest(stored)
    with transaction.atomic():
        row = ExportAudit(
            practice_id=therapist.practice_id,
            therapist=therapist,
            platforms=[p.value for p in report.platforms],
            created_at=clock.now(),
            complete=report.complete,
            people_checked=report.people_checked,
            clients_found=report.clients_found,
            problems=len(report.unreadable) + len(report.missing),
            archive_sha256=hashlib.sha256(data).hexdigest(),
            sealed=seal_json(
                stored, object_id=sealed_object_id(therapist.practice_id, content_hash)
            ),
            content_hash=content_hash,
        )
        row.save(force_insert=True)
        record(
            action="exports.audited",
            obj=row,
            practice=therapist.practice,
            actor=actor if actor is not None else therapist.user,
            actor_label=actor_label,
            details={
                "platforms": row.platforms,
                "complete": row.complete,
                "people_checked": row.people_checked,
                "clients_found": row.clients_found,
                "findings": len(report.findings),
                "problems": row.problems,
                "sha256": content_hash,
            },
        )
    row.__dict__["report"] = report  # the cached_property, without unsealing again
    return row
