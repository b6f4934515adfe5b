"""The therapist's dashboard: what needs doing, crisis first, and why each thing happened.

Short views: every object comes through an access-checked getter, every read
of client data is audited, and content is shown only after re-authentication.
"""

from __future__ import annotations

import datetime as dt
import io
import urllib.parse
from typing import Any, cast

from django import forms
from django.db import connection, transaction
from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncDate
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from boundaries import clock
from boundaries.accounts.security import recent_reauth_required, therapist_required
from boundaries.audit.log import record, record_read
from boundaries.channels.email.parse import email_attachments
from boundaries.channels.meta.media import attachment_count, stored_event
from boundaries.channels.sms.parse import media_count
from boundaries.core.guard import OutboundChannel
from boundaries.core.policy.loader import display_phone
from boundaries.core.types import Action, Attachment, Channel, RiskLevel
from boundaries.dashboard import charts
from boundaries.dashboard.outbound import GuardRefusal, clear_to_send, guard_for_client
from boundaries.data_rights.export import do_export_client, export_filename
from boundaries.errors import ActionError
from boundaries.inbox.access import get_message_for, messages_for
from boundaries.inbox.delivery import RetryLaterError, senders
from boundaries.inbox.models import ActionRun, Alert, Message, Review
from boundaries.inbox.reviewing import (
    alert_precision,
    do_acknowledge_alert,
    do_judge_alert,
    do_mark_reviewed,
)
from boundaries.inbox.sealing import unseal
from boundaries.links import site_link
from boundaries.portal.actions import do_issue_magic_link, do_send_to_client, message_text
from boundaries.portal.crisis import crisis_panel
from boundaries.portal.tasks import notify
from boundaries.portal.views import file_response
from boundaries.practices.access import (
    clients_for,
    get_client_for,
    therapist_for,
)
from boundaries.practices.emergency import emergency_contact_of
from boundaries.practices.models import (
    AgendaItem,
    ClientContact,
    PolicyAcknowledgement,
    Therapist,
)
from boundaries.reminders.actions import do_mark_notice_seen
from boundaries.reminders.models import AppointmentNotice
from boundaries.vault.crypto import VaultIntegrityError
from boundaries.vault.files import filename
from boundaries.vault.keys import KeyringError

#: How the inbox and a message's page name each risk level (docs/risk-levels.md).
RISK_LABELS = {
    RiskLevel.URGENT.value: ("Urgent", "act now"),
    RiskLevel.CONCERN.value: ("Concern", "read it today"),
    RiskLevel.NONE.value: ("No risk sign", "the ordinary clauses of the policy"),
}
#: The judgements the urgent screen offers, in the order of its buttons.
JUDGEMENTS = (
    (RiskLevel.URGENT.value, "Urgent: I am acting on it"),
    (RiskLevel.CONCERN.value, "Concern, not urgent"),
    (RiskLevel.NONE.value, "Not a risk"),
)


#: Columns the inbox's lists never show: the sealed content (often kilobytes, stored out
#: of line) and the decision's detail, decoded from JSON for nothing on every row.
LIST_DEFERRED = (
    "sealed",
    "labels",
    "scores",
    "clauses",
    "reasons",
    "client__sealed_emergency_contact",
    "client__nicknames",
)


@therapist_required
def home(request: HttpRequest) -> HttpResponse:
    therapist = therapist_for(request.user)
    messages = messages_for(request.user).select_related("client", "alert").defer(*LIST_DEFERRED)
    crises = list(messages.filter(crisis=True, alert__acknowledged_at__isnull=True)[:50])
    if getattr(request, "htmx", False):
        # The crisis section polls every few seconds: send only that part.
        return render(request, "dashboard/_crisis.html", {"crises": crises})
    # Concerns not yet marked reviewed: "read it today", right under the urgent section.
    # Found from the practice's few open reviews (their index), not by walking all of its
    # messages or all of a therapist's (docs/scaling.md).
    open_reviews = Review.objects.filter(
        practice_id=therapist.practice_id, reviewed_at__isnull=True
    ).values("message_id")
    # A sign in the words first: the model alone raises many ordinary messages
    # (docs/classifiers.md), so they follow, newest first within each.
    concerns = list(
        messages.filter(pk__in=open_reviews)
        .select_related("review")
        .order_by(F("review__in_words").desc(nulls_last=True), "-received_at", "-id")[:50]
    )
    failed = list(messages.filter(status="failed")[:50])
    quarantined = list(quarantined_messages(messages)[:20])
    # Not the ones listed above.
    recent = list(
        messages.exclude(crisis=True, alert__acknowledged_at__isnull=True).exclude(
            pk__in=open_reviews
        )[:30]
    )
    notices = list(
        AppointmentNotice.objects.filter(
            appointment__client__in=clients_for(request.user), seen_at__isnull=True
        ).select_related("appointment__client")[:50]
    )
    agenda = open_agenda(therapist)[:50]
    return render(
        request,
        "dashboard/home.html",
        {
            "nav": "inbox",
            "therapist": therapist,
            "crises": crises,
            "concerns": concerns,
            "failed": failed,
            "quarantined": quarantined,
            "recent": recent,
            "agenda": agenda,
            "notices": notices,
        },
    )


@require_POST
@therapist_required
def notice_seen(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = get_object_or_404(
        AppointmentNotice.objects.select_related("practice"),
        pk=notice_id,
        appointment__client__in=clients_for(request.user),
    )
    do_mark_notice_seen(notice, actor=request.user)
    return redirect(f"{reverse('dashboard:home')}#appointment-notices")


def quarantined_messages(messages: QuerySet[Message]) -> QuerySet[Message]:
    """Messages whose session content went to the secure store.

    On PostgreSQL asked of the decision's own actions, which a partial index
    covers (inbox migration 0010): the newest are read from it, not found by
    joining every action run of the practice. SQLite cannot index JSON
    containment; one practice's messages there are few, so it joins.
    """
    action = Action.QUARANTINE_TO_VAULT.value
    if connection.vendor == "postgresql":
        return messages.filter(actions__contains=[action])
    return messages.filter(action_runs__action=action)


def open_agenda(therapist: Therapist) -> QuerySet[AgendaItem]:
    """Agenda items not yet discussed, of the clients this therapist sees, soonest first.

    Asked by practice first, so the open items come from their partial index
    rather than from every item each client ever had (docs/scaling.md).
    """
    items = AgendaItem.objects.filter(practice_id=therapist.practice_id, discussed_at__isnull=True)
    if not therapist.sees_all_clients:
        items = items.filter(client__therapist=therapist)
    return items.select_related("client", "appointment").order_by(
        "appointment__starts_at", "created_at", "id"
    )


@therapist_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    # One query for the message and what the page shows beside it (its practice's slug,
    # the client's initials, the alert, the review), not one each.
    message = get_message_for(
        request.user, message_id, related=("practice", "client", "alert", "review")
    )
    record_read(request, "message.viewed_decision", message, message.practice)
    runs = {run.action: run for run in message.action_runs.all()}
    steps = [(action, runs.get(action)) for action in message.actions]
    level, meaning = RISK_LABELS.get(message.risk, (message.risk, ""))
    return render(
        request,
        "dashboard/message.html",
        {
            "nav": "inbox",
            "message": message,
            "steps": steps,
            "alert": getattr(message, "alert", None),
            "review": getattr(message, "review", None),
            "level": level,
            "level_meaning": meaning,
        },
    )


@recent_reauth_required
def message_content(request: HttpRequest, message_id: int) -> HttpResponse:
    message = get_message_for(request.user, message_id)
    content = unseal(
        bytes(message.sealed), practice_id=message.practice_id, content_hash=message.content_hash
    )
    record_read(request, "message.content_read", message, message.practice)
    return render(
        request,
        "dashboard/message_content.html",
        {
            "nav": "inbox",
            "message": message,
            "content": content,
            "attachments": [attachment for attachment, _ in _attachments(message, content)],
            "files_sent": _files_named(message, content),
        },
    )


@recent_reauth_required
def message_attachment(request: HttpRequest, message_id: int, number: int) -> HttpResponseBase:
    """One attachment of a stored email, as a download (never shown inline)."""
    message = get_message_for(request.user, message_id)
    content = unseal(
        bytes(message.sealed), practice_id=message.practice_id, content_hash=message.content_hash
    )
    attachments = _attachments(message, content)
    if not 1 <= number <= len(attachments):
        raise Http404("no such attachment")
    attachment, data = attachments[number - 1]
    record_read(request, "message.attachment_read", message, message.practice, attachment=number)
    # Sent as opaque bytes: a browser must not run an HTML or SVG attachment as a page.
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=attachment.filename or f"attachment-{number}",
        content_type="application/octet-stream",
    )


def _files_named(message: Any, content: Any) -> int:
    """How many files a text or a direct message named. The platform holds them, not the
    message: a client's are fetched into their files (see docs/channels.md)."""
    if message.channel == Channel.SMS:
        raw = content.raw.decode("utf-8", "replace")
        return media_count(urllib.parse.parse_qs(raw, keep_blank_values=True))
    if message.channel == Channel.SOCIAL_DM:
        return attachment_count(stored_event(content.raw))
    return 0


def _attachments(message: Any, content: Any) -> list[tuple[Attachment, bytes]]:
    """The attachments kept in a message's sealed original (email carries them whole)."""
    if message.channel != Channel.EMAIL:
        return []
    return email_attachments(content.raw)


@require_POST
@therapist_required
def acknowledge_alert(request: HttpRequest, message_id: int) -> HttpResponse:
    message = get_message_for(request.user, message_id)
    do_acknowledge_alert(message, actor=request.user)
    return redirect("dashboard:message", message_id=message.pk)


@require_POST
@therapist_required
def mark_reviewed(request: HttpRequest, message_id: int) -> HttpResponse:
    """A concern has been read: it leaves the "Review today" section."""
    message = get_message_for(request.user, message_id)
    try:
        do_mark_reviewed(message, actor=request.user)
    except ActionError:
        raise Http404("not on the review list") from None
    return redirect("dashboard:home")


@recent_reauth_required
def act_on_alert(request: HttpRequest, message_id: int) -> HttpResponse:
    """One screen to act on an urgent message: who to ring, and the therapist's judgement.

    Contact details are client data, so the screen asks for a fresh sign-in (as
    content does) and every showing of it is audited. POST records the judgement.
    """
    message = get_message_for(request.user, message_id)
    alert = Alert.objects.filter(message=message).first()
    if alert is None:
        raise Http404("no urgent alert for this message")
    if request.method == "POST":
        try:
            do_judge_alert(message, request.POST.get("judgement", ""), actor=request.user)
        except ActionError as error:
            return render(request, "dashboard/notice.html", {"notice": str(error)}, status=400)
        return redirect("dashboard:act", message_id=message.pk)
    client = get_client_for(request.user, message.client_id) if message.client_id else None
    context: dict[str, Any] = {
        "nav": "inbox",
        "message": message,
        "alert": alert,
        "client": client,
        "judgements": JUDGEMENTS,
        "judgement_label": dict(JUDGEMENTS).get(alert.judgement, ""),
        "crisis": crisis_panel(message.practice, client.country if client else None),
    }
    if client is not None:
        agreement = client.current_agreement()
        context |= {
            "phones": [
                (contact.value, display_phone(contact.value))
                for contact in client.contacts.filter(kind=ClientContact.Kind.PHONE)
            ],
            "channels": agreement.channels if agreement else None,
        }
        try:
            emergency = emergency_contact_of(client)
        except (VaultIntegrityError, KeyringError):
            context["emergency_unreadable"] = True
        else:
            context["emergency"] = emergency
            context["emergency_phone"] = display_phone(emergency.phone) if emergency else ""
    details: dict[str, Any] = {"known_client": client is not None}
    if client is not None:
        details |= {"client": client.pk, "emergency_contact": bool(context.get("emergency"))}
    record_read(request, "alert.contacts_viewed", message, message.practice, **details)
    return render(request, "dashboard/act.html", context)


#: Items on the next-sessions page; more are there when a practice never marks any discussed.
AGENDA_PAGE = 100


@therapist_required
def agenda(request: HttpRequest) -> HttpResponse:
    items = list(open_agenda(therapist_for(request.user))[: AGENDA_PAGE + 1])
    return render(
        request,
        "dashboard/agenda.html",
        {
            "nav": "agenda",
            "items": items[:AGENDA_PAGE],
            "more": len(items) > AGENDA_PAGE,
            "page_size": AGENDA_PAGE,
        },
    )


@therapist_required
def insights(request: HttpRequest) -> HttpResponse:
    """Pictures a busy therapist would rather look at than read."""
    therapist = therapist_for(request.user)
    today = timezone.localdate(clock.now())
    days = [today - dt.timedelta(days=n) for n in range(13, -1, -1)]
    since = clock.now() - dt.timedelta(days=14)
    messages = messages_for(request.user).filter(received_at__gte=since)
    # Counted by the database, a row per day, channel and set of actions: a fortnight
    # of a busy practice is a few dozen rows, not one per message.
    rows: list[tuple[dt.date, str, list[str], int]] = list(
        messages.order_by()
        .annotate(day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day", "channel", "actions")
        .annotate(n=Count("id"))
    )
    channels = sorted({channel for _, channel, _, _ in rows})
    categories, by_channel = charts.daily_counts([(d, c, n) for d, c, _, n in rows], days, channels)

    def outcome(actions: list[str]) -> str:
        if "urgent_alert" in actions:
            return "crisis"
        if "review_today" in actions:
            return "review today"
        for name in ("redirect_reply", "secure_channel_reply", "no_response", "decline_connection"):
            if name in actions:
                return name.replace("_", " ")
        return "delivered"

    outcomes = sorted({outcome(a) for _, _, a, _ in rows})
    _, by_outcome = charts.daily_counts([(d, outcome(a), n) for d, _, a, n in rows], days, outcomes)
    practice = therapist.practice
    current = practice.current_policy()
    active = clients_for(request.user).filter(status="present")
    active_count = active.count()
    acknowledged = 0
    if current is not None:
        acknowledged = PolicyAcknowledgement.objects.filter(
            version=current, client__in=active
        ).count()
    # By practice first (its alerts are few), not through every message it ever had.
    alerts = Alert.objects.filter(practice_id=practice.pk, acknowledged_at__isnull=False)
    if not therapist.sees_all_clients:
        alerts = alerts.filter(message__client__therapist=therapist)
    alerts = alerts.order_by("created_at")
    minutes = [
        (a.acknowledged_at - a.created_at).total_seconds() / 60
        for a in alerts[:50]
        if a.acknowledged_at
    ]
    precision = alert_precision(practice)
    return render(
        request,
        "dashboard/insights.html",
        {
            "nav": "insights",
            "by_channel": charts.stacked_bars(
                "Messages by channel, last 14 days", categories, by_channel
            ),
            "by_outcome": charts.stacked_bars(
                "Messages by outcome, last 14 days", categories, by_outcome
            ),
            "table_channel": charts.as_table(categories, by_channel),
            "table_outcome": charts.as_table(categories, by_outcome),
            "categories": categories,
            "ack": charts.progress(
                "Clients who acknowledged the current policy", acknowledged, active_count
            ),
            "ack_done": acknowledged,
            "ack_total": active_count,
            "response": charts.durations("Minutes from crisis alert to acknowledgement", minutes),
            "minutes": minutes,
            "precision": precision,
        },
    )


@require_POST
@therapist_required
def send_portal_link(request: HttpRequest, client_id: int) -> HttpResponse:
    """Send the client a sign-in link on an agreed channel (the link is the only content)."""
    client = get_client_for(request.user, client_id)
    try:
        token = do_issue_magic_link(client, actor=request.user)
    except ActionError as error:
        return render(request, "dashboard/notice.html", {"notice": str(error)}, status=409)
    link = site_link(reverse("portal:signin", args=[token]))
    text = (
        f"Your sign-in link for secure messages with {client.practice.name} "
        f"(it works once, for 15 minutes): {link}"
    )
    channel = notify(client, text, "Your secure messages sign-in link")
    notice = (
        f"Sign-in link sent by {channel}."
        if channel != "portal only"
        else ("This client has not agreed to email or text messages, so no link could be sent.")
    )
    return render(request, "dashboard/notice.html", {"notice": notice, "client": client})


@recent_reauth_required
def secure_messages(request: HttpRequest, client_id: int) -> HttpResponse:
    """The secure thread with one client (content: asks for a fresh sign-in)."""
    client = get_client_for(request.user, client_id)
    problem, findings = "", cast("tuple[Any, ...]", ())
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            clear_to_send(
                client,
                OutboundChannel.PORTAL,
                text,
                reason=request.POST.get("reason", ""),
                actor=request.user,
            )
            do_send_to_client(client, text, actor=request.user)
            return redirect("dashboard:secure_messages", client_id=client.pk)
        except GuardRefusal as refusal:
            problem, findings = str(refusal), refusal.result.findings
        except ActionError as error:
            problem = str(error)
    record_read(request, "portal.thread_read", client, client.practice)
    thread = [(m, message_text(m)) for m in client.secure_messages.all()]
    return render(
        request,
        "dashboard/secure_messages.html",
        {
            "nav": "clients",
            "client": client,
            "thread": thread,
            "problem": problem,
            "findings": findings,
        },
    )


@recent_reauth_required
def client_files(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id)
    record_read(request, "vault.listed", client, client.practice)
    shared = [(obj, filename(obj)) for obj in client.vault_objects.all()]
    return render(
        request, "dashboard/files.html", {"nav": "clients", "client": client, "shared": shared}
    )


@recent_reauth_required
def client_file(request: HttpRequest, client_id: int, object_id: str) -> HttpResponseBase:
    client = get_client_for(request.user, client_id)
    obj = client.vault_objects.filter(object_id=object_id).first()
    if obj is None:
        raise Http404
    return file_response(obj, request.user, client.practice)


@recent_reauth_required
def client_export(request: HttpRequest, client_id: int) -> HttpResponseBase:
    """The client's own data as a zip (right of access): after re-authentication, audited."""
    client = get_client_for(request.user, client_id)
    handle, _result = do_export_client(client, actor=request.user, via="dashboard")
    response = FileResponse(
        handle, as_attachment=True, filename=export_filename(client), content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


class CannotDeliverError(Exception):
    """The message passed the guard but there is no way to deliver it."""


class ComposeForm(forms.Form):
    client = forms.TypedChoiceField(coerce=int, label="To")
    channel = forms.ChoiceField(
        label="Channel",
        choices=[("portal", "Secure portal message"), ("email", "Email"), ("sms", "Text message")],
    )
    subject = forms.CharField(label="Subject (email only)", required=False, max_length=200)
    text = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 8}))
    reason = forms.CharField(
        label="If the guard warns you: why send it anyway?", required=False, max_length=500
    )


def _compose_form(request: HttpRequest, data: Any = None) -> ComposeForm:
    form = ComposeForm(data)
    field = form.fields["client"]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [(c.pk, str(c)) for c in clients_for(request.user).exclude(status="past")]
    return form


@therapist_required
def compose(request: HttpRequest) -> HttpResponse:
    """Write to a client; the guard checks as you type and before anything goes out."""
    form = _compose_form(request, request.POST or None)
    findings: Any = ()
    problem = sent = ""
    if request.method == "POST" and form.is_valid():
        client = get_client_for(request.user, form.cleaned_data["client"])
        try:
            sent = guard_then_deliver(request, client, form.cleaned_data)
            form = _compose_form(request)  # a clean form: what was sent is not sent twice
        except GuardRefusal as refusal:
            problem, findings = str(refusal), refusal.result.findings
        except CannotDeliverError as error:
            problem = str(error)
    return render(
        request,
        "dashboard/compose.html",
        {"nav": "compose", "form": form, "findings": findings, "problem": problem, "sent": sent},
    )


def guard_then_deliver(request: HttpRequest, client: Any, answers: dict[str, Any]) -> str:
    """What Write and a client's Reply both do: the guard first, then the delivery.

    ``answers`` are a form's cleaned ``channel``, ``text``, ``subject`` and ``reason``.
    Raises ``GuardRefusal`` or ``CannotDeliverError``; returns what ``_deliver`` says.
    """
    channel = OutboundChannel(answers["channel"])
    text, subject = answers["text"], answers["subject"]
    clear_to_send(
        client, channel, text, subject=subject, reason=answers["reason"], actor=request.user
    )
    return _deliver(request, client, channel, text, subject)


def _deliver(request: HttpRequest, client: Any, channel: Any, text: str, subject: str) -> str:
    if channel.value == "portal":
        do_send_to_client(client, text, actor=request.user)
        return "Sent as a secure portal message."
    kind = ClientContact.Kind.EMAIL if channel.value == "email" else ClientContact.Kind.PHONE
    address = client.contacts.filter(kind=kind).values_list("value", flat=True).first()
    if address is None:
        raise CannotDeliverError(f"This client has no {channel.value} address in the register.")
    sender = senders().compose.get("email" if channel.value == "email" else "sms")
    if sender is None:
        raise CannotDeliverError("Text messages are not set up on this installation.")
    if channel.value == "email":
        # Not caught here: a refused email is an error for the request, unlike a text.
        sender(client.practice_id, address, subject, text)
    else:
        try:
            sender(client.practice_id, address, subject, text)
        except (RetryLaterError, OSError):
            raise CannotDeliverError(
                "The text message could not be sent just now (the SMS provider did not "
                "accept it). Nothing was sent; please try again later."
            ) from None
    with transaction.atomic():
        record(
            action=f"outbound.{channel.value}",
            obj=client,
            practice=client.practice,
            actor=request.user,
        )
    return f"Sent by {channel.value}."


@require_POST
@therapist_required
def compose_check(request: HttpRequest) -> HttpResponse:
    """The guard's findings for the draft so far (htmx, as the therapist types)."""
    form = _compose_form(request, request.POST)
    form.is_valid()
    data = form.cleaned_data
    if "client" not in data or "channel" not in data or not data.get("text"):
        return render(request, "dashboard/_findings.html", {"findings": (), "empty": True})
    client = get_client_for(request.user, data["client"])
    result = guard_for_client(
        client, OutboundChannel(data["channel"]), data["text"], data.get("subject", "")
    )
    return render(
        request, "dashboard/_findings.html", {"findings": result.findings, "checked": True}
    )


__all__ = [
    "ActionRun",
    "acknowledge_alert",
    "act_on_alert",
    "agenda",
    "home",
    "mark_reviewed",
    "message_content",
    "message_detail",
]
