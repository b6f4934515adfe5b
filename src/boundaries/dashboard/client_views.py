"""The client register in the dashboard: the list, adding, editing, archiving, importing,
each client's page (with their phones and emergency contact one tap away) and a Reply
that passes the guard.

Every object comes through an access-checked getter (another practice's client is a
404), every read of client data is audited, and every change is a ``do_*``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages as flash
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from boundaries.accounts.security import therapist_required
from boundaries.audit.log import record_read
from boundaries.core.guard import OutboundChannel
from boundaries.core.policy.loader import display_phone
from boundaries.dashboard.outbound import SENDABLE, GuardRefusal
from boundaries.dashboard.views import CannotDeliverError, guard_then_deliver
from boundaries.errors import ActionError
from boundaries.inbox.access import messages_for
from boundaries.practices.access import clients_for, get_client_for, therapist_for
from boundaries.practices.actions.client_import import (
    IMPORT_COLUMNS,
    do_import_clients,
    parse_handles,
    read_client_rows,
)
from boundaries.practices.actions.clients import (
    do_add_client,
    do_set_client_status,
    do_set_emergency_contact,
    do_update_client,
)
from boundaries.practices.emergency import (
    MAX_NAME,
    MAX_RELATIONSHIP,
    EmergencyContact,
    emergency_contact_of,
)
from boundaries.practices.models import Client, ClientContact, Therapist, current_agreements
from boundaries.vault.crypto import VaultIntegrityError
from boundaries.vault.keys import KeyringError

__all__ = [
    "ClientForm",
    "NewClientForm",
    "ReplyForm",
    "client_add",
    "client_detail",
    "client_edit",
    "client_emergency",
    "client_import",
    "client_reply",
    "client_status",
    "clients",
]

#: The register's tabs: which statuses each shows. Archived clients are past clients.
LISTS = {
    "current": ("Current", (Client.Status.PRESENT, Client.Status.PROSPECTIVE)),
    "prospective": ("Prospective", (Client.Status.PROSPECTIVE,)),
    "past": ("Archived (past)", (Client.Status.PAST,)),
}
#: Largest CSV accepted in the browser; a practice's whole register fits many times over.
MAX_IMPORT_BYTES = 1024 * 1024
#: Channels the Reply form offers, in the order shown.
REPLY_CHANNELS = [
    (OutboundChannel.PORTAL.value, "Secure portal message"),
    (OutboundChannel.EMAIL.value, "Email"),
    (OutboundChannel.SMS.value, "Text message"),
]
assert {value for value, _ in REPLY_CHANNELS} == {c.value for c in SENDABLE}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ClientForm(forms.Form):
    """A client's register entry. Contacts are one a line: they are what incoming messages
    are matched by, so each is normalised (emails lower-cased, phones to E.164)."""

    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    nicknames = forms.CharField(
        label="Other names they go by (optional, separated by commas)",
        required=False,
        max_length=300,
    )
    status = forms.ChoiceField(label="Status", choices=Client.Status.choices)
    country = forms.CharField(
        label="Country (two letters, e.g. GB or US): sets the crisis numbers shown to them",
        min_length=2,
        max_length=2,
    )
    therapist = forms.TypedChoiceField(label="Their therapist", coerce=int)
    emails = forms.CharField(
        label="Email addresses, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    phones = forms.CharField(
        label="Phone numbers, one a line (national or international form)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    handles = forms.CharField(
        label="Social handles, one a line as platform:handle (e.g. instagram:@name)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, therapist: Therapist, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting = therapist
        if therapist.sees_all_clients:
            field = self.fields["therapist"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                (t.pk, t.display_name)
                for t in Therapist.objects.filter(practice_id=therapist.practice_id).order_by(
                    "display_name"
                )
            ]
        else:  # a therapist who sees only their own clients adds and keeps only their own
            del self.fields["therapist"]

    def clean_handles(self) -> dict[str, str]:
        try:
            return parse_handles(_lines(self.cleaned_data["handles"]))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def chosen_therapist(self, current: Therapist | None) -> Therapist | None:
        if "therapist" not in self.fields:
            return current if current is not None else self.acting
        return Therapist.objects.get(
            practice_id=self.acting.practice_id, pk=self.cleaned_data["therapist"]
        )

    def register_kwargs(self) -> dict[str, Any]:
        """What ``do_add_client`` and ``do_update_client`` take from the form."""
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "nicknames": [n for n in data["nicknames"].split(",") if n.strip()],
            "status": data["status"],
            "country": data["country"],
            "emails": _lines(data["emails"]),
            "phones": _lines(data["phones"]),
            "handles": data["handles"],
        }


class EmergencyFields(forms.Form):
    emergency_name = forms.CharField(
        label="Emergency contact: name", required=False, max_length=MAX_NAME
    )
    emergency_phone = forms.CharField(
        label="Emergency contact: phone number", required=False, max_length=40
    )
    emergency_relationship = forms.CharField(
        label="Emergency contact: who they are to the client (e.g. partner)",
        required=False,
        max_length=MAX_RELATIONSHIP,
    )

    def emergency(self) -> EmergencyContact | None:
        data = self.cleaned_data
        if not (data["emergency_name"].strip() or data["emergency_phone"].strip()):
            return None
        return EmergencyContact(
            data["emergency_name"], data["emergency_phone"], data["emergency_relationship"]
        )


class NewClientForm(ClientForm, EmergencyFields):
    """Adding a client may record the emergency contact at once."""

    field_order = [*ClientForm.base_fields, *EmergencyFields.base_fields]


class EmergencyForm(EmergencyFields):
    remove = forms.BooleanField(label="Remove the emergency contact", required=False)


class ReplyForm(forms.Form):
    channel = forms.ChoiceField(label="Send by", choices=REPLY_CHANNELS)
    subject = forms.CharField(label="Subject (email only)", required=False, max_length=200)
    text = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 5}))
    reason = forms.CharField(
        label="If the guard warns you: why send it anyway?", required=False, max_length=500
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file")


def _digits(text: str) -> int:
    return int(text) if text.isdigit() else 0


#: Clients on one page of the register; the next page starts after the last name shown.
CLIENTS_PAGE = 200


@therapist_required
def clients(request: HttpRequest) -> HttpResponse:
    therapist = therapist_for(request.user)
    shown = request.GET.get("list", "current")
    if shown not in LISTS:
        shown = "current"
    found = clients_for(request.user).filter(erased_at__isnull=True)
    query = request.GET.get("q", "").strip()[:100]
    if query:  # a search looks through every list, archived clients too
        for word in query.split():
            found = found.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(nicknames__icontains=word)
            )
    else:
        found = found.filter(status__in=LISTS[shown][1])
    # A page of the register at a time, by name, with each client's current agreement
    # in one query (a practice with years of clients must not load them all).
    found = found.order_by("last_name", "first_name", "id").defer(
        "sealed_emergency_contact", "nicknames"
    )
    after = found.filter(pk=_digits(request.GET.get("after", ""))).values_list(
        "last_name", "first_name", "id"
    )
    start = after.first()
    if start is not None:
        last, first, pk = start
        found = found.filter(
            Q(last_name__gt=last)
            | Q(last_name=last, first_name__gt=first)
            | Q(last_name=last, first_name=first, id__gt=pk)
        )
    page = list(found[: CLIENTS_PAGE + 1])
    more = len(page) > CLIENTS_PAGE
    listing = page[:CLIENTS_PAGE]
    current = current_agreements(client.pk for client in listing)
    # The search words are a name: the entry says only that there was a search.
    record_read(
        request,
        "client.listed",
        None,
        therapist.practice,
        list="search" if query else shown,
        shown=len(listing),
    )
    return render(
        request,
        "dashboard/clients.html",
        {
            "nav": "clients",
            "rows": [(client, current.get(client.pk)) for client in listing],
            "next_after": listing[-1].pk if more else None,
            "lists": [(key, label) for key, (label, _) in LISTS.items()],
            "shown": "" if query else shown,
            "query": query,
        },
    )


@therapist_required
def client_add(request: HttpRequest) -> HttpResponse:
    therapist = therapist_for(request.user)
    form = NewClientForm(
        request.POST or None,
        therapist=therapist,
        initial={
            "country": therapist.practice.country,
            "status": Client.Status.PRESENT,
            "therapist": therapist.pk,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            client = do_add_client(
                therapist.practice,
                therapist=form.chosen_therapist(None),
                emergency=form.emergency(),
                actor=request.user,
                **form.register_kwargs(),
            )
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, "Client added. Next: record what you agreed about contact.")
            return redirect("dashboard:client", client_id=client.pk)
    return render(
        request,
        "dashboard/client_form.html",
        {"nav": "clients", "form": form, "heading": "Add a client", "button": "Add client"},
    )


@therapist_required
def client_edit(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id)
    therapist = therapist_for(request.user)
    contacts = list(client.contacts.all())
    initial = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "nicknames": ", ".join(client.nicknames),
        "status": client.status,
        "country": client.country,
        "therapist": client.therapist_id,
        "emails": "\n".join(c.value for c in contacts if c.kind == ClientContact.Kind.EMAIL),
        "phones": "\n".join(
            display_phone(c.value) for c in contacts if c.kind == ClientContact.Kind.PHONE
        ),
        "handles": "\n".join(
            f"{c.platform}:{c.value}" for c in contacts if c.kind == ClientContact.Kind.HANDLE
        ),
    }
    form = ClientForm(request.POST or None, therapist=therapist, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_client(
                client,
                therapist=form.chosen_therapist(client.therapist),
                actor=request.user,
                **form.register_kwargs(),
            )
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, "Saved.")
            return redirect("dashboard:client", client_id=client.pk)
    else:
        record_read(request, "client.viewed", client, client.practice, page="edit")
    return render(
        request,
        "dashboard/client_form.html",
        {
            "nav": "clients",
            "form": form,
            "client": client,
            "heading": f"Edit {client}",
            "button": "Save changes",
        },
    )


@require_POST
@therapist_required
def client_status(request: HttpRequest, client_id: int) -> HttpResponse:
    """Archive (to past), restore (to present) or confirm a prospective client."""
    client = get_client_for(request.user, client_id)
    status = request.POST.get("status", "")
    try:
        do_set_client_status(client, status, actor=request.user)
    except ActionError as error:
        return render(request, "dashboard/notice.html", {"notice": str(error)}, status=400)
    flash.success(request, f"{client} is now a {client.get_status_display().lower()}.")
    return redirect("dashboard:client", client_id=client.pk)


def _reply_form(client: Client, data: Any = None) -> ReplyForm:
    agreement = client.current_agreement()
    agreed = [c for c, _ in REPLY_CHANNELS if agreement is not None and c in agreement.channels]
    form = ReplyForm(data, initial={"channel": agreed[0] if agreed else "portal"})
    # The guard's findings as the therapist types, from Write's check (it reads the
    # form's fields plus ``client``, a hidden field of this form); the POST still decides.
    form.fields["client"] = forms.IntegerField(
        widget=forms.HiddenInput, initial=client.pk, required=False
    )
    check = {
        "hx-post": reverse("dashboard:compose_check"),
        "hx-target": "#findings",
        "hx-swap": "outerHTML",
    }
    form.fields["text"].widget.attrs |= check | {"hx-trigger": "input changed delay:400ms"}
    form.fields["channel"].widget.attrs |= check | {"hx-trigger": "change"}
    return form


@therapist_required
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id)
    record_read(request, "client.viewed", client, client.practice)
    return _client_page(request, client, _reply_form(client))


def _client_page(
    request: HttpRequest,
    client: Client,
    reply: ReplyForm,
    *,
    problem: str = "",
    findings: Any = (),
    status: int = 200,
) -> HttpResponse:
    contacts = list(client.contacts.all())
    history = (
        messages_for(request.user)
        .filter(client=client)
        .only("pk", "channel", "received_at", "risk", "status", "crisis")
        .order_by("-received_at")[:30]
    )
    return render(
        request,
        "dashboard/client.html",
        {
            "nav": "clients",
            "client": client,
            "agreement": client.current_agreement(),
            "agenda": client.agenda_items.filter(discussed_at__isnull=True),
            "next_appointment": client.next_appointment(),
            "phones": [
                (c.value, display_phone(c.value))
                for c in contacts
                if c.kind == ClientContact.Kind.PHONE
            ],
            "emails": [c.value for c in contacts if c.kind == ClientContact.Kind.EMAIL],
            "handles": [c for c in contacts if c.kind == ClientContact.Kind.HANDLE],
            "has_emergency": bool(bytes(client.sealed_emergency_contact or b"")),
            "history": history,
            "reply": reply,
            "problem": problem,
            "findings": findings,
        },
        status=status,
    )


@require_POST
@therapist_required
def client_reply(request: HttpRequest, client_id: int) -> HttpResponse:
    """Reply from the client's page: the guard checks first, exactly as on Write."""
    client = get_client_for(request.user, client_id)
    form = _reply_form(client, request.POST)
    if not form.is_valid():
        return _client_page(request, client, form, status=400)
    try:
        sent = guard_then_deliver(request, client, form.cleaned_data)
    except GuardRefusal as refusal:
        return _client_page(
            request,
            client,
            form,
            problem=str(refusal),
            findings=refusal.result.findings,
            status=400,
        )
    except (CannotDeliverError, ActionError) as error:
        return _client_page(request, client, form, problem=str(error), status=400)
    flash.success(request, sent)
    return redirect("dashboard:client", client_id=client.pk)


@therapist_required
def client_emergency(request: HttpRequest, client_id: int) -> HttpResponse:
    """The emergency contact, one tap from the client's page: each showing is audited.
    POST records, replaces or removes it."""
    client = get_client_for(request.user, client_id)
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = None if form.cleaned_data["remove"] else form.emergency()
        try:
            do_set_emergency_contact(client, contact, actor=request.user)
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, "Emergency contact saved." if contact else "Removed.")
            return redirect("dashboard:client", client_id=client.pk)
    context: dict[str, Any] = {"nav": "clients", "client": client, "form": form}
    try:
        emergency = emergency_contact_of(client)
    except (VaultIntegrityError, KeyringError):
        context["unreadable"] = True
        emergency = None
    context["emergency"] = emergency
    context["emergency_phone"] = display_phone(emergency.phone) if emergency else ""
    record_read(
        request,
        "client.emergency_contact_viewed",
        client,
        client.practice,
        recorded=emergency is not None,
    )
    return render(request, "dashboard/client_emergency.html", context)


def _uploaded_rows(upload: Any) -> list[dict[str, str]]:
    if upload.size > MAX_IMPORT_BYTES:
        raise ActionError("the file is larger than 1 MB; split it into several")
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ActionError("the file is not UTF-8 text; save it as CSV UTF-8") from None
    return read_client_rows(text)


@therapist_required
def client_import(request: HttpRequest) -> HttpResponse:
    """Import from CSV (the columns of ``boundaries client import``), with a report per row."""
    therapist = therapist_for(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = _uploaded_rows(form.cleaned_data["file"])
        except ActionError as error:
            form.add_error("file", str(error))
        else:
            report = do_import_clients(
                therapist.practice, rows, therapist=therapist, actor=request.user
            )
    added = sum(1 for row in report if row.added)
    return render(
        request,
        "dashboard/client_import.html",
        {
            "nav": "clients",
            "form": form,
            "report": report,
            "added": added,
            "skipped": len(report) - added,
            "columns": IMPORT_COLUMNS,
        },
        status=400 if form.errors else 200,
    )
