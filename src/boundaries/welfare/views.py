"""Welfare check pages: open, add searches, actions and corrections, close, export.

There is no edit and no delete, by design.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from boundaries import clock
from boundaries.accounts.security import recent_reauth_required, therapist_required
from boundaries.audit.log import record_read
from boundaries.errors import ActionError
from boundaries.practices.access import clients_for, get_client_for, therapist_for
from boundaries.welfare import actions
from boundaries.welfare.models import WelfareCheck, WelfareEntry
from boundaries.welfare.pdf import render_pdf

CHANNELS = [
    ("phone", "Phone call"),
    ("sms", "Text message"),
    ("email", "Email"),
    ("portal", "Portal message"),
    ("other", "Other"),
]


#: What the welfare-check page calls each field of an entry (the sealed payload's keys).
FIELD_LABELS = {
    "reason": "Why",
    "channel": "How",
    "result": "What happened",
    "where": "Where you searched",
    "purpose": "What you were looking for",
    "found": "What you found",
    "action": "What you did",
    "detail": "Details",
    "correction": "Correction",
    "outcome": "Outcome",
}
_CHANNEL_LABELS = dict(CHANNELS)


def entry_rows(entry: WelfareEntry, fields: dict[str, Any]) -> list[tuple[str, str]]:
    """An entry's fields as (label, value), in the order of the form: no raw keys, no ISO times
    (when it happened is shown from ``occurred_at``, in the practice's time zone)."""
    rows: list[tuple[str, str, str]] = []
    for key, value in fields.items():
        if key in {"kind", "occurred_at"}:
            continue
        shown = _CHANNEL_LABELS.get(value, value) if key == "channel" else value
        rows.append((key, FIELD_LABELS.get(key, key.replace("_", " ").capitalize()), str(shown)))
    order = list(FIELD_LABELS)
    rows.sort(key=lambda row: order.index(row[0]) if row[0] in order else len(order))
    return [(label, shown) for _, label, shown in rows]


def checks_for(user: Any) -> Any:
    return WelfareCheck.objects.filter(client__in=clients_for(user))


def get_check_for(user: Any, check_id: int) -> WelfareCheck:
    check: WelfareCheck | None = (
        checks_for(user).select_related("client", "practice").filter(pk=check_id).first()
    )
    if check is None:
        raise Http404
    return check


def set_choices(form: forms.Form, name: str, choices: list[tuple[Any, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class Moment(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%Y-%m-%dT%H:%M"], **kwargs)


class OpenForm(forms.Form):
    client = forms.TypedChoiceField(coerce=int, label="Client")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Why do you fear for the client's safety?"
    )
    channel_1 = forms.ChoiceField(choices=CHANNELS, label="Usual contact tried")
    at_1 = Moment(label="When")
    result_1 = forms.CharField(label="What happened", max_length=300)
    channel_2 = forms.ChoiceField(
        choices=CHANNELS, label="Another contact tried (optional)", required=False
    )
    at_2 = Moment(label="When", required=False)
    result_2 = forms.CharField(label="What happened", max_length=300, required=False)

    def attempts(self) -> list[actions.ContactAttempt]:
        found = []
        for n in (1, 2):
            at, result = self.cleaned_data.get(f"at_{n}"), self.cleaned_data.get(f"result_{n}")
            if at and result:
                found.append(actions.ContactAttempt(self.cleaned_data[f"channel_{n}"], at, result))
        return found


class SearchForm(forms.Form):
    where = forms.CharField(label="Where you searched", max_length=300)
    purpose = forms.CharField(label="What you were looking for", max_length=300)
    found = forms.CharField(label="What you found", widget=forms.Textarea(attrs={"rows": 2}))
    at = Moment(label="When")


class ActionForm(forms.Form):
    action = forms.CharField(label="What you did", max_length=300)
    detail = forms.CharField(label="Details", widget=forms.Textarea(attrs={"rows": 2}))
    at = Moment(label="When")


class CorrectionForm(forms.Form):
    entry = forms.TypedChoiceField(coerce=int, label="Entry to correct")
    correction = forms.CharField(label="Correction", widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea(attrs={"rows": 3}))


@therapist_required
def index(request: HttpRequest) -> HttpResponse:
    checks = checks_for(request.user).select_related("client").order_by("-opened_at")
    return render(request, "welfare/index.html", {"nav": "welfare", "checks": checks})


@therapist_required
def open_check(request: HttpRequest) -> HttpResponse:
    form = OpenForm(request.POST or None)
    set_choices(form, "client", [(c.pk, str(c)) for c in clients_for(request.user)])
    if request.method == "POST" and form.is_valid():
        client = get_client_for(request.user, form.cleaned_data["client"])
        try:
            check = actions.do_open_welfare_check(
                client,
                therapist_for(request.user),
                reason=form.cleaned_data["reason"],
                attempts=form.attempts(),
            )
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            return redirect("welfare:detail", check_id=check.pk)
    return render(request, "welfare/open.html", {"nav": "welfare", "form": form})


@therapist_required
def detail(request: HttpRequest, check_id: int) -> HttpResponse:
    check = get_check_for(request.user, check_id)
    record_read(request, "welfare.viewed", check, check.practice)
    entries = [
        (entry, entry_rows(entry, actions.entry_fields(entry)))
        for entry in check.entries.select_related("recorded_by", "corrects")
    ]
    correction = CorrectionForm()
    set_choices(
        correction, "entry", [(e.pk, f"{e.number}. {e.get_kind_display()}") for e, _ in entries]
    )
    return render(
        request,
        "welfare/detail.html",
        {
            "nav": "welfare",
            "check": check,
            "entries": entries,
            "search_form": SearchForm(),
            "action_form": ActionForm(),
            "correction_form": correction,
            "close_form": CloseForm(),
        },
    )


@require_POST
@therapist_required
def add_entry(request: HttpRequest, check_id: int, kind: str) -> HttpResponse:
    check = get_check_for(request.user, check_id)
    therapist = therapist_for(request.user)
    try:
        if kind == "search":
            form: forms.Form = SearchForm(request.POST)
            if form.is_valid():
                actions.do_log_search(check, therapist, **form.cleaned_data)
        elif kind == "action":
            form = ActionForm(request.POST)
            if form.is_valid():
                actions.do_log_action(check, therapist, **form.cleaned_data)
        elif kind == "correction":
            form = CorrectionForm(request.POST)
            set_choices(form, "entry", [(e.pk, str(e.pk)) for e in check.entries.all()])
            if form.is_valid():
                entry = WelfareEntry.objects.get(pk=form.cleaned_data["entry"], check_record=check)
                actions.do_correct(
                    check, therapist, entry=entry, correction=form.cleaned_data["correction"]
                )
        elif kind == "close":
            form = CloseForm(request.POST)
            if form.is_valid():
                actions.do_close(check, therapist, outcome=form.cleaned_data["outcome"])
        else:
            raise Http404
    except ActionError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain")
    if not form.is_valid():
        return HttpResponse("Please fill in every field.", status=400, content_type="text/plain")
    return redirect("welfare:detail", check_id=check.pk)


def _export_filename(check: WelfareCheck, ext: str) -> str:
    return f"welfare-check-{check.pk}-{timezone.localdate(clock.now()):%Y%m%d}.{ext}"


@recent_reauth_required
def export(request: HttpRequest, check_id: int, fmt: str) -> HttpResponse:
    check = get_check_for(request.user, check_id)
    data = actions.export_dict(check)
    record_read(request, "welfare.exported", check, check.practice, format=fmt)
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
    elif fmt == "pdf":
        response = HttpResponse(render_pdf(data), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{_export_filename(check, fmt)}"'
    return response


__all__ = ["add_entry", "detail", "export", "index", "open_check"]
