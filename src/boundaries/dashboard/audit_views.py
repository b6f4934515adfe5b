"""The practice's audit log: filter it, page through it, verify the chain, export it.

Only the practice's own entries, and only for its owners. Pages are keyset-paginated
on ``seq`` (the log grows without end: an OFFSET would read every row it skips), the
chain is checked by the same verifier as ``boundaries audit verify``, and an export
of the filtered rows is itself an audit entry.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from boundaries import clock
from boundaries.accounts.security import recent_reauth_required, therapist_required
from boundaries.audit.log import record
from boundaries.audit.models import AuditEntry
from boundaries.practices.access import clients_for, owner_for
from boundaries.practices.models import Practice, Therapist
from boundaries.records.chain_checks import (
    do_request_chain_check,
    latest_chain_check,
    waiting_chain_check,
)

__all__ = ["audit_log", "export_csv", "verify_chain"]

PAGE = 50
EXPORT_BATCH = 2_000
CSV_COLUMNS = (
    "seq",
    "time",
    "actor",
    "action",
    "object_type",
    "object_id",
    "reason",
    "details",
)


class AuditFilter(forms.Form):
    client = forms.TypedChoiceField(label="Client", coerce=int, required=False, empty_value=None)
    actor = forms.TypedChoiceField(label="Who", coerce=int, required=False, empty_value=None)
    action = forms.CharField(
        label="Action (or its start, e.g. policy.)", required=False, max_length=80
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


def _filter_form(request: HttpRequest, practice: Practice) -> AuditFilter:
    form = AuditFilter(request.GET or None)
    clients = forms.TypedChoiceField  # for the type checker below
    client_field = form.fields["client"]
    actor_field = form.fields["actor"]
    assert isinstance(client_field, clients) and isinstance(actor_field, clients)
    client_field.choices = [("", "Any client")] + [
        (c.pk, str(c)) for c in clients_for(request.user).order_by("last_name", "first_name")
    ]
    actor_field.choices = [("", "Anyone")] + [
        (t.user_id, t.display_name)
        for t in Therapist.objects.filter(practice=practice).order_by("display_name")
    ]
    return form


def _filtered(practice: Practice, data: dict[str, Any]) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(practice_id=practice.pk)
    if data.get("client"):
        client_id = data["client"]
        entries = entries.filter(
            Q(object_type="practices.client", object_id=str(client_id))
            | Q(details__client=client_id)
        )
    if data.get("actor"):
        entries = entries.filter(actor_id=data["actor"])
    if data.get("action"):
        entries = entries.filter(action__startswith=data["action"].strip())
    zone = ZoneInfo(practice.timezone)
    if data.get("date_from"):
        entries = entries.filter(
            created_at__gte=dt.datetime.combine(data["date_from"], dt.time(), tzinfo=zone)
        )
    if data.get("date_to"):
        end = data["date_to"] + dt.timedelta(days=1)
        entries = entries.filter(created_at__lt=dt.datetime.combine(end, dt.time(), tzinfo=zone))
    return entries


def _criteria(data: dict[str, Any]) -> dict[str, Any]:
    """The filters as query parameters (and as the export's audit details: ids only)."""
    wanted = ("client", "actor", "action", "date_from", "date_to")
    return {name: str(data[name]) for name in wanted if data.get(name) not in (None, "")}


@therapist_required
def audit_log(request: HttpRequest) -> HttpResponse:
    therapist = owner_for(request.user)
    return _render_log(request, therapist)


def _render_log(request: HttpRequest, therapist: Therapist) -> HttpResponse:
    practice = therapist.practice
    form = _filter_form(request, practice)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = _filtered(practice, data)
    if data.get("before"):
        entries = entries.filter(seq__lt=data["before"])
    rows = list(entries.order_by("-seq")[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    criteria = _criteria(data)
    visible = clients_for(request.user).filter(pk__in=_client_ids(rows))
    names = {c.pk: str(c) for c in visible.only("pk", "first_name", "last_name")}
    return render(
        request,
        "dashboard/audit.html",
        {
            "nav": "audit",
            "form": form,
            "rows": [(entry, _about(entry, names)) for entry in rows],
            "older": urlencode(criteria | {"before": rows[-1].seq}) if more else "",
            "newest": urlencode(criteria) if data.get("before") else "",
            "query": urlencode(criteria),
            "filtered": bool(criteria),
            "check": latest_chain_check(practice),
            "check_waiting": waiting_chain_check(practice),
            "check_was_waiting": request.GET.get("check") == "waiting",
            "zone": practice.timezone,
        },
    )


def _client_ids(rows: list[AuditEntry]) -> set[int]:
    ids = set()
    for entry in rows:
        if entry.object_type == "practices.client" and entry.object_id.isdigit():
            ids.add(int(entry.object_id))
        client = entry.details.get("client") if isinstance(entry.details, dict) else None
        if isinstance(client, int):
            ids.add(client)
    return ids


def _about(entry: AuditEntry, names: dict[int, str]) -> str:
    client = None
    if entry.object_type == "practices.client" and entry.object_id.isdigit():
        client = int(entry.object_id)
    elif isinstance(entry.details, dict) and isinstance(entry.details.get("client"), int):
        client = entry.details["client"]
    return names.get(client, "") if client is not None else ""


@require_POST
@therapist_required
def verify_chain(request: HttpRequest) -> HttpResponse:
    """Queue a check of the whole chain in the worker (records.chain_checks); back to the log."""
    therapist = owner_for(request.user)
    queued = do_request_chain_check(therapist.practice, actor=request.user)
    query = request.META.get("QUERY_STRING", "")
    target = reverse("dashboard:audit") + (f"?{query}" if query else "")
    return redirect(f"{target}{'&' if query else '?'}check={'queued' if queued else 'waiting'}")


def _cell(value: str) -> str:
    """A spreadsheet must not run a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@recent_reauth_required
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered rows as CSV, oldest first, streamed in keyset batches; audited."""
    therapist = owner_for(request.user)
    practice = therapist.practice
    form = _filter_form(request, practice)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    criteria = _criteria(data)
    with transaction.atomic():
        record(
            action="audit.exported",
            practice=practice,
            actor=request.user,
            object_type="audit.log",
            object_id=str(practice.pk),
            details={"filters": criteria},
        )
    entries = _filtered(practice, data)
    zone = ZoneInfo(practice.timezone)
    response = StreamingHttpResponse(
        _csv_lines(entries, zone), content_type="text/csv; charset=utf-8"
    )
    stamp = clock.now().astimezone(zone).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="audit-{practice.slug}-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _csv_lines(entries: QuerySet[AuditEntry], zone: ZoneInfo) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    after = 0
    while True:
        batch = list(entries.filter(seq__gt=after).order_by("seq")[:EXPORT_BATCH])
        if not batch:
            return
        for entry in batch:
            writer.writerow(
                [
                    entry.seq,
                    entry.created_at.astimezone(zone).isoformat(timespec="seconds"),
                    _cell(entry.actor_label),
                    _cell(entry.action),
                    _cell(entry.object_type),
                    _cell(entry.object_id),
                    _cell(entry.reason),
                    _cell(json.dumps(entry.details, sort_keys=True, ensure_ascii=False)),
                ]
            )
        yield flush()
        after = batch[-1].seq
