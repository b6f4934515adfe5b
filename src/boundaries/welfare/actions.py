"""Opening, adding to and closing welfare checks (clause ``no-searching``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max

from boundaries import clock
from boundaries.audit.log import record
from boundaries.errors import ActionError
from boundaries.practices.actions.agenda import do_add_agenda_item
from boundaries.practices.models import AgendaItem, Client, Therapist
from boundaries.sealed import digest, seal_json, unseal_json
from boundaries.welfare.models import WelfareCheck, WelfareEntry

Kind = WelfareEntry.Kind


@dataclass(frozen=True, slots=True)
class ContactAttempt:
    channel: str  # "phone", "sms", "email", ...
    at: dt.datetime
    result: str  # "no answer", "voicemail full", ...


def _object_id(check: WelfareCheck, number: int) -> str:
    return f"welfare:{check.practice_id}:{check.pk}:{number}"


def _append(  # noqa: PLR0917 - private helper; every caller passes all six in order
    check: WelfareCheck,
    therapist: Therapist,
    kind: str,
    fields: dict[str, str],
    occurred_at: dt.datetime,
    corrects: WelfareEntry | None = None,
) -> WelfareEntry:
    if any(not str(value).strip() for value in fields.values()):
        raise ActionError("every field of a welfare entry must be filled in")
    last = check.entries.aggregate(last=Max("number"))["last"] or 0
    number = last + 1
    payload = {"kind": kind, "occurred_at": occurred_at.isoformat(), **fields}
    entry = WelfareEntry.objects.create(
        check_record=check,
        number=number,
        kind=kind,
        occurred_at=occurred_at,
        recorded_at=clock.now(),
        recorded_by=therapist,
        sealed=seal_json(payload, object_id=_object_id(check, number)),
        content_hash=digest(payload),
        corrects=corrects,
    )
    record(
        action=f"welfare.{kind}",
        obj=check,
        practice=check.practice,
        actor=therapist.user,
        details={
            "entry": number,
            "sha256": entry.content_hash,
            "corrects": corrects.number if corrects else None,
        },
    )
    return entry


def entry_fields(entry: WelfareEntry) -> dict[str, Any]:
    payload: dict[str, Any] = unseal_json(
        bytes(entry.sealed), object_id=_object_id(entry.check_record, entry.number)
    )
    return payload


def do_open_welfare_check(
    client: Client, therapist: Therapist, *, reason: str, attempts: Sequence[ContactAttempt]
) -> WelfareCheck:
    """Open a check: the reason and at least one failed usual contact are required."""
    if not reason.strip():
        raise ActionError("say why you fear for the client's safety")
    if not attempts:
        raise ActionError("record at least one usual contact that failed before searching")
    if client.practice_id != therapist.practice_id:
        raise ActionError("that client belongs to another practice")
    now = clock.now()
    with transaction.atomic():
        check = WelfareCheck.objects.create(
            practice_id=client.practice_id, client=client, opened_by=therapist, opened_at=now
        )
        _append(check, therapist, Kind.REASON, {"reason": reason.strip()}, now)
        for attempt in attempts:
            _append(
                check,
                therapist,
                Kind.CONTACT_ATTEMPT,
                {"channel": attempt.channel, "result": attempt.result},
                attempt.at,
            )
        do_add_agenda_item(
            client,
            kind=AgendaItem.Kind.WELFARE_CHECK,
            source=AgendaItem.Source.WELFARE,
            note=f"Welfare check {check.pk} opened on {now:%d %b %Y}",
            actor=therapist.user,
        )
    return check


def _open(check: WelfareCheck) -> None:
    if not check.is_open:
        raise ActionError("this welfare check is closed; its record can no longer grow")


def do_log_search(
    check: WelfareCheck,
    therapist: Therapist,
    *,
    where: str,
    purpose: str,
    found: str,
    at: dt.datetime,
) -> WelfareEntry:
    _open(check)
    with transaction.atomic():
        return _append(
            check, therapist, Kind.SEARCH, {"where": where, "purpose": purpose, "found": found}, at
        )


def do_log_action(
    check: WelfareCheck, therapist: Therapist, *, action: str, detail: str, at: dt.datetime
) -> WelfareEntry:
    _open(check)
    with transaction.atomic():
        return _append(check, therapist, Kind.ACTION, {"action": action, "detail": detail}, at)


def do_correct(
    check: WelfareCheck, therapist: Therapist, *, entry: WelfareEntry, correction: str
) -> WelfareEntry:
    """A correction is a new entry that names the one it corrects; the old one stays."""
    if entry.check_record_id != check.pk:
        raise ActionError("that entry belongs to another welfare check")
    with transaction.atomic():
        return _append(
            check, therapist, Kind.CORRECTION, {"correction": correction}, clock.now(), entry
        )


def do_close(check: WelfareCheck, therapist: Therapist, *, outcome: str) -> WelfareCheck:
    _open(check)
    with transaction.atomic():
        now = clock.now()
        _append(check, therapist, Kind.OUTCOME, {"outcome": outcome}, now)
        check.closed_at = now
        check.save(update_fields=["closed_at"])
    return check


def export_dict(check: WelfareCheck) -> dict[str, Any]:
    """Everything a supervisor needs, with each entry's hash so it can be checked."""
    return {
        "welfare_check": check.pk,
        "practice": check.practice.name,
        "client": str(check.client),
        "opened_at": check.opened_at.isoformat(),
        "opened_by": check.opened_by.display_name,
        "closed_at": check.closed_at.isoformat() if check.closed_at else None,
        "entries": [
            {
                "number": entry.number,
                "kind": entry.kind,
                "recorded_at": entry.recorded_at.isoformat(),
                "recorded_by": entry.recorded_by.display_name,
                "corrects": entry.corrects.number if entry.corrects else None,
                "sha256": entry.content_hash,
                "fields": entry_fields(entry),
            }
            for entry in check.entries.select_related("recorded_by", "corrects").order_by("number")
        ],
    }
