"""Recording and changing a client's communication agreement.

Every save is a new version (``do_set_agreement``, audited); earlier versions stay
and are listed. The form maps its fields to the action's arguments in one method,
``action_kwargs``: a new agreement term is a field plus one line there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from boundaries.accounts.security import therapist_required
from boundaries.audit.log import record_read
from boundaries.core.reminders import parse_offset, show_offset
from boundaries.core.types import AgreedChannel, ReminderDetail
from boundaries.errors import ActionError
from boundaries.practices.access import get_client_for
from boundaries.practices.actions.agreements import do_set_agreement
from boundaries.practices.models import CommunicationAgreement

__all__ = ["AgreementForm", "agreement_edit"]

#: How each agreed channel and reminder level is named on the screens (dashboard and portal).
CHANNEL_LABELS = {
    AgreedChannel.PORTAL.value: "Secure messages in the portal",
    AgreedChannel.EMAIL.value: "Email",
    AgreedChannel.SMS.value: "Text messages",
    AgreedChannel.PHONE.value: "Phone calls",
}
REMINDER_CHANNEL_LABELS = [
    ("", "No reminders"),
    (AgreedChannel.SMS.value, "By text message"),
    (AgreedChannel.EMAIL.value, "By email"),
    (AgreedChannel.PORTAL.value, "In the portal"),
]
REMINDER_LABELS = {
    ReminderDetail.FULL.value: "Full: the time, the practice's name and the therapist's",
    ReminderDetail.DISCREET.value: "Discreet: says appointment, nothing that tells what kind",
    ReminderDetail.MINIMAL.value: "Minimal: the date and time only",
}


class AgreementForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label="Channels the client agreed to be contacted on",
        choices=[(c.value, CHANNEL_LABELS[c.value]) for c in AgreedChannel],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reminder_detail = forms.ChoiceField(
        label="Appointment reminders",
        choices=[(d.value, REMINDER_LABELS[d.value]) for d in ReminderDetail],
        widget=forms.RadioSelect,
        initial=ReminderDetail.DISCREET.value,
    )
    reminder_channel = forms.ChoiceField(
        label="Reminders go",
        choices=REMINDER_CHANNEL_LABELS,
        widget=forms.RadioSelect,
        required=False,
        initial="",
        help_text="Only on a channel the client agreed to above.",
    )
    reminder_times = forms.CharField(
        label="When, before each session",
        required=False,
        max_length=100,
        initial="48h, 2h",
        help_text="For example 48h, 2h (hours), 90m (minutes) or 1d (days).",
    )
    session_content_by_email = forms.BooleanField(
        label="The client agreed that session content may be discussed by email",
        required=False,
    )
    session_content_agreed_on = forms.DateField(
        label="Date that was agreed",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    session_content_terms = forms.CharField(
        label="Terms agreed (what may be sent, and how)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label="Note for the record (optional, no clinical content)",
        required=False,
        max_length=500,
    )

    #: The client's own quiet hours, which this form keeps as they are.
    quiet_hours: tuple[dt.time, dt.time] | None = None

    @classmethod
    def initial_from(cls, agreement: CommunicationAgreement | None) -> dict[str, Any]:
        if agreement is None:
            return {"channels": [AgreedChannel.PORTAL.value]}
        return {
            "channels": list(agreement.channels),
            "reminder_detail": agreement.reminder_detail,
            "reminder_channel": agreement.reminder_channel,
            "reminder_times": ", ".join(show_offset(m) for m in agreement.reminder_offsets),
            "session_content_by_email": agreement.session_content_by_email,
            "session_content_agreed_on": agreement.session_content_agreed_on,
            "session_content_terms": agreement.session_content_terms,
        }

    def clean_reminder_times(self) -> list[int]:
        text: str = self.cleaned_data["reminder_times"]
        try:
            return [parse_offset(part) for part in text.split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reminder_channel") and not data.get("reminder_times"):
            self.add_error("reminder_times", "say when reminders go, for example 48h, 2h")
        return data

    def action_kwargs(self) -> dict[str, Any]:
        """The form's answers as ``do_set_agreement``'s keyword arguments."""
        data = self.cleaned_data
        agreed_on: dt.date | None = data["session_content_agreed_on"]
        return {
            "channels": data["channels"],
            "reminder_detail": data["reminder_detail"],
            "reminder_channel": data["reminder_channel"],
            "reminder_offsets": data["reminder_times"] if data["reminder_channel"] else [],
            "reminder_quiet_hours": self.quiet_hours,
            "session_content_by_email": data["session_content_by_email"],
            "session_content_agreed_on": agreed_on,
            "session_content_terms": data["session_content_terms"],
            "note": data["note"],
        }


@therapist_required
def agreement_edit(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id)
    current = client.current_agreement()
    form = AgreementForm(request.POST or None, initial=AgreementForm.initial_from(current))
    if current is not None and current.reminder_quiet_start and current.reminder_quiet_end:
        form.quiet_hours = (current.reminder_quiet_start, current.reminder_quiet_end)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = do_set_agreement(client, actor=request.user, **form.action_kwargs())
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, f"Agreement version {agreement.version} recorded.")
            return redirect("dashboard:client", client_id=client.pk)
    version = current.version if current else None
    record_read(request, "agreement.viewed", client, client.practice, version=version)
    return render(
        request,
        "dashboard/agreement.html",
        {
            "nav": "clients",
            "client": client,
            "form": form,
            "current": current,
            "versions": client.agreements.order_by("-version"),
            "channel_labels": CHANNEL_LABELS,
        },
        status=400 if form.errors else 200,
    )
