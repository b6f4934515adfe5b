"""The agenda: one client's next session, and marking an item discussed (with a note)."""

from __future__ import annotations

from django import forms
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from boundaries.accounts.security import therapist_required
from boundaries.audit.log import record_read
from boundaries.errors import ActionError
from boundaries.practices.access import get_client_for
from boundaries.practices.actions.agenda import do_mark_agenda_discussed

__all__ = ["DiscussedForm", "agenda_discussed", "client_next_session"]


class DiscussedForm(forms.Form):
    note = forms.CharField(
        label="Note (optional, no clinical content)",
        required=False,
        max_length=1000,
    )


@therapist_required
def client_next_session(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id)
    record_read(request, "agenda.viewed", client, client.practice)
    items = client.agenda_items.select_related("appointment")
    return render(
        request,
        "dashboard/next_session.html",
        {
            "nav": "agenda",
            "client": client,
            "next_appointment": client.next_appointment(),
            "open_items": items.filter(discussed_at__isnull=True),
            "discussed": items.filter(discussed_at__isnull=False).order_by("-discussed_at")[:10],
            "form": DiscussedForm(),
        },
    )


@require_POST
@therapist_required
def agenda_discussed(request: HttpRequest, client_id: int, item_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id)
    item = client.agenda_items.filter(pk=item_id).select_related("client__practice").first()
    if item is None:
        raise Http404
    form = DiscussedForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "dashboard/notice.html",
            {"notice": "The note can be at most 1,000 characters.", "client": client},
            status=400,
        )
    try:
        do_mark_agenda_discussed(item, note=form.cleaned_data["note"], actor=request.user)
    except ActionError as error:
        return render(
            request, "dashboard/notice.html", {"notice": str(error), "client": client}, status=409
        )
    flash.success(request, f"Marked as discussed: {item.get_kind_display()}.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ) and back.startswith("/dashboard/"):
        return redirect(back)
    return redirect(reverse("dashboard:client_next_session", args=[client.pk]))
